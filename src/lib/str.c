/* str.c - string views and bounded number parsing. */
#include "str.h"

#include <string.h>

struct sv sv_from(const char *s)
{
	return (struct sv){s, s ? strlen(s) : 0};
}

int sv_eq(struct sv a, const char *s)
{
	size_t n = strlen(s);
	return a.n == n && (n == 0 || memcmp(a.p, s, n) == 0); /* a.p may be NULL when empty */
}

int sv_starts(struct sv a, const char *prefix)
{
	size_t n = strlen(prefix);
	return a.n >= n && (n == 0 || memcmp(a.p, prefix, n) == 0);
}

int str_to_i64(const char *s, size_t n, int64_t min, int64_t max, int64_t *out)
{
	size_t i = 0;
	int neg = 0;
	if (n > 0 && s[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i == n || n - i > 19)
		return -1;
	if (s[i] == '0' && n - i > 1)
		return -1;
	uint64_t v = 0;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		uint64_t d = (uint64_t)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return -1;
		int64_t r = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
		if (r < min || r > max)
			return -1;
		*out = r;
		return 0;
	}
	if (v > (uint64_t)INT64_MAX || (int64_t)v < min || (int64_t)v > max)
		return -1;
	*out = (int64_t)v;
	return 0;
}

size_t str_copy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);
	if (size) {
		size_t k = n < size - 1 ? n : size - 1;
		while (k < n && k > 0 && ((unsigned char)src[k] & 0xc0) == 0x80)
			k--; /* cut before a character, never inside one */
		memcpy(dst, src, k);
		dst[k] = '\0';
	}
	return n;
}

int str_is_printable(const char *s, size_t n, int allow_newlines)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0x7f)
			return 0;
		if (c < 0x20) {
			if (c == '\t' || (allow_newlines && (c == '\r' || c == '\n')))
				continue;
			return 0;
		}
	}
	return 1;
}

/* The length of the white space at s (0 when none): see enum str_tidy_inner. */
static size_t space_at(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		return 1;
	if (s[0] == '\xc2' && s[1] == '\xa0')
		return 2;
	if (s[0] == '\xe3' && s[1] == '\x80' && s[2] == '\x80')
		return 3;
	return 0;
}

size_t str_tidy(char *s, enum str_tidy_inner inner)
{
	size_t in = 0, out = 0, n;
	while ((n = space_at(s + in)) > 0)
		in += n;
	while (s[in]) {
		size_t run = in;
		while ((n = space_at(s + run)) > 0)
			run += n;
		if (run == in) {
			s[out++] = s[in++];
			continue;
		}
		if (!s[run]) /* trailing */
			break;
		if (inner == STR_TIDY_KEEP)
			while (in < run)
				s[out++] = s[in++];
		else if (inner == STR_TIDY_COLLAPSE)
			s[out++] = ' ';
		in = run;
	}
	s[out] = '\0';
	return out;
}
