/* perm.h - roles, and what a permission is.
 *
 * 三员分立: the system administrator (sysadmin) manages accounts and
 * organisations but cannot grant roles or read the audit trail; the security
 * administrator (secadmin) grants roles and sets the security policy; the audit
 * administrator (auditor) only reads the audit trail. None of the three may
 * hold another role.
 *
 * Each area declares its own permissions in its header (PERM_PERSON_READ in
 * person.h, ...) and lists them in its struct area (area.h): the role × permission
 * table is the union of those declarations, and the role × route test in
 * tests/http checks every route against what each permission means. */
#ifndef VETS_PERM_H
#define VETS_PERM_H

#include <stdint.h>

enum role {
	ROLE_SYSADMIN,
	ROLE_SECADMIN,
	ROLE_AUDITOR,
	ROLE_CLERK,
	ROLE_REVIEWER,
	ROLE_APPROVER,
	ROLE_LEADER,
	ROLE_STATION,
	ROLE__COUNT
};

/* A set of roles as bits (1 << ROLE_x); a principal's set holds his grants too (GRANT_BIT). */
typedef uint32_t role_set;

/* Rights the security administrator grants one user by name, beyond what his roles give
 * (user_grants): a grant adds to a role what least privilege leaves out of it, and is
 * given with a reason, to a user who holds one of grant_roles(g). They are bits of a
 * role_set above the roles', so that a permission lists a grant beside its roles and
 * perm_allows checks both at once. */
enum grant {
	GRANT_PERSON_FULL, /* 可查看完整个人信息: a leader's audited full view of a person */
	GRANT__COUNT
};
#define GRANT_SHIFT 16
/* The bit of a grant, for the roles of a permission: ROLE_BIT(CLERK) | GRANT_BIT(PERSON_FULL). */
#define GRANT_BIT(x) (1u << (GRANT_SHIFT + GRANT_##x))

/* The bit of one role, for the roles of a permission: ROLE_BIT(CLERK) | ROLE_BIT(STATION). */
#define ROLE_BIT(x) (1u << ROLE_##x)
/* The business roles: everyone but the three administrators. */
#define ROLE_BUSINESS                                                                              \
	(ROLE_BIT(CLERK) | ROLE_BIT(REVIEWER) | ROLE_BIT(APPROVER) | ROLE_BIT(LEADER) |            \
	 ROLE_BIT(STATION))

/* A permission: a stable name ("person.read"), its Chinese title and who holds it. */
struct perm {
	const char *name, *title;
	role_set roles;
};

/* Any signed-in user, with or without roles: home, own password, logout. */
extern const struct perm perm_signed_in;
#define PERM_SIGNED_IN (&perm_signed_in)

/* "sysadmin" etc., or NULL for an invalid role. */
const char *role_name(enum role r);
/* The Chinese title, e.g. "系统管理员". */
const char *role_title(enum role r);
/* The role of name, or -1. */
int role_parse(const char *name);
/* 1 when one of the three administrator roles. */
int role_is_admin(enum role r);
/* 1 when a user with roles may do p (p not NULL). */
int perm_allows(role_set roles, const struct perm *p);
/* "account.read" etc. */
const char *perm_name(const struct perm *p);
const char *perm_title(const struct perm *p);
/* "person_full" etc., or NULL for an invalid grant. */
const char *grant_name(enum grant g);
/* The Chinese title, e.g. "可查看完整个人信息". */
const char *grant_title(enum grant g);
/* The grant of name, or -1. */
int grant_parse(const char *name);
/* The roles one of which a user must hold to be given g (never an administrator's:
 * 三员分立). */
role_set grant_roles(enum grant g);
/* 1 when the set is allowed (三员分立: an administrator role stands alone). */
int role_set_valid(role_set roles);

#endif
