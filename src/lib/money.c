/* money.c - 分 and months. */
#include "money.h"

#include <stdio.h>
#include <string.h>

int money_parse(const char *text, int64_t max_fen, int64_t *fen)
{
	const char *p = text;
	while (*p == ' ')
		p++;
	int64_t whole = 0;
	int digits = 0, group = 0, grouped = 0; /* digits since the last comma; a comma seen */
	for (; (*p >= '0' && *p <= '9') || *p == ','; p++) {
		if (*p == ',') {
			/* Thousands separators only: "1,5" is not 15 yuan. */
			if (group == 0 || group > 3 || (grouped && group != 3))
				return -1;
			grouped = 1;
			group = 0;
			continue;
		}
		if (whole > max_fen / 100)
			return -1;
		whole = whole * 10 + (*p - '0');
		digits++;
		group++;
	}
	if (grouped && group != 3)
		return -1;
	int64_t cents = 0;
	if (*p == '.') {
		p++;
		int decimals = 0;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (++decimals > 2)
				return -1;
			cents = cents * 10 + (*p - '0');
		}
		if (decimals == 1)
			cents *= 10;
		if (!decimals && !digits)
			return -1;
	}
	while (*p == ' ')
		p++;
	if (*p || !digits)
		return -1;
	if (cents > max_fen || whole > (max_fen - cents) / 100)
		return -1;
	*fen = whole * 100 + cents;
	return 0;
}

void money_format(int64_t fen, char out[32])
{
	uint64_t v = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	snprintf(out, 32, "%s%llu.%02llu", fen < 0 ? "-" : "", (unsigned long long)(v / 100),
		 (unsigned long long)(v % 100));
}

void money_format_grouped(int64_t fen, char out[32])
{
	uint64_t v = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	uint64_t y = v / 100;
	char r[32]; /* reversed: at most 20 digits, 6 commas, '.', 2 decimals, '-' */
	size_t n = 0;
	r[n++] = (char)('0' + v % 10);
	r[n++] = (char)('0' + v / 10 % 10);
	r[n++] = '.';
	for (int k = 0; k == 0 || y; k++, y /= 10) {
		if (k && k % 3 == 0)
			r[n++] = ',';
		r[n++] = (char)('0' + y % 10);
	}
	if (fen < 0)
		r[n++] = '-';
	for (size_t i = 0; i < n; i++)
		out[i] = r[n - 1 - i];
	out[n] = '\0';
}

static int two_digits(const char *s)
{
	return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9'
		       ? (s[0] - '0') * 10 + s[1] - '0'
		       : -1;
}

int month_parse(const char *text, int *m)
{
	if (strlen(text) != 7 || text[4] != '-')
		return -1;
	int hi = two_digits(text), lo = two_digits(text + 2), mon = two_digits(text + 5);
	if (hi < 0 || lo < 0 || mon < 1 || mon > 12)
		return -1;
	int year = hi * 100 + lo;
	if (year < 1950 || year > 2100) /* the calendar the batches know */
		return -1;
	*m = year * 12 + mon - 1;
	return 0;
}

void month_format(int m, char out[8])
{
	char text[32];
	snprintf(text, sizeof(text), "%04d-%02d", m / 12, m % 12 + 1);
	memcpy(out, text, 7);
	out[7] = '\0';
}

int month_of_date(const char *date, int *m)
{
	char month[8];
	if (strlen(date) != 10 || date[7] != '-')
		return -1;
	memcpy(month, date, 7);
	month[7] = '\0';
	if (month_parse(month, m) != 0)
		return -1;
	int day = two_digits(date + 8), mon = *m % 12 + 1, year = *m / 12;
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	int max = days[mon - 1] + (mon == 2 && leap);
	return day >= 1 && day <= max ? 0 : -1;
}
