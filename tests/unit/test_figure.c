/* test_figure.c - areas/figure: a figure and its list come from one SELECT, so the list has
 * as many rows as the figure (a sum figure: its rows' column adds up to it); the year, the
 * as-of day and the reader's data scope bound both; rates; the columns' names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "areas/account.h"
#include "areas/figure.h"
#include "db/db.h"
#include "fixture.h"
#include "lib/err.h"

/* A table of visits: who, where, when, how many copies handed out, and a deadline. */
#define ROWS_VISITS                                                                                \
	"SELECT t.id AS id, t.who AS who, t.on_day AS on_day FROM fig_t t CROSS JOIN k "           \
	"WHERE t.on_day >= k.ys AND t.on_day <= k.ye AND " FIGURE_SCOPE("t.region_code", "t.created_by")
#define ROWS_PEOPLE                                                                                \
	"SELECT t.who AS who, count(*) AS visits FROM fig_t t CROSS JOIN k "                       \
	"WHERE t.on_day >= k.ys AND t.on_day <= k.ye AND " FIGURE_SCOPE(                           \
		"t.region_code", "t.created_by") " GROUP BY t.who"
#define ROWS_OVERDUE                                                                               \
	"SELECT t.id AS id, t.due AS due FROM fig_t t CROSS JOIN k WHERE t.due < k.asof AND "      \
	"substr(t.due, 1, 4) = substr(k.ys, 1, 4) AND " FIGURE_SCOPE("t.region_code", "t.created_by")

static const struct figure figures[] = {
	FIGURE_ROWS("visits", "走访", "人次", "走访日期在本年的", ROWS_VISITS, "r.id",
		    "id:编号,who:对象,on_day:日期"),
	FIGURE_ROWS("people", "走访对象", "人", "本年走访过的不重复的人", ROWS_PEOPLE, "r.who",
		    "who:对象,visits:次数"),
	FIGURE_SUM("copies", "发放份数", "份", "本年发放的份数之和",
		   "SELECT t.id AS id, t.copies AS copies FROM fig_t t CROSS JOIN k WHERE t.on_day "
		   ">= k.ys AND t.on_day <= k.ye AND " FIGURE_SCOPE("t.region_code", "t.created_by"),
		   "r.id", "id:编号,copies:份数", "copies"),
	FIGURE_ROWS("overdue", "逾期", "件", "期限在本年、早于统计截止日的", ROWS_OVERDUE, "r.id",
		    "id:编号,due:期限"),
	{0},
};
static const struct figure_rate rates[] = {
	{"people_rate", "人数占比", "走访对象 ÷ 走访", "people", "visits"},
	{"none_rate", "无分母", "逾期 ÷ 空", "overdue", "nothing"},
	{0},
};
static const struct figure_set set = {"fig", "测试", NULL, figures, rates, NULL};

static int64_t stat(struct db *db, const struct principal *by, int year, const char *key)
{
	json_t *o = NULL;
	assert_int_equal(figure_stats(db, by, &set, year, &o), 0);
	int64_t v = json_integer_value(json_object_get(o, key));
	json_decref(o);
	return v;
}

struct walk {
	int64_t rows, sum;
	char first[32];
};

static int on_row(void *ctx, json_t *o)
{
	struct walk *w = ctx;
	if (w->rows++ == 0) {
		json_t *v = json_object_get(o, "who");
		snprintf(w->first, sizeof(w->first), "%s", v ? json_string_value(v) : "");
	}
	w->sum += json_integer_value(json_object_get(o, "copies"));
	return 0;
}

static struct walk walk(struct db *db, const struct principal *by, const char *key, int year,
			int64_t offset, int64_t limit, int64_t *total)
{
	struct walk w = {0};
	assert_int_equal(figure_list(db, by, figure_find(&set, key), year, offset, limit, total,
				     on_row, &w),
			 0);
	return w;
}

