/* test_tmpl_context.c - the HTML-context tokenizer and the URL checker, as tables: a fragment of
 * literal template text, then where an output after it lands and how it is escaped or why it
 * is refused; URL values after a literal prefix, allowed or blocked; states joined by sections. */
#include "web/tmpl_context.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* What an output placed right after the fragment gets. */
enum want {
	HTML,     /* allowed, HTML-escaped */
	URL,      /* allowed, HTML-escaped after the render-time URL check */
	REFUSED,  /* the output is refused at compile time: msg says why */
	BAD_TEXT, /* the fragment itself is refused: msg says why */
};

struct ccase {
	const char *name;
	const char *text; /* literal template text before the output */
	enum want want;
	const char *where; /* tmpl_context_where after the text; NULL for BAD_TEXT */
	const char *msg;   /* part of the refusal, for REFUSED and BAD_TEXT */
};

#define TEXT "HTML text"
#define VALUE "an attribute value"
#define TAG "a tag"
#define TAGNAME "a tag name"
#define ATTRNAME "an attribute name"
#define COMMENT "an HTML comment or <! > declaration"
#define AFTER_LT "output right after '<'"
#define IN_TAG "output in a tag's name or attribute name position"
#define UNQUOTED "output in an unquoted attribute value"
#define HANDLER "on* event handler, style or srcdoc"
#define SCHEME "scheme other than http, https, mailto or tel"
#define RAW "output inside <xmp>, <iframe>"

static struct ccase contexts[] = {
	/* text and tags */
	{"text_empty", "", HTML, TEXT, NULL},
	{"text_after_tag", "<p>", HTML, TEXT, NULL},
	{"text_uppercase_tags", "<P><DIV CLASS=x>", HTML, TEXT, NULL},
	{"text_lone_lt", "a < b ", HTML, TEXT, NULL},
	{"text_after_end_tag", "<p>x</p>", HTML, TEXT, NULL},
	{"text_after_self_closing", "<br/>", HTML, TEXT, NULL},
	{"text_end_tag_blank_is_bogus", "</ p>", HTML, TEXT, NULL},
	{"text_empty_end_tag", "</>", HTML, TEXT, NULL},
	{"text_entities", "&amp;&lt;&#60;&#x3c;", HTML, TEXT, NULL},
	{"refuse_after_lt", "a <", REFUSED, TAGNAME, AFTER_LT},
	{"refuse_after_end_lt", "</", REFUSED, TAGNAME, AFTER_LT},
	{"refuse_tag_name", "<p", REFUSED, TAGNAME, IN_TAG},
	{"refuse_between_attrs", "<p ", REFUSED, TAG, IN_TAG},
	{"refuse_after_quoted_value", "<p title=\"x\"", REFUSED, TAG, IN_TAG},
	{"refuse_attr_name", "<p data-", REFUSED, ATTRNAME, IN_TAG},
	{"refuse_after_slash", "<br /", REFUSED, TAG, IN_TAG},

	/* attribute values: quoted, single-quoted, unquoted */
	{"value_double", "<p title=\"", HTML, VALUE, NULL},
	{"value_single", "<p title='", HTML, VALUE, NULL},
	{"value_double_after_text", "<p title=\"a b ", HTML, VALUE, NULL},
	{"value_double_holds_gt", "<p title=\"a>b", HTML, VALUE, NULL},
	{"value_single_holds_double", "<p title='a\"b", HTML, VALUE, NULL},
	{"value_blanks_around_eq", "<p title = \"", HTML, VALUE, NULL},
	{"value_tab_before_attr", "<p\ttitle=\"", HTML, VALUE, NULL},
	{"value_uppercase_attr", "<P TITLE=\"", HTML, VALUE, NULL},
	{"value_entity_inside", "<p title=\"&quot;", HTML, VALUE, NULL},
	{"value_second_attr", "<p class=\"a\" title='", HTML, VALUE, NULL},
	{"value_closed", "<p title=\"x\">", HTML, TEXT, NULL},
	{"refuse_unquoted_start", "<p title=", REFUSED, TAG, UNQUOTED},
	{"refuse_unquoted_blank", "<p title= ", REFUSED, TAG, UNQUOTED},
	{"refuse_unquoted_middle", "<p title=x", REFUSED, VALUE, UNQUOTED},
	{"refuse_unquoted_url", "<a href=/x", REFUSED, VALUE, UNQUOTED},

