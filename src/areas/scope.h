/* scope.h - data scope: which organisations' records a user may see.
 *
 * Enforced here, below the web layer, so that no page or API can forget it:
 * every list query of a scoped table includes SCOPE_SQL and binds
 * scope_bind_args(); every single-object read checks scope_covers(). */
#ifndef VETS_SCOPE_H
#define VETS_SCOPE_H

#include <stdint.h>

enum scope_kind {
	SCOPE_ALL,      /* 全部 */
	SCOPE_ORG_TREE, /* 本部门及以下 */
	SCOPE_ORG,      /* 本部门 */
	SCOPE_SELF,     /* 仅本人 */
	SCOPE__COUNT
};

struct scope {
	enum scope_kind kind;
	int64_t user_id;
	int64_t org_id;
	char org_path[256]; /* '/00000001/00000004/' */
};

/* "all", "org_tree", "org", "self" and their Chinese titles. */
const char *scope_name(enum scope_kind k);
const char *scope_title(enum scope_kind k);
/* The kind named name, or -1. */
int scope_parse(const char *name);

/* A WHERE condition over an organisation path column, an organisation id column
 * and an owner user id column; bind its 7 parameters with the 's','i' letters
 * of SCOPE_FMT, in that order, from scope_bind_*. All bound, nothing spliced. */
#define SCOPE_SQL(path_col, org_col, owner_col)                                                    \
	"(? = 0 OR (? = 1 AND substr(" path_col ", 1, length(?)) = ?) OR (? = 2 AND " org_col      \
	" = ?) OR (? = 3 AND " owner_col " = ?))"
#define SCOPE_FMT "iissiiii"
#define SCOPE_ARGS(s)                                                                              \
	(int64_t)(s)->kind, (int64_t)(s)->kind, (s)->org_path, (s)->org_path, (int64_t)(s)->kind,  \
		(s)->org_id, (int64_t)(s)->kind, (s)->user_id

/* The same for tables of people, which belong to a place rather than an office:
 * 全部 sees all; 本部门及以下 and 本部门 see the rows whose region code starts with
 * the user's organisation's region (a street station: its street and communities;
 * the bureau: the district); 仅本人 sees the rows the user created. Bind with
 * SCOPE_REGION_FMT / SCOPE_REGION_ARGS(scope, user's region code). */
#define SCOPE_REGION_SQL(region_col, owner_col)                                                    \
	"(? = 0 OR (? IN (1, 2) AND substr(" region_col                                            \
	", 1, length(?)) = ?) OR (? = 3 AND " owner_col " = ?))"
#define SCOPE_REGION_FMT "iissii"
#define SCOPE_REGION_ARGS(s, region)                                                               \
	(int64_t)(s)->kind, (int64_t)(s)->kind, (region), (region), (int64_t)(s)->kind, (s)->user_id
/* 1 when a row of region (created by owner_id) is in scope for a user whose
 * organisation's region is user_region. */
int scope_covers_region(const struct scope *s, const char *user_region, const char *region,
			int64_t owner_id);

/* 1 when a record of the organisation at org_path (id org_id) owned by owner_id is in scope. */
int scope_covers(const struct scope *s, const char *org_path, int64_t org_id, int64_t owner_id);

#endif
