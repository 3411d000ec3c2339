#!/bin/sh
# The counter under a district's load: N open applications (100,000 by default; BENCH_N=n for
# another count) received during 2026, today fixed at 2026-12-04. Measured:
# - the overdue list (GET /api/v1/applications?queue=overdue, its first 100 by due day) and the
#   year's statistics (GET /api/v1/counter/stats?year=2026) under load (wrk, 2 threads, 16
#   connections, BENCH_SECONDS (10) s each): p50/p99 and req/s, next to /healthz measured in
#   the same run as the reference. Goal: p99 < 50 ms.
# - the daily deadline job (vets jobs run application.deadlines: ends the 容缺 applications
#   whose supply day passed, each with its step, audit record and message, and flags the
#   overdue) over all of them, as the day's run finds them (yesterday's run flagged what was
#   overdue by then), wall time of the command; the reference is the backend's own shell
#   running the job's two flagging UPDATEs on a copy of the same rows. Goal: < 2 s.
# The applications are written by SQL (masks and blind indexes in place, the sealed values
# left empty: nothing measured opens them), 1 in 7 under 容缺受理 with one material missing,
# BENCH_EXPIRED (200) of those past their supply day; 1 in 20 waiting for 补正.
# At its end, bench/petition.sh runs when it is there (the petitions' half of the issue).
# Both backends: --pg (see lib.sh).
. "$(dirname "$0")/lib.sh"
need wrk curl
N=${BENCH_N:-100000}
EXPIRED=${BENCH_EXPIRED:-200}
TODAY=2026-12-04
NOW=$(date -d "${TODAY}T10:00:00+08:00" +%s)
export VETS_FAKE_NOW=$NOW

DB=$(new_db counter)
"$VETS" init --db "$DB" >/dev/null
echo 'Load!test42' | "$VETS" user add bench --role clerk --password-stdin --db "$DB" >/dev/null
"$VETS" calendar import "$ROOT/data/calendar/2026.csv" --db "$DB" >/dev/null
cat >"$WORK/catalogue.csv" <<'CSV'
事项编码,事项名称,承诺时限,法定依据,材料名称,材料必要
B01,退役报到,5,《中华人民共和国退役军人保障法》,居民身份证,是
B01,退役报到,5,《中华人民共和国退役军人保障法》,退出现役证明,是
B01,退役报到,5,《中华人民共和国退役军人保障法》,近期照片,否
B02,优待证申领,20,《退役军人、其他优抚对象优待证管理办法（试行）》,居民身份证,是
B02,优待证申领,20,《退役军人、其他优抚对象优待证管理办法（试行）》,近期照片,否
B03,医保关系接续,10,《中华人民共和国军人保险法》,居民身份证,是
B03,医保关系接续,10,《中华人民共和国军人保险法》,接收单位证明,否
CSV
"$VETS" service import "$WORK/catalogue.csv" --db "$DB" >/dev/null
ORG=$(sql "$DB" "SELECT id || '|' || region_code FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1;")
USER_ID=$(sql "$DB" "SELECT id FROM users WHERE username = 'bench';")
ITEMS=$(sql "$DB" "SELECT id || ':' || time_limit_days FROM service_items ORDER BY id;" | tr '\n' ' ')

python3 - "$N" "$EXPIRED" "$TODAY" "$ORG" "$USER_ID" "$ITEMS" "$NOW" >"$WORK/load.sql" <<'PY'
import datetime, random, sys
n, expired, today = int(sys.argv[1]), int(sys.argv[2]), datetime.date.fromisoformat(sys.argv[3])
org, region = sys.argv[4].split('|')
user, now = int(sys.argv[5]), int(sys.argv[7])
items = [tuple(map(int, x.split(':'))) for x in sys.argv[6].split()]
rnd = random.Random(12)
alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
def workdays(d, k):
	while k > 0:
		d += datetime.timedelta(days=1)
		if d.weekday() < 5:
			k -= 1
	return d
