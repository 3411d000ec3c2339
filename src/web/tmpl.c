/* tmpl.c - template engine: compiles once with HTML-context checks (tmpl_context.c), renders
 * from jansson values. */
#include "web/tmpl.h"

#include "lib/err.h"
#include "lib/mem.h"
#include "lib/money.h"
#include "web/tmpl_context.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	INCLUDE_MAX = 16, /* nested {{> }} at render */
	CHAIN_MAX = 16,   /* layouts above a page */
	NEST_MAX = 32,    /* nested sections in one template */
	DEPTH_MAX = 256,  /* nested node lists in one render, all templates together */
	SEG_MAX = 32,     /* segments of a path */
};
#define STEPS_MAX (1L << 23) /* node visits in one render */

/* ---- the compiled set ---- */

enum op { OP_TEXT, OP_OUT, OP_IF, OP_UNLESS, OP_IFEQ, OP_EACH, OP_WITH, OP_INCLUDE, OP_BLOCK };
enum pkind { PK_NONE, PK_NAMES, PK_DOT, PK_INDEX, PK_NUMBER, PK_FIRST, PK_LAST, PK_LIT };
enum filter { F_NONE, F_YUAN, F_LEN, F_COUNT };
enum kw { KW_NONE, KW_IF, KW_UNLESS, KW_IFEQ, KW_EACH, KW_WITH, KW_BLOCK };

static const char *const kw_names[] = {"", "if", "unless", "ifeq", "each", "with", "block"};

struct seg {
	const char *s; /* in the template's source copy */
	size_t n;
	long long idx; /* array index, or -1 when not all digits */
};

struct path {
	uint8_t kind;   /* enum pkind */
	uint8_t nseg;   /* PK_NAMES */
	uint32_t first; /* PK_NAMES: first segment; PK_LIT: offset in the pool */
	size_t len;     /* PK_LIT */
};

struct node {
	uint8_t op;
	uint8_t filter;    /* OP_OUT */
	uint8_t url;       /* OP_OUT: URL-check the value; OP_TEXT: feed the URL checker */
	uint8_t url_reset; /* OP_TEXT: a URL attribute value starts at url_off */
	int32_t next, body, alt;
	int32_t target; /* OP_INCLUDE: template; OP_BLOCK: block name */
	size_t url_off;
	const char *text; /* OP_TEXT */
	size_t len;
	struct path a, b;
};

/* A {{#block}} of a template: the place where it stands and what its body is. */
struct site {
	int32_t name;
	int32_t node;
	struct tmpl_context st;
};

struct tmpl {
	char *name;
	char *src;
	size_t len;
	int32_t root;   /* first top-level node, -1 when none */
	int32_t layout; /* the template this one extends, -1 */
	size_t ext_pos; /* where its {{extends}} tag is */
	size_t site0, nsites;
	int state; /* while compiling: 0 new, 1 busy, 2 done */
	int nup;   /* layouts above it */
};

struct tmpl_set {
	struct tmpl *t;
	size_t nt;
	int32_t *order; /* template indices sorted by name */
	struct node *nodes;
	size_t nnodes, capnodes;
	struct seg *segs;
	size_t nsegs, capsegs;
	struct site *sites;
	size_t nsites, capsites;
	char **bnames; /* block names */
	size_t nbnames, capbnames;
	struct buf pool; /* decoded string literals */
};

/* Returns arr with room for element n, growing *cap. */
static void *grow(void *arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 16;
	return xrealloc(arr, *cap * size);
}

static int cmp_name(const char *s, size_t n, const char *z)
{
	size_t zn = strlen(z);
	int c = memcmp(s, z, n < zn ? n : zn);
	if (c)
		return c;
	return n < zn ? -1 : n > zn;
}

/* The index of the template named s (n bytes), or -1. */
static int32_t find_tmpl(const struct tmpl_set *set, const char *s, size_t n)
{
	size_t lo = 0, hi = set->nt;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_name(s, n, set->t[set->order[mid]].name);
		if (c == 0)
			return set->order[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* The 1-based line of byte pos. */
static int line_of(const char *src, size_t pos)
{
	int line = 1;
	for (size_t i = 0; i < pos; i++)
		line += src[i] == '\n';
	return line;
}

__attribute__((format(printf, 6, 7))) static int
terr(char *err, size_t errlen, const struct tmpl *t, size_t pos, int code, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(err, errlen, code, "template %s line %d: %s", t->name,
		       line_of(t->src, pos < t->len ? pos : t->len), msg);
}

/* ---- parsing ---- */

struct parser {
	struct tmpl_set *set;
	int32_t ti;
	const char *src;
	size_t len, pos;
	char *err;
	size_t errlen;
	int depth;   /* nested sections */
	int ignore;  /* > 0: in content of an extending template that is never rendered */
	int ext_top; /* at the top level of an extending template */
	struct tmpl_context st;
};

enum tkind { T_COMMENT, T_OUT, T_OPEN, T_CLOSE, T_ELSE, T_INCLUDE, T_EXTENDS };

struct tag {
	int kind;
	int kw;
	size_t pos;    /* of "{{" */
	const char *c; /* the arguments, trimmed */
	size_t n;
};

enum stopkind { STOP_EOF, STOP_ELSE, STOP_CLOSE };

struct stop {
	int kind;
	int kw;
	size_t pos;
};

enum { TK_END, TK_WORD, TK_STR, TK_PIPE };

struct tok {
	int kind;
	const char *s;
	size_t n;
};

struct targs {
	const char *s, *e;
};

#define SHOW(t) (int)((t)->n < 40 ? (t)->n : 40), (t)->s

__attribute__((format(printf, 3, 4))) static int perr(struct parser *p, size_t pos, const char *fmt,
						      ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return terr(p->err, p->errlen, &p->set->t[p->ti], pos, VE_INVALID, "%s", msg);
}

static struct node *node_at(const struct parser *p, int32_t i)
{
	return &p->set->nodes[i];
}

static int32_t push_node(struct parser *p, const struct node *nd)
{
	struct tmpl_set *set = p->set;
	set->nodes = grow(set->nodes, &set->capnodes, set->nnodes, sizeof(*set->nodes));
	set->nodes[set->nnodes] = *nd;
	set->nodes[set->nnodes].next = -1;
	return (int32_t)set->nnodes++;
}

/* Reads the next argument of a tag: a word, a quoted literal or "|". */
static void next_tok(struct targs *a, struct tok *t)
{
	while (a->s < a->e && is_ws((unsigned char)*a->s))
		a->s++;
	t->s = a->s;
	if (a->s == a->e) {
		t->kind = TK_END, t->n = 0;
		return;
	}
	if (*a->s == '|') {
		t->kind = TK_PIPE, t->n = 1, a->s++;
		return;
	}
	if (*a->s == '"') {
		for (a->s++; a->s < a->e && *a->s != '"'; a->s++)
			if (*a->s == '\\' && a->s + 1 < a->e)
				a->s++;
		if (a->s < a->e)
			a->s++;
		t->kind = TK_STR, t->n = (size_t)(a->s - t->s);
		return;
	}
	while (a->s < a->e && !is_ws((unsigned char)*a->s) && *a->s != '"' && *a->s != '|')
		a->s++;
	t->kind = TK_WORD, t->n = (size_t)(a->s - t->s);
}

/* Decodes the double-quoted literal tok (with \" and \\ escapes) onto b.
 * Returns 0, or -1 when it is malformed. */
static int decode_literal(const struct tok *t, struct buf *b)
{
	if (t->kind != TK_STR || t->n < 2 || t->s[t->n - 1] != '"')
		return -1;
	for (size_t i = 1; i + 1 < t->n; i++) {
		char c = t->s[i];
		if (c == '\\') {
			c = t->s[++i];
			if (i + 1 >= t->n || (c != '"' && c != '\\'))
				return -1;
		}
		buf_putc(b, c);
	}
	return 0;
}

static int is_name_char(int c)
{
	return is_alpha(c) || is_digit(c) || c == '_' || c == '-' || c >= 0x80;
}

/* Parses one segment of a dotted path. Returns -1 when it is malformed. */
static int parse_seg(struct parser *p, const char *s, size_t n, struct seg *g)
{
	int digits = n > 0;
	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!is_name_char((unsigned char)s[i]))
			return -1;
		digits &= is_digit((unsigned char)s[i]);
	}
	g->s = s, g->n = n, g->idx = -1;
	if (digits) {
		g->idx = 0;
		for (size_t i = 0; i < n && g->idx < 1000000000000LL; i++)
			g->idx = g->idx * 10 + (s[i] - '0');
	}
	return 0;
}

