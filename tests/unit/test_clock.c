/* test_clock.c - lib/clock: the faked clock, UTC and Asia/Shanghai formatting and date parsing,
 * as tables. Epoch values were computed apart from lib/clock (Python's calendar.timegm). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/clock.h"

/* 2026-11-28T04:00:00Z: noon in Shanghai, far from a day's edge on either side. */
#define FAKE_NOW 1795838400

/* VETS_FAKE_NOW is read once, at the first call: main sets it before any test runs. */
static void test_fake_now(void **state)
{
	int64_t now = clock_now();
	/* Time runs on from the fake instant; an hour is a bound no busy machine reaches. */
	assert_true(now >= FAKE_NOW && now < FAKE_NOW + 3600);
	assert_string_equal(clock_today_text(), "2026-11-28");
}

static void test_usec(void **state)
{
	int64_t a = clock_usec(), b = clock_usec();
	assert_true(a > 0);
	assert_true(b >= a);
}

static void test_iso_utc(void **state)
{
	static const struct {
		int64_t t;
		const char *want;
	} v[] = {
		{0, "1970-01-01T00:00:00Z"},
		{-1, "1969-12-31T23:59:59Z"},
		{FAKE_NOW, "2026-11-28T04:00:00Z"},
		{951782400, "2000-02-29T00:00:00Z"},
		{2147483648LL, "2038-01-19T03:14:08Z"},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char out[21];
		clock_iso_utc(v[i].t, out);
		assert_string_equal(out, v[i].want);
	}
}

static void test_local_minute(void **state)
{
	static const struct {
		int64_t t;
		const char *want;
	} v[] = {
		{0, "1970-01-01 08:00"},
		{-28800, "1970-01-01 00:00"},
		{FAKE_NOW, "2026-11-28 12:00"},
		{1795881599, "2026-11-28 23:59"}, /* 15:59:59 UTC */
		{1795881600, "2026-11-29 00:00"}, /* the Shanghai day turns at 16:00 UTC */
		{951753600, "2000-02-29 00:00"},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char out[17];
		clock_local_minute(v[i].t, out);
		assert_string_equal(out, v[i].want);
	}
}

static void test_parse_date(void **state)
{
	static const struct {
		const char *in;
		int ok;
		int64_t want; /* midnight in Shanghai */
	} v[] = {
		{"2026-11-28", 1, 1795795200},
		{"1970-01-01", 1, -28800},
		{"2000-02-29", 1, 951753600},
		{"2024-02-29", 1, 1709136000},
		{"1900-01-01", 1, -2209017600LL},
		{"9999-12-31", 1, 253402185600LL},
		{"1899-12-31", 0, 0},
		{"2026-02-29", 0, 0},
		{"1900-02-29", 0, 0},
		{"2100-02-29", 0, 0},
		{"2026-04-31", 0, 0},
		{"2026-13-01", 0, 0},
		{"2026-00-10", 0, 0},
		{"2026-01-00", 0, 0},
		{"2026-01-32", 0, 0},
		{"2026-4-01", 0, 0},
		{"2026/04/01", 0, 0},
		{"2026-04-01 ", 0, 0},
		{" 2026-04-01", 0, 0},
		{"2026-04-0a", 0, 0},
		{"+026-04-01", 0, 0},
		{"-026-04-01", 0, 0},
		{"", 0, 0},
		{"\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x96-04-01", 0, 0}, /* full-width */
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int64_t t = 12345;
		int rc = clock_parse_date(v[i].in, &t);
		if (v[i].ok && (rc != 0 || t != v[i].want))
			fail_msg("\"%s\": want %lld, got rc %d, %lld", v[i].in,
				 (long long)v[i].want, rc, (long long)t);
		if (!v[i].ok && (rc != -1 || t != 12345))
			fail_msg("\"%s\": want refused and *out untouched", v[i].in);
		if (v[i].ok) {
			char out[17], want[17];
			clock_local_minute(t, out);
			snprintf(want, sizeof(want), "%s 00:00", v[i].in);
			assert_string_equal(out, want);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fake_now),   cmocka_unit_test(test_usec),
		cmocka_unit_test(test_iso_utc),    cmocka_unit_test(test_local_minute),
		cmocka_unit_test(test_parse_date),
	};
	char now[32];
	snprintf(now, sizeof(now), "%d", FAKE_NOW);
	setenv("VETS_FAKE_NOW", now, 1);
	return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
