/* server.c - libmicrohttpd glue: limits, routing, authentication, security
 * headers, the access log and metrics, and graceful shutdown. */
#include "server.h"
#include "auth.h"
#include "limits.h"
#include "metrics.h"
#include "portal.h"
#include "route.h"
#include "areas/audit.h"
#include "areas/job.h"
#include "db/db.h"
#include "lib/asset.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/mem.h"
#include "lib/str.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#include <time.h>

static const char *const security_headers[][2] = {
	{"Content-Security-Policy",
	 "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
	 "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
	{"X-Content-Type-Options", "nosniff"},
	{"X-Frame-Options", "DENY"},
	{"Referrer-Policy", "same-origin"},
	{"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
};

static const struct server_config *config;
/* Requests begun and not yet completed: a stopping server waits for them. */
static int in_flight;
/* What on_uri is given to tell the portal's listener from the staff one. */
static int portal_side = 1;

/* Per-request state that lives beside the parsed request. */
struct conn_state {
	struct request req;
	int phase; /* 0 new, 1 headers checked, 2 answered */
	int status;
	int route_index;  /* for metrics: -1 unmatched, -2 static */
	int early_status; /* set when the request is refused before its body is read */
	const char *early_code, *early_message;
	const char *allow; /* the methods a path accepts, for a 405 */
	char uri[256];     /* the raw request target when short (most are); else in the arena */
	size_t discarded;  /* body bytes dropped after a refusal */
};

/* ---- static files: responses made once per worker thread, reused by its requests ----
 *
 * One response shared by all threads would serialise them on the response's
 * mutex (measured: half the requests then waited in futex); a copy per thread
 * keeps the fast path free of contention. */

struct static_file {
	const struct embedded_file *file; /* "static/app.css", served at "/static/app.css" */
	char etag[24];
};
static struct static_file *static_files;
static size_t n_static_files;

/* Every thread's array of responses, for freeing at shutdown. */
struct response_set {
	struct MHD_Response **responses;
	struct response_set *next;
};
static struct response_set *response_sets;
static pthread_mutex_t response_sets_lock = PTHREAD_MUTEX_INITIALIZER;
static __thread struct MHD_Response **thread_responses;

static const char *content_type_of(const char *path)
{
	static const char *const types[][2] = {
		{".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".ico", "image/x-icon"},
		{".txt", "text/plain; charset=utf-8"},
		{".woff2", "font/woff2"},
	};
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i][0]) == 0)
			return types[i][1];
	return "application/octet-stream";
}

