/* buf.h - growable byte buffers that never grow past a cap.
 *
 * Output of pages, JSON and files is written into a struct buf. Every buffer
 * has a maximum size set at init: an append that would pass it fails, sets
 * b->overflow and leaves the content unchanged, so that no input can make the
 * program allocate without bound. Out of memory aborts. */
#ifndef VETS_BUF_H
#define VETS_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data; /* NUL-terminated after every successful append; may be NULL when empty */
	size_t len;
	size_t cap;
	size_t max;   /* the cap on len */
	int overflow; /* set once an append was refused */
};

#define BUF_DEFAULT_MAX (16u * 1024 * 1024)

void buf_init(struct buf *b, size_t max);
/* Appends n bytes. Returns 0, or -1 when len + n would exceed max. */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends s with & < > " ' replaced by entities: safe in HTML text and quoted attributes. */
int buf_html_escape(struct buf *b, const char *s, size_t n);
/* The content as a C string ("" when empty); valid until the next append or free. */
const char *buf_cstr(struct buf *b);
/* Hands the allocation to the caller (who frees it) and resets b. Never NULL. */
char *buf_detach(struct buf *b, size_t *len);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

#endif
