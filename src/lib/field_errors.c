/* field_errors.c - the field-level errors of one validation. */
#include "field_errors.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void field_errors_clear(struct field_errors *e)
{
	e->n = 0;
}

void field_errors_add(struct field_errors *e, const char *field, const char *fmt, ...)
{
	if (e->n >= FIELD_ERRORS_MAX)
		return;
	e->items[e->n].field = field;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->items[e->n].message, sizeof(e->items[0].message), fmt, ap);
	va_end(ap);
	utf8_scrub(e->items[e->n].message);
	e->n++;
}

int field_errors_has(const struct field_errors *e, const char *field)
{
	for (int i = 0; i < e->n; i++)
		if (strcmp(e->items[i].field, field) == 0)
			return 1;
	return 0;
}

int field_errors_count(const struct field_errors *e)
{
	return e->n;
}

const char *field_errors_first(const struct field_errors *e, const char *fallback)
{
	return e->n ? e->items[0].message : fallback;
}
