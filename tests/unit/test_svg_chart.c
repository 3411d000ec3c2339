/* test_svg_chart.c - web/chart: the SVG charts of the dashboard. Texts are escaped, every
 * value is written as text, shapes are as many as the values that have one, all-zero data
 * draws 无数据 without dividing by zero, huge values keep their digits, refusals write
 * nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <expat.h>
#include <string.h>

#include "lib/err.h"
#include "web/chart.h"

static int occurrences(const char *s, const char *what)
{
	int n = 0;
	for (const char *p = s; (p = strstr(p, what)) != NULL; p += strlen(what))
		n++;
	return n;
}

/* 1 when s is one well-formed XML document (an SVG that a browser parses). */
static int well_formed(const char *s)
{
	XML_Parser p = XML_ParserCreate("UTF-8");
	int ok = XML_Parse(p, s, (int)strlen(s), 1) == XML_STATUS_OK;
	XML_ParserFree(p);
	return ok;
}

typedef int (*draw_fn)(struct buf *, const struct chart *);
static const draw_fn draws[] = {chart_svg_columns, chart_svg_bars, chart_svg_shares};

static void test_counts_and_percent(void **state)
{
	(void)state;
	static const struct {
		int64_t v;
		const char *text;
	} counts[] = {{0, "0"},
		      {7, "7"},
		      {999, "999"},
		      {1000, "1,000"},
		      {11047, "11,047"},
		      {1234567, "1,234,567"},
		      {-1496, "-1,496"},
		      {INT64_MAX, "9,223,372,036,854,775,807"},
		      {INT64_MIN, "-9,223,372,036,854,775,808"}};
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		char t[32];
		chart_count_text(counts[i].v, t);
		assert_string_equal(t, counts[i].text);
	}
	static const struct {
		int64_t part, whole;
		int permil;
		const char *text;
	} shares[] = {{0, 0, -1, "—"},      {5, 0, -1, "—"},
		      {0, 7, 0, "0.0%"},    {7, 7, 1000, "100.0%"},
		      {1, 3, 333, "33.3%"}, {2, 3, 667, "66.7%"},
		      {1, 2000, 1, "0.1%"}, {1, 2001, 0, "0.0%"},
		      {1, 8, 125, "12.5%"}, {INT64_MAX / 2, INT64_MAX, 500, "50.0%"}};
	for (size_t i = 0; i < sizeof(shares) / sizeof(shares[0]); i++) {
		int p = chart_permil(shares[i].part, shares[i].whole);
		assert_int_equal(p, shares[i].permil);
		char t[16];
		chart_percent_text(p, t);
		assert_string_equal(t, shares[i].text);
	}
}

