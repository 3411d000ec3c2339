/* log.c - line-oriented logging to stderr. */
#include "log.h"
#include "clock.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static enum log_level min_level = LOG_INFO;

void log_init(void)
{
	static const char *names[] = {"debug", "info", "warn", "error"};
	const char *v = getenv("VETS_LOG");
	for (int i = 0; v && i < 4; i++)
		if (strcmp(v, names[i]) == 0)
			min_level = (enum log_level)i;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *tags[] = {"DEBUG", "INFO", "WARN", "ERROR"};
	if (level < min_level)
		return;
	char line[2048], when[21];
	clock_iso_utc(clock_now(), when);
	int n = snprintf(line, sizeof(line), "%s %s ", tags[level], when);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	/* One write(2) per line: lines of concurrent threads do not interleave, and no
	 * thread waits on stdio's lock (which, shared by all threads, made half the
	 * requests wait in futex under load). */
	size_t len = strlen(line);
	line[len] = '\n';
	ssize_t ignored = write(STDERR_FILENO, line, len + 1);
	(void)ignored;
}
