#!/bin/sh
# Prints the SQL that fills a database made by `vets init` with a province-size year of records
# for bench/report.sh: the same text for SQLite (the sqlite3 shell) and PostgreSQL (psql), one
# transaction, every row made by INSERT … SELECT from a table of numbers (no row goes through
# the shell). Usage: bench/report_gen.sh YEAR SCALE CLERK_ID [pg]
#   YEAR      the year of the records (a few rows fall in the year before, as a real store has)
#   SCALE     1 = a province's year (about 10^7 event rows); 0.01 for a quick run
#   CLERK_ID  the users.id that recorded the rows (created_by, clerk_id)
#   pg        add the statements PostgreSQL needs after explicit ids (the identities' next value)
# Rows, at SCALE 1 (each count × SCALE, rounded):
#   regions     1 district, 200 streets, 10 communities each (not scaled)
#   persons     1,000,000 (names of two or three characters, spread over the communities)
#   entitlements, pay batches, pay lines: 670,000 people paid every month of the year: 8,040,000
#               lines in 60 approved batches (5 benefits × 12 months), 1 in 200 failed
#   care        200,000 plans (monthly, quarterly, half-yearly, yearly), 1,000,000 contacts,
#               300,000 holiday visits (春节, 八一), 60,000 困难走访
#   counter     1,000,000 applications (most 办结, some open, some 容缺)
#   petitions   50,000
#   placement   20,000 cases (1 in 10 军转干部), the year's plan
#   employment  300 fairs, 20,000 enterprises, 60,000 attendances, 200,000 positions, 50,000 seekers
#   双拥/普法    2,000 activities, 6,000 reports, 2,000 events, 5,000 brochures, 10,000 exam rows
# Dates are spread over the year by a fixed rule (row number × a prime, modulo 365): the same
# database every run.
set -eu
Y=$1
S=$2
CLERK=$3
PG=${4:-}
n() { awk -v n="$1" -v s="$S" 'BEGIN {v = int(n * s + 0.5); print v < 1 ? 1 : v}'; }
P=$(n 1000000)
E=$(n 670000)
PLANS=$(n 200000)
CONTACTS=$(n 1000000)
HOLIDAY=$(n 300000)
TEMP=$(n 60000)
APPS=$(n 1000000)
PET=$(n 50000)
PLACE=$(n 20000)
FAIRS=$(n 300)
ENT=$(n 20000)
ATTEND=$(n 60000)
POS=$(n 200000)
SEEK=$(n 50000)
ACT=$(n 2000)
REP=$(n 6000)
EVENTS=$(n 2000)
BROCH=$(n 5000)
EXAMS=$(n 10000)
PY=$((Y - 1))
# the biggest count a numbers table must reach
MAXN=$(printf '%s\n' "$P" "$CONTACTS" "$APPS" 1000 | sort -n | tail -1)

# Days of the year and the one before, numbered from 0 (YEAR-01-01) back to -365.
days() {
	first=1
	printf 'INSERT INTO bench_days (d, day) VALUES\n'
	for d in $(seq -365 365); do
		day=$(date -u -d "$Y-01-01 $d days" +%F)
		case $day in "$Y"-* | "$PY"-*) ;; *) continue ;; esac
		[ $first = 1 ] || printf ',\n'
		first=0
		printf "(%d, '%s')" "$d" "$day"
	done
	printf ';\n'
}

cat <<SQL
BEGIN;
CREATE TABLE bench_n (i INTEGER PRIMARY KEY);
INSERT INTO bench_n (i) WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < $MAXN)
	SELECT i FROM r;
CREATE TABLE bench_days (d INTEGER PRIMARY KEY, day TEXT NOT NULL);
$(days)
CREATE TABLE bench_benefits (b INTEGER PRIMARY KEY, code TEXT NOT NULL);
INSERT INTO bench_benefits (b, code) VALUES (0, 'LIVING'), (1, 'DISABILITY'), (2, 'SURVIVOR'),
	(3, 'CONSCRIPT'), (4, 'PLACEMENT_WAIT');
CREATE TABLE bench_surnames (k INTEGER PRIMARY KEY, s TEXT NOT NULL);
INSERT INTO bench_surnames (k, s) VALUES (0, '王'), (1, '李'), (2, '张'), (3, '刘'), (4, '陈'),
	(5, '杨'), (6, '黄'), (7, '赵'), (8, '吴'), (9, '周'), (10, '徐'), (11, '孙'), (12, '马'),
	(13, '朱'), (14, '胡'), (15, '郭');

