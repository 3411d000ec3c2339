/* tmpl_context.c - the HTML tokenizer that decides where a template output lands and whether
 * it may; the URL checker that follows a URL attribute value at render. */
#include "web/tmpl_context.h"

#include <string.h>

/* ---- bytes ---- */

static int is_scheme_char(int c)
{
	return is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.';
}

/* Whether the scheme s (n bytes, lowercase) may start a URL built from data. */
static int scheme_allowed(const char *s, size_t n)
{
	static const char *const ok[] = {"http", "https", "mailto", "tel"};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strlen(ok[i]) == n && memcmp(ok[i], s, n) == 0)
			return 1;
	return 0;
}

/* ---- the HTML tokenizer run over literal text at compile time ---- */

enum hst {
	H_TEXT,
	H_TAG_OPEN,
	H_END_TAG_OPEN,
	H_TAG_NAME,
	H_BEFORE_ATTR, /* also "after a quoted value": the tokenizer treats both alike */
	H_ATTR_NAME,
	H_AFTER_ATTR_NAME,
	H_AMBIG_NAME, /* after a section: in (a tag name or) an attribute name, after or before one
		       */
	H_AMBIG_WS,   /* after a section and blanks: after or before an attribute name */
	H_BEFORE_VALUE,
	H_VALUE_DQ,
	H_VALUE_SQ,
	H_VALUE_UQ,
	H_SELF_CLOSING,
	H_MARKUP, /* after "<!" */
	H_COMMENT,
	H_BOGUS, /* bogus comment, doctype, CDATA outside foreign content */
	H_RCDATA,
	H_RAWTEXT,
	H_SCRIPT,
	H_PLAINTEXT,
};

enum elem {
	E_OTHER,
	E_SCRIPT,
	E_STYLE,
	E_XMP,
	E_IFRAME,
	E_NOEMBED,
	E_NOFRAMES,
	E_NOSCRIPT,
	E_TEXTAREA,
	E_TITLE,
	E_PLAINTEXT,
	E__COUNT
};

static const char *const elem_names[E__COUNT] = {
	"",         "script",   "style",    "xmp",   "iframe",    "noembed",
	"noframes", "noscript", "textarea", "title", "plaintext",
};

enum attr { A_NONE, A_NORMAL, A_URL, A_FORBID };

/* Where a URL attribute value stands, as far as literal text tells. */
enum ust {
	U_START,  /* only blanks so far */
	U_SCHEME, /* scheme characters so far (kept in name) */
	U_SLASH,  /* a single leading slash */
	U_SAFE,   /* the scheme is settled and allowed */
	U_BAD,    /* a scheme outside the allowed list, or '&' before the scheme settled */
	U_DYN,    /* an output came before the scheme settled */
	U_DYNSL,  /* U_DYN followed by a slash */
};

enum { C_START, C_START_DASH, C_TEXT, C_END_DASH, C_END, C_BANG };

/* Sub-states of raw text: 2 + k means "</" and k bytes of the element name. */
enum { R_NORMAL = 0, R_LT = 1, R_SLASH = 2, R_BANG = 30, R_BANG_DASH = 31 };

static const char *const AMBIGUOUS =
	"attribute after a section is ambiguous: put a blank, '/' or '>' after the section";

static void name_reset(struct tmpl_context *s)
{
	s->nlen = 0;
	memset(s->name, 0, sizeof(s->name));
}

static void name_add(struct tmpl_context *s, int c)
{
	if (s->nlen < TMPL_NAME_BUF)
		s->name[s->nlen] = (char)lower(c);
	if (s->nlen < UINT8_MAX)
		s->nlen++;
}

static int name_is(const struct tmpl_context *s, const char *w)
{
	size_t n = strlen(w);
	return s->nlen == n && memcmp(s->name, w, n) == 0;
}

