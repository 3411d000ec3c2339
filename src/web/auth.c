/* auth.c - session cookie, CSRF tokens. */
#include "auth.h"
#include "areas/session.h"
#include "db/db.h"
#include "lib/crypto.h"
#include "lib/err.h"
#include "lib/clock.h"
#include "lib/str.h"

#include <pthread.h>
#include <string.h>

static int cookie_secure;
static unsigned throttle_per_minute = AUTH_LOGIN_PER_MINUTE;

const char *auth_cookie_secure(void)
{
	return cookie_secure ? "; Secure" : "";
}

void auth_configure(int secure, unsigned login_per_minute)
{
	cookie_secure = secure != 0;
	throttle_per_minute = login_per_minute;
}

/* ---- the login allowance per client address ----
 * A token bucket per address: per_minute tokens at most, refilled at per_minute a
 * minute; each failed attempt spends one. While an address's bucket is full it has
 * failed of late no more than the refill, and its attempts go ahead (sixteen
 * colleagues behind one address may sign in at once); once it is not, each
 * attempt reserves its token before any password is checked, so that a flood of
 * concurrent guesses is cut at the bucket's size. Addresses are hashed into a
 * fixed table; two that share a slot share an allowance (stricter, never looser),
 * and a slot whose bucket is full again is handed to the next address. */

#define THROTTLE_SLOTS 4096

static struct throttle_slot {
	char ip[64];
	double tokens;
	int64_t at_usec; /* when tokens was last brought up to date */
	int refusing;    /* refused since its last allowed attempt */
} throttle[THROTTLE_SLOTS];
static pthread_mutex_t throttle_lock = PTHREAD_MUTEX_INITIALIZER;

static struct throttle_slot *throttle_slot(const char *ip, int64_t now)
{
	uint32_t h = 2166136261u;
	for (const char *c = ip; *c; c++)
		h = (h ^ (unsigned char)*c) * 16777619u;
	struct throttle_slot *s = &throttle[h % THROTTLE_SLOTS];
	double cap = throttle_per_minute;
	if (s->at_usec)
		s->tokens += (double)(now - s->at_usec) * cap / 60e6;
	if (!s->at_usec || s->tokens > cap)
		s->tokens = cap;
	s->at_usec = now;
	if (strcmp(s->ip, ip) != 0 && s->tokens >= cap) {
		str_copy(s->ip, ip, sizeof(s->ip));
		s->refusing = 0;
	}
	return s;
}

int auth_throttle_take(const char *ip, int *reserved, int *first_refusal)
{
	*reserved = *first_refusal = 0;
	if (!throttle_per_minute)
		return 0;
	pthread_mutex_lock(&throttle_lock);
	struct throttle_slot *s = throttle_slot(ip, clock_usec());
	int wait = 0;
	if (s->tokens >= throttle_per_minute) {
		s->refusing = 0;
	} else if (s->tokens >= 1) {
		s->tokens -= 1;
		*reserved = 1;
		s->refusing = 0;
	} else {
		wait = 1 + (int)((1 - s->tokens) * 60 / throttle_per_minute);
		*first_refusal = !s->refusing;
		s->refusing = 1;
	}
	pthread_mutex_unlock(&throttle_lock);
	return wait;
}

void auth_throttle_done(const char *ip, int reserved, int failed)
{
	if (!throttle_per_minute || reserved == failed)
		return; /* a reserved token spent on a failure, or nothing taken for a success */
	pthread_mutex_lock(&throttle_lock);
	struct throttle_slot *s = throttle_slot(ip, clock_usec());
	s->tokens += failed ? -1 : 1;
	if (s->tokens > throttle_per_minute)
		s->tokens = throttle_per_minute;
	if (s->tokens < -(double)throttle_per_minute) /* a wait of two minutes at most */
		s->tokens = -(double)throttle_per_minute;
	pthread_mutex_unlock(&throttle_lock);
}

int auth_resolve(struct request *req)
{
	char sid[SESSION_ID_HEX + 1];
	if (!req->cookie || http_cookie(req->cookie, AUTH_SESSION_COOKIE, sid, sizeof(sid)) != 0)
		return VE_AUTH;
	struct db *db = db_thread();
	if (!db)
		return VE_DB;
	int rc = session_lookup(db, sid, req->ip, &req->user);
	if (rc == 0) {
		req->signed_in = 1;
		str_copy(req->sid, sid, sizeof(req->sid));
	}
	return rc;
}

static int token_equal(const char *a, const char *b)
{
	size_t n = strlen(b);
	return a && n == 64 && strlen(a) == n && crypto_equal(a, b, n);
}

int auth_csrf_ok(const struct request *req)
{
	const char *given = req->csrf_header ? req->csrf_header : req_param(req, "csrf");
	if (req->signed_in)
		return token_equal(given, req->user.csrf);
	char cookie[65];
	if (!req->cookie || http_cookie(req->cookie, AUTH_FORM_COOKIE, cookie, sizeof(cookie)) != 0)
		return 0;
	return token_equal(given, cookie);
}

void auth_form_token(struct request *req, struct reply *rep)
{
	if (req->cookie &&
	    http_cookie(req->cookie, AUTH_FORM_COOKIE, req->form_csrf, sizeof(req->form_csrf)) ==
		    0 &&
	    strlen(req->form_csrf) == 64 && strspn(req->form_csrf, "0123456789abcdef") == 64)
		return;
	unsigned char raw[32];
	crypto_random(raw, sizeof(raw));
	crypto_hex(raw, sizeof(raw), req->form_csrf);
	reply_cookie(rep, AUTH_FORM_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s",
		     req->form_csrf, cookie_secure ? "; Secure" : "");
}

void auth_set_session_cookie(struct reply *rep, const char *sid)
{
	const char *secure = cookie_secure ? "; Secure" : "";
	if (sid)
		reply_cookie(rep, AUTH_SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s",
			     sid, secure);
	else
		reply_cookie(rep,
			     AUTH_SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
			     secure);
}
