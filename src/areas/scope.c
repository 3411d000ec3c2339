/* scope.c - data scope names and checks. */
#include "scope.h"

#include <string.h>

static const struct {
	const char *name, *title;
} kinds[SCOPE__COUNT] = {
	[SCOPE_ALL] = {"all", "全部"},
	[SCOPE_ORG_TREE] = {"org_tree", "本部门及以下"},
	[SCOPE_ORG] = {"org", "本部门"},
	[SCOPE_SELF] = {"self", "仅本人"},
};

const char *scope_name(enum scope_kind k)
{
	return (unsigned)k < SCOPE__COUNT ? kinds[k].name : "";
}

const char *scope_title(enum scope_kind k)
{
	return (unsigned)k < SCOPE__COUNT ? kinds[k].title : "";
}

int scope_parse(const char *name)
{
	for (int k = 0; k < SCOPE__COUNT; k++)
		if (strcmp(kinds[k].name, name) == 0)
			return k;
	return -1;
}

int scope_covers(const struct scope *s, const char *org_path, int64_t org_id, int64_t owner_id)
{
	switch (s->kind) {
	case SCOPE_ALL:
		return 1;
	case SCOPE_ORG_TREE:
		return strncmp(org_path, s->org_path, strlen(s->org_path)) == 0;
	case SCOPE_ORG:
		return org_id == s->org_id;
	case SCOPE_SELF:
		return owner_id == s->user_id;
	default:
		return 0;
	}
}

int scope_covers_region(const struct scope *s, const char *user_region, const char *region,
			int64_t owner_id)
{
	switch (s->kind) {
	case SCOPE_ALL:
		return 1;
	case SCOPE_ORG_TREE:
	case SCOPE_ORG:
		return strncmp(region, user_region, strlen(user_region)) == 0;
	case SCOPE_SELF:
		return owner_id == s->user_id;
	default:
		return 0;
	}
}
