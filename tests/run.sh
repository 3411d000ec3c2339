#!/bin/sh
# Runs every suite: unit, HTTP (on SQLite and, beside it, on a throwaway PostgreSQL
# cluster), browser and fuzz smoke on the normal build, then unit and HTTP again under
# AddressSanitizer and UndefinedBehaviorSanitizer.
# Prints each suite's counts and, as the last line, "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
logs=build/test-logs
passed=0
failed=0
pgdir=""
pgjob=""

# The PostgreSQL cluster and the suite running on it go away however the run ends.
finish() {
	if [ -n "$pgjob" ]; then
		[ -f "$logs/http-pg.pid" ] && kill "$(cat "$logs/http-pg.pid")" 2>/dev/null
		wait "$pgjob" 2>/dev/null
		kill "$pgjob" 2>/dev/null
		pgjob=""
	fi
	if [ -n "$pgdir" ]; then
		sh tests/pg.sh stop "$pgdir" >/dev/null 2>&1
		pgdir=""
	fi
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

count() { # suite passed failed
	echo "== $1: $2 passed, $3 failed"
	passed=$((passed + $2))
	failed=$((failed + $3))
}

build_dir() { # dir meson-options...
	dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" >"$logs/setup-$(basename "$dir").log" 2>&1 || return 1
	else
		meson setup --reconfigure "$dir" "$@" >"$logs/setup-$(basename "$dir").log" 2>&1 || return 1
	fi
	ninja -C "$dir" >"$logs/build-$(basename "$dir").log" 2>&1
}

unit() { # build-dir suite-name
	p=0
	f=0
	for t in "$1"/tests/unit/test_*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		log="$logs/$2-$(basename "$t").log"
		(cd tests/unit && "../../$t") >"$log" 2>&1
		rc=$?
		# A program may run several groups: add up each group's summary line.
		tp=$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
		tf=$(sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
		tp=${tp:-0}
		tf=${tf:-0}
		if [ "$rc" -ne 0 ] && [ "$tf" -eq 0 ]; then tf=1; fi
		[ "$tf" -ne 0 ] && { echo "-- failures in $t:"; grep -E "FAILED|ERROR|Failure|error:" "$log" | head -20; }
		p=$((p + tp))
		f=$((f + tf))
	done
	count "$2" "$p" "$f"
}

node_suite() { # suite-name vets-binary files... (VETS_TEST_PORTS: the ports it may use)
	name=$1
	bin=$2
	shift 2
	VETS_BIN="$bin" node --test --test-concurrency=1 --test-reporter=tap "$@" >"$logs/$name.log" 2>&1
	node_counts "$name" $?
}

node_counts() { # suite-name exit-status: adds up the suite's TAP log
	name=$1
	rc=$2
	log="$logs/$name.log"
	p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$log" | tail -1)
	f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$log" | tail -1)
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	[ "$f" -ne 0 ] && { echo "-- failures in $name:"; grep -B2 -A12 "^not ok\|^    not ok" "$log" | head -60; }
	count "$name" "$p" "$f"
}

script_suite() { # suite-name command... (prints "N passed, N failed" lines, adds them up)
	name=$1
	shift
	"$@" >"$logs/$name.log" 2>&1
	rc=$?
	p=$(sed -n 's/^\([0-9]*\) passed, [0-9]* failed$/\1/p' "$logs/$name.log" | awk '{s += $1} END {print s + 0}')
	f=$(sed -n 's/^[0-9]* passed, \([0-9]*\) failed$/\1/p' "$logs/$name.log" | awk '{s += $1} END {print s + 0}')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	[ "$f" -ne 0 ] && { echo "-- failures in $name:"; head -40 "$logs/$name.log"; }
	count "$name" "$p" "$f"
}

fuzz_smoke() {
	p=0
	f=0
	for t in build-fuzz/tests/fuzz/fuzz_*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		name=$(basename "$t")
		corpus=$(mktemp -d)
		cp -r "tests/fuzz/corpus/${name#fuzz_}/." "$corpus/" 2>/dev/null
		if "$t" -max_total_time="${FUZZ_SECONDS:-15}" -max_len=8192 -print_final_stats=1 "$corpus" \
			>"$logs/$name.log" 2>&1; then
			p=$((p + 1))
		else
			f=$((f + 1))
			echo "-- $name crashed:"
			tail -30 "$logs/$name.log"
		fi
		rm -rf "$corpus"
	done
	count fuzz "$p" "$f"
}

# The HTTP suite again with every store a database of a PostgreSQL cluster of its own, in the
# background (its summary in a file, added up by pg_suite_end); each suite listening at the
# same time has its own ports.
pg_suite_start() {
	pgdir=$(mktemp -d /tmp/vets-pg.XXXXXX)
	if ! reason=$(sh tests/pg.sh start "$pgdir" 2>&1); then
		echo "-- the PostgreSQL test cluster did not start: $reason"
		count http-pg 0 1
		sh tests/pg.sh stop "$pgdir" >/dev/null 2>&1
		pgdir=""
		return
	fi
	(
		export VETS_TEST_PG="$pgdir" VETS_TEST_PORTS=23000-25999 VETS_BIN=build/vets
		node --test --test-concurrency=1 --test-reporter=tap tests/http/*.test.mjs >"$logs/http-pg.log" 2>&1 &
		echo $! >"$logs/http-pg.pid" # for finish(): a background job ignores Ctrl-C
		wait $!
		rc=$?
		rm -f "$logs/http-pg.pid"
		node_counts http-pg $rc
	) >"$logs/http-pg.summary" 2>&1 &
	pgjob=$!
}

pg_suite_end() {
	[ -n "$pgjob" ] || return 0
	wait "$pgjob"
	pgjob=""
	grep -v '^== http-pg: ' "$logs/http-pg.summary"
	p=$(sed -n 's/^== http-pg: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$logs/http-pg.summary")
	f=$(sed -n 's/^== http-pg: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$logs/http-pg.summary")
	[ -n "$p" ] || { echo "-- http-pg left no counts (see $logs/http-pg.summary)"; p=0; f=1; }
	count http-pg "$p" "$f"
	sh tests/pg.sh stop "$pgdir" || count pg-stop 0 1
	pgdir=""
}

mkdir -p build
mkdir -p "$logs"
script_suite no-sql tools/check-no-sql.sh
if build_dir build --buildtype=debugoptimized; then
	unit build unit
	pg_suite_start
	VETS_TEST_PORTS=20000-22999 node_suite http build/vets tests/http/*.test.mjs
	VETS_TEST_PORTS=26000-28999 node_suite browser build/vets tests/browser/*.test.mjs
else
	echo "-- build failed:"
	tail -40 "$logs/build-build.log"
	count build 0 1
fi
# Undefined behaviour a fuzz target reaches is a failure, not a line in its log.
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
if CC=clang build_dir build-fuzz -Dfuzz=true -Db_lundef=false -Db_sanitize=address,undefined \
	-Dc_args=-fsanitize=fuzzer-no-link; then
	fuzz_smoke
else
	echo "-- fuzz build failed:"
	tail -40 "$logs/build-build-fuzz.log"
	count fuzz-build 0 1
fi
if build_dir build-asan -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debug; then
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
	export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
	unit build-asan unit-asan
	node_suite http-asan build-asan/vets tests/http/*.test.mjs
else
	echo "-- sanitizer build failed:"
	tail -40 "$logs/build-build-asan.log"
	count asan-build 0 1
fi
# The PostgreSQL suite ran beside everything since the build: its counts last.
pg_suite_end
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
