/* tmpl.h - the template engine: small, escaping by default, compiled once at start.
 *
 * Every HTML page of vets is rendered here from a jansson value; no HTML is
 * built with printf anywhere else. See docs/TEMPLATES.md for the syntax. */
#ifndef VETS_TMPL_H
#define VETS_TMPL_H

#include <jansson.h>
#include <stddef.h>

#include "lib/buf.h"

struct tmpl_set; /* opaque: a set of compiled templates, immutable after creation */

struct tmpl_source {
	const char *name; /* e.g. "login" or "users/list" */
	const char *text;
	size_t len;
};

/* Compiles n templates into a set. Includes, layouts and blocks are resolved
 * by name at render time, but every name a template refers to must exist in
 * the set, checked here. Returns 0 and *out, or VE_INVALID with a message
 * naming the template and line in err. */
int tmpl_set_create(struct tmpl_set **out, const struct tmpl_source *src, size_t n, char *err,
		    size_t errlen);
/* Renders template name with data as context, appending to out. Returns 0,
 * VE_NOTFOUND for an unknown name, or VE_LIMIT when out's cap was reached or
 * includes nest deeper than 16. Thread-safe: a set can be shared by threads. */
int tmpl_render(const struct tmpl_set *set, const char *name, json_t *data, struct buf *out);
void tmpl_set_free(struct tmpl_set *set);

#endif
