/* log.c - the event log: key=value lines on stderr or in the --log-file. */
#include "log.h"
#include "clock.h"
#include "utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define LINE_MAX_BYTES 4096

static enum log_level min_level = LOG_INFO;
/* Where lines go. With --log-file it is the file's descriptor, whose number never changes:
 * log_reopen puts the new file under it with dup2, so a thread writing meanwhile writes
 * whole lines to the old file or the new one. */
static int log_fd = STDERR_FILENO;
static char *log_path;
static pthread_mutex_t reopen_lock = PTHREAD_MUTEX_INITIALIZER;

void log_init(void)
{
	static const char *names[] = {"debug", "info", "warn", "error"};
	const char *v = getenv("VETS_LOG");
	for (int i = 0; v && i < 4; i++)
		if (strcmp(v, names[i]) == 0)
			min_level = (enum log_level)i;
}

static int open_log(const char *path)
{
	return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);
}

int log_open_file(const char *path)
{
	int fd = open_log(path);
	if (fd < 0)
		return -1;
	char *copy = strdup(path);
	if (!copy) {
		close(fd);
		errno = ENOMEM;
		return -1;
	}
	if (log_fd != STDERR_FILENO)
		close(log_fd);
	free(log_path);
	log_path = copy;
	log_fd = fd;
	return 0;
}

int log_has_file(void)
{
	return log_path != NULL;
}

int log_reopen(void)
{
	if (!log_path)
		return 0;
	pthread_mutex_lock(&reopen_lock);
	int fd = open_log(log_path), rc = -1;
	if (fd >= 0) {
		rc = dup2(fd, log_fd) < 0 ? -1 : 0;
		int saved = errno;
		close(fd);
		errno = saved;
	}
	pthread_mutex_unlock(&reopen_lock);
	return rc;
}

/* ---- one line ---- */

struct line {
	char *p;
	size_t size, len; /* len < size always: p[len] is kept for the NUL */
};

static int fits(const struct line *l, size_t n, size_t reserve)
{
	return l->len + n + reserve < l->size;
}

static void put(struct line *l, const char *s, size_t n)
{
	if (!fits(l, n, 0))
		n = l->size - 1 - l->len;
	memcpy(l->p + l->len, s, n);
	l->len += n;
	l->p[l->len] = '\0';
}

/* The length of the well-formed UTF-8 character at s (n bytes left), 0 when there is none. */
static size_t char_at(const unsigned char *s, size_t n)
{
	size_t len = s[0] < 0x80 ? 1 : s[0] < 0xc2 ? 0 : s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3
						     : s[0] < 0xf5 ? 4 : 0;
	return len && len <= n && utf8_valid((const char *)s, len) ? len : 0;
}

/* 1 when value must be quoted: empty, or holding a space, a control, '"', '=', '\\', or a
 * byte that is not part of a well-formed UTF-8 character. */
static int needs_quotes(const unsigned char *v, size_t n)
{
	if (n == 0)
		return 1;
	for (size_t i = 0; i < n;) {
		size_t len = char_at(v + i, n - i);
		if (!len || v[i] <= ' ' || v[i] == 0x7f || v[i] == '"' || v[i] == '=' || v[i] == '\\')
			return 1;
		i += len;
	}
	return 0;
}

/* Appends v as a value; cut at a whole character (or escape) when the line is full. */
static void put_value(struct line *l, const char *value, size_t n)
{
	const unsigned char *v = (const unsigned char *)value;
	if (!needs_quotes(v, n)) {
		for (size_t i = 0; i < n;) {
			size_t len = char_at(v + i, n - i);
			if (!fits(l, len, 0))
				return;
			put(l, value + i, len);
			i += len;
		}
		return;
	}
	if (!fits(l, 2, 0))
		return;
	put(l, "\"", 1);
	for (size_t i = 0; i < n;) {
		char esc[5];
		const char *out = esc;
		size_t len = char_at(v + i, n - i), take = len ? len : 1, outlen = 2;
		if (v[i] == '"' || v[i] == '\\')
			esc[0] = '\\', esc[1] = (char)v[i];
		else if (v[i] == '\n')
			memcpy(esc, "\\n", 2);
		else if (v[i] == '\r')
			memcpy(esc, "\\r", 2);
		else if (v[i] == '\t')
			memcpy(esc, "\\t", 2);
		else if (!len || v[i] < ' ' || v[i] == 0x7f)
			outlen = (size_t)snprintf(esc, sizeof(esc), "\\x%02x", v[i]);
		else
			out = value + i, outlen = len;
		if (!fits(l, outlen, 1))
			break;
		put(l, out, outlen);
		i += take;
	}
	put(l, "\"", 1);
}

