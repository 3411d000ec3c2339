/* test_idcard.c - lib/idcard: a table of numbers and verdicts, the check character, masking,
 * and a property run over pseudo-random valid numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "lib/err.h"
#include "lib/idcard.h"

/* The fixed "today" of most cases. */
#define TODAY 20261128

/* Check characters in the table were computed apart from lib/idcard, by a few lines of
 * Python applying the MOD 11-2 weights of GB 11643-1999. */
#define E_LEN "身份证号应为 18 位"
#define E_BODY "身份证号前 17 位应为数字"
#define E_LAST "身份证号末位应为数字或 X"
#define E_FUTURE "身份证号中的出生日期晚于今天"
#define E_EARLY "身份证号中的出生日期早于 1900 年"
#define E_DATE(d) "身份证号中的出生日期无效：" d
#define E_REGION(r, p) "身份证号地区码无效（" r " 开头的前两位 " p " 须为有效省级代码）"
#define E_CHECK(c) "身份证号校验位错误，应为 " c

struct parse_case {
	const char *in;
	int today;        /* 0: TODAY */
	const char *err;  /* NULL: accepted */
	const char *want; /* accepted: the normalised number */
	int male;
};

static const struct parse_case cases[] = {
	/* Accepted. */
	{"11010519491231002X", 0, NULL, "11010519491231002X", 0},
	{"11010519491231002x", 0, NULL, "11010519491231002X", 0},
	{"44030419900307123X", 0, NULL, "44030419900307123X", 1},
	{"52010219850615002X", 0, NULL, "52010219850615002X", 0},
	{"310115200002290048", 0, NULL, "310115200002290048", 0},
	{"420106200402290011", 0, NULL, "420106200402290011", 1},
	{"11010519000101001X", 0, NULL, "11010519000101001X", 1},
	{"110105190002280038", 0, NULL, "110105190002280038", 1},
	{"110105202611280012", 0, NULL, "110105202611280012", 1},
	{"110105202612310017", 20261231, NULL, "110105202612310017", 1},
	{"15000019491231002X", 0, NULL, "15000019491231002X", 0},
	{"82000019491231002X", 0, NULL, "82000019491231002X", 0},
	{"659999194912310027", 0, NULL, "659999194912310027", 0},
	{"710105194912310021", 0, NULL, "710105194912310021", 0},
	{"110105194912310011", 0, NULL, "110105194912310011", 1},
	{"110105194912310038", 0, NULL, "110105194912310038", 1},
	/* Length, characters. */
	{"", 0, E_LEN, NULL, 0},
	{"11010519491231002", 0, E_LEN, NULL, 0},
	{"11010519491231002X1", 0, E_LEN, NULL, 0},
	{" 11010519491231002X", 0, E_LEN, NULL, 0},
	{"11010519491231002X ", 0, E_LEN, NULL, 0},
	{"11010519491231002Ｘ", 0, E_LEN, NULL, 0},
	{" 1010519491231002X", 0, E_BODY, NULL, 0},
	{"1101051949123100XX", 0, E_BODY, NULL, 0},
	{"1101051949123100\xc3\xa9", 0, E_BODY, NULL, 0},
	{"\xff"
	 "1010519491231002X",
	 0, E_BODY, NULL, 0},
	{"-1010519491231002X", 0, E_BODY, NULL, 0},
	{"11010519491231002Y", 0, E_LAST, NULL, 0},
	{"11010519491231002\xff", 0, E_LAST, NULL, 0},
	{"11010519491231002 ", 0, E_LAST, NULL, 0},
	/* Region. */
	{"830105194912310029", 0, E_REGION("830105", "83"), NULL, 0},
	{"100105194912310028", 0, E_REGION("100105", "10"), NULL, 0},
	{"000000194912310027", 0, E_REGION("000000", "00"), NULL, 0},
	{"999999194912310025", 0, E_REGION("999999", "99"), NULL, 0},
	/* Dates. */
	{"110105190002290017", 0, E_DATE("19000229"), NULL, 0},
	{"110105210002290012", 21010101, E_DATE("21000229"), NULL, 0},
	{"110105210002280017", 0, E_FUTURE, NULL, 0},
	{"110105202611290018", 0, E_FUTURE, NULL, 0},
	{"110105202701010024", 20261231, E_FUTURE, NULL, 0},
	{"110105194902310026", 0, E_DATE("19490231"), NULL, 0},
	{"110105194913010029", 0, E_DATE("19491301"), NULL, 0},
	{"11010519490001002X", 0, E_DATE("19490001"), NULL, 0},
	{"110105194901000026", 0, E_DATE("19490100"), NULL, 0},
	{"11010519490132002X", 0, E_DATE("19490132"), NULL, 0},
	{"11010519490431002X", 0, E_DATE("19490431"), NULL, 0},
	{"110105189912310023", 0, E_EARLY, NULL, 0},
	{"11010500000101001X", 0, E_EARLY, NULL, 0},
	/* Check character. */
	{"110105194912310021", 0, E_CHECK("X"), NULL, 0},
	{"110105194912310028", 0, E_CHECK("X"), NULL, 0},
	{"110105194912310020", 0, E_CHECK("X"), NULL, 0},
	{"11010519491231001X", 0, E_CHECK("1"), NULL, 0},
	{"440304199003071230", 0, E_CHECK("X"), NULL, 0},
	{"31011520000229004X", 0, E_CHECK("8"), NULL, 0},
	{"31011520000229004x", 0, E_CHECK("8"), NULL, 0},
	{"420106200402290010", 0, E_CHECK("1"), NULL, 0},
};