/* Parses a dotted path into segments. Returns -1 when it is malformed. */
static int parse_names(struct parser *p, const struct tok *t, struct path *pa)
{
	struct tmpl_set *set = p->set;
	const char *s = t->s, *e = t->s + t->n;
	pa->kind = PK_NAMES, pa->first = (uint32_t)set->nsegs, pa->nseg = 0;
	for (;;) {
		const char *dot = memchr(s, '.', (size_t)(e - s));
		const char *end = dot ? dot : e;
		struct seg g;
		if (pa->nseg >= SEG_MAX || parse_seg(p, s, (size_t)(end - s), &g) < 0)
			return -1;
		set->segs = grow(set->segs, &set->capsegs, set->nsegs, sizeof(*set->segs));
		set->segs[set->nsegs++] = g;
		pa->nseg++;
		if (!dot)
			return 0;
		s = dot + 1;
	}
}

/* Parses a path (or, when lit, also a quoted literal) from t into pa. */
static int parse_path(struct parser *p, size_t pos, const struct tok *t, struct path *pa, int lit)
{
	static const struct {
		const char *w;
		int kind;
	} special[] = {
		{".", PK_DOT},        {"@index", PK_INDEX}, {"@number", PK_NUMBER},
		{"@first", PK_FIRST}, {"@last", PK_LAST},
	};
	memset(pa, 0, sizeof(*pa));
	if (lit && t->kind == TK_STR) {
		struct buf *pool = &p->set->pool;
		pa->kind = PK_LIT, pa->first = (uint32_t)pool->len;
		if (pool->len > UINT32_MAX / 2 || decode_literal(t, pool) < 0)
			return perr(p, pos, "bad string literal %.*s", SHOW(t));
		pa->len = pool->len - pa->first;
		return 0;
	}
	if (t->kind != TK_WORD)
		return perr(p, pos, "expected a path, found '%.*s'", SHOW(t));
	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		if (cmp_name(t->s, t->n, special[i].w) == 0)
			return pa->kind = (uint8_t)special[i].kind, 0;
	if (parse_names(p, t, pa) < 0)
		return perr(p, pos, "bad path '%.*s'", SHOW(t));
	return 0;
}

/* Checks that the tag has no arguments left. */
static int expect_end(struct parser *p, const struct tag *tg, struct targs *a)
{
	struct tok t;
	next_tok(a, &t);
	if (t.kind != TK_END)
		return perr(p, tg->pos, "unexpected '%.*s' in tag", SHOW(&t));
	return 0;
}

/* Position of the "}}" ending the tag whose content starts at i, skipping
 * quoted literals; len when there is none. */
static size_t tag_close(const char *s, size_t i, size_t len, int quotes)
{
	for (; i + 1 < len; i++) {
		if (quotes && s[i] == '"') {
			for (i++; i < len && s[i] != '"'; i++)
				i += s[i] == '\\';
			if (i >= len)
				return len;
		} else if (s[i] == '}' && s[i + 1] == '}') {
			return i;
		}
	}
	return len;
}

static int word_is(const char *s, size_t n, const char *w)
{
	size_t wn = strlen(w);
	return n >= wn && memcmp(s, w, wn) == 0 && (n == wn || !is_alpha((unsigned char)s[wn]));
}

/* The section keyword at *s, moving *s past it; KW_NONE when none. */
static int lookup_kw(const char **s, const char *e)
{
	for (int k = KW_IF; k <= KW_BLOCK; k++) {
		size_t n = strlen(kw_names[k]);
		if ((size_t)(e - *s) >= n && memcmp(*s, kw_names[k], n) == 0 &&
		    (*s + n == e || !is_alpha((unsigned char)(*s)[n]))) {
			*s += n;
			return k;
		}
	}
	return KW_NONE;
}

/* Sorts the trimmed tag content s..e into tg: kind, keyword, arguments. */
static int classify_tag(struct parser *p, struct tag *tg, const char *s, const char *e)
{
	char sigil = *s;
	if (sigil == '#' || sigil == '/') {
		for (s++; s < e && is_ws((unsigned char)*s); s++)
			;
		tg->kind = sigil == '#' ? T_OPEN : T_CLOSE;
		tg->kw = lookup_kw(&s, e);
		if (tg->kw == KW_NONE)
			return perr(p, tg->pos, "unknown tag {{%c%.*s}}", sigil,
				    (int)(e - s < 40 ? e - s : 40), s);
	} else if (sigil == '>') {
		tg->kind = T_INCLUDE, s++;
	} else if (e - s == 4 && memcmp(s, "else", 4) == 0) {
		tg->kind = T_ELSE, s += 4;
	} else if (word_is(s, (size_t)(e - s), "extends") &&
		   (e - s == 7 || is_ws((unsigned char)s[7]) || s[7] == '"')) {
		tg->kind = T_EXTENDS, s += 7;
	} else {
		tg->kind = T_OUT;
	}
	while (s < e && is_ws((unsigned char)*s))
		s++;
	tg->c = s, tg->n = (size_t)(e - s);
	return 0;
}

