/* survey.h - 问卷调查: questionnaires staff write and publish on the portal, the public's
 * answers (one per visitor), the results as counts and charts, and the export.
 *
 * A survey is a 草稿 while staff write it, and 已发布 once it is listed on the portal; it
 * takes answers from 开始日期 to 结束日期 (Beijing days, both included). Its questions are
 * of four kinds: 单选 (one option), 多选 (any options), 填空 (a text of at most
 * SURVEY_TEXT_MAX characters) and 量表 (1 to 5). Questions and options can be added,
 * changed, moved and removed only while the survey has no response: an answer always
 * means what its question said. The title, introduction and dates can change any time.
 *
 * A visitor answers once: the portal gives him a random token in a cookie when he answers
 * and the response keeps only SM3 of it, unique per survey (a second answer with the same
 * cookie is refused, nothing stored); the portal also limits answers per address. An
 * answer is checked whole before anything is stored: every required question answered,
 * each option one of its question's, one option for 单选, 1-5 for 量表, the text's length.
 *
 * The results count each chosen option (a 多选 answer of three options counts three), with
 * each option's share of the question's respondents; a 量表's distribution and mean; the
 * texts, for staff only. The portal shows the results only where staff chose to publish
 * them (results_public). Every staff action and every answer is audited. */
#ifndef VETS_SURVEY_H
#define VETS_SURVEY_H

#include "areas/area.h"
#include <jansson.h>
#include <stdint.h>

#include "areas/account.h"
#include "areas/audit.h"
#include "db/db.h"
#include "lib/field_errors.h"

enum {
	SURVEY_TITLE_MAX = 100, /* characters */
	SURVEY_INTRO_MAX = 2000,
	SURVEY_QUESTION_MAX = 200,
	SURVEY_OPTION_MAX = 60,
	SURVEY_TEXT_MAX = 500, /* a 填空 answer */
	SURVEY_QUESTIONS_MAX = 40,
	SURVEY_OPTIONS_MAX = 20, /* per question, at least 2 for a choice */
	SURVEY_SCALE_MIN = 1,
	SURVEY_SCALE_MAX = 5,
	SURVEY_TOKEN_HEX = 32,    /* the visitor's cookie token */
	SURVEY_TEXTS_SHOWN = 200, /* 填空 answers listed per question on the results page */
	/* The values a whole answer may send: each 多选 counts its options, any other question
	 * 1. The editor refuses a question past it, so that an answer ticking everything stays
	 * within the web server's limit of parameters (LIMIT_PARAMS, 64, less the portal form's
	 * two guard fields): 40 questions of 20 options would be 800. */
	SURVEY_ANSWER_VALUES_MAX = 60,
};

#define SURVEY_DRAFT "草稿"
#define SURVEY_PUBLISHED "已发布"

/* The kinds, as stored, and their Chinese titles. */
#define SURVEY_N_KINDS 4
extern const char *const survey_kinds[SURVEY_N_KINDS];       /* single multiple text scale */
extern const char *const survey_kind_titles[SURVEY_N_KINDS]; /* 单选 多选 填空 量表 */
/* The title of kind, or "" for an unknown one. */
const char *survey_kind_title(const char *kind);
/* The field name of question position (1-based) in field errors: "第N题" (a literal that
 * outlives the errors), or "问题" past SURVEY_QUESTIONS_MAX. */
const char *survey_question_field(int position);

/* Where a survey stands on day (YYYY-MM-DD): "草稿", "尚未开始", "进行中" or "已结束". */
const char *survey_phase(const char *status, const char *opens_on, const char *closes_on,
			 const char *day);

/* ---- staff: writing ---- */

struct survey_in {
	const char *title, *intro, *opens_on, *closes_on;
};
/* Creates a 草稿 in by's region: 0 and *id; VE_INVALID with fe (标题, 说明, 开始日期,
 * 结束日期); VE_DENIED. Audited survey.create. */
int survey_create(struct db *db, const struct principal *by, const struct survey_in *in,
		  int64_t *id, struct field_errors *fe, char *err, size_t errlen);
/* Changes the title, introduction and dates (allowed with answers). Audited survey.update. */
int survey_update(struct db *db, const struct principal *by, int64_t id, const struct survey_in *in,
		  struct field_errors *fe, char *err, size_t errlen);

struct survey_question_in {
	const char *kind; /* one of survey_kinds */
	const char *title;
	int required;
	const char *options; /* 单选/多选: one option a line (blank lines skipped); else ignored */
};
/* Adds a question at the end: 0 and *question_id; VE_INVALID with fe (题型, 题目, 选项);
 * VE_CONFLICT when the survey has answers (err says so in Chinese) or holds
 * SURVEY_QUESTIONS_MAX questions; VE_NOTFOUND. Audited survey.question_add. */
int survey_question_add(struct db *db, const struct principal *by, int64_t survey_id,
			const struct survey_question_in *in, int64_t *question_id,
			struct field_errors *fe, char *err, size_t errlen);
/* Replaces question question_id's kind, title, required flag and options. As add; audited
 * survey.question_update. *survey_id receives its survey (0 when not found). */
int survey_question_update(struct db *db, const struct principal *by, int64_t question_id,
			   const struct survey_question_in *in, int64_t *survey_id,
			   struct field_errors *fe, char *err, size_t errlen);
/* Removes a question (and its options), or moves it one place up (-1) or down (+1): move
 * 0 removes. VE_CONFLICT with answers, or removing the only question of a 已发布 survey
 * (one without questions would take empty answers); VE_NOTFOUND. Audited survey.question_delete /
 * survey.question_move. */
