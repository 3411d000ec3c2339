/* idcard.h - 居民身份证号码 (GB 11643-1999): checking, and what the number tells. */
#ifndef VETS_IDCARD_H
#define VETS_IDCARD_H

#include <stddef.h>

struct idcard {
	char number[19]; /* normalised: upper-case X */
	char region[7];  /* the 6-digit address code */
	int year, month, day;
	int male;        /* 1 male, 0 female: the parity of the sequence code */
};

/* Checks s as an 18-character citizen ID number: 17 digits and a check
 * character (digit or X, x accepted), a region code of plausible form (a real
 * province-level prefix), a real calendar date from 1900-01-01 up to today
 * (today as YYYYMMDD, e.g. 20261128), and the ISO 7064 MOD 11-2 check character.
 * Returns 0 and fills *out, or VE_INVALID with a Chinese reason in err
 * (e.g. "身份证号校验位错误，应为 X"). Surrounding spaces are not trimmed. */
int idcard_parse(const char *s, int today, struct idcard *out, char *err, size_t errlen);
/* The check character of the first 17 digits of s ('0'..'9' or 'X'); '?' if they
 * are not 17 digits. */
char idcard_check_char(const char *s);
/* "420106********1234": the first 6 and last 4 characters of an 18-character number,
 * into out (which holds at least 19 bytes). Anything else is masked whole. */
void idcard_mask(const char *number, char out[19]);

#endif
