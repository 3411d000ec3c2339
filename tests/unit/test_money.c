/* test_money.c - lib/money: yuan text to 分 and back, months, as tables; a round trip over
 * many amounts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "lib/money.h"

#define MAX MONEY_MAX_FEN
#define NO -1 /* refused */

struct parse_case {
	const char *in;
	int64_t max; /* 0: MONEY_MAX_FEN */
	int64_t fen; /* NO when refused */
};

static const struct parse_case parse_cases[] = {
	/* Accepted forms: whole yuan, one or two decimals, grouping commas, blanks around. */
	{"0", 0, 0},
	{"1", 0, 100},
	{"1234", 0, 123400},
	{"1234.5", 0, 123450},
	{"1234.56", 0, 123456},
	{"1234.05", 0, 123405},
	{"0.01", 0, 1},
	{"0.1", 0, 10},
	{"00012", 0, 1200},
	{"1,234", 0, 123400},
	{"1,234.50", 0, 123450},
	{"12,345,678.90", 0, 1234567890},
	{"123,456", 0, 12345600},
	{"  1234.56", 0, 123456},
	{"1234.56  ", 0, 123456},
	{" 1,234.56 ", 0, 123456},
	/* The cap: MONEY_MAX_FEN itself, one 分 over, and far over. */
	{"10000000000", 0, MAX},
	{"10000000000.00", 0, MAX},
	{"10,000,000,000.00", 0, MAX},
	{"10000000000.01", 0, NO},
	{"10000000001", 0, NO},
	{"99999999999999999999999999", 0, NO},
	{"9223372036854775807", 0, NO},
	{"1000000", 100000000, 100000000},
	{"1000000.01", 100000000, NO},
	/* A cap under one yuan still holds for the decimals. */
	{"0.05", 10, 5},
	{"0.10", 10, 10},
	{"0.50", 10, NO},
	{"0.99", 1, NO},
	/* No sign, no rounding of 分, no third decimal. */
	{"-1", 0, NO},
	{"-0.05", 0, NO},
	{"+1", 0, NO},
	{"1.005", 0, NO},
	{"1.000", 0, NO},
	{"0.001", 0, NO},
	/* No digits, or something else around them. */
	{"", 0, NO},
	{" ", 0, NO},
	{".", 0, NO},
	{".5", 0, NO},
	{",", 0, NO},
	{",123", 0, NO},
	{"1 234", 0, NO},
	{"1.2.3", 0, NO},
	{"1.5x", 0, NO},
	{"1e3", 0, NO},
	{"0x10", 0, NO},
	{"12元", 0, NO},
	{"\t12", 0, NO},
	{"12\n", 0, NO},
	{"1.", 0, 100},
	/* Commas only as thousands separators: "1,5" is not 15 yuan, nor "12,34" 1234. */
	{"1,5", 0, NO},
	{"12,34", 0, NO},
	{"1,2345", 0, NO},
	{"1234,567", 0, NO},
	{"1,,234", 0, NO},
	{"1,234,", 0, NO},
	{"1,", 0, NO},
	{"1,234.5,6", 0, NO},
	{"1.234,56", 0, NO},
	/* Full-width digits, comma and point are not read as digits. */
	{"\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93", 0, NO}, /* １２３ */
	{"1\xef\xbc\x8c"
	 "234",
	 0, NO}, /* 1，234 */
	{"12\xef\xbc\x8e"
	 "5",
	 0, NO}, /* 12．5 */
	{"\xe3\x80\x80"
	 "12",
	 0, NO}, /* ideographic space */
};

static void test_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		int64_t fen = -12345;
		int rc = money_parse(c->in, c->max ? c->max : MAX, &fen);
		if (c->fen == NO && rc != -1)
			fail_msg("\"%s\": want refused, got %lld", c->in, (long long)fen);
		if (c->fen == NO && fen != -12345)
			fail_msg("\"%s\": refused but wrote %lld", c->in, (long long)fen);
		if (c->fen != NO && (rc != 0 || fen != c->fen))
			fail_msg("\"%s\": want %lld, got rc %d, %lld", c->in, (long long)c->fen, rc,
				 (long long)fen);
	}
}

