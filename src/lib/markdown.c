/* markdown.c - cmark's tree walked once, without recursion, into the JSON tree of markdown.h. */
#include "lib/markdown.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/buf.h"
#include "lib/mem.h"
#include "lib/utf8.h"

enum frame_kind { FR_BLOCKS, FR_ITEMS, FR_INLINES };

/* A node of the JSON tree that children are appended to. Containers of cmark that make no
 * node of their own (flattened, dropped links, images) are counted in `skipped` of the frame
 * their content goes to, so the stack holds only real frames and stays small whatever the
 * document's depth. */
struct frame {
	enum frame_kind kind;
	json_t *arr;     /* borrowed: owned by the tree */
	int tight;       /* items of a tight list: their paragraphs are "tp" */
	int block_depth; /* lists and quotes around this frame */
	int inline_depth;
	size_t skipped;
};

#define MAX_FRAMES (2 + 2 * MARKDOWN_MAX_BLOCK_DEPTH + 1 + MARKDOWN_MAX_INLINE_DEPTH + 2)

struct walk {
	struct frame st[MAX_FRAMES];
	int top;
	size_t nodes;
	int heading_shift;
	struct buf text; /* text waiting to become one text node of the top frame */
	int soft;        /* a soft line break is waiting for the text after it */
	int failed;
};

static struct frame *top(struct walk *w)
{
	return &w->st[w->top];
}

static int count(struct walk *w)
{
	if (++w->nodes > MARKDOWN_MAX_NODES)
		w->failed = 1;
	return w->failed;
}

static json_t *str(struct walk *w, const char *s, size_t n)
{
	json_t *v = json_stringn(s, n);
	if (!v)
		w->failed = 1;
	return v;
}

static void append(struct walk *w, json_t *arr, json_t *node)
{
	if (!node || count(w) || json_array_append_new(arr, node) != 0) {
		json_decref(node);
		w->failed = 1;
	}
}

/* Whether the code point at s (lead byte) is a CJK character or full-width punctuation: a
 * line break between two of them is no space in Chinese (a browser would show one). */
