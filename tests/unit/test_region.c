/* test_region.c - areas/region on a real SQLite file: imports that are refused whole (a table
 * of files, the row and reason reported), imports that succeed (any order, any column order,
 * twice, renames), the stations they create, lookups and the tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "areas/account.h"
#include "areas/audit.h"
#include "areas/region.h"
#include "db/db.h"
#include "lib/err.h"

#include "fixture.h"

#define HEAD "区划代码,名称,上级区划代码\n"
#define HEAD_X "区划代码,名称,上级区划代码,备注\n"
#define BASE                                                                                       \
	HEAD "420199,示范区,\n"                                                                 \
	     "420199001,东湖街道,420199\n"                                                     \
	     "420199001001,建设社区,420199001\n"

struct fixture {
	char file[128];
	struct test_store store;
	struct principal cli;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (test_district_open(&f->store, "region"))
		return -1;
	account_cli_principal(&f->cli);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	if (test_store_close(&f->store))
		return -1;
	free(f);
	return 0;
}

/* The row errors an import reported. */
struct errors {
	int n;
	long row[8];
	char why[8][160];
};

static void on_error(void *ctx, long row, const char *reason)
{
	struct errors *e = ctx;
	if (e->n < 8) {
		e->row[e->n] = row;
		snprintf(e->why[e->n], sizeof(e->why[0]), "%s", reason);
	}
	e->n++;
}

/* Writes text into a file named name in the fixture's directory; returns its path. */
static const char *write_file(struct fixture *f, const char *name, const char *text)
{
	FILE *fp;
	snprintf(f->file, sizeof(f->file), "%s/%s", f->store.dir, name);
	fp = fopen(f->file, "w");
	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	return f->file;
}

static int import(struct fixture *f, const char *text, struct errors *e, long *n, char *err,
		  size_t errlen)
{
	memset(e, 0, sizeof(*e));
	*n = -1;
	return region_import(f->store.db, &f->cli, write_file(f, "r.csv", text), on_error, e, n,
			     err, errlen);
}

static int64_t count(struct fixture *f, const char *sql)
{
	int64_t v = -1;
	assert_int_equal(db_int_query(f->store.db, &v, 0, sql, ""), 0);
	return v;
}

/* A fingerprint of the regions and organisations, to show that nothing changed. */
static int64_t world(struct fixture *f)
{
	return count(f, "SELECT count(*) FROM regions") * 1000 +
	       count(f, "SELECT count(*) FROM orgs");
}

static void import_ok(struct fixture *f, const char *text, long want_rows)
{
	struct errors e;
	char err[256] = "";
	long n;
	if (import(f, text, &e, &n, err, sizeof(err)) != 0)
		fail_msg("import refused: %s (%d row errors, first: %s)", err, e.n, e.why[0]);
	assert_int_equal(e.n, 0);
	assert_int_equal(n, want_rows);
}

/* Files refused whole: the first row error reported (row and reason), nothing written. */
static void test_refused(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *name, *text;
		long row;        /* of the first row error; 0: none, only err */
		const char *why; /* part of the row error, or of err when row is 0 */
	} v[] = {
		{"empty_file", "", 0, "文件是空的"},
		{"missing_name_column", "区划代码,上级区划代码\n420199,\n", 1, "名称"},
		{"missing_code_column", "名称,上级区划代码\n示范区,\n", 1, "区划代码"},
		{"unknown_column", HEAD_X "420199,示范区,,x\n", 1, "备注"},
		{"street_without_parent_column", "区划代码,名称\n420199001,东湖街道\n", 2,
		 "前 6 位"},
		{"short_code", HEAD "42019900,东湖街道,420199\n", 2, "6、9 或 12 位数字"},
		{"letters_in_code", HEAD "42019900a,东湖街道,420199\n", 2, "6、9 或 12 位数字"},
		{"empty_code", HEAD ",东湖街道,420199\n", 2, "6、9 或 12 位数字"},
		{"other_district", HEAD "420188001,东湖街道,420188\n", 2, "不属于本区（420199）"},
		{"empty_name", HEAD "420199003,,420199\n", 2, "名称无效"},
		{"control_in_name", HEAD "420199003,东湖\x01街道,420199\n", 2, "名称无效"},
		{"bad_utf8_name", HEAD "420199003,\xff\xfe,420199\n", 0, "第 2 行：不是有效的 UTF-8 编码"},
		{"name_too_long",
		 HEAD "420199003,"
		      "一二三四五六七八九十一二三四五六七八九十一二三,420199\n",
		 2, "过长"},
		{"code_too_long", HEAD "4201990010011,建设社区,420199001\n", 2, "过长"},
		{"street_wrong_parent", HEAD "420199003,西湖街道,420198\n", 2, "前 6 位"},
		{"community_wrong_parent", HEAD "420199001002,新村社区,420199002\n", 2, "前 9 位"},
		{"community_no_parent", HEAD "420199001002,新村社区,\n", 2, "前 9 位"},
		{"district_with_parent", HEAD "420199,示范区,420100\n", 2, "不应有上级区划代码"},
		{"bad_row_among_good", BASE "420199002,长青街道,420199\n420199x,坏,420199\n", 6,
		 "6、9 或 12 位数字"},
		{"parent_missing", HEAD "420199,示范区,\n420199009001,孤村社区,420199009\n", 0,
		 "上级区划 420199009 不存在"},
	};
	long before;
	import_ok(f, BASE, 3);
	before = world(f);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct errors e;
		char err[256] = "";
		long n;
		int rc = import(f, v[i].text, &e, &n, err, sizeof(err));
		if (rc != VE_INVALID)
			fail_msg("%s: want VE_INVALID, got %d", v[i].name, rc);
		if (v[i].row && (e.n < 1 || e.row[0] != v[i].row || !strstr(e.why[0], v[i].why)))
			fail_msg("%s: want row %ld \"%s\", got %d errors, row %ld \"%s\"",
				 v[i].name, v[i].row, v[i].why, e.n, e.n ? e.row[0] : 0,
				 e.n ? e.why[0] : "");
		if (!v[i].row && !strstr(err, v[i].why))
			fail_msg("%s: want \"%s\", got \"%s\"", v[i].name, v[i].why, err);
		if (world(f) != before)
			fail_msg("%s: the import changed the regions or organisations", v[i].name);
	}
}

