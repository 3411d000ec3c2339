/* request.c - parsers for paths, query strings, forms, JSON bodies and cookies. */
#include "request.h"
#include "lib/err.h"
#include "lib/mem.h"
#include "lib/utf8.h"

#include <stdio.h>
#include <string.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long http_decode(const char *in, size_t n, int plus_is_space, char *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		char c = in[i];
		if (c == '%') {
			if (n - i < 3)
				return -1;
			int hi = hexval(in[i + 1]), lo = hexval(in[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		}
		if (c == '\0')
			return -1;
		out[k++] = c;
	}
	out[k] = '\0';
	return utf8_valid(out, k) ? (long)k : -1;
}

int http_normalize_path(const char *raw, size_t n, char *out, size_t size)
{
	if (n == 0 || raw[0] != '/' || n >= size)
		return -1;
	long len = http_decode(raw, n, 0, out);
	if (len < 0)
		return -1;
	for (long i = 0; i < len; i++) {
		unsigned char c = (unsigned char)out[i];
		if (c < 0x20 || c == 0x7f || c == '\\')
			return -1;
	}
	if (strcmp(out, "/") == 0)
		return 0;
	for (const char *seg = out + 1;;) {
		const char *end = strchr(seg, '/');
		size_t seglen = end ? (size_t)(end - seg) : strlen(seg);
		if (seglen == 0 || (seglen == 1 && seg[0] == '.') ||
		    (seglen == 2 && seg[0] == '.' && seg[1] == '.'))
			return -1;
		if (!end)
			return 0;
		seg = end + 1;
	}
}

static void add_param(struct arena *arena, struct param **list, size_t *count, const char *name,
		      const char *value, size_t len)
{
	/* Grow by doubling inside the arena; the old array is simply left behind. */
	if ((*count & (*count - 1)) == 0) {
		size_t cap = *count ? *count * 2 : 8;
		struct param *grown = arena_alloc(arena, cap * sizeof(*grown));
		if (*count)
			memcpy(grown, *list, *count * sizeof(*grown));
		*list = grown;
	}
	(*list)[(*count)++] = (struct param){name, value, len};
}

int http_parse_urlencoded(struct arena *arena, const char *s, size_t n, struct param **list,
			  size_t *count, size_t max)
{
	size_t i = 0;
	while (i < n) {
		size_t end = i;
		while (end < n && s[end] != '&')
			end++;
		if (end > i) {
			size_t eq = i;
			while (eq < end && s[eq] != '=')
				eq++;
			if (*count >= max)
				return VE_LIMIT;
			char *name = arena_alloc(arena, eq - i + 1);
			size_t vstart = eq < end ? eq + 1 : end;
			char *value = arena_alloc(arena, end - vstart + 1);
			long nlen = http_decode(s + i, eq - i, 1, name);
			long vlen = http_decode(s + vstart, end - vstart, 1, value);
			if (nlen <= 0 || vlen < 0)
				return VE_INVALID;
			add_param(arena, list, count, name, value, (size_t)vlen);
		}
		i = end + 1;
	}
	return 0;
}

/* The strings of array v as params named key: 0, VE_INVALID (an element not a string, or
 * holding NUL) or VE_LIMIT. */
static int add_strings(struct arena *arena, const char *key, json_t *v, struct param **list,
		       size_t *count, size_t max)
{
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e)
	{
		if (!json_is_string(e))
			return VE_INVALID;
		const char *text = json_string_value(e);
		size_t len = json_string_length(e);
		if (memchr(text, '\0', len))
			return VE_INVALID;
		if (*count >= max)
			return VE_LIMIT;
		add_param(arena, list, count, arena_strdup(arena, key), arena_strndup(arena, text, len),
			  len);
	}
	return 0;
}

int http_parse_json(struct arena *arena, const char *s, size_t n, json_t **json,
		    struct param **list, size_t *count, size_t max)
{
	return http_parse_json_multi(arena, s, n, json, list, count, max, NULL, NULL);
}

