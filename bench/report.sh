#!/bin/sh
# The annual report and the dashboard's drill-downs over a province-size year: a database made by
# `vets init` and filled by bench/report_gen.sh (about 10^7 event rows at BENCH_SCALE=1, the
# default: 8 million pay lines, a million care contacts, a million applications, and the other
# areas' rows in proportion; BENCH_SCALE=0.01 for a quick run). Measured:
# - the whole report: `vets report --year Y --format json` when the program has it, else
#   `vets stats KIND --year Y` for every kind `vets stats --help` lists, one after the other
#   (the sum of each command's median of BENCH_ROUNDS (3) runs, process start included); the
#   reference, in the same run: the backend's own shell counting the pay lines
#   (SELECT count(*) FROM pay_lines, sqlite3 / psql, process start included). Goal: < 1 s.
# - each figure's drill-down, first page: GET /AREA/stats/list?key=K&year=Y (its 50 rows and the
#   figure's total) as a district-wide leader, median of BENCH_ROUNDS (5 here) requests after
#   one not counted; the reference: GET /healthz of the same server, the same way. Goal: < 50 ms.
# On SQLite the database is kept when BENCH_KEEP_DB names a file, and
# reused when it exists: BENCH_KEEP_DB=/tmp/province.db bench/report.sh twice loads once.
# Not part of the test run. Both backends: --pg (see lib.sh).
. "$(dirname "$0")/lib.sh"
need curl
[ "$BACKEND" = pg ] || need sqlite3
SCALE=${BENCH_SCALE:-1}
YEAR=${BENCH_YEAR:-2025}
ROUNDS=${BENCH_ROUNDS:-3}
PAGE_ROUNDS=${BENCH_PAGE_ROUNDS:-5}
# the year is past: its figures are as of its last day, whatever today is
export VETS_FAKE_NOW=$(date -u -d "$((YEAR + 1))-03-01T02:00:00Z" +%s)

if [ "$BACKEND" = pg ]; then
	DB=$(new_db report)
else
	DB=${BENCH_KEEP_DB:-$WORK/report.db}
fi
fresh=1
if [ "$BACKEND" = sqlite ] && [ -n "${BENCH_KEEP_DB:-}" ] && [ -f "$DB" ]; then
	fresh=0
fi
if [ $fresh = 1 ]; then
	"$VETS" init --db "$DB" >/dev/null
	echo 'Bench!pass1' | "$VETS" user add bench_clerk --role clerk --password-stdin --db "$DB" >/dev/null
	echo 'Bench!pass1' | "$VETS" user add bench_leader --role leader --password-stdin --db "$DB" >/dev/null
	cat >"$WORK/catalogue.csv" <<'CSV'
事项编码,事项名称,承诺时限,法定依据,材料名称,材料必要
B01,退役报到,5,《中华人民共和国退役军人保障法》,居民身份证,是
B02,优待证申领,20,《退役军人、其他优抚对象优待证管理办法（试行）》,居民身份证,是
B03,医保关系接续,10,《中华人民共和国军人保险法》,居民身份证,是
CSV
	"$VETS" service import "$WORK/catalogue.csv" --db "$DB" >/dev/null
	CLERK=$(sql "$DB" "SELECT id FROM users WHERE username = 'bench_clerk';")
	sh "$ROOT/bench/report_gen.sh" "$YEAR" "$SCALE" "$CLERK" "$([ "$BACKEND" = pg ] && echo pg)" >"$WORK/gen.sql"
	start=$(date +%s%N)
	sql "$DB" <"$WORK/gen.sql" >/dev/null
	load_ms=$(ms "$start")
	start=$(date +%s%N)
	# as a running store has them: SQLite's statistics (vets runs PRAGMA optimize), PostgreSQL's
	# autovacuum after a load
	if [ "$BACKEND" = pg ]; then sql "$DB" "VACUUM ANALYZE;"; else sql "$DB" "ANALYZE;"; fi
	echo "loaded in $load_ms ms, analysed in $(ms "$start") ms"
