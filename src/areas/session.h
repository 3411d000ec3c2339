/* session.h - signing in and out, and the sessions that carry a signed-in user.
 *
 * A session id is 256 random bits, sent to the browser as a cookie and stored
 * only as its SM3 hash; a second random token guards state-changing requests
 * against CSRF. A session ends after the policy's idle time, and at the latest
 * the policy's number of hours after login; a user holds at most the policy's
 * number of sessions (a new login ends the oldest). */
#ifndef VETS_SESSION_H
#define VETS_SESSION_H

#include "areas/area.h"
#include <stdint.h>

#include "areas/account.h"
#include "db/db.h"

#define SESSION_ID_HEX 64

/* Checks username and password and, on success, opens a session: *sid receives
 * the cookie value and *p the user. Every attempt is audited (a name that names
 * no account only in masked form: it may be a password).
 * Returns 0; VE_AUTH for an unknown user, a wrong password or a disabled account
 * (the same answer, so that accounts can't be probed); VE_LOCKED with
 * *locked_until set when the name is locked (also with the right password).
 * After policy.max_failures failures in a row the name locks: failures are
 * counted per name typed, known or not, so that an unknown name locks alike,
 * and the count is read and raised in one write transaction, so that concurrent
 * attempts get no more tries than sequential ones. VE_DB. */
int session_login(struct db *db, const char *username, const char *password, const char *ip,
		  char sid[SESSION_ID_HEX + 1], struct principal *p, int64_t *locked_until);
/* Changes the password of p, signed in with session sid, after checking the old
 * one. A wrong old password counts as a failed login (audited); when that locks
 * the account all its sessions end and VE_LOCKED is returned with *locked_until
 * set; else VE_AUTH. On success the user's
 * other sessions end. VE_INVALID for a new password the policy refuses (audited);
 * err receives a Chinese message on every error. */
int session_password_change(struct db *db, const char *sid, const struct principal *p,
			    const char *old_password, const char *new_password,
			    int64_t *locked_until, char *err, size_t errlen);
/* Finds the live session sid and fills *p. An idle session, or one older than the
 * policy's hours, is ended (and audited) and VE_EXPIRED returned; an unknown one gives VE_AUTH. */
int session_lookup(struct db *db, const char *sid, const char *ip, struct principal *p);
/* Ends the session sid of p (audited). */
int session_logout(struct db *db, const char *sid, const struct principal *p);
/* The number of sessions active within the idle time, for /metrics. */
int64_t session_active_count(struct db *db);


/* ---- what the area declares (area.h) ---- */

extern const struct area session_area;

#endif