	/* URL attributes */
	{"url_href", "<a href=\"", URL, VALUE, NULL},
	{"url_href_single", "<a href='", URL, VALUE, NULL},
	{"url_href_uppercase", "<A HREF=\"", URL, VALUE, NULL},
	{"url_href_blanks_around_eq", "<a href = \"", URL, VALUE, NULL},
	{"url_after_other_attr", "<a title=\"x\" href=\"", URL, VALUE, NULL},
	{"url_src", "<img src=\"", URL, VALUE, NULL},
	{"url_action", "<form action=\"", URL, VALUE, NULL},
	{"url_formaction", "<button formaction=\"", URL, VALUE, NULL},
	{"url_srcset", "<img srcset=\"", URL, VALUE, NULL},
	{"url_xlink_href", "<svg><a xlink:href=\"", URL, VALUE, NULL},
	{"url_object_data", "<object data=\"", URL, VALUE, NULL},
	{"url_leading_blank", "<a href=\" ", URL, VALUE, NULL},
	{"url_after_slash", "<a href=\"/", URL, VALUE, NULL},
	{"url_after_backslash", "<a href=\"\\", URL, VALUE, NULL},
	{"url_scheme_unsettled", "<a href=\"ht", URL, VALUE, NULL},
	{"url_path_settled", "<a href=\"/persons/", HTML, VALUE, NULL},
	{"url_query_settled", "<a href=\"/persons?id=", HTML, VALUE, NULL},
	{"url_query_amp_settled", "<a href=\"?a=1&b=", HTML, VALUE, NULL},
	{"url_fragment", "<a href=\"#", HTML, VALUE, NULL},
	{"url_relative", "<a href=\"x/", HTML, VALUE, NULL},
	{"url_https", "<a href=\"https://example.org/", HTML, VALUE, NULL},
	{"url_https_uppercase", "<a href=\"HTTPS://", HTML, VALUE, NULL},
	{"url_mailto", "<a href=\"mailto:", HTML, VALUE, NULL},
	{"url_tel", "<a href=\"tel:", HTML, VALUE, NULL},
	{"url_tab_in_scheme", "<a href=\"ht\ttp:", HTML, VALUE, NULL},
	{"url_data_href_is_plain", "<p data-href=\"", HTML, VALUE, NULL},
	{"url_long_name_is_plain", "<a hrefhrefhrefhref=\"", HTML, VALUE, NULL},
	{"refuse_url_javascript", "<a href=\"javascript:", REFUSED, VALUE, SCHEME},
	{"refuse_url_javascript_mixed_case", "<a href=\"JaVaScRiPt:", REFUSED, VALUE, SCHEME},
	{"refuse_url_javascript_tab", "<a href=\"java\tscript:", REFUSED, VALUE, SCHEME},
	{"refuse_url_javascript_blank", "<a href=\"  javascript:", REFUSED, VALUE, SCHEME},
	{"refuse_url_data", "<img src=\"data:", REFUSED, VALUE, SCHEME},
	{"refuse_url_vbscript", "<a href='vbscript:", REFUSED, VALUE, SCHEME},
	{"refuse_url_entity_first", "<a href=\"&", REFUSED, VALUE, SCHEME},
	{"refuse_url_entity_in_scheme", "<a href=\"java&#115;cript:", REFUSED, VALUE, SCHEME},
	{"refuse_url_entity_after_slash", "<a href=\"/&", REFUSED, VALUE, SCHEME},
	{"refuse_url_long_scheme", "<a href=\"httpshttpshttps:", REFUSED, VALUE, SCHEME},
	{"refuse_url_unquoted", "<a href=", REFUSED, TAG, UNQUOTED},

