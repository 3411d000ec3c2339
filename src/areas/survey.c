/* survey.c - 问卷调查: writing a questionnaire, its status, reading it, the public's
 * answers checked whole and stored one row per chosen option, the results with their
 * charts, the export, and the area's declarations. */
#include "survey.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "areas/calendar.h"
#include "io/sheet.h"
#include "lib/buf.h"
#include "lib/chart.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/err.h"
#include "lib/str.h"
#include "lib/utf8.h"

const char *const survey_kinds[SURVEY_N_KINDS] = {"single", "multiple", "text", "scale"};
const char *const survey_kind_titles[SURVEY_N_KINDS] = {"单选", "多选", "填空", "量表"};

static const char *const question_fields[SURVEY_QUESTIONS_MAX] = {
	"第1题",  "第2题",  "第3题",  "第4题",  "第5题",  "第6题",  "第7题",  "第8题",
	"第9题",  "第10题", "第11题", "第12题", "第13题", "第14题", "第15题", "第16题",
	"第17题", "第18题", "第19题", "第20题", "第21题", "第22题", "第23题", "第24题",
	"第25题", "第26题", "第27题", "第28题", "第29题", "第30题", "第31题", "第32题",
	"第33题", "第34题", "第35题", "第36题", "第37题", "第38题", "第39题", "第40题"};

const char *survey_kind_title(const char *kind)
{
	for (int i = 0; kind && i < SURVEY_N_KINDS; i++)
		if (strcmp(kind, survey_kinds[i]) == 0)
			return survey_kind_titles[i];
	return "";
}

const char *survey_question_field(int position)
{
	return position >= 1 && position <= SURVEY_QUESTIONS_MAX ? question_fields[position - 1]
								 : "问题";
}

static int is_choice(const char *kind)
{
	return strcmp(kind, "single") == 0 || strcmp(kind, "multiple") == 0;
}

const char *survey_phase(const char *status, const char *opens_on, const char *closes_on,
			 const char *day)
{
	if (!status || strcmp(status, SURVEY_PUBLISHED) != 0)
		return "草稿";
	if (strcmp(day, opens_on) < 0)
		return "尚未开始";
	if (strcmp(day, closes_on) > 0)
		return "已结束";
	return "进行中";
}

static const char *signer(const struct principal *by)
{
	return by->display_name[0] ? by->display_name : by->username;
}

static void check_len(struct field_errors *fe, const char *field, const char *v, size_t min,
		      size_t max, int lines)
{
	size_t n = utf8_count(v, strlen(v));
	if (n < min)
		field_errors_add(fe, field, "请填写%s", field);
	else if (n > max)
		field_errors_add(fe, field, "%s最多 %zu 个字", field, max);
	else if (!str_is_printable(v, strlen(v), lines))
		field_errors_add(fe, field, "%s含有不可打印的字符", field);
}

/* The whole of v tidied (inner as str_tidy) and checked as check_len, then copied into
 * dst: a text too long is refused, never cut before it is counted (white space typed
 * around or inside it would otherwise fill dst and hide the rest). */
static void tidy_check(struct field_errors *fe, const char *field, const char *v,
		       enum str_tidy_inner inner, size_t min, size_t max, int lines, char *dst,
		       size_t size)
{
	char *whole = strdup(v ? v : "");
	if (!whole)
		abort();
	str_tidy(whole, inner);
	check_len(fe, field, whole, min, max, lines);
	str_copy(dst, whole, size); /* it fits once checked: max characters of 4 bytes at most */
	free(whole);
}

static int day_valid(const char *s)
{
	int32_t n;
	return s && calendar_day_number(s, &n) == 0;
}

static int denied(const struct principal *by, char *err, size_t errlen)
{
	if (perm_allows(by->roles, PERM_SURVEY_MANAGE))
		return 0;
	return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限", perm_title(PERM_SURVEY_MANAGE));
}

/* Ends a writing transaction begun with db_tx_begin: rc, or VE_DB when the commit fails. */
static int tx_end(struct db *db, int rc, char *err, size_t errlen)
{
	int ended = db_tx_end(db, 0, rc);
	if (ended && !rc)
		return err_set(err, errlen, VE_DB, "保存失败，请稍后再试");
	if (ended == VE_DB && (!err[0]))
		err_set(err, errlen, VE_DB, "保存失败，请稍后再试");
	return ended;
}

/* ---- writing a survey ---- */

struct survey_text {
	char title[SURVEY_TITLE_MAX * 4 + 8], intro[SURVEY_INTRO_MAX * 4 + 8];
};

static void check_survey(const struct survey_in *in, struct survey_text *t, struct field_errors *fe)
{
	tidy_check(fe, "标题", in->title, STR_TIDY_COLLAPSE, 1, SURVEY_TITLE_MAX, 0, t->title,
		   sizeof(t->title));
	tidy_check(fe, "说明", in->intro, STR_TIDY_KEEP, 0, SURVEY_INTRO_MAX, 1, t->intro,
		   sizeof(t->intro));
	const char *o = in->opens_on ? in->opens_on : "", *c = in->closes_on ? in->closes_on : "";
	if (!*o)
		field_errors_add(fe, "开始日期", "请填写开始日期");
	else if (!day_valid(o))
		field_errors_add(fe, "开始日期", "日期应为 YYYY-MM-DD，如 2026-03-15");
	if (!*c)
		field_errors_add(fe, "结束日期", "请填写结束日期");
	else if (!day_valid(c))
		field_errors_add(fe, "结束日期", "日期应为 YYYY-MM-DD，如 2026-03-15");
	else if (day_valid(o) && strcmp(c, o) < 0)
		field_errors_add(fe, "结束日期", "结束日期不能早于开始日期");
}

int survey_create(struct db *db, const struct principal *by, const struct survey_in *in,
		  int64_t *id, struct field_errors *fe, char *err, size_t errlen)
{
	*id = 0;
	int rc = denied(by, err, errlen);
	if (rc)
		return rc;
	struct survey_text t;
	check_survey(in, &t, fe);
	if (fe->n)
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	int64_t now = clock_now();
	rc = db_run(db,
		    "INSERT INTO surveys (region_code, title, intro, opens_on, closes_on, status, "
		    "created_at, created_by, created_name, updated_at) VALUES (?, ?, ?, ?, ?, "
		    "'" SURVEY_DRAFT "', ?, ?, ?, ?)",
		    "sssssiisi", by->region_code, t.title, t.intro, in->opens_on, in->closes_on,
		    now, by->user_id, signer(by), now);
	if (!rc) {
		*id = db_last_id(db);
		char detail[600];
		snprintf(detail, sizeof(detail), "%s（%s 至 %s）", t.title, in->opens_on,
			 in->closes_on);
		rc = account_audit(db, by, "survey.create", "survey", *id, detail);
	}
	if (rc)
		err_set(err, errlen, rc, "保存失败，请稍后再试");
	return tx_end(db, rc, err, errlen);
}