static void check_accepted(const struct parse_case *c, const struct idcard *id)
{
	assert_string_equal(id->number, c->want);
	assert_memory_equal(id->region, c->want, 6);
	assert_int_equal(id->region[6], '\0');
	char date[9];
	snprintf(date, sizeof(date), "%04d%02d%02d", id->year, id->month, id->day);
	assert_memory_equal(date, c->want + 6, 8);
	assert_int_equal(id->male, c->male);
}

static void test_parse_table(void **state)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct parse_case *c = &cases[i];
		struct idcard id;
		memset(&id, 0x5a, sizeof(id));
		char err[256] = "";
		int rc = idcard_parse(c->in, c->today ? c->today : TODAY, &id, err, sizeof(err));
		if ((rc == 0) != (c->err == NULL))
			fail_msg("case %zu (%s): rc %d, %s", i, c->in, rc, err);
		if (c->err) {
			assert_int_equal(rc, VE_INVALID);
			assert_string_equal(err, c->err);
			assert_int_equal(((unsigned char *)&id)[0], 0x5a);
		} else {
			assert_int_equal(rc, 0);
			assert_string_equal(err, "");
			check_accepted(c, &id);
		}
	}
}

static void test_parse_edges(void **state)
{
	struct idcard id;
	char err[8];
	assert_int_equal(idcard_parse(NULL, TODAY, &id, NULL, 0), VE_INVALID);
	assert_int_equal(idcard_parse("11010519491231002", TODAY, &id, NULL, 0), VE_INVALID);
	/* A short error buffer is truncated, not overrun. */
	assert_int_equal(idcard_parse("1", TODAY, &id, err, sizeof(err)), VE_INVALID);
	assert_true(strlen(err) < sizeof(err));
	/* A "today" before 1900 refuses every date. */
	assert_int_equal(idcard_parse("11010519000101001X", 18991231, &id, NULL, 0), VE_INVALID);
}

/* Province-level prefixes written out one by one, apart from the ranges in lib/idcard. */
static const char provinces[] = "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
				"50 51 52 53 54 61 62 63 64 65 71 81 82";

