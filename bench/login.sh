#!/bin/sh
# Logins per second through POST /api/v1/session, and the cost of one password
# hash (PBKDF2-HMAC-SM3 at the iteration count vets uses) measured in the same run.
# The reference: the logins/s two cores could do if a login were nothing but the hash.
# The same on both backends (--pg, see lib.sh): each login also writes its session (on
# PostgreSQL a commit that waits for its WAL flush).
. "$(dirname "$0")/lib.sh"
need wrk curl
start_vets

iterations=$(grep -o 'PASSWORD_ITERATIONS [0-9]*' "$ROOT/src/lib/crypto.c" | awk '{print $2}')
# Cost of one hash, through OpenSSL's PBKDF2 with SM3 as vets calls it: 20 hashes, timed.
start=$(date +%s%N)
for _ in $(seq 20); do
	openssl kdf -keylen 32 -kdfopt digest:SM3 -kdfopt pass:Load!test42 \
		-kdfopt hexsalt:00112233445566778899aabbccddeeff -kdfopt iter:"$iterations" PBKDF2 >/dev/null
done
end=$(date +%s%N)
hash_ms=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", (b - a) / 20 / 1e6}')

cat >"$WORK/login.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"username":"bench","password":"Load!test42"}'
wrk.headers["Content-Type"] = "application/json"
LUA
set -- $(wrk_run "http://127.0.0.1:$PORT/api/v1/session" -c4 -s "$WORK/login.lua")
echo "PBKDF2-HMAC-SM3 iterations: $iterations"
echo "cost per hash (openssl kdf, one core): $hash_ms ms"
echo "logins/s through the API (4 connections): $1, p99 $2 ms"
ref=$(awk -v h="$hash_ms" 'BEGIN {printf "%.1f", 2 * 1000 / h}')
ratio=$(awk -v l="$1" -v r="$ref" 'BEGIN {printf "%.2f", l / r}')
echo "reference (2 cores, hash only): $ref/s; ratio logins/reference: $ratio"
result "login: logins/s" "$1/s" "$ref/s" "$ratio" ""