/* The survey's status and number of responses; VE_NOTFOUND. */
static int survey_state(struct db *db, int64_t id, char status[16], int64_t *responses)
{
	struct db_stmt *st = db_q(db,
				  "SELECT status, (SELECT count(*) FROM survey_responses r WHERE "
				  "r.survey_id = s.id) FROM surveys s WHERE s.id = ?",
				  "i", id);
	if (!st)
		return VE_DB;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		str_copy(status, db_text(st, 0), 16);
		*responses = db_int(st, 1);
		rc = 0;
	} else
		rc = rc == DB_DONE ? VE_NOTFOUND : VE_DB;
	db_done(st);
	return rc;
}

int survey_update(struct db *db, const struct principal *by, int64_t id, const struct survey_in *in,
		  struct field_errors *fe, char *err, size_t errlen)
{
	int rc = denied(by, err, errlen);
	if (rc)
		return rc;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	char status[16];
	int64_t n = 0;
	struct survey_text t;
	rc = survey_state(db, id, status, &n);
	if (rc == VE_NOTFOUND)
		err_set(err, errlen, rc, "问卷不存在");
	if (!rc) {
		check_survey(in, &t, fe);
		if (fe->n)
			rc = err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	}
	if (!rc)
		rc = db_run(db,
			    "UPDATE surveys SET title = ?, intro = ?, opens_on = ?, closes_on = ?, "
			    "updated_at = ? WHERE id = ?",
			    "ssssii", t.title, t.intro, in->opens_on, in->closes_on, clock_now(),
			    id);
	if (!rc) {
		char detail[600];
		snprintf(detail, sizeof(detail), "%s（%s 至 %s）", t.title, in->opens_on,
			 in->closes_on);
		rc = account_audit(db, by, "survey.update", "survey", id, detail);
	}
	return tx_end(db, rc, err, errlen);
}

/* ---- questions ---- */

struct question_text {
	char title[SURVEY_QUESTION_MAX * 4 + 8];
	int n_options;
	char options[SURVEY_OPTIONS_MAX][SURVEY_OPTION_MAX * 4 + 8];
};

static void check_question(const struct survey_question_in *in, struct question_text *q,
			   struct field_errors *fe)
{
	memset(q, 0, sizeof(*q));
	const char *kind = in->kind ? in->kind : "";
	if (!*survey_kind_title(kind))
		field_errors_add(fe, "题型", "题型应为单选、多选、填空或量表");
	tidy_check(fe, "题目", in->title, STR_TIDY_COLLAPSE, 1, SURVEY_QUESTION_MAX, 0, q->title,
		   sizeof(q->title));
	if (!is_choice(kind))
		return;
	const char *p = in->options ? in->options : "";
	int too_many = 0, bad = 0;
	while (*p) {
		size_t n = strcspn(p, "\n");
		char line[SURVEY_OPTION_MAX * 4 + 8];
		size_t take = n < sizeof(line) - 1 ? n : sizeof(line) - 1;
		memcpy(line, p, take);
		line[take] = '\0';
		utf8_scrub(line);
		str_tidy(line, STR_TIDY_COLLAPSE);
		p += n + (p[n] == '\n');
		if (!*line)
			continue;
		if (q->n_options == SURVEY_OPTIONS_MAX) {
			too_many = 1;
			break;
		}
		size_t chars = utf8_count(line, strlen(line));
		if (n >= sizeof(line) - 1 || chars > SURVEY_OPTION_MAX) {
			if (!bad++)
				field_errors_add(fe, "选项", "每个选项最多 %d 个字",
						 SURVEY_OPTION_MAX);
			continue;
		}
		if (!str_is_printable(line, strlen(line), 0)) {
			if (!bad++)
				field_errors_add(fe, "选项", "选项含有不可打印的字符");
			continue;
		}
		for (int i = 0; i < q->n_options; i++)
			if (strcmp(q->options[i], line) == 0) {
				if (!bad++)
					field_errors_add(fe, "选项", "选项“%s”重复", line);
				line[0] = '\0';
				break;
			}
		if (*line)
			str_copy(q->options[q->n_options++], line, sizeof(q->options[0]));
	}
	if (too_many)
		field_errors_add(fe, "选项", "选项最多 %d 个", SURVEY_OPTIONS_MAX);
	else if (!bad && q->n_options < 2)
		field_errors_add(fe, "选项", "单选题和多选题至少要有 2 个选项（每行一个）");
}

static int insert_options(struct db *db, int64_t question_id, const struct question_text *q)
{
	int rc = 0;
	for (int i = 0; i < q->n_options && !rc; i++)
		rc = db_run(
			db,
			"INSERT INTO survey_options (question_id, position, label) VALUES (?, ?, ?)",
			"iis", question_id, (int64_t)(i + 1), q->options[i]);
	return rc;
}

/* VE_CONFLICT with the reason when survey id's questions may not change now. */
static int check_editable(struct db *db, int64_t id, char *err, size_t errlen)
{
	char status[16];
	int64_t n = 0;
	int rc = survey_state(db, id, status, &n);
	if (rc == VE_NOTFOUND)
		return err_set(err, errlen, rc, "问卷不存在");
	if (rc)
		return rc;
	if (n > 0)
		return err_set(
			err, errlen, VE_CONFLICT,
			"此问卷已有 %lld 份答卷，题目和选项不能再修改（标题、说明和日期仍可修改）",
			(long long)n);
	return 0;
}

/* VE_INVALID (选项) when survey_id's questions but except_qid, with a question of kind and
 * q's options, would make an answer of more than SURVEY_ANSWER_VALUES_MAX values. */
static int check_values(struct db *db, int64_t survey_id, int64_t except_qid, const char *kind,
			const struct question_text *q, struct field_errors *fe, char *err,
			size_t errlen)
{
	int64_t others = 0;
	if (db_int_query(db, &others, 0,
			 "SELECT coalesce(sum(CASE WHEN q.kind = 'multiple' THEN (SELECT count(*) "
			 "FROM survey_options o WHERE o.question_id = q.id) ELSE 1 END), 0) FROM "
			 "survey_questions q WHERE q.survey_id = ? AND q.id <> ?",
			 "ii", survey_id, except_qid) != 0)
		return VE_DB;
	int64_t total = others + (strcmp(kind, "multiple") == 0 ? q->n_options : 1);
	if (total <= SURVEY_ANSWER_VALUES_MAX)
		return 0;
	field_errors_add(
		fe, "选项",
		"一份问卷的作答项最多 %d 个（多选题按选项数计，其他题各计 1 个），加上此题将有 "
		"%lld 个；请减少多选题的选项",
		SURVEY_ANSWER_VALUES_MAX, (long long)total);
	return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
}

