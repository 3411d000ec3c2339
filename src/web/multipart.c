/* multipart.c - a linear-time multipart/form-data parser over a body held in memory. */
#define _GNU_SOURCE /* memmem */
#include "multipart.h"
#include "lib/err.h"
#include "lib/utf8.h"

#include <string.h>
#include <strings.h>

/* A ";name=value" parameter as it stands in a header value. */
struct param {
	const char *name, *value; /* value: inside the quotes when quoted */
	size_t name_len, value_len;
	int quoted;
};

/* The headers of one part that matter, as raw trimmed values. */
struct part_headers {
	const char *disp, *ctype;
	size_t disp_len, ctype_len;
};

/* The parameters of a Content-Disposition that matter. */
struct disposition {
	struct param name, filename, filename_ext;
	int has_name, has_filename, has_filename_ext;
};

/* "\r\n--" boundary, and its length. */
struct delimiter {
	char text[4 + MULTIPART_BOUNDARY_MAX];
	size_t len;
};

/* The growing result array. */
struct part_list {
	struct multipart_part *items;
	size_t count, cap;
};

static int is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int is_bchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("'()+_,-./:=? ", c));
}

/* 1 when s[0..n) is 1..70 bchars not ending in a space (RFC 2046 section 5.1.1). */
static int boundary_ok(const char *s, size_t n)
{
	if (n < 1 || n > MULTIPART_BOUNDARY_MAX || s[n - 1] == ' ')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_bchar((unsigned char)s[i]))
			return 0;
	return 1;
}

static int is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_ows(const char *p, const char *end)
{
	while (p < end && is_ows(*p))
		p++;
	return p;
}

static int equals_ci(const char *s, size_t n, const char *lit)
{
	return n == strlen(lit) && strncasecmp(s, lit, n) == 0;
}

/* Length of the token at p (0 when none). */
static size_t token_len(const char *p, const char *end)
{
	const char *q = p;
	while (q < end && is_tchar((unsigned char)*q))
		q++;
	return (size_t)(q - p);
}

/* Scans a quoted string whose opening quote is at p; returns the closing quote, or NULL. */
static const char *scan_quoted(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"')
			return p;
		if (c == '\\' && p + 1 < end && (p[1] == '"' || p[1] == '\\'))
			p++;
		else if ((c < 0x20 && c != '\t') || c == 0x7f)
			return NULL;
	}
	return NULL;
}

/* Scans an unquoted value at p: visible characters but ';' and '"'; returns its end. */
static const char *scan_bare(const char *p, const char *end)
{
	while (p < end && (unsigned char)*p > 0x20 && *p != 0x7f && *p != ';' && *p != '"')
		p++;
	return p;
}

/* Reads the value of a parameter at p into out; returns the end of the value, or NULL. */
static const char *read_value(const char *p, const char *end, struct param *out)
{
	const char *q;
	out->quoted = p < end && *p == '"';
	if (out->quoted) {
		q = scan_quoted(p, end);
		if (!q)
			return NULL;
		out->value = p + 1;
		out->value_len = (size_t)(q - p - 1);
		return q + 1;
	}
	q = scan_bare(p, end);
	if (q == p)
		return NULL;
	out->value = p;
	out->value_len = (size_t)(q - p);
	return q;
}

/* Reads the next ";name=value" at *p. Returns 1 with *out, 0 at the end, -1 on bad syntax. */
static int next_param(const char **p, const char *end, struct param *out)
{
	const char *q = skip_ows(*p, end);
	int separated = 0;
	while (q < end && *q == ';') {
		q = skip_ows(q + 1, end);
		separated = 1;
	}
	if (q == end)
		return 0;
	if (!separated)
		return -1;
	out->name = q;
	out->name_len = token_len(q, end);
	if (out->name_len == 0)
		return -1;
	q = skip_ows(q + out->name_len, end);
	if (q == end || *q != '=')
		return -1;
	q = read_value(skip_ows(q + 1, end), end, out);
	if (!q || (q < end && !is_ows(*q) && *q != ';'))
		return -1;
	*p = q;
	return 1;
}

