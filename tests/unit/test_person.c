/* test_person.c - areas/person's field table and what it drives: the parsing and checks of
 * a person's fields, the masks, the views in the history and the export, and the
 * comparison of two records, each on a table of cases. No database: no case names a
 * street or community. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "areas/person.h"
#include "areas/person_record.h"
#include "areas/sealed.h"
#include "lib/idcard.h"

/* A valid 身份证号 (born 1949-12-31, male), its check digit computed. */
static const char *valid_id(void)
{
	static char id[19];
	snprintf(id, sizeof(id), "%s%c", "11010519491231003", idcard_check_char("11010519491231003"));
	return id;
}

/* ---- the table itself ---- */

static void test_table_shape(void **state)
{
	(void)state;
	static const char *const labels[PERSON_FIELDS] = {
		"姓名",     "身份证号", "人员类别", "联系电话", "街道",
		"社区",     "住址",     "入伍时间", "退役时间", "安置方式",
		"残疾等级", "残疾性质", "开户银行", "银行账号", "备注"};
	const char *header[PERSON_FIELDS];
	person_column_labels(header);
	for (int i = 0; i < PERSON_FIELDS; i++) {
		assert_string_equal(person_fields[i].label, labels[i]);
		assert_string_equal(header[i], labels[i]);
		for (int k = 0; k < i; k++) {
			assert_string_not_equal(person_fields[i].name, person_fields[k].name);
			assert_int_not_equal(person_fields[i].text, person_fields[k].text);
			assert_int_not_equal(person_fields[i].value, person_fields[k].value);
		}
	}
}

/* Which fields are sealed, how each is masked, which are required. */
static void test_table_seals_and_masks(void **state)
{
	(void)state;
	static const struct {
		const char *label;
		int sealed, required;
		enum person_mask mask;
	} want[] = {
		{"姓名", 0, 1, PERSON_MASK_NONE},
		{"身份证号", 1, 1, PERSON_MASK_ID},
		{"人员类别", 0, 1, PERSON_MASK_NONE},
		{"联系电话", 1, 0, PERSON_MASK_PHONE},
		{"住址", 0, 0, PERSON_MASK_NONE},
		{"残疾等级", 1, 0, PERSON_MASK_HIDDEN},
		{"残疾性质", 1, 0, PERSON_MASK_HIDDEN},
		{"银行账号", 1, 0, PERSON_MASK_ACCOUNT},
		{"备注", 0, 0, PERSON_MASK_NONE},
	};
	for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
		int found = 0;
		for (int i = 0; i < PERSON_FIELDS; i++) {
			if (strcmp(person_fields[i].label, want[w].label) != 0)
				continue;
			found = 1;
			assert_int_equal(person_fields[i].sealed, want[w].sealed);
			assert_int_equal(person_fields[i].required, want[w].required);
			assert_int_equal(person_fields[i].mask, want[w].mask);
		}
		assert_true(found);
	}
}

static void test_vocabularies(void **state)
{
	(void)state;
	const char *const *names;
	char text[128];
	assert_int_equal(person_vocabulary(PERSON_NATURES, &names), 3);
	assert_string_equal(names[0], "因战");
	assert_int_equal(person_vocab_find(PERSON_NATURES, "因病"), 2);
	assert_int_equal(person_vocab_find(PERSON_NATURES, "因私"), -1);
	assert_int_equal(person_vocab_find(PERSON_STATUSES, NULL), -1);
	person_vocab_text(PERSON_RELATIONS, text, sizeof(text));
	assert_string_equal(text, "配偶、父母、子女、兄弟姐妹");
	person_vocab_text(PERSON_STATUSES, text, sizeof(text));
	assert_string_equal(text, "在册、中止、取消、迁出、死亡");
	assert_int_equal(person_vocabulary(PERSON_PLACEMENTS, &names), 7);
	assert_int_equal(person_vocabulary(PERSON_VOCABS, &names), 0);
}

/* ---- parsing and checks ---- */

struct parse_case {
	const char *label; /* the field given value (NULL: the base person alone) */
	const char *value;
	const char *categories; /* NULL: 退役军人 */
	const char *field;      /* NULL: accepted; else the first field refused */
};

