/* test_request.c - the request parsers and declared-parameter checks, on tables of cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "lib/err.h"
#include "web/params.h"
#include "web/request.h"
#include "web/route.h"

static void test_normalize_path(void **state)
{
	static const struct {
		const char *raw, *want; /* want NULL: refused */
	} cases[] = {
		{"/", "/"},
		{"/users", "/users"},
		{"/users/12/roles", "/users/12/roles"},
		{"/%E4%BA%BA%E5%91%98", "/人员"},
		{"/static/app.css", "/static/app.css"},
		{"", NULL},
		{"users", NULL},
		{"/%ff/../..", NULL},
		{"/%ff", NULL},
		{"/a/../b", NULL},
		{"/a/%2e%2e/b", NULL},
		{"/./x", NULL},
		{"//x", NULL},
		{"/x/", NULL},
		{"/a%00b", NULL},
		{"/a%5cb", NULL},
		{"/a\\b", NULL},
		{"/a%0d%0ab", NULL},
		{"/%", NULL},
		{"/%4", NULL},
		{"/%zz", NULL},
		{"/%C0%AF", NULL},    /* overlong '/' */
		{"/%ED%A0%80", NULL}, /* surrogate */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[64];
		int rc = http_normalize_path(cases[i].raw, strlen(cases[i].raw), out, sizeof(out));
		if (cases[i].want) {
			assert_int_equal(rc, 0);
			assert_string_equal(out, cases[i].want);
		} else if (rc != -1) {
			fail_msg("accepted %s", cases[i].raw);
		}
	}
}

static void test_urlencoded(void **state)
{
	struct arena a;
	arena_init(&a);
	struct param *p = NULL;
	size_t n = 0;
	const char *s = "q=%E5%BC%A0+%E4%B8%89&page=2&&empty=&flag&role=a&role=b";
	assert_int_equal(http_parse_urlencoded(&a, s, strlen(s), &p, &n, 64), 0);
	assert_int_equal(n, 6);
	assert_string_equal(p[0].name, "q");
	assert_string_equal(p[0].value, "张 三");
	assert_int_equal(p[0].len, strlen("张 三"));
	assert_string_equal(p[2].name, "empty");
	assert_string_equal(p[2].value, "");
	assert_string_equal(p[3].name, "flag");
	assert_string_equal(p[5].value, "b");
	static const char *const bad[] = {"a=%zz", "a=%ff", "%00=1", "a=b%00c", "=1", "a=%C0%80"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = 0;
		assert_int_equal(http_parse_urlencoded(&a, bad[i], strlen(bad[i]), &p, &n, 64),
				 VE_INVALID);
	}
	char many[1024] = "";
	for (int i = 0; i < 65; i++)
		strcat(many, "x=1&");
	n = 0;
	assert_int_equal(http_parse_urlencoded(&a, many, strlen(many), &p, &n, 64), VE_LIMIT);
	arena_free(&a);
}

static void test_json(void **state)
{
	struct arena a;
	arena_init(&a);
	struct param *p = NULL;
	size_t n = 0;
	json_t *doc = NULL;
	const char *ok = "{\"username\":\"王五\",\"n\":42,\"b\":true,\"z\":null}";
	assert_int_equal(http_parse_json(&a, ok, strlen(ok), &doc, &p, &n, 64), 0);
	assert_int_equal(n, 3);
	assert_string_equal(req_param(&(struct request){.params = p, .n_params = n}, "n"), "42");
	json_decref(doc);
	static const char *const bad[] = {
		"",
		"[1,2]",
		"{\"a\":{\"b\":1}}",
		"{\"a\":[1]}",
		"{\"a\":1,\"a\":2}",
		"{\"a\":",
		"{\"a\":\"\\u0000\"}",
		"{\"\":1}",
		"\"str\"",
		"{\"a\":1.5}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = 0;
		int rc = http_parse_json(&a, bad[i], strlen(bad[i]), &doc, &p, &n, 64);
		json_decref(doc);
		if (rc == 0)
			fail_msg("accepted %s", bad[i]);
	}
	arena_free(&a);
}