/* Reads the tag at p->pos (which starts with "{{") into tg and moves past it. */
static int read_tag(struct parser *p, struct tag *tg)
{
	const char *s = p->src;
	size_t i = p->pos + 2, j = i, k;
	memset(tg, 0, sizeof(*tg));
	tg->pos = p->pos;
	while (j < p->len && is_ws((unsigned char)s[j]))
		j++;
	if (j < p->len && s[j] == '!') {
		k = tag_close(s, j, p->len, 0);
		if (k >= p->len)
			return perr(p, tg->pos, "unterminated comment");
		p->pos = k + 2;
		tg->kind = T_COMMENT;
		return 0;
	}
	k = tag_close(s, i, p->len, 1);
	if (k >= p->len)
		return perr(p, tg->pos, "unterminated {{");
	p->pos = k + 2;
	while (k > j && is_ws((unsigned char)s[k - 1]))
		k--;
	if (k == j)
		return perr(p, tg->pos, "empty tag");
	return classify_tag(p, tg, s + j, s + k);
}

static int parse_list(struct parser *p, int32_t *head, struct stop *stop);

/* Runs the HTML lexer over a text node; marks it when it leaves a URL attribute value open. */
static int lex_text(struct parser *p, size_t start, struct node *nd)
{
	size_t vstart = SIZE_MAX;
	for (size_t i = 0; i < nd->len; i++) {
		int was = tmpl_context_in_value(&p->st);
		const char *msg = tmpl_context_step(&p->st, (unsigned char)nd->text[i]);
		if (msg)
			return perr(p, start + i, "%s", msg);
		if (!was && tmpl_context_in_value(&p->st))
			vstart = i + 1;
	}
	if (tmpl_context_in_url(&p->st)) {
		nd->url = 1;
		nd->url_reset = vstart != SIZE_MAX;
		nd->url_off = vstart != SIZE_MAX ? vstart : 0;
	}
	return 0;
}

/* Adds literal text as a node (*out, -1 when the text is ignored). */
static int add_text(struct parser *p, size_t start, size_t n, int32_t *out)
{
	struct node nd = {.op = OP_TEXT, .text = p->src + start, .len = n};
	*out = -1;
	if (p->ext_top)
		return 0;
	if (!p->ignore && lex_text(p, start, &nd))
		return VE_INVALID;
	*out = push_node(p, &nd);
	return 0;
}

/* {{path}} or {{path | filter}}, allowed only where the lexer stands in a safe context. */
static int parse_output(struct parser *p, const struct tag *tg, int32_t *out)
{
	struct node nd = {.op = OP_OUT};
	struct targs a = {tg->c, tg->c + tg->n};
	struct tok t;
	int url = 0;
	next_tok(&a, &t);
	if (parse_path(p, tg->pos, &t, &nd.a, 0))
		return VE_INVALID;
	next_tok(&a, &t);
	if (t.kind == TK_PIPE) {
		next_tok(&a, &t);
		if (cmp_name(t.s, t.n, "yuan") == 0 && t.kind == TK_WORD)
			nd.filter = F_YUAN;
		else if (cmp_name(t.s, t.n, "len") == 0 && t.kind == TK_WORD)
			nd.filter = F_LEN;
		else if (cmp_name(t.s, t.n, "count") == 0 && t.kind == TK_WORD)
			nd.filter = F_COUNT;
		else
			return perr(p, tg->pos, "unknown filter '%.*s'", SHOW(&t));
		next_tok(&a, &t);
	}
	if (t.kind != TK_END)
		return perr(p, tg->pos, "unexpected '%.*s' in output tag", SHOW(&t));
	if (!p->ignore) {
		const char *msg = tmpl_context_output(&p->st, &url);
		if (msg)
			return perr(p, tg->pos, "%s", msg);
	}
	nd.url = (uint8_t)url;
	*out = push_node(p, &nd);
	return 0;
}

/* {{> name}}: the template must exist, and the include stand in HTML text. */
static int parse_include(struct parser *p, const struct tag *tg, int32_t *out)
{
	struct node nd = {.op = OP_INCLUDE};
	struct targs a = {tg->c, tg->c + tg->n};
	struct tok t;
	next_tok(&a, &t);
	if (t.kind != TK_WORD)
		return perr(p, tg->pos, "{{> }} needs a template name");
	nd.target = find_tmpl(p->set, t.s, t.n);
	if (nd.target < 0)
		return perr(p, tg->pos, "unknown template '%.*s'", SHOW(&t));
	if (expect_end(p, tg, &a))
		return VE_INVALID;
	if (!p->ignore && !tmpl_context_in_text(&p->st))
		return perr(p, tg->pos, "{{> %.*s}} inside %s: includes belong in HTML text",
			    SHOW(&t), tmpl_context_where(&p->st));
	*out = push_node(p, &nd);
	return 0;
}

/* The arguments of {{#if}}, {{#unless}}, {{#each}}, {{#with}} and {{#ifeq}}. */
static int section_args(struct parser *p, const struct tag *tg, struct node *nd)
{
	static const uint8_t ops[] = {0, OP_IF, OP_UNLESS, OP_IFEQ, OP_EACH, OP_WITH};
	struct targs a = {tg->c, tg->c + tg->n};
	struct tok t;
	nd->op = ops[tg->kw];
	next_tok(&a, &t);
	if (parse_path(p, tg->pos, &t, &nd->a, tg->kw == KW_IFEQ))
		return VE_INVALID;
	if (tg->kw == KW_IFEQ) {
		next_tok(&a, &t);
		if (parse_path(p, tg->pos, &t, &nd->b, 1))
			return VE_INVALID;
	}
	return expect_end(p, tg, &a);
}

/* Checks how a section's body ended and that a closing tag for kw ended it. */
static int check_close(struct parser *p, const struct tag *tg, const struct stop *stop)
{
	if (stop->kind == STOP_EOF)
		return perr(p, tg->pos, "{{#%s}} is never closed", kw_names[tg->kw]);
	if (stop->kind == STOP_ELSE)
		return perr(p, stop->pos, "{{else}} is not allowed here");
	if (stop->kw != tg->kw)
		return perr(p, stop->pos, "{{/%s}} does not close {{#%s}} of line %d",
			    kw_names[stop->kw], kw_names[tg->kw], line_of(p->src, tg->pos));
	return 0;
}

