/* perm.c - the roles; the permissions are each area's (area.h). */
#include "perm.h"

#include <string.h>

static const struct {
	const char *name, *title;
} roles[ROLE__COUNT] = {
	[ROLE_SYSADMIN] = {"sysadmin", "系统管理员"},
	[ROLE_SECADMIN] = {"secadmin", "安全管理员"},
	[ROLE_AUDITOR] = {"auditor", "审计管理员"},
	[ROLE_CLERK] = {"clerk", "经办人"},
	[ROLE_REVIEWER] = {"reviewer", "复核人"},
	[ROLE_APPROVER] = {"approver", "审批人"},
	[ROLE_LEADER] = {"leader", "局领导"},
	[ROLE_STATION] = {"station", "服务站工作人员"},
};

static const struct {
	const char *name, *title;
	role_set to;
} grants[GRANT__COUNT] = {
	/* The leader sees figures; a named leader who needs a person's full data is granted it. */
	[GRANT_PERSON_FULL] = {"person_full", "可查看完整个人信息", ROLE_BIT(LEADER)},
};

#define ALL_ROLES ((1u << ROLE__COUNT) - 1)
_Static_assert(ROLE__COUNT <= GRANT_SHIFT && GRANT_SHIFT + GRANT__COUNT <= 32,
	       "roles and grants share one role_set");

const struct perm perm_signed_in = {"signed_in", "登录后可用", ALL_ROLES};

const char *role_name(enum role r)
{
	return (unsigned)r < ROLE__COUNT ? roles[r].name : NULL;
}

const char *role_title(enum role r)
{
	return (unsigned)r < ROLE__COUNT ? roles[r].title : "";
}

int role_parse(const char *name)
{
	for (int r = 0; r < ROLE__COUNT; r++)
		if (strcmp(roles[r].name, name) == 0)
			return r;
	return -1;
}

const char *grant_name(enum grant g)
{
	return (unsigned)g < GRANT__COUNT ? grants[g].name : NULL;
}

const char *grant_title(enum grant g)
{
	return (unsigned)g < GRANT__COUNT ? grants[g].title : "";
}

int grant_parse(const char *name)
{
	for (int g = 0; g < GRANT__COUNT; g++)
		if (strcmp(grants[g].name, name) == 0)
			return g;
	return -1;
}

role_set grant_roles(enum grant g)
{
	return (unsigned)g < GRANT__COUNT ? grants[g].to : 0;
}

int role_is_admin(enum role r)
{
	return r == ROLE_SYSADMIN || r == ROLE_SECADMIN || r == ROLE_AUDITOR;
}

int perm_allows(role_set set, const struct perm *p)
{
	/* Signing in is enough for it: an account whose roles are not granted yet
	 * must still change its first password and sign out. */
	if (p == PERM_SIGNED_IN)
		return 1;
	return (p->roles & set) != 0;
}

const char *perm_name(const struct perm *p)
{
	return p->name;
}

const char *perm_title(const struct perm *p)
{
	return p->title;
}

int role_set_valid(role_set set)
{
	role_set admin = ROLE_BIT(SYSADMIN) | ROLE_BIT(SECADMIN) | ROLE_BIT(AUDITOR);
	if (set & ~(role_set)ALL_ROLES)
		return 0;
	if (set & admin)
		return (set & (set - 1)) == 0; /* exactly one role */
	return 1;
}
