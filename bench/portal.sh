#!/bin/sh
# The portal under a crowd: the home page of the demo district (vets demo), served on the
# portal's listener, against nginx serving the same bytes as a static file, in the same run
# (wrk, 2 threads, 64 connections, BENCH_SECONDS (10) s each). Goal: vets >= 0.8 x nginx.
# The home page is answered from the portal's page cache (--portal-cache, 5 s by default: a
# crowd costs one rendering every few seconds); the same page rendered on every request
# (--portal-cache 0) is measured too, for what a cache miss costs. Then bench/qa.sh, when it is
# there (an answer of 智能问答 over a base of 1,000 entries: p99 < 10 ms). Both backends (--pg).
. "$(dirname "$0")/lib.sh"
need wrk nginx-light curl

DB=$(new_db portal)
"$VETS" demo --db "$DB" --no-serve >"$WORK/demo.out" 2>&1 || { cat "$WORK/demo.out" >&2; exit 1; }

PORTAL=$(free_port)
serve_vets "$DB" --no-jobs --portal "127.0.0.1:$PORTAL"
HOME_PATH=/
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORTAL/")" = 200 ] || HOME_PATH=/mailbox

# nginx serves the very bytes of the home page.
mkdir -p "$WORK/www"
curl -sf "http://127.0.0.1:$PORTAL$HOME_PATH" >"$WORK/www/index.html"
echo "home page ($HOME_PATH): $(wc -c <"$WORK/www/index.html") bytes"
NGINX_PORT=$(free_port)
cat >"$WORK/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx.err;
events { worker_connections 1024; }
http {
	access_log off;
	keepalive_requests 1000000;
	types { text/html html; }
	server {
		listen 127.0.0.1:$NGINX_PORT;
		root $WORK/www;
		location = / { try_files /index.html =404; }
	}
}
CONF
nginx -c "$WORK/nginx.conf" -g 'daemon off;' &
PIDS="$PIDS $!"
sleep 0.5

printf '%-34s %12s %10s\n' "target" "req/s" "p99 ms"
row() { printf '%-34s %12s %10s %s\n' "$1" $2 $3 "${4:-}"; }
set -- $(wrk_run "http://127.0.0.1:$PORTAL$HOME_PATH"); v_home=$1; v_p99=$2; row "vets portal $HOME_PATH (cached)" "$@"
set -- $(wrk_run "http://127.0.0.1:$NGINX_PORT/"); n_home=$1; n_p99=$2; row "nginx, the same bytes (static)" "$@"
kill "$SERVER" 2>/dev/null
wait "$SERVER" 2>/dev/null || true

PORTAL=$(free_port)
serve_vets "$DB" --no-jobs --portal "127.0.0.1:$PORTAL" --portal-cache 0
set -- $(wrk_run "http://127.0.0.1:$PORTAL$HOME_PATH"); u_home=$1; row "vets portal $HOME_PATH (rendered)" "$@"
kill "$SERVER" 2>/dev/null
echo
r_home=$(awk -v a="$v_home" -v b="$n_home" 'BEGIN {printf "%.2f", a / b}')
r_render=$(awk -v a="$u_home" -v b="$n_home" 'BEGIN {printf "%.2f", a / b}')
echo "ratio portal home vets/nginx: $r_home (goal >= 0.8); rendered on every request: $r_render"
result "portal: home req/s" "$v_home" "$n_home" "$r_home" ">= 0.8"
result "portal: home p99" "$v_p99 ms" "$n_p99 ms" "$(awk -v a="$v_p99" -v b="$n_p99" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')" ""
result "portal: home rendered req/s" "$u_home" "$n_home" "$r_render" ""

[ ! -f "$ROOT/bench/qa.sh" ] || BENCH_DB=$BACKEND sh "$ROOT/bench/qa.sh"
