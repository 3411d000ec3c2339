/* auth.h - the session cookie, the CSRF checks, and the login form's token. */
#ifndef VETS_AUTH_H
#define VETS_AUTH_H

#include "web/request.h"
#include "web/route.h"

#define AUTH_SESSION_COOKIE "vets_session"
#define AUTH_FORM_COOKIE "vets_form"
/* Login attempts one client address may have under way or failed per minute, by default. */
#define AUTH_LOGIN_PER_MINUTE 10

/* Looks up the session named by the request's cookie and fills req->user.
 * Returns 0 (signed in), VE_AUTH (no or unknown session), VE_EXPIRED (idle
 * timeout: the session was just ended) or VE_DB. */
int auth_resolve(struct request *req);
/* 1 when a state-changing request carries the right token: the session's CSRF
 * token (form field "csrf" or header X-CSRF-Token) when signed in, else the
 * login form's double-submit token (cookie and field equal). */
int auth_csrf_ok(const struct request *req);
/* Ensures a login form token for a visitor who is not signed in: reuses the
 * cookie's or makes one and sets the cookie. The token is in req->form_csrf. */
void auth_form_token(struct request *req, struct reply *rep);
/* Sets the session cookie to sid, or clears it when sid is NULL. Both cookies
 * carry Secure when auth_configure said so. */
void auth_set_session_cookie(struct reply *rep, const char *sid);

/* Called once at start, before threads: secure adds Secure to the cookies (the
 * site is served over https); login_per_minute is how many login attempts one
 * client address may have under way or failed within a minute (0: no limit). */
void auth_configure(int secure, unsigned login_per_minute);
/* "; Secure" when the cookies carry Secure (as auth_configure said), else "": for another
 * area's cookie (a survey's visitor token). */
const char *auth_cookie_secure(void);
/* Asks ip's allowance for one login attempt, before any password is checked.
 * Returns 0, or the seconds until the next attempt is allowed (the attempt must
 * then be refused at once); *first_refusal is 1 for the first refusal since the
 * address's last allowed attempt (the one worth an audit record). An allowed
 * attempt must be reported with auth_throttle_done(ip, *reserved, failed): a
 * failure spends a token, a success returns the one it reserved. */
int auth_throttle_take(const char *ip, int *reserved, int *first_refusal);
void auth_throttle_done(const char *ip, int reserved, int failed);

#endif