static int name_equal(const struct tmpl_context *a, const struct tmpl_context *b)
{
	return a->nlen == b->nlen && memcmp(a->name, b->name, sizeof(a->name)) == 0;
}

/* The element whose tag name has just been read, when its content is raw text. */
static int elem_kind(const struct tmpl_context *s)
{
	for (int e = E_SCRIPT; e < E__COUNT; e++)
		if (name_is(s, elem_names[e]))
			return e;
	return E_OTHER;
}

/* Whether data may go into the value of the attribute just named, and how. */
static int attr_kind(const struct tmpl_context *s)
{
	static const char *const url[] = {
		"href",     "src",     "action",     "formaction",  "poster",   "cite",
		"data",     "srcset",  "xlink:href", "background",  "longdesc", "usemap",
		"codebase", "classid", "archive",    "manifest",    "ping",     "icon",
		"profile",  "dynsrc",  "lowsrc",     "imagesrcset",
	};
	if (s->nlen >= 2 && s->name[0] == 'o' && s->name[1] == 'n')
		return A_FORBID;
	if (name_is(s, "style") || name_is(s, "srcdoc"))
		return A_FORBID;
	for (size_t i = 0; i < sizeof(url) / sizeof(url[0]); i++)
		if (name_is(s, url[i]))
			return A_URL;
	return A_NORMAL;
}

static void to_text(struct tmpl_context *s)
{
	memset(s, 0, sizeof(*s));
	s->st = H_TEXT;
}

/* The tag being read ends with '>': raw text elements switch the tokenizer. */
static void tag_end(struct tmpl_context *s)
{
	int e = s->endtag ? E_OTHER : s->elem;
	to_text(s);
	switch (e) {
	case E_SCRIPT:
		s->st = H_SCRIPT;
		break;
	case E_TEXTAREA:
	case E_TITLE:
		s->st = H_RCDATA;
		break;
	case E_PLAINTEXT:
		s->st = H_PLAINTEXT;
		break;
	case E_OTHER:
		return;
	default:
		s->st = H_RAWTEXT;
		break;
	}
	s->elem = (uint8_t)e;
}

/* Moves to state st inside the current tag, forgetting the attribute. */
static void in_tag(struct tmpl_context *s, int st)
{
	s->st = (uint8_t)st;
	s->attr = A_NONE;
	s->url = 0;
	name_reset(s);
}

static void start_tag(struct tmpl_context *s, int end, int c)
{
	to_text(s);
	s->st = H_TAG_NAME;
	s->endtag = (uint8_t)end;
	name_add(s, c);
}

static void finish_tag_name(struct tmpl_context *s, int st)
{
	s->elem = (uint8_t)(s->endtag ? E_OTHER : elem_kind(s));
	in_tag(s, st);
}

static void start_attr(struct tmpl_context *s, int c)
{
	in_tag(s, H_ATTR_NAME);
	name_add(s, c);
}

static void finish_attr(struct tmpl_context *s, int st)
{
	int k = attr_kind(s);
	in_tag(s, st);
	if (st == H_AFTER_ATTR_NAME || st == H_BEFORE_VALUE)
		s->attr = (uint8_t)k;
}

static void start_value(struct tmpl_context *s, int st)
{
	s->st = (uint8_t)st;
	s->url = U_START;
	name_reset(s);
}

/* After "<", "</" and "<!". */
static const char *step_open(struct tmpl_context *s, int c)
{
	switch (s->st) {
	case H_TAG_OPEN:
		if (is_alpha(c))
			start_tag(s, 0, c);
		else if (c == '/')
			s->st = H_END_TAG_OPEN;
		else if (c == '!')
			s->st = H_MARKUP, s->sub = 0;
		else if (c == '?')
			s->st = H_BOGUS;
		else
			return s->st = H_TEXT, tmpl_context_step(s, c);
		return NULL;
	case H_END_TAG_OPEN:
		if (is_alpha(c))
			start_tag(s, 1, c);
		else
			s->st = c == '>' ? H_TEXT : H_BOGUS;
		return NULL;
	default: /* H_MARKUP */
		if (c == '-' && s->sub == 0)
			s->sub = 1;
		else if (c == '-')
			s->st = H_COMMENT, s->sub = C_START;
		else
			return s->st = H_BOGUS, s->sub = 0, tmpl_context_step(s, c);
		return NULL;
	}
}

