/* test_multipart.c - web/multipart: a table of bodies and verdicts, boundaries from headers,
 * the header size limit at its edge, and a large body of near-miss delimiters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/err.h"
#include "web/multipart.h"

/* A string literal and its length, NULs included. */
#define BYTES(s) s, sizeof(s) - 1

#define CHROME_B "----WebKitFormBoundary7MA4YWxkTrZu0gW"
#define CHROME_D "--" CHROME_B
#define FIREFOX_B "---------------------------9051914041544843365972754266"
#define FIREFOX_D "--" FIREFOX_B
#define CD "Content-Disposition: form-data; "
/* 退役军人名册.xlsx, percent-encoded (Python urllib.parse.quote). */
#define XLSX_PCT "%E9%80%80%E5%BD%B9%E5%86%9B%E4%BA%BA%E5%90%8D%E5%86%8C.xlsx"
#define XLSX_CT "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define BIN "PK\x03\x04\x00\x00\r\n\r\n" CHROME_B "\r\n--" CHROME_B "X\r\n\x00\xff--\r\n"

struct want_part {
	const char *name;
	const char *filename; /* NULL: a plain field */
	const char *content_type;
	const char *data;
	size_t len;
};

struct parse_case {
	const char *what;
	const char *body;
	size_t n;
	const char *boundary;
	size_t max; /* 0: 8 */
	int rc;
	size_t count;
	struct want_part parts[3];
};