# yesterday's run flagged what was overdue by then: today's run flags those due yesterday
yesterday = today - datetime.timedelta(days=1)
print('BEGIN;')
rows, mats, partial_left = [], [], expired
for i in range(1, n + 1):
	item, limit = rnd.choice(items)
	# most received in the last six weeks, the rest during the year
	back = rnd.randint(0, 42) if rnd.random() < 0.8 else rnd.randint(43, 330)
	acc = today - datetime.timedelta(days=back)
	due = workdays(acc, limit)
	r = rnd.random()
	status, supply, paused, resume = '已受理', 'NULL', 'NULL', 'NULL'
	if r < 1 / 7:
		status = '容缺受理'
		s = min(workdays(acc, min(5, limit)), due)
		if partial_left > 0 and rnd.random() < 0.2:
			s = today - datetime.timedelta(days=1)
			partial_left -= 1
		elif s < today:
			s = today
		supply = f"'{s}'"
		mats.append(f"({i}, 0, '居民身份证', 1, 1, NULL)")
		mats.append(f"({i}, 1, '近期照片', 0, 0, NULL)")
	elif r < 1 / 7 + 1 / 20:
		status, paused, resume = '补正中', f"'{today - datetime.timedelta(days=rnd.randint(1, 10))}'", "'已受理'"
	code = ''.join(rnd.choice(alphabet) for _ in range(16))
	code = '-'.join(code[k:k + 4] for k in range(0, 16, 4))
	rows.append(f"({i}, '{region}', {org}, {item}, '{code}', '{status}', '申请人{i % 977}', 'b{i:063d}', "
		f"'420106********{i % 10000:04d}', '139****{i % 10000:04d}', {1 if status == '容缺受理' else 0}, "
		f"{1 if status == '容缺受理' else 0}, '{acc}', {limit}, '{due}', 0, {supply}, {paused}, {resume}, {user}, {now}, "
		f"{1 if status != '补正中' and due < yesterday else 0})")
	if len(rows) == 1000 or i == n:
		print('INSERT INTO applications (id, region_code, org_id, item_id, tracking_code, status, name, id_bidx, '
			'id_mask, phone_mask, promise, partial, accepted_on, time_limit_days, due, weekends_only, supply_by, '
			'paused_on, resume_status, clerk_id, created_at, overdue) VALUES\n' + ',\n'.join(rows) + ';')
		rows = []
for k in range(0, len(mats), 1000):
	print('INSERT INTO application_materials (application_id, position, name, essential, handed_in, '
		'supplied_on) VALUES\n' + ',\n'.join(mats[k:k + 1000]) + ';')
print('COMMIT;')
PY
start=$(date +%s%N)
sql "$DB" <"$WORK/load.sql"
echo "loaded $N open applications in $(ms "$start") ms"
[ "$BACKEND" = sqlite ] && sql "$DB" "ANALYZE;" || sql "$DB" "VACUUM ANALYZE;"
sql "$DB" "SELECT status, count(*) FROM applications GROUP BY status ORDER BY status;"
echo "past their supply day: $(sql "$DB" "SELECT count(*) FROM applications WHERE status = '容缺受理' AND supply_by < '$TODAY';")"

# ---- the overdue list and the year's statistics, under load ----
serve_vets "$DB" --no-jobs
curl -s -c "$WORK/jar" -H 'Content-Type: application/json' \
	-d '{"username":"bench","password":"Load!test42"}' "$URL/api/v1/session" >/dev/null
