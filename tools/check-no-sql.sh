#!/bin/sh
# check-no-sql.sh - SQL lives in src/areas and src/db only. Fails, naming file and
# line, when src/web or src/cli holds SQL text (a keyword starting a string literal's
# statement) or calls the store below the areas (statements, transactions, rows).
# Opening, closing and migrating a store (db_open, db_close, db_thread*, db_migrate,
# db_schema_version, db_ping) stay allowed: they hold no SQL of an area.
# Usage: tools/check-no-sql.sh             the self-test, then src/web and src/cli
#        tools/check-no-sql.sh dir|file...  those only
#        tools/check-no-sql.sh --self-test  the check finds what it must, and only that
# Prints "N passed, N failed" after each part (cases; files checked, files with hits).
set -u
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then
	"$0" --self-test
	st=$?
	"$0" src/web src/cli && exit "$st"
	exit 1
fi

if [ "$1" = "--self-test" ]; then
	dir=$(mktemp -d)
	trap 'rm -rf "$dir"' EXIT
	mkdir "$dir/bad" "$dir/good"
	printf '%s\n' 'static int f(struct db *db)' '{' \
		'	return db_int_query(db, &n, 0, "SELECT 1", "");' '}' >"$dir/bad/call.c"
	printf '%s\n' 'static const char q[] =' '	"SELECT id FROM users "' \
		'	"WHERE id = ?";' >"$dir/bad/text.c"
	printf '%s\n' 'static const char q[] = "UPDATE users SET name = ?";' >"$dir/bad/update.c"
	printf '%s\n' 'static int f(struct db *db)' '{' '	if (db_begin(db) != 0)' \
		'		return 1;' '	return 0;' '}' >"$dir/bad/tx.c"
	printf '%s\n' 'static void f(struct db *db, struct db_stmt **out)' '{' \
		'	*out = db_q(db, q, "");' '}' >"$dir/bad/deref.c"
	printf '%s\n' '/* SELECT in a comment is no SQL */' \
		'	{"DELETE", "/api/v1/session", handle, PERM, API, params_none, 0},' \
		'	struct db *db = db_thread();' '	db_close(db);' \
		'	reply_error(req, rep, 400, "invalid", "请选择要删除的记录");' >"$dir/good/route.c"
	p=0
	f=0
	for bad in "$dir"/bad/*.c; do
		if "$0" "$bad" >/dev/null 2>&1; then
			echo "-- not found: SQL in $(basename "$bad")"
			f=$((f + 1))
		else
			p=$((p + 1))
		fi
	done
	if "$0" "$dir/good" >/dev/null 2>&1; then p=$((p + 1)); else
		echo "-- flagged code without SQL:"
		"$0" "$dir/good" | head -5
		f=$((f + 1))
	fi
	echo "$p passed, $f failed"
	[ "$f" -eq 0 ]
	exit
fi

keywords='SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|PRAGMA|BEGIN|COMMIT|ROLLBACK|REPLACE|WITH'
calls='db_(exec|q|run|int_query|step|int|text|blob|is_null|done|begin|begin_read|commit|rollback|tx_begin|tx_end|last_id|changes)|sqlite3_[a-z_]+'

passed=0
failed=0
for f in $(find "$@" -name '*.[ch]' | sort); do
	# A keyword right after a quote (SQL text starts a literal, or a literal carries
	# on a statement: "... WHERE", "SELECT ..."), in upper case as SQL is written here,
	# followed by a space or the literal's end; comments are skipped. HTTP methods
	# ("DELETE" alone in a route table) are no SQL: a keyword must have SQL after it
	# in the same literal, or a SQL word before it.
	hits=$(awk -v kw="$keywords" -v calls="$calls" '
		/^[ \t]*(\/\*|\*([ \t\/]|$)|\/\/)/ { next }
		{
			line = $0
			sub(/\/\/.*$/, "", line)
			if (match(line, "(^|[^A-Za-z0-9_])(" calls ")[ \t]*\\("))
				{ printf "%d: %s\n", FNR, $0; next }
			if (match(line, "\"[ \t]*(" kw ")[ \t]+[A-Za-z0-9*(]") ||
			    match(line, "[ \t](FROM|WHERE|VALUES|SET|JOIN|ORDER BY|GROUP BY|INTO)[ \t]+[A-Za-z_(?]"))
				{ printf "%d: %s\n", FNR, $0; next }
		}' "$f")
	if [ -n "$hits" ]; then
		echo "$hits" | sed "s|^|$f:|"
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
done
[ "$failed" -ne 0 ] && echo "-- SQL belongs in src/areas or src/db: move it into the area that owns the rows."
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
