/* request.h - the parsed request a handler sees, and the parsers that build it.
 *
 * The parsers are pure functions over bytes (fuzzed in tests/fuzz): they
 * validate UTF-8, refuse NUL bytes and path tricks, and never allocate
 * outside the request's arena. */
#ifndef VETS_REQUEST_H
#define VETS_REQUEST_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "areas/account.h"
#include "lib/arena.h"
#include "lib/buf.h"
#include "web/multipart.h"

struct route;

struct param {
	const char *name;
	const char *value; /* NUL-terminated, valid UTF-8 */
	size_t len;
};

struct request {
	struct arena arena;
	const char *method;
	const char *raw_uri;
	char path[1024];      /* decoded and normalised */
	const char *query;    /* raw, after '?', or "" */
	struct param *params; /* query string, then form or JSON body */
	size_t n_params;
	json_t *json; /* a JSON body, or NULL */
	struct multipart_part *files; /* the uploaded files of a multipart body */
	size_t n_files;
	struct buf body;
	const char *content_type, *cookie, *host, *csrf_header, *user_agent, *accept;
	const char *authorization; /* the Authorization header, for /metrics */
	const char *if_none_match; /* the If-None-Match header, for the portal's pages */
	int portal;                /* arrived on the portal listener (web/portal.h) */
	char ip[64];
	unsigned long long id; /* request number, for the logs */
	int64_t started_usec;
	const struct route *route;
	int64_t path_id; /* the {id} of the route pattern, when it has one */
	int signed_in;
	struct principal user;
	char sid[65];
	char form_csrf[65]; /* the login form's double-submit token */
	int is_api;
};

/* Decodes %XX escapes (and '+' as space when plus_is_space) of in[0..n) into
 * out (which holds at least n+1 bytes) and terminates it. Returns the decoded
 * length, or -1 for a bad escape, a NUL byte or invalid UTF-8. */
long http_decode(const char *in, size_t n, int plus_is_space, char *out);

/* Decodes and normalises a raw request path: it must start with '/', and may not
 * contain '.' or '..' segments, empty segments, backslashes or control
 * characters after decoding. Returns 0, or -1. out holds size bytes. */
int http_normalize_path(const char *raw, size_t n, char *out, size_t size);

/* Parses "a=1&b=2" into params allocated in arena, appending to *list and *count.
 * Returns 0, VE_INVALID (bad encoding) or VE_LIMIT (more than max in total). */
int http_parse_urlencoded(struct arena *arena, const char *s, size_t n, struct param **list,
			  size_t *count, size_t max);

/* Parses a JSON object body: each top-level member must be a string, number,
 * true, false or null, and becomes a param (numbers in decimal, booleans as
 * "true"/"false", null skipped). Returns 0, VE_INVALID or VE_LIMIT. *json gets
 * the parsed document (caller json_decref's it). */
int http_parse_json(struct arena *arena, const char *s, size_t n, json_t **json,
		    struct param **list, size_t *count, size_t max);
/* As http_parse_json, but a member for which multi(ctx, name) answers 1 (a parameter the
 * route declares repeatable) may also be an array of strings: each element becomes a param
 * of that name, an empty array none. */
int http_parse_json_multi(struct arena *arena, const char *s, size_t n, json_t **json,
			  struct param **list, size_t *count, size_t max,
			  int (*multi)(const void *ctx, const char *name), const void *ctx);

/* Finds cookie name in a Cookie header and copies its value into out (size
 * bytes). Returns 0, or -1 when absent, too long or malformed. */
int http_cookie(const char *header, const char *name, char *out, size_t size);

/* Parses a multipart/form-data body: plain fields become params, file parts go to
 * req->files. Returns 0, VE_INVALID or VE_LIMIT. */
int http_parse_multipart(struct request *req, const char *content_type, size_t max);

/* The value of the first param named name, or NULL. */
const char *req_param(const struct request *req, const char *name);

#endif
