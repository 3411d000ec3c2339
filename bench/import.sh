#!/bin/sh
# Import speed: `vets import persons` of N generated rows (100,000; 1,000,000 with --big;
# BENCH_N=n for another count) against two references measured in the same run, on the same
# backend (SQLite by default, PostgreSQL with --pg, see lib.sh):
#   same-schema  the backend's own shell loading exactly the rows vets wrote (persons, their
#                identities, the import and its list of people, the audit records) into a
#                copy of the database as it was before the import: the same schema, indexes
#                and triggers (the name grams and the counts are the triggers' work there as
#                in vets), in one transaction. SQLite: the sqlite3 shell's INSERTs;
#                PostgreSQL: COPY of each table's new rows (server-side files).
#   plain        the same CSV into a table of text columns without index: the sqlite3
#                shell's `.import`; PostgreSQL's COPY … (FORMAT csv).
# vets validates every row (GB 11643, regions, categories), seals three fields, computes
# the blind indexes and chains the audit trail. Goal: within 2x of same-schema.
. "$(dirname "$0")/lib.sh"
need time
[ "$BACKEND" = pg ] || need sqlite3
N=${BENCH_N:-100000}
[ "${1:-}" = "--big" ] && N=1000000
python3 "$ROOT/bench/gen_people.py" "$N" "$WORK/people.csv" "$WORK/regions.csv"
DB=$(new_db b)
"$VETS" init --db "$DB" >/dev/null
"$VETS" region import "$WORK/regions.csv" --db "$DB" >/dev/null
if [ "$BACKEND" = pg ]; then
	psql -X -q -d postgres -c "CREATE DATABASE ref TEMPLATE b" -c "CREATE DATABASE plain"
	REF="postgresql:///ref?host=$PGDIR&user=postgres"
	PLAIN="postgresql:///plain?host=$PGDIR&user=postgres"
else
	sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
	cp "$DB" "$WORK/ref.db"
	REF=$WORK/ref.db
	PLAIN=$WORK/plain.db
fi

# The tables of rows an import adds (the others grow by triggers, or not at all), in an
# order their foreign keys accept, each with the column that tells the new rows.
TABLES="persons person_identities person_imports person_import_people audit_log"
key() {
	[ "$BACKEND" = sqlite ] && echo rowid && return
	case $1 in audit_log) echo seq ;; person_import_people) echo import_id ;; *) echo id ;; esac
}
for t in $TABLES; do
	eval "last_$t=$(sql "$DB" "SELECT coalesce(max($(key "$t")), 0) FROM $t;")"
done
last_person_import_people=$last_person_imports # its rows belong to the new import

start=$(date +%s%N)
/usr/bin/time -f '%M' -o "$WORK/rss" "$VETS" import persons "$WORK/people.csv" --db "$DB" >"$WORK/out" 2>&1 ||
	{ cat "$WORK/out"; echo "vets import persons failed" >&2; exit 1; }
vets_ms=$(ms "$start")

if [ "$BACKEND" = pg ]; then
	# Each table's new rows in COPY's text format; the head of the audit chain as it is now.
	{
		echo "BEGIN;"
		for t in $TABLES; do
			eval "last=\$last_$t"
			psql -X -q -d "$DB" -c "\\copy (SELECT * FROM $t WHERE $(key "$t") > $last ORDER BY 1) TO '$WORK/$t.copy'"
			echo "COPY $t FROM '$WORK/$t.copy';"
		done
		psql -X -A -t -d "$DB" -c "SELECT 'UPDATE audit_head SET seq = ' || seq || ', hash = ''' || hash || ''' WHERE id = 1;' FROM audit_head"
		echo "COMMIT;"
	} >"$WORK/rows.sql"
	start=$(date +%s%N)
	psql -X -q -v ON_ERROR_STOP=1 -d "$REF" -f "$WORK/rows.sql" >/dev/null
	same_ms=$(ms "$start")
	same_label="COPY, same schema:"
	plain_label="COPY csv, plain table:"
else
	{
		# The connection settings vets opens every database with (src/db/sqlite.c).
		echo "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;"
		echo "BEGIN;"
		for t in $TABLES; do
			eval "last=\$last_$t"
			sqlite3 "$DB" ".mode insert $t" "SELECT * FROM $t WHERE rowid > $last ORDER BY rowid;"
		done
		sqlite3 "$DB" ".mode insert audit_head" "SELECT * FROM audit_head;" | sed 's/^INSERT INTO/INSERT OR REPLACE INTO/'
		echo "COMMIT;"
	} >"$WORK/rows.sql"
	start=$(date +%s%N)
	sqlite3 "$REF" <"$WORK/rows.sql" >/dev/null
	same_ms=$(ms "$start")
	sqlite3 "$REF" "PRAGMA integrity_check;" | grep -qx ok
	same_label="sqlite3, same schema:"
	plain_label="sqlite3 .import, plain:"
fi
same_rows=$(sql "$REF" "SELECT count(*) FROM persons;")
[ "$same_rows" = "$(sql "$DB" "SELECT count(*) FROM persons;")" ] # the same rows fit the same schema

tail -c +4 "$WORK/people.csv" >"$WORK/plain.csv" # without the BOM
start=$(date +%s%N)
if [ "$BACKEND" = pg ]; then
	cols=$(head -1 "$WORK/plain.csv" | tr -d '\r' | tr ',' '\n' | sed 's/.*/"&" text/' | paste -sd, -)
	psql -X -q -v ON_ERROR_STOP=1 -d "$PLAIN" -c "CREATE TABLE people ($cols)" \
		-c "COPY people FROM '$WORK/plain.csv' (FORMAT csv, HEADER)" >/dev/null
else
	sqlite3 "$PLAIN" ".mode csv" ".import $WORK/plain.csv people" >/dev/null 2>&1
fi
plain_ms=$(ms "$start")

cat "$WORK/out"
awk -v n="$N" -v v="$vets_ms" -v s="$same_ms" -v sr="$same_rows" -v p="$plain_ms" \
	-v sl="$same_label" -v pl="$plain_label" -v rss="$(cat "$WORK/rss")" 'BEGIN {
	printf "rows: %d\n", n
	printf "%-27s%6d ms, %.0f rows/s, peak RSS %.1f MiB\n", "vets import persons:", v, n * 1000 / v, rss / 1024
	printf "%-27s%6d ms, %.0f rows/s (%d persons)\n", sl, s, n * 1000 / s, sr
	printf "%-27s%6d ms, %.0f rows/s\n", pl, p, n * 1000 / p
	printf "ratio vets/same-schema: %.2f (goal <= 2)\n", v / s
	printf "ratio vets/plain:       %.2f\n", v / p
}'
result "import $N rows: same schema" "$vets_ms ms" "$same_ms ms" "$(awk -v a="$vets_ms" -v b="$same_ms" 'BEGIN {printf "%.2f", a / b}')" "<= 2"
result "import $N rows: plain load" "$vets_ms ms" "$plain_ms ms" "$(awk -v a="$vets_ms" -v b="$plain_ms" 'BEGIN {printf "%.2f", a / b}')" ""