/* Between attributes: before or after a name, or where a section left it ambiguous. */
static const char *step_between(struct tmpl_context *s, int c)
{
	if (is_ws(c)) {
		if (s->st == H_AMBIG_NAME)
			s->st = H_AMBIG_WS;
		return NULL;
	}
	if (c == '/')
		in_tag(s, H_SELF_CLOSING);
	else if (c == '>')
		tag_end(s);
	else if (s->st == H_AMBIG_NAME || (c == '=' && s->st == H_AMBIG_WS))
		return AMBIGUOUS;
	else if (c == '=' && s->st == H_AFTER_ATTR_NAME)
		s->st = H_BEFORE_VALUE;
	else
		start_attr(s, c);
	return NULL;
}

/* Inside a tag, outside attribute values. */
static const char *step_tag(struct tmpl_context *s, int c)
{
	switch (s->st) {
	case H_TAG_NAME:
		if (is_ws(c))
			finish_tag_name(s, H_BEFORE_ATTR);
		else if (c == '/')
			finish_tag_name(s, H_SELF_CLOSING);
		else if (c == '>')
			finish_tag_name(s, H_TEXT), tag_end(s);
		else
			name_add(s, c);
		return NULL;
	case H_ATTR_NAME:
		if (is_ws(c))
			finish_attr(s, H_AFTER_ATTR_NAME);
		else if (c == '/')
			finish_attr(s, H_SELF_CLOSING);
		else if (c == '>')
			finish_attr(s, H_TEXT), tag_end(s);
		else if (c == '=')
			finish_attr(s, H_BEFORE_VALUE);
		else
			name_add(s, c);
		return NULL;
	case H_BEFORE_VALUE:
		if (c == '"')
			start_value(s, H_VALUE_DQ);
		else if (c == '\'')
			start_value(s, H_VALUE_SQ);
		else if (c == '>')
			tag_end(s);
		else if (!is_ws(c))
			start_value(s, H_VALUE_UQ);
		return NULL;
	case H_SELF_CLOSING:
		if (c == '>')
			return tag_end(s), NULL;
		in_tag(s, H_BEFORE_ATTR);
		return step_between(s, c);
	default:
		return step_between(s, c);
	}
}

/* Literal text inside a URL attribute value: tracks whether the scheme is settled. */
static const char *step_url(struct tmpl_context *s, int c)
{
	int u = s->url;
	if (c == '\t' || c == '\n' || c == '\r')
		return NULL;
	if (u == U_START && c <= ' ')
		return NULL;
	if (u == U_START && is_alpha(c))
		u = U_SCHEME;
	else if (u == U_START)
		u = c == '/' || c == '\\' ? U_SLASH : c == '&' ? U_BAD : U_SAFE;
	else if (u == U_SCHEME && c == ':')
		u = s->nlen <= TMPL_NAME_BUF && scheme_allowed(s->name, s->nlen) ? U_SAFE : U_BAD;
	else if (u == U_SCHEME && !is_scheme_char(c))
		u = c == '&' ? U_BAD : U_SAFE;
	else if (u == U_SLASH)
		u = c == '&' ? U_BAD : U_SAFE;
	else if (u == U_DYN && (c == ':' || c == '&'))
		return "':' or '&' after an output in a URL, before its scheme is settled";
	else if (u == U_DYN && (c == '/' || c == '\\'))
		u = U_DYNSL;
	else if (u == U_DYN && c > ' ' && !is_scheme_char(c))
		u = U_SAFE;
	else if (u == U_DYNSL)
		u = U_SAFE;
	if (u == U_SCHEME)
		name_add(s, c);
	else if (s->url == U_SCHEME)
		name_reset(s);
	s->url = (uint8_t)u;
	return NULL;
}

