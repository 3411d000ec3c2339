/* metrics.h - request counters and latency histogram, in Prometheus text format. */
#ifndef VETS_METRICS_H
#define VETS_METRICS_H

#include <stdint.h>

#include "lib/buf.h"

/* Counts one finished request. route_index is the route's router_index, or -1
 * for requests that matched no route, -2 for static files. */
void metrics_record(int route_index, int status, int64_t usec);
/* Decides who may read /metrics, once at start: with token NULL only clients on
 * the loopback address; with a token every client (loopback too: a reverse proxy
 * on the same machine makes everyone loopback) must send
 * "Authorization: Bearer <token>". The token is copied. */
void metrics_configure(const char *token);
/* 1 when a client at ip with that Authorization header (or NULL) may read /metrics. */
int metrics_allowed(const char *ip, const char *authorization);
/* Writes every metric, with the given number of active sessions, to out. */
void metrics_write(struct buf *out, int64_t active_sessions);

#endif
