/* test_lists.c - a database error while a list is read is VE_DB, never a list cut short that
 * looks whole (the articles' staff and public lists). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <jansson.h>

#include "areas/account.h"
#include "areas/article.h"
#include "db/db.h"
#include "lib/err.h"

#include "fixture.h"

#define COLS                                                                                       \
	"id, region_code, kind, category, %s AS title, body, source, doc_no, published_on, status, " \
	"created_at, created_by, created_name, updated_at, updated_by, updated_name, published_at, " \
	"published_by, published_name, withdrawn_at, withdrawn_by, withdrawn_name, withdraw_reason"

static void test_article_lists(void **state)
{
	(void)state;
	struct test_store s;
	assert_int_equal(test_district_open(&s, "lists"), 0);
	for (int i = 1; i <= 3; i++) {
		char sql[512];
		snprintf(sql, sizeof(sql),
			 "INSERT INTO articles (id, region_code, kind, title, body, published_on, status, "
			 "created_at, created_name, updated_at, updated_name) VALUES (%d, '420199', "
			 "'新闻', '新闻%d', '正文', '2026-03-0%d', '已发布', 1, 'x', %d, 'x')",
			 i, i, i, i);
		assert_int_equal(db_exec(s.db, sql), 0);
	}
	struct principal clerk;
	account_cli_principal(&clerk);
	json_t *out = NULL;
	assert_int_equal(article_public_list(s.db, "新闻", "", 1, 20, &out), 0);
	assert_int_equal(json_array_size(json_object_get(out, "items")), 3);
	json_decref(out);
	/* the second row read (id 2, in either order) fails: abs() of the least integer overflows */
	char view[1024];
	snprintf(view, sizeof(view), "CREATE VIEW articles AS SELECT " COLS " FROM articles_real",
		 "CASE WHEN id = 2 THEN abs(-9223372036854775807 - 1) ELSE title END");
	assert_int_equal(db_exec(s.db, "ALTER TABLE articles RENAME TO articles_real"), 0);
	assert_int_equal(db_exec(s.db, view), 0);
	out = NULL;
	assert_int_equal(article_public_list(s.db, "新闻", "", 1, 20, &out), VE_DB);
	assert_null(out);
	assert_int_equal(article_list(s.db, &clerk, "", "", "", 1, &out), VE_DB);
	assert_null(out);
	assert_int_equal(test_store_close(&s), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_article_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