-- 200 streets of 10 communities: codes 420199SSS and 420199SSSCCC
INSERT INTO regions (code, name, parent_code, level, region_code)
	VALUES ('420199', '基准区', NULL, 'district', '420199');
INSERT INTO regions (code, name, parent_code, level, region_code)
	SELECT '420199' || substr(CAST(1000 + i AS TEXT), 2, 3), '街道' || i, '420199', 'street',
		'420199' || substr(CAST(1000 + i AS TEXT), 2, 3)
	FROM bench_n WHERE i <= 200;
INSERT INTO regions (code, name, parent_code, level, region_code)
	SELECT s.code || substr(CAST(1000 + c.i AS TEXT), 2, 3), s.name || '社区' || c.i, s.code,
		'community', s.code || substr(CAST(1000 + c.i AS TEXT), 2, 3)
	FROM regions s, bench_n c WHERE s.level = 'street' AND c.i <= 10;
-- community k (0-1999) of person i is (i * 7) % 2000
CREATE TABLE bench_places (k INTEGER PRIMARY KEY, street TEXT NOT NULL, community TEXT NOT NULL);
INSERT INTO bench_places (k, street, community)
	SELECT (CAST(substr(code, 7, 3) AS INTEGER) - 1) * 10 + CAST(substr(code, 10, 3) AS INTEGER) - 1,
		parent_code, code FROM regions WHERE level = 'community';

INSERT INTO persons (id, region_code, name, id_enc, id_bidx, id_mask, sex, birth_date, street_code,
		community_code, status, status_date, created_at, created_by, updated_at)
	SELECT n.i, pl.community, sn.s || CASE WHEN n.i % 3 = 0 THEN '建国' ELSE '军' END,
		'', 'bench' || n.i, '420199********' || substr(CAST(10000 + n.i % 10000 AS TEXT), 2, 4),
		CASE WHEN n.i % 9 = 0 THEN '女' ELSE '男' END,
		CAST(1930 + n.i % 70 AS TEXT) || '-06-15', pl.street, pl.community,
		CASE WHEN n.i % 97 = 0 THEN '死亡' ELSE '在册' END,
		CASE WHEN n.i % 97 = 0 THEN '$Y-10-01' END, 0, $CLERK, 0
	FROM bench_n n JOIN bench_places pl ON pl.k = (n.i * 7) % 2000
	JOIN bench_surnames sn ON sn.k = n.i % 16
	WHERE n.i <= $P;

-- benefits: person i (i <= E) has benefit (i % 20): 0-9 定期生活补助, 10-14 残疾, 15-17 定期抚恤,
-- 18 义务兵家庭优待金, 19 定期生活补助 but 待安置期生活费 when i % 200 = 199 (a few thousand
-- soldiers waiting for a post: 0.5 %)
INSERT INTO entitlements (id, person_id, benefit_code, region_code, category, start_month, status,
		created_at, created_by, confirmed_at)
	SELECT p.id, p.id, b.code, p.region_code, '', '$PY-01', '正常', 0, $CLERK, 0
	FROM persons p JOIN bench_benefits b ON b.b = CASE WHEN p.id % 20 < 10 THEN 0
		WHEN p.id % 20 < 15 THEN 1 WHEN p.id % 20 < 18 THEN 2 WHEN p.id % 20 = 18 THEN 3 WHEN p.id % 200 = 199 THEN 4 ELSE 0 END
	WHERE p.id <= $E;
INSERT INTO pay_batches (id, period, benefit_code, status, lines, amount_fen, paid_lines, through,
		created_at, created_by, created_name, reviewed_at, reviewed_name, approved_at,
		approved_name, region_code)
	SELECT (m.i - 1) * 5 + b.b + 1, '$Y-' || substr(CAST(100 + m.i AS TEXT), 2, 2), b.code, '已审批', 0, 0, 0,
		'$Y-' || substr(CAST(100 + m.i AS TEXT), 2, 2), 0, $CLERK, 'bench', 0, 'bench', 0, 'bench', '420199'
	FROM bench_n m, bench_benefits b WHERE m.i <= 12;
