/* test_survey.c - areas/survey: where a survey stands on a day, and an answer checked whole:
 * every refusal stores nothing, a multiple choice stores one row per option and the results
 * count options, questions freeze once answered, the gate's refusal stores nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "areas/survey.h"
#include "fixture.h"
#include "lib/err.h"

static void test_phase(void **state)
{
	(void)state;
	static const struct {
		const char *status, *day, *want;
	} v[] = {
		{SURVEY_DRAFT, "2026-01-15", "草稿"},
		{SURVEY_PUBLISHED, "2025-12-31", "尚未开始"},
		{SURVEY_PUBLISHED, "2026-01-01", "进行中"}, /* the first day counts */
		{SURVEY_PUBLISHED, "2026-01-31", "进行中"}, /* and the last */
		{SURVEY_PUBLISHED, "2026-02-01", "已结束"},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		assert_string_equal(survey_phase(v[i].status, "2026-01-01", "2026-01-31", v[i].day),
				    v[i].want);
	assert_string_equal(survey_question_field(1), "第1题");
	assert_string_equal(survey_question_field(SURVEY_QUESTIONS_MAX), "第40题");
	assert_string_equal(survey_question_field(SURVEY_QUESTIONS_MAX + 1), "问题");
	assert_string_equal(survey_kind_title("scale"), "量表");
	assert_string_equal(survey_kind_title("rank"), "");
}

struct fx {
	struct test_store store;
	struct principal cli;
	int64_t id;
	char opt[2][3][24]; /* option ids of questions 1 and 2, as text */
};

static int gate_refuses(void *ctx)
{
	(void)ctx;
	return 42;
}

static int64_t count(struct db *db, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(db_int_query(db, &n, -1, sql, ""), 0);
	return n;
}