static const struct parse_case cases[] = {
	{"chrome: text field and csv with a raw UTF-8 name",
	 BYTES(CHROME_D
	       "\r\n" CD "name=\"title\"\r\n\r\n二〇二六年登记\r\n" CHROME_D "\r\n" CD
	       "name=\"file\"; filename=\"退役军人名册.csv\"\r\nContent-Type: text/csv\r\n\r\n"
	       "姓名,身份证号\r\n张三,11010519491231002X\r\n\r\n" CHROME_D "--\r\n"),
	 CHROME_B,
	 0,
	 0,
	 2,
	 {{"title", NULL, "", BYTES("二〇二六年登记")},
	  {"file", "退役军人名册.csv", "text/csv",
	   BYTES("姓名,身份证号\r\n张三,11010519491231002X\r\n")}}},
	{"firefox: text field and xlsx named with filename*",
	 BYTES(FIREFOX_D "\r\n" CD "name=\"note\"\r\n\r\n第一批\r\n" FIREFOX_D "\r\n" CD
			 "name=\"upload\"; filename*=UTF-8''" XLSX_PCT "\r\nContent-Type: " XLSX_CT
			 "\r\n\r\nPK\x03\x04\r\n" FIREFOX_D "--\r\n"),
	 FIREFOX_B,
	 0,
	 0,
	 2,
	 {{"note", NULL, "", BYTES("第一批")},
	  {"upload", "退役军人名册.xlsx", XLSX_CT, BYTES("PK\x03\x04")}}},
	{"filename* wins over a Latin-1 filename",
	 BYTES("--b\r\n" CD
	       "name=f; filename=\"\xe9.csv\"; filename*=utf-8'zh-CN'%E5%90%8D%E5%86%8C%"
	       "202026.csv\r\n\r\nx\r\n--b--"),
	 "b",
	 0,
	 0,
	 1,
	 {{"f", "名册 2026.csv", "", BYTES("x")}}},
	{"binary content with CR LF, the boundary text and a near-miss delimiter",
	 BYTES(CHROME_D "\r\n" CD "name=\"file\"; filename=\"a.xlsx\"\r\nContent-Type: "
			"application/octet-stream\r\n\r\n" BIN "\r\n" CHROME_D "--"),
	 CHROME_B,
	 0,
	 0,
	 1,
	 {{"file", "a.xlsx", "application/octet-stream", BYTES(BIN)}}},
	{"empty file, as sent for an empty file input",
	 BYTES("--b\r\n" CD "name=\"file\"; filename=\"\"\r\nContent-Type: application/octet-stream"
	       "\r\n\r\n\r\n--b--\r\n"),
	 "b",
	 0,
	 0,
	 1,
	 {{"file", "", "application/octet-stream", BYTES("")}}},
	{"empty field and a field without filename",
	 BYTES("--b\r\n" CD "name=\"a\"\r\n\r\n\r\n--b\r\n" CD "name=\"b\"\r\n\r\n2\r\n--b--"),
	 "b",
	 0,
	 0,
	 2,
	 {{"a", NULL, "", BYTES("")}, {"b", NULL, "", BYTES("2")}}},
	{"escaped quote and backslash in name, Windows path kept",
	 BYTES("--b\r\n" CD
	       "name=\"a\\\"b\\\\c\"; filename=\"C:\\Users\\x.csv\"\r\n\r\nv\r\n--b--"),
	 "b",
	 0,
	 0,
	 1,
	 {{"a\"b\\c", "C:\\Users\\x.csv", "", BYTES("v")}}},
	{"LF-only header lines",
	 BYTES("--b\n" CD "name=\"a\"\nContent-Type: text/plain\n\nline1\nline2\r\n--b\n" CD
	       "name=\"c\"\n\n\r\n--b--"),
	 "b",
	 0,
	 0,
	 2,
	 {{"a", NULL, "text/plain", BYTES("line1\nline2")}, {"c", NULL, "", BYTES("")}}},
	{"preamble and epilogue ignored",
	 BYTES("This is a preamble.\r\n--b is not a delimiter\r\n--b\r\n" CD
	       "name=\"a\"\r\n\r\n1\r\n--b--\r\nepilogue\r\n--b\r\nmore"),
	 "b",
	 0,
	 0,
	 1,
	 {{"a", NULL, "", BYTES("1")}}},
	{"padding after a delimiter, case-insensitive headers, unquoted tokens, other headers",
	 BYTES("--b \t\r\ncontent-disposition:FORM-DATA;NAME=a.b;  FileName=x.csv  \r\n"
	       "X-Other: 1\r\nCONTENT-TYPE:  text/csv \r\n\r\n1\r\n--b\t\r\n" CD
	       "name=\"z\"; size=3\r\n\r\n2\r\n--b--"),
	 "b",
	 0,
	 0,
	 2,
	 {{"a.b", "x.csv", "text/csv", BYTES("1")}, {"z", NULL, "", BYTES("2")}}},
	{"boundary with bchars",
	 BYTES("--'()+_,-./:=? x\r\n" CD "name=a\r\n\r\n1\r\n--'()+_,-./:=? x--"),
	 "'()+_,-./:=? x",
	 0,
	 0,
	 1,
	 {{"a", NULL, "", BYTES("1")}}},
	{"no parts", BYTES("--b--\r\n"), "b", 0, 0, 0, {{0}}},
	{"max parts exactly",
	 BYTES("--b\r\n" CD "name=a\r\n\r\n1\r\n--b\r\n" CD "name=b\r\n\r\n2\r\n--b--"),
	 "b",
	 2,
	 0,
	 2,
	 {{"a", NULL, "", BYTES("1")}, {"b", NULL, "", BYTES("2")}}},
	{"more than max parts",
	 BYTES("--b\r\n" CD "name=a\r\n\r\n1\r\n--b\r\n" CD "name=b\r\n\r\n2\r\n--b\r\n" CD
	       "name=c\r\n\r\n3\r\n--b--"),
	 "b",
	 2,
	 VE_LIMIT,
	 0,
	 {{0}}},
	{"wrong boundary",
	 BYTES(CHROME_D "\r\n" CD "name=a\r\n\r\n1\r\n" CHROME_D "--"),
	 "other",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"boundary is a prefix of the one used",
	 BYTES("--bc\r\n" CD "name=a\r\n\r\n1\r\n--bc--"),
	 "b",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"empty boundary",
	 BYTES("--\r\n" CD "name=a\r\n\r\n1\r\n----"),
	 "",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"boundary with a CR",
	 BYTES("--b\r\r\n" CD "name=a\r\n\r\n1\r\n--b\r--"),
	 "b\r",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"empty body", BYTES(""), "b", 0, VE_INVALID, 0, {{0}}},
	{"missing closing boundary",
	 BYTES("--b\r\n" CD "name=a\r\n\r\n1\r\n--b\r\n"),
	 "b",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"closing boundary without its dashes",
	 BYTES("--b\r\n" CD "name=a\r\n\r\n1\r\n--b"),
	 "b",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"body cut in the data",
	 BYTES("--b\r\n" CD "name=a\r\n\r\n1234"),
	 "b",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"body cut in the headers", BYTES("--b\r\n" CD "name=a\r\n"), "b", 0, VE_INVALID, 0, {{0}}},
	{"no Content-Disposition",
	 BYTES("--b\r\nContent-Type: text/plain\r\n\r\n1\r\n--b--"),
	 "b",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"disposition not form-data",
	 BYTES("--b\r\nContent-Disposition: attachment; name=a\r\n\r\n1"
	       "\r\n--b--"),
	 "b",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"no name",
	 BYTES("--b\r\n" CD "filename=\"a.csv\"\r\n\r\n1\r\n--b--"),
	 "b",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"empty name",
	 BYTES("--b\r\n" CD "name=\"\"\r\n\r\n1\r\n--b--"),
	 "b",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"repeated name",
	 BYTES("--b\r\n" CD "name=a; NAME=b\r\n\r\n1\r\n--b--"),
	 "b",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"repeated Content-Disposition",
	 BYTES("--b\r\n" CD "name=a\r\n" CD "name=b\r\n\r\n1\r\n--b--"),
	 "b",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"invalid UTF-8 in name",
	 BYTES("--b\r\n" CD "name=\"\xc0\xaf\"\r\n\r\n1\r\n--b--"),
	 "b",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"invalid UTF-8 in filename",
	 BYTES("--b\r\n" CD "name=f; filename=\"\xe9.csv\"\r\n\r\n1\r\n"
	       "--b--"),
	 "b",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"NUL through filename*",
	 BYTES("--b\r\n" CD "name=f; filename*=UTF-8''a%00b\r\n\r\n1\r\n"
	       "--b--"),
	 "b",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"filename* in Latin-1",
	 BYTES("--b\r\n" CD "name=f; filename*=iso-8859-1''%E9\r\n\r\n1\r\n"
	       "--b--"),
	 "b",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"filename* with a bad escape",
	 BYTES("--b\r\n" CD "name=f; filename*=UTF-8''a%4\r\n\r\n1\r\n"
	       "--b--"),
	 "b",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"unterminated quoted name",
	 BYTES("--b\r\n" CD "name=\"a\r\n\r\n1\r\n--b--"),
	 "b",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"junk after a quoted name",
	 BYTES("--b\r\n" CD "name=\"a\"x\r\n\r\n1\r\n--b--"),
	 "b",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"parameters without a semicolon",
	 BYTES("--b\r\n" CD "name=a filename=b\r\n\r\n1\r\n--b--"),
	 "b",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"header without a colon",
	 BYTES("--b\r\n" CD "name=a\r\nbroken\r\n\r\n1\r\n--b--"),
	 "b",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"folded header",
	 BYTES("--b\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\n1\r\n--b--"),
	 "b",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"control character in a header",
	 BYTES("--b\r\n" CD "name=a\r\nContent-Type: te\x01xt\r\n"
	       "\r\n1\r\n--b--"),
	 "b",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
	{"bare CR in a header",
	 BYTES("--b\r\n" CD "name=a\rContent-Type: x\r\n\r\n1\r\n--b--"),
	 "b",
	 0,
	 VE_INVALID,
	 0,
	 {{0}}},
};

static void check_part(const struct parse_case *c, size_t i, const struct multipart_part *got)
{
	const struct want_part *w = &c->parts[i];
	if (strcmp(got->name, w->name) != 0)
		fail_msg("%s: part %zu name \"%s\"", c->what, i, got->name);
	if (!w->filename != !got->filename || (w->filename && strcmp(got->filename, w->filename)))
		fail_msg("%s: part %zu filename \"%s\"", c->what, i,
			 got->filename ? got->filename : "(null)");
	if (strcmp(got->content_type, w->content_type) != 0)
		fail_msg("%s: part %zu content type \"%s\"", c->what, i, got->content_type);
	if (got->len != w->len || memcmp(got->data, w->data, w->len) != 0)
		fail_msg("%s: part %zu data of %zu bytes", c->what, i, got->len);
}

/* Runs one case on a heap copy of its body, so that ASan sees any read outside it. */
static void run_case(const struct parse_case *c)
{
	struct arena arena;
	struct multipart_part *parts;
	size_t count;
	char *body = malloc(c->n ? c->n : 1);
	memcpy(body, c->body, c->n);
	arena_init(&arena);
	int rc = multipart_parse(&arena, body, c->n, c->boundary, &parts, &count,
				 c->max ? c->max : 8);
	if (rc != c->rc)
		fail_msg("%s: rc %d, want %d", c->what, rc, c->rc);
	if (count != c->count)
		fail_msg("%s: %zu parts, want %zu", c->what, count, c->count);
	if (rc != 0 && parts)
		fail_msg("%s: parts set on error", c->what);
	for (size_t i = 0; i < count; i++) {
		check_part(c, i, &parts[i]);
		assert_true(parts[i].data >= body && parts[i].data + parts[i].len <= body + c->n);
	}
	arena_free(&arena);
	free(body);
}

static void test_parse_table(void **state)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
}

