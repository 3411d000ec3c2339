/* test_placement.c - areas/placement's pure rules: the 6-month deadline (a month's last day
 * when the day does not exist, across years and leap years), which methods arrange a job,
 * the steps' titles; and the plan's counts refused naming the field on a fresh store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "areas/account.h"
#include "areas/placement.h"
#include "db/db.h"
#include "fixture.h"
#include "lib/err.h"

static void test_month_add(void **state)
{
	(void)state;
	char out[11];
	assert_int_equal(placement_month_add("2026-06-01", 6, out), 0);
	assert_string_equal(out, "2026-12-01");
	assert_int_equal(placement_month_add("2026-08-31", 6, out), 0);
	assert_string_equal(out, "2027-02-28");
	assert_int_equal(placement_month_add("2027-08-31", 6, out), 0);
	assert_string_equal(out, "2028-02-29");
	assert_int_equal(placement_month_add("2026-03-31", 6, out), 0);
	assert_string_equal(out, "2026-09-30");
	assert_int_equal(placement_month_add("2026-12-15", 6, out), 0);
	assert_string_equal(out, "2027-06-15");
	assert_int_equal(placement_month_add("2026-02-30", 6, out), -1);
	assert_int_equal(placement_month_add("nonsense", 6, out), -1);
}

static void test_vocabularies(void **state)
{
	(void)state;
	assert_true(placement_method_arranged("安排工作"));
	assert_true(placement_method_arranged("转业"));
	assert_false(placement_method_arranged("自主就业"));
	assert_false(placement_method_arranged("复员"));
	assert_false(placement_method_arranged(NULL));
	assert_string_equal(placement_step_title("report"), "报到");
	assert_string_equal(placement_step_title("place"), "岗位落实");
	assert_string_equal(placement_step_title("unknown"), "unknown");
}

static void test_plan_refused(void **state)
{
	(void)state;
	struct test_store s;
	assert_int_equal(test_district_open(&s, "placement"), 0);
	struct principal clerk;
	memset(&clerk, 0, sizeof(clerk));
	clerk.user_id = 0;
	clerk.roles = 1u << ROLE_CLERK;
	clerk.scope.kind = SCOPE_ALL;
	struct field_errors fe = {0};
	char err[256] = "";
	assert_int_equal(placement_plan_set(s.db, &clerk, "2026", "-2", "x", "", &fe, err, sizeof(err)),
			 VE_INVALID);
	assert_true(field_errors_has(&fe, "军转干部计划数"));
	assert_true(field_errors_has(&fe, "退役士兵计划数"));
	json_t *plans = NULL;
	assert_int_equal(placement_plans(s.db, &clerk, &plans), 0);
	assert_int_equal(json_array_size(plans), 0);
	json_decref(plans);
	memset(&fe, 0, sizeof(fe));
	assert_int_equal(placement_plan_set(s.db, &clerk, "2026", "8", "21", "", &fe, err, sizeof(err)), 0);
	assert_int_equal(placement_plans(s.db, &clerk, &plans), 0);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(plans, 0), "soldiers")), 21);
	json_decref(plans);
	struct principal station = clerk;
	station.roles = 1u << ROLE_STATION;
	assert_int_equal(placement_plan_set(s.db, &station, "2026", "1", "1", "", &fe, err, sizeof(err)),
			 VE_DENIED);
	assert_int_equal(test_store_close(&s), 0);
}

int main(void)
{
	setenv("VETS_FAKE_NOW", "1768442400", 1); /* 2026-01-15 10:00 Asia/Shanghai */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_month_add),
		cmocka_unit_test(test_vocabularies),
		cmocka_unit_test(test_plan_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