int survey_question_add(struct db *db, const struct principal *by, int64_t survey_id,
			const struct survey_question_in *in, int64_t *question_id,
			struct field_errors *fe, char *err, size_t errlen)
{
	*question_id = 0;
	int rc = denied(by, err, errlen);
	if (rc)
		return rc;
	struct question_text *q = malloc(sizeof(*q));
	if (!q)
		return err_set(err, errlen, VE_INTERNAL, "内存不足");
	if (db_tx_begin(db, 0)) {
		free(q);
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	}
	int64_t last = 0;
	rc = check_editable(db, survey_id, err, errlen);
	if (!rc) {
		check_question(in, q, fe);
		if (fe->n)
			rc = err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	}
	if (!rc && db_int_query(db, &last, 0,
				"SELECT coalesce(max(position), 0) FROM survey_questions WHERE "
				"survey_id = ?",
				"i", survey_id) != 0)
		rc = VE_DB;
	if (!rc && last >= SURVEY_QUESTIONS_MAX)
		rc = err_set(err, errlen, VE_CONFLICT, "一份问卷最多 %d 题", SURVEY_QUESTIONS_MAX);
	if (!rc)
		rc = check_values(db, survey_id, 0, in->kind, q, fe, err, errlen);
	if (!rc)
		rc = db_run(
			db,
			"INSERT INTO survey_questions (survey_id, position, kind, title, required) "
			"VALUES (?, ?, ?, ?, ?)",
			"iissi", survey_id, last + 1, in->kind, q->title, (int64_t) !!in->required);
	if (!rc) {
		*question_id = db_last_id(db);
		rc = insert_options(db, *question_id, q);
	}
	if (!rc) {
		char detail[900];
		snprintf(detail, sizeof(detail), "第%lld题（%s）%s", (long long)(last + 1),
			 survey_kind_title(in->kind), q->title);
		rc = account_audit(db, by, "survey.question_add", "survey", survey_id, detail);
	}
	free(q);
	return tx_end(db, rc, err, errlen);
}

/* The survey and position of question qid; VE_NOTFOUND. */
static int question_place(struct db *db, int64_t qid, int64_t *survey_id, int64_t *position)
{
	struct db_stmt *st =
		db_q(db, "SELECT survey_id, position FROM survey_questions WHERE id = ?", "i", qid);
	if (!st)
		return VE_DB;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*survey_id = db_int(st, 0);
		*position = db_int(st, 1);
		rc = 0;
	} else
		rc = rc == DB_DONE ? VE_NOTFOUND : VE_DB;
	db_done(st);
	return rc;
}

int survey_question_update(struct db *db, const struct principal *by, int64_t question_id,
			   const struct survey_question_in *in, int64_t *survey_id,
			   struct field_errors *fe, char *err, size_t errlen)
{
	*survey_id = 0;
	int rc = denied(by, err, errlen);
	if (rc)
		return rc;
	int64_t position = 0;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	rc = question_place(db, question_id, survey_id, &position);
	if (rc == VE_NOTFOUND)
		err_set(err, errlen, rc, "题目不存在");
	if (!rc)
		rc = check_editable(db, *survey_id, err, errlen);
	struct question_text *q = malloc(sizeof(*q));
	if (!q)
		rc = rc ? rc : err_set(err, errlen, VE_INTERNAL, "内存不足");
	if (!rc) {
		check_question(in, q, fe);
		if (fe->n)
			rc = err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	}
	if (!rc)
		rc = check_values(db, *survey_id, question_id, in->kind, q, fe, err, errlen);
	if (!rc)
		rc = db_run(
			db,
			"UPDATE survey_questions SET kind = ?, title = ?, required = ? WHERE id = ?",
			"ssii", in->kind, q->title, (int64_t) !!in->required, question_id);
	if (!rc)
		rc = db_run(db, "DELETE FROM survey_options WHERE question_id = ?", "i",
			    question_id);
	if (!rc)
		rc = insert_options(db, question_id, q);
	if (!rc) {
		char detail[900];
		snprintf(detail, sizeof(detail), "第%lld题（%s）%s", (long long)position,
			 survey_kind_title(in->kind), q->title);
		rc = account_audit(db, by, "survey.question_update", "survey", *survey_id, detail);
	}
	free(q);
	return tx_end(db, rc, err, errlen);
}

int survey_question_move(struct db *db, const struct principal *by, int64_t question_id, int move,
			 int64_t *survey_id, char *err, size_t errlen)
{
	*survey_id = 0;
	int rc = denied(by, err, errlen);
	if (rc)
		return rc;
	int64_t position = 0, last = 0;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	rc = question_place(db, question_id, survey_id, &position);
	if (rc == VE_NOTFOUND)
		err_set(err, errlen, rc, "题目不存在");
	if (!rc)
		rc = check_editable(db, *survey_id, err, errlen);
	if (!rc && db_int_query(db, &last, 0,
				"SELECT max(position) FROM survey_questions WHERE survey_id = ?",
				"i", *survey_id) != 0)
		rc = VE_DB;
	char detail[64];
	snprintf(detail, sizeof(detail), "第%lld题", (long long)position);
	/* a published survey keeps at least one question: one without any would take empty
	 * answers */
	char status[16] = "";
	int64_t responses = 0;
	if (!rc && move == 0 && last <= 1 &&
	    (rc = survey_state(db, *survey_id, status, &responses)) == 0 &&
	    strcmp(status, SURVEY_PUBLISHED) == 0)
		rc = err_set(err, errlen, VE_CONFLICT,
			     "已发布的问卷至少要保留一题；如需删除此题，请先撤回为草稿");
	if (!rc && move == 0) {
		/* renumbered through negatives: no two rows share a place at any step */
		rc = db_run(db, "DELETE FROM survey_options WHERE question_id = ?", "i",
			    question_id);
		if (!rc)
			rc = db_run(db, "DELETE FROM survey_questions WHERE id = ?", "i",
				    question_id);
		if (!rc)
			rc = db_run(
				db,
				"UPDATE survey_questions SET position = -position WHERE survey_id = ? "
				"AND position > ?",
				"ii", *survey_id, position);
		if (!rc)
			rc = db_run(db,
				    "UPDATE survey_questions SET position = -position - 1 WHERE "
				    "survey_id = ? AND position < 0",
				    "i", *survey_id);
		if (!rc)
			rc = account_audit(db, by, "survey.question_delete", "survey", *survey_id,
					   detail);
	} else if (!rc) {
		int64_t to = position + (move < 0 ? -1 : 1);
		if (to < 1 || to > last)
			rc = err_set(err, errlen, VE_CONFLICT,
				     move < 0 ? "已是第一题" : "已是最后一题");
		if (!rc)
			rc = db_run(db, "UPDATE survey_questions SET position = 0 WHERE id = ?",
				    "i", question_id);
		if (!rc)
			rc = db_run(
				db,
				"UPDATE survey_questions SET position = ? WHERE survey_id = ? AND "
				"position = ?",
				"iii", position, *survey_id, to);
		if (!rc)
			rc = db_run(db, "UPDATE survey_questions SET position = ? WHERE id = ?",
				    "ii", to, question_id);
		if (!rc) {
			snprintf(detail, sizeof(detail), "第%lld题移为第%lld题",
				 (long long)position, (long long)to);
			rc = account_audit(db, by, "survey.question_move", "survey", *survey_id,
					   detail);
		}
	}
	return tx_end(db, rc, err, errlen);
}

