/* perm.h - roles, permissions, and the one table that says which role may do what.
 *
 * 三员分立: the system administrator (sysadmin) manages accounts and
 * organisations but cannot grant roles or read the audit trail; the security
 * administrator (secadmin) grants roles and sets the security policy; the audit
 * administrator (auditor) only reads the audit trail. None of the three may
 * hold another role. */
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

enum perm {
	PERM_SIGNED_IN, /* any signed-in user, with or without roles: home, own password, logout */
	PERM_ACCOUNT_READ,  /* list and view accounts */
	PERM_ACCOUNT_WRITE, /* create, edit, disable, unlock accounts; reset passwords */
	PERM_ORG_READ,
	PERM_ORG_WRITE,
	PERM_ROLE_GRANT, /* grant and revoke roles, set data scope */
	PERM_POLICY,     /* read and set the security policy */
	PERM_AUDIT_READ,
	PERM_PERSON_READ,    /* the registry: lists and person pages (masked) */
	PERM_PERSON_WRITE,   /* register and edit people, import */
	PERM_PERSON_REVEAL,  /* see full ID numbers, phones, accounts, disability data (audited) */
	PERM_BENEFIT_READ,   /* standards, entitlements, batches and their lines */
	PERM_STANDARD_WRITE, /* propose standards and 义务兵 rules, import them */
	PERM_STANDARD_APPROVE,  /* approve or reject a proposed standard (not one's own) */
	PERM_ENTITLEMENT_WRITE, /* propose, suspend, resume, cancel entitlements; verifications */
	PERM_PAY_GENERATE,      /* generate a batch (经办) */
	PERM_PAY_REVIEW,        /* 复核 */
	PERM_PAY_APPROVE,       /* 审批 */
	PERM_PAY_BANK,          /* the bank file (full accounts, audited) and its return file */
	PERM_STATS_READ,        /* statistics */
	/* confirm an entitlement's proposal: the bureau's second person, not its proposer */
	PERM_ENTITLEMENT_CONFIRM,
	PERM__COUNT
};

/* A set of roles as bits (1 << ROLE_x). */
typedef uint32_t role_set;

/* "sysadmin" etc., or NULL for an invalid role. */
const char *role_name(enum role r);
/* The Chinese title, e.g. "系统管理员". */
const char *role_title(enum role r);
/* The role of name, or -1. */
int role_parse(const char *name);
/* 1 when one of the three administrator roles. */
int role_is_admin(enum role r);
/* 1 when a user with roles may do p. */
int perm_allows(role_set roles, enum perm p);
/* "account.read" etc. */
const char *perm_name(enum perm p);
const char *perm_title(enum perm p);
/* 1 when the set is allowed (三员分立: an administrator role stands alone). */
int role_set_valid(role_set roles);

#endif
