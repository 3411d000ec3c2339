#!/bin/sh
# A throwaway PostgreSQL cluster for the tests.
#   tests/pg.sh start DIR   a new cluster in DIR/data, reachable only on the unix socket in DIR
#                           (trust authentication, user postgres); DIR is what VETS_TEST_PG names
#   tests/pg.sh stop DIR    stops it and removes DIR
# Built for speed, not safety: no fsync, no autovacuum, minimal WAL. Start works again on a DIR
# that a previous run left behind (running or not). On failure: one line on stderr, status 1.
set -u

fail() {
	echo "pg.sh: $*" >&2
	exit 1
}

[ $# -eq 2 ] || { echo "usage: tests/pg.sh start|stop DIR" >&2; exit 2; }
cmd=$1
dir=$2
case $dir in
/*) ;;
*) dir=$(pwd)/$dir ;;
esac
data=$dir/data

# The server binaries: pg_config's, else the newest Debian installs.
bindir=""
if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir 2>/dev/null)/initdb" ]; then
	bindir=$(pg_config --bindir)
else
	for b in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n); do
		[ -x "$b/initdb" ] && bindir=$b
	done
fi

# As root the cluster belongs to postgres (the server refuses to run as root).
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

stop_cluster() { # mode: fast or immediate; quiet when nothing runs
	[ -f "$data/postmaster.pid" ] || return 0
	as_owner "$bindir/pg_ctl" -D "$data" -m "$1" -w -t 60 stop >/dev/null 2>&1
}

case $cmd in
start)
	[ -n "$bindir" ] || fail "no PostgreSQL server found (install Debian's postgresql: sh scripts/install-deps.sh)"
	if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
		fail "no user postgres to own the cluster (install Debian's postgresql)"
	fi
	# What a previous run left: stop its server, then start afresh.
	if [ -d "$dir" ]; then
		stop_cluster immediate
		rm -rf "$dir" || fail "cannot remove the old cluster in $dir"
	fi
	mkdir -p "$dir" 2>/dev/null || fail "cannot create $dir"
	chmod 0700 "$dir"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
	as_owner "$bindir/initdb" -D "$data" -U postgres -E UTF8 --locale=C --auth=trust --no-sync \
		>"$dir/initdb.log" 2>&1 || fail "initdb failed in $data: $(tail -1 "$dir/initdb.log")"
	# Each vets serve holds one connection per worker thread (twice the cores, at least 4), and a
	# test may run several servers and commands at once: leave plenty of room.
	cores=$(nproc 2>/dev/null || echo 2)
	threads=$((cores > 2 ? cores * 2 : 4))
	conns=$((threads * 10 + 100))
	cat >>"$data/postgresql.conf" <<EOF

# tests/pg.sh: a throwaway cluster for the tests
listen_addresses = ''
unix_socket_directories = '$dir'
unix_socket_permissions = 0700
max_connections = $conns
shared_buffers = 64MB
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
max_wal_size = 1GB
checkpoint_timeout = 1h
autovacuum = off
jit = off
# a client killed mid-transaction (the tests kill vets with SIGKILL) releases its locks at once
client_connection_check_interval = 250ms
log_min_messages = warning
log_min_error_statement = panic
EOF
	as_owner "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start >/dev/null 2>&1 ||
		fail "the server did not start in $data: $(tail -1 "$dir/server.log" 2>/dev/null)"
	;;
stop)
	[ -d "$dir" ] || exit 0
	if [ -n "$bindir" ]; then
		stop_cluster fast || stop_cluster immediate || fail "the server in $data did not stop"
	fi
	rm -rf "$dir" || fail "cannot remove $dir"
	;;
*)
	echo "usage: tests/pg.sh start|stop DIR" >&2
	exit 2
	;;
esac