int survey_set_status(struct db *db, const struct principal *by, int64_t id, int publish, char *err,
		      size_t errlen)
{
	int rc = denied(by, err, errlen);
	if (rc)
		return rc;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	char status[16];
	int64_t n = 0, questions = 0;
	rc = survey_state(db, id, status, &n);
	if (rc == VE_NOTFOUND)
		err_set(err, errlen, rc, "问卷不存在");
	if (!rc &&
	    db_int_query(db, &questions, 0,
			 "SELECT count(*) FROM survey_questions WHERE survey_id = ?", "i", id) != 0)
		rc = VE_DB;
	if (!rc && publish && questions == 0)
		rc = err_set(err, errlen, VE_CONFLICT, "问卷还没有题目，不能发布");
	if (!rc)
		rc = db_run(db, "UPDATE surveys SET status = ?, updated_at = ? WHERE id = ?", "sii",
			    publish ? SURVEY_PUBLISHED : SURVEY_DRAFT, clock_now(), id);
	if (!rc)
		rc = account_audit(db, by, publish ? "survey.publish" : "survey.unpublish",
				   "survey", id, publish ? "发布到门户" : "撤回为草稿");
	return tx_end(db, rc, err, errlen);
}

int survey_set_results_public(struct db *db, const struct principal *by, int64_t id, int on,
			      char *err, size_t errlen)
{
	int rc = denied(by, err, errlen);
	if (rc)
		return rc;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	char status[16];
	int64_t n = 0;
	rc = survey_state(db, id, status, &n);
	if (rc == VE_NOTFOUND)
		err_set(err, errlen, rc, "问卷不存在");
	if (!rc)
		rc = db_run(db,
			    "UPDATE surveys SET results_public = ?, updated_at = ? WHERE id = ?",
			    "iii", (int64_t) !!on, clock_now(), id);
	if (!rc)
		rc = account_audit(db, by, on ? "survey.results_show" : "survey.results_hide",
				   "survey", id, on ? "在门户公开结果" : "不再公开结果");
	return tx_end(db, rc, err, errlen);
}

/* ---- reading ---- */

static json_t *survey_row(struct db_stmt *st, const char *today)
{
	/* columns: id, title, status, opens_on, closes_on, results_public, n_responses, ... */
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:b,s:I}", "id", (json_int_t)db_int(st, 0),
			 "title", db_text(st, 1), "status", db_text(st, 2), "phase",
			 survey_phase(db_text(st, 2), db_text(st, 3), db_text(st, 4), today),
			 "opens_on", db_text(st, 3), "closes_on", db_text(st, 4), "results_public",
			 (int)db_int(st, 5), "n_responses", (json_int_t)db_int(st, 6));
}

int survey_list(struct db *db, int public, json_t **out)
{
	*out = NULL;
	char today[11];
	str_copy(today, clock_today_text(), sizeof(today));
	struct db_stmt *st =
		public ? db_q(db,
			      "SELECT s.id, s.title, s.status, s.opens_on, s.closes_on, "
			      "s.results_public, s.n_responses, (SELECT count(*) FROM "
			      "survey_questions q WHERE q.survey_id = s.id) FROM surveys s WHERE "
			      "s.status = '" SURVEY_PUBLISHED
			      "' ORDER BY s.opens_on DESC, s.id DESC",
			      "")
		       : db_q(db,
			      "SELECT s.id, s.title, s.status, s.opens_on, s.closes_on, "
			      "s.results_public, s.n_responses, (SELECT count(*) FROM "
			      "survey_questions q WHERE q.survey_id = s.id) FROM surveys s ORDER BY "
			      "s.id DESC",
			      "");
	if (!st)
		return VE_DB;
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *o = survey_row(st, today);
		json_object_set_new(o, "n_questions", json_integer(db_int(st, 7)));
		json_array_append_new(a, o);
	}
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(a);
		return VE_DB;
	}
	*out = a;
	return 0;
}

/* The question of id in s's "questions", or NULL. */
static json_t *question_of(json_t *s, int64_t qid)
{
	size_t i;
	json_t *q;
	json_array_foreach(json_object_get(s, "questions"), i,
			   q) if (json_integer_value(json_object_get(q, "id")) == qid) return q;
	return NULL;
}

int survey_get(struct db *db, int64_t id, int public, json_t **out)
{
	*out = NULL;
	char today[11];
	str_copy(today, clock_today_text(), sizeof(today));
	struct db_stmt *st = db_q(db,
				  "SELECT id, title, status, opens_on, closes_on, results_public, "
				  "n_responses, intro, created_name FROM surveys WHERE id = ?",
				  "i", id);
	if (!st)
		return VE_DB;
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		return rc == DB_DONE ? VE_NOTFOUND : VE_DB;
	}
	if (public && strcmp(db_text(st, 2), SURVEY_PUBLISHED) != 0) {
		db_done(st);
		return VE_NOTFOUND;
	}
	json_t *s = survey_row(st, today);
	json_object_set_new(s, "intro", json_string(db_text(st, 7)));
	json_object_set_new(s, "created_name", json_string(db_text(st, 8)));
	json_object_set_new(s, "editable", json_boolean(db_int(st, 6) == 0));
	db_done(st);
	json_t *qs = json_array();
	json_object_set_new(s, "questions", qs);
	st = db_q(
		db,
		"SELECT id, position, kind, title, required FROM survey_questions WHERE survey_id = "
		"? ORDER BY position, id",
		"i", id);
	if (!st) {
		json_decref(s);
		return VE_DB;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		int pos = (int)db_int(st, 1);
		const char *kind = db_text(st, 2);
		json_array_append_new(
			qs, json_pack("{s:I,s:i,s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:b,s:b,s:[],s:s}",
				      "id", (json_int_t)db_int(st, 0), "position", pos, "field",
				      survey_question_field(pos), "kind", kind, "kind_title",
				      survey_kind_title(kind), "title", db_text(st, 3), "required",
				      (int)db_int(st, 4), "single", strcmp(kind, "single") == 0,
				      "multiple", strcmp(kind, "multiple") == 0, "text",
				      strcmp(kind, "text") == 0, "scale",
				      strcmp(kind, "scale") == 0, "options", "options_text", ""));
	}
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(s);
		return VE_DB;
	}
	st = db_q(db,
		  "SELECT o.question_id, o.id, o.position, o.label FROM survey_options o JOIN "
		  "survey_questions q ON q.id = o.question_id WHERE q.survey_id = ? ORDER BY "
		  "q.position, o.position, o.id",
		  "i", id);
	if (!st) {
		json_decref(s);
		return VE_DB;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *q = question_of(s, db_int(st, 0));
		if (!q)
			continue;
		json_array_append_new(json_object_get(q, "options"),
				      json_pack("{s:I,s:i,s:s}", "id", (json_int_t)db_int(st, 1),
						"position", (int)db_int(st, 2), "label",
						db_text(st, 3)));
		const char *before = json_string_value(json_object_get(q, "options_text"));
		size_t bl = strlen(before), ll = strlen(db_text(st, 3));
		char *joined = malloc(bl + ll + 2);
		if (!joined)
			abort();
		memcpy(joined, before, bl);
		if (bl)
			joined[bl++] = '\n';
		memcpy(joined + bl, db_text(st, 3), ll + 1);
		json_object_set_new(q, "options_text", json_string(joined));
		free(joined);
	}
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(s);
		return VE_DB;
	}
	*out = s;
	return 0;
}

