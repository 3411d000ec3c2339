#!/bin/sh
# Payment batch speed: N entitled people (1,000,000 by default; --small for 100,000),
# registered through `vets import persons` (so every account is really encrypted), each
# entitled to 定期生活补助. Timed: `vets pay generate` of one month (entitlements,
# standards, pauses, failed lines, back pay, funeral sums, the unique keys) and
# `vets pay export` of its bank file (every account decrypted, CSV written), against
# the sqlite3 shell's bare INSERT … SELECT of one row per person into a table with the
# same unique key, in the same run. Prints both ratios and the peak RSS of each step.
# Goal: within 3x, peak RSS under 200 MB.
. "$(dirname "$0")/lib.sh"
need sqlite3 time
N=1000000
[ "${1:-}" = "--small" ] && N=100000
python3 "$ROOT/bench/gen_people.py" "$N" "$WORK/people.csv" "$WORK/regions.csv"
DB="$WORK/b.db"
"$VETS" init --db "$DB" >/dev/null
"$VETS" region import "$WORK/regions.csv" --db "$DB" >/dev/null
"$VETS" import persons "$WORK/people.csv" --db "$DB" >/dev/null 2>&1
for u in reviewer approver; do
	echo 'Bench!pass1' | "$VETS" user add "b_$u" --role "$u" --password-stdin --db "$DB" >/dev/null
done
sqlite3 "$DB" <<'SQL'
BEGIN;
INSERT INTO person_identities (person_id, region_code, category)
	SELECT id, region_code, '在乡复员军人' FROM persons;
INSERT INTO benefit_standards (benefit_code, category, effective_from, national_fen, local_fen,
	status, approved_seq, proposed_name, proposed_at, decided_name, region_code)
	VALUES ('LIVING', '在乡复员军人', '2025-01-01', 2400000, 240000, '已生效', 1, 'bench', 0,
		'bench', '420199');
INSERT INTO entitlements (person_id, benefit_code, region_code, category, start_month, status,
	created_at, confirmed_at)
	SELECT id, 'LIVING', region_code, '在乡复员军人', '2025-01', '正常', 0, 0 FROM persons;
-- paid up to 2025-12 already
INSERT INTO pay_batches (period, benefit_code, status, through, standard_seq, created_at,
	created_name, region_code) VALUES ('2025-12', 'LIVING', '已审批', '2025-12', 1, 0, 'bench',
	'420199');
COMMIT;
SQL

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
sync
start=$(date +%s%N)
/usr/bin/time -f '%M' -o "$WORK/gen.rss" "$VETS" pay generate --period 2026-01 --benefit LIVING \
	--db "$DB" >"$WORK/gen.out"
gen_ms=$(ms "$start")
batch=$(sed -n 's/^批次 \([0-9]*\)：.*/\1/p' "$WORK/gen.out")
echo 'Bench!pass1' | "$VETS" pay review "$batch" --as b_reviewer --password-stdin --db "$DB" >/dev/null
echo 'Bench!pass1' | "$VETS" pay approve "$batch" --as b_approver --password-stdin --db "$DB" >/dev/null
start=$(date +%s%N)
/usr/bin/time -f '%M' -o "$WORK/export.rss" "$VETS" pay export "$batch" "$WORK/bank.csv" --db "$DB" >/dev/null
export_ms=$(ms "$start")

# The reference: the same row per person (the columns of a payment line) into a plain
# table with the same unique key, nothing looked up, checked or indexed besides.
sqlite3 "$WORK/plain.db" <<SQL
CREATE TABLE lines (id INTEGER PRIMARY KEY, batch_id INTEGER, entitlement_id INTEGER,
	person_id INTEGER, benefit_code TEXT, month TEXT, kind TEXT, standard_id INTEGER,
	amount_fen INTEGER, status TEXT, region_code TEXT, street_code TEXT,
	UNIQUE (person_id, benefit_code, month));
SQL
sync
start=$(date +%s%N)
sqlite3 "$WORK/plain.db" "ATTACH '$DB' AS v; INSERT INTO lines (batch_id, entitlement_id,
	person_id, benefit_code, month, kind, standard_id, amount_fen, status, region_code,
	street_code) SELECT 2, id, person_id, benefit_code, '2026-01', 'regular', 1, 220000, '待发',
	region_code, substr(region_code, 1, 9) FROM v.entitlements;"
shell_ms=$(ms "$start")

cat "$WORK/gen.out"
awk -v n="$N" -v g="$gen_ms" -v e="$export_ms" -v s="$shell_ms" -v grss="$(cat "$WORK/gen.rss")" \
	-v erss="$(cat "$WORK/export.rss")" -v lines="$(($(wc -l <"$WORK/bank.csv") - 1))" 'BEGIN {
	printf "entitled people: %d, bank file lines: %d\n", n, lines
	printf "vets pay generate:       %6d ms  peak RSS %.1f MiB\n", g, grss / 1024
	printf "vets pay export (bank):  %6d ms  peak RSS %.1f MiB\n", e, erss / 1024
	printf "sqlite3 INSERT … SELECT: %6d ms\n", s
	printf "ratio generate / sqlite3:          %.2f (goal <= 3)\n", g / s
	printf "ratio generate + bank / sqlite3:   %.2f\n", (g + e) / s
}'