INSERT INTO pay_lines (id, batch_id, entitlement_id, person_id, benefit_code, month, kind, amount_fen,
		status, fail_reason, region_code, street_code)
	SELECT (m.i - 1) * $E + e.id, (m.i - 1) * 5 + b.b + 1, e.id, e.person_id, e.benefit_code,
		'$Y-' || substr(CAST(100 + m.i AS TEXT), 2, 2), 'regular', 50000 + (e.id % 7) * 10000,
		CASE WHEN (e.id + m.i) % 200 = 0 THEN '失败' ELSE '已发' END,
		CASE WHEN (e.id + m.i) % 200 = 0 THEN '账户已销户' END, e.region_code,
		substr(e.region_code, 1, 9)
	FROM bench_n m, entitlements e JOIN bench_benefits b ON b.code = e.benefit_code
	WHERE m.i <= 12;
UPDATE pay_batches SET lines = (SELECT count(*) FROM pay_lines l WHERE l.batch_id = pay_batches.id),
	amount_fen = (SELECT coalesce(sum(l.amount_fen), 0) FROM pay_lines l WHERE l.batch_id = pay_batches.id);

-- care: plan i for person (i * 5) % P + 1; contact j of plan (j % PLANS) + 1
INSERT INTO care_plans (id, person_id, region_code, months, since, contact_person, reason, created_at,
		created_by)
	SELECT n.i, p.id, p.region_code, CASE n.i % 4 WHEN 0 THEN 1 WHEN 1 THEN 3 WHEN 2 THEN 6 ELSE 12 END,
		'$PY-03-01', '联系人' || n.i % 50, '', 0, $CLERK
	FROM bench_n n JOIN persons p ON p.id = (n.i * 5) % $P + 1 WHERE n.i <= $PLANS;
INSERT INTO care_contacts (id, plan_id, person_id, region_code, contacted_on, method, by_name,
		created_at, created_by)
	SELECT n.i, c.id, c.person_id, c.region_code, d.day, '电话', '联系人', 0, $CLERK
	FROM bench_n n JOIN care_plans c ON c.id = n.i % $PLANS + 1
	JOIN bench_days d ON d.d = (n.i * 13) % 365
	WHERE n.i <= $CONTACTS;
INSERT INTO care_visits (id, person_id, region_code, kind, visited_on, visitors, money, created_at,
		created_by)
	SELECT n.i, p.id, p.region_code, CASE WHEN n.i % 2 = 0 THEN '春节慰问' ELSE '八一慰问' END,
		d.day, '街道工作人员', 50000, 0, $CLERK
	FROM bench_n n JOIN persons p ON p.id = (n.i * 3) % $P + 1
	JOIN bench_days d ON d.d = CASE WHEN n.i % 2 = 0 THEN 20 + n.i % 15 ELSE 200 + n.i % 12 END
	WHERE n.i <= $HOLIDAY;
INSERT INTO care_visits (id, person_id, region_code, kind, visited_on, visitors, money, created_at,
		created_by)
	SELECT $HOLIDAY + n.i, p.id, p.region_code, '困难走访', d.day, '街道工作人员', 100000, 0, $CLERK
	FROM bench_n n JOIN persons p ON p.id = (n.i * 11) % $P + 1
	JOIN bench_days d ON d.d = (n.i * 17) % 365
	WHERE n.i <= $TEMP;

-- the counter: application j received on day (j * 7) % 365 (1 in 20 the year before), due 14 days later
INSERT INTO applications (id, region_code, org_id, item_id, tracking_code, status, name, id_bidx,
		id_mask, phone_mask, promise, partial, accepted_on, time_limit_days, due, supply_by,
		closed_on, clerk_id, created_at)
	SELECT n.i, pl.street, 1, (SELECT min(id) FROM service_items) + n.i % 3, 'BENCH-' || n.i,
		CASE WHEN n.i % 20 < 17 THEN '已办结' WHEN n.i % 20 = 17 THEN '容缺受理'
			WHEN n.i % 20 = 18 THEN '已受理' ELSE '不予受理' END,
		'申请人' || n.i % 977, 'a' || n.i, '420199********0000', '139****0000',
		CASE WHEN n.i % 20 = 17 OR n.i % 40 = 3 THEN 1 ELSE 0 END,
		CASE WHEN n.i % 20 = 17 OR n.i % 40 = 3 THEN 1 ELSE 0 END,
		d.day, 10, d2.day, CASE WHEN n.i % 20 = 17 THEN d2.day END,
		CASE WHEN n.i % 20 < 17 OR n.i % 20 = 19 THEN d1.day END, $CLERK, 0
	FROM bench_n n JOIN bench_places pl ON pl.k = (n.i * 3) % 2000
	JOIN bench_days d ON d.d = CASE WHEN n.i % 20 = 5 THEN -1 - (n.i * 7) % 365 ELSE (n.i * 7) % 351 END
	JOIN bench_days d1 ON d1.d = d.d + n.i % 13
	JOIN bench_days d2 ON d2.d = d.d + 14
	WHERE n.i <= $APPS;