/* ---- results ---- */

/* Adds the chart of q's counts over its respondents to q. */
static void add_chart(json_t *q)
{
	json_t *counts = json_object_get(q, "counts");
	size_t n = json_array_size(counts), i;
	struct chart_bar bars[CHART_BARS_MAX];
	json_t *c;
	if (n > CHART_BARS_MAX)
		n = CHART_BARS_MAX;
	json_array_foreach(counts, i, c)
	{
		if (i >= n)
			break;
		bars[i].label = json_string_value(json_object_get(c, "label"));
		bars[i].count = json_integer_value(json_object_get(c, "count"));
	}
	json_t *chart = chart_json(json_string_value(json_object_get(q, "title")), bars, n,
				   json_integer_value(json_object_get(q, "answered")));
	if (chart)
		json_object_set_new(q, "chart", chart);
}

static void count_add(json_t *q, int64_t option_id, int64_t n)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(q, "counts"), i,
			   c) if (json_integer_value(json_object_get(c, "id")) == option_id)
		json_object_set_new(c, "count", json_integer(n));
}

int survey_results(struct db *db, int64_t id, int public, int with_texts, json_t **out)
{
	*out = NULL;
	json_t *s = NULL;
	int rc = survey_get(db, id, public, &s);
	if (rc)
		return rc;
	if (public && !json_is_true(json_object_get(s, "results_public"))) {
		json_decref(s);
		return VE_NOTFOUND;
	}
	size_t i;
	json_t *q;
	json_array_foreach(json_object_get(s, "questions"), i, q)
	{
		json_t *counts = json_array();
		const char *kind = json_string_value(json_object_get(q, "kind"));
		if (strcmp(kind, "scale") == 0)
			for (int v = SURVEY_SCALE_MIN; v <= SURVEY_SCALE_MAX; v++) {
				char label[16];
				snprintf(label, sizeof(label), "%d 分", v);
				json_array_append_new(counts,
						      json_pack("{s:i,s:s,s:i}", "id", v, "label",
								label, "count", 0));
			}
		else {
			size_t k;
			json_t *o;
			json_array_foreach(json_object_get(q, "options"), k, o)
				json_array_append_new(
					counts, json_pack("{s:O,s:O,s:i}", "id",
							  json_object_get(o, "id"), "label",
							  json_object_get(o, "label"), "count", 0));
		}
		json_object_set_new(q, "counts", counts);
		json_object_set_new(q, "answered", json_integer(0));
		json_object_set_new(q, "texts", json_array());
	}
	json_object_set(s, "respondents", json_object_get(s, "n_responses"));
	struct db_stmt *st =
		db_q(db,
		     "SELECT a.question_id, count(DISTINCT a.response_id) FROM "
		     "survey_answers a JOIN survey_questions q ON q.id = a.question_id "
		     "WHERE q.survey_id = ? GROUP BY a.question_id",
		     "i", id);
	if (!st)
		goto db_fail;
	while ((rc = db_step(st)) == DB_ROW)
		if ((q = question_of(s, db_int(st, 0))) != NULL)
			json_object_set_new(q, "answered", json_integer(db_int(st, 1)));
	db_done(st);
	if (rc != DB_DONE)
		goto db_fail;
	/* a choice counts by its option, a scale by its value: one answer row holds one of them */
	st = db_q(db,
		  "SELECT a.question_id, coalesce(a.option_id, a.scale_value), count(*) FROM "
		  "survey_answers a JOIN survey_questions q ON q.id = a.question_id WHERE "
		  "q.survey_id = ? AND (a.option_id IS NOT NULL OR a.scale_value IS NOT NULL) "
		  "GROUP BY a.question_id, a.option_id, a.scale_value",
		  "i", id);
	if (!st)
		goto db_fail;
	while ((rc = db_step(st)) == DB_ROW)
		if ((q = question_of(s, db_int(st, 0))) != NULL)
			count_add(q, db_int(st, 1), db_int(st, 2));
	db_done(st);
	if (rc != DB_DONE)
		goto db_fail;
	if (with_texts) {
		/* the latest SURVEY_TEXTS_SHOWN of each question, newest first (the export has
		 * them all) */
		st = db_q(
			db,
			"SELECT question_id, text_value, submitted_at FROM (SELECT a.question_id, "
			"a.text_value, r.submitted_at, r.id AS rid, a.id AS aid, row_number() "
			"OVER (PARTITION BY a.question_id ORDER BY r.id DESC, a.id DESC) AS rn "
			"FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id "
			"WHERE r.survey_id = ? AND a.text_value IS NOT NULL) t WHERE rn <= ? "
			"ORDER BY question_id, rid DESC, aid DESC",
			"ii", id, (int64_t)SURVEY_TEXTS_SHOWN);
		if (!st)
			goto db_fail;
		while ((rc = db_step(st)) == DB_ROW)
			if ((q = question_of(s, db_int(st, 0))) != NULL) {
				char at[17];
				clock_local_minute(db_int(st, 2), at);
				json_array_append_new(
					json_object_get(q, "texts"),
					json_pack("{s:s,s:s}", "text", db_text(st, 1), "at", at));
			}
		db_done(st);
		if (rc != DB_DONE)
			goto db_fail;
	}
	json_array_foreach(json_object_get(s, "questions"), i, q)
	{
		const char *kind = json_string_value(json_object_get(q, "kind"));
		if (strcmp(kind, "text") == 0) {
			if (with_texts &&
			    json_integer_value(json_object_get(q, "answered")) > SURVEY_TEXTS_SHOWN)
				json_object_set_new(q, "texts_cut",
						    json_integer(SURVEY_TEXTS_SHOWN));
			continue;
		}
		if (strcmp(kind, "scale") == 0) {
			int64_t sum = 0, n = 0;
			size_t k;
			json_t *c;
			json_array_foreach(json_object_get(q, "counts"), k, c)
			{
				int64_t cnt = json_integer_value(json_object_get(c, "count"));
				sum += cnt * json_integer_value(json_object_get(c, "id"));
				n += cnt;
			}
			char mean[48] = "—";
			if (n) {
				int64_t tenths = (sum * 20 + n) / (2 * n);
				snprintf(mean, sizeof(mean), "%lld.%lld", (long long)(tenths / 10),
					 (long long)(tenths % 10));
			}
			json_object_set_new(q, "mean", json_string(mean));
		}
		add_chart(q);
	}
	*out = s;
	return 0;
db_fail:
	json_decref(s);
	return VE_DB;
}

