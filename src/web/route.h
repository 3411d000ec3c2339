/* route.h - routes, replies, and the helpers handlers use to answer.
 *
 * A handler parses nothing itself (params are checked before it runs), checks
 * nothing about permission (the router did), calls an area, and renders. */
#ifndef VETS_ROUTE_H
#define VETS_ROUTE_H

#include <stdint.h>
#include <jansson.h>

#include "areas/perm.h"
#include "lib/buf.h"
#include "lib/field_errors.h"
#include "web/params.h"
#include "web/request.h"

#define REPLY_MAX_COOKIES 3
#define REPLY_COOKIE_MAX 1024 /* one Set-Cookie value, attributes included */

struct reply {
	int status;
	const char *content_type;
	struct buf body;
	char location[512];
	char cookies[REPLY_MAX_COOKIES][REPLY_COOKIE_MAX];
	int n_cookies;
	const char *allow;       /* for 405 */
	const void *static_body; /* an embedded file served as is (body unused) */
	size_t static_len;
	const char *etag;
	int cacheable;         /* static assets: may be cached; everything else is no-store */
	int public_seconds;    /* a portal page: "public, max-age=N" with etag (web/portal.h) */
	char disposition[128]; /* Content-Disposition of a download, or "" */
	int has_file;          /* the body is the open file file_fd (closed once sent) */
	int file_fd;
	uint64_t file_size;
	int retry_after; /* seconds, for a 429 or 503; 0 sends no Retry-After */
};

/* A handler answers through rep and returns 0; or, having answered nothing, it
 * returns an area's error (VE_*) and the server answers that error with its
 * status (http_status_of) and err_message. */
typedef int (*handler_fn)(struct request *req, struct reply *rep);

enum route_flags {
	ROUTE_PUBLIC = 1,        /* no login needed */
	ROUTE_API = 2,           /* JSON errors */
	ROUTE_PASSWORD_OPEN = 4, /* open while a password change is pending */
	ROUTE_NO_CSRF = 8,       /* a state change that authenticates itself (login) */
	ROUTE_KNOWS_USER = 16,   /* public, but looks up the session when there is one */
	ROUTE_PORTAL = 32,       /* a page of the public portal: served on the portal listener
				    only (web/portal.h), as every other route is on the staff one */
};

struct route {
	const char *method;
	const char *pattern; /* "/users/{id}": {id} matches a positive integer */
	handler_fn handler;
	const struct perm *perm; /* NULL for public routes */
	int flags;
	const struct param_spec *params;
	size_t body_max; /* 0: the default limit */
};

/* An entry of the navigation: shown to users who hold perm, in ascending order. */
struct nav_item {
	int order;
	const char *href, *title;
	const struct perm *perm;
};

/* What web/<area>.c exports: its routes (ending with {0}), its navigation entries
 * (ending with {0}, or NULL), and what to do once the server takes no more requests
 * (or NULL). web/area_list.c lists them all. */
struct web_area {
	const char *name;
	const struct route *routes;
	const struct nav_item *nav;
	void (*stop)(void);
	/* The work waiting behind nav entry it, shown beside it (0: nothing); or NULL. */
	int64_t (*nav_count)(const struct request *req, const struct nav_item *it);
};

extern const struct web_area *const web_area_list[]; /* NULL-terminated */

/* The route for method and path among the portal's routes (portal 1) or the staff
 * listener's (0), with *id set from an {id} segment. NULL when none matches; then
 * *allow lists the methods the path does accept there ("" for none). */
const struct route *router_match(const char *method, const char *path, int portal, int64_t *id,
				 const char **allow);

/* The routes of every area as one sequence (for listings and metrics): their
 * number, the i-th (NULL past the end), and the index of one (-1 if none). */
size_t router_count(void);
const struct route *router_route(size_t i);
int router_index(const struct route *route);

/* ---- replies (page.c) ---- */

/* Renders template name inside the page context (app, user, nav, csrf, title)
 * with page as "page" (reference stolen). On a render failure answers 500. */
int reply_page(struct request *req, struct reply *rep, int status, const char *name,
	       const char *title, json_t *page);
/* Answers with JSON (reference stolen). */
int reply_json(struct reply *rep, int status, json_t *body);
/* Answers an error: {"error":{"code","message"}} for API routes or requests that
 * accept JSON only, else the error page. */
int reply_error(struct request *req, struct reply *rep, int status, const char *code,
		const char *message);
/* An uploaded .csv or .xlsx saved to a new private temporary file (its name into path,
 * with the upload's extension) for an import to read; the caller unlinks it. 0, or -1 with
 * a Chinese reason in why (another extension, the file could not be written). */
struct multipart_part;
int page_save_upload(const struct multipart_part *file, char path[64], char *why, size_t size);
/* A form's errors as its page shows them (partials/form_errors): [{"field","message"}];
 * [] for e NULL. */
json_t *page_field_errors(const struct field_errors *e);
/* An API's refusal of a request (rc): with field errors, {"error":{"code","message",
 * "fields":[{"field","message"}]}} (the first field's message); without, as reply_area_error
 * with err. */
int reply_api_refused(struct request *req, struct reply *rep, int rc,
		      const struct field_errors *fe, const char *err);
/* 303 See Other to location (a local path). */
int reply_redirect(struct reply *rep, const char *location);
/* Answers with the file at path, streamed from disk however large; the file is
 * unlinked at once (the open descriptor keeps it until sent). 0, or VE_IO. */
int reply_file(struct reply *rep, const char *path);
/* Adds a Set-Cookie header line (without the "Set-Cookie: " part). */
void reply_cookie(struct reply *rep, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A one-time message shown on the next page (a cookie read by reply_page). */
void reply_flash(struct reply *rep, const char *kind, const char *message);
/* A pager object {"page","pages","total","prev_href","next_href"} for base_href
 * (which already holds the other query parameters, and ends in '?' or '&'). */
json_t *page_pager(int64_t page, int64_t per_page, int64_t total, const char *base_href);
/* Appends name=value URL-encoded plus '&' to b, when value is non-empty. */
void page_query_add(struct buf *b, const char *name, const char *value);

/* The calling thread's database; on failure answers 503 and returns NULL. */
struct db *page_db(struct request *req, struct reply *rep);
/* The HTTP status of an area's error code: the one mapping of every page and API. */
int http_status_of(int code);
/* Answers an area's error code with http_status_of(code) and message (err_message
 * when NULL or empty). */
int reply_area_error(struct request *req, struct reply *rep, int code, const char *message);

/* The context every page renders in: {"app":{"name","bureau","version"},"title","page"}
 * (page stolen; NULL for {}). */
json_t *page_context(const char *title, json_t *page);
/* Renders template name with ctx (stolen) into rep with status; a render failure answers 500. */
int page_render(struct reply *rep, int status, const char *name, json_t *ctx);

/* The template set used by reply_page; created at start by page_init. */
int page_init(char *err, size_t errlen);
/* Renders template name with data as its whole context (no page around it: a document
 * written to a file), appending to out; takes data. 0 or an error code. */
int page_render_standalone(const char *name, json_t *data, struct buf *out);
void page_free(void);
/* The bureau's name shown on every page (from settings at start). */
void page_set_bureau(const char *name);

#endif