/* Copies a parameter value into out (room for value_len bytes), undoing \" and \\; returns the
 * length. */
static size_t unquote(const struct param *v, char *out)
{
	size_t k = 0;
	for (size_t i = 0; i < v->value_len; i++) {
		if (v->quoted && v->value[i] == '\\' && i + 1 < v->value_len &&
		    (v->value[i + 1] == '"' || v->value[i + 1] == '\\'))
			i++;
		out[k++] = v->value[i];
	}
	return k;
}

/* Reads "type/subtype" at *p and checks it is multipart/form-data. */
static int media_type_ok(const char **p, const char *end)
{
	const char *q = skip_ows(*p, end);
	size_t type = token_len(q, end);
	if (!equals_ci(q, type, "multipart") || q + type == end || q[type] != '/')
		return 0;
	q += type + 1;
	size_t sub = token_len(q, end);
	if (!equals_ci(q, sub, "form-data"))
		return 0;
	*p = q + sub;
	return 1;
}

int multipart_boundary(const char *content_type, char *out, size_t size)
{
	const char *p = content_type, *end = content_type + strlen(content_type);
	struct param prm, found = {0};
	int n_found = 0, rc;
	if (!media_type_ok(&p, end))
		return -1;
	while ((rc = next_param(&p, end, &prm)) == 1)
		if (equals_ci(prm.name, prm.name_len, "boundary")) {
			found = prm;
			n_found++;
		}
	if (rc < 0 || n_found != 1 || found.value_len > 2 * MULTIPART_BOUNDARY_MAX)
		return -1;
	char tmp[2 * MULTIPART_BOUNDARY_MAX];
	size_t len = unquote(&found, tmp);
	if (!boundary_ok(tmp, len) || len >= size)
		return -1;
	memcpy(out, tmp, len);
	out[len] = '\0';
	return 0;
}

/* Checks what follows "--boundary" at body[at]: "--" ends the body (*close = 1), spaces or tabs
 * and CRLF or LF start a part at *next. Returns 0 when neither, as then it is no delimiter. */
static int delimiter_tail(const char *body, size_t n, size_t at, size_t *next, int *close)
{
	if (n - at >= 2 && body[at] == '-' && body[at + 1] == '-') {
		*close = 1;
		*next = n;
		return 1;
	}
	while (at < n && is_ows(body[at]))
		at++;
	if (at < n && body[at] == '\n') {
		*next = at + 1;
		return 1;
	}
	if (n - at >= 2 && body[at] == '\r' && body[at + 1] == '\n') {
		*next = at + 2;
		return 1;
	}
	return 0;
}

/* Finds the first delimiter at or after body[from]: *start is where its CRLF begins, *next and
 * *close as for delimiter_tail. Returns 0, or VE_INVALID when there is none. */
static int find_delimiter(const char *body, size_t n, size_t from, const struct delimiter *d,
			  size_t *start, size_t *next, int *close)
{
	while (from < n) {
		const char *hit = memmem(body + from, n - from, d->text, d->len);
		if (!hit)
			break;
		size_t at = (size_t)(hit - body);
		if (delimiter_tail(body, n, at + d->len, next, close)) {
			*start = at;
			return 0;
		}
		from = at + 1;
	}
	return VE_INVALID;
}

/* Finds the first boundary line, at the very start of the body or after the preamble. */
static int find_opening(const char *body, size_t n, const struct delimiter *d, size_t *next,
			int *close)
{
	size_t dash_len = d->len - 2, start;
	if (n >= dash_len && memcmp(body, d->text + 2, dash_len) == 0 &&
	    delimiter_tail(body, n, dash_len, next, close))
		return 0;
	return find_delimiter(body, n, 0, d, &start, next, close);
}

