/* metrics.h - request counters and latency histogram, in Prometheus text format. */
#ifndef VETS_METRICS_H
#define VETS_METRICS_H

#include <stdint.h>

#include "lib/buf.h"

/* Counts one finished request. route_index is the index into routes[], or -1
 * for requests that matched no route, -2 for static files. */
void metrics_record(int route_index, int status, int64_t usec);
/* Writes every metric, with the given number of active sessions, to out. */
void metrics_write(struct buf *out, int64_t active_sessions);

#endif
