/* test_str.c - lib/str: string views, the bounded integer parser, the capped copy and the
 * printable check, as tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "lib/str.h"

#define NO 0 /* refused */
#define OK 1

static void test_to_i64(void **state)
{
	static const struct {
		const char *in;
		int64_t min, max;
		int ok;
		int64_t want;
	} v[] = {
		{"0", 0, 10, OK, 0},
		{"7", 0, 10, OK, 7},
		{"10", 0, 10, OK, 10},
		{"11", 0, 10, NO, 0},
		{"-1", 0, 10, NO, 0},
		{"-1", -5, 5, OK, -1},
		{"-5", -5, 5, OK, -5},
		{"-6", -5, 5, NO, 0},
		{"-0", -5, 5, OK, 0},
		{"9223372036854775807", INT64_MIN, INT64_MAX, OK, INT64_MAX},
		{"9223372036854775808", INT64_MIN, INT64_MAX, NO, 0},
		{"-9223372036854775808", INT64_MIN, INT64_MAX, OK, INT64_MIN},
		{"-9223372036854775809", INT64_MIN, INT64_MAX, NO, 0},
		{"9999999999999999999", INT64_MIN, INT64_MAX, NO, 0},
		{"18446744073709551615", INT64_MIN, INT64_MAX, NO, 0},
		{"18446744073709551616", INT64_MIN, INT64_MAX, NO, 0},
		{"99999999999999999999999", INT64_MIN, INT64_MAX, NO, 0},
		{"", INT64_MIN, INT64_MAX, NO, 0},
		{"-", INT64_MIN, INT64_MAX, NO, 0},
		{"+1", INT64_MIN, INT64_MAX, NO, 0},
		{"01", INT64_MIN, INT64_MAX, NO, 0},
		{"00", INT64_MIN, INT64_MAX, NO, 0},
		{"-01", INT64_MIN, INT64_MAX, NO, 0},
		{" 1", INT64_MIN, INT64_MAX, NO, 0},
		{"1 ", INT64_MIN, INT64_MAX, NO, 0},
		{"1.0", INT64_MIN, INT64_MAX, NO, 0},
		{"1e3", INT64_MIN, INT64_MAX, NO, 0},
		{"0x1", INT64_MIN, INT64_MAX, NO, 0},
		{"--1", INT64_MIN, INT64_MAX, NO, 0},
		{"\xef\xbc\x91", INT64_MIN, INT64_MAX, NO, 0}, /* full-width 1 */
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int64_t out = 12345;
		int rc = str_to_i64(v[i].in, strlen(v[i].in), v[i].min, v[i].max, &out);
		if (v[i].ok && (rc != 0 || out != v[i].want))
			fail_msg("\"%s\": want %lld, got rc %d, %lld", v[i].in,
				 (long long)v[i].want, rc, (long long)out);
		if (!v[i].ok && (rc != -1 || out != 12345))
			fail_msg("\"%s\": want refused and *out untouched, got rc %d, %lld",
				 v[i].in, rc, (long long)out);
	}
	/* Only n bytes are read: the rest of the buffer does not count. */
	int64_t out = 0;
	assert_int_equal(str_to_i64("12abc", 2, 0, 100, &out), 0);
	assert_int_equal(out, 12);
	assert_int_equal(str_to_i64("12", 0, 0, 100, &out), -1);
}

static void test_copy(void **state)
{
	static const struct {
		const char *src;
		size_t size;
		const char *want;
	} v[] = {
		{"abc", 8, "abc"},
		{"abc", 4, "abc"},
		{"abc", 3, "ab"},
		{"abc", 1, ""},
		{"", 4, ""},
		{"abcdefgh", 5, "abcd"},
		/* Bytes, not characters: the caller sizes the buffer; a character that does not
		 * fit whole is left out, never cut */
		{"东湖街道", 8, "东湖"},
		{"东湖街道", 10, "东湖街"},
		{"东湖街道", 13, "东湖街道"},
		{"a东", 3, "a"},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char dst[16];
		memset(dst, 'x', sizeof(dst));
		assert_int_equal(str_copy(dst, v[i].src, v[i].size), strlen(v[i].src));
		assert_string_equal(dst, v[i].want);
		assert_int_equal(dst[v[i].size], 'x'); /* nothing written past size */
	}
	char untouched = 'x';
	assert_int_equal(str_copy(&untouched, "abc", 0), 3);
	assert_int_equal(untouched, 'x');
}

