# Shared by the benchmarks: a temporary database with one user, and a vets server on it.
# Sourced by bench/*.sh; sets WORK, VETS, PORT and starts the server (stopped on exit).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VETS=${VETS_BIN:-$ROOT/build/vets}
[ -x "$VETS" ] || (cd "$ROOT" && make build >/dev/null)
WORK=${BENCH_WORK:-$(mktemp -d)}
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	[ -n "${BENCH_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start_vets() {
	chmod 755 "$WORK"
	"$VETS" init --db "$WORK/vets.db" >/dev/null
	echo 'Load!test42' | "$VETS" user add bench --role clerk --password-stdin --db "$WORK/vets.db" >/dev/null
	PORT=$(free_port)
	"$VETS" serve --db "$WORK/vets.db" --listen "127.0.0.1:$PORT" 2>"$WORK/vets.log" &
	PIDS="$PIDS $!"
	for _ in $(seq 50); do
		curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "vets did not start" >&2
	exit 1
}

need() { # installs Debian packages the benchmarks use, when missing
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null
	done
}

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