-- petitions: received on day (j * 11) % 335, most accepted, closed and replied within weeks
INSERT INTO petitions (id, code, region_code, org_id, source, status, name, subject, content,
		received_on, decide_by, accepted, decided_on, due_on, closed_on, close_days, replied_on,
		created_at, created_by)
	SELECT n.i, 'XF-$Y-' || n.i, pl.street, 1,
		CASE n.i % 5 WHEN 0 THEN '来信' WHEN 1 THEN '来访' WHEN 2 THEN '来电' WHEN 3 THEN '网上信访' ELSE '区长信箱' END,
		CASE WHEN n.i % 10 < 7 THEN '已答复' WHEN n.i % 10 = 7 THEN '已办结' WHEN n.i % 10 = 8 THEN '办理中' ELSE '不予受理' END,
		'来信人' || n.i % 977, '事项' || n.i % 31, '', d.day, d15.day,
		CASE WHEN n.i % 10 = 9 THEN 0 ELSE 1 END, d3.day,
		CASE WHEN n.i % 10 = 9 THEN NULL ELSE d30.day END,
		CASE WHEN n.i % 10 < 8 THEN d20.day END, CASE WHEN n.i % 10 < 8 THEN 17 END,
		CASE WHEN n.i % 10 < 7 THEN d20.day END, 0, $CLERK
	FROM bench_n n JOIN bench_places pl ON pl.k = (n.i * 13) % 2000
	JOIN bench_days d ON d.d = (n.i * 11) % 335
	JOIN bench_days d3 ON d3.d = d.d + 3 JOIN bench_days d15 ON d15.d = d.d + 15
	JOIN bench_days d20 ON d20.d = d.d + 20 JOIN bench_days d30 ON d30.d = d.d + 30
	WHERE n.i <= $PET;

-- placement: case i for person (i * 50) % P + 1 (distinct), placed and insured during the year
INSERT INTO placement_cases (id, person_id, region_code, kind, plan_year, method, discharged_on,
		status, placed_on, employer, medical_on, created_at, created_by)
	SELECT n.i, p.id, p.region_code, CASE WHEN n.i % 10 = 0 THEN '军转干部' ELSE '退役士兵' END, $Y,
		CASE WHEN n.i % 10 = 0 THEN '安排工作' ELSE '自主就业' END, '$PY-12-01',
		CASE WHEN n.i % 8 = 0 THEN '办理中' ELSE '已安置' END,
		CASE WHEN n.i % 8 = 0 THEN NULL ELSE d.day END, '接收单位' || n.i % 300,
		CASE WHEN n.i % 3 = 0 THEN NULL ELSE d.day END, 0, $CLERK
	FROM bench_n n JOIN persons p ON p.id = (n.i * 50) % $P + 1
	JOIN bench_days d ON d.d = (n.i * 7) % 365
	WHERE n.i <= $PLACE;
INSERT INTO placement_plans (year, officers, soldiers, note, region_code, created_by, updated_at)
	VALUES ($Y, $((PLACE / 10)), $((PLACE - PLACE / 10)), '', '420199', $CLERK, 0);

-- employment
INSERT INTO employment_fairs (id, name, kind, held_on, place, region_code, created_at, created_by,
		created_name, updated_at, updated_name)
	SELECT n.i, '招聘会' || n.i, CASE WHEN n.i % 3 = 0 THEN '线上' ELSE '线下' END, d.day, '会场',
		'420199', 0, $CLERK, 'bench', 0, 'bench'
	FROM bench_n n JOIN bench_days d ON d.d = (n.i * 7) % 365 WHERE n.i <= $FAIRS;
INSERT INTO employment_enterprises (id, uscc, name, street_code, region_code, created_at, created_by,
		created_name)
	SELECT n.i, '91420199' || substr(CAST(10000000000 + n.i AS TEXT), 2, 10), '企业' || n.i,
		pl.street, '420199', 0, $CLERK, 'bench'
	FROM bench_n n JOIN bench_places pl ON pl.k = (n.i * 7) % 2000 WHERE n.i <= $ENT;
