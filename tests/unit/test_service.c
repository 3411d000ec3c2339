/* test_service.c - areas/service: an item read by code and by id with its materials in order,
 * and the .docx writer's escaping (io/docx). Imports, pages and the API are covered by
 * tests/http/services.test.mjs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "areas/service.h"
#include "db/db.h"
#include "fixture.h"
#include "lib/err.h"

static void test_item_get(void **state)
{
	(void)state;
	struct test_store s;
	assert_int_equal(test_district_open(&s, "service"), 0);
	assert_int_equal(db_run(s.db, "INSERT INTO service_items (id, code, name, time_limit_days, "
				"created_at, updated_at) VALUES (7, 'TY-001', '退役报到', 5, 0, 0)", ""), 0);
	assert_int_equal(db_run(s.db, "INSERT INTO service_materials (item_id, name, essential, "
				"position) VALUES (7, '退役证', 1, 2), (7, '户口簿', 0, 1)", ""), 0);
	struct service_item it;
	assert_int_equal(service_item_get(s.db, "TY-001", 0, &it), 0);
	assert_int_equal(it.id, 7);
	assert_string_equal(it.name, "退役报到");
	assert_int_equal(it.time_limit_days, 5);
	assert_int_equal(it.n_materials, 2);
	assert_string_equal(it.materials[0].name, "户口簿");
	assert_int_equal(it.materials[0].essential, 0);
	assert_string_equal(it.materials[1].name, "退役证");
	assert_int_equal(it.materials[1].essential, 1);
	assert_int_equal(service_item_get(s.db, NULL, 7, &it), 0);
	assert_string_equal(it.code, "TY-001");
	assert_int_equal(service_item_get(s.db, "NONE", 0, &it), VE_NOTFOUND);
	assert_int_equal(service_item_get(s.db, NULL, 8, &it), VE_NOTFOUND);
	assert_int_equal(test_store_close(&s), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_item_get),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
