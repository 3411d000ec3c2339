/* session.h - signing in and out, and the sessions that carry a signed-in user.
 *
 * A session id is 256 random bits, sent to the browser as a cookie and stored
 * only as its SM3 hash; a second random token guards state-changing requests
 * against CSRF. A session ends after the policy's idle time. */
#ifndef VETS_SESSION_H
#define VETS_SESSION_H

#include <stdint.h>

#include "areas/account.h"
#include "db/db.h"

#define SESSION_ID_HEX 64

/* Checks username and password and, on success, opens a session: *sid receives
 * the cookie value and *p the user. Every attempt is audited.
 * Returns 0; VE_AUTH for an unknown user, a wrong password or a disabled account
 * (the same answer, so that accounts can't be probed); VE_LOCKED with
 * *locked_until set when the account is locked (also with the right password);
 * VE_DB. After policy.max_failures failures in a row the account locks. */
int session_login(struct db *db, const char *username, const char *password, const char *ip,
		  char sid[SESSION_ID_HEX + 1], struct principal *p, int64_t *locked_until);
/* Finds the live session sid and fills *p. An idle session is ended (and audited)
 * and VE_EXPIRED returned; an unknown one gives VE_AUTH. */
int session_lookup(struct db *db, const char *sid, const char *ip, struct principal *p);
/* Ends the session sid of p (audited). */
int session_logout(struct db *db, const char *sid, const struct principal *p);
/* The number of sessions active within the idle time, for /metrics. */
int64_t session_active_count(struct db *db);

#endif
