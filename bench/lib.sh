# Shared by the benchmarks: a temporary place, the database backend, one user, a vets server.
# Sourced by bench/*.sh; sets WORK, VETS, BACKEND, KEY, FILES and, through start_vets, DB and
# PORT (everything it starts is stopped on exit).
#
# Backend: SQLite by default; BENCH_DB=pg or --pg anywhere on the command line runs the same
# bench on PostgreSQL: a throwaway cluster in $WORK (initdb -E UTF8 --locale=C as the postgres
# user, reached through a unix socket in $WORK only, listen_addresses=''), stopped at exit.
# The cluster keeps PostgreSQL's defaults (fsync on, synchronous_commit on, shared_buffers
# 128MB, full_page_writes on), so every commit waits for its WAL flush; SQLite runs as vets
# opens it (WAL, synchronous=NORMAL: a commit waits for no flush). BENCH_PG_CONF adds settings
# (e.g. BENCH_PG_CONF="synchronous_commit=off"), each printed with the results. The reference
# of each bench runs on the same backend as vets, so a ratio compares like with like; its
# sessions turn JIT off as vets' do.
#
# Every bench calls result() for its headline figures; bench/all.sh gathers those lines.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VETS=${VETS_BIN:-$ROOT/build/vets}
[ -x "$VETS" ] || (cd "$ROOT" && make build >/dev/null)
BACKEND=${BENCH_DB:-sqlite}
for a; do
	shift
	[ "$a" = --pg ] && BACKEND=pg || set -- "$@" "$a"
done
[ "$BACKEND" = postgresql ] && BACKEND=pg
case $BACKEND in sqlite | pg) ;; *) echo "BENCH_DB: sqlite or pg" >&2 && exit 2 ;; esac
WORK=${BENCH_WORK:-$(mktemp -d)}
chmod 755 "$WORK" # the postgres user reads the files COPY loads
PIDS=""
PGDIR=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	[ -z "$PGDIR" ] || runuser -u postgres -- pg_ctl -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1 || true
	[ -n "${BENCH_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# The same options on both backends: commands pass --db "$DB"; the key file and the
# uploads' place come from the environment (a database on a server has neither beside it).
KEY=$WORK/vets.key
FILES=$WORK/files
mkdir -p "$FILES"
chmod 700 "$FILES"
export VETS_KEY_FILE="$KEY" VETS_FILES_DIR="$FILES"

need() { # installs Debian packages the benchmarks use, when missing
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null
	done
}

pg_start() { # the throwaway cluster; sets PGDIR, PGHOST, PGUSER
	command -v pgbench >/dev/null || need postgresql-client
	PGDIR=$WORK/pg
	mkdir -p "$PGDIR"
	chown postgres: "$PGDIR"
	cd "$PGDIR"
	runuser -u postgres -- initdb -D "$PGDIR/data" -E UTF8 --locale=C -U postgres --auth=trust \
		>"$PGDIR/initdb.log" 2>&1
	{
		echo "listen_addresses = ''"
		echo "unix_socket_directories = '$PGDIR'"
		for s in ${BENCH_PG_CONF:-}; do echo "$s"; done
	} >>"$PGDIR/data/postgresql.conf"
	runuser -u postgres -- pg_ctl -D "$PGDIR/data" -l "$PGDIR/server.log" -w start >/dev/null
	cd "$ROOT"
	# psql and pgbench, the references, in sessions like vets' own (src/db/pg.c: no JIT).
	export PGHOST="$PGDIR" PGUSER=postgres PGOPTIONS="-c jit=off"
}
[ "$BACKEND" = sqlite ] || pg_start

# new_db NAME: prints the --db value of a new, empty database.
new_db() {
	if [ "$BACKEND" = pg ]; then
		psql -X -q -d postgres -c "CREATE DATABASE $1" >/dev/null
		echo "postgresql:///$1?host=$PGDIR&user=postgres"
	else
		echo "$WORK/$1.db"
	fi
}

# people_db NAME PEOPLE_CSV REGIONS_CSV: prints the --db value of a new database holding those
# regions and people, imported by vets (so every sealed field is really encrypted). On
# PostgreSQL they are imported into a SQLite file and moved with `vets db copy`: the same rows,
# sooner (import.sh measures the import itself on each backend). The import's peak RSS (KiB)
# is left in $WORK/NAME.import.rss.
people_db() {
	seed=$WORK/$1.db
	[ "$BACKEND" = sqlite ] || seed=$WORK/$1.seed.db
	"$VETS" init --db "$seed" >/dev/null
	"$VETS" region import "$3" --db "$seed" >/dev/null
	/usr/bin/time -f '%M' -o "$WORK/$1.import.rss" \
		"$VETS" import persons "$2" --db "$seed" >"$WORK/$1.import.out" 2>&1 ||
		{ cat "$WORK/$1.import.out" >&2; return 1; }
	if [ "$BACKEND" = pg ]; then
		target=$(new_db "$1")
		"$VETS" db copy --from "$seed" --to "$target" >"$WORK/$1.copy.out" 2>&1 ||
			{ cat "$WORK/$1.copy.out" >&2; return 1; }
		rm -f "$seed" "$seed-wal" "$seed-shm"
		seed=$target
	fi
	echo "$seed"
}

# sql DB [SQL]: runs SQL (or standard input) on the database with the backend's own shell;
# prints what it selects, unaligned, one row a line.
sql() {
	if [ "$BACKEND" = pg ]; then
		if [ $# -gt 1 ]; then
			psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"
		else
			psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1"
		fi
	elif [ $# -gt 1 ]; then
		sqlite3 "$1" "$2"
	else
		sqlite3 "$1"
	fi
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# serve_vets DB [OPTION...]: starts `vets serve` on DB; sets PORT, URL and SERVER (its pid).
serve_vets() {
	PORT=$(free_port)
	URL="http://127.0.0.1:$PORT"
	db=$1
	shift
	"$VETS" serve --db "$db" --listen "127.0.0.1:$PORT" "$@" 2>>"$WORK/vets.log" &
	SERVER=$!
	PIDS="$PIDS $SERVER"
	for _ in $(seq 100); do
		curl -sf "$URL/healthz" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "vets did not start:" >&2
	tail -5 "$WORK/vets.log" >&2
	exit 1
}

start_vets() { # a new database with the user bench (password Load!test42), served
	DB=$(new_db vets)
	"$VETS" init --db "$DB" >/dev/null
	echo 'Load!test42' | "$VETS" user add bench --role clerk --password-stdin --db "$DB" >/dev/null
	serve_vets "$DB"
}

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); } # ms START_NS: milliseconds since

# result NAME VETS REF RATIO GOAL: one headline figure for bench/all.sh's table (VETS and REF
# carry their unit; RATIO is "-" when it could not be measured).
result() {
	printf 'RESULT\t%s\t%s\t%s\t%s\t%s\t%s\n' "$BACKEND" "$1" "$2" "$3" "$4" "$5"
}

echo "backend: $BACKEND${BENCH_PG_CONF:+ ($BENCH_PG_CONF)}"

# wrk_run URL [wrk options...]: prints "req/s p99_ms".
wrk_run() {
	url=$1
	shift
	wrk -t2 -c64 -d"${BENCH_SECONDS:-10}"s --latency "$@" "$url" >"$WORK/wrk.out" 2>&1
	awk '/Requests\/sec/ {rps=$2}
	     /^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; p99=v}
	     /Non-2xx/ {bad=$5}
	     END {printf "%.0f %.2f%s\n", rps, p99, bad ? " (non-2xx: " bad ")" : ""}' "$WORK/wrk.out"
}
