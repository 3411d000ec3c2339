#!/bin/sh
# HTTP throughput of vets against nginx on the same machine, in the same run:
# a static asset, the rendered login page and /healthz, each with wrk
# (2 threads, 64 connections, 10 s). Prints req/s, p99 and the ratios vets/nginx.
# Goal: >= 1.0 for the static asset, >= 0.7 for the login page. The same on both backends
# (--pg, see lib.sh): none of these pages reads the database.
. "$(dirname "$0")/lib.sh"
need wrk nginx-light curl
start_vets

# nginx serves the same asset and a static copy of the login page's bytes.
mkdir -p "$WORK/www"
cp "$ROOT/static/app.css" "$WORK/www/app.css"
curl -s -H 'Host: localhost' "http://127.0.0.1:$PORT/login" >"$WORK/www/login.html"
NGINX_PORT=$(free_port)
cat >"$WORK/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx.err;
events { worker_connections 1024; }
http {
	access_log off;
	keepalive_requests 1000000;
	types { text/css css; text/html html; }
	server {
		listen 127.0.0.1:$NGINX_PORT;
		root $WORK/www;
	}
}
CONF
nginx -c "$WORK/nginx.conf" -g 'daemon off;' &
PIDS="$PIDS $!"
sleep 0.5

printf '%-28s %12s %10s\n' "target" "req/s" "p99 ms"
row() { printf '%-28s %12s %10s %s\n' "$1" $2 $3 "${4:-}"; }
set -- $(wrk_run "http://127.0.0.1:$PORT/static/app.css"); v_css=$1; row "vets /static/app.css" "$@"
set -- $(wrk_run "http://127.0.0.1:$NGINX_PORT/app.css"); n_css=$1; row "nginx /app.css" "$@"
set -- $(wrk_run "http://127.0.0.1:$PORT/login"); v_login=$1; row "vets /login (rendered)" "$@"
set -- $(wrk_run "http://127.0.0.1:$NGINX_PORT/login.html"); n_login=$1; row "nginx /login.html (static)" "$@"
set -- $(wrk_run "http://127.0.0.1:$PORT/healthz"); row "vets /healthz" "$@"
echo
r_css=$(awk -v a="$v_css" -v b="$n_css" 'BEGIN {printf "%.2f", a / b}')
r_login=$(awk -v a="$v_login" -v b="$n_login" 'BEGIN {printf "%.2f", a / b}')
echo "ratio static asset vets/nginx: $r_css (goal >= 1.0)"
echo "ratio login page   vets/nginx: $r_login (goal >= 0.7)"
result "http: static asset req/s" "$v_css" "$n_css" "$r_css" ">= 1.0"
result "http: login page req/s" "$v_login" "$n_login" "$r_login" ">= 0.7"