static void add_security_headers(struct MHD_Response *r)
{
	for (size_t i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
		MHD_add_response_header(r, security_headers[i][0], security_headers[i][1]);
}

static void static_files_init(void)
{
	for (const struct embedded_file *f = embedded_files; f->path; f++)
		n_static_files += strncmp(f->path, "static/", 7) == 0;
	static_files = xcalloc(n_static_files, sizeof(*static_files));
	size_t k = 0;
	for (const struct embedded_file *f = embedded_files; f->path; f++) {
		if (strncmp(f->path, "static/", 7) != 0)
			continue;
		struct static_file *s = &static_files[k++];
		s->file = f;
		unsigned char h[SM3_LEN];
		char hex[17];
		crypto_sm3(f->data, f->len, h);
		crypto_hex(h, 8, hex);
		snprintf(s->etag, sizeof(s->etag), "\"%s\"", hex);
	}
}

/* The calling thread's response for static file i, made on first use. */
static struct MHD_Response *static_response(size_t i)
{
	if (!thread_responses) {
		struct response_set *set = xcalloc(1, sizeof(*set));
		set->responses = xcalloc(n_static_files, sizeof(*set->responses));
		pthread_mutex_lock(&response_sets_lock);
		set->next = response_sets;
		response_sets = set;
		pthread_mutex_unlock(&response_sets_lock);
		thread_responses = set->responses;
	}
	if (!thread_responses[i]) {
		const struct static_file *s = &static_files[i];
		struct MHD_Response *r = MHD_create_response_from_buffer(
			s->file->len, (void *)(uintptr_t)s->file->data, MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(r, "Content-Type", content_type_of(s->file->path));
		MHD_add_response_header(r, "Cache-Control", "public, max-age=3600");
		MHD_add_response_header(r, "ETag", s->etag);
		add_security_headers(r);
		thread_responses[i] = r;
	}
	return thread_responses[i];
}

static void static_files_free(void)
{
	while (response_sets) {
		struct response_set *set = response_sets;
		response_sets = set->next;
		for (size_t i = 0; i < n_static_files; i++)
			if (set->responses[i])
				MHD_destroy_response(set->responses[i]);
		free(set->responses);
		free(set);
	}
	free(static_files);
}

static const struct static_file *static_find(const char *path)
{
	if (strcmp(path, "/favicon.ico") == 0)
		path = "/static/favicon.svg";
	if (strncmp(path, "/static/", 8) != 0)
		return NULL;
	for (size_t i = 0; i < n_static_files; i++)
		if (strcmp(static_files[i].file->path, path + 1) == 0)
			return &static_files[i];
	return NULL;
}

/* ---- request intake ---- */

/* Headers that may appear once only: a second copy is a smuggling attempt or a broken client. */
static const char *const single_headers[] = {
	"Host",          "Cookie",       "Content-Length", "Content-Type", "X-CSRF-Token",
	"Transfer-Encoding", "Authorization", "X-Forwarded-For"};
#define N_SINGLE (sizeof(single_headers) / sizeof(single_headers[0]))

struct header_scan {
	struct request *req;
	const char *forwarded_for; /* the X-Forwarded-For header, or NULL */
	size_t bytes, count;
	int seen[N_SINGLE];
	int duplicate;
};

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	struct header_scan *h = cls;
	struct request *req = h->req;
	h->bytes += strlen(key) + (value ? strlen(value) : 0) + 4;
	h->count++;
	for (size_t i = 0; i < N_SINGLE; i++)
		if (strcasecmp(key, single_headers[i]) == 0 && h->seen[i]++)
			h->duplicate = 1;
	if (!value)
		return MHD_YES;
	if (strcasecmp(key, "Host") == 0)
		req->host = value;
	else if (strcasecmp(key, "Cookie") == 0)
		req->cookie = value;
	else if (strcasecmp(key, "Content-Type") == 0)
		req->content_type = value;
	else if (strcasecmp(key, "X-CSRF-Token") == 0)
		req->csrf_header = value;
	else if (strcasecmp(key, "User-Agent") == 0)
		req->user_agent = value;
	else if (strcasecmp(key, "Accept") == 0)
		req->accept = value;
	else if (strcasecmp(key, "Authorization") == 0)
		req->authorization = value;
	else if (strcasecmp(key, "If-None-Match") == 0)
		req->if_none_match = value;
	else if (strcasecmp(key, "X-Forwarded-For") == 0)
		h->forwarded_for = value;
	return MHD_YES;
}

/* The name of a Host header into name (size bytes), without its port: a DNS name or IPv4
 * address ([A-Za-z0-9.-]) or a bracketed IPv6 address, then at most ":" and 1-5 digits.
 * 0, or -1 for anything else ("localhost:1@evil.example", "a b", "x:80/y"): a Host that is
 * not exactly a name must never reach a page (its QR code, a link) even when it starts like one. */
static int host_name(const char *host, char *name, size_t size)
{
	size_t n = host ? strlen(host) : 0;
	if (n == 0 || n >= size)
		return -1;
	size_t end;
	if (host[0] == '[') {
		end = 1 + strspn(host + 1, "0123456789abcdefABCDEF:.");
		if (host[end] != ']')
			return -1;
		end++;
	} else {
		end = strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-");
	}
	const char *port = host + end;
	size_t digits = *port ? strspn(port + 1, "0123456789") : 0;
	if (end == 0 || (*port && (*port != ':' || digits < 1 || digits > 5 || port[1 + digits])))
		return -1;
	memcpy(name, host, end);
	name[end] = '\0';
	return 0;
}

/* 1 when the Host header names this server. */
static int host_allowed(const char *host)
{
	char name[256];
	if (host_name(host, name, sizeof(name)) != 0)
		return 0;
	static const char *const local[] = {"localhost", "127.0.0.1", "[::1]"};
	for (size_t i = 0; i < 3; i++)
		if (strcasecmp(name, local[i]) == 0)
			return 1;
	if (config->host && strcasecmp(name, config->host) == 0)
		return 1;
	if (config->portal_host && strcasecmp(name, config->portal_host) == 0)
		return 1;
	for (size_t i = 0; i < config->n_public_hosts; i++)
		if (strcasecmp(name, config->public_hosts[i]) == 0)
			return 1;
	return 0;
}

static void refuse(struct conn_state *cs, int status, const char *code, const char *message)
{
	cs->early_status = status;
	cs->early_code = code;
	cs->early_message = message;
}

static void client_ip(struct MHD_Connection *c, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	str_copy(out, "?", size);
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
			  (socklen_t)size);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			  out, (socklen_t)size);
}