static void test_figures(void **state)
{
	(void)state;
	struct test_store s;
	assert_int_equal(test_district_open(&s, "figure"), 0);
	struct db *db = s.db;
	assert_int_equal(db_exec(db, "CREATE TABLE fig_t (id INTEGER PRIMARY KEY, who TEXT NOT NULL, "
				     "on_day TEXT NOT NULL, due TEXT NOT NULL, copies INTEGER NOT "
				     "NULL, region_code TEXT NOT NULL, created_by INTEGER NOT NULL)"),
			 0);
	/* 2025: 甲 twice and 乙 in street 420199001, 丙 in 420199002; one row in 2024 */
	assert_int_equal(
		db_exec(db, "INSERT INTO fig_t VALUES (1, '甲', '2025-01-05', '2025-06-01', 100, "
			    "'420199001001', 7), (2, '甲', '2025-08-01', '2026-02-01', 50, "
			    "'420199001001', 7), (3, '乙', '2025-12-31', '2025-12-31', 5, "
			    "'420199001002', 8), (4, '丙', '2025-03-01', '2025-03-01', 1, "
			    "'420199002001', 8), (5, '甲', '2024-12-31', '2024-01-01', 1000, "
			    "'420199001001', 7)"),
		0);
	struct principal all, street, self;
	account_cli_principal(&all);
	street = all;
	street.scope.kind = SCOPE_ORG_TREE;
	snprintf(street.region_code, sizeof(street.region_code), "420199001");
	self = all;
	self.scope.kind = SCOPE_SELF;
	self.scope.user_id = 8;

	assert_int_equal(stat(db, &all, 2025, "visits"), 4);
	assert_int_equal(stat(db, &all, 2025, "people"), 3);
	assert_int_equal(stat(db, &all, 2025, "copies"), 156);
	assert_int_equal(stat(db, &all, 2024, "visits"), 1);
	assert_int_equal(stat(db, &street, 2025, "visits"), 3);
	assert_int_equal(stat(db, &street, 2025, "people"), 2);
	assert_int_equal(stat(db, &self, 2025, "visits"), 2);
	/* as of the year's end (a past year): both 2025 deadlines before 12-31 are overdue */
	assert_int_equal(stat(db, &all, 2025, "overdue"), 2);

	int64_t total = -1;
	struct walk w = walk(db, &all, "visits", 2025, 0, -1, &total);
	assert_int_equal(w.rows, 4);
	assert_int_equal(total, 4);
	assert_string_equal(w.first, "甲");
	w = walk(db, &all, "copies", 2025, 0, -1, &total);
	assert_int_equal(w.rows, 4); /* the rows summed, */
	assert_int_equal(total, 4);
	assert_int_equal(w.sum, 156); /* and their column adds up to the figure */
	w = walk(db, &all, "visits", 2025, 1, 2, &total); /* a page */
	assert_int_equal(w.rows, 2);
	assert_int_equal(total, 4);
	w = walk(db, &street, "people", 2025, 0, -1, NULL);
	assert_int_equal(w.rows, 2);

	json_t *o = NULL;
	assert_int_equal(figure_stats(db, &all, &set, 2025, &o), 0);
	assert_true(json_number_value(json_object_get(o, "people_rate")) == 75.0);
	assert_true(json_is_null(json_object_get(o, "none_rate")));
	assert_string_equal(json_string_value(json_object_get(o, "as_of")), "2025-12-31");
	assert_int_equal(json_array_size(json_object_get(o, "figures")), 4);
	assert_int_equal(json_array_size(json_object_get(o, "rates")), 2);
	json_decref(o);
	assert_int_equal(figure_stats(db, &all, &set, 1949, &o), VE_INVALID);

	json_t *c = figure_columns(figure_find(&set, "visits"));
	assert_int_equal(json_array_size(c), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(c, 2), "key")),
			    "on_day");
	assert_string_equal(json_string_value(json_object_get(json_array_get(c, 2), "title")),
			    "日期");
	json_decref(c);
	assert_null(figure_find(&set, "nothing"));
	assert_null(figure_find(&set, NULL));
	assert_null(figure_set_find("no-such-area"));
	assert_int_equal(test_store_close(&s), 0);
}

int main(void)
{
	setenv("VETS_FAKE_NOW", "1768442400", 1); /* 2026-01-15 10:00 Asia/Shanghai */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_figures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
