/* field_errors.h - the field-level errors of one validation, for every area: each names
 * the field (the Chinese name a form or a column shows, e.g. "身份证号") and says what is
 * wrong with it in Chinese. A caller marks the fields and lists the messages; nobody
 * parses a message back into its field. */
#ifndef VETS_FIELD_ERRORS_H
#define VETS_FIELD_ERRORS_H

#include <stddef.h>

#define FIELD_ERRORS_MAX 16
#define FIELD_ERROR_MESSAGE 160

struct field_errors {
	int n;
	struct {
		const char *field; /* a string that outlives the errors (a literal) */
		char message[FIELD_ERROR_MESSAGE];
	} items[FIELD_ERRORS_MAX];
};

/* Empties e. */
void field_errors_clear(struct field_errors *e);
/* Adds an error of field, its message printf-formatted (cut to FIELD_ERROR_MESSAGE - 1
 * bytes, a character cut in two made '?', so that it stays valid UTF-8). Past FIELD_ERRORS_MAX errors the rest are dropped:
 * a user fixes the first ones first. */
void field_errors_add(struct field_errors *e, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* 1 when e holds an error of field. */
int field_errors_has(const struct field_errors *e, const char *field);
/* The number of errors. */
int field_errors_count(const struct field_errors *e);
/* The first error's message, or fallback when there is none. */
const char *field_errors_first(const struct field_errors *e, const char *fallback);

#endif