/* 1 when ip is one of the --trusted-proxy addresses. */
static int proxy_trusted(const char *ip)
{
	for (size_t i = 0; i < config->n_trusted_proxies; i++)
		if (strcmp(ip, config->trusted_proxies[i]) == 0)
			return 1;
	return 0;
}

/* The client behind a trusted proxy: the right-most address of X-Forwarded-For that is not a
 * trusted proxy itself, into ip (which holds the connecting address, left as is when the peer
 * is not trusted or the header names no valid address). Rate limits and the audit trail then
 * count visitors, not the proxy. */
static void client_behind_proxy(const char *forwarded, char *ip, size_t size)
{
	if (!forwarded || !proxy_trusted(ip))
		return;
	const char *end = forwarded + strlen(forwarded);
	while (end > forwarded) {
		const char *start = end;
		while (start > forwarded && start[-1] != ',')
			start--;
		char one[64];
		size_t n = (size_t)(end - start);
		while (n && (*start == ' ' || *start == '\t'))
			start++, n--;
		while (n && (start[n - 1] == ' ' || start[n - 1] == '\t'))
			n--;
		end = start > forwarded ? start - 1 : forwarded;
		unsigned char addr[16];
		if (n == 0 || n >= sizeof(one))
			return;
		memcpy(one, start, n);
		one[n] = '\0';
		if (inet_pton(AF_INET, one, addr) != 1 && inet_pton(AF_INET6, one, addr) != 1)
			return; /* not an address: keep the proxy's own */
		if (!proxy_trusted(one)) {
			str_copy(ip, one, size);
			return;
		}
	}
}

/* Records a signed-in user's request for a function their roles do not hold
 * (等保: access-control violations are audited); the caller refuses it. The record
 * names the route's pattern and method, never the path's values. */
static void audit_forbidden(const struct request *req)
{
	struct db *db = db_thread();
	char object[160];
	if (!db)
		return;
	struct audit_actor who = account_actor(&req->user);
	snprintf(object, sizeof(object), "%s %s", req->route->method, req->route->pattern);
	if (audit_event(db, &who, "access.denied", object, "denied", "无权访问此功能") != 0)
		log_warn("audit.write_failed", "req=%llx action=%s", req->id, "access.denied");
}

/* Checks everything known once the headers are in: method, header limits, Host,
 * the path and its route, the declared body size. */