/* Inside an attribute value. */
static const char *step_value(struct tmpl_context *s, int c)
{
	if (s->st == H_VALUE_UQ) {
		if (is_ws(c))
			in_tag(s, H_BEFORE_ATTR);
		else if (c == '>')
			tag_end(s);
		return NULL;
	}
	if (c == (s->st == H_VALUE_DQ ? '"' : '\''))
		return in_tag(s, H_BEFORE_ATTR), NULL;
	return s->attr == A_URL ? step_url(s, c) : NULL;
}

/* Inside "<!-- -->", ending exactly where a browser ends it. */
static const char *step_comment(struct tmpl_context *s, int c)
{
	switch (s->sub) {
	case C_START:
	case C_START_DASH:
		if (c == '>')
			to_text(s);
		else
			s->sub = c != '-' ? C_TEXT : s->sub == C_START ? C_START_DASH : C_END;
		return NULL;
	case C_TEXT:
		if (c == '-')
			s->sub = C_END_DASH;
		return NULL;
	case C_END_DASH:
		s->sub = c == '-' ? C_END : C_TEXT;
		return NULL;
	case C_END:
		if (c == '>')
			to_text(s);
		else if (c == '!')
			s->sub = C_BANG;
		else if (c != '-')
			s->sub = C_TEXT;
		return NULL;
	default: /* C_BANG */
		if (c == '>')
			to_text(s);
		else
			s->sub = c == '-' ? C_END_DASH : C_TEXT;
		return NULL;
	}
}

/* Script, style, title and the like: only "</name" followed by a blank, '/' or '>' ends them. */
static const char *step_raw(struct tmpl_context *s, int c)
{
	const char *nm = elem_names[s->elem];
	size_t len = strlen(nm), k = (size_t)s->sub - R_SLASH;
	if (s->sub == R_NORMAL) {
		if (c == '<')
			s->sub = R_LT;
		return NULL;
	}
	if (s->sub == R_LT) {
		if (c == '/')
			s->sub = R_SLASH;
		else if (c == '!' && s->st == H_SCRIPT)
			s->sub = R_BANG;
		else if (c != '<')
			s->sub = R_NORMAL;
		return NULL;
	}
	if (s->sub == R_BANG && c == '-')
		return s->sub = R_BANG_DASH, NULL;
	if (s->sub == R_BANG_DASH && c == '-')
		return "\"<!--\" inside <script> is not supported";
	if (s->sub >= R_BANG)
		return s->sub = R_NORMAL, tmpl_context_step(s, c);
	if (k < len) {
		if (lower(c) == nm[k])
			return s->sub++, NULL;
		return s->sub = R_NORMAL, tmpl_context_step(s, c);
	}
	if (c == '>')
		to_text(s);
	else if (is_ws(c) || c == '/')
		to_text(s), s->st = is_ws(c) ? H_BEFORE_ATTR : H_SELF_CLOSING, s->endtag = 1;
	else
		return s->sub = R_NORMAL, tmpl_context_step(s, c);
	return NULL;
}

/* Advances s over one byte of literal template text. Returns NULL, or what is wrong. */
const char *tmpl_context_step(struct tmpl_context *s, int c)
{
	switch (s->st) {
	case H_TEXT:
		if (c == '<')
			s->st = H_TAG_OPEN;
		return NULL;
	case H_TAG_OPEN:
	case H_END_TAG_OPEN:
	case H_MARKUP:
		return step_open(s, c);
	case H_VALUE_DQ:
	case H_VALUE_SQ:
	case H_VALUE_UQ:
		return step_value(s, c);
	case H_COMMENT:
		return step_comment(s, c);
	case H_BOGUS:
		if (c == '>')
			to_text(s);
		return NULL;
	case H_RCDATA:
	case H_RAWTEXT:
	case H_SCRIPT:
		return step_raw(s, c);
	case H_PLAINTEXT:
		return NULL;
	default:
		return step_tag(s, c);
	}
}

