/* rate_limit.h - how often one client (by its address) may do something, in a bounded
 * table in memory: at most per_window takes per window of window_seconds, counted in fixed
 * windows. The table has a fixed number of slots; a key finds its slot among a few probed
 * by its hash, and when all are busy the one whose window began earliest is given to the
 * new key (memory stays bounded whatever the number of clients; a flood of addresses can
 * only forget counts, never grow the table). Thread-safe. */
#ifndef VETS_RATE_LIMIT_H
#define VETS_RATE_LIMIT_H

#include <stddef.h>
#include <stdint.h>

struct rate_limit;

/* A table of slots (rounded up to a power of two, at least 16). NULL when out of memory. */
struct rate_limit *rate_limit_new(size_t slots, int per_window, int window_seconds);
void rate_limit_free(struct rate_limit *r);

/* Takes one for key (a client's address; at most 63 bytes are used; an IPv6 address counts
 * for its whole /64) at time now (seconds): 0 when allowed (counted), else the seconds until
 * the key's window ends (>= 1: a Retry-After). */
int rate_limit_take(struct rate_limit *r, const char *key, int64_t now);

#endif