static const struct parse_case parse_cases[] = {
	{NULL, NULL, NULL, NULL},
	{"姓名", "", NULL, "姓名"},
	{"姓名", "王\n伟", NULL, "姓名"},
	{"姓名", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一",
	 NULL, "姓名"},
	{"身份证号", "110105194912310", NULL, "身份证号"},
	{"身份证号", "", NULL, "身份证号"},
	{"人员类别", "", "", "人员类别"},
	{"人员类别", NULL, "退役军人；参战退役军人", NULL},
	{"人员类别", NULL, "退役军人、军嫂", "人员类别"},
	{"联系电话", "13812345678", NULL, NULL},
	{"联系电话", "027-88886666", NULL, NULL},
	{"联系电话", "12345", NULL, "联系电话"},
	{"联系电话", "", NULL, NULL},
	{"入伍时间", "1969-01", NULL, NULL},
	{"入伍时间", "2000-13", NULL, "入伍时间"},
	{"入伍时间", "2999-01-01", NULL, "入伍时间"},
	{"退役时间", "1960-01-01", NULL, "退役时间"}, /* before the base's 入伍时间 */
	{"安置方式", "自主就业", NULL, NULL},
	{"安置方式", "随便", NULL, "安置方式"},
	{"残疾等级", "3", NULL, "残疾等级"}, /* only 残疾军人 have one */
	{"残疾等级", "3", "退役军人、残疾军人", "残疾等级"}, /* and need a nature too */
	{"残疾等级", "11", "残疾军人", "残疾等级"},
	{"残疾性质", "因私", "残疾军人", "残疾性质"},
	{"银行账号", "6222020200112233", NULL, NULL},
	{"银行账号", "62220202", NULL, "银行账号"},
	{"银行账号", "6222a20200112233", NULL, "银行账号"},
	{"备注", "第一行\n第二行", NULL, NULL},
	{"入伍时间", "1960-01", "在乡复员军人", "入伍时间"},
};

/* The index of the field labelled label. */
static int field_index(const char *label)
{
	for (int i = 0; i < PERSON_FIELDS; i++)
		if (strcmp(person_fields[i].label, label) == 0)
			return i;
	fail_msg("no field %s", label);
	return -1;
}

static void set_text(struct person_text *t, const char *label, const char *v)
{
	*(const char **)((char *)t + person_fields[field_index(label)].text) = v;
}

static void parse(const struct parse_case *c, struct person_record *r, struct field_errors *e)
{
	struct person_text t = {.name = "王伟",
				.id_number = valid_id(),
				.categories = c->categories ? c->categories : "退役军人",
				.enlisted = "1970-12",
				.discharged = "1975-03"};
	if (c->label && c->value)
		set_text(&t, c->label, c->value);
	memset(r, 0, sizeof(*r));
	field_errors_clear(e);
	person_record_parse(NULL, &t, r, e);
}

static void test_parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct person_record r;
		struct field_errors e;
		parse(c, &r, &e);
		if (!c->field && e.n)
			fail_msg("case %zu (%s): refused %s: %s", i, c->label ? c->label : "base",
				 e.items[0].field, e.items[0].message);
		if (c->field && (!e.n || strcmp(e.items[0].field, c->field) != 0))
			fail_msg("case %zu (%s): wanted %s refused, got %s", i,
				 c->label ? c->label : "base", c->field,
				 e.n ? e.items[0].field : "nothing");
	}
}

/* A required field missing and refused is reported once. */
static void test_parse_reports_once(void **state)
{
	(void)state;
	struct parse_case c = {"身份证号", "", NULL, "身份证号"};
	struct person_record r;
	struct field_errors e;
	parse(&c, &r, &e);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.items[0].field, "身份证号");
}

/* An empty optional field clears what the record held; a field not given keeps it. */
static void test_parse_clears_and_keeps(void **state)
{
	(void)state;
	struct person_record r;
	struct field_errors e;
	struct parse_case c = {"联系电话", "13812345678", NULL, NULL};
	parse(&c, &r, &e);
	assert_string_equal(r.phone, "13812345678");
	struct person_text clear = {.phone = ""}, keep = {.note = "新备注"};
	person_record_parse(NULL, &keep, &r, &e);
	assert_string_equal(r.phone, "13812345678");
	assert_string_equal(r.note, "新备注");
	person_record_parse(NULL, &clear, &r, &e);
	assert_string_equal(r.phone, "");
	assert_int_equal(e.n, 0);
}

/* ---- masks and views ---- */

static void test_masks(void **state)
{
	(void)state;
	static const struct {
		const char *v;
		size_t head, tail;
		const char *want;
	} cases[] = {
		{"13812345678", 3, 4, "138****5678"},
		{"1234567", 3, 4, "1234567"},
		{"6222020200112233", 0, 4, "************2233"},
		{"", 3, 4, ""},
		{"12", 0, 4, "12"},
	};
	char out[64];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sealed_mask(cases[i].v, cases[i].head, cases[i].tail, out, sizeof(out));
		assert_string_equal(out, cases[i].want);
	}
	char phone[24], account[32];
	sealed_mask_phone("02788886666", phone);
	assert_string_equal(phone, "027****6666");
	sealed_mask_account("6222020200112233445", account);
	assert_string_equal(account, "***************3445");
	sealed_mask("13812345678", 3, 4, out, 5); /* cut to fit */
	assert_string_equal(out, "138*");
}

