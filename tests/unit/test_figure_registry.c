/* test_figure_registry.c - the registry of figures over every area's set (areas/figure.h):
 * every figure and rate key unique across all sets; the keys the annual report needs found
 * by figure_lookup / figure_rate_lookup, each in its set's paragraph; every unit one of the
 * registry's; every set's paragraph written, its {key} placeholders all known. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "areas/area.h"
#include "areas/figure.h"

/* The keys of every set, figures and rates, in area_list's order into keys; their number. */
static size_t all_keys(const char **keys, size_t max)
{
	size_t n = 0;
	for (const struct area *const *a = area_list; *a; a++) {
		const struct figure_set *set = (*a)->figures;
		if (!set)
			continue;
		for (const struct figure *f = set->figures; f->key && n < max; f++)
			keys[n++] = f->key;
		for (const struct figure_rate *r = set->rates; r && r->key && n < max; r++)
			keys[n++] = r->key;
	}
	return n;
}

static void test_keys_unique(void **state)
{
	(void)state;
	const char *keys[512];
	size_t n = all_keys(keys, 512);
	assert_true(n > 30 && n < 512);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(keys[i], keys[j]) == 0)
				fail_msg("figure key %s appears twice", keys[i]);
	/* and the sets' own names, which name the command and the pages, too */
	const char *areas[64];
	size_t m = 0;
	for (const struct area *const *a = area_list; *a; a++)
		if ((*a)->figures && m < 64)
			areas[m++] = (*a)->figures->area;
	assert_true(m >= 8);
	for (size_t i = 0; i < m; i++)
		for (size_t j = i + 1; j < m; j++)
			assert_string_not_equal(areas[i], areas[j]);
	/* the old statistics keep their commands: no set may take their names */
	for (size_t i = 0; i < m; i++) {
		assert_string_not_equal(areas[i], "benefits");
		assert_string_not_equal(areas[i], "counter");
		assert_string_not_equal(areas[i], "petitions");
	}
}

/* The keys of the annual report (issue 15) and the area each belongs to. */
static const struct {
	const char *key, *area;
	int rate;
} report_keys[] = {
	{"benefit_payments", "payments", 0},
	{"conscript_allowance_payments", "payments", 0},
	{"enlistment_bonus_payments", "payments", 0},
	{"regular_contacts", "care", 0},
	{"temporary_visits", "care", 0},
	{"holiday_visits", "care", 0},
	{"officers_placed", "placement", 0},
	{"soldiers_placed", "placement", 0},
	{"medical_insurance_continued", "placement", 0},
	{"job_fairs", "employment", 0},
	{"enterprises", "employment", 0},
	{"positions", "employment", 0},
	{"shuangyong_activities", "shuangyong", 0},
	{"shuangyong_news", "shuangyong", 0},
	{"brochures", "pufa", 0},
	{"tolerated_items", "applications", 0},
	{"petition_reply_rate", "petition", 1},
	{"exam_participation_rate", "pufa", 1},
	{"exam_excellence_rate", "pufa", 1},
};

static void test_report_keys(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(report_keys) / sizeof(report_keys[0]); i++) {
		const struct figure_set *set = NULL;
		const char *key = report_keys[i].key;
		if (report_keys[i].rate) {
			const struct figure_rate *r = figure_rate_lookup(key, &set);
			if (!r)
				fail_msg("no rate %s", key);
			assert_string_equal(r->key, key);
			assert_null(figure_lookup(key, NULL));
		} else {
			const struct figure *f = figure_lookup(key, &set);
			if (!f)
				fail_msg("no figure %s", key);
			assert_string_equal(f->key, key);
			assert_ptr_equal(figure_find(set, key), f);
			assert_null(figure_rate_lookup(key, NULL));
		}
		assert_non_null(set);
		assert_string_equal(set->area, report_keys[i].area);
		assert_ptr_equal(figure_set_find(set->area), set);
		/* the area's paragraph speaks of it */
		char placeholder[80];
		snprintf(placeholder, sizeof(placeholder), "{%s}", key);
		if (!set->paragraph || !strstr(set->paragraph, placeholder))
			fail_msg("the paragraph of %s does not say %s", set->area, placeholder);
	}
	assert_null(figure_lookup("no_such_figure", NULL));
	assert_null(figure_rate_lookup("benefit_payments", NULL));
}

static void test_units_and_text(void **state)
{
	(void)state;
	static const char *const units[] = {"人", "人次", "项", "场", "家", "个",
					    "份", "篇", "件", "元"};
	for (const struct area *const *a = area_list; *a; a++) {
		const struct figure_set *set = (*a)->figures;
		if (!set)
			continue;
		assert_non_null(set->perm);
		assert_true(set->title && *set->title);
		for (const struct figure *f = set->figures; f->key; f++) {
			int known = 0;
			for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++)
				known |= strcmp(f->unit, units[u]) == 0;
			if (!known)
				fail_msg("%s: unit %s", f->key, f->unit);
			assert_true(f->title && *f->title && f->definition && strlen(f->definition) > 9);
			assert_non_null(f->count_sql);
			assert_non_null(f->list_sql);
			assert_true(f->columns && strchr(f->columns, ':'));
		}
		for (const struct figure_rate *r = set->rates; r && r->key; r++) {
			assert_non_null(figure_find(set, r->numerator));
			assert_non_null(figure_find(set, r->denominator));
		}
	}
}

/* Every set has its paragraph; each {key} in it is a figure or a rate of the registry. */
static void test_paragraphs(void **state)
{
	(void)state;
	int sets = 0;
	for (const struct area *const *a = area_list; *a; a++) {
		const struct figure_set *set = (*a)->figures;
		if (!set)
			continue;
		sets++;
		if (!set->paragraph || strlen(set->paragraph) < 60)
			fail_msg("set %s has no paragraph", set->area);
		int placeholders = 0;
		for (const char *p = strchr(set->paragraph, '{'); p; p = strchr(p + 1, '{')) {
			const char *end = strchr(p, '}');
			assert_non_null(end);
			char key[80];
			size_t n = (size_t)(end - p - 1);
			assert_true(n > 0 && n < sizeof(key));
			memcpy(key, p + 1, n);
			key[n] = '\0';
			if (!figure_lookup(key, NULL) && !figure_rate_lookup(key, NULL))
				fail_msg("paragraph of %s: {%s} is no figure", set->area, key);
			placeholders++;
		}
		if (placeholders == 0)
			fail_msg("paragraph of %s names no figure", set->area);
	}
	assert_true(sets >= 8);
}

/* Every figure charted by month is in the registry and its month column is one of its
 * columns: a chart never asks for a column its rows don't have. */
static void test_months(void **state)
{
	(void)state;
	size_t n = 0;
	for (const struct figure_month *m = figure_months; m->key; m++, n++) {
		const struct figure *f = figure_lookup(m->key, NULL);
		assert_non_null(f);
		json_t *cols = figure_columns(f);
		int found = 0;
		size_t i;
		json_t *c;
		json_array_foreach(cols, i, c)
			found |= strcmp(json_string_value(json_object_get(c, "key")), m->column) == 0;
		json_decref(cols);
		if (!found)
			fail_msg("%s has no column %s", m->key, m->column);
		assert_ptr_equal(figure_month_column(m->key), m->column);
	}
	assert_true(n >= 5);
	assert_null(figure_month_column("no_such_figure"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_unique),
		cmocka_unit_test(test_report_keys),
		cmocka_unit_test(test_units_and_text),
		cmocka_unit_test(test_paragraphs),
		cmocka_unit_test(test_months),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
