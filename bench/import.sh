#!/bin/sh
# Import speed: `vets import persons` of N generated rows (100,000; 1,000,000 with --big)
# against the sqlite3 shell's plain `.import` of the same CSV into a plain table, in the
# same run. vets validates every row (GB 11643, regions, categories), encrypts three
# fields, computes two blind indexes and writes the audit trail. Goal: within 3x.
. "$(dirname "$0")/lib.sh"
need sqlite3 time
N=100000
[ "${1:-}" = "--big" ] && N=1000000
python3 "$ROOT/bench/gen_people.py" "$N" "$WORK/people.csv" "$WORK/regions.csv"
"$VETS" init --db "$WORK/b.db" >/dev/null
"$VETS" region import "$WORK/regions.csv" --db "$WORK/b.db" >/dev/null

start=$(date +%s%N)
/usr/bin/time -f '%M' -o "$WORK/rss" "$VETS" import persons "$WORK/people.csv" --db "$WORK/b.db" >"$WORK/out" 2>&1
end=$(date +%s%N)
vets_ms=$(( (end - start) / 1000000 ))

tail -c +4 "$WORK/people.csv" >"$WORK/plain.csv" # without the BOM
start=$(date +%s%N)
sqlite3 "$WORK/plain.db" ".mode csv" ".import $WORK/plain.csv people" >/dev/null 2>&1
end=$(date +%s%N)
shell_ms=$(( (end - start) / 1000000 ))

cat "$WORK/out"
awk -v n="$N" -v v="$vets_ms" -v s="$shell_ms" -v rss="$(cat "$WORK/rss")" 'BEGIN {
	printf "rows: %d\n", n
	printf "vets import persons: %d ms, %.0f rows/s, peak RSS %.1f MiB\n", v, n * 1000 / v, rss / 1024
	printf "sqlite3 .import:     %d ms, %.0f rows/s\n", s, n * 1000 / s
	printf "ratio vets/sqlite3 time: %.2f (goal <= 3)\n", v / s
}'
