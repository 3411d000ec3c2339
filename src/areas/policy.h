/* policy.h - the security policy the security administrator sets (等保 2.0 level 3).
 *
 * Each value has a floor or ceiling from the standard that no administrator
 * can loosen: passwords of at least 8 characters, changed at least every 90
 * days, a lockout after at most 10 failures, sessions idle for at most 30
 * minutes and living at most 12 hours, at most 10 sessions per user, audit records kept
 * at least 6 months. */
#ifndef VETS_POLICY_H
#define VETS_POLICY_H

#include "areas/area.h"
#include <jansson.h>

#include "areas/account.h"
#include "db/db.h"

struct policy {
	int min_length;   /* 8..64 */
	int expiry_days;  /* 1..90 */
	int history;      /* 5..24: a new password may not be one of the last N */
	int max_failures; /* 3..10: failures in a row that lock the account */
	int lock_minutes; /* 30..1440 */
	int idle_minutes; /* 5..30 */
	int max_sessions;  /* 1..10: sessions one user may hold at once; a new login ends the oldest */
	int session_hours; /* 1..12: a session ends this long after login, however busy */
	/* 6..600: audit records are kept this many months in the database before vets audit
	 * archive may move them to a file (等保: at least 6) */
	int audit_months;
};

/* Reads the policy, the defaults for any value not set. Never fails: a read
 * error leaves the (strictest reasonable) defaults in place and is logged. */
void policy_load(struct db *db, struct policy *out);
/* Validates p against the bounds; on error returns VE_INVALID with a Chinese
 * message naming the field in err. */
int policy_check(const struct policy *p, char *err, size_t errlen);
/* Stores p (checked) for by, audited as "policy.update" with every value, in a
 * transaction of its own. 0, VE_INVALID or VE_DB with a Chinese message in err;
 * after an error nothing changed. */
int policy_save(struct db *db, const struct principal *by, const struct policy *p, char *err,
		size_t errlen);
/* The policy as a JSON object {"min_length":8,...} for pages. */
json_t *policy_json(const struct policy *p);

/* Checks a new password against the policy's composition rules: length, at least
 * three of the four kinds (upper, lower, digit, other), not containing the
 * username. VE_INVALID with a Chinese reason in err. */
int policy_password_check(const struct policy *p, const char *username, const char *password,
			  char *err, size_t errlen);


/* ---- what the area declares (area.h) ---- */

/* read and set the security policy */
extern const struct perm perm_policy;
#define PERM_POLICY (&perm_policy)
extern const struct area policy_area;

#endif
