/* test_log.c - lib/log: the line's shape, the quoting of values (spaces, quotes, backslashes,
 * '=', controls, bytes that are not UTF-8), the conversions, cutting a long line, and the
 * --log-file reopened after a rename. Expected lines are written out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"

/* 2026-11-28T04:00:00Z */
#define T 1795838400

static size_t line_of(char *out, size_t size, enum log_level level, const char *event,
		      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static size_t line_of(char *out, size_t size, enum log_level level, const char *event,
		      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t n = log_format(out, size, T, level, event, fmt, ap);
	va_end(ap);
	assert_int_equal(n, strlen(out));
	return n;
}

static void test_shape(void **state)
{
	char line[512];
	line_of(line, sizeof(line), LOG_INFO, "http.request",
		"req=%llx ip=%s status=%d us=%lld", 0x1fULL, "127.0.0.1", 200, 1234LL);
	assert_string_equal(line, "ts=2026-11-28T04:00:00Z level=info event=http.request req=1f "
				  "ip=127.0.0.1 status=200 us=1234");
	line_of(line, sizeof(line), LOG_ERROR, "db.error", "error=%s", "x");
	assert_string_equal(line, "ts=2026-11-28T04:00:00Z level=error event=db.error error=x");
	line_of(line, sizeof(line), LOG_WARN, "a.b", "n=%d", -3);
	assert_string_equal(line, "ts=2026-11-28T04:00:00Z level=warn event=a.b n=-3");
}

static void test_quoting(void **state)
{
	static const struct {
		const char *in, *want;
	} v[] = {
		{"plain", "plain"},
		{"/persons/{id}", "/persons/{id}"},
		{"", "\"\""},
		{"two words", "\"two words\""},
		{"say \"hi\"", "\"say \\\"hi\\\"\""},
		{"a\\b", "\"a\\\\b\""},
		{"k=v", "\"k=v\""},
		{"line\nbreak\r\tend", "\"line\\nbreak\\r\\tend\""},
		{"bell\x07", "\"bell\\x07\""},
		{"del\x7f", "\"del\\x7f\""},
		{"审计链头缺失", "审计链头缺失"},
		{"审计 链头", "\"审计 链头\""},
		{"bad\xff" "byte", "\"bad\\xffbyte\""},
		{"cut\xe5\xae", "\"cut\\xe5\\xae\""},
		/* a value can't fake a field of its own */
		{"x level=error", "\"x level=error\""},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char out[128];
		size_t n = log_value(out, sizeof(out), v[i].in, strlen(v[i].in));
		assert_int_equal(n, strlen(out));
		assert_string_equal(out, v[i].want);
	}
}

static void test_conversions(void **state)
{
	char line[512];
	const char *p = "prefix-and-more";
	line_of(line, sizeof(line), LOG_INFO, "e",
		"a=%.6s b=%.*s c=%zu d=%u e=%5d f=%ld g=%c h=%%", p, 3, p, (size_t)42, 7u, 12, -9L,
		'z');
	assert_string_equal(line, "ts=2026-11-28T04:00:00Z level=info event=e a=prefix b=pre "
				  "c=42 d=7 e=\"   12\" f=-9 g=z h=%");
	/* NULL is "-"; a newline in the format's own text does not split the line */
	const char *volatile none = NULL;
	line_of(line, sizeof(line), LOG_INFO, "e", "a=%s\nb=%s", none, "x y");
	assert_string_equal(line, "ts=2026-11-28T04:00:00Z level=info event=e a=- b=\"x y\"");
}

/* A line longer than the buffer is cut at a whole character, its quoted value closed. */
static void test_cut(void **state)
{
	char big[600], line[100];
	for (size_t i = 0; i < 200; i++)
		memcpy(big + 3 * i, "审", 3);
	big[600 - 1] = '\0';
	big[597] = '\0';
	line_of(line, sizeof(line), LOG_INFO, "e", "v=%s", big);
	assert_true(strlen(line) < sizeof(line));
	assert_int_equal(strncmp(line, "ts=2026-11-28T04:00:00Z level=info event=e v=", 45), 0);
	assert_true((strlen(line) - 45) % 3 == 0);
	line_of(line, sizeof(line), LOG_INFO, "e", "v=%s tail=%s", "a b c d e f g h i j k l m n o p",
		"the end of it all");
	size_t n = strlen(line);
	assert_true(n < sizeof(line));
	/* every quote opened is closed */
	size_t quotes = 0;
	for (size_t i = 0; i < n; i++)
		quotes += line[i] == '"' && (i == 0 || line[i - 1] != '\\');
	assert_int_equal(quotes % 2, 0);
}

/* --log-file: lines go to the file; after a rename and log_reopen, to a new file of the name. */
static void test_reopen(void **state)
{
	char dir[] = "/tmp/vets-test-log-XXXXXX", path[128], moved[128], buf[512];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/events.log", dir);
	snprintf(moved, sizeof(moved), "%s/events.log.1", dir);
	assert_int_equal(log_open_file(path), 0);
	assert_int_equal(log_has_file(), 1);
	log_info("test.first", "n=%d", 1);
	assert_int_equal(rename(path, moved), 0);
	log_info("test.second", "n=%d", 2); /* still the old file: it was not reopened yet */
	assert_int_equal(log_reopen(), 0);
	log_info("test.third", "n=%d", 3);
	FILE *f = fopen(moved, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_non_null(strstr(buf, "event=test.first n=1\n"));
	assert_non_null(strstr(buf, "event=test.second n=2\n"));
	assert_null(strstr(buf, "test.third"));
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_non_null(strstr(buf, "level=info event=test.third n=3\n"));
	assert_null(strstr(buf, "test.first"));
	unlink(path);
	unlink(moved);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shape),     cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_conversions), cmocka_unit_test(test_cut),
		cmocka_unit_test(test_reopen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