INSERT INTO employment_fair_enterprises (fair_id, enterprise_id, region_code)
	SELECT n.i % $FAIRS + 1, n.i % $ENT + 1, '420199' FROM bench_n n WHERE n.i <= $ATTEND
	AND n.i <= $FAIRS * $ENT;
INSERT INTO employment_positions (id, fair_id, enterprise_id, title, headcount, region_code,
		created_at, created_by)
	SELECT n.i, n.i % $ATTEND % $FAIRS + 1, n.i % $ATTEND % $ENT + 1, '岗位' || n.i, 1 + n.i % 5,
		'420199', 0, $CLERK
	FROM bench_n n WHERE n.i <= $POS;
INSERT INTO employment_seekers (id, person_id, region_code, street_code, intention, registered_on,
		status, hired_on, created_at, created_by, created_name, updated_at, updated_name)
	SELECT n.i, p.id, p.region_code, p.street_code, '普工', d.day,
		CASE WHEN n.i % 3 = 0 THEN '已就业' ELSE '求职中' END,
		CASE WHEN n.i % 3 = 0 THEN d2.day END, 0, $CLERK, 'bench', 0, 'bench'
	FROM bench_n n JOIN persons p ON p.id = (n.i * 19) % $P + 1
	JOIN bench_days d ON d.d = (n.i * 7) % 300 JOIN bench_days d2 ON d2.d = d.d + 40
	WHERE n.i <= $SEEK;

-- 双拥 and 普法
INSERT INTO shuangyong_activities (id, region_code, held_on, kind, units, place, created_at, created_by)
	SELECT n.i, pl.street, d.day, '走访慰问部队', '驻区部队', '营区', 0, $CLERK
	FROM bench_n n JOIN bench_places pl ON pl.k = (n.i * 7) % 2000
	JOIN bench_days d ON d.d = (n.i * 7) % 300 WHERE n.i <= $ACT;
INSERT INTO shuangyong_reports (id, activity_id, region_code, medium, published_on, title, created_at,
		created_by)
	SELECT n.i, a.id, a.region_code, '区融媒体中心', d.day, '报道' || n.i, 0, $CLERK
	FROM bench_n n JOIN shuangyong_activities a ON a.id = n.i % $ACT + 1
	JOIN bench_days d ON d.day = a.held_on WHERE n.i <= $REP;
INSERT INTO pufa_events (id, region_code, held_on, kind, audience, people, created_at, created_by)
	SELECT n.i, pl.street, d.day, '国家宪法日', '退役军人', 50, 0, $CLERK
	FROM bench_n n JOIN bench_places pl ON pl.k = (n.i * 7) % 2000
	JOIN bench_days d ON d.d = (n.i * 7) % 365 WHERE n.i <= $EVENTS;
INSERT INTO pufa_brochures (id, region_code, handed_on, title, copies, recipient, created_at, created_by)
	SELECT n.i, pl.street, d.day, '退役军人保障法', 100, '服务站', 0, $CLERK
	FROM bench_n n JOIN bench_places pl ON pl.k = (n.i * 7) % 2000
	JOIN bench_days d ON d.d = (n.i * 7) % 365 WHERE n.i <= $BROCH;
INSERT INTO pufa_exams (id, region_code, year, staff_name, org_name, should_take, took, score,
		created_at, created_by)
	SELECT n.i, pl.street, $Y, '工作人员' || n.i, '单位' || n.i % 97, 1,
		CASE WHEN n.i % 50 = 0 THEN 0 ELSE 1 END, CASE WHEN n.i % 50 = 0 THEN NULL ELSE 60 + n.i % 41 END,
		0, $CLERK
	FROM bench_n n JOIN bench_places pl ON pl.k = (n.i * 7) % 2000 WHERE n.i <= $EXAMS;

DROP TABLE bench_places;
DROP TABLE bench_surnames;
DROP TABLE bench_benefits;
DROP TABLE bench_days;
DROP TABLE bench_n;
COMMIT;
SQL

[ "$PG" = pg ] || exit 0
# explicit ids leave the identities behind: the next row vets writes takes the next number
for t in persons entitlements pay_batches pay_lines care_plans care_contacts care_visits applications \
	petitions placement_cases employment_fairs employment_enterprises employment_positions \
	employment_seekers shuangyong_activities shuangyong_reports pufa_events pufa_brochures pufa_exams; do
	echo "SELECT setval(pg_get_serial_sequence('$t', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM $t), false);"
done
