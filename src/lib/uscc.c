/* uscc.c - the check character of the 统一社会信用代码 (GB 32100-2015). */
#include "uscc.h"

#include <stdio.h>
#include <string.h>

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int weights[USCC_LEN - 1] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
					  29, 25, 13, 8,  24, 10, 30, 28};

static int value_of(char c)
{
	if (c == '\0')
		return -1;
	const char *p = strchr(alphabet, c);
	return p ? (int)(p - alphabet) : -1;
}

size_t uscc_tidy(char *s)
{
	unsigned char *in = (unsigned char *)s;
	char *out = s;
	while (*in) {
		/* full-width ASCII (U+FF01..U+FF5E: EF BC 81..EF BD 9E) and U+3000 (E3 80 80) */
		if (in[0] == 0xEF && (in[1] == 0xBC || in[1] == 0xBD) && in[2] >= 0x80 &&
		    in[2] <= 0xBF) {
			unsigned cp = 0xFF00u + (unsigned)((in[1] & 0x03) << 6) + (in[2] & 0x3F);
			if (cp >= 0xFF01 && cp <= 0xFF5E) {
				char c = (char)(cp - 0xFF01 + 0x21);
				in += 3;
				if (c != '-')
					*out++ = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
				continue;
			}
		}
		if (in[0] == 0xE3 && in[1] == 0x80 && in[2] == 0x80) {
			in += 3;
			continue;
		}
		char c = (char)*in++;
		if (c == ' ' || c == '\t' || c == '-' || c == '\r' || c == '\n')
			continue;
		*out++ = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
	}
	*out = '\0';
	return (size_t)(out - s);
}

char uscc_check_char(const char *s)
{
	int sum = 0;
	for (int i = 0; i < USCC_LEN - 1; i++) {
		int v = value_of(s[i]);
		if (v < 0)
			return 0;
		sum += v * weights[i];
	}
	int check = 31 - sum % 31;
	return alphabet[check == 31 ? 0 : check];
}

enum uscc_fault uscc_check(const char *s)
{
	size_t n = strlen(s);
	if (n == 0)
		return USCC_EMPTY;
	if (n != USCC_LEN)
		return USCC_LENGTH;
	for (size_t i = 0; i < n; i++)
		if (value_of(s[i]) < 0)
			return USCC_CHARACTER;
	for (size_t i = 2; i < 8; i++)
		if (s[i] < '0' || s[i] > '9')
			return USCC_REGION;
	return uscc_check_char(s) == s[USCC_LEN - 1] ? USCC_OK : USCC_CHECK;
}

void uscc_fault_text(enum uscc_fault f, const char *s, char *out, size_t size)
{
	switch (f) {
	case USCC_OK:
		snprintf(out, size, "有效");
		break;
	case USCC_EMPTY:
		snprintf(out, size, "请填写统一社会信用代码");
		break;
	case USCC_LENGTH:
		snprintf(out, size, "统一社会信用代码应为 18 位");
		break;
	case USCC_CHARACTER:
		snprintf(out, size, "统一社会信用代码只含数字和大写字母（不含 I、O、S、V、Z）");
		break;
	case USCC_REGION:
		snprintf(out, size, "统一社会信用代码第 3 至 8 位应为行政区划码（数字）");
		break;
	case USCC_CHECK:
		snprintf(out, size, "统一社会信用代码校验位不符（按前 17 位应为 %c）",
			 uscc_check_char(s));
		break;
	}
}