static void test_format(void **state)
{
	static const struct {
		int64_t fen;
		const char *want;
	} v[] = {
		{0, "0.00"},
		{1, "0.01"},
		{10, "0.10"},
		{99, "0.99"},
		{100, "1.00"},
		{123456, "1234.56"},
		{-5, "-0.05"},
		{-100, "-1.00"},
		{-123456, "-1234.56"},
		{MAX, "10000000000.00"},
		{INT64_MAX, "92233720368547758.07"},
		{INT64_MIN, "-92233720368547758.08"},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char out[32];
		memset(out, 'x', sizeof(out));
		money_format(v[i].fen, out);
		assert_string_equal(out, v[i].want);
	}
}

/* The reader's format: groups of three, the same signs and decimals as money_format. */
static void test_format_grouped(void **state)
{
	(void)state;
	static const struct {
		int64_t fen;
		const char *want;
	} v[] = {
		{0, "0.00"},
		{5, "0.05"},
		{99999, "999.99"},
		{100000, "1,000.00"},
		{123456, "1,234.56"},
		{-150, "-1.50"},
		{-123456789, "-1,234,567.89"},
		{100000000000, "1,000,000,000.00"},
		{MAX, "10,000,000,000.00"},
		{INT64_MAX, "92,233,720,368,547,758.07"},
		{INT64_MIN, "-92,233,720,368,547,758.08"},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char out[32];
		memset(out, 'x', sizeof(out));
		money_format_grouped(v[i].fen, out);
		assert_string_equal(out, v[i].want);
	}
	/* What a reader copies back from a page or a message parses as the same amount. */
	char out[32];
	int64_t fen = -1;
	money_format_grouped(123456789012, out);
	assert_int_equal(money_parse(out, MAX, &fen), 0);
	assert_int_equal(fen, 123456789012);
}

/* Every amount written by money_format reads back as itself. */
static void test_round_trip(void **state)
{
	(void)state;
	uint64_t x = 88172645463325252ull;
	for (int i = 0; i < 200000; i++) {
		char out[32];
		int64_t fen = -1;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
		int64_t want = i < 1000 ? i : (int64_t)(x % (uint64_t)(MAX + 1));
		money_format(want, out);
		if (money_parse(out, MAX, &fen) != 0 || fen != want)
			fail_msg("%lld written as \"%s\" reads back as %lld", (long long)want, out,
				 (long long)fen);
	}
}

static void test_month(void **state)
{
	static const struct {
		const char *in;
		int ok;
		int m; /* year * 12 + month - 1 */
	} v[] = {
		{"2026-01", 1, 2026 * 12},
		{"2026-12", 1, 2026 * 12 + 11},
		{"1950-01", 1, 1950 * 12},
		{"2100-12", 1, 2100 * 12 + 11},
		{"1949-12", 0, 0},
		{"2101-01", 0, 0},
		{"2026-00", 0, 0},
		{"2026-13", 0, 0},
		{"2026-1", 0, 0},
		{"2026/01", 0, 0},
		{"2026-01-01", 0, 0},
		{"202a-01", 0, 0},
		{"", 0, 0},
		{" 2026-01", 0, 0},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int m = -1;
		char out[8];
		int rc = month_parse(v[i].in, &m);
		if ((rc == 0) != v[i].ok || (v[i].ok && m != v[i].m))
			fail_msg("\"%s\": rc %d, m %d", v[i].in, rc, m);
		if (!v[i].ok)
			continue;
		month_format(m, out);
		assert_string_equal(out, v[i].in);
	}
}

static void test_month_of_date(void **state)
{
	static const struct {
		const char *in;
		int m; /* -1: refused */
	} v[] = {
		{"2026-03-15", 2026 * 12 + 2},
		{"2026-01-31", 2026 * 12},
		{"2024-02-29", 2024 * 12 + 1},
		{"2000-02-29", 2000 * 12 + 1},
		{"2026-02-29", -1},
		{"2100-02-29", -1},
		{"2026-04-31", -1},
		{"2026-01-00", -1},
		{"2026-01-32", -1},
		{"2026-01-3x", -1},
		{"2026-01", -1},
		{"2026-01-011", -1},
		{"1949-12-31", -1},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int m = -1;
		int rc = month_of_date(v[i].in, &m);
		if (v[i].m < 0 && rc != -1)
			fail_msg("\"%s\": want refused", v[i].in);
		if (v[i].m >= 0 && (rc != 0 || m != v[i].m))
			fail_msg("\"%s\": want %d, got rc %d, %d", v[i].in, v[i].m, rc, m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),         cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_grouped),
		cmocka_unit_test(test_round_trip),    cmocka_unit_test(test_month),
		cmocka_unit_test(test_month_of_date),
	};
	return cmocka_run_group_tests_name("money", tests, NULL, NULL);
}
