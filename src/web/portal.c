/* portal.c - the portal's pages: their frame, their caching, and the guard of public writes
 * (see portal.h). */
#include "web/portal.h"
#include "lib/arena.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/log.h"
#include "lib/qr.h"
#include "lib/rate_limit.h"
#include "lib/str.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POST_SLOTS 8192
#define QR_URL_MAX 300 /* a longer address is drawn without its query */

static char origin[300];
static int min_fill = PORTAL_MIN_FILL;
static int posts_per_window = PORTAL_POSTS;
static int cache_seconds = PORTAL_CACHE_SECONDS;
static unsigned char token_key[SM3_LEN];
static struct rate_limit *limiter;
static pthread_once_t limiter_once = PTHREAD_ONCE_INIT;

static void limiter_make(void)
{
	if (posts_per_window > 0)
		limiter = rate_limit_new(POST_SLOTS, posts_per_window, PORTAL_POST_WINDOW);
}

void portal_configure(const char *public_origin, int fill_seconds, int posts, int cache_for)
{
	cache_seconds = cache_for;
	str_copy(origin, public_origin ? public_origin : "", sizeof(origin));
	min_fill = fill_seconds;
	posts_per_window = posts;
	/* a key of this process: a form served before a restart is refused as expired */
	crypto_random(token_key, sizeof(token_key));
}

void portal_address(const struct request *req, const char *target, char *out, size_t size)
{
	if (*origin)
		snprintf(out, size, "%s%s", origin, target);
	else
		snprintf(out, size, "http://%s%s", req->host ? req->host : "localhost", target);
}

/* The page's own public address: portal_address of the request's target, without its query
 * when the whole is long. */
static void own_address(const struct request *req, char *out, size_t size)
{
	const char *target = req->raw_uri && *req->raw_uri == '/' ? req->raw_uri : req->path;
	char cut[QR_URL_MAX + 1];
	size_t n = strlen(target);
	if (n > QR_URL_MAX)
		n = strcspn(target, "?");
	if (n > QR_URL_MAX)
		n = 1;
	snprintf(cut, sizeof(cut), "%.*s", (int)n, target);
	portal_address(req, cut, out, size);
}

/* The first segment of the path, naming the section the navigation marks current. */
static void section_of(const char *path, char *out, size_t size)
{
	size_t n = strcspn(path + 1, "/");
	snprintf(out, size, "/%.*s", (int)(n < size - 2 ? n : size - 2), path + 1);
}

/* A strong validator of the body: the first 16 bytes of its SM3, quoted. */
static const char *etag_of(struct request *req, const struct buf *body)
{
	unsigned char digest[SM3_LEN];
	char hex[33], *tag = arena_alloc(&req->arena, 36);
	crypto_sm3(body->data ? body->data : "", body->len, digest);
	crypto_hex(digest, 16, hex);
	snprintf(tag, 36, "\"%s\"", hex);
	return tag;
}

int reply_portal(struct request *req, struct reply *rep, int status, const char *name,
		 const char *title, json_t *page)
{
	if (!page)
		page = json_object();
	/* a form's token, a visitor's own case, a cookie: never for a shared cache */
	int personal = json_object_get(page, "guard") || json_object_get(page, "private");
	json_t *ctx = page_context(title, page);
	if (req->form_csrf[0])
		json_object_set_new(ctx, "csrf", json_string(req->form_csrf));
	char address[QR_URL_MAX + 320], section[64];
	own_address(req, address, sizeof(address));
	section_of(req->path, section, sizeof(section));
	json_t *qr = status == 200 ? qr_json(address) : NULL; /* no way onward to an error */
	if (qr)
		json_object_set_new(ctx, "qr", qr);
	json_object_set_new(ctx, "section", json_string(section));
	page_render(rep, status, name, ctx);
	int reading = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
	if (rep->status != 200 || personal || rep->n_cookies || !reading)
		return 0;
	rep->etag = etag_of(req, &rep->body);
	rep->public_seconds = 60;
	if (req->if_none_match && strcmp(req->if_none_match, rep->etag) == 0) {
		buf_reset(&rep->body);
		rep->status = 304;
	}
	return 0;
}

/* ---- the page cache ---- */

#define CACHE_SLOTS 64
#define CACHE_KEY_MAX 320
#define CACHE_BODY_MAX (512 * 1024)

