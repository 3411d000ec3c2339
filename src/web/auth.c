/* auth.c - session cookie, CSRF tokens. */
#include "auth.h"
#include "areas/session.h"
#include "db/db.h"
#include "lib/crypto.h"
#include "lib/err.h"
#include "lib/str.h"

#include <string.h>

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
	reply_cookie(rep, AUTH_FORM_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict",
		     req->form_csrf);
}

void auth_set_session_cookie(struct reply *rep, const char *sid)
{
	if (sid)
		reply_cookie(rep, AUTH_SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict",
			     sid);
	else
		reply_cookie(rep,
			     AUTH_SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
}
