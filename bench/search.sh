#!/bin/sh
# Search latency of /api/v1/persons under concurrent load (wrk, 2 threads, 16 connections,
# 10 s each) with N people (1,000,000 by default; --small for 100,000): by full ID number
# (blind index), by a name prefix of two characters, and by a street filter; p50/p99 and
# req/s of each, next to /healthz measured in the same run as the reference; and the
# server's peak RSS. Goals: ID lookup p99 < 2 ms, list pages p99 < 20 ms.
. "$(dirname "$0")/lib.sh"
need wrk curl time
N=1000000
[ "${1:-}" = "--small" ] && N=100000
python3 "$ROOT/bench/gen_people.py" "$N" "$WORK/people.csv" "$WORK/regions.csv"
"$VETS" init --db "$WORK/s.db" >/dev/null
"$VETS" region import "$WORK/regions.csv" --db "$WORK/s.db" >/dev/null
echo 'Search!pass1' | "$VETS" user add searcher --role clerk --password-stdin --db "$WORK/s.db" >/dev/null
/usr/bin/time -f '%M' -o "$WORK/import.rss" "$VETS" import persons "$WORK/people.csv" --db "$WORK/s.db" >/dev/null 2>&1
PORT=$(free_port)
"$VETS" serve --db "$WORK/s.db" --listen "127.0.0.1:$PORT" 2>/dev/null &
PIDS="$PIDS $!"
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -s -c "$WORK/jar" -H 'Content-Type: application/json' \
	-d '{"username":"searcher","password":"Search!pass1"}' "http://127.0.0.1:$PORT/api/v1/session" >/dev/null
COOKIE="vets_session=$(awk '$6 == "vets_session" {print $7}' "$WORK/jar")"
ID=$(sed -n 2p "$WORK/people.csv" | cut -d, -f2)
NAME2=$(sed -n 2p "$WORK/people.csv" | cut -d, -f1 | cut -c1-6) # two characters of UTF-8
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }

run() { # label path
	wrk -t2 -c16 -d"${BENCH_SECONDS:-10}"s --latency -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT$2" >"$WORK/wrk.out" 2>&1
	awk -v label="$1" '
	function ms(v) { if (v ~ /us$/) { sub(/us/, "", v); return v / 1000 } if (v ~ /ms$/) { sub(/ms/, "", v); return v } sub(/s/, "", v); return v * 1000 }
	/^ +50%/ {p50 = ms($2)} /^ +99%/ {p99 = ms($2)} /Requests\/sec/ {rps = $2} /Non-2xx/ {bad = $5}
	END {printf "%-28s p50 %8.2f ms  p99 %8.2f ms  %8.0f req/s%s\n", label, p50, p99, rps, bad ? "  (non-2xx: " bad ")" : ""}' "$WORK/wrk.out"
}
echo "people: $N"
run "reference /healthz" "/healthz"
run "by full ID number" "/api/v1/persons?q=$ID"
run "by name (2 characters)" "/api/v1/persons?q=$(enc "$NAME2")"
run "by street filter" "/api/v1/persons?street=$(enc 街道07)"
server=$(pgrep -f "^$VETS serve --db $WORK/s.db" | head -1)
serve_kib=$(awk '/^VmHWM/ {print $2}' "/proc/$server/status")
kill "$server" 2>/dev/null
sleep 1
echo "peak RSS: import $(( $(cat "$WORK/import.rss") / 1024 )) MiB, server under the search load $(( serve_kib / 1024 )) MiB"