struct cached_page {
	char key[CACHE_KEY_MAX]; /* "host target", "" for a free slot */
	char *body;
	size_t len;
	char etag[36];
	int64_t at;
};

static struct cached_page cache[CACHE_SLOTS];
static uint64_t cache_generation; /* raised by every portal_cache_forget */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* The key of req into key and its slot; -1 when it is not to be cached (not a GET, too long). */
static int cache_slot(const struct request *req, char key[CACHE_KEY_MAX])
{
	int reading = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
	const char *target = req->raw_uri ? req->raw_uri : "";
	int n = snprintf(key, CACHE_KEY_MAX, "%s %s", req->host ? req->host : "", target);
	if (!cache_seconds || !reading || !req->portal || n <= 0 || n >= CACHE_KEY_MAX)
		return -1;
	uint32_t h = 2166136261u; /* FNV-1a */
	for (const char *c = key; *c; c++)
		h = (h ^ (unsigned char)*c) * 16777619u;
	return (int)(h % CACHE_SLOTS);
}

int portal_cache_answer(struct request *req, struct reply *rep)
{
	char key[CACHE_KEY_MAX];
	int i = cache_slot(req, key);
	if (i < 0)
		return 0;
	int hit = 0;
	pthread_mutex_lock(&cache_lock);
	struct cached_page *c = &cache[i];
	if (c->body && strcmp(c->key, key) == 0 && clock_now() - c->at < cache_seconds) {
		char *tag = arena_alloc(&req->arena, sizeof(c->etag));
		memcpy(tag, c->etag, sizeof(c->etag));
		rep->etag = tag;
		rep->public_seconds = 60;
		rep->content_type = "text/html; charset=utf-8";
		rep->status = req->if_none_match && strcmp(req->if_none_match, tag) == 0 ? 304 : 200;
		buf_reset(&rep->body);
		hit = rep->status == 304 || buf_append(&rep->body, c->body, c->len) == 0;
	}
	pthread_mutex_unlock(&cache_lock);
	return hit;
}

uint64_t portal_cache_generation(void)
{
	pthread_mutex_lock(&cache_lock);
	uint64_t g = cache_generation;
	pthread_mutex_unlock(&cache_lock);
	return g;
}

void portal_cache_keep(const struct request *req, const struct reply *rep, uint64_t generation)
{
	char key[CACHE_KEY_MAX];
	int i = cache_slot(req, key);
	if (i < 0 || rep->status != 200 || rep->public_seconds <= 0 || !rep->etag ||
	    rep->body.len > CACHE_BODY_MAX)
		return;
	char *copy = malloc(rep->body.len + 1);
	if (!copy)
		return;
	memcpy(copy, rep->body.data, rep->body.len);
	pthread_mutex_lock(&cache_lock);
	if (generation != cache_generation) { /* emptied while it was rendered: it may be stale */
		pthread_mutex_unlock(&cache_lock);
		free(copy);
		return;
	}
	struct cached_page *c = &cache[i];
	free(c->body);
	str_copy(c->key, key, sizeof(c->key));
	str_copy(c->etag, rep->etag, sizeof(c->etag));
	c->body = copy;
	c->len = rep->body.len;
	c->at = clock_now();
	pthread_mutex_unlock(&cache_lock);
}

void portal_cache_forget(void)
{
	pthread_mutex_lock(&cache_lock);
	cache_generation++;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		free(cache[i].body);
		cache[i].body = NULL;
		cache[i].key[0] = '\0';
	}
	pthread_mutex_unlock(&cache_lock);
}

/* ---- the form guard ---- */

#define USED_SLOTS 65536 /* tokens spent within PORTAL_FORM_MAX_AGE: more than the posts allowed */
#define USED_PROBES 8

/* A spent token: its nonce and the time its form was served (0: a free slot). */
struct spent {
	uint64_t nonce;
	int64_t t;
};
static struct spent *spent;
static pthread_mutex_t spent_lock = PTHREAD_MUTEX_INITIALIZER;

