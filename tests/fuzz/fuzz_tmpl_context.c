/* fuzz_tmpl_context.c - libFuzzer target: the HTML-context tokenizer and the URL checker
 * against a plain statement of what they must prevent.
 *
 * The input is two strings split at the first \x1e: a literal prefix P and a value V.
 * Written as <a href="P{{v}}"> with v = V, whatever the checks let through must not give
 * the link a scheme other than http, https, mailto and tel, nor make it start with "//",
 * as a browser reads it. And the tokenizer's states, reached from P and from V as whole
 * documents, must behave as states do: equal to themselves, covered by their widening and
 * by any join that accepts them. */
#include "web/tmpl_context.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Whether a browser would read the URL s (n bytes, after entity decoding) as one that
 * leaves the allowed schemes: leading C0 controls and spaces dropped, tabs and newlines
 * dropped anywhere, '\' read as '/'. */
static int dangerous(const char *s, size_t n)
{
	static const char *const ok[] = {"http", "https", "mailto", "tel"};
	char u[256];
	size_t k = 0, i = 0;
	while (i < n && (unsigned char)s[i] <= ' ')
		i++;
	for (; i < n && k < sizeof(u); i++)
		if (s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			u[k++] = (char)(s[i] == '\\' ? '/' : ascii_lower((unsigned char)s[i]));
	if (k >= 2 && u[0] == '/' && u[1] == '/')
		return 1;
	if (k == 0 || !(u[0] >= 'a' && u[0] <= 'z'))
		return 0;
	for (i = 1; i < k; i++) {
		int c = (unsigned char)u[i];
		if (c == ':')
			break;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' ||
		      c == '.'))
			return 0;
	}
	if (i == k)
		return 0; /* no scheme yet (or the prefix was too long to tell: not our case) */
	for (size_t j = 0; j < sizeof(ok) / sizeof(ok[0]); j++)
		if (strlen(ok[j]) == i && memcmp(ok[j], u, i) == 0)
			return 0;
	return 1;
}

/* Feeds s into st from where it stands; 0, or -1 when the text is refused. */
static int feed(struct tmpl_context *st, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (tmpl_context_step(st, (unsigned char)s[i]))
			return -1;
	return 0;
}

/* <a href="P{{v}}"> with v = V: what the compile-time and render-time checks let through. */
static void check_url(const char *p, size_t np, const char *v, size_t nv)
{
	struct tmpl_context st;
	struct tmpl_url um;
	char joined[128];
	int url = 0;
	/* Literal text with quotes or entities is out of scope: it ends the value or is
	 * decoded by the browser, and the tokenizer refuses '&' before the scheme anyway. */
	if (np + nv > sizeof(joined) || memchr(p, '"', np) || memchr(p, '\'', np) ||
	    memchr(p, '&', np) || memchr(p, '<', np))
		return;
	/* A link the template itself writes ("//cdn.example/") is the author's choice. */
	if (dangerous(p, np))
		return;
	tmpl_context_start(&st);
	if (feed(&st, "<a href=\"", 9) || feed(&st, p, np) || tmpl_context_output(&st, &url))
		return;
	memcpy(joined, p, np);
	memcpy(joined + np, v, nv);
	if (!url) {
		/* No render-time check: the prefix must have settled the URL for any value. */
		if (dangerous(joined, np + nv))
			abort();
		return;
	}
	tmpl_url_reset(&um);
	tmpl_url_feed(&um, p, np);
	if (tmpl_url_allows(&um, v, nv) && dangerous(joined, np + nv))
		abort();
}

/* The algebra of states: reflexive, widening covers, a join covers both sides. */
static void check_states(const char *a, size_t na, const char *b, size_t nb)
{
	struct tmpl_context sa, sb, m, w, w2;
	tmpl_context_start(&sa);
	tmpl_context_start(&sb);
	if (feed(&sa, a, na) || feed(&sb, b, nb))
		return;
	if (!tmpl_context_equal(&sa, &sa) || !tmpl_context_covers(&sa, &sa))
		abort();
	if (!tmpl_context_where(&sa))
		abort();
	w = tmpl_context_widen(&sa);
	w2 = tmpl_context_widen(&w);
	if (!tmpl_context_covers(&w, &sa) || !tmpl_context_equal(&w, &w2))
		abort();
	m = sa;
	if (tmpl_context_merge(&m, &sb) == 0 &&
	    (!tmpl_context_covers(&m, &sa) || !tmpl_context_covers(&m, &sb)))
		abort();
	if (tmpl_context_equal(&sa, &sb) != tmpl_context_equal(&sb, &sa))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *sep = memchr(s, '\x1e', size);
	size_t np = sep ? (size_t)(sep - s) : 0;
	const char *v = sep ? sep + 1 : s;
	size_t nv = sep ? size - np - 1 : size;
	check_url(s, np, v, nv);
	check_states(s, np, v, nv);
	return 0;
}