/* How each field shows: in the export in full, masked, and in the history. */
static void test_views(void **state)
{
	(void)state;
	struct person_text t = {.name = "王伟",
				.id_number = valid_id(),
				.categories = "退役军人、残疾军人",
				.phone = "13812345678",
				.disability_grade = "3",
				.disability_nature = "因公",
				.bank_account = "6222020200112233",
				.note = "备注"};
	struct person_record r = {0};
	struct field_errors e = {0};
	person_record_parse(NULL, &t, &r, &e);
	assert_int_equal(e.n, 0);
	char masked_id[19];
	idcard_mask(valid_id(), masked_id);
	static const struct {
		const char *label;
		const char *full, *masked, *history; /* NULL: the id number or its mask */
	} cases[] = {
		{"姓名", "王伟", "王伟", "王伟"},
		{"身份证号", NULL, NULL, NULL},
		{"人员类别", "退役军人、残疾军人", "退役军人、残疾军人", "退役军人、残疾军人"},
		{"联系电话", "13812345678", "138****5678", "138****5678"},
		{"残疾等级", "3", "3", "3 级"},
		{"残疾性质", "因公", "因公", "因公"},
		{"银行账号", "6222020200112233", "************2233", "************2233"},
		{"备注", "备注", "备注", "备注"},
		{"住址", "", "", ""},
	};
	char out[PERSON_CELL];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int f = field_index(cases[i].label);
		person_field_show(NULL, &r, f, 1, 0, out, sizeof(out));
		assert_string_equal(out, cases[i].full ? cases[i].full : valid_id());
		person_field_show(NULL, &r, f, 0, 0, out, sizeof(out));
		assert_string_equal(out, cases[i].masked ? cases[i].masked : masked_id);
		person_field_show(NULL, &r, f, 0, 1, out, sizeof(out));
		assert_string_equal(out, cases[i].history ? cases[i].history : masked_id);
	}
}

/* ---- comparison ---- */

static void test_differs_table(void **state)
{
	(void)state;
	static const struct {
		const char *label, *value, *categories;
	} cases[] = {
		{"姓名", "王强", NULL},
		{"身份证号", NULL, NULL}, /* another valid number, below */
		{"人员类别", NULL, "退役军人、参战退役军人"},
		{"联系电话", "13812345679", NULL}, /* same mask, another number */
		{"住址", "中山路 1 号", NULL},
		{"入伍时间", "1970-11", NULL},
		{"退役时间", "1975-04", NULL},
		{"安置方式", "复员", NULL},
		{"开户银行", "中国银行", NULL},
		{"银行账号", "6222020200119999", NULL},
		{"备注", "另", NULL},
	};
	struct person_text base = {.name = "王伟",
				   .id_number = valid_id(),
				   .categories = "退役军人",
				   .phone = "13812345678",
				   .enlisted = "1970-12",
				   .discharged = "1975-03",
				   .bank_account = "6222020200112233"};
	struct person_record a = {0};
	struct field_errors e = {0};
	person_record_parse(NULL, &base, &a, &e);
	assert_int_equal(e.n, 0);
	for (int i = 0; i < PERSON_FIELDS; i++)
		assert_false(person_field_differs(&a, &a, i));
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct person_record b = a;
		struct person_text t = {0};
		char other_id[19];
		snprintf(other_id, sizeof(other_id), "%s%c", "11010519491231011",
			 idcard_check_char("11010519491231011"));
		if (strcmp(cases[c].label, "身份证号") == 0)
			t.id_number = other_id;
		else if (cases[c].categories)
			t.categories = cases[c].categories;
		else
			set_text(&t, cases[c].label, cases[c].value);
		person_record_parse(NULL, &t, &b, &e);
		assert_int_equal(e.n, 0);
		int changed = field_index(cases[c].label);
		for (int i = 0; i < PERSON_FIELDS; i++)
			if (person_field_differs(&a, &b, i) != (i == changed))
				fail_msg("case %s: field %s", cases[c].label, person_fields[i].label);
	}
}

/* The disability grade is compared as a number, the categories as a set. */
static void test_differs_grade_and_categories(void **state)
{
	(void)state;
	struct person_record a = {0}, b = {0};
	a.grade = 3;
	b.grade = 4;
	assert_true(person_field_differs(&a, &b, field_index("残疾等级")));
	b.grade = 3;
	a.categories = 1u << CAT_VETERAN | 1u << CAT_WAR;
	b.categories = 1u << CAT_WAR | 1u << CAT_VETERAN;
	assert_false(person_field_differs(&a, &b, field_index("人员类别")));
	assert_false(person_field_differs(&a, &b, field_index("残疾等级")));
}

