/* utf8.h - UTF-8 validation and character counting. */
#ifndef VETS_UTF8_H
#define VETS_UTF8_H

#include <stddef.h>

/* 1 when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF, no NUL). */
int utf8_valid(const char *s, size_t n);
/* The number of code points in valid UTF-8 s[0..n). */
size_t utf8_count(const char *s, size_t n);

#endif
