/* account.h - organisations, user accounts, roles and passwords.
 *
 * Organisations form a tree: the bureau (区局) with its sections (科室), and
 * street stations (街道服务站) with their community stations (社区服务站); a
 * station's code is its street's or community's region code. Every change is
 * written to the audit trail in the same transaction. */
#ifndef VETS_ACCOUNT_H
#define VETS_ACCOUNT_H

#include "areas/area.h"
#include <jansson.h>
#include <stdint.h>

#include "areas/audit.h"
#include "areas/perm.h"
#include "areas/scope.h"
#include "db/db.h"

/* The signed-in user, as a request sees it. */
struct principal {
	int64_t user_id;
	char username[64];
	char display_name[128];
	int64_t org_id;
	char org_name[128];
	char region_code[16];
	role_set roles;
	struct scope scope;
	int must_change_password; /* temporary or expired: only the password page is open */
	char csrf[65];
	char ip[64];
};

/* 1 when p's data scope is the whole district: scope "all", or his organisation's tree (or
 * organisation) at the district's level (a region code of 6 digits), not a street's. */
int account_district_wide(const struct principal *p);

/* The audit actor of a principal (pointers into p). */
struct audit_actor account_actor(const struct principal *p);

/* Writes an audit record of a successful action by p on the object "kind:id" (just
 * kind when id is 0), in the caller's transaction. 0, or VE_DB. */
int account_audit(struct db *db, const struct principal *p, const char *action, const char *kind,
		  int64_t id, const char *detail);

/* The operator at the command line: all scope, all roles, audited as "cli". */
void account_cli_principal(struct principal *p);

enum { ACCOUNT_NAME_MAX = 32, ACCOUNT_DISPLAY_MAX = 50, ORG_NAME_MAX = 60 };

/* ---- organisations ---- */

/* Creates the root bureau organisation when there is none. Idempotent. */
int account_org_ensure_root(struct db *db, const char *code, const char *name, char *err,
			    size_t errlen);
/* Creates an organisation under parent_code. kind: bureau|section|street|community,
 * which must fit the parent (section under bureau; street under bureau; community
 * under street). Returns 0 and *out_id, VE_EXISTS, VE_NOTFOUND (parent) or VE_INVALID. */
int account_org_create(struct db *db, const struct principal *by, const char *parent_code,
		       const char *code, const char *name, const char *kind, int64_t *out_id,
		       char *err, size_t errlen);
/* Renames an organisation. */
int account_org_rename(struct db *db, const struct principal *by, int64_t id, const char *name,
		       char *err, size_t errlen);
/* The organisations in by's scope, ordered as a tree:
 * [{"id","code","name","kind","kind_title","depth","parent_code","users"}]. */
int account_org_list(struct db *db, const struct principal *by, json_t **out);
/* The id of the organisation with code, or VE_NOTFOUND. */
int account_org_find(struct db *db, const char *code, int64_t *id);
/* The code of the root organisation (the bureau) into code; VE_NOTFOUND ("") before
 * vets init made it, VE_DB. */
int account_org_root(struct db *db, char *code, size_t size);

/* ---- users ---- */

struct account_new {
	const char *username;     /* 2..32 of [A-Za-z0-9_.-], starting with a letter */
	const char *display_name; /* 1..50 characters */
	const char *org_code;
	role_set roles; /* may be 0: a secadmin grants them later */
	const char *password;
	int temporary; /* the user must change it at first login */
};
/* Creates an account. The password must satisfy the policy. Returns 0 and
 * *out_id, or VE_INVALID (also for an organisation not in by's scope: a field of the
 * form) / VE_EXISTS / VE_DENIED with a Chinese message. */
int account_user_create(struct db *db, const struct principal *by, const struct account_new *in,
			int64_t *out_id, char *err, size_t errlen);
/* Accounts in by's scope matching q (part of username or name), newest first:
 * {"total":N,"items":[user...]} with user = {"id","username","display_name","org","org_code",
 * "roles":[{"name","title"}],"role_titles","scope","scope_title","status","status_title",
 * "last_login","grants":[{"name","title"}]}. */
int account_user_list(struct db *db, const struct principal *by, const char *q, int64_t page,
		      int64_t per_page, json_t **out);
/* The accounts in by's scope that are in use (not disabled), and of those the locked ones. */
int account_user_counts(struct db *db, const struct principal *by, int64_t *active,
			int64_t *locked);
/* When user_id's password was last set (epoch seconds) into *at (0 when unknown).
 * 0 or VE_DB. */
int account_password_changed_at(struct db *db, int64_t user_id, int64_t *at);
/* The number of accounts, disabled ones included (none: a store not yet in use). 0 or VE_DB. */
int account_user_total(struct db *db, int64_t *n);
/* One account in by's scope as above, or VE_NOTFOUND. */
int account_user_get(struct db *db, const struct principal *by, int64_t id, json_t **out);
/* Changes display name, organisation and disabled flag. A move to another
 * organisation ends the user's sessions and, for a role holder, takes his roles
 * and narrows his scope to himself (audited as user.scope_change): the security
 * administrator grants them again. No one moves himself (VE_DENIED). An account
 * outside by's scope is VE_NOTFOUND; an organisation outside it, VE_INVALID. */
int account_user_update(struct db *db, const struct principal *by, int64_t id,
			const char *display_name, const char *org_code, int disabled, char *err,
			size_t errlen);