int survey_question_move(struct db *db, const struct principal *by, int64_t question_id, int move,
			 int64_t *survey_id, char *err, size_t errlen);

/* Sets the status (publish 1: 已发布, a survey with at least one question; 0: back to
 * 草稿, off the portal) or the results' publication (results 1/0). VE_CONFLICT (no
 * question), VE_NOTFOUND. Audited survey.publish / survey.unpublish /
 * survey.results_show / survey.results_hide. */
int survey_set_status(struct db *db, const struct principal *by, int64_t id, int publish, char *err,
		      size_t errlen);
int survey_set_results_public(struct db *db, const struct principal *by, int64_t id, int on,
			      char *err, size_t errlen);

/* ---- reading ---- */

/* Every survey, newest first: [{"id","title","status","phase","opens_on","closes_on",
 * "results_public","n_responses","n_questions"}]. public: only the 已发布 ones. */
int survey_list(struct db *db, int public, json_t **out);

/* One survey: {"id","title","intro","status","phase","opens_on","closes_on",
 * "results_public","n_responses","editable" (no response yet),"created_name",
 * "questions":[{"id","position","field","kind","kind_title","title","required",
 * "options":[{"id","position","label"}],"options_text" (one a line)}]}. public: a 草稿 is
 * VE_NOTFOUND. */
int survey_get(struct db *db, int64_t id, int public, json_t **out);

/* The results: survey_get's object with "respondents" and, per question, "answered"
 * (respondents who answered it) and, by kind: choices "counts":[{"id","label","count"}]
 * (each chosen option counted), scale the same for 1..5 plus "mean" ("4.2", "—" when
 * none), text "texts":[{"text","at"}] when with_texts (staff; never on the portal): the
 * latest SURVEY_TEXTS_SHOWN, newest first, and "texts_cut" (SURVEY_TEXTS_SHOWN) when there
 * are more (the export has them all).
 * public: VE_NOTFOUND unless 已发布 with results_public. */
int survey_results(struct db *db, int64_t id, int public, int with_texts, json_t **out);

/* ---- the public: answering ---- */

/* What a visitor sent for one question (by position): its values as sent. */
struct survey_given {
	int n;
	const char *v[SURVEY_OPTIONS_MAX];
};

/* 1 when the visitor whose cookie token is token (hex) has answered survey id. */
int survey_answered(struct db *db, int64_t id, const char *token);

/* What the caller admits past the checks: admit(ctx) is called once a whole answer has
 * passed every check, just before it is stored, and answers 0 to let it in or the seconds
 * until it may come (a limit per address: only answers that would count use it up). */
struct survey_gate {
	int (*admit)(void *ctx);
	void *ctx;
	int retry_after; /* out: admit's answer when it refused */
};

/* Stores the visitor's answer to survey id: given[p - 1] holds what was sent for the
 * question at position p (n values; more than SURVEY_OPTIONS_MAX is the caller's refusal).
 * token is the visitor's cookie token (SURVEY_TOKEN_HEX hex digits). All or nothing:
 * VE_INVALID with fe naming each bad question (第N题: 请回答此题, 选项无效, 只能选一项,
 * 请选择 1 到 5, 最多 N 个字); VE_CONFLICT (not open now: 尚未开始 / 已结束, or answered
 * before with this token, or the survey has no question: err in Chinese); VE_NOTFOUND (no such
 * published survey); VE_QUOTA when gate (may be NULL) refused it (gate->retry_after). Audited
 * survey.answer by who (the portal's actor) with the response's id. */
int survey_answer(struct db *db, const struct audit_actor *who, int64_t id,
		  const struct survey_given given[SURVEY_QUESTIONS_MAX], const char *token,
		  struct survey_gate *gate, int64_t *response_id, struct field_errors *fe,
		  char *err, size_t errlen);

/* ---- export ---- */

/* Writes the responses of survey id to path (.xlsx): a header 编号, 提交时间, then one
 * column per question (第N题 题目); one row per response, oldest first; 多选 options joined
 * with "；", scale values as numbers' text. Audited survey.export. 0, VE_DENIED (by lacks
 * PERM_SURVEY_READ), VE_NOTFOUND, VE_IO. */
int survey_export(struct db *db, const struct principal *by, int64_t id, const char *path,
		  char *err, size_t errlen);

/* ---- the demo and tests ---- */

/* One answer of a batch: fill(ctx, i, given, token, &at) writes the i-th answer's values
 * (given: SURVEY_QUESTIONS_MAX entries, zeroed), its visitor token and its time. */
typedef void (*survey_fill_fn)(void *ctx, size_t i, struct survey_given *given,
			       char token[SURVEY_TOKEN_HEX + 1], int64_t *at);
/* Stores n answers to survey id as survey_answer does each (the same checks), without the
 * dates' check or an audit record per answer but one survey.answer_batch for all (the
 * demo's hundreds of answers), in one transaction: all or none. 0, or the first refusal
 * (err names the answer). */
int survey_answer_batch(struct db *db, const struct principal *by, int64_t id, size_t n,
			survey_fill_fn fill, void *ctx, char *err, size_t errlen);

/* ---- permissions and the area ---- */

extern const struct perm perm_survey_read, perm_survey_manage;
#define PERM_SURVEY_READ (&perm_survey_read)
#define PERM_SURVEY_MANAGE (&perm_survey_manage)
extern const struct area survey_area;

#endif
