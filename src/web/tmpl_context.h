/* tmpl_context.h - where in HTML a template output lands, and whether it may (internal to tmpl).
 *
 * At compile time the template engine runs an HTML tokenizer over each template's literal
 * text (struct tmpl_context) and asks it, at every {{output}}, whether data may stand there
 * and how it is escaped: HTML-escaped, or HTML-escaped after a URL check. Outputs inside
 * <script>, <style>, event handlers, comments, unquoted values and the like are refused.
 * At render time struct tmpl_url follows a URL attribute value as it is written out and
 * blocks data that would give it a scheme outside http, https, mailto and tel. */
#ifndef VETS_TMPL_CONTEXT_H
#define VETS_TMPL_CONTEXT_H

#include <stddef.h>
#include <stdint.h>

enum { TMPL_NAME_BUF = 12 }; /* bytes kept of a tag or attribute name */

/* A tokenizer state. Its fields belong to tmpl_context.c: compare states with
 * tmpl_context_equal, never with memcmp. */
struct tmpl_context {
	uint8_t st;     /* enum hst */
	uint8_t sub;    /* comment and raw text sub-state */
	uint8_t elem;   /* the tag's element, or the raw text element */
	uint8_t endtag; /* the tag is an end tag */
	uint8_t attr;   /* enum attr of the attribute being read */
	uint8_t url;    /* enum ust, in a URL attribute value */
	uint8_t nlen;   /* length of name, saturating */
	char name[TMPL_NAME_BUF];
};

/* Sets s to the start of a document: HTML text. */
void tmpl_context_start(struct tmpl_context *s);
/* Advances s over one byte c of literal template text. Returns NULL, or what is
 * wrong with the text (a static English message), leaving s undefined. */
const char *tmpl_context_step(struct tmpl_context *s, int c);
/* Whether an output may stand in state s. Returns NULL, sets *url to 1 when the
 * value must be URL-checked at render (tmpl_url_allows) and 0 when HTML-escaping
 * is enough, and moves s past the output; or returns why the output is refused. */
const char *tmpl_context_output(struct tmpl_context *s, int *url);
/* Where s stands, for messages: "HTML text", "an attribute value", "<textarea>", ... */
const char *tmpl_context_where(const struct tmpl_context *s);

int tmpl_context_in_text(const struct tmpl_context *s);
/* In a quoted attribute value. */
int tmpl_context_in_value(const struct tmpl_context *s);
/* In a quoted value of a URL attribute (href, src, action, ...). */
int tmpl_context_in_url(const struct tmpl_context *s);

/* Whether a and b are the same state, comparing only what matters in it. */
int tmpl_context_equal(const struct tmpl_context *a, const struct tmpl_context *b);
/* Sets a to a state covering both a and b, where control flow joins. Returns 0,
 * or -1 when no state covers both (a is then undefined). */
int tmpl_context_merge(struct tmpl_context *a, const struct tmpl_context *b);
/* Whether s covers e, so that what was checked from s holds from e too. */
int tmpl_context_covers(const struct tmpl_context *s, const struct tmpl_context *e);
/* A state covering s and whatever a loop body or block may have written after
 * it: in a URL whose scheme is not settled yet, that may have been anything. */
struct tmpl_context tmpl_context_widen(const struct tmpl_context *s);

/* Follows the bytes of a URL attribute value as they are written out at render.
 * All zero is the start of a value. */
struct tmpl_url {
	uint8_t st, n;
	char b[6];
};

void tmpl_url_reset(struct tmpl_url *m);
/* Advances m over n bytes written into the URL. */
void tmpl_url_feed(struct tmpl_url *m, const char *s, size_t n);
/* Whether s (n bytes) may be written next into the URL value m follows; when
 * not, the renderer writes "#blocked" instead. */
int tmpl_url_allows(const struct tmpl_url *m, const char *s, size_t n);

/* Bytes as the HTML tokenizer and the template syntax read them (ASCII only). */
static inline int is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static inline int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static inline int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

#endif
