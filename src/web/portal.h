/* portal.h - the public portal's side of the web server (SPEC 2.10, 4 "Integrity of the portal").
 *
 * `vets serve --portal HOST:PORT` opens a second listener that answers the routes flagged
 * ROUTE_PORTAL and nothing else: staff pages and the staff API do not exist there (404). Its
 * pages render inside templates/portal/layout.html, which gives every page the bureau's name,
 * the portal's navigation, a QR code of the page's own public address, 返回顶部 and the two
 * reading modes (大字, 高对比度: static/portal.js keeps the choice in the browser, so the
 * page's bytes stay the same for every visitor, User-Agent and Referer).
 *
 * A page without a form is public: ETag and `Cache-Control: public, max-age=60`, and 304 on a
 * matching If-None-Match, so a CDN or nginx in front can serve it. A page with a form carries
 * a fill-time token and is never cached.
 *
 * Public writes are guarded instead of CAPTCHAs: the form's signed fill-time token (refused
 * when forged, older than PORTAL_FORM_MAX_AGE, or younger than the minimum fill time), a
 * honeypot field people never see, and a limit of posts per client address. */
#ifndef VETS_PORTAL_H
#define VETS_PORTAL_H

#include <jansson.h>
#include <stdint.h>

#include "areas/audit.h"
#include "web/route.h"

#define PORTAL_FORM_MAX_AGE 7200 /* seconds a form stays valid after it was served */
#define PORTAL_MIN_FILL 3        /* the default seconds a person needs at least to fill a form */
#define PORTAL_POSTS 10          /* the default posts per client address per PORTAL_POST_WINDOW */
#define PORTAL_POST_WINDOW 600

/* The guard's fields, for the param_spec of every portal POST route (a token is at most
 * 111 bytes: "t.nonce.hmac", see token_make). */
#define PORTAL_GUARD_PARAMS                                                                        \
	{"_t", "表单令牌", PK_TEXT, 0, 0, 120, 0}, { "website", "网址", PK_TEXT, 0, 0, 200, 0 }

/* Set once at start, before the server runs. origin: "https://name" of the portal's public
 * address (--public-host), or NULL to take the request's Host; min_fill: seconds (0 allowed);
 * posts: per client address per PORTAL_POST_WINDOW (0: no limit); cache_seconds: how long a
 * public page is answered from memory (0: never). */
void portal_configure(const char *origin, int min_fill, int posts, int cache_seconds);

/* The public address of target (a path with its query) on the portal into out: under the
 * configured origin, else under the Host req was asked on. For a QR code, a printed receipt. */
void portal_address(const struct request *req, const char *target, char *out, size_t size);

/* Renders template name (which extends "portal/layout" and fills its blocks "title" and
 * "content") with page as "page" (reference stolen), as reply_page does for staff. A GET
 * answered 200 gets an ETag and a short public Cache-Control, and 304 without a body when
 * the request's If-None-Match matches — unless it is personal: its page holds "guard" (a
 * form) or "private" (say, one visitor's own case), or the reply sets a cookie. */
int reply_portal(struct request *req, struct reply *rep, int status, const char *name,
		 const char *title, json_t *page);

/* ---- the page cache ----
 * A public page (as reply_portal marks it) is kept for a few seconds (PORTAL_CACHE_SECONDS
 * unless configured otherwise; 0 keeps none) and answered again
 * from memory, without its handler, to every visitor asking for the same target on the same
 * Host: the portal's home and lists stand a crowd. Any state-changing request the server
 * handles empties it, so what staff publish shows at once; a change made by another process
 * (an import, a job) shows within those seconds. */
#define PORTAL_CACHE_SECONDS 5

/* Answers req from the cache (200, or 304 on a matching If-None-Match): 1, or 0 on a miss. */
int portal_cache_answer(struct request *req, struct reply *rep);
/* The cache's generation, to read before a page is rendered and give to portal_cache_keep. */
uint64_t portal_cache_generation(void);
/* Keeps rep when it is a public page and the cache has not been emptied since generation was
 * read (a page rendered from data that changed meanwhile is not kept). */
void portal_cache_keep(const struct request *req, const struct reply *rep, uint64_t generation);
/* Empties the cache. */
void portal_cache_forget(void);

/* Adds page.guard, the fill-time token {{> portal/guard}} prints inside a form. */
void portal_form_guard(json_t *page);

/* Checks a portal POST against the guard: 0 to go on; otherwise it has answered (400 for a
 * forged, expired or too quickly filled form or a filled honeypot; 429 with Retry-After past
 * the address's posts) and the handler returns 0. A refused post changes nothing. */
int portal_form_check(struct request *req, struct reply *rep);

/* The audit actor of a visitor: "公众" at the client's address. */
struct audit_actor portal_actor(const struct request *req);

#endif