/* Every bad row is reported, not only the first. */
static void test_refused_reports_every_row(void **state)
{
	struct fixture *f = *state;
	struct errors e;
	char err[256] = "";
	long n;
	int rc = import(f,
			HEAD "420199,示范区,\n4201,坏,\n420199001,,420199\n420199001001,好社区,"
			     "420199001\n420199001002,坏社区,420199002\n",
			&e, &n, err, sizeof(err));
	assert_int_equal(rc, VE_INVALID);
	assert_int_equal(e.n, 3);
	assert_int_equal(e.row[0], 3);
	assert_int_equal(e.row[1], 4);
	assert_int_equal(e.row[2], 6);
	assert_non_null(strstr(err, "3 行有误，未导入任何区划"));
	assert_int_equal(count(f, "SELECT count(*) FROM regions"), 0);
}

static void test_import(void **state)
{
	struct fixture *f = *state;
	char code[13], name[64];
	int64_t id, before;
	/* The parent column may be left out where no row needs it. */
	import_ok(f, "区划代码,名称\n420199,示范区\n", 1);
	/* Children before parents, columns in another order, a blank line, CRLF. */
	import_ok(f,
		  "名称,上级区划代码,区划代码\r\n建设社区,420199001,420199001001\r\n\r\n"
		  "东湖街道,420199,420199001\r\n示范区,,420199\r\n长青街道,420199,420199002\r\n",
		  4);
	assert_int_equal(count(f, "SELECT count(*) FROM regions"), 4);
	assert_int_equal(count(f, "SELECT count(*) FROM regions WHERE level = 'community' AND "
				  "parent_code = '420199001' AND region_code = code"),
			 1);
	/* Each street and community has its service station, under the right parent. */
	assert_int_equal(account_org_find(f->store.db, "420199001", &id), 0);
	assert_int_equal(account_org_find(f->store.db, "420199002", &id), 0);
	assert_int_equal(account_org_find(f->store.db, "420199001001", &id), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM orgs o JOIN orgs p ON p.id = o.parent_id "
				  "WHERE o.code = '420199001001' AND p.code = '420199001' AND "
				  "o.name = '建设社区退役军人服务站'"),
			 1);
	/* The same file twice changes nothing. */
	before = world(f);
	import_ok(f,
		  HEAD "420199,示范区,\n420199001,东湖街道,420199\n420199002,长青街道,420199\n"
		       "420199001001,建设社区,420199001\n",
		  4);
	assert_int_equal(world(f), before);
	/* A new name for a known code renames the region, and only adds what is new. */
	import_ok(f, HEAD "420199002,长青新街道,420199\n420199002001,松园社区,420199002\n", 2);
	region_name(f->store.db, "420199002", name, sizeof(name));
	assert_string_equal(name, "长青新街道");
	assert_int_equal(world(f), before + 1001);
	/* Lookups. */
	assert_int_equal(region_find(f->store.db, NULL, "东湖街道", code), 0);
	assert_string_equal(code, "420199001");
	assert_int_equal(region_find(f->store.db, "420199001", "建设社区", code), 0);
	assert_string_equal(code, "420199001001");
	assert_int_equal(region_find(f->store.db, "420199002", "建设社区", code), VE_NOTFOUND);
	assert_int_equal(region_find(f->store.db, NULL, "建设社区", code), VE_NOTFOUND);
	assert_int_equal(region_find(f->store.db, NULL, "示范区", code), VE_NOTFOUND);
	region_name(f->store.db, "420199999", name, sizeof(name));
	assert_string_equal(name, "");
	region_name(f->store.db, "420199001001", name, 7);
	assert_string_equal(name, "建设");
}

