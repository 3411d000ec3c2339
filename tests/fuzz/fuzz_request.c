/* fuzz_request.c - the request parsers: path, query string and form, JSON body, cookie.
 * The first byte picks the parser; the rest is its input. */
#include "lib/arena.h"
#include "web/params.h"
#include "web/request.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *in = (const char *)data + 1;
	size_t n = size - 1;
	struct arena arena;
	arena_init(&arena);
	struct param *params = NULL;
	size_t count = 0;
	switch (data[0] % 4) {
	case 0: {
		char out[1024];
		if (http_normalize_path(in, n, out, sizeof(out)) == 0 && out[0] != '/')
			abort();
		break;
	}
	case 1: {
		static const struct param_spec specs[] = {
			{"q", "查询", PK_TEXT, 0, 0, 50, 0},
			{"page", "页码", PK_INT, 0, 1, 1000, 0},
			{"d", "日期", PK_DATE, 0, 0, 0, 0},
			{"f", "标志", PK_FLAG, 0, 0, 0, 0},
			{"w", "代码", PK_WORD, 1, 1, 20, 1},
			{"t", "令牌", PK_TOKEN, 0, 0, 64, 0},
			{"s", "密码", PK_SECRET, 0, 1, 128, 0},
			{0},
		};
		if (http_parse_urlencoded(&arena, in, n, &params, &count, 64) != 0)
			break;
		if (count > 64)
			abort();
		struct request req = {.params = params, .n_params = count};
		char err[256];
		params_check(&req, specs, err, sizeof(err));
		params_int(&req, "page", 1);
		break;
	}
	case 2: {
		json_t *json = NULL;
		http_parse_json(&arena, in, n, &json, &params, &count, 64);
		json_decref(json);
		break;
	}
	case 3: {
		char *header = strndup(in, n);
		char value[65];
		if (http_cookie(header, "vets_session", value, sizeof(value)) == 0 &&
		    strlen(value) > 64)
			abort();
		free(header);
		break;
	}
	}
	for (size_t i = 0; i < count; i++)
		if (strlen(params[i].value) != params[i].len)
			abort();
	arena_free(&arena);
	return 0;
}