static void test_max_zero(void **state)
{
	struct arena arena;
	struct multipart_part *parts;
	size_t count;
	const char one[] = "--b\r\n" CD "name=a\r\n\r\n1\r\n--b--";
	arena_init(&arena);
	assert_int_equal(multipart_parse(&arena, BYTES(one), "b", &parts, &count, 0), VE_LIMIT);
	assert_int_equal(multipart_parse(&arena, BYTES("--b--"), "b", &parts, &count, 0), 0);
	assert_int_equal(count, 0);
	arena_free(&arena);
}

/* Parses one part whose header section (from after the boundary line to the blank line
 * included) is exactly size bytes. */
static int parse_headers_of(size_t size)
{
	const char head[] = "--b\r\n" CD "name=a\r\nX-Pad: ", tail[] = "\r\n\r\n1\r\n--b--";
	size_t fixed = sizeof(CD "name=a\r\nX-Pad: ") - 1 + 4, pad = size - fixed;
	size_t n = sizeof(head) - 1 + pad + sizeof(tail) - 1;
	char *body = malloc(n);
	memcpy(body, head, sizeof(head) - 1);
	memset(body + sizeof(head) - 1, 'x', pad);
	memcpy(body + sizeof(head) - 1 + pad, tail, sizeof(tail) - 1);
	struct arena arena;
	struct multipart_part *parts;
	size_t count;
	arena_init(&arena);
	int rc = multipart_parse(&arena, body, n, "b", &parts, &count, 8);
	arena_free(&arena);
	free(body);
	return rc;
}