static void check_headers(struct conn_state *cs, struct MHD_Connection *c, const char *method)
{
	struct request *req = &cs->req;
	req->method = arena_strdup(&req->arena, method);
	client_ip(c, req->ip, sizeof(req->ip));
	struct header_scan h = {.req = req};
	MHD_get_connection_values(c, MHD_HEADER_KIND, scan_header, &h);
	if (h.bytes > LIMIT_HEADER_BYTES || h.count > LIMIT_HEADER_COUNT)
		return refuse(cs, 431, "headers_too_large", "请求头过大或过多");
	client_behind_proxy(h.forwarded_for, req->ip, sizeof(req->ip));
	if (h.duplicate)
		return refuse(cs, 400, "duplicate_header", "请求头重复");
	if (!host_allowed(req->host))
		return refuse(cs, 421, "unknown_host", "不受理此主机名的请求");
	const char *uri = req->raw_uri ? req->raw_uri : "";
	if (strlen(uri) > LIMIT_URI_BYTES)
		return refuse(cs, 414, "uri_too_long", "请求地址过长");
	const char *q = strchr(uri, '?');
	size_t path_len = q ? (size_t)(q - uri) : strlen(uri);
	req->query = q ? q + 1 : "";
	if (http_normalize_path(uri, path_len, req->path, sizeof(req->path)) != 0)
		return refuse(cs, 400, "bad_path", "请求地址无效");
	int reading = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
	if (reading && static_find(req->path)) {
		cs->route_index = -2;
		return;
	}
	const char *allow = "";
	req->route = router_match(method, req->path, req->portal, &req->path_id, &allow);
	if (!req->route) {
		if (*allow) {
			cs->allow = arena_strdup(&req->arena, allow);
			return refuse(cs, 405, "method_not_allowed", "不支持此请求方法");
		}
		return refuse(cs, 404, "not_found", "页面不存在");
	}
	req->is_api = (req->route->flags & ROUTE_API) != 0;
	cs->route_index = router_index(req->route);
	size_t max = req->route->body_max ? req->route->body_max : LIMIT_BODY_BYTES;
	/* An upload is read only for someone who may send it: no one else makes the
	 * server hold megabytes. (The CSRF token, inside the body, is checked later.) */
	if (max > LIMIT_BODY_BYTES) {
		if (auth_resolve(req) != 0)
			return refuse(cs, 401, "unauthorized", "请先登录");
		if (req->route->perm && !perm_allows(req->user.roles, req->route->perm)) {
			audit_forbidden(req);
			return refuse(cs, 403, "forbidden", "无权访问此功能");
		}
	}
	const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	int64_t declared;
	if (len && (str_to_i64(len, strlen(len), 0, INT64_MAX, &declared) != 0 ||
		    (uint64_t)declared > max))
		return refuse(cs, 413, "body_too_large", "请求内容过大");
	buf_init(&req->body, max);
}

/* ---- dispatch ---- */

/* 1 when the Content-Type header names the media type want (parameters such as
 * "; charset=utf-8" allowed after it). */
static int media_type_is(const char *header, const char *want)
{
	size_t n = strlen(want);
	if (strncasecmp(header, want, n) != 0)
		return 0;
	const char *rest = header + n;
	while (*rest == ' ' || *rest == '\t')
		rest++;
	return *rest == '\0' || *rest == ';';
}

/* 1 when the route declares an uploaded file: only such routes read multipart bodies. */
static int takes_files(const struct route *r)
{
	for (const struct param_spec *s = r->params; s && s->name; s++)
		if (s->kind == PK_FILE)
			return 1;
	return 0;
}

/* 1 when the route (ctx) declares name repeatable: its JSON value may be an array. */
static int json_list_ok(const void *ctx, const char *name)
{
	const struct route *r = ctx;
	for (const struct param_spec *s = r ? r->params : NULL; s && s->name; s++)
		if (strcmp(s->name, name) == 0)
			return s->multi;
	return 0;
}

/* Reads the query string and the body into req->params. Answers (and returns 1)
 * when they are malformed. */
static int parse_params(struct request *req, struct reply *rep)
{
	int rc = http_parse_urlencoded(&req->arena, req->query, strlen(req->query), &req->params,
				       &req->n_params, LIMIT_PARAMS);
	if (rc == 0 && req->body.len) {
		const char *ct = req->content_type ? req->content_type : "";
		if (media_type_is(ct, "application/x-www-form-urlencoded"))
			rc = http_parse_urlencoded(&req->arena, req->body.data, req->body.len,
						   &req->params, &req->n_params, LIMIT_PARAMS);
		else if (media_type_is(ct, "application/json"))
			rc = http_parse_json_multi(&req->arena, req->body.data, req->body.len,
						   &req->json, &req->params, &req->n_params,
						   LIMIT_PARAMS, json_list_ok, req->route);
		else if (media_type_is(ct, "multipart/form-data") && takes_files(req->route))
			rc = http_parse_multipart(req, ct, LIMIT_PARAMS);
		else
			return reply_error(req, rep, 415, "unsupported_media_type",
					   "不支持的请求内容类型"),
			       1;
	}
	if (rc == VE_LIMIT)
		return reply_error(req, rep, 400, "too_many_parameters", "参数过多"), 1;
	if (rc)
		return reply_error(req, rep, 400, "bad_request",
				   "请求内容格式错误（编码或 JSON 无效）"),
		       1;
	return 0;
}

