/* fuzz_markdown.c - libFuzzer target: markdown_tree on arbitrary bytes either refuses them or
 * gives a tree that partials/markdown renders within the template's limits, and the HTML has
 * no element or link that Markdown text could not have asked for. */
#include "lib/asset.h"
#include "lib/buf.h"
#include "lib/markdown.h"
#include "web/tmpl.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tmpl_set *set;

static void init(void)
{
	static const char *const names[] = {"partials/markdown", "partials/md_block",
					    "partials/md_inline"};
	static const char page[] = "{{#with body}}{{> partials/markdown}}{{/with}}";
	struct tmpl_source src[4];
	char path[64], err[256];
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "templates/%s.html", names[i]);
		const struct embedded_file *f = asset_find(path);
		if (!f)
			abort();
		src[i] = (struct tmpl_source){names[i], (const char *)f->data, f->len};
	}
	src[3] = (struct tmpl_source){"page", page, sizeof(page) - 1};
	if (tmpl_set_create(&set, src, 4, err, sizeof(err)) != 0)
		abort();
}

/* Every tag in html is one the templates write, and every href passed markdown_href_ok. */
static void check_html(const char *html)
{
	static const char *const tags[] = {"div class=\"md\"", "/div", "p", "/p", "h2", "/h2",
					   "h3", "/h3", "h4", "/h4", "ul", "/ul", "ol start=\"",
					   "/ol", "li", "/li", "blockquote", "/blockquote", "pre",
					   "/pre", "code", "/code", "hr", "em", "/em", "strong",
					   "/strong", "a href=\"", "/a", "br", NULL};
	for (const char *p = strchr(html, '<'); p; p = strchr(p + 1, '<')) {
		const char *const *t = tags;
		for (; *t; t++) {
			size_t n = strlen(*t);
			if (strncmp(p + 1, *t, n) == 0 &&
			    (p[1 + n] == '>' || (*t)[n - 1] == '"'))
				break;
		}
		if (!*t)
			abort();
		if (strncmp(p, "<a href=\"", 9) == 0) {
			const char *end = strchr(p + 9, '"');
			if (!end)
				abort();
			size_t n = (size_t)(end - (p + 9));
			char *href = strndup(p + 9, n);
			/* Escaped by the engine (&amp; and friends), so no raw quote or '<'; a
			 * scheme, if any, is one of the three allowed; never the engine's own
			 * refusal (markdown_href_ok is stricter than it). */
			size_t stop = strcspn(href, "/?#");
			char *colon = memchr(href, ':', stop);
			if (strncmp(href, "#blocked", 8) == 0 || strchr(href, '<') ||
			    (colon && strncasecmp(href, "http:", 5) != 0 &&
			     strncasecmp(href, "https:", 6) != 0 && strncasecmp(href, "mailto:", 7) != 0))
				abort();
			free(href);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!set)
		init();
	json_t *tree = markdown_tree((const char *)data, size);
	if (!tree)
		return 0;
	json_t *page = json_pack("{s:o}", "body", tree);
	struct buf out;
	buf_init(&out, 64u * 1024 * 1024);
	if (tmpl_render(set, "page", page, &out) != 0)
		abort();
	check_html(buf_cstr(&out));
	buf_free(&out);
	json_decref(page);
	return 0;
}