int http_parse_json_multi(struct arena *arena, const char *s, size_t n, json_t **json,
			  struct param **list, size_t *count, size_t max,
			  int (*multi)(const void *ctx, const char *name), const void *ctx)
{
	json_error_t jerr;
	*json = NULL;
	if (!utf8_valid(s, n))
		return VE_INVALID;
	json_t *doc = json_loadb(s, n, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc || !json_is_object(doc)) {
		json_decref(doc);
		return VE_INVALID;
	}
	*json = doc;
	const char *key;
	json_t *v;
	json_object_foreach(doc, key, v)
	{
		char num[32];
		const char *text;
		size_t len;
		switch (json_typeof(v)) {
		case JSON_STRING:
			text = json_string_value(v);
			len = json_string_length(v);
			if (memchr(text, '\0', len))
				return VE_INVALID;
			break;
		case JSON_INTEGER:
			len = (size_t)snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
					       json_integer_value(v));
			text = num;
			break;
		case JSON_TRUE:
		case JSON_FALSE:
			text = json_is_true(v) ? "true" : "false";
			len = strlen(text);
			break;
		case JSON_NULL:
			continue;
		case JSON_ARRAY:
			if (multi && *key && utf8_valid(key, strlen(key)) && multi(ctx, key)) {
				int rc = add_strings(arena, key, v, list, count, max);
				if (rc)
					return rc;
				continue;
			}
			return VE_INVALID;
		default:
			return VE_INVALID;
		}
		if (*count >= max)
			return VE_LIMIT;
		if (!*key || !utf8_valid(key, strlen(key)))
			return VE_INVALID;
		add_param(arena, list, count, arena_strdup(arena, key),
			  arena_strndup(arena, text, len), len);
	}
	return 0;
}

int http_cookie(const char *header, const char *name, char *out, size_t size)
{
	size_t nlen = strlen(name);
	const char *p = header;
	while (p && *p) {
		while (*p == ' ' || *p == '\t')
			p++;
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
			size_t vlen = len - nlen - 1;
			if (vlen >= size)
				return -1;
			memcpy(out, p + nlen + 1, vlen);
			out[vlen] = '\0';
			for (size_t i = 0; i < vlen; i++)
				if ((unsigned char)out[i] <= 0x20 || out[i] == '"' ||
				    out[i] == 0x7f)
					return -1;
			return 0;
		}
		p = end ? end + 1 : NULL;
	}
	return -1;
}

const char *req_param(const struct request *req, const char *name)
{
	for (size_t i = 0; i < req->n_params; i++)
		if (strcmp(req->params[i].name, name) == 0)
			return req->params[i].value;
	return NULL;
}

int http_parse_multipart(struct request *req, const char *content_type, size_t max)
{
	char boundary[MULTIPART_BOUNDARY_MAX + 1];
	struct multipart_part *parts;
	size_t count;
	if (multipart_boundary(content_type, boundary, sizeof(boundary)) != 0)
		return VE_INVALID;
	int rc = multipart_parse(&req->arena, req->body.data, req->body.len, boundary, &parts,
				 &count, max);
	if (rc)
		return rc;
	req->files = arena_alloc(&req->arena, (count ? count : 1) * sizeof(*req->files));
	for (size_t i = 0; i < count; i++) {
		if (parts[i].filename) {
			req->files[req->n_files++] = parts[i];
			continue;
		}
		if (req->n_params >= max)
			return VE_LIMIT;
		if (memchr(parts[i].data, '\0', parts[i].len) || !utf8_valid(parts[i].data, parts[i].len))
			return VE_INVALID;
		add_param(&req->arena, &req->params, &req->n_params, parts[i].name,
			  arena_strndup(&req->arena, parts[i].data, parts[i].len), parts[i].len);
	}
	return 0;
}