/* Checks a header value has no control character other than a tab. */
static int header_value_ok(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return 0;
	}
	return 1;
}

/* Parses one header line (its terminator removed) and keeps it in h when it matters. */
static int parse_header_line(const char *line, size_t n, struct part_headers *h)
{
	const char *end = line + n;
	size_t name_len = token_len(line, end);
	if (name_len == 0 || name_len == n || line[name_len] != ':')
		return VE_INVALID;
	const char *v = skip_ows(line + name_len + 1, end);
	while (end > v && is_ows(end[-1]))
		end--;
	size_t v_len = (size_t)(end - v);
	if (!header_value_ok(v, v_len))
		return VE_INVALID;
	const char **slot = NULL;
	size_t *slot_len = NULL;
	if (equals_ci(line, name_len, "content-disposition"))
		slot = &h->disp, slot_len = &h->disp_len;
	else if (equals_ci(line, name_len, "content-type"))
		slot = &h->ctype, slot_len = &h->ctype_len;
	if (!slot)
		return 0;
	if (*slot)
		return VE_INVALID;
	*slot = v;
	*slot_len = v_len;
	return 0;
}

/* Parses the header lines at p[0..n) up to the blank line, reading at most MULTIPART_HEADERS_MAX
 * bytes; *used is the size of the headers with the blank line. */
static int parse_headers(const char *p, size_t n, struct part_headers *h, size_t *used)
{
	size_t window = n < MULTIPART_HEADERS_MAX ? n : MULTIPART_HEADERS_MAX, at = 0;
	memset(h, 0, sizeof(*h));
	for (;;) {
		const char *nl = memchr(p + at, '\n', window - at);
		if (!nl)
			return VE_INVALID;
		size_t line_end = (size_t)(nl - p), next = line_end + 1;
		if (line_end > at && p[line_end - 1] == '\r')
			line_end--;
		if (line_end == at) {
			*used = next;
			return 0;
		}
		if (parse_header_line(p + at, line_end - at, h) != 0)
			return VE_INVALID;
		at = next;
	}
}

/* Records a Content-Disposition parameter when it matters; a repeated one is VE_INVALID. */
static int keep_param(struct disposition *d, const struct param *p)
{
	struct param *slot = NULL;
	int *has = NULL;
	if (equals_ci(p->name, p->name_len, "name"))
		slot = &d->name, has = &d->has_name;
	else if (equals_ci(p->name, p->name_len, "filename"))
		slot = &d->filename, has = &d->has_filename;
	else if (equals_ci(p->name, p->name_len, "filename*"))
		slot = &d->filename_ext, has = &d->has_filename_ext;
	if (!slot)
		return 0;
	if (*has)
		return VE_INVALID;
	*slot = *p;
	*has = 1;
	return 0;
}

/* Reads "form-data" and its parameters. */
static int read_disposition(const char *v, size_t n, struct disposition *d)
{
	const char *p = v, *end = v + n;
	struct param prm;
	int rc;
	size_t type = token_len(p, end);
	memset(d, 0, sizeof(*d));
	if (!equals_ci(p, type, "form-data"))
		return VE_INVALID;
	p += type;
	while ((rc = next_param(&p, end, &prm)) == 1)
		if (keep_param(d, &prm) != 0)
			return VE_INVALID;
	return rc < 0 || !d->has_name ? VE_INVALID : 0;
}

