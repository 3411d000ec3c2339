/* region.h - the district, its streets (街道) and communities (社区), with GB/T 2260-style
 * codes: 6 digits for the district, 9 for a street, 12 for a community. */
#ifndef VETS_REGION_H
#define VETS_REGION_H

#include <jansson.h>
#include <stddef.h>

#include "areas/account.h"
#include "db/db.h"

/* Called for each rejected row of an import: row number and Chinese reason. */
typedef void (*region_error_fn)(void *ctx, long row, const char *reason);

/* One region as given: codes of 6, 9 or 12 digits; parent "" for the district. */
struct region_entry {
	char code[13], name[64], parent[13];
	long row; /* where it came from, for messages */
};

/* Writes regions (checked, parents before children in any order given) and
 * makes each street's and community's service station organisation. 0, or
 * VE_INVALID / VE_DB with err filled (then no region was written). */
int region_store(struct db *db, const struct principal *by, struct region_entry *rows, long n,
		 char *err, size_t errlen);

/* Imports regions from a .csv or .xlsx file with the columns 区划代码, 名称,
 * 上级区划代码 (in any order). Every row is checked first; when any is bad,
 * each is reported through on_error and nothing changes (VE_INVALID). Then the
 * regions are written in one transaction and each street and community gets
 * its service station organisation (code = region code) under the bureau or
 * its street's station. *n_rows receives the number of regions read.
 * Idempotent: the same file twice changes nothing the second time. */
int region_import(struct db *db, const struct principal *by, const char *path,
		  region_error_fn on_error, void *ctx, long *n_rows, char *err, size_t errlen);
/* The code of the street named name (parent_code NULL) or of the community named
 * name in the street parent_code, into code[13]. VE_NOTFOUND when none. */
int region_find(struct db *db, const char *parent_code, const char *name, char code[13]);
/* The name of the region code into name (size bytes); "" when unknown. */
void region_name(struct db *db, const char *code, char *name, size_t size);
/* The streets and their communities: [{"code","name","communities":[{"code","name"}]}]. */
int region_tree(struct db *db, json_t **out);

/* 1 when by's data scope reaches region code (a street or a community), as
 * SCOPE_REGION_SQL does for people: 全部 and 仅本人 (whose people may live anywhere)
 * reach every region; 本部门(及以下) the regions under by's organisation's region, and a
 * community station also its street (as the street its community lies in). */
int region_in_scope(const struct principal *by, const char *code);
/* region_tree narrowed to by's scope (region_in_scope): what a user's filters and forms
 * offer. A station sees its own street (and only its communities) and no other. */
int region_tree_for(struct db *db, const struct principal *by, json_t **out);
/* The streets of region_tree_for as a filter's choices, [{"code","name","selected"}],
 * selected by code or by name (an empty array when the tree cannot be read). */
json_t *region_street_choices(struct db *db, const struct principal *by, const char *selected);

#endif
