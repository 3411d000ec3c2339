/* employment_internal.h - what the files of the employment area share. */
#ifndef VETS_EMPLOYMENT_INTERNAL_H
#define VETS_EMPLOYMENT_INTERNAL_H

#include "employment.h"

/* 1 when s is a real date YYYY-MM-DD. */
int emp_date_valid(const char *s);
/* A one-line text: tidied copy of in into out; "" when empty. 0, or -1 (too long or
 * control characters) with nothing reported. */
int emp_text(const char *in, char *out, size_t size, size_t max_chars, int multiline);

/* A position's values, checked. */
struct emp_position {
	char uscc[24], name[304], title[304], requirements[1204], street[16];
	int64_t headcount, pay_min, pay_max;
};
/* Checks in into *o, reporting faults through add(ctx, field, message). The street's name
 * or code is looked up (db). 0 when good, else the number of faults. */
int emp_position_check(struct db *db, const struct employment_position_in *in,
		       struct emp_position *o,
		       void (*add)(void *ctx, const char *field, const char *message), void *ctx);
/* The enterprise of o->uscc: found (its name kept), or added with o's name and street;
 * *added 1 when new. In the caller's transaction. 0 or VE_DB. */
int emp_enterprise_ensure(struct db *db, const struct principal *by, const struct emp_position *o,
			  int64_t *id, int *added);
/* Inserts position o of fair (region) for enterprise; the enterprise takes part in the
 * fair. 0, VE_EXISTS (the title taken at the fair by the enterprise) or VE_DB. */
int emp_position_insert(struct db *db, const struct principal *by, int64_t fair_id,
			const char *region, int64_t enterprise_id, const struct emp_position *o);
/* The region of fair id when in by's scope: 0, VE_NOTFOUND, VE_DB. */
int emp_fair_region(struct db *db, const struct principal *by, int64_t id, char region[16]);

#endif