static void test_printable(void **state)
{
	static const struct {
		const char *s;
		int newlines; /* allow_newlines */
		int want;
	} v[] = {
		{"", 0, 1},
		{"plain text", 0, 1},
		{"东湖街道 建设社区", 0, 1},
		{"tab\there", 0, 1},
		{"line\nbreak", 0, 0},
		{"line\nbreak", 1, 1},
		{"crlf\r\n", 1, 1},
		{"cr\r", 0, 0},
		{"bell\x07", 1, 0},
		{"esc\x1b[31m", 1, 0},
		{"del\x7f", 1, 0},
		{"\x1f", 1, 0},
		{"high \x80\xff bytes", 0, 1}, /* UTF-8 validity is utf8_valid's job */
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (str_is_printable(v[i].s, strlen(v[i].s), v[i].newlines) != v[i].want)
			fail_msg("\"%s\" (newlines %d): want %d", v[i].s, v[i].newlines, v[i].want);
	assert_int_equal(str_is_printable("a\0b", 3, 1), 0);
	assert_int_equal(str_is_printable("a\0b", 1, 1), 1);
}

/* What people type, tidied: spaces around removed (full-width U+3000 and no-break U+00A0
 * too), inner runs kept, collapsed to one space, or removed. */
static void test_tidy(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		enum str_tidy_inner inner;
		const char *want;
	} v[] = {
		{"  张三 ", STR_TIDY_COLLAPSE, "张三"},
		{"\xe3\x80\x80张三\xe3\x80\x80", STR_TIDY_COLLAPSE, "张三"},
		{"\t张三\r\n", STR_TIDY_COLLAPSE, "张三"},
		{"\xc2\xa0张三\xc2\xa0", STR_TIDY_COLLAPSE, "张三"},
		{"Ann   O'Neil", STR_TIDY_COLLAPSE, "Ann O'Neil"},
		{"张\xe3\x80\x80 三", STR_TIDY_COLLAPSE, "张 三"},
		{"张 \xe3\x80\x80三", STR_TIDY_KEEP, "张 \xe3\x80\x80三"},
		{" 第一行\n第二行 \n", STR_TIDY_KEEP, "第一行\n第二行"},
		{" 6222 0212 3456 ", STR_TIDY_REMOVE, "622202123456"},
		{" 1234 ", STR_TIDY_REMOVE, "1234"},
		{"", STR_TIDY_COLLAPSE, ""},
		{"   ", STR_TIDY_COLLAPSE, ""},
		{"\xe3\x80\x80", STR_TIDY_REMOVE, ""},
		{"abc", STR_TIDY_COLLAPSE, "abc"},
		{"\xe3\x80", STR_TIDY_COLLAPSE, "\xe3\x80"}, /* a cut sequence is no space */
		{"\xe4\xb8\x80", STR_TIDY_COLLAPSE, "\xe4\xb8\x80"}, /* 一 */
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char buf[64];
		str_copy(buf, v[i].in, sizeof(buf));
		size_t n = str_tidy(buf, v[i].inner);
		if (strcmp(buf, v[i].want) != 0 || n != strlen(v[i].want))
			fail_msg("case %zu: want \"%s\", got \"%s\" (%zu)", i, v[i].want, buf, n);
	}
}

static void test_views(void **state)
{
	struct sv s = sv_from("person.view");
	struct sv empty = sv_from(NULL);
	assert_int_equal(s.n, 11);
	assert_int_equal(empty.n, 0);
	assert_true(sv_eq(s, "person.view"));
	assert_false(sv_eq(s, "person.vie"));
	assert_false(sv_eq(s, "person.view2"));
	assert_true(sv_starts(s, "person."));
	assert_true(sv_starts(s, ""));
	assert_true(sv_starts(s, "person.view"));
	assert_false(sv_starts(s, "person.view."));
	assert_false(sv_starts(s, "payment."));
	assert_true(sv_eq(empty, ""));
	assert_false(sv_starts(empty, "a"));
	assert_true(sv_eq(SV("ab"), "ab"));
	assert_int_equal(SV("ab").n, 2);
	/* A view need not end with NUL: only its n bytes count. */
	struct sv part = {"abcdef", 3};
	assert_true(sv_eq(part, "abc"));
	assert_false(sv_starts(part, "abcd"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_to_i64),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_printable),
		cmocka_unit_test(test_views),
		cmocka_unit_test(test_tidy),
	};
	return cmocka_run_group_tests_name("str", tests, NULL, NULL);
}
