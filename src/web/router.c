/* router.c - method and path pattern matching. */
#include "route.h"
#include "lib/str.h"

#include <string.h>

/* Matches pattern against path; {id} takes one segment of 1–18 digits. */
static int match(const char *pattern, const char *path, int64_t *id)
{
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (strncmp(p, "{id}", 4) == 0) {
			size_t n = strcspn(s, "/");
			if (str_to_i64(s, n, 1, INT64_MAX, id) != 0)
				return 0;
			p += 4;
			s += n;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	return *p == '\0' && *s == '\0';
}

const struct route *router_match(const char *method, const char *path, int64_t *id,
				 const char **allow)
{
	static __thread char methods[64];
	methods[0] = '\0';
	for (size_t i = 0; i < n_routes; i++) {
		int64_t v = 0;
		if (!match(routes[i].pattern, path, &v))
			continue;
		if (strcmp(routes[i].method, method) == 0 ||
		    (strcmp(method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0)) {
			*id = v;
			return &routes[i];
		}
		if (strlen(methods) + strlen(routes[i].method) + 3 < sizeof(methods)) {
			if (methods[0])
				strcat(methods, ", ");
			strcat(methods, routes[i].method);
		}
	}
	*allow = methods;
	return NULL;
}