/* Who is asking, and may they? Answers (and returns 1) when they may not. */
static int gatekeep(struct request *req, struct reply *rep)
{
	const struct route *r = req->route;
	/* An upload's sender was looked up before its body was read. */
	int rc = req->signed_in                                                ? 0
		 : (r->flags & ROUTE_PUBLIC) && !(r->flags & ROUTE_KNOWS_USER) ? VE_AUTH
									       : auth_resolve(req);
	if (rc == VE_DB)
		return reply_error(req, rep, 503, "unavailable",
				   "系统暂时无法处理请求，请稍后再试"),
		       1;
	if (!req->signed_in && !(r->flags & ROUTE_PUBLIC)) {
		if (req->is_api)
			return reply_error(req, rep, 401, "unauthorized",
					   rc == VE_EXPIRED ? "会话已超时，请重新登录"
							    : "请先登录"),
			       1;
		if (strcmp(req->method, "GET") == 0) {
			reply_flash(rep, "error",
				    rc == VE_EXPIRED ? "会话已超时，请重新登录" : "请先登录");
			return reply_redirect(rep, "/login"), 1;
		}
		return reply_error(req, rep, 401, "unauthorized", "请先登录"), 1;
	}
	if (req->signed_in && req->user.must_change_password && !(r->flags & ROUTE_PASSWORD_OPEN)) {
		if (req->is_api)
			return reply_error(req, rep, 403, "password_change_required",
					   "须先修改密码"),
			       1;
		return reply_redirect(rep, "/password"), 1;
	}
	if (r->perm && !perm_allows(req->user.roles, r->perm)) {
		audit_forbidden(req);
		return reply_error(req, rep, 403, "forbidden", "无权访问此功能"), 1;
	}
	int changes = strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0;
	if (changes && !(r->flags & ROUTE_NO_CSRF) && !auth_csrf_ok(req))
		return reply_error(req, rep, 403, "csrf", "页面已过期或请求来源无效，请刷新后重试"),
		       1;
	return 0;
}

static void dispatch(struct request *req, struct reply *rep)
{
	if (parse_params(req, rep) || gatekeep(req, rep))
		return;
	char err[256];
	if (params_check(req, req->route->params, err, sizeof(err)) != 0) {
		reply_error(req, rep, 400, "invalid_parameter", err);
		return;
	}
	if (req->portal && portal_cache_answer(req, rep))
		return;
	uint64_t generation = portal_cache_generation();
	int rc = req->route->handler(req, rep);
	if (rc && !rep->status)
		reply_area_error(req, rep, rc, NULL);
	int reading = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
	if (!reading && rep->status < 400)
		portal_cache_forget(); /* whatever it changed shows on the portal at once */
	else if (reading && req->portal)
		portal_cache_keep(req, rep, generation);
}

/* ---- answering ---- */

