#!/bin/sh
# Import speed: `vets import persons` of N generated rows (100,000; 1,000,000 with --big)
# against two references measured in the same run:
#   same-schema  the sqlite3 shell inserting exactly the rows vets wrote (persons, their
#                identities, the audit records) into a copy of the database as it was before
#                the import: the same schema, indexes and triggers (the name grams and the
#                counts are the triggers' work there as in vets), in one transaction;
#   plain        the shell's `.import` of the same CSV into a table without index.
# vets validates every row (GB 11643, regions, categories), seals three fields, computes
# the blind indexes and chains the audit trail. Goal: within 2x of same-schema.
. "$(dirname "$0")/lib.sh"
need sqlite3 time
N=100000
[ "${1:-}" = "--big" ] && N=1000000
python3 "$ROOT/bench/gen_people.py" "$N" "$WORK/people.csv" "$WORK/regions.csv"
"$VETS" init --db "$WORK/b.db" >/dev/null
"$VETS" region import "$WORK/regions.csv" --db "$WORK/b.db" >/dev/null
sqlite3 "$WORK/b.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
cp "$WORK/b.db" "$WORK/ref.db"

# The tables of rows an import adds (the others grow by triggers, or not at all).
TABLES="persons person_identities audit_log"
for t in $TABLES; do
	eval "last_$t=$(sqlite3 "$WORK/b.db" "SELECT coalesce(max(rowid), 0) FROM $t;")"
done

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

start=$(date +%s%N)
/usr/bin/time -f '%M' -o "$WORK/rss" "$VETS" import persons "$WORK/people.csv" --db "$WORK/b.db" >"$WORK/out" 2>&1
vets_ms=$(ms "$start")

{
	# The connection settings vets opens every database with (src/db/sqlite.c).
	echo "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;"
	echo "BEGIN;"
	for t in $TABLES; do
		eval "last=\$last_$t"
		sqlite3 "$WORK/b.db" ".mode insert $t" "SELECT * FROM $t WHERE rowid > $last ORDER BY rowid;"
	done
	sqlite3 "$WORK/b.db" ".mode insert audit_head" "SELECT * FROM audit_head;" | sed 's/^INSERT INTO/INSERT OR REPLACE INTO/'
	echo "COMMIT;"
} >"$WORK/rows.sql"
start=$(date +%s%N)
sqlite3 "$WORK/ref.db" <"$WORK/rows.sql" >/dev/null
same_ms=$(ms "$start")
sqlite3 "$WORK/ref.db" "PRAGMA integrity_check;" | grep -qx ok # the same rows fit the same schema
same_rows=$(sqlite3 "$WORK/ref.db" "SELECT count(*) FROM persons;")

tail -c +4 "$WORK/people.csv" >"$WORK/plain.csv" # without the BOM
start=$(date +%s%N)
sqlite3 "$WORK/plain.db" ".mode csv" ".import $WORK/plain.csv people" >/dev/null 2>&1
plain_ms=$(ms "$start")

cat "$WORK/out"
awk -v n="$N" -v v="$vets_ms" -v s="$same_ms" -v sr="$same_rows" -v p="$plain_ms" \
	-v rss="$(cat "$WORK/rss")" 'BEGIN {
	printf "rows: %d\n", n
	printf "vets import persons:       %6d ms, %.0f rows/s, peak RSS %.1f MiB\n", v, n * 1000 / v, rss / 1024
	printf "sqlite3, same schema:      %6d ms, %.0f rows/s (%d persons)\n", s, n * 1000 / s, sr
	printf "sqlite3 .import, plain:    %6d ms, %.0f rows/s\n", p, n * 1000 / p
	printf "ratio vets/same-schema: %.2f (goal <= 2)\n", v / s
	printf "ratio vets/plain:       %.2f\n", v / p
}'
