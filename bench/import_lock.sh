#!/bin/sh
# Writes during a web import: the latency of a login and of a person edit on an idle
# server, then while a district clerk's N-row file (200,000 by default; --small for
# 50,000) is previewed, then while it is imported; the mean and worst of each, and the
# ratio to the idle figure. A preview only reads and an import commits in slices that
# let waiting writers in, so neither should stop the others (goal: every write < 1 s).
# BENCH_N=n sets another count. On PostgreSQL (--pg, see lib.sh) the writers queue on the
# one advisory lock each writing transaction of vets takes (the single writer SQLite has
# by itself), so the bench measures the same thing there: whether the import's slices let
# the others in. The import itself is slower there (import.sh), so the writes are sampled
# over a longer import of the same rows.
. "$(dirname "$0")/lib.sh"
need curl
N=${BENCH_N:-200000}
[ "${1:-}" = "--small" ] && N=50000
# A file of up to 2,000 rows is checked and imported inside its request (no job to write beside).
[ "$N" -gt 2000 ] || { echo "rows: $N is imported inside its request; the bench takes 5000"; N=5000; }
ROUNDS=${BENCH_ROUNDS:-5}
python3 "$ROOT/bench/gen_people.py" "$N" "$WORK/people.csv" "$WORK/regions.csv"
DB=$(new_db l)
"$VETS" init --db "$DB" >/dev/null
"$VETS" region import "$WORK/regions.csv" --db "$DB" >/dev/null
for u in importer editor signer; do
	echo 'Lock!pass1' | "$VETS" user add "$u" --role clerk --password-stdin --db "$DB" >/dev/null
done
serve_vets "$DB"

login() { # user jar: signs in, prints the CSRF token
	curl -s -c "$2" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"Lock!pass1\"}" "$URL/api/v1/session" |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["csrf"])'
}
IMPORT_CSRF=$(login importer "$WORK/importer.jar")
EDIT_CSRF=$(login editor "$WORK/editor.jar")
PERSON=$(curl -s -b "$WORK/editor.jar" -H "X-CSRF-Token: $EDIT_CSRF" -H 'Content-Type: application/json' \
	-d '{"name":"被编辑","id_number":"420106199912310013","categories":"退役军人"}' "$URL/api/v1/persons" |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')

# measure LABEL: ROUNDS logins and edits; appends "label login_ms edit_ms" lines to $WORK/times
measure() {
	for i in $(seq "$ROUNDS"); do
		l=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H 'Content-Type: application/json' \
			-d '{"username":"signer","password":"Lock!pass1"}' "$URL/api/v1/session")
		e=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -X PATCH -b "$WORK/editor.jar" \
			-H "X-CSRF-Token: $EDIT_CSRF" -H 'Content-Type: application/json' \
			-d "{\"address\":\"$1 $i\"}" "$URL/api/v1/persons/$PERSON")
		echo "$1 $l $e" >>"$WORK/times"
	done
}
state() { # token: the job's state and rows done
	curl -s -b "$WORK/importer.jar" -H 'Accept: application/json' "$URL/persons/import/status?token=$1" |
		python3 -c 'import json, sys
try: s = json.load(sys.stdin); print(s["state"], s["done"])
except Exception: print("unknown 0")'
}
wait_state() { # token states...: waits until the job is in one of them (gives up on a job it can't see)
	t=$1
	shift
	unknown=0
	while :; do
		s=$(state "$t" | cut -d' ' -f1)
		for w in "$@"; do [ "$s" = "$w" ] && return 0; done
		[ "$s" != unknown ] || unknown=$((unknown + 1))
		[ "$unknown" -lt 50 ] || { echo "the import's state can't be read (token '$t')" >&2; exit 1; }
		sleep 0.1
	done
}

measure idle
start=$(date +%s%N)
TOKEN=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$WORK/importer.jar" -H "X-CSRF-Token: $IMPORT_CSRF" \
	-F "file=@$WORK/people.csv;type=text/csv" "$URL/persons/import" | sed 's/.*token=//')
[ -n "$TOKEN" ] || { echo "the upload was refused:" >&2; tail -3 "$WORK/vets.log" >&2; exit 1; }
wait_state "$TOKEN" running done failed # a small file may be through already
measure preview
echo "preview still $(state "$TOKEN") rows after the writes"
wait_state "$TOKEN" done failed
preview_ms=$(( ($(date +%s%N) - start) / 1000000 ))
start=$(date +%s%N)
curl -s -o /dev/null -b "$WORK/importer.jar" -d "csrf=$IMPORT_CSRF&token=$TOKEN" "$URL/persons/import/confirm"
wait_state "$TOKEN" running done failed # a small file may be through already
measure import
echo "import still $(state "$TOKEN") rows after the writes"
wait_state "$TOKEN" done failed
import_ms=$(( ($(date +%s%N) - start) / 1000000 ))

echo "rows: $N; preview $preview_ms ms, import $import_ms ms (wall, the writes included)"
awk '
	{ n[$1]++; if ($2 !~ /^2/ || $4 !~ /^2/) bad[$1]++
	  l[$1] += $3; e[$1] += $5; if ($3 > lm[$1]) lm[$1] = $3; if ($5 > em[$1]) em[$1] = $5 }
	END {
		for (k in n) { la[k] = l[k] / n[k] * 1000; ea[k] = e[k] / n[k] * 1000 }
		split("idle preview import", order, " ")
		for (i = 1; i <= 3; i++) { k = order[i]
			printf "%-8s login mean %7.1f ms max %7.1f ms (x%.2f of idle)   edit mean %7.1f ms max %7.1f ms (x%.2f of idle)%s\n",
				k, la[k], lm[k] * 1000, la[k] / la["idle"], ea[k], em[k] * 1000, ea[k] / ea["idle"],
				bad[k] ? "  non-2xx: " bad[k] : ""
		}
		for (i = 2; i <= 3; i++) { k = order[i]
			printf "RESULT\t%s\twrites during web %s (%d rows): login mean (max)\t%.0f (%.0f) ms\t%.0f ms\t%.2f\tevery write < 1 s\n",
				backend, k, rows, la[k], lm[k] * 1000, la["idle"], la[k] / la["idle"]
			printf "RESULT\t%s\twrites during web %s (%d rows): edit mean (max)\t%.0f (%.0f) ms\t%.0f ms\t%.2f\tevery write < 1 s\n",
				backend, k, rows, ea[k], em[k] * 1000, ea["idle"], ea[k] / ea["idle"]
		}
	}' backend="$BACKEND" rows="$N" "$WORK/times"