static void test_tree(void **state)
{
	struct fixture *f = *state;
	json_t *tree = NULL;
	char *text;
	import_ok(f,
		  HEAD "420199,示范区,\n420199002,长青街道,420199\n420199001,东湖街道,420199\n"
		       "420199001002,新村社区,420199001\n420199001001,建设社区,420199001\n",
		  5);
	assert_int_equal(region_tree(f->store.db, &tree), 0);
	text = json_dumps(tree, JSON_COMPACT | JSON_ENSURE_ASCII);
	assert_string_equal(
		text,
		"[{\"code\":\"420199001\",\"name\":\"\\u4E1C\\u6E56\\u8857\\u9053\",\"communities\":"
		"[{\"code\":\"420199001001\",\"name\":\"\\u5EFA\\u8BBE\\u793E\\u533A\"},"
		"{\"code\":\"420199001002\",\"name\":\"\\u65B0\\u6751\\u793E\\u533A\"}]},"
		"{\"code\":\"420199002\",\"name\":\"\\u957F\\u9752\\u8857\\u9053\",\"communities\":"
		"[]}]");
	free(text);
	json_decref(tree);
}

/* What each scope is offered: all for 全部 and 仅本人; a street station its street and its
 * communities; a community station its street with its own community only; the bureau all. */
static void test_tree_for(void **state)
{
	struct fixture *f = *state;
	import_ok(f,
		  HEAD "420199,示范区,\n420199002,长青街道,420199\n420199001,东湖街道,420199\n"
		       "420199001002,新村社区,420199001\n420199001001,建设社区,420199001\n",
		  5);
	static const struct {
		enum scope_kind kind;
		const char *region, *want;
	} cases[] = {
		{SCOPE_ALL, "420199001", "420199001:420199001001,420199001002;420199002:;"},
		{SCOPE_SELF, "420199001", "420199001:420199001001,420199001002;420199002:;"},
		{SCOPE_ORG_TREE, "420199", "420199001:420199001001,420199001002;420199002:;"},
		{SCOPE_ORG, "420199001", "420199001:420199001001,420199001002;"},
		{SCOPE_ORG, "420199001002", "420199001:420199001002;"},
		{SCOPE_ORG_TREE, "420199002", "420199002:;"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct principal by = {.scope = {.kind = cases[i].kind}};
		snprintf(by.region_code, sizeof(by.region_code), "%s", cases[i].region);
		json_t *tree = NULL, *s, *c;
		assert_int_equal(region_tree_for(f->store.db, &by, &tree), 0);
		char got[256] = "";
		size_t k, m;
		json_array_foreach(tree, k, s)
		{
			strcat(got, json_string_value(json_object_get(s, "code")));
			strcat(got, ":");
			json_array_foreach(json_object_get(s, "communities"), m, c)
			{
				if (m)
					strcat(got, ",");
				strcat(got, json_string_value(json_object_get(c, "code")));
			}
			strcat(got, ";");
		}
		json_decref(tree);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu: %s, want %s", i, got, cases[i].want);
	}
}

/* region_store, the path the demo and other areas' tests take, writes what it is given. */
static void test_store(void **state)
{
	struct fixture *f = *state;
	char err[256] = "";
	int64_t id;
	struct region_entry rows[] = {
		{"420199001001", "建设社区", "420199001", 4},
		{"420199001", "东湖街道", "420199", 3},
		{"420199", "示范区", "", 2},
	};
	assert_int_equal(region_store(f->store.db, &f->cli, rows, 3, err, sizeof(err)), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM regions"), 3);
	assert_int_equal(account_org_find(f->store.db, "420199001001", &id), 0);
	struct region_entry orphan[] = {{"420199005001", "孤村社区", "420199005", 7}};
	assert_int_equal(region_store(f->store.db, &f->cli, orphan, 1, err, sizeof(err)),
			 VE_INVALID);
	assert_non_null(strstr(err, "第 7 行"));
	assert_int_equal(count(f, "SELECT count(*) FROM regions"), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_reports_every_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tree_for, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store, setup, teardown),
	};
	return cmocka_run_group_tests_name("region", tests, NULL, NULL);
}