fi
rows=$(sql "$DB" "SELECT (SELECT count(*) FROM pay_lines) + (SELECT count(*) FROM care_contacts)
	+ (SELECT count(*) FROM care_visits) + (SELECT count(*) FROM applications)
	+ (SELECT count(*) FROM petitions) + (SELECT count(*) FROM placement_cases)
	+ (SELECT count(*) FROM employment_positions) + (SELECT count(*) FROM employment_seekers)
	+ (SELECT count(*) FROM employment_fair_enterprises) + (SELECT count(*) FROM shuangyong_reports)
	+ (SELECT count(*) FROM pufa_exams);")
echo "event rows: $rows (pay lines $(sql "$DB" "SELECT count(*) FROM pay_lines;"), persons $(sql "$DB" "SELECT count(*) FROM persons;"))"
[ "$BACKEND" = sqlite ] && echo "database file: $(du -m "$DB" | cut -f1) MB"

# median_ms N CMD...: the median wall time of N runs of CMD (its output thrown away)
median_ms() {
	rounds=$1
	shift
	for _ in $(seq "$rounds"); do
		t=$(date +%s%N)
		"$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; echo "failed: $*" >&2; }
		ms "$t"
	done | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", a / (b > 0 ? b : 1)}'; }

# ---- the whole report ----
ref_ms=$(median_ms "$ROUNDS" sql "$DB" "SELECT count(*) FROM pay_lines;")
echo "reference: SELECT count(*) FROM pay_lines ($BACKEND shell): $ref_ms ms"
if "$VETS" report --help >/dev/null 2>&1; then
	report_ms=$(median_ms "$ROUNDS" "$VETS" report --year "$YEAR" --format json --db "$DB")
	echo "vets report --year $YEAR --format json: $report_ms ms ($(ratio "$report_ms" "$ref_ms") x the reference)"
	"$VETS" report --year "$YEAR" --format json --db "$DB" >"$WORK/report.json"
fi
kinds=$("$VETS" stats --help | awk '/^  [a-z]/ {print $1}')
total=0
for k in $kinds; do
	t=$(median_ms "$ROUNDS" "$VETS" stats "$k" --year "$YEAR" --db "$DB")
	total=$((total + t))
	printf '  vets stats %-12s %6d ms  (%s x)\n' "$k" "$t" "$(ratio "$t" "$ref_ms")"
	result "report x$SCALE: stats $k" "$t ms" "$ref_ms ms" "$(ratio "$t" "$ref_ms")" ""
done
echo "every set's vets stats, one after the other: $total ms ($(ratio "$total" "$ref_ms") x the reference)"
result "report x$SCALE: every vets stats" "$total ms" "$ref_ms ms" "$(ratio "$total" "$ref_ms")" "< 1000 ms"
[ -z "${report_ms:-}" ] ||
	result "report x$SCALE: vets report json" "$report_ms ms" "$ref_ms ms" "$(ratio "$report_ms" "$ref_ms")" "< 1000 ms"

# ---- each figure's drill-down, first page ----
serve_vets "$DB" --no-jobs --login-throttle 0
curl -s -c "$WORK/jar" -H 'Content-Type: application/json' \
	-d '{"username":"bench_leader","password":"Bench!pass1"}' "$URL/api/v1/session" >/dev/null
COOKIE="vets_session=$(awk '$6 == "vets_session" {print $7}' "$WORK/jar")"
# page_ms PATH: the median of PAGE_ROUNDS requests, after one not counted (its status must be 200)
page_ms() {
	code=$(curl -s -o "$WORK/page.html" -w '%{http_code}' -H "Cookie: $COOKIE" "$URL$1")
	[ "$code" = 200 ] || { echo "GET $1: $code" >&2; echo -1; return; }
	for _ in $(seq "$PAGE_ROUNDS"); do
		curl -s -o /dev/null -w '%{time_total}\n' -H "Cookie: $COOKIE" "$URL$1"
	done | sort -n | awk '{v[NR] = $1} END {printf "%.1f\n", v[int((NR + 1) / 2)] * 1000}'
}
ref_page=$(page_ms /healthz)
echo "reference: GET /healthz: $ref_page ms"
slowest=0
slowest_name=
printf '%-44s %10s %8s\n' "drill-down, first page" "ms" "x ref"
for area in $kinds; do
	"$VETS" stats "$area" --help | grep -q -- '--list' || continue
	keys=$("$VETS" stats "$area" --help | awk '/^  [a-z_]+ +[^ ]+（[^）]*）：/ {print $1}')
	for key in $keys; do
		t=$(page_ms "/$area/stats/list?key=$key&year=$YEAR")
		printf '%-44s %10s %8s\n' "$area/$key" "$t" "$(ratio "$t" "$ref_page")"
		result "report x$SCALE: list $area/$key" "$t ms" "$ref_page ms" "$(ratio "$t" "$ref_page")" "< 50 ms"
		if awk -v a="$t" -v b="$slowest" 'BEGIN {exit !(a > b)}'; then
			slowest=$t
			slowest_name=$area/$key
		fi
	done
done
echo "slowest first page: $slowest_name, $slowest ms ($(ratio "$slowest" "$ref_page") x /healthz)"
kill "$SERVER" 2>/dev/null
wait "$SERVER" 2>/dev/null || true
