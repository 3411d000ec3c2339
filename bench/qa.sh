#!/bin/sh
# 智能问答 on the portal over a base of 1,000 entries: the 64 of data/qa/base.csv and 936
# synthetic ones (topics × kinds of question, each with phrasings, as a district's base grows).
# Measured under wrk (2 threads, 64 connections, BENCH_SECONDS (10) s each): GET /qa?q=… for a
# question the base answers (the best answer in full and related questions) and for one it does
# not (the page with the form that leaves it), p99 and req/s, next to /healthz measured in the
# same run as the reference. Goal: p99 < 10 ms. Not part of the test run.
# Both backends: --pg (see lib.sh).
. "$(dirname "$0")/lib.sh"
need wrk curl

DB=$(new_db qa)
"$VETS" init --db "$DB" >/dev/null
python3 - "$ROOT/data/qa/base.csv" >"$WORK/qa1000.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8')))
out = csv.writer(sys.stdout, lineterminator='\n')
for r in rows:
	out.writerow(r)
topics = ['优待证', '抚恤金', '残疾评定', '退役报到', '自主就业', '安置', '医保接续', '养老保险', '优抚体检',
	  '光荣牌', '烈士褒扬', '军休服务', '创业贷款', '职业培训', '子女入学', '住房保障', '年度确认', '信访',
	  '服务站', '法律援助', '心理服务', '临时救助', '招聘会', '学历提升', '党组织关系', '户口迁移']
kinds = [('需要哪些材料', '所需材料'), ('在哪里办理', '办理地点'), ('办理时限是多久', '时限'),
	 ('有什么条件', '条件'), ('费用是多少', '收费'), ('可以网上办吗', '网上办理'),
	 ('能委托别人代办吗', '委托代办'), ('办理进度怎么查', '进度'), ('材料不全怎么办', '容缺'),
	 ('外地户籍能办吗', '异地'), ('节假日能办吗', '节假日'), ('需要本人到场吗', '本人到场'),
	 ('多久能拿到结果', '结果'), ('政策依据是什么', '依据'), ('办错了怎么更正', '更正'),
	 ('去世后家属怎么办', '家属'), ('农村户籍有区别吗', '农村'), ('老年人有绿色通道吗', '绿色通道'),
	 ('残疾人能上门办吗', '上门'), ('对结果不服怎么办', '复核'), ('有没有补贴', '补贴'),
	 ('每年要办几次', '次数'), ('怎么预约', '预约'), ('可以加急吗', '加急'), ('要交照片吗', '照片'),
	 ('电话多少', '电话'), ('需要体检吗', '体检'), ('在手机上怎么办', '手机'), ('有什么注意事项', '注意'),
	 ('部队开的证明能用吗', '部队证明'), ('军属可以代办吗', '军属代办'), ('丢了证明怎么补', '补证明'),
	 ('退休后还能办吗', '退休'), ('换了地址怎么改', '改地址'), ('有年龄限制吗', '年龄'), ('结果怎么通知', '通知')]
n = 0
for t in topics:
	for q, short in kinds:
		if n >= 936:
			break
		n += 1
		out.writerow([f'S{n:04d}', f'{t}{q}？',
			      f'关于{t}的{short}：请携带身份证和退役证件到户籍地服务站咨询，工作人员会一次告知。'
			      f'本条为第 {n} 号示例条目。',
			      f'{t}{short}；{short}{t}；{t}的{short}问题'])
PY
"$VETS" qa import "$WORK/qa1000.csv" --db "$DB" >/dev/null
PORTAL_PORT=$(free_port)
# the page cache off: every request goes through the matcher
serve_vets "$DB" --no-jobs --portal "127.0.0.1:$PORTAL_PORT" --portal-cache 0
PORTAL="http://127.0.0.1:$PORTAL_PORT"
q() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
HIT="$PORTAL/qa?q=$(q '退伍以后医疗保险怎么转过来')"
MISS="$PORTAL/qa?q=$(q '明天的天气怎么样')"
curl -sf "$HIT" | grep -q '相关问题' || { echo "the portal did not answer /qa" >&2; exit 1; }
curl -sf "$MISS" | grep -q '暂时没有找到' || { echo "the portal did not fall through" >&2; exit 1; }

set -- $(wrk_run "$URL/healthz")
ref_rps=$1 ref_p99=$2
for which in HIT MISS; do
	eval url=\$$which
	set -- $(wrk_run "$url")
	name="qa 1000 entries: /qa?q= ($( [ $which = HIT ] && echo answered || echo fallback))"
	echo "$name: p99 $2 ms, $1 req/s; /healthz p99 $ref_p99 ms, $ref_rps req/s"
	result "$name p99" "$2 ms" "$ref_p99 ms" "$(awk -v a="$2" -v b="$ref_p99" 'BEGIN {printf "%.2f", a / b}')" "< 10 ms"
	result "$name req/s" "$1" "$ref_rps" "$(awk -v a="$1" -v b="$ref_rps" 'BEGIN {printf "%.2f", a / b}')" ""
done