static int cjk_at(const unsigned char *s, size_t n)
{
	if (n < 3 || (s[0] & 0xf0) != 0xe0)
		return 0;
	unsigned cp = ((unsigned)(s[0] & 0x0f) << 12) | ((unsigned)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
	return (cp >= 0x2e80 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) ||
	       (cp >= 0xff00 && cp <= 0xffef);
}

/* A waiting soft break becomes "\n", unless it stands between two CJK characters (next: the
 * text that follows it, or NULL when something else follows). */
static void settle_soft(struct walk *w, const char *next)
{
	if (!w->soft)
		return;
	w->soft = 0;
	size_t n = w->text.len, i = n;
	while (i > 0 && n - i < 3 && ((unsigned char)w->text.data[i - 1] & 0xc0) == 0x80)
		i--;
	int before = i > 0 && cjk_at((const unsigned char *)w->text.data + i - 1, n - i + 1);
	int after = next && cjk_at((const unsigned char *)next, strlen(next));
	if (!(before && after) && buf_putc(&w->text, '\n') != 0)
		w->failed = 1;
}

/* The pending text as one text node of the top frame. */
static void flush_text(struct walk *w)
{
	settle_soft(w, NULL);
	if (w->text.len == 0)
		return;
	if (top(w)->kind == FR_INLINES)
		append(w, top(w)->arr,
		       json_pack("{s:s,s:o}", "t", "text", "text", str(w, w->text.data, w->text.len)));
	buf_reset(&w->text);
}

static void add_text(struct walk *w, const char *s)
{
	settle_soft(w, s);
	if (s && buf_puts(&w->text, s) != 0)
		w->failed = 1;
}

static void push(struct walk *w, enum frame_kind kind, json_t *arr, int tight, int bdepth,
		 int idepth)
{
	if (w->top + 1 >= MAX_FRAMES) { /* unreachable while the depth limits hold */
		w->failed = 1;
		return;
	}
	w->st[++w->top] = (struct frame){kind, arr, tight, bdepth, idepth, 0};
}

int markdown_href_ok(const char *href)
{
	if (!href || !*href)
		return 0;
	for (const unsigned char *p = (const unsigned char *)href; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '\\')
			return 0;
	if (strncasecmp(href, "http://", 7) == 0 || strncasecmp(href, "https://", 8) == 0)
		return href[strncasecmp(href, "http://", 7) == 0 ? 7 : 8] != '\0';
	if (strncasecmp(href, "mailto:", 7) == 0)
		return href[7] != '\0';
	if (href[0] == '/')
		return href[1] != '/';
	size_t stop = strcspn(href, "/?#");
	return memchr(href, ':', stop) == NULL;
}

/* A block that holds inlines (paragraph, heading) or a leaf block, appended to the top frame,
 * which is a list of blocks whenever a block arrives (items are always made with their list). */
static json_t *new_block(struct walk *w, const char *t)
{
	json_t *b = json_pack("{s:s}", "t", t);
	append(w, top(w)->arr, b);
	return w->failed ? NULL : b;
}

static void enter(struct walk *w, cmark_node *node)
{
	struct frame *f = top(w);
	cmark_node_type type = cmark_node_get_type(node);
	if (type != CMARK_NODE_TEXT && type != CMARK_NODE_SOFTBREAK && type != CMARK_NODE_HTML_INLINE)
		flush_text(w);
	switch (type) {
	case CMARK_NODE_BLOCK_QUOTE:
	case CMARK_NODE_LIST:
		if (f->kind == FR_BLOCKS && f->block_depth < MARKDOWN_MAX_BLOCK_DEPTH) {
			int list = type == CMARK_NODE_LIST;
			int ordered = list && cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
			json_t *b = new_block(w, list ? (ordered ? "ol" : "ul") : "quote");
			if (!b)
				return;
			json_t *arr = json_array();
			json_object_set_new(b, list ? "items" : "blocks", arr);
			if (ordered)
				json_object_set_new(b, "start", json_integer(cmark_node_get_list_start(node)));
			push(w, list ? FR_ITEMS : FR_BLOCKS, arr, list && cmark_node_get_list_tight(node),
			     f->block_depth + 1, 0);
			return;
		}
		break;
	case CMARK_NODE_ITEM:
		if (f->kind == FR_ITEMS) {
			json_t *arr = json_array();
			append(w, f->arr, json_pack("{s:o}", "blocks", arr));
			if (!w->failed)
				push(w, FR_BLOCKS, arr, f->tight, f->block_depth, 0);
			return;
		}
		break;
	case CMARK_NODE_PARAGRAPH:
	case CMARK_NODE_HEADING:
		if (f->kind == FR_BLOCKS) {
			const char *t = f->tight ? "tp" : "p";
			if (type == CMARK_NODE_HEADING) {
				static const char *const names[] = {"h2", "h3", "h4"};
				int level = cmark_node_get_heading_level(node) + w->heading_shift;
				t = names[level < 2 ? 0 : level > 4 ? 2 : level - 2];
			}
			json_t *b = new_block(w, t);
			if (!b)
				return;
			json_t *arr = json_array();
			json_object_set_new(b, "c", arr);
			push(w, FR_INLINES, arr, 0, f->block_depth, 0);
			return;
		}
		break;
	case CMARK_NODE_EMPH:
	case CMARK_NODE_STRONG:
	case CMARK_NODE_LINK:
		if (f->kind == FR_INLINES && f->inline_depth < MARKDOWN_MAX_INLINE_DEPTH &&
		    (type != CMARK_NODE_LINK || markdown_href_ok(cmark_node_get_url(node)))) {
			json_t *arr = json_array();
			json_t *n = type == CMARK_NODE_LINK
					    ? json_pack("{s:s,s:o,s:o}", "t", "a", "href",
							str(w, cmark_node_get_url(node),
							    strlen(cmark_node_get_url(node))),
							"c", arr)
					    : json_pack("{s:s,s:o}", "t",
							type == CMARK_NODE_EMPH ? "em" : "strong", "c", arr);
			append(w, f->arr, n);
			if (!w->failed)
				push(w, FR_INLINES, arr, 0, f->block_depth, f->inline_depth + 1);
			return;
		}
		break;
	/* Leaves: no exit event follows. */
	case CMARK_NODE_TEXT:
	case CMARK_NODE_HTML_INLINE:
		add_text(w, cmark_node_get_literal(node));
		return;
	case CMARK_NODE_SOFTBREAK:
		settle_soft(w, NULL);
		w->soft = 1;
		return;
	case CMARK_NODE_LINEBREAK:
		if (f->kind == FR_INLINES)
			append(w, f->arr, json_pack("{s:s}", "t", "br"));
		return;
	case CMARK_NODE_CODE:
		if (f->kind == FR_INLINES) {
			const char *s = cmark_node_get_literal(node);
			s = s ? s : "";
			append(w, f->arr, json_pack("{s:s,s:o}", "t", "code", "text", str(w, s, strlen(s))));
		}
		return;
	case CMARK_NODE_CODE_BLOCK:
	case CMARK_NODE_HTML_BLOCK:
		if (f->kind == FR_BLOCKS) {
			const char *s = cmark_node_get_literal(node);
			size_t n = s ? strlen(s) : 0;
			while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
				n--;
			if (type == CMARK_NODE_CODE_BLOCK) {
				json_t *b = new_block(w, "pre");
				if (b)
					json_object_set_new(b, "text", str(w, n ? s : "", n));
			} else if (n > 0) {
				json_t *b = new_block(w, f->tight ? "tp" : "p");
				if (b)
					json_object_set_new(b, "c",
							    json_pack("[{s:s,s:o}]", "t", "text", "text",
								      str(w, s, n)));
				count(w);
			}
		}
		return;
	case CMARK_NODE_THEMATIC_BREAK:
		if (f->kind == FR_BLOCKS)
			new_block(w, "hr");
		return;
	default: /* the document, images, custom nodes: their content joins this frame */
		break;
	}
	if (type == CMARK_NODE_DOCUMENT)
		return;
	f->skipped++;
}

static void leave(struct walk *w, cmark_node *node)
{
	if (cmark_node_get_type(node) == CMARK_NODE_DOCUMENT)
		return;
	if (cmark_node_get_type(node) != CMARK_NODE_IMAGE)
		flush_text(w);
	struct frame *f = top(w);
	if (f->skipped > 0)
		f->skipped--;
	else if (w->top > 0)
		w->top--;
}

/* The highest heading level used (1-6), so that it becomes h2; 1 when there is none. */
static int heading_shift(cmark_node *doc)
{
	int min = 7;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_HEADING &&
		    cmark_node_get_heading_level(n) < min)
			min = cmark_node_get_heading_level(n);
	}
	cmark_iter_free(it);
	return 2 - (min == 7 ? 1 : min);
}

