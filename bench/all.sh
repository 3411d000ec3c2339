#!/bin/sh
# Runs the benchmarks on both backends, SQLite then PostgreSQL, one after the other, and
# prints their headline figures side by side: vets, the backend's own reference measured in
# the same run, and the ratio. Usage: bench/all.sh [BENCH...] (default: every bench; a
# BENCH is a script's name without .sh). Sizes: BENCH_N people or rows (20,000 here unless
# set; each script alone defaults to its own), BENCH_SECONDS per load run (5 here unless
# set), BENCH_USERS and BENCH_ROUNDS as the scripts take them; BENCH_PG_CONF as in lib.sh.
# Each bench's whole output is kept in BENCH_OUT (a new directory unless set).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
export BENCH_N=${BENCH_N:-20000} BENCH_SECONDS=${BENCH_SECONDS:-5}
OUT=${BENCH_OUT:-$(mktemp -d /tmp/vets-bench.XXXXXX)}
mkdir -p "$OUT"
rm -f "$OUT/failed"
[ $# -gt 0 ] || set -- import batch search login http import_lock counter
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
version=$(git -C "$HERE/.." describe --always --dirty 2>/dev/null || echo '?') # of the tree measured
for b in "$@"; do
	for backend in sqlite pg; do
		echo "== $b on $backend ($(date -u +%H:%M:%S))" >&2
		BENCH_DB=$backend sh "$HERE/$b.sh" >"$OUT/$b.$backend.log" 2>&1 ||
			echo "$b on $backend failed (exit $?): $OUT/$b.$backend.log" | tee -a "$OUT/failed" >&2
	done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

cat <<EOF

vets $version, $(date -u '+%Y-%m-%d %H:%M UTC'); N = $BENCH_N, $BENCH_SECONDS s per load run
machine: $(nproc) cores, load average $load_before before, $load_after after (shared with other work)
PostgreSQL $(pg_config --version 2>/dev/null | awk '{print $2}'): defaults (fsync on, synchronous_commit on, shared_buffers 128MB)${BENCH_PG_CONF:+, $BENCH_PG_CONF}; SQLite as vets opens it (WAL, synchronous=NORMAL)

EOF
for b in "$@"; do cat "$OUT/$b.sqlite.log" "$OUT/$b.pg.log"; done | awk -F '\t' '
	$1 == "RESULT" {
		k = $3
		if (!(k in seen)) { seen[k] = 1; order[++n] = k }
		v[k, $2] = $4; r[k, $2] = $5; q[k, $2] = $6; goal[k] = $7
	}
	function cell(x) { return x == "" ? "·" : x }
	END {
		print "| bench | SQLite vets | SQLite ref | ratio | PostgreSQL vets | PostgreSQL ref | ratio | goal |"
		print "|---|---:|---:|---:|---:|---:|---:|---|"
		for (i = 1; i <= n; i++) { k = order[i]
			printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", k, cell(v[k, "sqlite"]), cell(r[k, "sqlite"]),
				cell(q[k, "sqlite"]), cell(v[k, "pg"]), cell(r[k, "pg"]), cell(q[k, "pg"]), goal[k]
		}
	}'
cat <<'EOF'

References (each on its own backend, in the same run): import, same schema: the sqlite3
shell's INSERTs / COPY of exactly the rows vets wrote into a copy of the database before
the import; import, plain load: sqlite3 .import / COPY (FORMAT csv) of the file into a table
of text columns; batch: a bare INSERT … SELECT of one line per person (sqlite3 / psql);
search: /healthz of the same server, and on PostgreSQL pgbench's prepared point read by the
same blind index (16 clients), alone and with a one-row commit (every ID lookup writes an
audit record); login: two cores doing nothing but the password hash;
http: nginx on the same machine; writes during a web import: the same writes on the idle
server. Ratios of times and latencies: lower is better; of req/s: higher is better.
EOF
[ ! -s "$OUT/failed" ] || { echo; cat "$OUT/failed"; }
echo
echo "logs: $OUT"