static void test_answers(void **state)
{
	(void)state;
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(test_district_open(&f->store, "survey"), 0);
	struct db *db = f->store.db;
	account_cli_principal(&f->cli);
	struct field_errors fe = {0};
	char err[256] = "";
	struct survey_in in = {"测试问卷", "", "2026-01-01", "2026-12-31"};
	assert_int_equal(survey_create(db, &f->cli, &in, &f->id, &fe, err, sizeof(err)), 0);
	int64_t q = 0;
	struct survey_question_in qs[] = {
		{"single", "单选", 1, "甲\n乙\n丙"},
		{"multiple", "多选", 0, "一\n二\n三"},
		{"scale", "量表", 1, NULL},
		{"text", "填空", 0, NULL},
	};
	for (int i = 0; i < 4; i++)
		assert_int_equal(
			survey_question_add(db, &f->cli, f->id, &qs[i], &q, &fe, err, sizeof(err)),
			0);
	int64_t last_q = q;
	assert_int_equal(survey_set_status(db, &f->cli, f->id, 1, err, sizeof(err)), 0);
	json_t *s = NULL;
	assert_int_equal(survey_get(db, f->id, 1, &s), 0);
	for (int p = 0; p < 2; p++)
		for (int o = 0; o < 3; o++)
			snprintf(f->opt[p][o], sizeof(f->opt[p][o]), "%lld",
				 (long long)json_integer_value(json_object_get(
					 json_array_get(
						 json_object_get(
							 json_array_get(
								 json_object_get(s, "questions"),
								 (size_t)p),
							 "options"),
						 (size_t)o),
					 "id")));
	json_decref(s);

	struct audit_actor who = {0, "公众", "192.0.2.1", ""};
	struct survey_given g[SURVEY_QUESTIONS_MAX];
	int64_t rid = 0;
	/* refused answers: each stores nothing */
	struct {
		const char *q1a, *q1b, *q2a, *q3, *field;
	} bad[] = {
		{NULL, NULL, NULL, "3", "第1题"},                 /* required missing */
		{f->opt[1][0], NULL, NULL, "3", "第1题"},         /* another question's option */
		{f->opt[0][0], f->opt[0][1], NULL, "3", "第1题"}, /* two for a single */
		{f->opt[0][0], NULL, f->opt[0][2], "3", "第2题"}, /* foreign option in a multiple */
		{f->opt[0][0], NULL, NULL, "0", "第3题"},         /* scale 0 */
		{f->opt[0][0], NULL, NULL, "6", "第3题"},         /* scale 6 */
		{f->opt[0][0], NULL, NULL, " 3", "第3题"},        /* not a bare number */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(g, 0, sizeof(g));
		if (bad[i].q1a)
			g[0].v[g[0].n++] = bad[i].q1a;
		if (bad[i].q1b)
			g[0].v[g[0].n++] = bad[i].q1b;
		if (bad[i].q2a)
			g[1].v[g[1].n++] = bad[i].q2a;
		g[2].v[g[2].n++] = bad[i].q3;
		field_errors_clear(&fe);
		int rc = survey_answer(db, &who, f->id, g, "0123456789abcdef0123456789abcdef", NULL,
				       &rid, &fe, err, sizeof(err));
		assert_int_equal(rc, VE_INVALID);
		assert_true(field_errors_has(&fe, bad[i].field));
	}
	assert_int_equal(count(db, "SELECT count(*) FROM survey_responses"), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM survey_answers"), 0);

	/* a text of 501 characters */
	char *longtext = malloc(501 * 3 + 1);
	for (int i = 0; i < 501; i++)
		memcpy(longtext + i * 3, "字", 3);
	longtext[501 * 3] = '\0';
	memset(g, 0, sizeof(g));
	g[0].v[g[0].n++] = f->opt[0][0];
	g[2].v[g[2].n++] = "4";
	g[3].v[g[3].n++] = longtext;
	field_errors_clear(&fe);
	assert_int_equal(survey_answer(db, &who, f->id, g, "0123456789abcdef0123456789abcdef", NULL,
				       &rid, &fe, err, sizeof(err)),
			 VE_INVALID);
	assert_true(field_errors_has(&fe, "第4题"));
	free(longtext);

	/* a good answer: 1 + 3 + 1 + 1 rows */
	memset(g, 0, sizeof(g));
	g[0].v[g[0].n++] = f->opt[0][1];
	g[1].v[g[1].n++] = f->opt[1][2];
	g[1].v[g[1].n++] = f->opt[1][0];
	g[1].v[g[1].n++] = f->opt[1][1];
	g[2].v[g[2].n++] = "5";
	g[3].v[g[3].n++] = "好";
	/* the gate refuses: nothing stored */
	struct survey_gate gate = {gate_refuses, NULL, 0};
	field_errors_clear(&fe);
	assert_int_equal(survey_answer(db, &who, f->id, g, "0123456789abcdef0123456789abcdef",
				       &gate, &rid, &fe, err, sizeof(err)),
			 VE_QUOTA);
	assert_int_equal(gate.retry_after, 42);
	assert_int_equal(count(db, "SELECT count(*) FROM survey_answers"), 0);
	assert_int_equal(survey_answer(db, &who, f->id, g, "0123456789abcdef0123456789abcdef", NULL,
				       &rid, &fe, err, sizeof(err)),
			 0);
	assert_true(rid > 0);
	assert_int_equal(count(db, "SELECT count(*) FROM survey_answers"), 6);
	assert_true(survey_answered(db, f->id, "0123456789abcdef0123456789abcdef"));
	assert_false(survey_answered(db, f->id, "ffffffffffffffffffffffffffffffff"));
	/* the same token again */
	assert_int_equal(survey_answer(db, &who, f->id, g, "0123456789abcdef0123456789abcdef", NULL,
				       &rid, &fe, err, sizeof(err)),
			 VE_CONFLICT);
	assert_non_null(strstr(err, "已提交过"));
	/* a malformed token */
	assert_int_equal(
		survey_answer(db, &who, f->id, g, "XYZ", NULL, &rid, &fe, err, sizeof(err)),
		VE_INVALID);
	assert_int_equal(count(db, "SELECT count(*) FROM survey_responses"), 1);

	/* the results count options */
	assert_int_equal(survey_results(db, f->id, 1, 0, &s), VE_NOTFOUND); /* not public yet */
	assert_int_equal(survey_results(db, f->id, 0, 1, &s), 0);
	json_t *q2 = json_array_get(json_object_get(s, "questions"), 1);
	assert_int_equal(json_integer_value(json_object_get(q2, "answered")), 1);
	for (int o = 0; o < 3; o++)
		assert_int_equal(
			json_integer_value(json_object_get(
				json_array_get(json_object_get(q2, "counts"), (size_t)o), "count")),
			1);
	json_t *q3 = json_array_get(json_object_get(s, "questions"), 2);
	assert_string_equal(json_string_value(json_object_get(q3, "mean")), "5.0");
	json_t *q4 = json_array_get(json_object_get(s, "questions"), 3);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(q4, "texts"), 0), "text")),
			    "好");
	json_decref(s);

	/* answered: the questions are frozen, the fields are not */
	assert_int_equal(survey_question_add(db, &f->cli, f->id, &qs[3], &q, &fe, err, sizeof(err)),
			 VE_CONFLICT);
	assert_non_null(strstr(err, "不能再修改"));
	int64_t sid = 0;
	assert_int_equal(survey_question_move(db, &f->cli, last_q, 0, &sid, err, sizeof(err)),
			 VE_CONFLICT);
	in.closes_on = "2026-06-30";
	assert_int_equal(survey_update(db, &f->cli, f->id, &in, &fe, err, sizeof(err)), 0);

	/* a draft takes no answer */
	assert_int_equal(survey_set_status(db, &f->cli, f->id, 0, err, sizeof(err)), 0);
	assert_int_equal(survey_answer(db, &who, f->id, g, "ffffffffffffffffffffffffffffffff", NULL,
				       &rid, &fe, err, sizeof(err)),
			 VE_NOTFOUND);
	assert_int_equal(test_store_close(&f->store), 0);
	free(f);
}

