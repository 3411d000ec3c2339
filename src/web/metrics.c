/* metrics.c - lock-free counters for /metrics. */
#include "metrics.h"
#include "route.h"
#include "lib/crypto.h"
#include "lib/mem.h"
#include "lib/str.h"
#include <pthread.h>

#include <stdio.h>
#include <string.h>

#define MAX_ROUTES 256
#define SLOT_UNMATCHED 0
#define SLOT_STATIC 1
#define SLOT_FIRST_ROUTE 2

static const int statuses[] = {200, 204, 301, 302, 303, 304, 400, 401, 403, 404, 405,
			       409, 413, 414, 415, 421, 423, 429, 431, 500, 503};
#define N_STATUSES (int)(sizeof(statuses) / sizeof(statuses[0]))
/* Upper bounds in microseconds. */
static const int64_t buckets[] = {250,   500,    1000,   2500,   5000,    10000,  25000,
				  50000, 100000, 250000, 500000, 1000000, 2500000};
#define N_BUCKETS (int)(sizeof(buckets) / sizeof(buckets[0]))

static uint64_t counts[MAX_ROUTES + SLOT_FIRST_ROUTE][N_STATUSES + 1];
static uint64_t histogram[N_BUCKETS + 1];
static uint64_t latency_sum_usec, latency_count;

static int status_slot(int status)
{
	for (int i = 0; i < N_STATUSES; i++)
		if (statuses[i] == status)
			return i;
	return N_STATUSES; /* "other" */
}

void metrics_record(int route_index, int status, int64_t usec)
{
	int slot = route_index == -1          ? SLOT_UNMATCHED
		   : route_index == -2        ? SLOT_STATIC
		   : route_index < MAX_ROUTES ? route_index + SLOT_FIRST_ROUTE
					      : SLOT_UNMATCHED;
	__atomic_fetch_add(&counts[slot][status_slot(status)], 1, __ATOMIC_RELAXED);
	int b = 0;
	while (b < N_BUCKETS && usec > buckets[b])
		b++;
	__atomic_fetch_add(&histogram[b], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&latency_sum_usec, (uint64_t)usec, __ATOMIC_RELAXED);
	__atomic_fetch_add(&latency_count, 1, __ATOMIC_RELAXED);
}

static void route_label(int slot, char *out, size_t size)
{
	if (slot == SLOT_UNMATCHED)
		snprintf(out, size, "method=\"\",route=\"unmatched\"");
	else if (slot == SLOT_STATIC)
		snprintf(out, size, "method=\"GET\",route=\"/static/\"");
	else
		snprintf(out, size, "method=\"%s\",route=\"%s\"",
			 router_route(slot - SLOT_FIRST_ROUTE)->method,
			 router_route(slot - SLOT_FIRST_ROUTE)->pattern);
}

void metrics_write(struct buf *out, int64_t active_sessions)
{
	buf_puts(out, "# HELP vets_http_requests_total HTTP requests by route and status.\n"
		      "# TYPE vets_http_requests_total counter\n");
	size_t n_routes = router_count();
	size_t n_slots = SLOT_FIRST_ROUTE + (n_routes < MAX_ROUTES ? n_routes : MAX_ROUTES);
	for (size_t slot = 0; slot < n_slots; slot++) {
		char label[160];
		route_label((int)slot, label, sizeof(label));
		for (int s = 0; s <= N_STATUSES; s++) {
			uint64_t v = __atomic_load_n(&counts[slot][s], __ATOMIC_RELAXED);
			if (!v)
				continue;
			char status[8];
			snprintf(status, sizeof(status), s < N_STATUSES ? "%d" : "other",
				 s < N_STATUSES ? statuses[s] : 0);
			buf_printf(out, "vets_http_requests_total{%s,status=\"%s\"} %llu\n", label,
				   status, (unsigned long long)v);
		}
	}
	buf_puts(out, "# HELP vets_http_request_duration_seconds Time from request to response.\n"
		      "# TYPE vets_http_request_duration_seconds histogram\n");
	uint64_t cumulative = 0;
	for (int b = 0; b <= N_BUCKETS; b++) {
		cumulative += __atomic_load_n(&histogram[b], __ATOMIC_RELAXED);
		if (b < N_BUCKETS)
			buf_printf(out,
				   "vets_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
				   (double)buckets[b] / 1e6, (unsigned long long)cumulative);
		else
			buf_printf(out,
				   "vets_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
				   (unsigned long long)cumulative);
	}
	buf_printf(out, "vets_http_request_duration_seconds_sum %.6f\n",
		   (double)__atomic_load_n(&latency_sum_usec, __ATOMIC_RELAXED) / 1e6);
	buf_printf(out, "vets_http_request_duration_seconds_count %llu\n",
		   (unsigned long long)__atomic_load_n(&latency_count, __ATOMIC_RELAXED));
	buf_printf(out,
		   "# HELP vets_sessions_active Sessions used within the idle timeout.\n"
		   "# TYPE vets_sessions_active gauge\nvets_sessions_active %lld\n",
		   (long long)active_sessions);
}

static char metrics_token[129];
/* The token changes on SIGHUP (the file read again) while workers compare it. */
static pthread_mutex_t token_lock = PTHREAD_MUTEX_INITIALIZER;

void metrics_configure(const char *token)
{
	pthread_mutex_lock(&token_lock);
	str_copy(metrics_token, token ? token : "", sizeof(metrics_token));
	pthread_mutex_unlock(&token_lock);
}

static int is_loopback(const char *ip)
{
	return strncmp(ip, "127.", 4) == 0 || strcmp(ip, "::1") == 0 ||
	       strncmp(ip, "::ffff:127.", 11) == 0;
}

int metrics_allowed(const char *ip, const char *authorization)
{
	char token[sizeof(metrics_token)];
	pthread_mutex_lock(&token_lock);
	memcpy(token, metrics_token, sizeof(token));
	pthread_mutex_unlock(&token_lock);
	size_t n = strlen(token);
	int ok;
	static const char bearer[] = "Bearer ";
	if (!n)
		ok = is_loopback(ip);
	else if (!authorization || strncmp(authorization, bearer, sizeof(bearer) - 1) != 0)
		ok = 0;
	else
		ok = strlen(authorization + sizeof(bearer) - 1) == n &&
		     crypto_equal(authorization + sizeof(bearer) - 1, token, n);
	mem_wipe(token, sizeof(token));
	return ok;
}