/* The token of a form served at time t with nonce: "t.nonce.hmac", the hmac over both. */
static void token_make(int64_t t, uint64_t nonce, char out[112])
{
	char data[64];
	unsigned char mac[SM3_LEN];
	char hex[2 * SM3_LEN + 1];
	int n = snprintf(data, sizeof(data), "portal-form:%lld:%016llx", (long long)t,
			 (unsigned long long)nonce);
	crypto_hmac_sm3(token_key, sizeof(token_key), data, (size_t)n, mac);
	crypto_hex(mac, sizeof(mac), hex);
	snprintf(out, 112, "%lld.%016llx.%s", (long long)t, (unsigned long long)nonce, hex);
}

void portal_form_guard(json_t *page)
{
	char token[112];
	uint64_t nonce;
	crypto_random(&nonce, sizeof(nonce));
	token_make(clock_now(), nonce, token);
	json_object_set_new(page, "guard", json_pack("{s:s}", "token", token));
}

/* The serving time and nonce of a token this process made: 0, or -1 for any other text. */
static int token_open(const char *token, int64_t *t, uint64_t *nonce)
{
	const char *dot = strchr(token, '.');
	const char *dot2 = dot ? strchr(dot + 1, '.') : NULL;
	char hex[17], want[112];
	if (!dot2 || dot2 - dot != 17 || str_to_i64(token, (size_t)(dot - token), 0, INT64_MAX / 2, t))
		return -1;
	memcpy(hex, dot + 1, 16);
	hex[16] = '\0';
	if (strspn(hex, "0123456789abcdef") != 16)
		return -1;
	*nonce = strtoull(hex, NULL, 16);
	token_make(*t, *nonce, want);
	size_t n = strlen(want);
	return strlen(token) == n && crypto_equal(token, want, n) ? 0 : -1;
}

/* Spends the token of nonce served at t: 0, or -1 when it was spent already. The token takes
 * the free or oldest slot of its neighbourhood (a slot older than PORTAL_FORM_MAX_AGE holds a
 * token refused as expired anyway): memory stays bounded. */
static int token_spend(uint64_t nonce, int64_t t)
{
	int rc = 0;
	pthread_mutex_lock(&spent_lock);
	if (!spent)
		spent = calloc(USED_SLOTS, sizeof(*spent));
	struct spent *oldest = NULL;
	for (size_t i = 0; spent && i < USED_PROBES; i++) {
		struct spent *s = &spent[(nonce + i) % USED_SLOTS];
		if (s->t && s->nonce == nonce) {
			rc = -1;
			break;
		}
		if (!oldest || s->t < oldest->t)
			oldest = s;
	}
	if (!rc && oldest)
		*oldest = (struct spent){nonce, t};
	pthread_mutex_unlock(&spent_lock);
	return rc;
}

static int refuse(struct request *req, struct reply *rep, const char *why)
{
	return reply_error(req, rep, 400, "form_refused", why), 1;
}

int portal_form_check(struct request *req, struct reply *rep)
{
	/* every post counts, refused ones too: a flood of forged forms is a flood */
	pthread_once(&limiter_once, limiter_make);
	int64_t now = clock_now();
	int wait = limiter ? rate_limit_take(limiter, req->ip, now) : 0;
	if (wait) {
		rep->retry_after = wait;
		reply_error(req, rep, 429, "too_many_requests",
			    "提交过于频繁，请稍后再试（同一网络 10 分钟内提交次数有限）。");
		return 1;
	}
	if (*params_text(req, "website")) {
		log_info("portal.honeypot", "req=%llx", req->id);
		return refuse(req, rep, "提交未成功，请返回上一页重新填写后提交。");
	}
	int64_t t;
	uint64_t nonce;
	if (token_open(params_text(req, "_t"), &t, &nonce) != 0 || now < t ||
	    now - t > PORTAL_FORM_MAX_AGE)
		return refuse(req, rep, "页面已过期，请刷新页面后重新填写。");
	if (now - t < min_fill)
		return refuse(req, rep, "提交过快，请核对填写的内容后再提交。");
	if (token_spend(nonce, t) != 0)
		return refuse(req, rep, "这份表单已经提交过了。如需再次提交，请刷新页面后重新填写。");
	return 0;
}

struct audit_actor portal_actor(const struct request *req)
{
	return (struct audit_actor){0, "公众", req->ip, ""};
}

static void stop(void)
{
	rate_limit_free(limiter);
	limiter = NULL;
	portal_cache_forget();
	free(spent);
	spent = NULL;
}

const struct web_area portal_web = {
	.name = "portal",
	.routes = (const struct route[]){{0}},
	.stop = stop,
};