	/* event handlers, style and srcdoc */
	{"refuse_onclick", "<p onclick=\"", REFUSED, VALUE, HANDLER},
	{"refuse_onclick_uppercase", "<p OnClick='", REFUSED, VALUE, HANDLER},
	{"refuse_onload_long_name", "<body onloadonloadonload=\"", REFUSED, VALUE, HANDLER},
	{"refuse_style_attr", "<p style=\"", REFUSED, VALUE, HANDLER},
	{"refuse_srcdoc", "<iframe srcdoc=\"", REFUSED, VALUE, HANDLER},
	{"refuse_handler_after_value", "<p title=\"x\"onclick=\"", REFUSED, VALUE, HANDLER},

	/* script, style and other raw text */
	{"refuse_script", "<script>", REFUSED, "<script>", "output inside <script>"},
	{"refuse_script_uppercase", "<SCRIPT type=\"text/javascript\">", REFUSED, "<script>",
	 "output inside <script>"},
	{"refuse_script_after_fake_end", "<script></scripty>", REFUSED, "<script>",
	 "output inside <script>"},
	{"refuse_script_after_tag_in_it", "<script>a<b>", REFUSED, "<script>",
	 "output inside <script>"},
	{"refuse_script_string_end", "<script>x=\"</p>\";", REFUSED, "<script>",
	 "output inside <script>"},
	{"text_after_script", "<script>a</script>", HTML, TEXT, NULL},
	{"text_after_script_uppercase_end", "<script>a</SCRIPT >", HTML, TEXT, NULL},
	{"bad_comment_in_script", "<script><!--", BAD_TEXT, NULL, "\"<!--\" inside <script>"},
	{"refuse_style", "<style>", REFUSED, "<style>", "output inside <style>"},
	{"refuse_style_uppercase", "<STYLE>p{}", REFUSED, "<style>", "output inside <style>"},
	{"text_after_style", "<style>p{}</style>", HTML, TEXT, NULL},
	{"refuse_xmp", "<xmp>", REFUSED, "<xmp>", RAW},
	{"refuse_iframe", "<iframe>", REFUSED, "<iframe>", RAW},
	{"refuse_noscript", "<noscript>", REFUSED, "<noscript>", RAW},
	{"refuse_noembed", "<noembed>", REFUSED, "<noembed>", RAW},
	{"refuse_noframes", "<noframes>", REFUSED, "<noframes>", RAW},
	{"refuse_plaintext", "<plaintext>", REFUSED, "<plaintext>", "output after <plaintext>"},
	{"refuse_plaintext_end_ignored", "<plaintext></plaintext>", REFUSED, "<plaintext>",
	 "output after <plaintext>"},

	/* RCDATA: <textarea> and <title> take text, escaped */
	{"rcdata_textarea", "<textarea>", HTML, "<textarea>", NULL},
	{"rcdata_textarea_uppercase", "<TEXTAREA name=\"x\">", HTML, "<textarea>", NULL},
	{"rcdata_title", "<title>", HTML, "<title>", NULL},
	{"rcdata_tags_are_text", "<textarea><p onclick=\"", HTML, "<textarea>", NULL},
	{"rcdata_script_is_text", "<title><script>", HTML, "<title>", NULL},
	{"rcdata_fake_end", "<title></titlex", HTML, "<title>", NULL},
	{"rcdata_other_end", "<textarea></title>", HTML, "<textarea>", NULL},
	{"rcdata_end", "<textarea>a</textarea>", HTML, TEXT, NULL},
	{"rcdata_end_uppercase", "<title>a</TITLE>", HTML, TEXT, NULL},
	{"refuse_rcdata_after_lt", "<textarea><", REFUSED, "<textarea>", AFTER_LT},
	{"refuse_rcdata_after_end_lt", "<title></", REFUSED, "<title>", AFTER_LT},
	{"refuse_rcdata_in_end_tag", "<title></tit", REFUSED, "<title>", AFTER_LT},
	{"refuse_rcdata_end_tag_attrs", "<textarea></textarea ", REFUSED, TAG, IN_TAG},