static void test_every_prefix(void **state)
{
	for (int p = 0; p < 100; p++) {
		char s[19], two[3];
		snprintf(two, sizeof(two), "%02d", p);
		snprintf(s, sizeof(s), "%s010519491231002", two);
		s[17] = idcard_check_char(s);
		s[18] = '\0';
		struct idcard id;
		char err[256] = "";
		int rc = idcard_parse(s, TODAY, &id, err, sizeof(err));
		int want_ok = strstr(provinces, two) != NULL;
		if (rc != (want_ok ? 0 : VE_INVALID))
			fail_msg("prefix %s: rc %d, %s", two, rc, err);
		if (!want_ok)
			assert_non_null(strstr(err, "地区码无效"));
	}
}

static void test_check_char(void **state)
{
	assert_int_equal(idcard_check_char("11010519491231002"), 'X');
	assert_int_equal(idcard_check_char("11010519491231002X"), 'X');
	assert_int_equal(idcard_check_char("11010519491231002?"), 'X');
	assert_int_equal(idcard_check_char("31011520000229004"), '8');
	assert_int_equal(idcard_check_char("42010620040229001"), '1');
	assert_int_equal(idcard_check_char("00000000000000000"), '1');
	assert_int_equal(idcard_check_char(NULL), '?');
	assert_int_equal(idcard_check_char(""), '?');
	assert_int_equal(idcard_check_char("1101051949123100"), '?');
	assert_int_equal(idcard_check_char("1101051949123100X"), '?');
	assert_int_equal(idcard_check_char("x1010519491231002"), '?');
}

static void test_mask(void **state)
{
	static const struct {
		const char *in, *want;
	} mcases[] = {
		{"420106198001011234", "420106********1234"},
		{"11010519491231002X", "110105********002X"},
		{"11010519491231002", "*****************"},
		{"11010519491231002X1", "******************"},
		{"1101051949123100200000000", "******************"},
		{"abc", "***"},
		{"", ""},
		{NULL, ""},
	};
	for (size_t i = 0; i < sizeof(mcases) / sizeof(mcases[0]); i++) {
		char out[19];
		memset(out, 'z', sizeof(out));
		idcard_mask(mcases[i].in, out);
		assert_string_equal(out, mcases[i].want);
	}
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t rng(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

/* A pseudo-random body (17 digits) whose region and date are valid on or before TODAY. */
static void random_body(char body[18])
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	const char *prov = provinces + 3 * rng((sizeof(provinces)) / 3);
	int y = 1900 + (int)rng(2026 - 1900 + 1), m = 1 + (int)rng(12);
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	int d = 1 + (int)rng((uint32_t)(mdays[m - 1] + (m == 2 && leap)));
	if (y * 10000 + m * 100 + d > TODAY)
		y = 2000;
	char tmp[64];
	snprintf(tmp, sizeof(tmp), "%.2s%04u%04d%02d%02d%03u", prov, rng(10000), y, m, d,
		 rng(1000));
	memcpy(body, tmp, 18);
}

static void test_property_check_char(void **state)
{
	for (int n = 0; n < 10000; n++) {
		char s[19], body[18], err[256];
		struct idcard id;
		random_body(body);
		char want = idcard_check_char(body);
		for (const char *c = "0123456789Xx"; *c; c++) {
			snprintf(s, sizeof(s), "%s%c", body, *c);
			int rc = idcard_parse(s, TODAY, &id, err, sizeof(err));
			int ok = *c == want || (*c == 'x' && want == 'X');
			if ((rc == 0) != ok)
				fail_msg("%s: rc %d (%s), check char %c", s, rc, err, want);
			if (ok)
				assert_int_equal(id.male, (body[16] - '0') % 2);
			else
				assert_non_null(strstr(err, "校验位错误"));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),  cmocka_unit_test(test_parse_edges),
		cmocka_unit_test(test_every_prefix), cmocka_unit_test(test_check_char),
		cmocka_unit_test(test_mask),         cmocka_unit_test(test_property_check_char),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