static enum MHD_Result send_reply(struct MHD_Connection *c, struct conn_state *cs,
				  struct reply *rep)
{
	struct MHD_Response *r;
	if (rep->static_body) {
		r = MHD_create_response_from_buffer(rep->static_len,
						    (void *)(uintptr_t)rep->static_body,
						    MHD_RESPMEM_PERSISTENT);
	} else if (rep->has_file) { /* libmicrohttpd closes the file when done */
		r = MHD_create_response_from_fd64(rep->file_size, rep->file_fd);
		if (!r)
			close(rep->file_fd);
		rep->has_file = 0;
	} else {
		size_t len;
		char *body = buf_detach(&rep->body, &len);
		r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	}
	if (!r)
		return MHD_NO;
	add_security_headers(r);
	MHD_add_response_header(r, "Content-Type",
				rep->content_type ? rep->content_type : "text/html; charset=utf-8");
	char cache[40];
	snprintf(cache, sizeof(cache), "public, max-age=%d",
		 rep->public_seconds > 0 ? rep->public_seconds : 3600);
	MHD_add_response_header(r, "Cache-Control",
				rep->cacheable || rep->public_seconds > 0 ? cache : "no-store");
	if (rep->etag)
		MHD_add_response_header(r, "ETag", rep->etag);
	if (rep->location[0])
		MHD_add_response_header(r, "Location", rep->location);
	if (rep->allow)
		MHD_add_response_header(r, "Allow", rep->allow);
	if (rep->retry_after > 0) {
		char seconds[16];
		snprintf(seconds, sizeof(seconds), "%d", rep->retry_after);
		MHD_add_response_header(r, "Retry-After", seconds);
	}
	if (rep->disposition[0])
		MHD_add_response_header(r, "Content-Disposition", rep->disposition);
	for (int i = 0; i < rep->n_cookies; i++)
		MHD_add_response_header(r, "Set-Cookie", rep->cookies[i]);
	cs->status = rep->status;
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)rep->status, r);
	MHD_destroy_response(r);
	cs->phase = 2;
	return ok;
}

static enum MHD_Result answer_static(struct MHD_Connection *c, struct conn_state *cs)
{
	const struct static_file *s = static_find(cs->req.path);
	const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
	cs->phase = 2;
	if (inm && strcmp(inm, s->etag) == 0) {
		struct MHD_Response *r =
			MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(r, "ETag", s->etag);
		add_security_headers(r);
		cs->status = 304;
		enum MHD_Result ok = MHD_queue_response(c, 304, r);
		MHD_destroy_response(r);
		return ok;
	}
	cs->status = 200;
	return MHD_queue_response(c, 200, static_response((size_t)(s - static_files)));
}

static enum MHD_Result answer(struct MHD_Connection *c, struct conn_state *cs)
{
	if (cs->route_index == -2)
		return answer_static(c, cs);
	struct reply rep = {.status = 200};
	buf_init(&rep.body, LIMIT_OUTPUT_BYTES);
	if (cs->early_status) {
		rep.allow = cs->allow;
		reply_error(&cs->req, &rep, cs->early_status, cs->early_code, cs->early_message);
	} else {
		dispatch(&cs->req, &rep);
	}
	enum MHD_Result ok = send_reply(c, cs, &rep);
	buf_free(&rep.body);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_size, void **con_cls)
{
	struct conn_state *cs = *con_cls;
	if (!cs)
		return MHD_NO;
	if (cs->phase == 0) {
		cs->phase = 1;
		check_headers(cs, c, method);
		/* Answer a refused request at once, so that a large body is never read;
		 * otherwise wait for the next call (queueing on the first call of a
		 * good request would make libmicrohttpd close the connection). */
		if (cs->early_status && cs->early_status != 404 && cs->early_status != 405)
			return answer(c, cs);
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (cs->phase == 2)
			return MHD_YES;
		/* A body that outgrows its limit without having declared its length
		 * (chunked) is read and dropped, and answered 413 when it ends;
		 * libmicrohttpd can't answer in the middle of an upload. One that
		 * goes on far past the limit is cut off. */
		if (cs->early_status) {
			cs->discarded += n;
			return cs->discarded > LIMIT_DISCARD_BYTES ? MHD_NO : MHD_YES;
		}
		if (buf_append(&cs->req.body, upload_data, n) < 0)
			refuse(cs, 413, "body_too_large", "请求内容过大");
		return MHD_YES;
	}
	if (cs->phase == 2)
		return MHD_YES;
	return answer(c, cs);
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	static unsigned long long next_id;
	struct conn_state *cs = xcalloc(1, sizeof(*cs));
	arena_init(&cs->req.arena);
	/* Copied now: libmicrohttpd decodes its own copy in place later. */
	size_t n = strnlen(uri, LIMIT_URI_BYTES + 1);
	if (n < sizeof(cs->uri)) {
		memcpy(cs->uri, uri, n);
		cs->req.raw_uri = cs->uri;
	} else {
		cs->req.raw_uri = arena_strndup(&cs->req.arena, uri, n);
	}
	cs->req.started_usec = clock_usec();
	__atomic_add_fetch(&in_flight, 1, __ATOMIC_RELAXED);
	cs->req.id = __atomic_add_fetch(&next_id, 1, __ATOMIC_RELAXED);
	cs->req.portal = cls == &portal_side;
	cs->route_index = -1;
	buf_init(&cs->req.body, LIMIT_BODY_BYTES);
	return cs;
}

