/* utf8.h - UTF-8 validation and character counting. */
#ifndef VETS_UTF8_H
#define VETS_UTF8_H

#include <stddef.h>

/* 1 when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF, no NUL). */
int utf8_valid(const char *s, size_t n);
/* Replaces each byte of s (NUL-terminated) that is not part of a well-formed
 * UTF-8 sequence with '?', in place: a message cut mid-character by a printf
 * precision or a full buffer becomes valid text again. */
void utf8_scrub(char *s);
/* The number of code points in valid UTF-8 s[0..n). */
size_t utf8_count(const char *s, size_t n);

#endif