/* Sets the lexer state after a section from the states where its branches end. */
static int join(struct parser *p, const struct tag *tg, const struct tmpl_context *s0,
		const struct tmpl_context *s1, const struct tmpl_context *s2)
{
	struct tmpl_context m = *s1, loop = tmpl_context_widen(s0);
	if (tg->kw == KW_EACH && !tmpl_context_covers(&loop, s1))
		return perr(p, tg->pos,
			    "the body of {{#each}} must end in the context it starts in (%s)",
			    tmpl_context_where(s0));
	if (tmpl_context_merge(&m, s2 ? s2 : s0) < 0)
		return perr(p, tg->pos,
			    "the branches of {{#%s}} end in different HTML contexts (%s, %s)",
			    kw_names[tg->kw], tmpl_context_where(s1),
			    tmpl_context_where(s2 ? s2 : s0));
	p->st = m;
	return 0;
}

/* Parses the body of a section, one level deeper. */
static int parse_body(struct parser *p, int32_t *head, struct stop *stop)
{
	int ext = p->ext_top, rc;
	if (p->depth >= NEST_MAX)
		return perr(p, p->pos, "sections nested deeper than %d", NEST_MAX);
	p->ext_top = 0;
	p->depth++;
	rc = parse_list(p, head, stop);
	p->depth--;
	p->ext_top = ext;
	return rc;
}

/* {{#if}}, {{#unless}}, {{#ifeq}}, {{#each}} or {{#with}} up to its closing tag. */
static int parse_section(struct parser *p, const struct tag *tg, int32_t *out)
{
	struct node nd = {.body = -1, .alt = -1};
	struct tmpl_context s0 = p->st, s1, s2;
	struct stop stop;
	int32_t idx, body, alt = -1;
	int has_else = 0;
	if (section_args(p, tg, &nd))
		return VE_INVALID;
	idx = push_node(p, &nd);
	if (tg->kw == KW_EACH)
		p->st = tmpl_context_widen(&s0);
	if (parse_body(p, &body, &stop))
		return VE_INVALID;
	s1 = p->st;
	if (stop.kind == STOP_ELSE && tg->kw != KW_WITH) {
		has_else = 1;
		p->st = s0;
		if (parse_body(p, &alt, &stop))
			return VE_INVALID;
		s2 = p->st;
	}
	if (check_close(p, tg, &stop))
		return VE_INVALID;
	node_at(p, idx)->body = body;
	node_at(p, idx)->alt = alt;
	if (!p->ignore && join(p, tg, &s0, &s1, has_else ? &s2 : NULL))
		return VE_INVALID;
	*out = idx;
	return 0;
}

static int32_t intern_block(struct tmpl_set *set, const char *s, size_t n)
{
	for (size_t i = 0; i < set->nbnames; i++)
		if (cmp_name(s, n, set->bnames[i]) == 0)
			return (int32_t)i;
	set->bnames = grow(set->bnames, &set->capbnames, set->nbnames, sizeof(*set->bnames));
	set->bnames[set->nbnames] = xstrndup(s, n);
	return (int32_t)set->nbnames++;
}

/* The site of block name among the sites of template ti, or NULL. */
static const struct site *own_site(const struct tmpl_set *set, int32_t ti, int32_t name)
{
	const struct tmpl *t = &set->t[ti];
	size_t end = t->state == 2 ? t->site0 + t->nsites : set->nsites;
	for (size_t i = t->site0; i < end; i++)
		if (set->sites[i].name == name)
			return &set->sites[i];
	return NULL;
}

/* The site of block name in the layouts above template ti, or NULL. */
static const struct site *layout_site(const struct tmpl_set *set, int32_t ti, int32_t name)
{
	for (int32_t l = set->t[ti].layout; l >= 0; l = set->t[l].layout) {
		const struct site *s = own_site(set, l, name);
		if (s)
			return s;
	}
	return NULL;
}

/* Decides the lexer state a block starts in: its layout's for a page's block. */
static int block_state(struct parser *p, const struct tag *tg, const struct tok *t, int32_t name,
		       struct tmpl_context *st)
{
	const struct site *up = layout_site(p->set, p->ti, name);
	if (p->ignore)
		return perr(p, tg->pos,
			    "{{#block}} inside a section of a template that extends another");
	if (own_site(p->set, p->ti, name))
		return perr(p, tg->pos, "block '%.*s' defined twice", SHOW(t));
	if (p->ext_top && !up)
		return perr(p, tg->pos, "block '%.*s' is not in layout '%s'", SHOW(t),
			    p->set->t[p->set->t[p->ti].layout].name);
	*st = p->ext_top ? up->st : p->st;
	if (up && !tmpl_context_equal(&up->st, st))
		return perr(p, tg->pos, "block '%.*s' stands in %s here but in %s in the layout",
			    SHOW(t), tmpl_context_where(st), tmpl_context_where(&up->st));
	return 0;
}

/* {{#block name}} up to {{/block}}: records it as a site of its template. */
static int parse_block(struct parser *p, const struct tag *tg, int32_t *out)
{
	struct tmpl_set *set = p->set;
	struct targs a = {tg->c, tg->c + tg->n};
	struct node nd = {.op = OP_BLOCK, .alt = -1};
	struct tmpl_context st;
	struct stop stop;
	struct tok t;
	int32_t idx, body;
	next_tok(&a, &t);
	for (size_t i = 0; i < t.n; i++)
		if (!is_name_char((unsigned char)t.s[i]))
			t.kind = TK_END;
	if (t.kind != TK_WORD || expect_end(p, tg, &a))
		return perr(p, tg->pos, "{{#block}} needs a name of letters, digits, '_' and '-'");
	nd.target = intern_block(set, t.s, t.n);
	if (block_state(p, tg, &t, nd.target, &st))
		return VE_INVALID;
	idx = push_node(p, &nd);
	set->sites = grow(set->sites, &set->capsites, set->nsites, sizeof(*set->sites));
	set->sites[set->nsites++] = (struct site){.name = nd.target, .node = idx, .st = st};
	p->st = st;
	if (parse_body(p, &body, &stop) || check_close(p, tg, &stop))
		return VE_INVALID;
	st = tmpl_context_widen(&st);
	if (!tmpl_context_covers(&st, &p->st))
		return perr(p, tg->pos, "block '%.*s' starts in %s but ends in %s", SHOW(&t),
			    tmpl_context_where(&st), tmpl_context_where(&p->st));
	p->st = st;
	node_at(p, idx)->body = body;
	*out = idx;
	return 0;
}

