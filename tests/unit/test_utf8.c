/* test_utf8.c - lib/utf8: validation, counting and scrubbing, as tables of byte strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "lib/utf8.h"

static void test_valid(void **state)
{
	static const struct {
		const char *name, *s;
		int want;
	} v[] = {
		{"empty", "", 1},
		{"ascii", "hello, world", 1},
		{"two_bytes", "\xc3\xa9", 1},
		{"three_bytes", "东湖街道", 1},
		{"four_bytes", "\xf0\x9f\x98\x80", 1},
		{"smallest_two", "\xc2\x80", 1},
		{"smallest_three", "\xe0\xa0\x80", 1},
		{"smallest_four", "\xf0\x90\x80\x80", 1},
		{"largest", "\xf4\x8f\xbf\xbf", 1},
		{"before_surrogates", "\xed\x9f\xbf", 1},
		{"after_surrogates", "\xee\x80\x80", 1},
		{"controls", "\x01\x1f\x7f", 1}, /* printable is str_is_printable's job */
		{"overlong_slash", "\xc0\xaf", 0},
		{"overlong_nul", "\xc0\x80", 0},
		{"overlong_two", "\xc1\xbf", 0},
		{"overlong_three", "\xe0\x80\xaf", 0},
		{"overlong_four", "\xf0\x80\x80\xaf", 0},
		{"surrogate_first", "\xed\xa0\x80", 0},
		{"surrogate_last", "\xed\xbf\xbf", 0},
		{"over_max", "\xf4\x90\x80\x80", 0},
		{"five_bytes", "\xf8\x88\x80\x80\x80", 0},
		{"ff", "\xff", 0},
		{"fe", "\xfe", 0},
		{"lone_continuation", "a\x80", 0},
		{"cut_two", "\xc3", 0},
		{"cut_three", "\xe4\xb8", 0},
		{"cut_four", "\xf0\x9f\x98", 0},
		{"ascii_in_sequence", "\xe4\x41\x41", 0},
		{"gbk", "\xb6\xab\xba\xfe", 0}, /* 东湖 in GBK */
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (utf8_valid(v[i].s, strlen(v[i].s)) != v[i].want)
			fail_msg("%s: want %d", v[i].name, v[i].want);
	/* NUL is refused, and only n bytes are read. */
	assert_int_equal(utf8_valid("a\0b", 3), 0);
	assert_int_equal(utf8_valid("a\0b", 1), 1);
	assert_int_equal(utf8_valid("\xe4\xb8\xad", 2), 0);
}

static void test_count(void **state)
{
	static const struct {
		const char *s;
		size_t want;
	} v[] = {
		{"", 0}, {"abc", 3}, {"东湖街道", 4}, {"a东b", 3}, {"\xf0\x9f\x98\x80!", 2},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		assert_int_equal(utf8_count(v[i].s, strlen(v[i].s)), v[i].want);
}

static void test_scrub(void **state)
{
	static const struct {
		const char *in, *want;
	} v[] = {
		{"", ""},
		{"plain", "plain"},
		{"东湖街道", "东湖街道"},
		{"东湖\xe8\xa1", "东湖??"}, /* cut mid-character by a printf precision */
		{"\xff"
		 "a\xfe",
		 "?a?"},
		{"\xc0\x80", "??"},
		{"\xed\xa0\x80x", "???x"},
		{"a\x80"
		 "b",
		 "a?b"},
		{"\xe4\x41", "?A"},
		{"\xf0\x9f\x98\x80\xf0\x9f", "\xf0\x9f\x98\x80??"},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char s[64];
		snprintf(s, sizeof(s), "%s", v[i].in);
		utf8_scrub(s);
		assert_string_equal(s, v[i].want);
		assert_true(utf8_valid(s, strlen(s)));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_scrub),
	};
	return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