size_t log_value(char *out, size_t size, const char *value, size_t n)
{
	struct line l = {out, size, 0};
	if (size == 0)
		return 0;
	out[0] = '\0';
	put_value(&l, value, n);
	return l.len;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
/* One conversion of fmt (at *pos, just after its '%') as a value; moves *pos past it. */
static void put_conversion(struct line *l, const char **pos, va_list *ap)
{
	const char *f = *pos;
	char spec[32] = "%", tmp[128];
	size_t k = 1;
	int prec = -1;
	while (*f && strchr("-+ #0", *f) && k < 8)
		spec[k++] = *f++;
	if (*f == '*') {
		k += (size_t)snprintf(spec + k, sizeof(spec) - k, "%d", va_arg(*ap, int));
		f++;
	}
	while (*f >= '0' && *f <= '9' && k < 16)
		spec[k++] = *f++;
	if (*f == '.') {
		f++;
		prec = 0;
		if (*f == '*') {
			prec = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			prec = prec * 10 + (*f++ - '0');
		if (prec < 0)
			prec = -1;
		else
			k += (size_t)snprintf(spec + k, sizeof(spec) - k, ".%d", prec);
	}
	int longs = 0, half = 0, size_t_ = 0, max_ = 0, diff_ = 0, long_double = 0;
	for (;; f++) {
		if (*f == 'l')
			longs++;
		else if (*f == 'h')
			half++;
		else if (*f == 'z')
			size_t_ = 1;
		else if (*f == 'j')
			max_ = 1;
		else if (*f == 't')
			diff_ = 1;
		else if (*f == 'L')
			long_double = 1;
		else
			break;
		spec[k++] = *f;
	}
	char conv = *f ? *f++ : 's';
	spec[k++] = conv;
	spec[k] = '\0';
	*pos = f;
	if (conv == 's') {
		const char *s = va_arg(*ap, const char *);
		if (!s)
			s = "-";
		size_t n = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
		put_value(l, s, n);
		return;
	}
	int n = 0;
	if (strchr("di", conv)) {
		if (size_t_)
			n = snprintf(tmp, sizeof(tmp), spec, va_arg(*ap, ssize_t));
		else if (max_)
			n = snprintf(tmp, sizeof(tmp), spec, va_arg(*ap, intmax_t));
		else if (diff_)
			n = snprintf(tmp, sizeof(tmp), spec, va_arg(*ap, ptrdiff_t));
		else if (longs >= 2)
			n = snprintf(tmp, sizeof(tmp), spec, va_arg(*ap, long long));
		else if (longs == 1)
			n = snprintf(tmp, sizeof(tmp), spec, va_arg(*ap, long));
		else
			n = snprintf(tmp, sizeof(tmp), spec, va_arg(*ap, int)); /* h, hh promote */
	} else if (strchr("uxXo", conv)) {
		if (size_t_)
			n = snprintf(tmp, sizeof(tmp), spec, va_arg(*ap, size_t));
		else if (max_)
			n = snprintf(tmp, sizeof(tmp), spec, va_arg(*ap, uintmax_t));
		else if (diff_)
			n = snprintf(tmp, sizeof(tmp), spec, va_arg(*ap, ptrdiff_t));
		else if (longs >= 2)
			n = snprintf(tmp, sizeof(tmp), spec, va_arg(*ap, unsigned long long));
		else if (longs == 1)
			n = snprintf(tmp, sizeof(tmp), spec, va_arg(*ap, unsigned long));
		else
			n = snprintf(tmp, sizeof(tmp), spec, va_arg(*ap, unsigned));
	} else if (strchr("fFgGeEaA", conv)) {
		if (long_double)
			n = snprintf(tmp, sizeof(tmp), spec, va_arg(*ap, long double));
		else
			n = snprintf(tmp, sizeof(tmp), spec, va_arg(*ap, double));
	} else if (conv == 'c') {
		n = snprintf(tmp, sizeof(tmp), spec, va_arg(*ap, int));
	} else if (conv == 'p') {
		n = snprintf(tmp, sizeof(tmp), spec, va_arg(*ap, void *));
	} else {
		n = snprintf(tmp, sizeof(tmp), "?%c", conv); /* not a conversion log_event makes */
	}
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(tmp))
		n = (int)sizeof(tmp) - 1;
	put_value(l, tmp, (size_t)n);
}
#pragma GCC diagnostic pop

size_t log_format(char *out, size_t size, int64_t t, enum log_level level, const char *event,
		  const char *fmt, va_list ap)
{
	static const char *const names[] = {"debug", "info", "warn", "error"};
	struct line l = {out, size, 0};
	char when[21];
	va_list args;
	if (size == 0)
		return 0;
	out[0] = '\0';
	clock_iso_utc(t, when);
	put(&l, "ts=", 3);
	put(&l, when, strlen(when));
	put(&l, " level=", 7);
	put(&l, names[level], strlen(names[level]));
	put(&l, " event=", 7);
	put_value(&l, event, strlen(event));
	if (*fmt)
		put(&l, " ", 1);
	va_copy(args, ap);
	for (const char *f = fmt; *f;) {
		if (*f == '%' && f[1] == '%') {
			put(&l, "%", 1);
			f += 2;
		} else if (*f == '%') {
			f++;
			put_conversion(&l, &f, &args);
		} else {
			/* literal text: the format's own keys and spaces; a control would split the line */
			const char *end = strpbrk(f, "%\n\r");
			size_t n = end ? (size_t)(end - f) : strlen(f);
			put(&l, f, n);
			f += n;
			if (*f == '\n' || *f == '\r')
				put(&l, " ", 1), f++;
		}
	}
	va_end(args);
	return l.len;
}

void log_event(enum log_level level, const char *event, const char *fmt, ...)
{
	if (level < min_level)
		return;
	char line[LINE_MAX_BYTES + 1];
	va_list ap;
	va_start(ap, fmt);
	size_t len = log_format(line, sizeof(line) - 1, clock_now(), level, event, fmt, ap);
	va_end(ap);
	/* One write(2) per line: lines of concurrent threads do not interleave, and no
	 * thread waits on stdio's lock (which, shared by all threads, made half the
	 * requests wait in futex under load). */
	line[len] = '\n';
	ssize_t ignored = write(log_fd, line, len + 1);
	(void)ignored;
}