	/* comments and declarations */
	{"refuse_comment", "<!--", REFUSED, COMMENT, "inside an HTML comment"},
	{"refuse_comment_text", "<!-- a -- b", REFUSED, COMMENT, "inside an HTML comment"},
	{"refuse_comment_gt_inside", "<!-- a > b", REFUSED, COMMENT, "inside an HTML comment"},
	{"refuse_markup", "<!", REFUSED, COMMENT, "inside an HTML comment"},
	{"refuse_doctype", "<!DOCTYPE", REFUSED, COMMENT, "inside an HTML comment"},
	{"refuse_processing", "<?xml", REFUSED, COMMENT, "inside an HTML comment"},
	{"refuse_cdata", "<![CDATA[", REFUSED, COMMENT, "inside an HTML comment"},
	{"text_after_comment", "<!-- x -->", HTML, TEXT, NULL},
	{"text_after_comment_bang", "<!-- x --!>", HTML, TEXT, NULL},
	{"text_after_abrupt_comment", "<!-->", HTML, TEXT, NULL},
	{"text_after_abrupt_comment_dash", "<!--->", HTML, TEXT, NULL},
	{"text_after_doctype", "<!DOCTYPE html>", HTML, TEXT, NULL},
	{"text_after_processing", "<?xml version=\"1.0\"?>", HTML, TEXT, NULL},
	{"text_tags_in_comment", "<!-- <script> -->", HTML, TEXT, NULL},
};

static void run_context(void **state)
{
	const struct ccase *tc = *state;
	struct tmpl_context s;
	const char *msg = NULL;
	int url = -1;
	tmpl_context_start(&s);
	for (size_t i = 0; tc->text[i] && !msg; i++)
		msg = tmpl_context_step(&s, (unsigned char)tc->text[i]);
	if (tc->want == BAD_TEXT) {
		if (!msg || !strstr(msg, tc->msg))
			fail_msg("want the text refused with \"%s\", got \"%s\"", tc->msg,
				 msg ? msg : "(accepted)");
		return;
	}
	if (msg)
		fail_msg("text refused: %s", msg);
	assert_string_equal(tmpl_context_where(&s), tc->where);
	msg = tmpl_context_output(&s, &url);
	if (tc->want == REFUSED) {
		if (!msg || !strstr(msg, tc->msg))
			fail_msg("want the output refused with \"%s\", got \"%s\"", tc->msg,
				 msg ? msg : "(allowed)");
		return;
	}
	if (msg)
		fail_msg("output refused: %s", msg);
	assert_int_equal(url, tc->want == URL);
}

/* Feeds literal text into a fresh state; the test fails when the text is refused. */
static void feed(struct tmpl_context *s, const char *text)
{
	tmpl_context_start(s);
	for (size_t i = 0; text[i]; i++) {
		const char *msg = tmpl_context_step(s, (unsigned char)text[i]);
		if (msg)
			fail_msg("\"%s\" refused: %s", text, msg);
	}
}

/* Outputs written into a URL attribute value after literal text, at render. */
static void test_url_check(void **state)
{
	static const struct {
		const char *prefix; /* literal text already in the value */
		const char *value;
		int ok;
	} v[] = {
		{"", "", 1},
		{"", "/persons/1", 1},
		{"", "?page=2", 1},
		{"", "#top", 1},
		{"", "./a:b", 1},
		{"", "a/b:c", 1},
		{"", "x?y=a:b", 1},
		{"", "https://example.org/", 1},
		{"", "HTTP://example.org/", 1},
		{"", "mailto:a@example.org", 1},
		{"", "tel:+8610", 1},
		{"", " /x", 1},
		{"", "javascript:alert(1)", 0},
		{"", "JaVaScRiPt:alert(1)", 0},
		{"", " javascript:alert(1)", 0},
		{"", "\x01javascript:alert(1)", 0},
		{"", "java\tscript:alert(1)", 0},
		{"", "java\nscript:alert(1)", 0},
		{"", "data:text/html,x", 0},
		{"", "a:b", 0},
		{"", "//evil.example", 0},
		{"", "/\\evil.example", 0},
		{"", "\\\\evil.example", 0},
		{"", "/\t/evil.example", 0},
		{"/", "x", 1},
		{"/", "/evil.example", 0},
		{"/", "\\evil.example", 0},
		{"java", "script:alert(1)", 0},
		{"java", "x", 1},
		{"http", "s://example.org", 1},
		{"ht", "tp:x", 1},
		{"x", ":y", 0},
		{"https:", "javascript:alert(1)", 1},
		{"/persons/", "javascript:alert(1)", 1},
		{" ", "javascript:alert(1)", 0},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct tmpl_url m;
		tmpl_url_reset(&m);
		tmpl_url_feed(&m, v[i].prefix, strlen(v[i].prefix));
		if (tmpl_url_allows(&m, v[i].value, strlen(v[i].value)) != v[i].ok)
			fail_msg("\"%s\" + \"%s\": want %s", v[i].prefix, v[i].value,
				 v[i].ok ? "allowed" : "blocked");
	}
}