/* Parses the tag tg (not a comment, else, closing or extends tag) into *out. */
static int parse_tag(struct parser *p, const struct tag *tg, int32_t *out)
{
	int rc;
	*out = -1;
	if (tg->kind == T_OPEN && tg->kw == KW_BLOCK)
		return parse_block(p, tg, out);
	p->ignore += p->ext_top;
	if (tg->kind == T_OPEN)
		rc = parse_section(p, tg, out);
	else if (tg->kind == T_INCLUDE)
		rc = parse_include(p, tg, out);
	else
		rc = parse_output(p, tg, out);
	p->ignore -= p->ext_top;
	return rc;
}

/* Where the next "{{" at or after from is, or len. */
static size_t next_open(const char *s, size_t from, size_t len)
{
	while (from + 1 < len) {
		const char *b = memchr(s + from, '{', len - from - 1);
		if (!b)
			break;
		from = (size_t)(b - s);
		if (s[from + 1] == '{')
			return from;
		from++;
	}
	return len;
}

/* Appends node idx to a list, unless there is none or it is not rendered. */
static void list_add(struct parser *p, int32_t *head, int32_t *tail, int32_t idx)
{
	if (idx < 0 || p->ext_top)
		return;
	if (*tail < 0)
		*head = idx;
	else
		node_at(p, *tail)->next = idx;
	*tail = idx;
}

/* Handles a tag that ends the list being parsed; returns -1 when tg is not one. */
static int list_stop(struct parser *p, const struct tag *tg, struct stop *stop)
{
	if (tg->kind != T_ELSE && tg->kind != T_CLOSE)
		return -1;
	*stop = (struct stop){tg->kind == T_ELSE ? STOP_ELSE : STOP_CLOSE, tg->kw, tg->pos};
	if (tg->kind == T_CLOSE && tg->n)
		return perr(p, tg->pos, "unexpected '%.*s' in closing tag",
			    (int)(tg->n < 40 ? tg->n : 40), tg->c);
	return 0;
}

/* Parses nodes up to the end, an {{else}} or a closing tag (told in *stop),
 * linking them from *head (-1 when none). */
static int parse_list(struct parser *p, int32_t *head, struct stop *stop)
{
	int32_t tail = -1, idx;
	*head = -1;
	for (;;) {
		size_t open = next_open(p->src, p->pos, p->len);
		struct tag tg;
		int rc;
		if (open > p->pos) {
			if (add_text(p, p->pos, open - p->pos, &idx))
				return VE_INVALID;
			list_add(p, head, &tail, idx);
			p->pos = open;
		}
		if (open >= p->len) {
			*stop = (struct stop){STOP_EOF, 0, open};
			return 0;
		}
		if (read_tag(p, &tg))
			return VE_INVALID;
		rc = list_stop(p, &tg, stop);
		if (rc != -1)
			return rc;
		if (tg.kind == T_EXTENDS && tg.pos != p->set->t[p->ti].ext_pos)
			return perr(p, tg.pos, "{{extends}} must be the first tag");
		if (tg.kind == T_COMMENT || tg.kind == T_EXTENDS)
			continue;
		if (parse_tag(p, &tg, &idx))
			return VE_INVALID;
		list_add(p, head, &tail, idx);
	}
}

/* ---- compiling a set ---- */

static int parse_extends(struct parser *p, const struct tag *tg)
{
	struct tmpl *t = &p->set->t[p->ti];
	struct targs a = {tg->c, tg->c + tg->n};
	struct tok tk;
	struct buf b;
	int rc = 0;
	buf_init(&b, 4096);
	next_tok(&a, &tk);
	if (decode_literal(&tk, &b) < 0) {
		rc = perr(p, tg->pos, "{{extends}} needs a quoted layout name");
		goto out;
	}
	if (expect_end(p, tg, &a)) {
		rc = VE_INVALID;
		goto out;
	}
	t->layout = find_tmpl(p->set, buf_cstr(&b), b.len);
	t->ext_pos = tg->pos;
	if (t->layout < 0)
		rc = perr(p, tg->pos, "unknown layout '%.40s'", buf_cstr(&b));
out:
	buf_free(&b);
	return rc;
}

/* Finds the {{extends}} tag a template may start with (after blanks and comments). */
static int find_layout(struct tmpl_set *set, int32_t ti, char *err, size_t errlen)
{
	struct tmpl *t = &set->t[ti];
	struct parser p = {
		.set = set, .ti = ti, .src = t->src, .len = t->len, .err = err, .errlen = errlen};
	struct tag tg;
	if (p.len >= 3 && memcmp(p.src, "\xEF\xBB\xBF", 3) == 0)
		p.pos = 3;
	for (;;) {
		while (p.pos < p.len && is_ws((unsigned char)p.src[p.pos]))
			p.pos++;
		if (p.pos + 1 >= p.len || p.src[p.pos] != '{' || p.src[p.pos + 1] != '{')
			return 0;
		if (read_tag(&p, &tg))
			return VE_INVALID;
		if (tg.kind == T_EXTENDS)
			return parse_extends(&p, &tg);
		if (tg.kind != T_COMMENT)
			return 0;
	}
}

/* Compiles template ti, whose layouts are compiled already. */
static int parse_tmpl(struct tmpl_set *set, int32_t ti, char *err, size_t errlen)
{
	struct tmpl *t = &set->t[ti];
	struct parser p = {
		.set = set, .ti = ti, .src = t->src, .len = t->len, .err = err, .errlen = errlen};
	struct stop stop;
	int32_t root;
	tmpl_context_start(&p.st);
	p.ext_top = t->layout >= 0;
	t->site0 = set->nsites;
	if (parse_list(&p, &root, &stop))
		return VE_INVALID;
	t->nsites = set->nsites - t->site0;
	if (stop.kind == STOP_ELSE)
		return perr(&p, stop.pos, "{{else}} outside a section");
	if (stop.kind == STOP_CLOSE)
		return perr(&p, stop.pos, "{{/%s}} without {{#%s}}", kw_names[stop.kw],
			    kw_names[stop.kw]);
	if (!p.ext_top && !tmpl_context_in_text(&p.st))
		return perr(&p, p.len, "template ends inside %s", tmpl_context_where(&p.st));
	t->root = p.ext_top ? -1 : root;
	return 0;
}

static int too_deep(char *err, size_t errlen, const struct tmpl *t)
{
	return terr(err, errlen, t, t->ext_pos, VE_INVALID, "more than %d layouts above a page",
		    CHAIN_MAX);
}

/* Compiles template ti after the layouts it extends; depth counts the
 * templates below ti in the chain being compiled. */
