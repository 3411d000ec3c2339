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

/* Appends method to the list of allowed methods (a fixed buffer: they are few). */
static void allow_add(char *methods, size_t size, const char *method)
{
	if (strlen(methods) + strlen(method) + 3 >= size)
		return;
	if (methods[0])
		strcat(methods, ", ");
	strcat(methods, method);
}

const struct route *router_match(const char *method, const char *path, int portal, int64_t *id,
				 const char **allow)
{
	static __thread char methods[64];
	methods[0] = '\0';
	for (const struct web_area *const *a = web_area_list; *a; a++)
		for (const struct route *r = (*a)->routes; r->method; r++) {
			int64_t v = 0;
			if (!(r->flags & ROUTE_PORTAL) != !portal || !match(r->pattern, path, &v))
				continue;
			if (strcmp(r->method, method) == 0 ||
			    (strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0)) {
				*id = v;
				return r;
			}
			allow_add(methods, sizeof(methods), r->method);
		}
	*allow = methods;
	return NULL;
}

size_t router_count(void)
{
	size_t n = 0;
	for (const struct web_area *const *a = web_area_list; *a; a++)
		for (const struct route *r = (*a)->routes; r->method; r++)
			n++;
	return n;
}

const struct route *router_route(size_t i)
{
	for (const struct web_area *const *a = web_area_list; *a; a++)
		for (const struct route *r = (*a)->routes; r->method; r++)
			if (i-- == 0)
				return r;
	return NULL;
}

int router_index(const struct route *route)
{
	int i = 0;
	for (const struct web_area *const *a = web_area_list; *a; a++)
		for (const struct route *r = (*a)->routes; r->method; r++, i++)
			if (r == route)
				return i;
	return -1;
}
