/* str.h - string views and bounded number parsing. */
#ifndef VETS_STR_H
#define VETS_STR_H

#include <stddef.h>
#include <stdint.h>

/* A view of bytes owned by someone else; not NUL-terminated. */
struct sv {
	const char *p;
	size_t n;
};

#define SV(lit) ((struct sv){(lit), sizeof(lit) - 1})

/* The view of s, or the empty view {NULL, 0} when s is NULL; every sv_ function takes it. */
struct sv sv_from(const char *s);
int sv_eq(struct sv a, const char *s);
int sv_starts(struct sv a, const char *prefix);

/* Parses a whole decimal integer in [min, max] (optional leading '-', no
 * spaces, no '+', no leading zeros beyond "0"). Returns 0 and *out, or -1. */
int str_to_i64(const char *s, size_t n, int64_t min, int64_t max, int64_t *out);
/* Copies at most size-1 bytes of src into dst and terminates it; a cut UTF-8 text is cut
 * before the character that does not fit, never inside it. Returns strlen(src). */
size_t str_copy(char *dst, const char *src, size_t size);
/* 1 when s has no control characters (bytes < 0x20 except \t \r \n, and 0x7f). */
int str_is_printable(const char *s, size_t n, int allow_newlines);

/* What str_tidy does with white space inside the text (ASCII space, tab, CR, LF, and the
 * no-break and full-width ideographic spaces U+00A0 and U+3000). */
enum str_tidy_inner {
	STR_TIDY_KEEP,     /* kept as it is (multi-line text) */
	STR_TIDY_COLLAPSE, /* each run becomes one ASCII space (names, addresses, searches) */
	STR_TIDY_REMOVE,   /* removed (numbers typed in groups: "6222 0212 3456") */
};
/* s as people type it, tidied in place: white space around it removed, inner white space
 * as inner says. The result is never longer than s. Returns its length. */
size_t str_tidy(char *s, enum str_tidy_inner inner);

#endif