static int compile_tmpl(struct tmpl_set *set, int32_t ti, int depth, char *err, size_t errlen)
{
	struct tmpl *t = &set->t[ti];
	int rc;
	if (t->state == 2)
		return 0;
	if (t->state == 1)
		return terr(err, errlen, t, t->ext_pos, VE_INVALID,
			    "layouts extend each other in a cycle");
	if (t->layout >= 0 && depth >= CHAIN_MAX)
		return too_deep(err, errlen, t);
	t->state = 1;
	if (t->layout >= 0) {
		rc = compile_tmpl(set, t->layout, depth + 1, err, errlen);
		if (rc)
			return rc;
		t->nup = set->t[t->layout].nup + 1;
		if (t->nup > CHAIN_MAX)
			return too_deep(err, errlen, t);
	}
	rc = parse_tmpl(set, ti, err, errlen);
	t->state = 2;
	return rc;
}

struct byname {
	const char *name;
	int32_t i;
};

static int cmp_byname(const void *a, const void *b)
{
	return strcmp(((const struct byname *)a)->name, ((const struct byname *)b)->name);
}

/* Sorts the templates by name for lookups; names must be unique. */
static int sort_names(struct tmpl_set *set, char *err, size_t errlen)
{
	struct byname *v = xcalloc(set->nt, sizeof(*v));
	int rc = 0;
	for (size_t i = 0; i < set->nt; i++)
		v[i] = (struct byname){set->t[i].name, (int32_t)i};
	qsort(v, set->nt, sizeof(*v), cmp_byname);
	for (size_t i = 0; i < set->nt; i++) {
		set->order[i] = v[i].i;
		if (i > 0 && strcmp(v[i - 1].name, v[i].name) == 0) {
			rc = err_set(err, errlen, VE_INVALID, "template %s line 1: name used twice",
				     v[i].name);
			goto out;
		}
	}
out:
	free(v);
	return rc;
}

/* Copies the sources into the set. */
static int load(struct tmpl_set *set, const struct tmpl_source *src, size_t n, char *err,
		size_t errlen)
{
	if (n > INT32_MAX || (n && !src))
		return err_set(err, errlen, VE_INVALID, "templates: bad source list");
	set->t = xcalloc(n, sizeof(*set->t));
	set->order = xcalloc(n, sizeof(*set->order));
	for (size_t i = 0; i < n; i++) {
		struct tmpl *t = &set->t[i];
		if (!src[i].name || (!src[i].text && src[i].len))
			return err_set(err, errlen, VE_INVALID,
				       "template #%zu line 1: no name or text", i);
		t->name = xstrdup(src[i].name);
		t->src = xmalloc(src[i].len + 1);
		if (src[i].len)
			memcpy(t->src, src[i].text, src[i].len);
		t->src[src[i].len] = '\0';
		t->len = src[i].len;
		t->root = t->layout = -1;
		t->ext_pos = SIZE_MAX;
		set->nt++;
	}
	return sort_names(set, err, errlen);
}

int tmpl_set_create(struct tmpl_set **out, const struct tmpl_source *src, size_t n, char *err,
		    size_t errlen)
{
	struct tmpl_set *set = xcalloc(1, sizeof(*set));
	int rc;
	*out = NULL;
	buf_init(&set->pool, SIZE_MAX);
	buf_putc(&set->pool, '\0');
	rc = load(set, src, n, err, errlen);
	for (size_t i = 0; !rc && i < set->nt; i++)
		rc = find_layout(set, (int32_t)i, err, errlen);
	for (size_t i = 0; !rc && i < set->nt; i++)
		rc = compile_tmpl(set, (int32_t)i, 0, err, errlen);
	if (rc)
		goto out;
	*out = set;
	set = NULL;
out:
	tmpl_set_free(set);
	return rc;
}

void tmpl_set_free(struct tmpl_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->nt; i++) {
		free(set->t[i].name);
		free(set->t[i].src);
	}
	for (size_t i = 0; i < set->nbnames; i++)
		free(set->bnames[i]);
	free(set->t);
	free(set->order);
	free(set->nodes);
	free(set->segs);
	free(set->sites);
	free(set->bnames);
	buf_free(&set->pool);
	free(set);
}

/* ---- rendering ---- */

enum vkind { V_NONE, V_JSON, V_STR, V_INT, V_BOOL, V_PAIR };

/* A value met at render: JSON, or made by the engine (loop variables, the
 * {"key":k,"value":v} pairs of an object being iterated) without allocating. */
struct val {
	int kind;
	json_t *j;     /* V_JSON; V_PAIR: the value when it is JSON */
	const char *s; /* V_STR; V_PAIR: the key */
	size_t n;
	const char *ps; /* V_PAIR: the value when it is a string */
	size_t pn;
	long long i; /* V_INT, V_BOOL */
};

struct frame {
	const struct frame *up;
	struct val v;
	size_t idx, count; /* when loop */
	int loop;
};

struct rctx {
	const struct tmpl_set *set;
	struct buf *out;
	const int32_t *chain; /* the page being rendered, then its layouts */
	int nchain;
	int depth, includes;
	long steps;
	struct tmpl_url um;
};

static struct val vjson(json_t *j)
{
	struct val v = {.kind = j ? V_JSON : V_NONE, .j = j};
	return v;
}

static struct val vstr(const char *s, size_t n)
{
	struct val v = {.kind = V_STR, .s = s, .n = n};
	return v;
}

static struct val vint(int kind, long long i)
{
	struct val v = {.kind = kind, .i = i};
	return v;
}

/* Looks up segment g in v: an object member, array element or pair part. Returns 1 when found. */
static int member(const struct val *v, const struct seg *g, struct val *out)
{
	json_t *m = NULL;
	if (v->kind == V_PAIR && cmp_name(g->s, g->n, "key") == 0)
		return *out = vstr(v->s, v->n), 1;
	if (v->kind == V_PAIR && cmp_name(g->s, g->n, "value") == 0)
		return *out = v->j ? vjson(v->j) : vstr(v->ps, v->pn), 1;
	if (v->kind != V_JSON)
		return 0;
	if (json_is_object(v->j))
		m = json_object_getn(v->j, g->s, g->n);
	else if (json_is_array(v->j) && g->idx >= 0 && (size_t)g->idx < json_array_size(v->j))
		m = json_array_get(v->j, (size_t)g->idx);
	if (m)
		*out = vjson(m);
	return m != NULL;
}

/* a.b.c: a is looked up from the innermost context outward, the rest strictly. */
static struct val resolve_names(const struct rctx *c, const struct path *pa, const struct frame *f)
{
	const struct seg *g = &c->set->segs[pa->first];
	struct val v = {.kind = V_NONE};
	while (f && !member(&f->v, g, &v))
		f = f->up;
	if (!f)
		return v;
	for (int k = 1; k < pa->nseg; k++)
		if (!member(&v, &g[k], &v))
			return vint(V_NONE, 0);
	return v;
}

