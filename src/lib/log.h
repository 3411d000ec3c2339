/* log.h - the event log: one line per event, in one stable shape,
 *
 *   ts=2026-12-05T08:00:00Z level=info event=http.request req=1f ip=127.0.0.1 status=200
 *
 * ts (UTC), level (debug, info, warn, error) and event (a dotted name, docs/OPERATIONS.md
 * lists them) first, then the event's fields as key=value. Every value a conversion of the
 * format makes (%s, %d, …) is written as it is when it is a plain word, else in double quotes
 * with \" \\ \n \r \t and \xNN escapes: a value never splits a line nor fakes a field. The
 * literal text of a format is only " key=" between conversions. Never log a password, an ID
 * number, a phone number or a session id.
 *
 * Lines go to stderr (journald under systemd), or to the file of --log-file, which
 * log_reopen opens again after logrotate moved it. */
#ifndef VETS_LOG_H
#define VETS_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Minimum level written; VETS_LOG=debug|info|warn|error sets it at start. */
void log_init(void);
/* Sends the log to path (appended; created 0640) instead of stderr. 0, or -1 with errno
 * set (the log stays where it was). Call before threads start. */
int log_open_file(const char *path);
/* Opens the --log-file path again (logrotate renamed it): lines written from now on go to
 * a new file of that name, none is lost or split. 0 (also without a log file), or -1 with
 * errno set, the old file kept. Safe while other threads log. */
int log_reopen(void);

/* 1 when the log goes to a --log-file. */
int log_has_file(void);

void log_event(enum log_level level, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_info(event, ...) log_event(LOG_INFO, event, __VA_ARGS__)
#define log_warn(event, ...) log_event(LOG_WARN, event, __VA_ARGS__)
#define log_error(event, ...) log_event(LOG_ERROR, event, __VA_ARGS__)

/* The line log_event writes for time t, without its '\n', into out (size bytes): its
 * length. A line longer than size is cut at a whole character, a quoted value closed. */
size_t log_format(char *out, size_t size, int64_t t, enum log_level level, const char *event,
		  const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));
/* value (n bytes) as a log value into out (size bytes, NUL-terminated): its length. */
size_t log_value(char *out, size_t size, const char *value, size_t n);

#endif