/* The disability grades read as the forms and standards show them. */
static void test_grade_titles(void **state)
{
	(void)state;
	static const struct {
		int grade;
		const char *title;
	} cases[] = {
		{1, "一级"}, {2, "二级"}, {9, "九级"}, {10, "十级"}, {0, ""}, {11, ""}, {-1, ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(person_grade_title(cases[i].grade), cases[i].title);
	/* a nature is found only as written: no trimming, no other cause */
	static const char *const not_natures[] = {"其他", "", "因战 ", "因私"};
	for (size_t i = 0; i < sizeof(not_natures) / sizeof(not_natures[0]); i++)
		assert_int_equal(person_vocab_find(PERSON_NATURES, not_natures[i]), -1);
}

/* ---- who sees and exports full values ---- */

/* A full export's purpose: one of the choices, words required for 其他, at most 200
 * characters, as the audit record names it. */
static void test_export_purpose(void **state)
{
	(void)state;
	/* 200 characters of 3 bytes, then one more; the buffers hold them with room to spare */
	char long_words[610] = "", too_long[620] = "", long_out[630] = "";
	for (int i = 0; i < 200; i++)
		strcat(long_words, "核");
	strcat(strcpy(too_long, long_words), "核");
	strcat(strcpy(long_out, "其他："), long_words);
	static const char *const none = NULL;
	const struct {
		const char *choice, *text, *out, *error_field;
	} cases[] = {
		{"发放核对", "", "发放核对", NULL},
		{"上级报送", "  区民政局  ", "上级报送：区民政局", NULL},
		{"信访核查", NULL, "信访核查", NULL},
		{"其他", "人大建议办理", "其他：人大建议办理", NULL},
		{"其他", long_words, long_out, NULL},
		{"其他", "", none, "用途说明"},
		{"其他", " \t ", none, "用途说明"},
		{"其他", too_long, none, "用途说明"},
		{"发放核对", "a\nb", none, "用途说明"},
		{"", "人大建议办理", none, "导出用途"},
		{NULL, NULL, none, "导出用途"},
		{"发放核对 ", "", none, "导出用途"},
		{"好奇", "看看", none, "导出用途"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct field_errors e = {0};
		char out[1024] = "";
		int rc = person_export_purpose(cases[i].choice, cases[i].text, out, sizeof(out), &e);
		if (cases[i].out) {
			assert_int_equal(rc, 0);
			assert_string_equal(out, cases[i].out);
		} else {
			assert_int_not_equal(rc, 0);
			assert_true(field_errors_has(&e, cases[i].error_field));
			assert_string_equal(out, "");
		}
	}
}

/* The leader sees figures: the full view only with the grant, a full export never;
 * a grant is no role. */
static void test_full_values_by_role(void **state)
{
	(void)state;
	static const struct {
		role_set who;
		int reveal, export_full;
	} cases[] = {
		{ROLE_BIT(CLERK), 1, 1},
		{ROLE_BIT(STATION), 1, 1},
		{ROLE_BIT(REVIEWER), 1, 0},
		{ROLE_BIT(APPROVER), 1, 0},
		{ROLE_BIT(LEADER), 0, 0},
		{ROLE_BIT(LEADER) | GRANT_BIT(PERSON_FULL), 1, 0},
		{ROLE_BIT(SYSADMIN), 0, 0},
		{ROLE_BIT(SECADMIN), 0, 0},
		{ROLE_BIT(AUDITOR), 0, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(perm_allows(cases[i].who, PERM_PERSON_REVEAL), cases[i].reveal);
		assert_int_equal(perm_allows(cases[i].who, PERM_PERSON_EXPORT_FULL),
				 cases[i].export_full);
		assert_true(perm_allows(cases[i].who, PERM_PERSON_READ) ==
			    !(cases[i].who & (ROLE_BIT(SYSADMIN) | ROLE_BIT(SECADMIN) |
					      ROLE_BIT(AUDITOR))));
	}
	assert_false(role_set_valid(ROLE_BIT(LEADER) | GRANT_BIT(PERSON_FULL)));
	assert_int_equal(grant_parse("person_full"), GRANT_PERSON_FULL);
	assert_int_equal(grant_parse("leader"), -1);
	assert_int_equal(grant_roles(GRANT_PERSON_FULL), ROLE_BIT(LEADER));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_shape),
		cmocka_unit_test(test_grade_titles),
		cmocka_unit_test(test_table_seals_and_masks),
		cmocka_unit_test(test_vocabularies),
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_parse_reports_once),
		cmocka_unit_test(test_parse_clears_and_keeps),
		cmocka_unit_test(test_masks),
		cmocka_unit_test(test_views),
		cmocka_unit_test(test_differs_table),
		cmocka_unit_test(test_differs_grade_and_categories),
		cmocka_unit_test(test_export_purpose),
		cmocka_unit_test(test_full_values_by_role),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
