/* idcard.c - checks 18-character citizen ID numbers (GB 11643-1999) and reads what they tell. */
#include "idcard.h"

#include "err.h"

#include <string.h>

enum { ID_LEN = 18, BODY_LEN = 17 };

/* ISO 7064 MOD 11-2: the weight of each body digit, and the check character per remainder. */
static const int weights[BODY_LEN] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char check_chars[] = "10X98765432";

/* Province-level prefixes of citizen numbers, as inclusive ranges. 83 (Taiwan residents
 * and foreigners) is deliberately absent. */
static const struct {
	int lo, hi;
} provinces[] = {
	{11, 15}, {21, 23}, {31, 37}, {41, 46}, {50, 54}, {61, 65}, {71, 71}, {81, 82},
};

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The value of n decimal digits at s, which the caller has checked are digits. */
static int digits_value(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static int is_province(int code)
{
	for (size_t i = 0; i < sizeof(provinces) / sizeof(provinces[0]); i++)
		if (code >= provinces[i].lo && code <= provinces[i].hi)
			return 1;
	return 0;
}

static int is_leap(int y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int is_calendar_date(int y, int m, int d)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && is_leap(y));
}

char idcard_check_char(const char *s)
{
	if (!s)
		return '?';
	int sum = 0;
	for (int i = 0; i < BODY_LEN; i++) {
		if (!is_digit(s[i]))
			return '?';
		sum += (s[i] - '0') * weights[i];
	}
	return check_chars[sum % 11];
}

/* Form checks: length, digits, last character, region prefix. */
static int check_form(const char *s, char *err, size_t errlen)
{
	if (strnlen(s, ID_LEN + 1) != ID_LEN)
		return err_set(err, errlen, VE_INVALID, "身份证号应为 18 位");
	for (int i = 0; i < BODY_LEN; i++)
		if (!is_digit(s[i]))
			return err_set(err, errlen, VE_INVALID, "身份证号前 17 位应为数字");
	char last = s[BODY_LEN];
	if (!is_digit(last) && last != 'X' && last != 'x')
		return err_set(err, errlen, VE_INVALID, "身份证号末位应为数字或 X");
	if (!is_province(digits_value(s, 2)))
		return err_set(err, errlen, VE_INVALID,
			       "身份证号地区码无效（%.6s 开头的前两位 %.2s 须为有效省级代码）", s,
			       s);
	return 0;
}

/* The birth date at s + 6 must exist and lie within 1900-01-01 .. today. */
static int check_birth(const char *s, int today, char *err, size_t errlen)
{
	const char *date = s + 6;
	int y = digits_value(date, 4), m = digits_value(date + 4, 2), d = digits_value(date + 6, 2);
	if (!is_calendar_date(y, m, d))
		return err_set(err, errlen, VE_INVALID, "身份证号中的出生日期无效：%.8s", date);
	if (y < 1900)
		return err_set(err, errlen, VE_INVALID, "身份证号中的出生日期早于 1900 年");
	if (digits_value(date, 8) > today)
		return err_set(err, errlen, VE_INVALID, "身份证号中的出生日期晚于今天");
	return 0;
}

int idcard_parse(const char *s, int today, struct idcard *out, char *err, size_t errlen)
{
	int rc = check_form(s ? s : "", err, errlen);
	if (rc == 0)
		rc = check_birth(s, today, err, errlen);
	if (rc != 0)
		return rc;
	char want = idcard_check_char(s);
	char last = s[BODY_LEN] == 'x' ? 'X' : s[BODY_LEN];
	if (last != want)
		return err_set(err, errlen, VE_INVALID, "身份证号校验位错误，应为 %c", want);

	struct idcard id = {0};
	memcpy(id.number, s, BODY_LEN);
	id.number[BODY_LEN] = last;
	memcpy(id.region, s, 6);
	id.year = digits_value(s + 6, 4);
	id.month = digits_value(s + 10, 2);
	id.day = digits_value(s + 12, 2);
	id.male = (s[16] - '0') % 2;
	if (out)
		*out = id;
	return 0;
}

void idcard_mask(const char *number, char out[19])
{
	size_t n = number ? strnlen(number, ID_LEN + 1) : 0;
	if (n == ID_LEN) {
		memcpy(out, number, 6);
		memset(out + 6, '*', 8);
		memcpy(out + 14, number + 14, 4);
	} else {
		n = n > ID_LEN ? ID_LEN : n;
		memset(out, '*', n);
	}
	out[n] = '\0';
}
