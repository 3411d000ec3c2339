/* test_buf.c - lib/buf: the cap holds for every kind of append and leaves the content as it
 * was; HTML escaping as a table; detach and reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"

static void test_empty(void **state)
{
	struct buf b;
	buf_init(&b, 16);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(b.len, 0);
	assert_int_equal(buf_append(&b, NULL, 0), 0);
	assert_string_equal(buf_cstr(&b), "");
	buf_free(&b);
	buf_free(&b); /* freeing twice is harmless: free leaves an empty buffer */
}

/* Appends up to the cap succeed; one byte more fails, sets overflow, changes nothing. */
static void test_cap(void **state)
{
	struct buf b;
	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "abcd"), 0);
	assert_int_equal(buf_printf(&b, "%d%c", 12, 'x'), 0);
	assert_int_equal(buf_putc(&b, 'y'), 0);
	assert_string_equal(buf_cstr(&b), "abcd12xy");
	assert_int_equal(b.overflow, 0);
	assert_int_equal(buf_putc(&b, 'z'), -1);
	assert_int_equal(b.overflow, 1);
	assert_int_equal(buf_puts(&b, "z"), -1);
	assert_int_equal(buf_printf(&b, "%s", "z"), -1);
	assert_int_equal(buf_append(&b, "z", 1), -1);
	assert_int_equal(buf_html_escape(&b, "z", 1), -1);
	assert_int_equal(b.len, 8);
	assert_string_equal(buf_cstr(&b), "abcd12xy");
	/* An empty append still fits a full buffer. */
	assert_int_equal(buf_append(&b, "", 0), 0);
	assert_int_equal(buf_printf(&b, "%s", ""), 0);
	/* Reset empties it and clears overflow; the cap stays. */
	buf_reset(&b);
	assert_int_equal(b.overflow, 0);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(buf_printf(&b, "%08d", 7), 0);
	assert_int_equal(buf_printf(&b, "%d", 7), -1);
	assert_string_equal(buf_cstr(&b), "00000007");
	buf_free(&b);
}

/* An escape that passes the cap halfway leaves nothing of itself behind either. */
static void test_cap_escape(void **state)
{
	struct buf b;
	buf_init(&b, 9);
	assert_int_equal(buf_puts(&b, "abcd"), 0);
	assert_int_equal(buf_html_escape(&b, "ab<c", 4), -1);
	assert_int_equal(b.overflow, 1);
	assert_int_equal(b.len, 4);
	assert_string_equal(buf_cstr(&b), "abcd");
	assert_int_equal(buf_html_escape(&b, "a<", 2), 0);
	assert_string_equal(buf_cstr(&b), "abcda&lt;");
	buf_free(&b);
}

/* A large append against a small cap, and growth over many appends. */
static void test_growth(void **state)
{
	struct buf b;
	char big[5000];
	memset(big, 'a', sizeof(big));
	buf_init(&b, 4096);
	assert_int_equal(buf_append(&b, big, sizeof(big)), -1);
	assert_int_equal(b.len, 0);
	assert_int_equal(buf_append(&b, big, 4096), 0);
	assert_int_equal(b.len, 4096);
	assert_int_equal(strlen(buf_cstr(&b)), 4096);
	buf_free(&b);
	buf_init(&b, 1u << 20);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(buf_printf(&b, "%04d,", i), 0);
	assert_int_equal(b.len, 50000);
	assert_memory_equal(b.data + 49995, "9999,", 6); /* with its NUL */
	buf_free(&b);
}

static void test_html_escape(void **state)
{
	static const struct {
		const char *in, *want;
	} v[] = {
		{"", ""},
		{"plain 东湖", "plain 东湖"},
		{"&", "&amp;"},
		{"<script>", "&lt;script&gt;"},
		{"\"'", "&quot;&#39;"},
		{"a&b<c>d\"e'f", "a&amp;b&lt;c&gt;d&quot;e&#39;f"},
		{"&amp;", "&amp;amp;"},
		{"`=/", "`=/"},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct buf b;
		buf_init(&b, 256);
		assert_int_equal(buf_puts(&b, "["), 0);
		assert_int_equal(buf_html_escape(&b, v[i].in, strlen(v[i].in)), 0);
		assert_int_equal(buf_puts(&b, "]"), 0);
		char want[64];
		snprintf(want, sizeof(want), "[%s]", v[i].want);
		assert_string_equal(buf_cstr(&b), want);
		buf_free(&b);
	}
	/* Only n bytes are escaped; a NUL inside them is kept as it is. */
	struct buf b;
	buf_init(&b, 256);
	assert_int_equal(buf_html_escape(&b, "a\0<", 3), 0);
	assert_int_equal(b.len, 6);
	assert_memory_equal(b.data, "a\0&lt;", 6);
	buf_free(&b);
}

static void test_detach(void **state)
{
	struct buf b;
	size_t len = 99;
	buf_init(&b, 32);
	char *empty = buf_detach(&b, &len);
	assert_string_equal(empty, "");
	assert_int_equal(len, 0);
	free(empty);
	assert_int_equal(buf_puts(&b, "东湖"), 0);
	char *s = buf_detach(&b, &len);
	assert_string_equal(s, "东湖");
	assert_int_equal(len, 6);
	free(s);
	/* b is empty again, with the same cap. */
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 32);
	assert_string_equal(buf_cstr(&b), "");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),       cmocka_unit_test(test_cap),
		cmocka_unit_test(test_cap_escape),  cmocka_unit_test(test_growth),
		cmocka_unit_test(test_html_escape), cmocka_unit_test(test_detach),
	};
	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
