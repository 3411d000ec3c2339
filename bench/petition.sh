#!/bin/sh
# 信访 at scale: N petitions (100,000 by default; BENCH_N=n for another count) loaded from a
# ledger with `vets petition import`; then, under concurrent load (wrk, 2 threads, 16
# connections, BENCH_SECONDS (10) s each), the desk's overdue list (/api/v1/petitions?overdue=1,
# its first page and its count) and the year's statistics (/api/v1/petitions/stats?year=2025:
# every figure in one pass over the year's petitions), each against /healthz measured in the
# same run; and the daily deadline job (`vets jobs run petition.deadlines`, every flag
# recomputed after they were all cleared) against the backend's own shell updating every row
# of the table once. Goals: list and statistics p99 < 50 ms, the job < 2 s.
# The figures and the overdue count are kept per version of the petitions (every write raises
# it): under load they are served from memory, so the time of the first request after a write
# (counted from the table) is printed too.
. "$(dirname "$0")/lib.sh"
need wrk curl
N=${BENCH_N:-100000}
python3 - "$N" "$WORK/ledger.csv" <<'PY'
import random, sys, datetime
n, out = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(12)
src = ['来信', '来访', '来电', '网上信访', '区长信箱']
today = datetime.date.today()  # the ledger refuses dates after today
start = today - datetime.timedelta(days=3 * 365)
with open(out, 'w', encoding='utf-8') as f:
    f.write('编号,来源,收到日期,受理,受理日期,延期天数,办结日期,答复日期\n')
    for i in range(n):
        rec = start + datetime.timedelta(days=rnd.randrange(3 * 365 - 30))
        row = [f'B{i:07d}', rnd.choice(src), rec.isoformat(), '', '', '', '', '']
        r = rnd.random()
        if r < 0.03:
            pass  # undecided: overdue after 15 days
        elif r < 0.10:
            row[3], row[4] = '不予受理', (rec + datetime.timedelta(days=rnd.randrange(1, 15))).isoformat()
        else:
            acc = rec + datetime.timedelta(days=rnd.randrange(1, 20))
            row[3], row[4] = '受理', acc.isoformat()
            ext = rnd.choice([0] * 9 + [rnd.randrange(1, 31)])
            row[5] = str(ext) if ext else ''
            if rnd.random() < 0.9:
                closed = acc + datetime.timedelta(days=rnd.randrange(5, 60 + ext + 10))
                replied = closed + datetime.timedelta(days=rnd.randrange(0, 3))
                if closed <= today:
                    row[6] = closed.isoformat()
                if replied <= today and rnd.random() < 0.95:
                    row[7] = replied.isoformat()
        f.write(','.join(row) + '\n')
PY
DB=$(new_db petitions)
"$VETS" init --db "$DB" >/dev/null
t=$(date +%s%N)
"$VETS" petition import "$WORK/ledger.csv" --db "$DB" >"$WORK/import.out" 2>&1 || { cat "$WORK/import.out" >&2; exit 1; }
import_ms=$(ms "$t")
echo "petitions: $N, imported in $import_ms ms ($(cat "$WORK/import.out"))"
[ "$BACKEND" = sqlite ] || sql "$DB" "VACUUM ANALYZE;" # as autovacuum would have, after a load
echo 'Load!test42' | "$VETS" user add bench --role leader --password-stdin --db "$DB" >/dev/null
serve_vets "$DB" --login-throttle 0 --no-jobs
curl -s -c "$WORK/jar" -H 'Content-Type: application/json' \
	-d '{"username":"bench","password":"Load!test42"}' "$URL/api/v1/session" >/dev/null
COOKIE="vets_session=$(awk '$6 == "vets_session" {print $7}' "$WORK/jar")"

# run LABEL PATH: one line of figures; leaves "p99_ms req/s" in $WORK/last.
run() {
	wrk -t2 -c16 -d"${BENCH_SECONDS:-10}"s --latency -H "Cookie: $COOKIE" "$URL$2" >"$WORK/wrk.out" 2>&1
	awk -v label="$1" -v last="$WORK/last" '
	function ms(v) { if (v ~ /us$/) { sub(/us/, "", v); return v / 1000 } if (v ~ /ms$/) { sub(/ms/, "", v); return v } sub(/s/, "", v); return v * 1000 }
	/^ +50%/ {p50 = ms($2)} /^ +99%/ {p99 = ms($2)} /Requests\/sec/ {rps = $2} /Non-2xx/ {bad = $5}
	END {printf "%-28s p50 %8.2f ms  p99 %8.2f ms  %8.0f req/s%s\n", label, p50, p99, rps, bad ? "  (non-2xx: " bad ")" : ""
	     printf "%.2f %.0f\n", p99, rps > last}' "$WORK/wrk.out"
}
row() { # NAME GOAL: a result line of the last run against /healthz
	set -- "$1" "$2" $(cat "$WORK/last") $(cat "$WORK/healthz")
	result "$1 p99" "$3 ms" "$5 ms" "$(awk -v a="$3" -v b="$5" 'BEGIN {printf "%.2f", a / b}')" "$2"
}
run "reference /healthz" "/healthz"
cp "$WORK/last" "$WORK/healthz"
# the first request of each counts (nothing kept yet): what a request right after a write costs
first() { curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $COOKIE" "$URL$1" | awk '{printf "%.1f", $1 * 1000}'; }
echo "first overdue list (counted): $(first '/api/v1/petitions?overdue=1') ms; first statistics of 2025 (counted): $(first '/api/v1/petitions/stats?year=2025') ms"
run "overdue list" "/api/v1/petitions?overdue=1"
row "petitions $N: overdue list vs /healthz" "p99 < 50 ms"
curl -s -H "Cookie: $COOKIE" "$URL/api/v1/petitions/stats?year=2025"
echo
run "statistics of 2025" "/api/v1/petitions/stats?year=2025"
row "petitions $N: year statistics vs /healthz" "p99 < 50 ms"
kill "$SERVER" 2>/dev/null
wait "$SERVER" 2>/dev/null || true

# The job, from every flag cleared (so it sets them all again), against one full-table update.
sql "$DB" "UPDATE petitions SET flag = '', flagged_on = NULL;" >/dev/null
t=$(date +%s%N)
sql "$DB" "UPDATE petitions SET flagged_on = NULL;" >/dev/null
ref_ms=$(ms "$t")
t=$(date +%s%N)
"$VETS" jobs run petition.deadlines --db "$DB" >"$WORK/job.out" 2>&1 || { cat "$WORK/job.out" >&2; exit 1; }
job_ms=$(ms "$t")
echo "deadline job: $job_ms ms ($(tail -1 "$WORK/job.out")); reference full-table update: $ref_ms ms"
result "petitions $N: deadline job vs full-table update" "$job_ms ms" "$ref_ms ms" \
	"$(awk -v a="$job_ms" -v b="$ref_ms" 'BEGIN {printf "%.2f", a / (b > 0 ? b : 1)}')" "< 2000 ms"
result "petitions $N: ledger import" "$import_ms ms" "-" "-" ""