/* ---- answering ---- */

static void token_hash(const char *token, char out[2 * SM3_LEN + 1])
{
	unsigned char h[SM3_LEN];
	crypto_sm3(token, strlen(token), h);
	crypto_hex(h, SM3_LEN, out);
}

static int token_valid(const char *token)
{
	return token && strlen(token) == SURVEY_TOKEN_HEX &&
	       strspn(token, "0123456789abcdef") == SURVEY_TOKEN_HEX;
}

int survey_answered(struct db *db, int64_t id, const char *token)
{
	if (!token_valid(token))
		return 0;
	char hash[2 * SM3_LEN + 1];
	token_hash(token, hash);
	int64_t n = 0;
	if (db_int_query(db, &n, 0,
			 "SELECT count(*) FROM survey_responses WHERE survey_id = ? AND "
			 "visitor_hash = ?",
			 "is", id, hash) != 0)
		return 0;
	return n > 0;
}

/* A question as the check sees it. */
struct qcheck {
	int64_t id;
	int position;
	char kind[16];
	int required;
	int n_options;
	int64_t options[SURVEY_OPTIONS_MAX];
};

/* One value to store. */
struct chosen {
	int64_t question_id, option_id, scale;
	char *text; /* a 填空's text, tidied (owned) */
};

/* 1 when v holds nothing but white space, as str_tidy sees it (the full-width and
 * no-break spaces too). */
static int blank(const char *v)
{
	for (;;) {
		size_t n = strspn(v, " \t\r\n");
		v += n;
		if ((unsigned char)v[0] == 0xc2 && (unsigned char)v[1] == 0xa0)
			v += 2;
		else if ((unsigned char)v[0] == 0xe3 && (unsigned char)v[1] == 0x80 &&
			 (unsigned char)v[2] == 0x80)
			v += 3;
		else if (!n)
			return *v == '\0';
	}
}

/* The questions of survey id with their options, in order; *n of them. */
static int load_questions(struct db *db, int64_t id, struct qcheck *qs, int *n)
{
	*n = 0;
	struct db_stmt *st = db_q(db,
				  "SELECT id, position, kind, required FROM survey_questions WHERE "
				  "survey_id = ? ORDER BY position, id",
				  "i", id);
	if (!st)
		return VE_DB;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && *n < SURVEY_QUESTIONS_MAX) {
		struct qcheck *q = &qs[(*n)++];
		memset(q, 0, sizeof(*q));
		q->id = db_int(st, 0);
		q->position = (int)db_int(st, 1);
		str_copy(q->kind, db_text(st, 2), sizeof(q->kind));
		q->required = (int)db_int(st, 3);
	}
	db_done(st);
	if (rc != DB_DONE && rc != DB_ROW)
		return VE_DB;
	st = db_q(
		db,
		"SELECT o.question_id, o.id FROM survey_options o JOIN survey_questions q ON q.id "
		"= o.question_id WHERE q.survey_id = ? ORDER BY q.position, o.position, o.id",
		"i", id);
	if (!st)
		return VE_DB;
	while ((rc = db_step(st)) == DB_ROW)
		for (int i = 0; i < *n; i++)
			if (qs[i].id == db_int(st, 0) && qs[i].n_options < SURVEY_OPTIONS_MAX)
				qs[i].options[qs[i].n_options++] = db_int(st, 1);
	db_done(st);
	return rc == DB_DONE ? 0 : VE_DB;
}

/* Checks given against the questions; fills chosen (at most SURVEY_QUESTIONS_MAX *
 * SURVEY_OPTIONS_MAX) in question and option order, *n_chosen. Errors into fe. */
static void check_given(const struct qcheck *qs, int n_q, const struct survey_given *given,
			struct chosen *chosen, int *n_chosen, struct field_errors *fe)
{
	*n_chosen = 0;
	for (int p = n_q; p < SURVEY_QUESTIONS_MAX; p++)
		for (int k = 0; k < given[p].n; k++)
			if (given[p].v[k] && *given[p].v[k]) {
				field_errors_add(fe, survey_question_field(p + 1),
						 "问卷中没有第%d题", p + 1);
				k = given[p].n;
			}
	for (int i = 0; i < n_q; i++) {
		const struct qcheck *q = &qs[i];
		const struct survey_given *g = &given[q->position - 1];
		const char *field = survey_question_field(q->position);
		const char *vals[SURVEY_OPTIONS_MAX];
		int n = 0;
		for (int k = 0; k < g->n && k < SURVEY_OPTIONS_MAX; k++)
			if (g->v[k] && !blank(g->v[k]))
				vals[n++] = g->v[k];
		if (n == 0) {
			if (q->required)
				field_errors_add(fe, field, "%s：请回答此题", field);
			continue;
		}
		int multiple = strcmp(q->kind, "multiple") == 0;
		if (!multiple && n > 1) {
			field_errors_add(fe, field, "%s：只能选一项", field);
			continue;
		}
		if (strcmp(q->kind, "text") == 0) {
			/* tidied first: what is counted is what is stored */
			char *text = strdup(vals[0]);
			if (!text)
				abort();
			size_t len = str_tidy(text, STR_TIDY_KEEP);
			if (utf8_count(text, len) > SURVEY_TEXT_MAX)
				field_errors_add(fe, field, "%s：最多 %d 个字", field,
						 SURVEY_TEXT_MAX);
			else if (!str_is_printable(text, len, 1))
				field_errors_add(fe, field, "%s：含有不可打印的字符", field);
			else {
				chosen[(*n_chosen)++] = (struct chosen){q->id, 0, 0, text};
				continue;
			}
			free(text);
			continue;
		}
		if (strcmp(q->kind, "scale") == 0) {
			int64_t v = 0;
			if (str_to_i64(vals[0], strlen(vals[0]), SURVEY_SCALE_MIN, SURVEY_SCALE_MAX,
				       &v) != 0)
				field_errors_add(fe, field, "%s：请选择 %d 到 %d", field,
						 SURVEY_SCALE_MIN, SURVEY_SCALE_MAX);
			else
				chosen[(*n_chosen)++] = (struct chosen){q->id, 0, v, NULL};
			continue;
		}
		/* a choice: each value one of the question's options, each once; stored in the
		 * options' order */
		int picked[SURVEY_OPTIONS_MAX] = {0}, bad = 0;
		for (int k = 0; k < n && !bad; k++) {
			int64_t oid = 0;
			int at = -1;
			if (str_to_i64(vals[k], strlen(vals[k]), 1, INT64_MAX, &oid) == 0)
				for (int o = 0; o < q->n_options; o++)
					if (q->options[o] == oid)
						at = o;
			if (at < 0 || picked[at])
				bad = 1;
			else
				picked[at] = 1;
		}
		if (bad) {
			field_errors_add(fe, field, "%s：选项无效，请从列出的选项中选择", field);
			continue;
		}
		for (int o = 0; o < q->n_options; o++)
			if (picked[o])
				chosen[(*n_chosen)++] =
					(struct chosen){q->id, q->options[o], 0, NULL};
	}
}

