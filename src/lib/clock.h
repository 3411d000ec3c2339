/* clock.h - the time of day, overridable in tests, and ISO 8601 formatting. */
#ifndef VETS_CLOCK_H
#define VETS_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Seconds since the epoch (UTC). When the environment variable VETS_FAKE_NOW
 * holds an epoch second count at first call, time is that plus the real time
 * elapsed since; tests use it to step over lockouts and expiries. */
int64_t clock_now(void);
/* Monotonic microseconds, for durations. */
int64_t clock_usec(void);
/* "2026-11-28T18:20:00Z" into out[21]. */
void clock_iso_utc(int64_t t, char out[21]);
/* "2026-11-29 02:20" (Asia/Shanghai, UTC+8, no DST) into out[17]. */
void clock_local_minute(int64_t t, char out[17]);
/* Today's date "YYYY-MM-DD" in Asia/Shanghai (per-thread buffer, valid until the
 * thread's next call). */
const char *clock_today_text(void);
/* The date "YYYY-MM-DD" in Asia/Shanghai at t into out[11]. 0, or -1 outside years 1900-9999. */
int clock_date_text(int64_t t, char out[11]);
/* Parses "YYYY-MM-DD" as midnight Asia/Shanghai. Returns 0 and *out, or -1. */
int clock_parse_date(const char *s, int64_t *out);

#endif