/* Labels and titles that would break out of the SVG come back as references. */
static void test_escaping(void **state)
{
	(void)state;
	struct chart_item items[] = {
		{"<script>alert(1)</script>", 3}, {"A&B \"q\" 'x'", 2}, {"tab\there\x01\x7f", 1}};
	struct chart c = {"c1", "标题 <b>&", "人次", items, 3};
	for (size_t d = 0; d < 3; d++) {
		struct buf b;
		buf_init(&b, 1 << 20);
		assert_int_equal(draws[d](&b, &c), 0);
		const char *s = buf_cstr(&b);
		assert_true(well_formed(s));
		assert_null(strstr(s, "<script"));
		assert_null(strstr(s, "<b>"));
		assert_null(strchr(s, '\x01'));
		assert_null(strchr(s, '\x7f'));
		assert_non_null(strstr(s, "<title id=\"c1-t\">标题 &lt;b&gt;&amp;</title>"));
		/* the <desc> has the whole labels */
		assert_non_null(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt; 3 人次"));
		assert_non_null(strstr(s, "A&amp;B &quot;q&quot; &#39;x&#39; 2 人次"));
		assert_non_null(strstr(s, "tab here 1 人次"));
		assert_non_null(strstr(s, "role=\"img\""));
		assert_non_null(strstr(s, "aria-labelledby=\"c1-t c1-d\""));
		assert_int_equal(occurrences(s, "<svg"), 1);
		assert_int_equal(occurrences(s, "</svg>"), 1);
		buf_free(&b);
	}
	/* an id that would leave its attribute is refused, and nothing is written */
	c.id = "a\" onload=\"x";
	struct buf b;
	buf_init(&b, 1 << 20);
	for (size_t d = 0; d < 3; d++)
		assert_int_equal(draws[d](&b, &c), VE_INVALID);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

/* One bar per value above 0, every value as text, and the sum in the desc. */
static void test_shapes(void **state)
{
	(void)state;
	int64_t m[12] = {120, 0, 30, 0, 0, 0, 0, 5, 0, 0, 0, 1341};
	struct chart_item items[12];
	for (int i = 0; i < 12; i++)
		items[i] = (struct chart_item){chart_month_labels[i], m[i]};
	struct chart c = {"m", "2023 年节日慰问（按月）", "人次", items, 12};
	struct buf b;
	buf_init(&b, 1 << 20);
	assert_int_equal(chart_svg_columns(&b, &c), 0);
	const char *s = buf_cstr(&b);
	assert_true(well_formed(s));
	assert_int_equal(occurrences(s, "class=\"bar\""), 4);
	assert_int_equal(occurrences(s, "class=\"v\""), 12);
	assert_int_equal(occurrences(s, ">1,341</text>"), 1);
	assert_int_equal(occurrences(s, ">0</text>"), 8);
	assert_non_null(strstr(s, "合计 1,496 人次"));
	assert_non_null(strstr(s, ">12月</text>"));
	assert_null(strstr(s, "无数据"));
	buf_reset(&b);

	assert_int_equal(chart_svg_bars(&b, &c), 0);
	s = buf_cstr(&b);
	assert_true(well_formed(s));
	assert_int_equal(occurrences(s, "class=\"bar\""), 4);
	assert_int_equal(occurrences(s, "class=\"v\""), 12);
	buf_reset(&b);

	/* shares: one part per value above 0 in the bar, one swatch per part in the legend,
	 * each part's percentage */
	struct chart_item parts[] = {{"优秀", 19}, {"参考未达优秀", 0}, {"未参考", 1}};
	struct chart p = {"p", "学法考试", "人", parts, 3};
	assert_int_equal(chart_svg_shares(&b, &p), 0);
	s = buf_cstr(&b);
	assert_true(well_formed(s));
	assert_int_equal(occurrences(s, "class=\"part "), 2 + 3);
	assert_non_null(strstr(
		s, ">19</tspan> 人（<tspan class=\"v\" font-weight=\"bold\">95.0%</tspan>）"));
	assert_non_null(
		strstr(s, ">0</tspan> 人（<tspan class=\"v\" font-weight=\"bold\">0.0%</tspan>）"));
	assert_non_null(strstr(s, ">5.0%<"));
	assert_non_null(strstr(s, "合计：<tspan class=\"v\" font-weight=\"bold\">20</tspan>"));
	assert_non_null(strstr(s, "优秀 19 人（95.0%）；参考未达优秀 0 人（0.0%）"));
	buf_free(&b);
}

/* All zero, and no items at all: an empty chart that says 无数据, no bar, no NaN. */
static void test_empty(void **state)
{
	(void)state;
	struct chart_item zero[3] = {{"甲", 0}, {"乙", 0}, {"丙", 0}};
	struct chart cs[] = {{"z", "全零", "人", zero, 3}, {"e", "无项", "人", NULL, 0}};
	for (size_t k = 0; k < 2; k++)
		for (size_t d = 0; d < 3; d++) {
			struct buf b;
			buf_init(&b, 1 << 20);
			assert_int_equal(draws[d](&b, &cs[k]), 0);
			const char *s = buf_cstr(&b);
			assert_true(well_formed(s));
			assert_non_null(strstr(s, ">无数据</text>"));
			assert_int_equal(occurrences(s, "class=\"bar\""), 0);
			assert_int_equal(occurrences(s, "class=\"part "), 0);
			assert_null(strstr(s, "nan\""));
			assert_null(strstr(s, "inf\""));
			assert_non_null(strstr(s, "无数据（各项均为 0）"));
			buf_free(&b);
		}
}

/* Huge values keep every digit; one huge and one small value both drawn, no overflow. */
static void test_huge(void **state)
{
	(void)state;
	struct chart_item items[] = {{"大", INT64_MAX}, {"小", 1}, {"也大", INT64_MAX / 3}};
	struct chart c = {"h", "极大", "元", items, 3};
	for (size_t d = 0; d < 3; d++) {
		struct buf b;
		buf_init(&b, 1 << 20);
		assert_int_equal(draws[d](&b, &c), 0);
		const char *s = buf_cstr(&b);
		assert_true(well_formed(s));
		assert_non_null(strstr(s, "9,223,372,036,854,775,807"));
		assert_null(strstr(s, "nan\""));
		assert_null(strstr(s, "inf\""));
		assert_null(strstr(s, "\"-"));
		buf_free(&b);
	}
}

/* More than CHART_ITEMS_MAX items or a negative value: refused, nothing written; a buffer
 * too small: VE_LIMIT and the buffer as it was. */
static void test_refused(void **state)
{
	(void)state;
	static struct chart_item many[CHART_ITEMS_MAX + 1];
	for (size_t i = 0; i <= CHART_ITEMS_MAX; i++)
		many[i] = (struct chart_item){"街道", (int64_t)i};
	struct chart c = {"r", "多", "人", many, CHART_ITEMS_MAX + 1};
	struct buf b;
	buf_init(&b, 1 << 20);
	for (size_t d = 0; d < 3; d++)
		assert_int_equal(draws[d](&b, &c), VE_INVALID);
	c.n = CHART_ITEMS_MAX;
	for (size_t d = 0; d < 3; d++) {
		assert_int_equal(draws[d](&b, &c), 0);
		buf_reset(&b);
	}
	struct chart_item neg[] = {{"负", -1}};
	struct chart cn = {"n", "负数", "人", neg, 1};
	for (size_t d = 0; d < 3; d++)
		assert_int_equal(draws[d](&b, &cn), VE_INVALID);
	assert_int_equal(chart_describe(&b, &cn, 0), VE_INVALID);
	assert_int_equal(b.len, 0);
	buf_free(&b);

	buf_init(&b, 200);
	buf_puts(&b, "kept");
	c.n = 3;
	for (size_t d = 0; d < 3; d++) {
		assert_int_equal(draws[d](&b, &c), VE_LIMIT);
		assert_string_equal(buf_cstr(&b), "kept");
		assert_int_equal(b.overflow, 0);
	}
	buf_free(&b);
}

/* Labels longer than CHART_LABEL_CUT are cut in the drawing, whole in the desc. */
static void test_cut_labels(void **state)
{
	(void)state;
	struct chart_item items[] = {{"一二三四五六七八九十十一十二", 4}};
	struct chart c = {"l", "长", "人", items, 1};
	struct buf b;
	buf_init(&b, 1 << 20);
	assert_int_equal(chart_svg_bars(&b, &c), 0);
	const char *s = buf_cstr(&b);
	assert_non_null(strstr(s, ">一二三四五六七八九…</text>"));
	assert_non_null(strstr(s, "一二三四五六七八九十十一十二 4 人"));
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_and_percent),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_cut_labels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