/* Checks and stores, in the caller's transaction. */
static int store_answer(struct db *db, int64_t id, const struct survey_given *given,
			const char *token, int64_t at, struct survey_gate *gate,
			int64_t *response_id, struct field_errors *fe, char *err, size_t errlen)
{
	*response_id = 0;
	if (!token_valid(token))
		return err_set(err, errlen, VE_INVALID, "访问凭据无效，请刷新页面后再提交");
	char hash[2 * SM3_LEN + 1];
	token_hash(token, hash);
	int64_t seen = 0;
	if (db_int_query(db, &seen, 0,
			 "SELECT count(*) FROM survey_responses WHERE survey_id = ? AND "
			 "visitor_hash = ?",
			 "is", id, hash) != 0)
		return VE_DB;
	if (seen)
		return err_set(err, errlen, VE_CONFLICT, "您已提交过此问卷，每人只能提交一次");
	struct qcheck *qs = calloc(SURVEY_QUESTIONS_MAX, sizeof(*qs));
	struct chosen *chosen = calloc(SURVEY_QUESTIONS_MAX * SURVEY_OPTIONS_MAX, sizeof(*chosen));
	int n_q = 0, n_chosen = 0, rc;
	if (!qs || !chosen)
		abort();
	rc = load_questions(db, id, qs, &n_q);
	if (!rc && n_q == 0)
		rc = err_set(err, errlen, VE_CONFLICT, "此问卷没有题目，不能提交");
	if (!rc) {
		check_given(qs, n_q, given, chosen, &n_chosen, fe);
		if (fe->n)
			rc = err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	}
	if (!rc && gate && (gate->retry_after = gate->admit(gate->ctx)) > 0)
		rc = err_set(err, errlen, VE_QUOTA, "从您的网络提交问卷过于频繁，请稍后再试");
	if (!rc) {
		rc = db_run(db,
			    "INSERT INTO survey_responses (survey_id, submitted_at, visitor_hash) "
			    "VALUES (?, ?, ?) ON CONFLICT (survey_id, visitor_hash) DO NOTHING",
			    "iis", id, at, hash);
		if (!rc && db_changes(db) == 0)
			rc = err_set(err, errlen, VE_CONFLICT,
				     "您已提交过此问卷，每人只能提交一次");
	}
	if (!rc)
		*response_id = db_last_id(db);
	for (int i = 0; i < n_chosen && !rc; i++) {
		const struct chosen *c = &chosen[i];
		if (c->text)
			rc = db_run(
				db,
				"INSERT INTO survey_answers (response_id, question_id, text_value) "
				"VALUES (?, ?, ?)",
				"iis", *response_id, c->question_id, c->text);
		else if (c->option_id)
			rc = db_run(
				db,
				"INSERT INTO survey_answers (response_id, question_id, option_id) "
				"VALUES (?, ?, ?)",
				"iii", *response_id, c->question_id, c->option_id);
		else
			rc = db_run(
				db,
				"INSERT INTO survey_answers (response_id, question_id, scale_value) "
				"VALUES (?, ?, ?)",
				"iii", *response_id, c->question_id, c->scale);
	}
	for (int i = 0; i < n_chosen; i++)
		free(chosen[i].text);
	if (!rc)
		rc = db_run(db, "UPDATE surveys SET n_responses = n_responses + 1 WHERE id = ?",
			    "i", id);
	free(qs);
	free(chosen);
	return rc;
}

int survey_answer_batch(struct db *db, const struct principal *by, int64_t id, size_t n,
			survey_fill_fn fill, void *ctx, char *err, size_t errlen)
{
	int rc = denied(by, err, errlen);
	if (rc)
		return rc;
	struct survey_given *given = calloc(SURVEY_QUESTIONS_MAX, sizeof(*given));
	if (!given)
		abort();
	if (db_tx_begin(db, 0)) {
		free(given);
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	}
	for (size_t i = 0; i < n && !rc; i++) {
		char token[SURVEY_TOKEN_HEX + 1] = "";
		int64_t at = 0, response_id = 0;
		struct field_errors fe = {0};
		memset(given, 0, sizeof(*given) * SURVEY_QUESTIONS_MAX);
		fill(ctx, i, given, token, &at);
		char why[200] = "";
		rc = store_answer(db, id, given, token, at, NULL, &response_id, &fe, why,
				  sizeof(why));
		if (rc)
			err_set(err, errlen, rc, "第 %zu 份答卷：%s", i + 1,
				fe.n ? field_errors_first(&fe, "") : why);
	}
	if (!rc) {
		char detail[64];
		snprintf(detail, sizeof(detail), "%zu 份答卷", n);
		rc = account_audit(db, by, "survey.answer_batch", "survey", id, detail);
	}
	free(given);
	return tx_end(db, rc, err, errlen);
}