static const char *value_output(struct tmpl_context *s, int *url)
{
	if (s->attr == A_FORBID)
		return "output inside an on* event handler, style or srcdoc attribute";
	if (s->attr != A_URL || s->url == U_SAFE)
		return NULL;
	if (s->url == U_BAD)
		return "output in a URL after a scheme other than http, https, mailto or tel (or "
		       "after '&')";
	s->url = s->url == U_SLASH || s->url == U_DYNSL ? U_DYNSL : U_DYN;
	name_reset(s);
	*url = 1;
	return NULL;
}

/* Whether an output tag may stand in state s. Sets *url when its value must be
 * URL-checked at render and moves s past the output. Returns NULL or what is wrong. */
const char *tmpl_context_output(struct tmpl_context *s, int *url)
{
	*url = 0;
	switch (s->st) {
	case H_TEXT:
		return NULL;
	case H_RCDATA:
		return s->sub == R_NORMAL ? NULL : "output right after '<'";
	case H_VALUE_DQ:
	case H_VALUE_SQ:
		return value_output(s, url);
	case H_VALUE_UQ:
	case H_BEFORE_VALUE:
		return "output in an unquoted attribute value";
	case H_SCRIPT:
		return "output inside <script>";
	case H_RAWTEXT:
		return s->elem == E_STYLE ? "output inside <style>"
					  : "output inside <xmp>, <iframe>, <noembed>, <noframes> "
					    "or <noscript>";
	case H_PLAINTEXT:
		return "output after <plaintext>";
	case H_COMMENT:
	case H_MARKUP:
	case H_BOGUS:
		return "output inside an HTML comment or <! > declaration";
	case H_TAG_OPEN:
	case H_END_TAG_OPEN:
		return "output right after '<'";
	default:
		return "output in a tag's name or attribute name position";
	}
}

/* For messages: where the lexer stands. */
const char *tmpl_context_where(const struct tmpl_context *s)
{
	static const char *const raw[E__COUNT] = {
		"",           "<script>",   "<style>",    "<xmp>",   "<iframe>",    "<noembed>",
		"<noframes>", "<noscript>", "<textarea>", "<title>", "<plaintext>",
	};
	switch (s->st) {
	case H_TEXT:
		return "HTML text";
	case H_VALUE_DQ:
	case H_VALUE_SQ:
	case H_VALUE_UQ:
		return "an attribute value";
	case H_COMMENT:
	case H_MARKUP:
	case H_BOGUS:
		return "an HTML comment or <! > declaration";
	case H_RCDATA:
	case H_RAWTEXT:
	case H_SCRIPT:
	case H_PLAINTEXT:
		return raw[s->elem];
	case H_TAG_OPEN:
	case H_END_TAG_OPEN:
	case H_TAG_NAME:
		return "a tag name";
	case H_ATTR_NAME:
	case H_AMBIG_NAME:
		return "an attribute name";
	default:
		return "a tag";
	}
}

static int in_qvalue(int st)
{
	return st == H_VALUE_DQ || st == H_VALUE_SQ;
}

/* Whether st is between attributes (the states a section may join ambiguously). */
static int attr_between(int st)
{
	return st == H_BEFORE_ATTR || st == H_ATTR_NAME || st == H_AFTER_ATTR_NAME ||
	       st == H_AMBIG_NAME || st == H_AMBIG_WS;
}

void tmpl_context_start(struct tmpl_context *s)
{
	to_text(s);
}

int tmpl_context_in_text(const struct tmpl_context *s)
{
	return s->st == H_TEXT;
}

