/* multipart.h - multipart/form-data bodies (RFC 7578, RFC 2046) for file uploads.
 *
 * The parser copies nothing but names: each part's data points into the body,
 * names and content types are NUL-terminated copies in the caller's arena. */
#ifndef VETS_MULTIPART_H
#define VETS_MULTIPART_H

#include <stddef.h>

#include "lib/arena.h"

/* Bytes of header lines (terminators and the blank line included) one part may carry. */
#define MULTIPART_HEADERS_MAX 8192
/* The longest boundary RFC 2046 allows. */
#define MULTIPART_BOUNDARY_MAX 70

struct multipart_part {
	const char *name;     /* the form field name (from Content-Disposition), NUL-terminated */
	const char *filename; /* NULL for plain fields; the file name as sent (may contain anything:
				 the caller sanitises) */
	const char *content_type; /* "" when absent */
	const char *data; /* points into the body given to multipart_parse; NOT NUL-terminated */
	size_t len;
};

/* Extracts the boundary from a Content-Type header value ("multipart/form-data; boundary=…", quoted
 * or not, case-insensitive parameter name, 1..70 chars per RFC 2046). Returns 0 and writes it to
 * out (size bytes), or -1. The media type must be multipart/form-data (any case); -1 too when the
 * boundary is repeated, has characters outside RFC 2046's bchars, or does not fit in out with its
 * NUL. */
int multipart_boundary(const char *content_type, char *out, size_t size);

/* Parses body[0..n) with boundary into at most max parts allocated in arena (src/lib/arena.h).
 * Returns 0 with *parts and *count, VE_INVALID for malformed input (no opening boundary, a part
 * without Content-Disposition: form-data and a name, headers over 8 KiB per part, a missing closing
 * boundary "--boundary--", bad header syntax, invalid UTF-8 in name/filename), or VE_LIMIT when
 * more than max parts. Never reads outside body; works with CRLF (and tolerates LF-only line ends
 * in part headers); the preamble and epilogue are ignored.
 *
 * Details of the contract:
 * - boundary must be 1..70 RFC 2046 bchars, else VE_INVALID;
 * - a delimiter is CRLF "--" boundary followed by "--" (the end) or by spaces/tabs and CRLF or LF;
 * the same text followed by anything else is part data;
 * - name is non-empty UTF-8; filename is UTF-8 (possibly "", as browsers send for an empty file
 * input); filename*=UTF-8''… (RFC 5987, other charsets refused) wins over filename, which is then
 * not checked;
 * - in quoted strings only \" and \\ are escapes: any other backslash is kept (old Windows paths);
 * - a repeated Content-Disposition, Content-Type or parameter, a folded or control-character header
 * is VE_INVALID; other headers are ignored; content_type holds no control characters;
 * - a body of only "--boundary--" gives 0 parts;
 * - on error *parts is NULL and *count 0; what was allocated stays in the arena. */
int multipart_parse(struct arena *arena, const char *body, size_t n, const char *boundary,
		    struct multipart_part **parts, size_t *count, size_t max);

#endif
