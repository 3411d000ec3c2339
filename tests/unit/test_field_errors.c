/* test_field_errors.c - lib/field_errors: adding, finding, the cap and the cut message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "lib/field_errors.h"
#include "lib/utf8.h"

static void test_add_and_find(void **state)
{
	(void)state;
	struct field_errors e = {0};
	assert_int_equal(field_errors_count(&e), 0);
	assert_string_equal(field_errors_first(&e, "无"), "无");
	assert_false(field_errors_has(&e, "姓名"));
	field_errors_add(&e, "姓名", "不能超过 %d 个字符", 50);
	field_errors_add(&e, "身份证号", "%s", "请填写身份证号");
	assert_int_equal(field_errors_count(&e), 2);
	assert_true(field_errors_has(&e, "姓名"));
	assert_true(field_errors_has(&e, "身份证号"));
	assert_false(field_errors_has(&e, "住址"));
	assert_string_equal(field_errors_first(&e, "无"), "不能超过 50 个字符");
	assert_string_equal(e.items[1].field, "身份证号");
	field_errors_clear(&e);
	assert_int_equal(field_errors_count(&e), 0);
	assert_false(field_errors_has(&e, "姓名"));
}

/* Past FIELD_ERRORS_MAX the rest are dropped, the first kept. */
static void test_cap(void **state)
{
	(void)state;
	struct field_errors e = {0};
	for (int i = 0; i < FIELD_ERRORS_MAX + 5; i++)
		field_errors_add(&e, i < FIELD_ERRORS_MAX ? "甲" : "乙", "第 %d 个", i);
	assert_int_equal(field_errors_count(&e), FIELD_ERRORS_MAX);
	assert_false(field_errors_has(&e, "乙"));
	assert_string_equal(field_errors_first(&e, NULL), "第 0 个");
}

/* A message too long is cut, a character cut in two replaced: it stays valid UTF-8. */
static void test_long_message_cut_whole(void **state)
{
	(void)state;
	struct field_errors e = {0};
	char long_text[600] = "a";
	for (int i = 0; i < 100; i++)
		strcat(long_text, "错"); /* 3 bytes each: the cut falls inside one */
	field_errors_add(&e, "备注", "%s", long_text);
	const char *m = e.items[0].message;
	assert_true(strlen(m) < FIELD_ERROR_MESSAGE);
	assert_true(utf8_valid(m, strlen(m)));
	assert_int_equal(strlen(m), FIELD_ERROR_MESSAGE - 1);
	assert_int_equal(strncmp(m, long_text, 1 + 3 * 52), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_find),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_long_message_cut_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