json_t *markdown_tree(const char *text, size_t len)
{
	if (len > MARKDOWN_MAX_BYTES || (!text && len > 0))
		return NULL;
	char *clean = NULL;
	if (len > 0 && !utf8_valid(text, len)) {
		clean = xmalloc(len + 1);
		memcpy(clean, text, len);
		clean[len] = '\0';
		for (size_t i = 0; i < len; i++)
			clean[i] = clean[i] ? clean[i] : '?';
		utf8_scrub(clean);
		text = clean;
	}
	cmark_node *doc = cmark_parse_document(text ? text : "", len, CMARK_OPT_DEFAULT);
	free(clean);
	if (!doc)
		return NULL;
	json_t *blocks = json_array();
	json_t *root = json_pack("{s:o}", "blocks", blocks);
	struct walk w = {.top = 0, .heading_shift = heading_shift(doc)};
	w.st[0] = (struct frame){FR_BLOCKS, blocks, 0, 0, 0, 0};
	buf_init(&w.text, MARKDOWN_MAX_BYTES * 4);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while (!w.failed && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev == CMARK_EVENT_ENTER)
			enter(&w, cmark_iter_get_node(it));
		else if (ev == CMARK_EVENT_EXIT)
			leave(&w, cmark_iter_get_node(it));
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	buf_free(&w.text);
	if (w.failed) {
		json_decref(root);
		return NULL;
	}
	return root;
}