COOKIE="vets_session=$(awk '$6 == "vets_session" {print $7}' "$WORK/jar")"
run() { # LABEL PATH: one line of figures; leaves "p99_ms req/s" in $WORK/last
	wrk -t2 -c16 -d"${BENCH_SECONDS:-10}"s --latency -H "Cookie: $COOKIE" "$URL$2" >"$WORK/wrk.out" 2>&1
	awk -v label="$1" -v last="$WORK/last" '
	function ms(v) { if (v ~ /us$/) { sub(/us/, "", v); return v / 1000 } if (v ~ /ms$/) { sub(/ms/, "", v); return v } sub(/s/, "", v); return v * 1000 }
	/^ +50%/ {p50 = ms($2)} /^ +99%/ {p99 = ms($2)} /Requests\/sec/ {rps = $2} /Non-2xx/ {bad = $5}
	END {printf "%-28s p50 %8.2f ms  p99 %8.2f ms  %8.0f req/s%s\n", label, p50, p99, rps, bad ? "  (non-2xx: " bad ")" : ""
	     printf "%.2f %.0f\n", p99, rps > last}' "$WORK/wrk.out"
}
row() { # NAME GOAL: a result line of the last run against /healthz's figures
	set -- "$1" "$2" $(cat "$WORK/last") $(cat "$WORK/healthz")
	result "$1 p99" "$3 ms" "$5 ms" "$(awk -v a="$3" -v b="$5" 'BEGIN {printf "%.2f", a / b}')" "$2"
	result "$1 req/s" "$4" "$6" "$(awk -v a="$4" -v b="$6" 'BEGIN {printf "%.2f", a / b}')" ""
}
echo "open applications: $N"
run "reference /healthz" "/healthz"
cp "$WORK/last" "$WORK/healthz"
curl -sf -H "Cookie: $COOKIE" "$URL/api/v1/applications?queue=overdue" | python3 -c 'import json, sys; j = json.load(sys.stdin); print("overdue list rows:", j["total"])'
run "overdue list" "/api/v1/applications?queue=overdue"
row "counter $N: overdue list vs /healthz" "p99 < 50 ms"
# the year's figures (with the ratings'): one request alone, then under load
cold=$(curl -sf -o "$WORK/stats.json" -w '%{time_total}' -H "Cookie: $COOKIE" "$URL/api/v1/counter/stats?year=2026")
cat "$WORK/stats.json"
echo
cold_ms=$(awk -v t="$cold" 'BEGIN {printf "%.1f", t * 1000}')
echo "year's statistics, one request alone: $cold_ms ms"
result "counter $N: statistics alone" "$cold_ms ms" "-" "-" "< 50 ms"
run "year's statistics" "/api/v1/counter/stats?year=2026"
row "counter $N: statistics vs /healthz" "p99 < 50 ms"
kill "$SERVER" 2>/dev/null
wait "$SERVER" 2>/dev/null || true

# ---- the daily deadline job over all of them ----
# The reference: the job's two flagging UPDATEs by the backend's own shell, on a copy.
sql "$DB" "CREATE TABLE bench_apps AS SELECT * FROM applications;" >/dev/null
sql "$DB" "CREATE INDEX bench_apps_open ON bench_apps(status, due); CREATE INDEX bench_apps_overdue ON bench_apps(overdue);" >/dev/null
start=$(date +%s%N)
sql "$DB" "BEGIN; UPDATE bench_apps SET overdue = 0 WHERE overdue = 1 AND NOT (status IN ('已受理', '容缺受理') AND due < '$TODAY'); UPDATE bench_apps SET overdue = 1 WHERE status IN ('已受理', '容缺受理') AND due < '$TODAY' AND overdue = 0; COMMIT;" >/dev/null
ref_ms=$(ms "$start")
sql "$DB" "DROP TABLE bench_apps;" >/dev/null
start=$(date +%s%N)
"$VETS" jobs run application.deadlines --db "$DB" >"$WORK/job.out" 2>&1 || { cat "$WORK/job.out" >&2; exit 1; }
job_ms=$(ms "$start")
cat "$WORK/job.out"
echo "daily deadline job over $N: $job_ms ms (reference: the two flagging UPDATEs alone, $ref_ms ms)"
result "counter $N: daily deadline job" "$job_ms ms" "$ref_ms ms" \
	"$(awk -v a="$job_ms" -v b="$ref_ms" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')" "< 2000 ms"
echo "ended: $(sql "$DB" "SELECT count(*) FROM applications WHERE status = '已终止';"), flagged overdue: $(sql "$DB" "SELECT count(*) FROM applications WHERE overdue = 1;")"

# ---- the petitions' half, when it is there ----
if [ -f "$ROOT/bench/petition.sh" ]; then
	BENCH_DB=$BACKEND sh "$ROOT/bench/petition.sh"
fi