int survey_answer(struct db *db, const struct audit_actor *who, int64_t id,
		  const struct survey_given given[SURVEY_QUESTIONS_MAX], const char *token,
		  struct survey_gate *gate, int64_t *response_id, struct field_errors *fe,
		  char *err, size_t errlen)
{
	*response_id = 0;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	struct db_stmt *st = db_q(
		db, "SELECT status, opens_on, closes_on, title FROM surveys WHERE id = ?", "i", id);
	int rc = st ? db_step(st) : VE_DB;
	char phase[32] = "", title[SURVEY_TITLE_MAX * 4 + 8] = "";
	if (rc == DB_ROW) {
		char today[11];
		str_copy(today, clock_today_text(), sizeof(today));
		str_copy(phase, survey_phase(db_text(st, 0), db_text(st, 1), db_text(st, 2), today),
			 sizeof(phase));
		str_copy(title, db_text(st, 3), sizeof(title));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = VE_NOTFOUND;
	db_done(st);
	if (!rc && strcmp(phase, "草稿") == 0)
		rc = VE_NOTFOUND;
	if (rc == VE_NOTFOUND)
		err_set(err, errlen, rc, "问卷不存在");
	if (!rc && strcmp(phase, "进行中") != 0)
		rc = err_set(err, errlen, VE_CONFLICT,
			     strcmp(phase, "已结束") == 0 ? "此问卷已结束，不再接受提交"
							  : "此问卷尚未开始，请在开始日期后再来");
	if (!rc)
		rc = store_answer(db, id, given, token, clock_now(), gate, response_id, fe, err,
				  errlen);
	if (!rc) {
		char object[32], detail[600];
		snprintf(object, sizeof(object), "survey:%lld", (long long)id);
		snprintf(detail, sizeof(detail), "答卷 %lld（%s）", (long long)*response_id, title);
		rc = audit_write(db, who, "survey.answer", object, "ok", detail);
	}
	int ended = db_tx_end(db, 0, rc);
	if (ended && !rc)
		return err_set(err, errlen, VE_DB, "保存失败，请稍后再试");
	return ended;
}

/* ---- export ---- */

/* The cells of one response (columns 2.. are the questions'), written and emptied. */
static int write_response(struct xlsx_writer *w, int n_q, struct buf *cols, int64_t rid, int64_t at)
{
	const char *cells[2 + SURVEY_QUESTIONS_MAX];
	char num[24], when[17];
	char *guarded[SURVEY_QUESTIONS_MAX] = {0};
	snprintf(num, sizeof(num), "%lld", (long long)rid);
	clock_local_minute(at, when);
	cells[0] = num;
	cells[1] = when;
	for (int i = 0; i < n_q; i++) {
		const char *c = buf_cstr(&cols[i]);
		size_t sz = strlen(c) + 2;
		guarded[i] = malloc(sz);
		if (!guarded[i])
			abort();
		cells[2 + i] = sheet_guard(c, guarded[i], sz);
	}
	int rc = xlsx_write_row(w, cells, (size_t)(2 + n_q));
	for (int i = 0; i < n_q; i++) {
		free(guarded[i]);
		buf_reset(&cols[i]);
	}
	return rc;
}

int survey_export(struct db *db, const struct principal *by, int64_t id, const char *path,
		  char *err, size_t errlen)
{
	if (!perm_allows(by->roles, PERM_SURVEY_READ))
		return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限",
			       perm_title(PERM_SURVEY_READ));
	json_t *s = NULL;
	int rc = survey_get(db, id, 0, &s);
	if (rc)
		return err_set(err, errlen, rc, rc == VE_NOTFOUND ? "问卷不存在" : "读取失败");
	json_t *qs = json_object_get(s, "questions");
	int n_q = (int)json_array_size(qs);
	int64_t qids[SURVEY_QUESTIONS_MAX];
	const char *header[2 + SURVEY_QUESTIONS_MAX];
	char titles[SURVEY_QUESTIONS_MAX][SURVEY_QUESTION_MAX * 4 + 32];
	struct buf cols[SURVEY_QUESTIONS_MAX];
	header[0] = "编号";
	header[1] = "提交时间";
	for (int i = 0; i < n_q && i < SURVEY_QUESTIONS_MAX; i++) {
		json_t *q = json_array_get(qs, (size_t)i);
		qids[i] = json_integer_value(json_object_get(q, "id"));
		snprintf(titles[i], sizeof(titles[i]), "第%d题 %s", i + 1,
			 json_string_value(json_object_get(q, "title")));
		utf8_scrub(titles[i]);
		header[2 + i] = titles[i];
		buf_init(&cols[i], SHEET_CELL_MAX - 8);
	}
	struct xlsx_writer *w = xlsx_writer_open(path, "答卷", err, errlen);
	if (!w) {
		json_decref(s);
		for (int i = 0; i < n_q; i++)
			buf_free(&cols[i]);
		return VE_IO;
	}
	for (int i = 0; i < 2 + n_q; i++)
		xlsx_writer_column(w, i, i < 2 ? 16 : 24, 1);
	rc = xlsx_write_row(w, header, (size_t)(2 + n_q));
	struct db_stmt *st =
		rc ? NULL
		   : db_q(db,
			  "SELECT r.id, r.submitted_at, a.question_id, o.label, "
			  "a.text_value, a.scale_value FROM survey_responses r LEFT JOIN "
			  "survey_answers a ON a.response_id = r.id LEFT JOIN "
			  "survey_options o ON o.id = a.option_id WHERE r.survey_id = ? "
			  "ORDER BY r.id, a.id",
			  "i", id);
	if (!rc && !st)
		rc = VE_DB;
	int64_t current = 0, current_at = 0, rows = 0;
	int step;
	while (!rc && (step = db_step(st)) == DB_ROW) {
		int64_t rid = db_int(st, 0);
		if (rid != current) {
			if (current &&
			    (rc = write_response(w, n_q, cols, current, current_at)) != 0)
				break;
			current = rid;
			current_at = db_int(st, 1);
			rows++;
		}
		if (db_is_null(st, 2))
			continue;
		int col = -1;
		for (int i = 0; i < n_q; i++)
			if (qids[i] == db_int(st, 2))
				col = i;
		if (col < 0)
			continue;
		struct buf *b = &cols[col];
		if (b->len)
			buf_puts(b, "；");
		if (!db_is_null(st, 3))
			buf_puts(b, db_text(st, 3));
		else if (!db_is_null(st, 4))
			buf_puts(b, db_text(st, 4));
		else
			buf_printf(b, "%lld", (long long)db_int(st, 5));
	}
	if (!rc && st && step != DB_DONE)
		rc = VE_DB;
	db_done(st);
	if (!rc && current)
		rc = write_response(w, n_q, cols, current, current_at);
	for (int i = 0; i < n_q; i++)
		buf_free(&cols[i]);
	char cerr[200] = "";
	int closed = xlsx_writer_close(w, cerr, sizeof(cerr));
	if (!rc && closed)
		rc = err_set(err, errlen, VE_IO, "%s", cerr);
	if (!rc) {
		char detail[600];
		snprintf(detail, sizeof(detail), "%s：%lld 份答卷",
			 json_string_value(json_object_get(s, "title")), (long long)rows);
		if (db_tx_begin(db, 0))
			rc = VE_DB;
		else
			rc = db_tx_end(
				db, 0,
				account_audit(db, by, "survey.export", "survey", id, detail));
		if (rc)
			err_set(err, errlen, VE_DB, "导出未能记录审计日志，请稍后再试");
	} else if (!err[0])
		err_set(err, errlen, rc, "导出失败");
	json_decref(s);
	return rc;
}

/* ---- permissions and the area ---- */

const struct perm perm_survey_read = {"survey.read", "查看问卷调查及结果、导出答卷",
				      ROLE_BIT(CLERK) | ROLE_BIT(LEADER)};
const struct perm perm_survey_manage = {"survey.manage", "管理问卷调查（编写、发布、公开结果）",
					ROLE_BIT(CLERK)};
static const struct perm *const perms[] = {PERM_SURVEY_READ, PERM_SURVEY_MANAGE, NULL};
static const struct audit_title audit_titles[] = {
	{"survey.create", "新建问卷"},
	{"survey.update", "修改问卷"},
	{"survey.question_add", "添加问卷题目"},
	{"survey.question_update", "修改问卷题目"},
	{"survey.question_delete", "删除问卷题目"},
	{"survey.question_move", "调整问卷题目顺序"},
	{"survey.publish", "发布问卷"},
	{"survey.unpublish", "撤回问卷"},
	{"survey.results_show", "公开问卷结果"},
	{"survey.results_hide", "取消公开问卷结果"},
	{"survey.export", "导出问卷答卷"},
	{"survey.answer", "提交问卷"},
	{"survey.answer_batch", "批量载入问卷答卷（演示）"},
	{NULL, NULL},
};
const struct area survey_area = {.name = "survey", .perms = perms, .audit_titles = audit_titles};
