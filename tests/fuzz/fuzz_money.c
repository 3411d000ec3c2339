/* fuzz_money.c - libFuzzer target: money_parse on arbitrary strings under several caps must
 * agree with a plain reference reading of its contract, and what it accepts must read back
 * through money_format; month_parse and month_of_date must accept only what they print back. */
#include "lib/money.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The contract of money_parse written out plainly: blanks at both ends, then digits in one
 * run or in comma-separated groups (1-3 digits, then 3 each), then '.' and up to two
 * decimals; at most cap 分. Returns 0 and *out, or -1. */
static int ref_parse(const char *s, int64_t cap, int64_t *out)
{
	size_t i = 0, n = strlen(s), group = 0, ndigits = 0;
	int commas = 0;
	uint64_t fen = 0, limit = (uint64_t)cap;
	while (i < n && s[i] == ' ')
		i++;
	while (n > i && s[n - 1] == ' ')
		n--;
	for (; i < n && (digit(s[i]) || s[i] == ','); i++) {
		if (s[i] == ',') {
			if (group == 0 || group > 3 || (commas && group != 3))
				return -1;
			commas = 1;
			group = 0;
			continue;
		}
		group++;
		ndigits++;
		fen = fen > limit ? fen : fen * 10 + (uint64_t)(s[i] - '0');
	}
	if (ndigits == 0 || (commas && group != 3))
		return -1;
	fen = fen > limit ? fen : fen * 100;
	if (i < n && s[i] == '.') {
		size_t d = 0;
		for (i++; i < n && digit(s[i]); i++, d++)
			if (d < 2)
				fen += (uint64_t)(s[i] - '0') * (d == 0 ? 10 : 1);
		if (d > 2)
			return -1;
	}
	if (i != n || fen > limit)
		return -1;
	*out = (int64_t)fen;
	return 0;
}

static void check_money(const char *s)
{
	static const int64_t caps[] = {MONEY_MAX_FEN, 100000000, 100, 99, 10, 1, 0};
	for (size_t k = 0; k < sizeof(caps) / sizeof(caps[0]); k++) {
		int64_t fen = -1, want = -1;
		int rc = money_parse(s, caps[k], &fen), ref = ref_parse(s, caps[k], &want);
		if (rc != ref || (rc == 0 && (fen != want || fen < 0 || fen > caps[k])))
			abort();
		if (rc == 0) {
			char text[32];
			int64_t back = -1;
			money_format(fen, text);
			if (money_parse(text, caps[k], &back) != 0 || back != fen)
				abort();
		}
	}
}

static void check_month(const char *s)
{
	int m = -1, d = -1;
	char text[8];
	if (month_parse(s, &m) == 0) {
		month_format(m, text);
		if (strcmp(text, s) != 0 || m < 1950 * 12 || m > 2100 * 12 + 11)
			abort();
	}
	if (month_of_date(s, &d) == 0) {
		char month[8];
		memcpy(month, s, 7);
		month[7] = '\0';
		if (strlen(s) != 10 || month_parse(month, &m) != 0 || m != d)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_money(s);
	check_month(s);
	free(s);
	return 0;
}