static void test_headers_limit(void **state)
{
	assert_int_equal(parse_headers_of(MULTIPART_HEADERS_MAX), 0);
	assert_int_equal(parse_headers_of(MULTIPART_HEADERS_MAX + 1), VE_INVALID);
	assert_int_equal(parse_headers_of(64 * 1024), VE_INVALID);
}

/* 32 MiB of data made of near-miss delimiters: a quadratic search would not finish. */
static void test_large_near_misses(void **state)
{
	const char head[] = "--" CHROME_B "\r\n" CD "name=f; filename=big.csv\r\n\r\n",
		   tail[] = "\r\n--" CHROME_B "--\r\n", miss[] = "\r\n--" CHROME_B "X";
	size_t reps = (32u << 20) / (sizeof(miss) - 1), data_len = reps * (sizeof(miss) - 1);
	size_t n = sizeof(head) - 1 + data_len + sizeof(tail) - 1;
	char *body = malloc(n), *p = body;
	memcpy(p, head, sizeof(head) - 1);
	p += sizeof(head) - 1;
	for (size_t i = 0; i < reps; i++, p += sizeof(miss) - 1)
		memcpy(p, miss, sizeof(miss) - 1);
	memcpy(p, tail, sizeof(tail) - 1);
	struct arena arena;
	struct multipart_part *parts;
	size_t count;
	arena_init(&arena);
	assert_int_equal(multipart_parse(&arena, body, n, CHROME_B, &parts, &count, 8), 0);
	assert_int_equal(count, 1);
	assert_int_equal(parts[0].len, data_len);
	assert_ptr_equal(parts[0].data, body + sizeof(head) - 1);
	arena_free(&arena);
	free(body);
}

