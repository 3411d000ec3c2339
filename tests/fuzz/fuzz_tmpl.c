/* fuzz_tmpl.c - libFuzzer target: compiles fuzzed templates and renders them with fuzzed JSON. */
#include "lib/buf.h"
#include "lib/err.h"
#include "web/tmpl.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_TMPL = 20, OUT_MAX = 1 << 16 };

static const char *const names[MAX_TMPL] = {
	"t0",  "t1",  "t2",  "t3",  "t4",  "t5",  "t6",  "t7",  "t8",  "t9",
	"t10", "t11", "t12", "t13", "t14", "t15", "t16", "t17", "t18", "t19",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Splits the template part at \x1e into up to MAX_TMPL templates named t0, t1...
 * (the last one takes the rest), so that includes and layout chains get exercised. */
static size_t split(const char *s, size_t len, struct tmpl_source *src)
{
	size_t n = 0, start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && (s[i] != '\x1e' || n == MAX_TMPL - 1))
			continue;
		src[n] = (struct tmpl_source){names[n], s + start, i - start};
		n++;
		start = i + 1;
	}
	return n;
}

static void render_all(const struct tmpl_set *set, size_t n, json_t *j)
{
	struct buf b;
	buf_init(&b, OUT_MAX);
	for (size_t k = 0; k < n; k++) {
		int rc = tmpl_render(set, names[k], j, &b);
		if (rc != 0 && rc != VE_LIMIT)
			abort();
		if (b.len > OUT_MAX || (rc != 0 && b.len != 0))
			abort();
		buf_reset(&b);
	}
	if (tmpl_render(set, "no such template", j, &b) != VE_NOTFOUND)
		abort();
	buf_free(&b);
}

/* Input: template source(s), a NUL byte, then a JSON document. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nul = memchr(s, '\0', size);
	size_t tlen = nul ? (size_t)(nul - s) : size;
	struct tmpl_source src[MAX_TMPL];
	size_t n = split(s, tlen, src);
	json_t *j = NULL;
	struct tmpl_set *set = NULL;
	char err[256] = "";
	if (nul)
		j = json_loadb(nul + 1, size - tlen - 1, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	if (!j)
		j = json_object();
	if (tmpl_set_create(&set, src, n, err, sizeof(err)) == 0)
		render_all(set, n, j);
	else if (strncmp(err, "template ", 9) != 0)
		abort();
	tmpl_set_free(set);
	json_decref(j);
	return 0;
}