/* @index, @number, @first or @last of the innermost loop; none outside loops. */
static struct val loop_var(int kind, const struct frame *f)
{
	while (f && !f->loop)
		f = f->up;
	if (!f)
		return vint(V_NONE, 0);
	switch (kind) {
	case PK_INDEX:
		return vint(V_INT, (long long)f->idx);
	case PK_NUMBER:
		return vint(V_INT, (long long)f->idx + 1);
	case PK_FIRST:
		return vint(V_BOOL, f->idx == 0);
	default:
		return vint(V_BOOL, f->idx + 1 == f->count);
	}
}

static struct val resolve(const struct rctx *c, const struct path *pa, const struct frame *f)
{
	switch (pa->kind) {
	case PK_LIT:
		return vstr(c->set->pool.data + pa->first, pa->len);
	case PK_DOT:
		return f->v;
	case PK_NAMES:
		return resolve_names(c, pa, f);
	default:
		return loop_var(pa->kind, f);
	}
}

static void set_num(char *tmp, size_t size, long long x, const char **s, size_t *n)
{
	*n = (size_t)snprintf(tmp, size, "%lld", x);
	*s = tmp;
}

/* %g, with a '.' whatever the locale's decimal point. */
static void set_real(char *tmp, size_t size, double x, const char **s, size_t *n)
{
	*n = (size_t)snprintf(tmp, size, "%g", x);
	*s = tmp;
	for (size_t i = 0; i < *n; i++)
		if (tmp[i] == ',')
			tmp[i] = '.';
}

/* The text of v: what an output prints and what {{#ifeq}} compares. Numbers go into tmp. */
static void val_str(const struct val *v, char *tmp, size_t size, const char **s, size_t *n)
{
	*s = "", *n = 0;
	if (v->kind == V_STR)
		*s = v->s, *n = v->n;
	else if (v->kind == V_INT)
		set_num(tmp, size, v->i, s, n);
	else if ((v->kind == V_BOOL && v->i) || (v->kind == V_JSON && json_is_true(v->j)))
		*s = "true", *n = 4;
	else if (v->kind == V_JSON && json_is_string(v->j))
		*s = json_string_value(v->j), *n = json_string_length(v->j);
	else if (v->kind == V_JSON && json_is_integer(v->j))
		set_num(tmp, size, json_integer_value(v->j), s, n);
	else if (v->kind == V_JSON && json_is_real(v->j))
		set_real(tmp, size, json_real_value(v->j), s, n);
}

static size_t utf8_count(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}

/* Anything but missing, null, false, 0, "", [] and {}. */
static int truthy(const struct val *v)
{
	switch (v->kind) {
	case V_STR:
		return v->n > 0;
	case V_INT:
	case V_BOOL:
		return v->i != 0;
	case V_PAIR:
		return 1;
	case V_JSON:
		break;
	default:
		return 0;
	}
	switch (json_typeof(v->j)) {
	case JSON_OBJECT:
		return json_object_size(v->j) > 0;
	case JSON_ARRAY:
		return json_array_size(v->j) > 0;
	case JSON_STRING:
		return json_string_length(v->j) > 0;
	case JSON_INTEGER:
		return json_integer_value(v->j) != 0;
	case JSON_REAL:
		return json_real_value(v->j) != 0.0;
	case JSON_TRUE:
		return 1;
	default:
		return 0;
	}
}

/* The len filter: elements, members or UTF-8 characters. */
static long long val_len(const struct val *v)
{
	if (v->kind == V_STR)
		return (long long)utf8_count(v->s, v->n);
	if (v->kind == V_PAIR)
		return 2;
	if (v->kind != V_JSON)
		return 0;
	if (json_is_string(v->j))
		return (long long)utf8_count(json_string_value(v->j), json_string_length(v->j));
	if (json_is_object(v->j))
		return (long long)json_object_size(v->j);
	return (long long)json_array_size(v->j);
}

/* Writes the integer of fen v as yuan ("-1,234.56") into b (>= 32 bytes): money_format_grouped. */
static size_t fmt_yuan(char *b, long long v)
{
	money_format_grouped((int64_t)v, b);
	return strlen(b);
}

/* Writes the integer v with thousands separators ("-1,234,567") into b (>= 32 bytes). */
static size_t fmt_count(char *b, long long v)
{
	if (v > 9000000000000000LL || v < -9000000000000000LL)
		return (size_t)snprintf(b, 32, "%lld", v);
	money_format_grouped((int64_t)v * 100, b);
	size_t n = strlen(b) - 3; /* without ".00" */
	b[n] = '\0';
	return n;
}

/* The text of a filtered value, written into tmp. */
static void apply_filter(int filter, const struct val *v, char *tmp, size_t size, const char **s,
			 size_t *n)
{
	*s = tmp, *n = 0;
	if (filter == F_LEN)
		set_num(tmp, size, val_len(v), s, n);
	else if (v->kind == V_INT || (v->kind == V_JSON && json_is_integer(v->j))) {
		long long i = v->kind == V_INT ? v->i : json_integer_value(v->j);
		*n = filter == F_COUNT ? fmt_count(tmp, i) : fmt_yuan(tmp, i);
	}
}

/* Renders a list of nodes; fails with VE_LIMIT on runaway nesting or length. */
static int render_list(struct rctx *c, int32_t i, const struct frame *f);
static int render_tmpl(struct rctx *c, int32_t ti, const struct frame *f);

/* Writes literal text, following it when it is part of a URL. */
static int render_text(struct rctx *c, const struct node *nd)
{
	if (nd->url && nd->url_reset)
		tmpl_url_reset(&c->um);
	if (nd->url)
		tmpl_url_feed(&c->um, nd->text + nd->url_off, nd->len - nd->url_off);
	return buf_append(c->out, nd->text, nd->len) < 0 ? VE_LIMIT : 0;
}

/* Writes a value HTML-escaped, replaced by "#blocked" where a URL may not take it. */
static int render_out(struct rctx *c, const struct node *nd, const struct frame *f)
{
	char tmp[48];
	const char *s;
	size_t n;
	struct val v = resolve(c, &nd->a, f);
	if (nd->filter)
		apply_filter(nd->filter, &v, tmp, sizeof(tmp), &s, &n);
	else
		val_str(&v, tmp, sizeof(tmp), &s, &n);
	if (nd->url && !tmpl_url_allows(&c->um, s, n))
		s = "#blocked", n = 8;
	if (nd->url)
		tmpl_url_feed(&c->um, s, n);
	return buf_html_escape(c->out, s, n) < 0 ? VE_LIMIT : 0;
}