/* The batch's answers: "第N条" to the one text question, each from its own visitor. */
struct texts_ctx {
	char text[300][32];
};

static void fill_text(void *ctx, size_t i, struct survey_given *given,
		      char token[SURVEY_TOKEN_HEX + 1], int64_t *at)
{
	struct texts_ctx *t = ctx;
	snprintf(t->text[i], sizeof(t->text[i]), "第%zu条", i + 1);
	given[0].v[given[0].n++] = t->text[i];
	snprintf(token, SURVEY_TOKEN_HEX + 1, "%032zx", i + 1);
	*at = 1768442400 + (int64_t)i;
}

static void test_texts_and_limits(void **state)
{
	(void)state;
	struct test_store store;
	struct principal cli, nobody;
	assert_int_equal(test_district_open(&store, "survey"), 0);
	struct db *db = store.db;
	account_cli_principal(&cli);
	memset(&nobody, 0, sizeof(nobody));
	struct field_errors fe = {0};
	char err[256] = "";
	int64_t id = 0, q = 0, sid = 0, rid = 0;
	struct survey_in in = {"填空问卷", "", "2026-01-01", "2026-12-31"};
	assert_int_equal(survey_create(db, &cli, &in, &id, &fe, err, sizeof(err)), 0);
	struct survey_question_in text = {"text", "意见", 1, NULL};
	assert_int_equal(survey_question_add(db, &cli, id, &text, &q, &fe, err, sizeof(err)), 0);
	assert_int_equal(survey_set_status(db, &cli, id, 1, err, sizeof(err)), 0);

	/* the only question of a published survey stays */
	assert_int_equal(survey_question_move(db, &cli, q, 0, &sid, err, sizeof(err)), VE_CONFLICT);
	assert_non_null(strstr(err, "至少要保留一题"));

	/* full-width and no-break spaces alone do not answer a required text */
	struct audit_actor who = {0, "公众", "192.0.2.1", ""};
	struct survey_given g[SURVEY_QUESTIONS_MAX];
	memset(g, 0, sizeof(g));
	g[0].v[g[0].n++] = "\xe3\x80\x80\xc2\xa0 \xe3\x80\x80";
	field_errors_clear(&fe);
	assert_int_equal(survey_answer(db, &who, id, g, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL,
				       &rid, &fe, err, sizeof(err)),
			 VE_INVALID);
	assert_true(field_errors_has(&fe, "第1题"));
	assert_int_equal(count(db, "SELECT count(*) FROM survey_responses"), 0);

	/* 205 answers: the results list the latest 200, newest first, and say there are more */
	struct texts_ctx *t = calloc(1, sizeof(*t));
	assert_non_null(t);
	assert_int_equal(survey_answer_batch(db, &cli, id, 205, fill_text, t, err, sizeof(err)), 0);
	json_t *s = NULL;
	assert_int_equal(survey_results(db, id, 0, 1, &s), 0);
	json_t *q1 = json_array_get(json_object_get(s, "questions"), 0);
	json_t *texts = json_object_get(q1, "texts");
	assert_int_equal(json_array_size(texts), SURVEY_TEXTS_SHOWN);
	assert_string_equal(json_string_value(json_object_get(json_array_get(texts, 0), "text")),
			    "第205条");
	assert_string_equal(json_string_value(json_object_get(json_array_get(texts, 199), "text")),
			    "第6条");
	assert_int_equal(json_integer_value(json_object_get(q1, "texts_cut")), SURVEY_TEXTS_SHOWN);
	assert_int_equal(json_integer_value(json_object_get(q1, "answered")), 205);
	json_decref(s);
	free(t);

	/* the export needs survey.read, checked by the area itself */
	char path[] = "/tmp/test-survey-XXXXXX.xlsx";
	int fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(survey_export(db, &nobody, id, path, err, sizeof(err)), VE_DENIED);
	assert_non_null(strstr(err, "导出答卷"));
	assert_int_equal(count(db, "SELECT count(*) FROM audit_log WHERE action = 'survey.export'"),
			 0);
	assert_int_equal(survey_export(db, &cli, id, path, err, sizeof(err)), 0);
	unlink(path);

	/* a survey left without questions takes no answer */
	assert_int_equal(db_run(db, "DELETE FROM survey_answers", ""), 0);
	assert_int_equal(db_run(db, "DELETE FROM survey_questions WHERE survey_id = ?", "i", id),
			 0);
	memset(g, 0, sizeof(g));
	field_errors_clear(&fe);
	assert_int_equal(survey_answer(db, &who, id, g, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", NULL,
				       &rid, &fe, err, sizeof(err)),
			 VE_CONFLICT);
	assert_non_null(strstr(err, "没有题目"));
	assert_int_equal(count(db, "SELECT count(*) FROM survey_responses"), 205);
	assert_int_equal(test_store_close(&store), 0);
}

int main(void)
{
	setenv("VETS_FAKE_NOW", "1768442400", 1); /* 2026-01-15 10:00 Asia/Shanghai */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phase),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_texts_and_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
