/* uscc.h - the 统一社会信用代码 (unified social credit code) of GB 32100-2015.
 *
 * 18 characters from the 31 of "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I, O, S, V, Z):
 * 1 登记管理部门, 1 机构类别, 6 登记管理机关行政区划码 (digits), 9 主体标识码 (the
 * organisation code), and a check character: with the characters' values v[i] and the
 * weights w[i] = 3^i mod 31 (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30,
 * 28), the check's value is 31 - (Σ v[i]·w[i] mod 31), 31 written as 0. */
#ifndef VETS_USCC_H
#define VETS_USCC_H

#include <stddef.h>

#define USCC_LEN 18

/* What is wrong with a code, or USCC_OK. */
enum uscc_fault {
	USCC_OK,
	USCC_EMPTY,
	USCC_LENGTH,    /* not 18 characters */
	USCC_CHARACTER, /* a character outside the 31 (or lower case before uscc_tidy) */
	USCC_REGION,    /* characters 3-8 are not digits */
	USCC_CHECK,     /* the check character does not match */
};

/* Tidies a code as typed, in place: spaces (ASCII, full-width) and hyphens removed, full-width
 * letters and digits made ASCII, letters upper-cased. Returns the new length. */
size_t uscc_tidy(char *s);
/* Checks the code s (NUL-terminated, already tidied). */
enum uscc_fault uscc_check(const char *s);
/* The check character the first 17 characters of s call for, or 0 when one of them is
 * not a code character. */
char uscc_check_char(const char *s);
/* The fault in Chinese ("校验位应为 X"-style detail goes into out when it fits). */
void uscc_fault_text(enum uscc_fault f, const char *s, char *out, size_t size);

#endif