struct boundary_case {
	const char *content_type;
	const char *want; /* NULL: refused */
};

#define B70 "0123456789012345678901234567890123456789012345678901234567890123456789"

static const struct boundary_case boundaries[] = {
	{"multipart/form-data; boundary=" CHROME_B, CHROME_B},
	{"multipart/form-data; boundary=" FIREFOX_B, FIREFOX_B},
	{"multipart/form-data; boundary=\"gc0pJq0M:08jU534c0p\"", "gc0pJq0M:08jU534c0p"},
	{"Multipart/Form-Data;BOUNDARY=abc", "abc"},
	{"multipart/form-data; charset=utf-8; boundary=\"a b\"", "a b"},
	{"multipart/form-data; boundary=\"a\\\\b\"", NULL},
	{"multipart/form-data; boundary = abc ; x=y;", "abc"},
	{"  multipart/form-data;boundary=" B70, B70},
	{"multipart/form-data; boundary=\"" B70 "\"", B70},
	{"multipart/form-data; boundary=" B70 "0", NULL},
	{"multipart/form-data", NULL},
	{"multipart/form-data;", NULL},
	{"multipart/form-data; boundary=", NULL},
	{"multipart/form-data; boundary=\"\"", NULL},
	{"multipart/form-data; boundary=\"abc \"", NULL},
	{"multipart/form-data; boundary=\"abc", NULL},
	{"multipart/form-data; boundary=abc\"", NULL},
	{"multipart/form-data; boundary=a*b", NULL},
	{"multipart/form-data; boundary=abc; boundary=abc", NULL},
	{"multipart/form-data boundary=abc", NULL},
	{"multipart/form-datax; boundary=abc", NULL},
	{"multipart/mixed; boundary=abc", NULL},
	{"text/plain; boundary=abc", NULL},
	{"", NULL},
};

static void test_boundary_table(void **state)
{
	for (size_t i = 0; i < sizeof(boundaries) / sizeof(boundaries[0]); i++) {
		const struct boundary_case *c = &boundaries[i];
		char out[MULTIPART_BOUNDARY_MAX + 1] = "";
		int rc = multipart_boundary(c->content_type, out, sizeof(out));
		if (rc != (c->want ? 0 : -1) || (c->want && strcmp(out, c->want) != 0))
			fail_msg("%s: rc %d, \"%s\"", c->content_type, rc, out);
	}
}

static void test_boundary_size(void **state)
{
	char out[4];
	assert_int_equal(multipart_boundary("multipart/form-data; boundary=abcd", out, 4), -1);
	assert_int_equal(multipart_boundary("multipart/form-data; boundary=abc", out, 4), 0);
	assert_string_equal(out, "abc");
	assert_int_equal(multipart_boundary("multipart/form-data; boundary=abc", out, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),    cmocka_unit_test(test_max_zero),
		cmocka_unit_test(test_headers_limit),  cmocka_unit_test(test_large_near_misses),
		cmocka_unit_test(test_boundary_table), cmocka_unit_test(test_boundary_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