/* {{#ifeq}}: equal when both sides print the same text. */
static int render_ifeq(struct rctx *c, const struct node *nd, const struct frame *f)
{
	char ta[48], tb[48];
	const char *sa, *sb;
	size_t na, nb;
	struct val a = resolve(c, &nd->a, f), b = resolve(c, &nd->b, f);
	val_str(&a, ta, sizeof(ta), &sa, &na);
	val_str(&b, tb, sizeof(tb), &sb, &nb);
	return render_list(c, na == nb && memcmp(sa, sb, na) == 0 ? nd->body : nd->alt, f);
}

/* Iterates the elements of array a. */
static int each_array(struct rctx *c, const struct node *nd, json_t *a, struct frame *it)
{
	int rc = 0;
	it->count = json_array_size(a);
	for (it->idx = 0; it->idx < it->count && !rc; it->idx++) {
		it->v = vjson(json_array_get(a, it->idx));
		rc = render_list(c, nd->body, it);
	}
	return rc;
}

/* Iterates the members of object o as {"key","value"} pairs. */
static int each_object(struct rctx *c, const struct node *nd, json_t *o, struct frame *it)
{
	int rc = 0;
	it->count = json_object_size(o);
	it->idx = 0;
	for (void *x = json_object_iter(o); x && !rc; x = json_object_iter_next(o, x), it->idx++) {
		it->v = (struct val){.kind = V_PAIR,
				     .s = json_object_iter_key(x),
				     .n = json_object_iter_key_len(x),
				     .j = json_object_iter_value(x)};
		rc = render_list(c, nd->body, it);
	}
	return rc;
}

/* Iterating a pair made by each_object: its "key" and "value". */
static int each_pair(struct rctx *c, const struct node *nd, const struct val *p, struct frame *it)
{
	const struct val kv[2] = {
		{.kind = V_PAIR, .s = "key", .n = 3, .ps = p->s, .pn = p->n},
		{.kind = V_PAIR, .s = "value", .n = 5, .j = p->j, .ps = p->ps, .pn = p->pn},
	};
	int rc = 0;
	it->count = 2;
	for (it->idx = 0; it->idx < 2 && !rc; it->idx++) {
		it->v = kv[it->idx];
		rc = render_list(c, nd->body, it);
	}
	return rc;
}

/* {{#each}} over an array, an object or a pair; the else part when nothing was iterated. */
static int render_each(struct rctx *c, const struct node *nd, const struct frame *f)
{
	struct val v = resolve(c, &nd->a, f);
	struct frame it = {.up = f, .loop = 1};
	int rc = 0;
	if (v.kind == V_PAIR)
		rc = each_pair(c, nd, &v, &it);
	else if (v.kind == V_JSON && json_is_array(v.j))
		rc = each_array(c, nd, v.j, &it);
	else if (v.kind == V_JSON && json_is_object(v.j))
		rc = each_object(c, nd, v.j, &it);
	if (rc || it.count)
		return rc;
	return render_list(c, nd->alt, f);
}

/* {{#with}}: the body with the value as context, when it is truthy. */
static int render_with(struct rctx *c, const struct node *nd, const struct frame *f)
{
	struct frame w = {.up = f, .v = resolve(c, &nd->a, f)};
	return truthy(&w.v) ? render_list(c, nd->body, &w) : 0;
}

/* {{> name}}: fails with VE_LIMIT when includes nest deeper than INCLUDE_MAX. */
static int render_include(struct rctx *c, const struct node *nd, const struct frame *f)
{
	int rc;
	if (c->includes >= INCLUDE_MAX)
		return VE_LIMIT;
	c->includes++;
	rc = render_tmpl(c, nd->target, f);
	c->includes--;
	return rc;
}

/* A block renders the definition of the most derived template of the chain. */
static int render_block(struct rctx *c, const struct node *nd, const struct frame *f)
{
	for (int k = 0; k < c->nchain; k++) {
		const struct site *s = own_site(c->set, c->chain[k], nd->target);
		if (s)
			return render_list(c, c->set->nodes[s->node].body, f);
	}
	return render_list(c, nd->body, f);
}

/* The truth of a section's path. */
static int test(const struct rctx *c, const struct node *nd, const struct frame *f)
{
	struct val v = resolve(c, &nd->a, f);
	return truthy(&v);
}

static int render_node(struct rctx *c, const struct node *nd, const struct frame *f)
{
	switch (nd->op) {
	case OP_TEXT:
		return render_text(c, nd);
	case OP_OUT:
		return render_out(c, nd, f);
	case OP_IF:
		return render_list(c, test(c, nd, f) ? nd->body : nd->alt, f);
	case OP_UNLESS:
		return render_list(c, test(c, nd, f) ? nd->alt : nd->body, f);
	case OP_IFEQ:
		return render_ifeq(c, nd, f);
	case OP_EACH:
		return render_each(c, nd, f);
	case OP_WITH:
		return render_with(c, nd, f);
	case OP_INCLUDE:
		return render_include(c, nd, f);
	default:
		return render_block(c, nd, f);
	}
}

/* Renders a list of nodes; fails with VE_LIMIT on runaway nesting or length. */
static int render_list(struct rctx *c, int32_t i, const struct frame *f)
{
	int rc = 0;
	if (++c->depth > DEPTH_MAX || ++c->steps > STEPS_MAX)
		rc = VE_LIMIT;
	for (; i >= 0 && !rc; i = c->set->nodes[i].next)
		rc = ++c->steps > STEPS_MAX ? VE_LIMIT : render_node(c, &c->set->nodes[i], f);
	c->depth--;
	return rc;
}

/* Renders template ti: as its topmost layout when it extends one. */
static int render_tmpl(struct rctx *c, int32_t ti, const struct frame *f)
{
	int32_t chain[CHAIN_MAX + 1];
	const int32_t *saved = c->chain;
	int nsaved = c->nchain, n = 0, rc;
	for (int32_t x = ti; x >= 0 && n <= CHAIN_MAX; x = c->set->t[x].layout)
		chain[n++] = x;
	c->chain = chain;
	c->nchain = n;
	rc = render_list(c, c->set->t[chain[n - 1]].root, f);
	c->chain = saved;
	c->nchain = nsaved;
	return rc;
}

int tmpl_render(const struct tmpl_set *set, const char *name, json_t *data, struct buf *out)
{
	struct rctx c = {.set = set, .out = out};
	struct frame root = {.v = vjson(data)};
	size_t start = out->len;
	int32_t ti = set && name ? find_tmpl(set, name, strlen(name)) : -1;
	int rc;
	if (ti < 0)
		return VE_NOTFOUND;
	rc = render_tmpl(&c, ti, &root);
	if (rc && out->data) {
		out->len = start;
		out->data[start] = '\0';
	}
	return rc;
}
