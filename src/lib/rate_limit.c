/* rate_limit.c - per-key counts in fixed windows, in a bounded table. */
#include "rate_limit.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define PROBES 8
#define KEY_MAX 64

struct slot {
	char key[KEY_MAX];
	int64_t window; /* start of the slot's window; 0: free */
	int count;
};

struct rate_limit {
	pthread_mutex_t lock;
	size_t mask;
	int per_window, window_seconds;
	struct slot *slots;
};

struct rate_limit *rate_limit_new(size_t slots, int per_window, int window_seconds)
{
	size_t n = 16;
	while (n < slots && n < ((size_t)1 << 24))
		n <<= 1;
	struct rate_limit *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->slots = calloc(n, sizeof(*r->slots));
	if (!r->slots) {
		free(r);
		return NULL;
	}
	r->mask = n - 1;
	r->per_window = per_window > 0 ? per_window : 1;
	r->window_seconds = window_seconds > 0 ? window_seconds : 60;
	pthread_mutex_init(&r->lock, NULL);
	return r;
}

void rate_limit_free(struct rate_limit *r)
{
	if (!r)
		return;
	pthread_mutex_destroy(&r->lock);
	free(r->slots);
	free(r);
}

/* FNV-1a of the key. */
static size_t hash(const char *key)
{
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 29));
}

/* The slot of key: its own, else a free or expired one, else the oldest probed. */
static struct slot *find(struct rate_limit *r, const char *key, int64_t now, int *fresh)
{
	size_t h = hash(key);
	struct slot *spare = NULL;
	int spare_stale = 0;
	*fresh = 0;
	for (size_t i = 0; i < PROBES; i++) {
		struct slot *s = &r->slots[(h + i) & r->mask];
		if (s->window && strcmp(s->key, key) == 0)
			return s;
		int stale = !s->window || now - s->window >= r->window_seconds;
		if (stale && !spare_stale) {
			spare = s;
			spare_stale = 1;
		} else if (!stale && !spare_stale && (!spare || s->window < spare->window)) {
			spare = s;
		}
	}
	*fresh = 1;
	return spare;
}

/* The key of a client: an IPv6 address stands for its /64 (one subscriber's network holds
 * a whole /64, and could take a fresh address for every request); anything else as it is. */
static void client_key(const char *key, char k[KEY_MAX])
{
	struct in6_addr a;
	if (key && strchr(key, ':') && inet_pton(AF_INET6, key, &a) == 1 &&
	    !IN6_IS_ADDR_V4MAPPED(&a)) {
		memset(a.s6_addr + 8, 0, 8);
		if (inet_ntop(AF_INET6, &a, k, KEY_MAX))
			return;
	}
	size_t n = strlen(key ? key : "");
	if (n >= KEY_MAX)
		n = KEY_MAX - 1;
	memcpy(k, key ? key : "", n);
	k[n] = '\0';
}

int rate_limit_take(struct rate_limit *r, const char *key, int64_t now)
{
	char k[KEY_MAX];
	client_key(key, k);
	size_t n = strlen(k);
	pthread_mutex_lock(&r->lock);
	int fresh;
	struct slot *s = find(r, k, now, &fresh);
	if (fresh || now - s->window >= r->window_seconds || now < s->window) {
		memcpy(s->key, k, n + 1);
		s->window = now > 0 ? now : 1;
		s->count = 0;
	}
	int wait = 0;
	if (s->count >= r->per_window) {
		wait = (int)(s->window + r->window_seconds - now);
		if (wait < 1)
			wait = 1;
	} else {
		s->count++;
	}
	pthread_mutex_unlock(&r->lock);
	return wait;
}