/* Replaces the roles and the data scope (secadmin). Refuses changing one's own
 * roles and role sets that break 三员分立. A change of either takes the user's grants
 * back (audited as user.right, naming which changed). */
int account_user_grant(struct db *db, const struct principal *by, int64_t id, role_set roles,
		       enum scope_kind scope, char *err, size_t errlen);
/* The most characters of the reason a grant is given or taken back for. */
#define ACCOUNT_REASON_MAX 100
/* Gives (give 1) or takes back grant g of user id (the security administrator's, with
 * a reason of 2–ACCOUNT_REASON_MAX characters), audited as user.right, ending the user's
 * sessions. Given only to an account in use, that holds one of grant_roles(g) and whose
 * password its owner has set; nobody changes his own (VE_DENIED, audited). A grant
 * lasts while the account stays as it was: a change of roles or of data scope (wider or
 * narrower), a move, disabling it or a password set by someone else takes it back
 * (audited). VE_NOTFOUND outside by's scope; VE_INVALID, VE_CONFLICT, VE_DENIED with a
 * Chinese message in err. */
int account_user_right(struct db *db, const struct principal *by, int64_t id, enum grant g,
		       int give, const char *reason, char *err, size_t errlen);
/* Sets a user's password (policy checked), unlocks the account and ends its
 * sessions. temporary: the user must change it at the next login (always so
 * when an administrator sets it on the web). Refused (VE_DENIED, audited) for
 * another administrator's account and, on the web, for an account that holds a
 * role: see account_user_reset_password. The operator at the command line, who
 * holds the database and its key file anyway, may set any password (audited). */
int account_user_set_password(struct db *db, const struct principal *by, int64_t id,
			      const char *password, int temporary, char *err, size_t errlen);
/* A pending reset is confirmed within this many seconds, or lapses. */
#define ACCOUNT_RESET_TTL 86400
/* The system administrator's reset on the web. A role-less account gets the
 * temporary password at once. For one that holds a role, the password (checked
 * now against the policy and the history) is kept as a request, *pending set to
 * 1: it takes effect only when the security administrator confirms it. Audited
 * either way. */
int account_user_reset_password(struct db *db, const struct principal *by, int64_t id,
				const char *password, int *pending, char *err, size_t errlen);
/* The security administrator confirms user id's pending reset: the requested
 * password becomes the temporary password, the account is unlocked and its
 * sessions end (audited). VE_CONFLICT when none is pending (or it lapsed);
 * VE_DENIED for one's own. Refusals are audited. */
int account_user_confirm_password(struct db *db, const struct principal *by, int64_t id,
				  char *err, size_t errlen);
/* The pending reset of user id as {"by","at"} in *out, or *out NULL. 0 or VE_DB. */
int account_reset_pending(struct db *db, int64_t id, json_t **out);
/* Ends a lockout early. Refused (VE_DENIED, audited) on the web for an account
 * that holds a role: its lock runs out, or a confirmed reset ends it. */
int account_user_unlock(struct db *db, const struct principal *by, int64_t id, char *err,
			size_t errlen);
/* The id of username, or VE_NOTFOUND. */
int account_user_find(struct db *db, const char *username, int64_t *id);

/* The room a password hash takes (crypto_password_hash). */
#define ACCOUNT_HASH_MAX 160
/* Checks password for user id (0 for an account not yet made; username NULL to
 * read it) against the policy and the last passwords, and hashes it into hash:
 * the slow part of setting a password (PBKDF2, once per password in the
 * history), done before the write transaction so that it holds no one up.
 * 0, or VE_INVALID with a Chinese reason in err. */
int account_password_prepare(struct db *db, int64_t id, const char *username, const char *password,
			     char hash[ACCOUNT_HASH_MAX], char *err, size_t errlen);
/* Makes hash (from account_password_prepare) user id's password, unlocks the
 * account, keeps the hash in the history and drops a pending reset, inside the
 * caller's transaction. temporary: must change at next login. 0 or VE_DB. */
int account_password_store(struct db *db, int64_t id, const char *hash, int temporary);

/* Role sets as JSON [{"name","title"}] and as one "、"-joined Chinese string
 * ("（未授予角色）" for none) in out. */
json_t *account_roles_json(role_set roles);
void account_roles_text(role_set roles, char *out, size_t size);
/* The roles granted to user id (0 when none or on a read error). */
role_set account_roles_of(struct db *db, int64_t user_id);
/* What user id may do, as his principal holds it: his roles, and the grants he holds
 * beside a role they are made for (GRANT_BIT). */
role_set account_rights_of(struct db *db, int64_t user_id);
/* The grants of a set as JSON [{"name","title"}]. */
json_t *account_grants_json(role_set set);


/* ---- what the area declares (area.h) ---- */

/* list and view accounts */
extern const struct perm perm_account_read;
#define PERM_ACCOUNT_READ (&perm_account_read)
/* create, edit, disable, unlock accounts; reset passwords */
extern const struct perm perm_account_write;
#define PERM_ACCOUNT_WRITE (&perm_account_write)
extern const struct perm perm_org_read;
#define PERM_ORG_READ (&perm_org_read)
extern const struct perm perm_org_write;
#define PERM_ORG_WRITE (&perm_org_write)
/* grant and revoke roles, set data scope; confirm a password reset */
extern const struct perm perm_role_grant;
#define PERM_ROLE_GRANT (&perm_role_grant)
extern const struct area account_area;

#endif