/* The unquoted value as a NUL-terminated UTF-8 string in arena, or NULL when not UTF-8. */
static const char *param_string(struct arena *arena, const struct param *v)
{
	char *s = arena_alloc(arena, v->value_len + 1);
	size_t len = unquote(v, s);
	s[len] = '\0';
	return utf8_valid(s, len) ? s : NULL;
}

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (unsigned char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int is_attr_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$&+-.^_`|~", c));
}

/* Decodes an RFC 5987 ext-value UTF-8'lang'pct-encoded into arena; NULL when malformed or not
 * UTF-8. */
static const char *ext_value_string(struct arena *arena, const struct param *v)
{
	const char *p = v->value, *end = v->value + v->value_len;
	if (v->quoted || v->value_len < 7 || strncasecmp(p, "UTF-8'", 6) != 0)
		return NULL;
	p = memchr(p + 6, '\'', (size_t)(end - p - 6));
	if (!p)
		return NULL;
	char *s = arena_alloc(arena, (size_t)(end - p));
	size_t k = 0;
	for (p++; p < end; p++) {
		if (*p != '%') {
			if (!is_attr_char((unsigned char)*p))
				return NULL;
			s[k++] = *p;
			continue;
		}
		int hi = end - p > 2 ? hex_value((unsigned char)p[1]) : -1;
		int lo = hi >= 0 ? hex_value((unsigned char)p[2]) : -1;
		if (lo < 0)
			return NULL;
		s[k++] = (char)(hi << 4 | lo);
		p += 2;
	}
	s[k] = '\0';
	return utf8_valid(s, k) ? s : NULL;
}

/* Fills the names of part from its headers. */
static int fill_part(struct arena *arena, const struct part_headers *h, struct multipart_part *part)
{
	struct disposition d;
	if (!h->disp || read_disposition(h->disp, h->disp_len, &d) != 0)
		return VE_INVALID;
	part->name = param_string(arena, &d.name);
	if (!part->name || !*part->name)
		return VE_INVALID;
	part->filename = NULL;
	if (d.has_filename_ext)
		part->filename = ext_value_string(arena, &d.filename_ext);
	else if (d.has_filename)
		part->filename = param_string(arena, &d.filename);
	if ((d.has_filename || d.has_filename_ext) && !part->filename)
		return VE_INVALID;
	part->content_type = h->ctype ? arena_strndup(arena, h->ctype, h->ctype_len) : "";
	return 0;
}

static void list_push(struct arena *arena, struct part_list *l, const struct multipart_part *part)
{
	if (l->count == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		struct multipart_part *items = arena_alloc(arena, cap * sizeof(*items));
		if (l->count)
			memcpy(items, l->items, l->count * sizeof(*items));
		l->items = items;
		l->cap = cap;
	}
	l->items[l->count++] = *part;
}

/* Parses the part whose headers start at body[*pos]; moves *pos past its closing delimiter. */
static int parse_part(struct arena *arena, const char *body, size_t n, const struct delimiter *d,
		      size_t *pos, int *close, struct multipart_part *part)
{
	struct part_headers h;
	size_t used, data, end;
	if (parse_headers(body + *pos, n - *pos, &h, &used) != 0 || fill_part(arena, &h, part) != 0)
		return VE_INVALID;
	data = *pos + used;
	if (find_delimiter(body, n, data, d, &end, pos, close) != 0)
		return VE_INVALID;
	part->data = body + data;
	part->len = end - data;
	return 0;
}

int multipart_parse(struct arena *arena, const char *body, size_t n, const char *boundary,
		    struct multipart_part **parts, size_t *count, size_t max)
{
	struct part_list list = {0};
	struct delimiter d;
	size_t blen = strnlen(boundary, MULTIPART_BOUNDARY_MAX + 1), pos;
	int close = 0;
	*parts = NULL;
	*count = 0;
	if (!boundary_ok(boundary, blen))
		return VE_INVALID;
	memcpy(d.text, "\r\n--", 4);
	memcpy(d.text + 4, boundary, blen);
	d.len = 4 + blen;
	if (find_opening(body, n, &d, &pos, &close) != 0)
		return VE_INVALID;
	while (!close) {
		struct multipart_part part;
		if (list.count == max)
			return VE_LIMIT;
		if (parse_part(arena, body, n, &d, &pos, &close, &part) != 0)
			return VE_INVALID;
		list_push(arena, &list, &part);
	}
	*parts = list.items;
	*count = list.count;
	return 0;
}