int tmpl_context_in_value(const struct tmpl_context *s)
{
	return in_qvalue(s->st);
}

int tmpl_context_in_url(const struct tmpl_context *s)
{
	return in_qvalue(s->st) && s->attr == A_URL;
}

/* Whether a and b are the same lexer state, comparing only what matters in it. */
int tmpl_context_equal(const struct tmpl_context *a, const struct tmpl_context *b)
{
	if (a->st != b->st)
		return 0;
	switch (a->st) {
	case H_TEXT:
	case H_TAG_OPEN:
	case H_END_TAG_OPEN:
	case H_BOGUS:
	case H_PLAINTEXT:
		return 1;
	case H_MARKUP:
	case H_COMMENT:
		return a->sub == b->sub;
	case H_RCDATA:
	case H_RAWTEXT:
	case H_SCRIPT:
		return a->elem == b->elem && a->sub == b->sub;
	case H_TAG_NAME:
		return a->endtag == b->endtag && name_equal(a, b);
	default:
		break;
	}
	if (a->endtag != b->endtag || a->elem != b->elem)
		return 0;
	if (a->st == H_ATTR_NAME)
		return name_equal(a, b);
	if (a->st == H_AFTER_ATTR_NAME || a->st == H_BEFORE_VALUE || a->st == H_VALUE_UQ)
		return a->attr == b->attr;
	if (in_qvalue(a->st))
		return a->attr == b->attr && a->url == b->url && name_equal(a, b);
	return 1;
}

/* The URL state covering both a and b. */
static int url_merge(int a, int b)
{
	int settled_a = a == U_SLASH || a == U_SAFE || a == U_DYNSL;
	int settled_b = b == U_SLASH || b == U_SAFE || b == U_DYNSL;
	if (a == U_BAD || b == U_BAD)
		return U_BAD;
	return settled_a && settled_b ? U_DYNSL : U_DYN;
}

/* Sets a to a state that covers both a and b (where control flow joins).
 * Returns -1 when no such state exists. */
int tmpl_context_merge(struct tmpl_context *a, const struct tmpl_context *b)
{
	struct tmpl_context tb;
	if (tmpl_context_equal(a, b))
		return 0;
	if (a->st == H_TAG_NAME && attr_between(b->st))
		finish_tag_name(a, H_AMBIG_NAME);
	if (b->st == H_TAG_NAME && attr_between(a->st)) {
		tb = *b;
		finish_tag_name(&tb, H_AMBIG_NAME);
		b = &tb;
	}
	if (a->endtag != b->endtag || a->elem != b->elem)
		return -1;
	if (attr_between(a->st) && attr_between(b->st)) {
		int name = a->st == H_ATTR_NAME || a->st == H_AMBIG_NAME || b->st == H_ATTR_NAME ||
			   b->st == H_AMBIG_NAME;
		in_tag(a, name ? H_AMBIG_NAME : H_AMBIG_WS);
		return 0;
	}
	if (a->st == b->st && in_qvalue(a->st) && a->attr == A_URL && b->attr == A_URL) {
		a->url = (uint8_t)url_merge(a->url, b->url);
		name_reset(a);
		return 0;
	}
	return -1;
}

/* Whether state s covers state e, so that what was checked from s holds from e too. */
int tmpl_context_covers(const struct tmpl_context *s, const struct tmpl_context *e)
{
	struct tmpl_context m = *s;
	return tmpl_context_merge(&m, e) == 0 && tmpl_context_equal(&m, s);
}

/* A state covering s and whatever a loop body or block may have written after
 * it: in a URL whose scheme is not settled yet, that may have been anything. */
struct tmpl_context tmpl_context_widen(const struct tmpl_context *s)
{
	struct tmpl_context w = *s;
	if (in_qvalue(w.st) && w.attr == A_URL && w.url != U_BAD && w.url != U_SAFE) {
		w.url = w.url == U_SLASH || w.url == U_DYNSL ? U_DYNSL : U_DYN;
		name_reset(&w);
	}
	return w;
}