/* A path that matched no route, for the access log: at most 80 bytes, each run of more than
 * four digits as '*' (a path typed by hand may hold an ID or phone number), "-" for none. */
static const char *shown_path(const char *path, char *out, size_t size)
{
	size_t n = 0;
	if (!path[0])
		return "-";
	for (size_t i = 0; path[i] && i < 80 && n + 5 < size;) {
		size_t digits = strspn(path + i, "0123456789");
		if (digits > 4) {
			out[n++] = '*';
			i += digits;
		} else if (digits) {
			while (digits-- && n + 1 < size)
				out[n++] = path[i++];
		} else {
			out[n++] = path[i++];
		}
	}
	out[n] = '\0';
	return out;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct conn_state *cs = *con_cls;
	if (!cs)
		return;
	*con_cls = NULL;
	struct request *req = &cs->req;
	int64_t usec = clock_usec() - req->started_usec;
	if (cs->status) {
		char path[96];
		metrics_record(cs->route_index, cs->status, usec);
		log_info("http.request", "req=%llx ip=%s user=%s method=%s route=%s status=%d us=%lld",
			 req->id, req->ip, req->signed_in ? req->user.username : "-",
			 req->method ? req->method : "-",
			 req->route ? req->route->pattern : shown_path(req->path, path, sizeof(path)),
			 cs->status, (long long)usec);
	} else if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK) {
		log_info("http.aborted", "req=%llx ip=%s reason=%d us=%lld", req->id,
			 req->ip[0] ? req->ip : "-", (int)toe, (long long)usec);
	}
	if (req->signed_in) {
		mem_wipe(req->sid, sizeof(req->sid));
		mem_wipe(&req->user.csrf, sizeof(req->user.csrf));
	}
	if (req->body.data)
		mem_wipe(req->body.data, req->body.len); /* may hold a password */
	buf_free(&req->body);
	json_decref(req->json);
	arena_free(&req->arena);
	free(cs);
	__atomic_sub_fetch(&in_flight, 1, __ATOMIC_RELEASE);
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	log_warn("http.error", "message=%s", msg);
}

int server_parse_listen(const char *s, const char **host, unsigned *port, char *hostbuf,
			size_t hostsize)
{
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s)
		return -1;
	size_t hlen = (size_t)(colon - s);
	if (hlen >= hostsize)
		return -1;
	memcpy(hostbuf, s, hlen);
	hostbuf[hlen] = '\0';
	int64_t number;
	if (str_to_i64(colon + 1, strlen(colon + 1), 1, 65535, &number) != 0)
		return -1;
	*host = hostbuf;
	*port = (unsigned)number;
	return 0;
}

static int make_address(const char *h, unsigned port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (strcmp(h, "localhost") == 0)
		h = "127.0.0.1";
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
	char inner[64];
	if (h[0] == '[' && strlen(h) < sizeof(inner) + 2 && h[strlen(h) - 1] == ']') {
		str_copy(inner, h + 1, strlen(h) - 1);
		if (inet_pton(AF_INET6, inner, &v6->sin6_addr) != 1)
			return -1;
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		return AF_INET6;
	}
	if (inet_pton(AF_INET, h, &v4->sin_addr) != 1)
		return -1;
	v4->sin_family = AF_INET;
	v4->sin_port = htons((uint16_t)port);
	return AF_INET;
}

/* A listener on host:port with threads threads; its requests carry req->portal when
 * side is &portal_side. NULL, with the reason on stderr, when it could not start. */
