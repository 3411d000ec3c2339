/* fuzz_multipart.c - libFuzzer target: line 1 is a boundary (and a Content-Type), the rest a body.
 */
#include "lib/arena.h"
#include "lib/err.h"
#include "lib/utf8.h"
#include "web/multipart.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PARTS 16

/* Aborts unless the part keeps the promises of multipart.h. */
static void check_part(const struct multipart_part *p, const char *body, size_t n)
{
	size_t name_len = strlen(p->name);
	if (name_len == 0 || !utf8_valid(p->name, name_len))
		abort();
	if (p->filename && !utf8_valid(p->filename, strlen(p->filename)))
		abort();
	for (const char *c = p->content_type; *c; c++)
		if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f)
			abort();
	if (p->data < body || p->len > n || p->data + p->len > body + n)
		abort();
}

/* Parses body with boundary twice (different limits) and checks the results agree. */
static void parse(const char *body, size_t n, const char *boundary)
{
	struct arena arena;
	struct multipart_part *parts, *few;
	size_t count, few_count;
	arena_init(&arena);
	int rc = multipart_parse(&arena, body, n, boundary, &parts, &count, MAX_PARTS);
	if (rc != 0 && rc != VE_INVALID && rc != VE_LIMIT)
		abort();
	if (rc != 0 ? parts || count : count > MAX_PARTS || (count && !parts))
		abort();
	for (size_t i = 0; i < count; i++)
		check_part(&parts[i], body, n);
	int rc2 = multipart_parse(&arena, body, n, boundary, &few, &few_count, 1);
	if (rc == 0 && (count > 1 ? rc2 != VE_LIMIT : rc2 != 0 || few_count != count))
		abort();
	if (rc == 0 && count == 1 && (few[0].data != parts[0].data || few[0].len != parts[0].len))
		abort();
	arena_free(&arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	if (!nl)
		return 0;
	size_t line_len = (size_t)(nl - data), n = size - line_len - 1;
	char *line = malloc(line_len + 1);
	memcpy(line, data, line_len);
	line[line_len] = '\0';
	char *body = malloc(n ? n : 1);
	memcpy(body, nl + 1, n);
	parse(body, n, line);
	char boundary[MULTIPART_BOUNDARY_MAX + 1];
	if (multipart_boundary(line, boundary, sizeof(boundary)) == 0) {
		size_t len = strlen(boundary);
		if (len < 1 || len > MULTIPART_BOUNDARY_MAX || boundary[len - 1] == ' ')
			abort();
		parse(body, n, boundary);
	}
	free(body);
	free(line);
	return 0;
}