static void test_cookie(void **state)
{
	char v[65];
	assert_int_equal(http_cookie("a=1; vets_session=abc; b=2", "vets_session", v, sizeof(v)),
			 0);
	assert_string_equal(v, "abc");
	assert_int_equal(http_cookie("xvets_session=abc", "vets_session", v, sizeof(v)), -1);
	assert_int_equal(http_cookie("vets_session", "vets_session", v, sizeof(v)), -1);
	assert_int_equal(http_cookie("vets_session=a\"b", "vets_session", v, sizeof(v)), -1);
	char long_cookie[200] = "vets_session=";
	memset(long_cookie + 13, 'a', 100);
	assert_int_equal(http_cookie(long_cookie, "vets_session", v, sizeof(v)), -1);
}

static const struct param_spec specs[] = {
	{"name", "姓名", PK_TEXT, 1, 1, 5, 0}, {"page", "页码", PK_INT, 0, 1, 100, 0},
	{"day", "日期", PK_DATE, 0, 0, 0, 0},  {"role", "角色", PK_WORD, 0, 1, 20, 1},
	{"on", "停用", PK_FLAG, 0, 0, 0, 0},   {0},
};

static int check(const char *query, char *err)
{
	struct request req;
	memset(&req, 0, sizeof(req));
	arena_init(&req.arena);
	int rc = http_parse_urlencoded(&req.arena, query, strlen(query), &req.params, &req.n_params,
				       64);
	if (rc == 0)
		rc = params_check(&req, specs, err, 256);
	arena_free(&req.arena);
	return rc;
}

static void test_params(void **state)
{
	static const struct {
		const char *query;
		const char *error; /* NULL: accepted; else a fragment of the message */
	} cases[] = {
		{"name=%E5%BC%A0%E4%B8%89", NULL},
		{"name=abcde&page=100&day=2024-02-29&role=a&role=b&on=1&csrf=x", NULL},
		{"page=1", "请填写姓名"},
		{"name=", "请填写姓名"},
		{"name=abcdef", "姓名长度"},
		{"name=a%09b", NULL},
		{"name=a%0Ab", "控制字符"},
		{"name=a&page=0", "页码"},
		{"name=a&page=101", "页码"},
		{"name=a&page=01", "页码"},
		{"name=a&page=1x", "页码"},
		{"name=a&day=2023-02-29", "日期"},
		{"name=a&day=2024-13-01", "日期"},
		{"name=a&role=a%20b", "角色"},
		{"name=a&on=maybe", "停用"},
		{"name=a&other=1", "不接受的参数：other"},
		{"name=a&name=b", "参数重复"},
		{"name=a&page=", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";
		int rc = check(cases[i].query, err);
		if (!cases[i].error && rc != 0)
			fail_msg("%s refused: %s", cases[i].query, err);
		if (cases[i].error && (rc == 0 || !strstr(err, cases[i].error)))
			fail_msg("%s: want '%s', got '%s'", cases[i].query, cases[i].error, err);
	}
}

static void test_router(void **state)
{
	int64_t id = 0;
	const char *allow = "";
	const struct route *r = router_match("GET", "/users/42", 0, &id, &allow);
	assert_non_null(r);
	assert_string_equal(r->pattern, "/users/{id}");
	assert_int_equal(id, 42);
	assert_non_null(router_match("HEAD", "/users", 0, &id, &allow));
	assert_null(router_match("GET", "/users/0", 0, &id, &allow));
	assert_null(router_match("GET", "/users/abc", 0, &id, &allow));
	assert_null(router_match("GET", "/users/99999999999999999999", 0, &id, &allow));
	assert_null(router_match("PUT", "/users", 0, &id, &allow));
	assert_non_null(strstr(allow, "GET"));
	assert_non_null(strstr(allow, "POST"));
	assert_null(router_match("GET", "/nowhere", 0, &id, &allow));
	assert_string_equal(allow, "");
	/* a staff page does not exist on the portal's listener, not even as a 405 */
	assert_null(router_match("GET", "/users/42", 1, &id, &allow));
	assert_string_equal(allow, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize_path), cmocka_unit_test(test_urlencoded),
		cmocka_unit_test(test_json),           cmocka_unit_test(test_cookie),
		cmocka_unit_test(test_params),         cmocka_unit_test(test_router),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