static struct MHD_Daemon *listen_on(const char *host, unsigned port, unsigned threads, void *side)
{
	struct sockaddr_storage ss;
	int family = make_address(host, port, &ss);
	if (family < 0) {
		fprintf(stderr, "vets: 监听地址无效：%s（应为 IP 地址或 localhost）\n", host);
		return NULL;
	}
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
			 MHD_USE_ITC | (family == AF_INET6 ? MHD_USE_IPv6 : 0);
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, (uint16_t)port, NULL, NULL, on_request, NULL, MHD_OPTION_EXTERNAL_LOGGER,
		on_mhd_error, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_URI_LOG_CALLBACK, on_uri, side,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_CONNECTION_LIMIT,
		(unsigned)LIMIT_CONNECTIONS, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t)LIMIT_CONNECTION_MEMORY, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)LIMIT_IDLE_SECONDS, MHD_OPTION_END);
	if (!d)
		fprintf(stderr, "vets: 无法在 %s:%u 上监听（端口被占用或无权限）\n", host, port);
	else
		log_info("server.listening", "side=%s host=%s port=%u threads=%u",
			 side ? "portal" : "staff", host, port, threads);
	return d;
}

void server_block_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, set, NULL);
}

int server_run(const struct server_config *cfg)
{
	config = cfg;
	auth_configure(cfg->secure_cookie, cfg->login_per_minute);
	metrics_configure(cfg->metrics_token);
	static_files_init();
	sigset_t stop;
	server_block_signals(&stop); /* worker threads inherit the mask */
	signal(SIGPIPE, SIG_IGN);
	struct MHD_Daemon *d = listen_on(cfg->host, cfg->port, cfg->threads, NULL);
	struct MHD_Daemon *portal = NULL;
	if (d && cfg->portal_host) {
		/* the public side's own pool: a flood there leaves the counter's workers alone */
		portal = listen_on(cfg->portal_host, cfg->portal_port, cfg->threads, &portal_side);
		if (!portal) {
			MHD_stop_daemon(d);
			d = NULL;
		}
	}
	if (!d) {
		static_files_free();
		return 1;
	}
	if (cfg->run_jobs)
		job_runner_start(); /* timed jobs; a server without them still serves */
	int sig = 0;
	for (;;) {
		if (sigwait(&stop, &sig) != 0)
			continue;
		if (sig != SIGHUP)
			break;
		/* SIGHUP reloads, never stops: the log file reopened, and what cfg->reload re-reads */
		int ok = log_reopen() == 0;
		const char *detail = ok && cfg->reload ? cfg->reload() : "";
		if (ok)
			log_info("server.reloaded", "log_file=%s reread=%s",
				 log_has_file() ? "reopened" : "-", *detail ? detail : "-");
		else
			log_error("server.reload_failed", "error=%s", strerror(errno));
	}
	log_info("server.stopping", "signal=%s in_flight=%d", sig == SIGINT ? "INT" : "TERM",
		 __atomic_load_n(&in_flight, __ATOMIC_ACQUIRE));
	/* No new connection from here; requests under way end as they would (a keep-alive
	 * connection may still send one more), then the workers stop. */
	if (portal)
		MHD_quiesce_daemon(portal);
	MHD_quiesce_daemon(d);
	job_runner_stop(); /* lets a run in progress end */
	int64_t deadline = clock_usec() + (int64_t)SERVER_DRAIN_SECONDS * 1000000;
	while (__atomic_load_n(&in_flight, __ATOMIC_ACQUIRE) > 0 && clock_usec() < deadline) {
		struct timespec pause = {0, 10 * 1000 * 1000};
		nanosleep(&pause, NULL);
	}
	int cut = __atomic_load_n(&in_flight, __ATOMIC_ACQUIRE);
	if (portal)
		MHD_stop_daemon(portal);
	MHD_stop_daemon(d);
	for (const struct web_area *const *a = web_area_list; *a; a++) /* no request starts work now */
		if ((*a)->stop)
			(*a)->stop();
	static_files_free();
	db_thread_close();
	log_info("server.stopped", "cut=%d", cut);
	return 0;
}
