/* test_chart.c - lib/chart: where bars, labels and counts lie, the rounding of shares,
 * cut labels and the refusals, as tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "lib/chart.h"

static void test_shares_and_widths(void **state)
{
	(void)state;
	static const struct {
		int64_t count, base;
		int permil, bar_w;
	} v[] = {
		{0, 0, 0, 0},                              /* nobody answered: no bar, 0.0% */
		{0, 7, 0, 0},          {7, 7, 1000, 6000}, /* everyone: the whole span (60%) */
		{1, 3, 333, 2000},                         /* 33.3%, 20.00% of the width */
		{2, 3, 667, 4000},                         /* 66.67 rounds half up to 66.7 */
		{1, 8, 125, 750},                          /* 12.5% exactly */
		{1, 2000, 1, 3},      /* 0.05% → 0.1% (half up), 0.03% of the width */
		{1, 2001, 0, 3},      /* 0.0499…% → 0.0% */
		{12, 11, 1000, 6000}, /* more than the base is drawn as the base */
		{300, 400, 750, 4500},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct chart_geom g;
		int h;
		assert_int_equal(chart_layout(&v[i].count, 1, v[i].base, &g, &h), 0);
		assert_int_equal(g.share_permil, v[i].permil);
		assert_int_equal(g.bar_w, v[i].bar_w);
		assert_int_equal(g.text_x, (CHART_SPAN_PCT + CHART_GAP_PCT) * 100);
		assert_int_equal(h, CHART_ROW_PX + 4);
	}
}

static void test_rows_stack(void **state)
{
	(void)state;
	int64_t counts[5] = {5, 0, 3, 9, 1};
	struct chart_geom g[5];
	int h = 0;
	assert_int_equal(chart_layout(counts, 5, 10, g, &h), 0);
	assert_int_equal(h, 5 * CHART_ROW_PX + 4);
	for (int i = 0; i < 5; i++) {
		int top = i * CHART_ROW_PX;
		assert_int_equal(g[i].label_y, top + CHART_LABEL_Y);
		assert_int_equal(g[i].bar_y, top + CHART_BAR_Y);
		assert_int_equal(g[i].text_y, top + CHART_TEXT_Y);
		/* the label sits above the bar, the count's baseline within it: nothing overlaps
		 * the next row */
		assert_true(g[i].label_y < g[i].bar_y);
		assert_true(g[i].text_y <= g[i].bar_y + CHART_BAR_PX);
		assert_true(g[i].bar_y + CHART_BAR_PX < top + CHART_ROW_PX);
		/* the counts make a column right of the track, whatever the bar's length, with a
		 * third of the width left for "999 人 100.0%" */
		assert_true(g[i].bar_w <= CHART_SPAN_PCT * 100);
		assert_int_equal(g[i].text_x, g[0].text_x);
		assert_true(g[i].text_x > CHART_SPAN_PCT * 100 && g[i].text_x <= 6500);
	}
	assert_int_equal(g[3].bar_w, 5400);
	assert_int_equal(chart_layout(counts, 0, 10, g, &h), 0);
	assert_int_equal(h, 4);
}

static void test_refused(void **state)
{
	(void)state;
	int64_t bad[2] = {3, -1};
	struct chart_geom g[CHART_BARS_MAX + 1];
	int64_t many[CHART_BARS_MAX + 1] = {0};
	int h = 9;
	assert_int_equal(chart_layout(bad, 2, 5, g, &h), -1);
	assert_int_equal(h, 0);
	assert_int_equal(chart_layout(bad, 1, -1, g, &h), -1);
	assert_int_equal(chart_layout(many, CHART_BARS_MAX + 1, 5, g, &h), -1);
	assert_int_equal(chart_layout(many, CHART_BARS_MAX, 5, g, &h), 0);
	assert_null(chart_json("x", NULL, CHART_BARS_MAX + 1, 1));
}

static void test_share_text(void **state)
{
	(void)state;
	char t[16];
	chart_share_text(455, t);
	assert_string_equal(t, "45.5%");
	chart_share_text(0, t);
	assert_string_equal(t, "0.0%");
	chart_share_text(1000, t);
	assert_string_equal(t, "100.0%");
}

static void test_json(void **state)
{
	(void)state;
	struct chart_bar bars[3] = {
		{"满意", 3},
		{"一二三四五六七八九十一二三四五六七八", 1}, /* 18 characters: whole */
		{"一二三四五六七八九十一二三四五六七八九<b>", 0},
	};
	json_t *c = chart_json("第1题", bars, 3, 4);
	assert_non_null(c);
	assert_string_equal(json_string_value(json_object_get(c, "caption")), "第1题");
	assert_int_equal(json_integer_value(json_object_get(c, "height")), 3 * CHART_ROW_PX + 4);
	json_t *b = json_object_get(c, "bars");
	assert_int_equal(json_array_size(b), 3);
	json_t *b0 = json_array_get(b, 0);
	assert_string_equal(json_string_value(json_object_get(b0, "share")), "75.0%");
	assert_string_equal(json_string_value(json_object_get(b0, "bar_w")), "45.00%");
	assert_string_equal(json_string_value(json_object_get(b0, "text_x")), "62.00%");
	assert_int_equal(json_integer_value(json_object_get(b0, "count")), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(b, 1), "short")),
			    bars[1].label);
	json_t *b2 = json_array_get(b, 2);
	assert_string_equal(json_string_value(json_object_get(b2, "short")),
			    "一二三四五六七八九十一二三四五六七…");
	assert_string_equal(json_string_value(json_object_get(b2, "label")), bars[2].label);
	assert_string_equal(json_string_value(json_object_get(b2, "bar_w")), "0.00%");
	json_decref(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shares_and_widths),
		cmocka_unit_test(test_rows_stack),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_share_text),
		cmocka_unit_test(test_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
