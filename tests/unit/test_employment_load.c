/* test_employment_load.c - employment_seekers_load, the loader the demo uses: all records or
 * none, and a refusal naming the record and, when there is one, the field (a refusal of the
 * whole record, such as a second open registration, names no empty field). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "areas/account.h"
#include "areas/employment.h"
#include "db/db.h"
#include "fixture.h"

static void test_load_refusals(void **state)
{
	(void)state;
	struct test_store s;
	assert_int_equal(test_district_open(&s, "employment-load"), 0);
	struct db *db = s.db;
	assert_int_equal(db_exec(db, "INSERT INTO persons (id, region_code, name, id_enc, id_bidx, "
				     "id_mask, sex, birth_date, created_at, updated_at) VALUES (7, "
				     "'420199', '求职者', X'00', 'b7', '4201**********0017', '男', "
				     "'1980-01-01', 0, 0)"),
			 0);
	struct principal by;
	account_cli_principal(&by);
	struct employment_seeker_load v[2];
	memset(v, 0, sizeof(v));
	for (int i = 0; i < 2; i++) {
		v[i].seeker.person_id = "7";
		v[i].seeker.intention = "保安";
		v[i].seeker.registered_on = "2025-01-02";
	}
	char err[512] = "";
	/* the same person twice: the second refused as a whole record */
	assert_int_not_equal(employment_seekers_load(db, &by, v, 2, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "第 2 条："));
	assert_non_null(strstr(err, "该人员已有求职登记"));
	assert_null(strstr(err, " ："));
	int64_t n = -1;
	assert_int_equal(db_int_query(db, &n, 0, "SELECT count(*) FROM employment_seekers", ""), 0);
	assert_int_equal(n, 0);
	/* a fault of a field names it */
	v[0].seeker.person_id = "七";
	assert_int_not_equal(employment_seekers_load(db, &by, v, 1, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "第 1 条 人员编号：人员编号应为正整数"));
	assert_int_equal(test_store_close(&s), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_load_refusals)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