/* Where the branches of a section end: joined into one state, or refused. */
static void test_merge(void **state)
{
	static const struct {
		const char *a, *b;
		int ok;
		enum want want; /* an output after the joined state */
	} v[] = {
		{"<p>", "<p>x", 1, HTML},
		{"<p title=\"", "<p title=\"x", 1, HTML},
		{"<a href=\"/x", "<a href=\"https://y/", 1, HTML},
		{"<a href=\"", "<a href=\"/x", 1, URL},
		{"<a href=\"ht", "<a href=\"/x", 1, URL},
		{"<a href=\"/x", "<a href=\"javascript:", 1, REFUSED},
		{"<p", "<p title=\"x\"", 1, REFUSED},
		{"<p>", "<p", 0, HTML},
		{"<p>", "<script>", 0, HTML},
		{"<textarea>", "<title>", 0, HTML},
		{"<p title=\"", "<a href=\"", 0, HTML},
		{"<p title=\"", "<p title='", 0, HTML},
		{"<p>", "<!--", 0, HTML},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct tmpl_context a, b;
		int url = 0, rc;
		const char *msg;
		feed(&a, v[i].a);
		feed(&b, v[i].b);
		rc = tmpl_context_merge(&a, &b);
		if ((rc == 0) != v[i].ok)
			fail_msg("\"%s\" and \"%s\": want %s", v[i].a, v[i].b,
				 v[i].ok ? "joined" : "refused");
		if (rc)
			continue;
		assert_true(tmpl_context_covers(&a, &b));
		msg = tmpl_context_output(&a, &url);
		if ((msg != NULL) != (v[i].want == REFUSED) || url != (v[i].want == URL))
			fail_msg("\"%s\" and \"%s\" joined: output %s, url %d", v[i].a, v[i].b,
				 msg ? msg : "allowed", url);
	}
}

/* A loop body may write anything into a URL whose scheme is not settled. */
static void test_widen(void **state)
{
	struct tmpl_context s, w, after;
	int url = 0;
	feed(&s, "<a href=\"");
	w = tmpl_context_widen(&s);
	assert_true(tmpl_context_covers(&w, &s));
	after = s;
	assert_null(tmpl_context_output(&after, &url));
	assert_int_equal(url, 1);
	assert_true(tmpl_context_covers(&w, &after));
	feed(&s, "<a href=\"/x");
	w = tmpl_context_widen(&s);
	assert_true(tmpl_context_equal(&w, &s));
	feed(&s, "<p>");
	w = tmpl_context_widen(&s);
	assert_true(tmpl_context_equal(&w, &s));
	assert_true(tmpl_context_in_text(&w));
	assert_false(tmpl_context_in_value(&w));
	feed(&s, "<a href='x");
	assert_true(tmpl_context_in_value(&s));
	assert_true(tmpl_context_in_url(&s));
	feed(&s, "<p title='x");
	assert_true(tmpl_context_in_value(&s));
	assert_false(tmpl_context_in_url(&s));
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_url_check),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_widen),
	};
	size_t ncases = sizeof(contexts) / sizeof(contexts[0]);
	size_t nfixed = sizeof(fixed) / sizeof(fixed[0]);
	struct CMUnitTest *tests = calloc(ncases + nfixed, sizeof(*tests));
	int failed;
	for (size_t i = 0; i < ncases; i++)
		tests[i] = (struct CMUnitTest){contexts[i].name, run_context, NULL, NULL,
					       &contexts[i]};
	memcpy(tests + ncases, fixed, sizeof(fixed));
	failed = _cmocka_run_group_tests("tmpl_context", tests, ncases + nfixed, NULL, NULL);
	free(tests);
	return failed;
}