/* ---- the URL checker run at render ---- */

enum { M_START, M_SCHEME, M_SLASH, M_SAFE, M_BAD };

void tmpl_url_reset(struct tmpl_url *m)
{
	memset(m, 0, sizeof(*m));
}

/* Advances m over one byte written into the URL. */
static void um_step(struct tmpl_url *m, int c)
{
	if (c == '\t' || c == '\n' || c == '\r')
		return;
	switch (m->st) {
	case M_START:
		if (c <= ' ')
			return;
		m->st = is_alpha(c) ? M_SCHEME : c == '/' || c == '\\' ? M_SLASH : M_SAFE;
		m->n = 0;
		break;
	case M_SCHEME:
		if (c == ':')
			m->st = m->n <= sizeof(m->b) && scheme_allowed(m->b, m->n) ? M_SAFE : M_BAD;
		else if (!is_scheme_char(c))
			m->st = M_SAFE;
		break;
	case M_SLASH:
		m->st = M_SAFE;
		break;
	default:
		return;
	}
	if (m->st == M_SCHEME && m->n < sizeof(m->b))
		m->b[m->n] = (char)lower(c);
	if (m->st == M_SCHEME && m->n < UINT8_MAX)
		m->n++;
}

/* Advances m over n bytes written into the URL. */
void tmpl_url_feed(struct tmpl_url *m, const char *s, size_t n)
{
	for (size_t i = 0; i < n && m->st < M_SAFE; i++)
		um_step(m, (unsigned char)s[i]);
}

/* The next byte of a URL at *i as a browser reads it (tabs and newlines
 * dropped, '\' as '/', lowercase), or -1 at the end. */
static int url_next(const char *s, size_t n, size_t *i)
{
	while (*i < n) {
		int c = (unsigned char)s[(*i)++];
		if (c != '\t' && c != '\n' && c != '\r')
			return c == '\\' ? '/' : lower(c);
	}
	return -1;
}

static int url_prefix(const char *s, size_t n, size_t i, const char *w)
{
	for (; *w; w++)
		if (url_next(s, n, &i) != *w)
			return 0;
	return 1;
}

/* Whether a value that starts a URL attribute is allowed: it starts with '/'
 * but not '//', or with '#', '?', './', an allowed scheme, or has no ':'
 * before its first '/', '?' or '#'. Leading blanks and controls are skipped. */
static int url_start_ok(const char *s, size_t n)
{
	static const char *const ok[] = {"http://", "https://", "mailto:", "tel:"};
	size_t i = 0, j;
	int c0, c1, c;
	while (i < n && (unsigned char)s[i] <= ' ')
		i++;
	j = i;
	c0 = url_next(s, n, &j);
	c1 = url_next(s, n, &j);
	if (c0 == '/')
		return c1 != '/';
	if (c0 == '#' || c0 == '?' || (c0 == '.' && c1 == '/'))
		return 1;
	for (size_t k = 0; k < sizeof(ok) / sizeof(ok[0]); k++)
		if (url_prefix(s, n, i, ok[k]))
			return 1;
	for (j = i; (c = url_next(s, n, &j)) >= 0;) {
		if (c == ':')
			return 0;
		if (c == '/' || c == '?' || c == '#')
			return 1;
	}
	return 1;
}

/* Whether s may be written next into the URL attribute value m follows. */
int tmpl_url_allows(const struct tmpl_url *m, const char *s, size_t n)
{
	struct tmpl_url t = *m;
	size_t i = 0;
	switch (m->st) {
	case M_SAFE:
		return 1;
	case M_START:
		return url_start_ok(s, n);
	case M_SLASH:
		return url_next(s, n, &i) != '/';
	case M_SCHEME:
		tmpl_url_feed(&t, s, n);
		return t.st != M_BAD;
	default:
		return 0;
	}
}
