/* petition_step.c - the steps on a petition (受理 … 发布) and reading one. */
#include "petition.h"
#include "petition_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "areas/scope.h"
#include "areas/sealed.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"
#include "lib/utf8.h"

static const char *const step_names[][2] = {
	{"register", "登记"},       {"accept", "受理"},          {"reject", "不予受理"},
	{"assign", "交办"},         {"extend", "申请延期"},      {"extend_approve", "批准延期"},
	{"extend_refuse", "不批准延期"}, {"close", "办结"},      {"reply", "答复"},
	{"review_ask", "申请复查"}, {"review_answer", "复查答复"}, {"duplicate", "重复件"},
	{"publish", "发布"},
};
#define N_STEPS (sizeof(step_names) / sizeof(step_names[0]))

const char *petition_step_title(const char *step)
{
	for (size_t i = 0; i < N_STEPS; i++)
		if (strcmp(step, step_names[i][0]) == 0)
			return step_names[i][1];
	return step;
}

/* ---- a petition as the steps see it ---- */

struct pstate {
	int64_t id;
	char code[64], source[16], status[16], received_on[11], decide_by[11], decided_on[11];
	int accepted; /* -1 undecided */
	char ext_state[12], due_on[11], closed_on[11], replied_on[11], review_asked_on[11];
	int64_t ext_asked_days, ext_days, consent, ext_asked_by;
	char last_day[11], region[16];
};

#define COPY(dst, col) str_copy(dst, db_is_null(st, col) ? "" : db_text(st, col), sizeof(dst))

#define STATE_SQL                                                                                  \
	"SELECT p.id, p.code, p.source, p.status, p.received_on, p.decide_by, "                    \
	"coalesce(p.decided_on, ''), coalesce(p.accepted, -1), coalesce(p.ext_state, ''), "        \
	"coalesce(p.due_on, ''), coalesce(p.closed_on, ''), coalesce(p.replied_on, ''), "          \
	"coalesce(p.review_asked_on, ''), p.ext_asked_days, p.ext_days, p.consent, "              \
	"greatest(p.received_on, p.decided_on, p.assigned_on, p.closed_on, p.replied_on, "         \
	"p.review_asked_on, p.review_answered_on, (SELECT max(s.on_day) FROM petition_steps s "    \
	"WHERE s.petition_id = p.id)), p.region_code, coalesce(p.ext_asked_by, 0) "                \
	"FROM petitions p WHERE p.id = ? AND " SCOPE_REGION_SQL("p.region_code", "p.created_by")

static int load(struct db *db, const struct principal *by, int64_t id, struct pstate *p)
{
	struct db_stmt *st = db_q(db, STATE_SQL, "i" SCOPE_REGION_FMT, id,
				  SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	int rc = db_step(st) == DB_ROW ? 0 : VE_NOTFOUND;
	if (!rc) {
		p->id = db_int(st, 0);
		COPY(p->code, 1);
		COPY(p->source, 2);
		COPY(p->status, 3);
		COPY(p->received_on, 4);
		COPY(p->decide_by, 5);
		COPY(p->decided_on, 6);
		p->accepted = (int)db_int(st, 7);
		COPY(p->ext_state, 8);
		COPY(p->due_on, 9);
		COPY(p->closed_on, 10);
		COPY(p->replied_on, 11);
		COPY(p->review_asked_on, 12);
		p->ext_asked_days = db_int(st, 13);
		p->ext_days = db_int(st, 14);
		p->consent = db_int(st, 15);
		COPY(p->last_day, 16);
		COPY(p->region, 17);
		p->ext_asked_by = db_int(st, 18);
	}
	db_done(st);
	return rc;
}

static int is(const struct pstate *p, const char *status)
{
	return strcmp(p->status, status) == 0;
}

static int in_hand(const struct pstate *p)
{
	return is(p, PETITION_ACCEPTED) || is(p, PETITION_ASSIGNED);
}

static int conflict(const struct pstate *p, const char *what, char *err, size_t errlen)
{
	return err_set(err, errlen, VE_CONFLICT, "该信访件当前为“%s”，不能%s", p->status, what);
}

static const char *text_of(const char *s)
{
	return s ? s : "";
}

/* The note of a step, tidied, within max characters; required with why. */
static int need_note(struct field_errors *fe, const char *field, const char *note, size_t max,
		     const char *why)
{
	size_t n = utf8_count(note, strlen(note));
	if (n == 0)
		field_errors_add(fe, field, "%s", why);
	else if (n > max)
		field_errors_add(fe, field, "%s最多 %zu 个字", field, max);
	else if (!str_is_printable(note, strlen(note), 1))
		field_errors_add(fe, field, "%s含有不可打印的字符", field);
	return fe->n;
}

/* The step's day: given (or today), real, not after today, not before the last step. */
static void check_day(const struct pstate *p, const char *on, struct field_errors *fe)
{
	if (!petition_date_valid(on))
		field_errors_add(fe, "日期", "日期应为 YYYY-MM-DD，如 2026-03-15");
	else if (strcmp(on, clock_today_text()) > 0)
		field_errors_add(fe, "日期", "日期不能晚于今天");
	else if (strcmp(on, p->last_day) < 0)
		field_errors_add(fe, "日期", "日期不能早于上一步的日期 %s", p->last_day);
}

static int fields_refused(struct field_errors *fe, char *err, size_t errlen)
{
	return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
}

/* Writes the status change, its step, its audit record, the writer's message and the
 * flag: the tail every step shares. */
static int finish(struct db *db, const struct principal *by, const struct pstate *p,
		  const char *step, const char *on, const char *note, const char *message)
{
	char detail[600];
	snprintf(detail, sizeof(detail), "%s：%s %s%s%s", p->code, petition_step_title(step), on,
		 note && *note ? "，" : "", note ? note : "");
	char action[48];
	snprintf(action, sizeof(action), "petition.%s", step);
	int rc = petition_add_step(db, by, p->id, step, on, note);
	if (!rc)
		rc = account_audit(db, by, action, "petition", p->id, detail);
	if (!rc)
		rc = petition_reflag(db, p->id);
	if (!rc && message)
		rc = petition_notify(db, p->id, message);
	return rc;
}

/* ---- the steps ---- */

static int do_decide(struct db *db, const struct principal *by, const struct pstate *p,
		     const struct petition_step *s, const char *on, int accept,
		     struct field_errors *fe, char *err, size_t errlen)
{
	if (!is(p, PETITION_PENDING))
		return conflict(p, accept ? "受理" : "不予受理", err, errlen);
	const char *note = text_of(s->note);
	check_day(p, on, fe);
	if (!accept)
		need_note(fe, "说明", note, 500, "请填写不予受理的理由");
	else if (!fe->n && strcmp(on, p->decide_by) > 0 && !*note)
		field_errors_add(fe, "说明",
				 "受理日期已超过收到后 15 日（%s），请填写逾期受理的原因", p->decide_by);
	else if (*note)
		need_note(fe, "说明", note, 500, "");
	if (fe->n)
		return fields_refused(fe, err, errlen);
	char due[11] = "", msg[160];
	if (accept)
		petition_day_add(on, PETITION_HANDLE_DAYS, due);
	int rc = db_run(db,
			"UPDATE petitions SET accepted = ?, decided_on = ?, decide_note = ?, status = ?, "
			"due_on = ? WHERE id = ?",
			"issssi", (int64_t)accept, on, note,
			accept ? PETITION_ACCEPTED : PETITION_REJECTED, accept ? due : NULL, p->id);
	if (rc)
		return rc;
	if (accept)
		snprintf(msg, sizeof(msg), "已受理，将于 %s 前办结。", due);
	else
		snprintf(msg, sizeof(msg), "经审查不予受理，理由已书面告知，如有疑问请联系我局。");
	return finish(db, by, p, accept ? "accept" : "reject", on, note, msg);
}

static int do_assign(struct db *db, const struct principal *by, const struct pstate *p,
		     const struct petition_step *s, const char *on, struct field_errors *fe,
		     char *err, size_t errlen)
{
	if (!in_hand(p))
		return conflict(p, "交办", err, errlen);
	char assignee[160];
	str_copy(assignee, text_of(s->assignee), sizeof(assignee));
	str_tidy(assignee, STR_TIDY_COLLAPSE);
	int64_t org = 0;
	char org_name[128] = "";
	check_day(p, on, fe);
	if (!s->org || !*s->org)
		field_errors_add(fe, "承办单位", "请选择承办单位");
	else {
		struct db_stmt *st = db_q(db, "SELECT id, name FROM orgs WHERE code = ?", "s", s->org);
		if (st && db_step(st) == DB_ROW) {
			org = db_int(st, 0);
			str_copy(org_name, db_text(st, 1), sizeof(org_name));
		}
		db_done(st);
		if (!org)
			field_errors_add(fe, "承办单位", "承办单位不存在：%s", s->org);
	}
	need_note(fe, "承办人", assignee, 50, "请填写承办人");
	if (fe->n)
		return fields_refused(fe, err, errlen);
	int rc = db_run(db,
			"UPDATE petitions SET assigned_org_id = ?, assignee = ?, assigned_on = ?, "
			"status = '" PETITION_ASSIGNED "' WHERE id = ?",
			"issi", org, assignee, on, p->id);
	char note[400];
	snprintf(note, sizeof(note), "%s %s", org_name, assignee);
	return rc ? rc : finish(db, by, p, "assign", on, note, "已交办承办单位办理。");
}

static int do_extend(struct db *db, const struct principal *by, const struct pstate *p,
		     const struct petition_step *s, const char *on, struct field_errors *fe,
		     char *err, size_t errlen)
{
	if (!in_hand(p))
		return conflict(p, "申请延期", err, errlen);
	if (*p->ext_state)
		return err_set(err, errlen, VE_CONFLICT,
			       "延期天数：该信访件已申请过延期，只能延期一次");
	int64_t days = 0;
	const char *d = text_of(s->days), *note = text_of(s->note);
	check_day(p, on, fe);
	if (!fe->n && strcmp(on, p->due_on) > 0)
		field_errors_add(fe, "日期", "延期须在办理期限 %s 之前申请", p->due_on);
	if (str_to_i64(d, strlen(d), -100000, 100000, &days) != 0 || days < 1 ||
	    days > PETITION_EXTEND_MAX)
		field_errors_add(fe, "延期天数", "延期天数应为 1 至 %d 天", PETITION_EXTEND_MAX);
	need_note(fe, "说明", note, 500, "请填写延期的理由");
	if (fe->n)
		return fields_refused(fe, err, errlen);
	int rc = db_run(db,
			"UPDATE petitions SET ext_state = 'asked', ext_asked_days = ?, ext_reason = ?, "
			"ext_asked_by = ? WHERE id = ?",
			"isii", days, note, by->user_id, p->id);
	char line[600];
	snprintf(line, sizeof(line), "%lld 天，%s", (long long)days, note);
	return rc ? rc : finish(db, by, p, "extend", on, line, NULL);
}

static int do_extend_decide(struct db *db, const struct principal *by, const struct pstate *p,
			    const struct petition_step *s, const char *on, int approve,
			    struct field_errors *fe, char *err, size_t errlen)
{
	if (!perm_allows(by->roles, PERM_PETITION_APPROVE_EXTENSION))
		return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限",
			       perm_title(PERM_PETITION_APPROVE_EXTENSION));
	if (strcmp(p->ext_state, "asked") != 0)
		return err_set(err, errlen, VE_CONFLICT, "该信访件没有待审批的延期申请");
	if (p->ext_asked_by == by->user_id)
		return err_set(err, errlen, VE_DENIED, "不能审批本人提出的延期申请");
	if (!in_hand(p))
		return conflict(p, "审批延期", err, errlen);
	check_day(p, on, fe);
	if (fe->n)
		return fields_refused(fe, err, errlen);
	char due[11], msg[160];
	str_copy(due, p->due_on, sizeof(due));
	if (approve)
		petition_day_add(p->decided_on, PETITION_HANDLE_DAYS + (int)p->ext_asked_days, due);
	int rc = db_run(db,
			"UPDATE petitions SET ext_state = ?, ext_days = ?, due_on = ? WHERE id = ?",
			"sisi", approve ? "approved" : "refused", approve ? p->ext_asked_days : 0,
			due, p->id);
	snprintf(msg, sizeof(msg), "办理期限延长 %lld 日，将于 %s 前办结。",
		 (long long)p->ext_asked_days, due);
	return rc ? rc
		  : finish(db, by, p, approve ? "extend_approve" : "extend_refuse", on,
			   text_of(s->note), approve ? msg : NULL);
}

static int do_close(struct db *db, const struct principal *by, const struct pstate *p,
		    const struct petition_step *s, const char *on, struct field_errors *fe,
		    char *err, size_t errlen)
{
	if (!in_hand(p))
		return conflict(p, "办结", err, errlen);
	if (strcmp(p->ext_state, "asked") == 0)
		return err_set(err, errlen, VE_CONFLICT,
			       "该信访件有待审批的延期申请，请领导审批后再办结");
	const char *note = text_of(s->note);
	check_day(p, on, fe);
	need_note(fe, "说明", note, 1000, "请填写办理结果");
	if (fe->n)
		return fields_refused(fe, err, errlen);
	int rc = db_run(db,
			"UPDATE petitions SET closed_on = ?, close_note = ?, close_days = ?, "
			"status = '" PETITION_CLOSED "' WHERE id = ?",
			"ssii", on, note, (int64_t)petition_days_between(p->decided_on, on), p->id);
	return rc ? rc : finish(db, by, p, "close", on, note, "已办结，答复意见将另行送达。");
}

static int do_reply(struct db *db, const struct principal *by, const struct pstate *p,
		    const struct petition_step *s, const char *on, struct field_errors *fe,
		    char *err, size_t errlen)
{
	if (!is(p, PETITION_CLOSED))
		return conflict(p, "答复（请先办结）", err, errlen);
	const char *note = text_of(s->note);
	check_day(p, on, fe);
	need_note(fe, "说明", note, 2000, "请填写答复内容");
	if (fe->n)
		return fields_refused(fe, err, errlen);
	int rc = db_run(db,
			"UPDATE petitions SET replied_on = ?, reply_text = ?, status = '" PETITION_REPLIED
			"' WHERE id = ?",
			"ssi", on, note, p->id);
	return rc ? rc
		  : finish(db, by, p, "reply", on, NULL,
			   "已答复，如对答复不服，可自收到之日起 30 日内申请复查。");
}

static int do_review_ask(struct db *db, const struct principal *by, const struct pstate *p,
			 const struct petition_step *s, const char *on, struct field_errors *fe,
			 char *err, size_t errlen)
{
	if (!is(p, PETITION_REPLIED))
		return conflict(p, "申请复查", err, errlen);
	char last[11], due[11];
	petition_day_add(p->replied_on, PETITION_REVIEW_ASK_DAYS, last);
	check_day(p, on, fe);
	if (!fe->n && strcmp(on, last) > 0)
		field_errors_add(fe, "日期", "复查申请须在答复后 30 日内（%s 前）提出", last);
	if (fe->n)
		return fields_refused(fe, err, errlen);
	petition_day_add(on, PETITION_REVIEW_ANSWER_DAYS, due);
	int rc = db_run(db,
			"UPDATE petitions SET review_asked_on = ?, review_due = ?, status = '"
			PETITION_REVIEWING "' WHERE id = ?",
			"ssi", on, due, p->id);
	char msg[160];
	snprintf(msg, sizeof(msg), "复查申请已收到，将于 %s 前答复。", due);
	return rc ? rc : finish(db, by, p, "review_ask", on, text_of(s->note), msg);
}

static int do_review_answer(struct db *db, const struct principal *by, const struct pstate *p,
			    const struct petition_step *s, const char *on,
			    struct field_errors *fe, char *err, size_t errlen)
{
	if (!is(p, PETITION_REVIEWING))
		return conflict(p, "复查答复", err, errlen);
	const char *note = text_of(s->note);
	check_day(p, on, fe);
	need_note(fe, "说明", note, 2000, "请填写复查意见");
	if (fe->n)
		return fields_refused(fe, err, errlen);
	int rc = db_run(db,
			"UPDATE petitions SET review_answered_on = ?, review_text = ?, status = '"
			PETITION_REVIEWED "' WHERE id = ?",
			"ssi", on, note, p->id);
	return rc ? rc : finish(db, by, p, "review_answer", on, NULL, "复查已答复。");
}

static int do_duplicate(struct db *db, const struct principal *by, const struct pstate *p,
			const struct petition_step *s, const char *on, struct field_errors *fe,
			char *err, size_t errlen)
{
	if (!is(p, PETITION_PENDING))
		return conflict(p, "登记为重复件", err, errlen);
	check_day(p, on, fe);
	int64_t of = 0;
	const char *code = text_of(s->of);
	if (!*code)
		field_errors_add(fe, "原件编号", "请填写原信访件的编号");
	else {
		struct db_stmt *st = db_q(
			db,
			"SELECT p.id FROM petitions p WHERE p.code = ? AND p.id <> ? AND p.received_on "
			"<= ? AND " SCOPE_REGION_SQL("p.region_code", "p.created_by"),
			"sis" SCOPE_REGION_FMT, code, p->id, p->received_on,
			SCOPE_REGION_ARGS(&by->scope, by->region_code));
		if (st && db_step(st) == DB_ROW)
			of = db_int(st, 0);
		db_done(st);
		if (!of)
			field_errors_add(fe, "原件编号", "找不到编号为 %s 的更早的信访件", code);
	}
	if (fe->n)
		return fields_refused(fe, err, errlen);
	char note[200];
	snprintf(note, sizeof(note), "重复件，原件 %s", code);
	int rc = db_run(db,
			"UPDATE petitions SET duplicate_of = ?, accepted = 0, decided_on = ?, "
			"decide_note = ?, status = '" PETITION_REJECTED "' WHERE id = ?",
			"issi", of, on, note, p->id);
	return rc ? rc
		  : finish(db, by, p, "duplicate", on, note,
			   "与您此前反映的事项相同，已并入原件办理，不再重复受理。");
}

/* The writer's own data, opened to check that a public text holds none of it. */
static void writer_data(struct db *db, int64_t id, char name[160], char idn[32],
			char phone[32], char address[400])
{
	name[0] = idn[0] = phone[0] = address[0] = '\0';
	struct db_stmt *st = db_q(
		db, "SELECT name, id_enc, phone_enc, address_enc FROM petitions WHERE id = ?", "i", id);
	if (st && db_step(st) == DB_ROW) {
		size_t n = 0;
		const void *b;
		str_copy(name, db_text(st, 0), 160);
		if ((b = db_blob(st, 1, &n)) && n)
			sealed_open(PETITION_ID_COLUMN, id, b, n, idn, 32);
		if ((b = db_blob(st, 2, &n)) && n)
			sealed_open(PETITION_PHONE_COLUMN, id, b, n, phone, 32);
		if ((b = db_blob(st, 3, &n)) && n)
			sealed_open(PETITION_ADDRESS_COLUMN, id, b, n, address, 400);
	}
	db_done(st);
}

static void check_public(struct db *db, int64_t id, const char *field, const char *text,
			 struct field_errors *fe)
{
	if (need_note(fe, field, text, 2000, "请填写公开版本"))
		return;
	char name[160], idn[32], phone[32], address[400];
	writer_data(db, id, name, idn, phone, address);
	const char *what = NULL;
	if (*name && strstr(text, name))
		what = "姓名";
	else if (*idn && (strstr(text, idn) || strstr(text, idn + 6)))
		what = "身份证号";
	else if (*phone && strstr(text, phone))
		what = "联系电话";
	else if (*address && strlen(address) >= 6 && strstr(text, address))
		what = "地址";
	if (what)
		field_errors_add(fe, field, "公开版本含有写信人的%s，请删去后再发布", what);
	memset(idn, 0, 32);
	memset(phone, 0, 32);
	memset(address, 0, 400);
}

static int do_publish(struct db *db, const struct principal *by, const struct pstate *p,
		      const struct petition_step *s, const char *on, struct field_errors *fe,
		      char *err, size_t errlen)
{
	if (strcmp(p->source, PETITION_MAILBOX) != 0)
		return err_set(err, errlen, VE_CONFLICT, "只有区长信箱的来信可以发布答复");
	if (!p->consent)
		return err_set(err, errlen, VE_CONFLICT, "写信人未同意公开，不能发布");
	if (!*p->replied_on)
		return conflict(p, "发布（请先答复）", err, errlen);
	check_day(p, on, fe);
	const char *q = text_of(s->question), *r = text_of(s->reply);
	if (!*q)
		field_errors_add(fe, "公开来信", "请填写公开版本的来信内容");
	else
		check_public(db, p->id, "公开来信", q, fe);
	if (!*r)
		field_errors_add(fe, "公开答复", "请填写公开版本的答复内容");
	else
		check_public(db, p->id, "公开答复", r, fe);
	if (fe->n)
		return fields_refused(fe, err, errlen);
	int rc = db_run(db,
			"UPDATE petitions SET public_question = ?, public_reply = ?, published_on = ? "
			"WHERE id = ?",
			"sssi", q, r, on, p->id);
	return rc ? rc : finish(db, by, p, "publish", on, NULL, NULL);
}

static int act_in_tx(struct db *db, const struct principal *by, int64_t id,
		     const struct petition_step *s, struct field_errors *fe, char *err,
		     size_t errlen)
{
	struct pstate p;
	int rc = load(db, by, id, &p);
	if (rc)
		return err_set(err, errlen, rc, rc == VE_NOTFOUND ? "信访件不存在" : "读取失败");
	char on[11];
	str_copy(on, s->on && *s->on ? s->on : clock_today_text(), sizeof(on));
	if (s->on && strlen(s->on) > 10)
		on[0] = '\0'; /* not a date: check_day says so */
	const char *step = s->step ? s->step : "";
	if (strcmp(step, "accept") == 0 || strcmp(step, "reject") == 0)
		return do_decide(db, by, &p, s, on, step[0] == 'a', fe, err, errlen);
	if (strcmp(step, "assign") == 0)
		return do_assign(db, by, &p, s, on, fe, err, errlen);
	if (strcmp(step, "extend") == 0)
		return do_extend(db, by, &p, s, on, fe, err, errlen);
	if (strcmp(step, "extend_approve") == 0 || strcmp(step, "extend_refuse") == 0)
		return do_extend_decide(db, by, &p, s, on, step[7] == 'a', fe, err, errlen);
	if (strcmp(step, "close") == 0)
		return do_close(db, by, &p, s, on, fe, err, errlen);
	if (strcmp(step, "reply") == 0)
		return do_reply(db, by, &p, s, on, fe, err, errlen);
	if (strcmp(step, "review_ask") == 0)
		return do_review_ask(db, by, &p, s, on, fe, err, errlen);
	if (strcmp(step, "review_answer") == 0)
		return do_review_answer(db, by, &p, s, on, fe, err, errlen);
	if (strcmp(step, "duplicate") == 0)
		return do_duplicate(db, by, &p, s, on, fe, err, errlen);
	if (strcmp(step, "publish") == 0)
		return do_publish(db, by, &p, s, on, fe, err, errlen);
	return err_set(err, errlen, VE_INVALID, "未知的办理步骤：%s", step);
}

int petition_act(struct db *db, const struct principal *by, int64_t id,
		 const struct petition_step *s, struct field_errors *fe, char *err, size_t errlen)
{
	int approving = s->step && strncmp(s->step, "extend_", 7) == 0;
	if (!approving && !perm_allows(by->roles, PERM_PETITION_HANDLE))
		return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限",
			       perm_title(PERM_PETITION_HANDLE));
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	int rc = act_in_tx(db, by, id, s, fe, err, errlen);
	int ended = db_tx_end(db, 0, rc);
	if (ended && !rc)
		return err_set(err, errlen, VE_DB, "保存失败，请稍后再试");
	if (rc == VE_DB && !*err)
		err_set(err, errlen, VE_DB, "保存失败，请稍后再试");
	return ended;
}

/* ---- reading one ---- */

static json_t *str_or_null(struct db_stmt *st, int col)
{
	return db_is_null(st, col) ? json_null() : json_string(db_text(st, col));
}

/* The steps open now on a petition for by. */
static json_t *actions_of(const struct principal *by, json_t *o)
{
	json_t *a = json_array();
	const char *status = json_string_value(json_object_get(o, "status"));
	const char *ext = json_string_value(json_object_get(o, "ext_state"));
	int handle = perm_allows(by->roles, PERM_PETITION_HANDLE);
	int hand = strcmp(status, PETITION_ACCEPTED) == 0 || strcmp(status, PETITION_ASSIGNED) == 0;
#define ADD(name) json_array_append_new(a, json_string(name))
	if (handle && strcmp(status, PETITION_PENDING) == 0) {
		ADD("accept");
		ADD("reject");
		ADD("duplicate");
	}
	int asked = ext && strcmp(ext, "asked") == 0;
	if (handle && hand) {
		ADD("assign");
		if (!ext || !*ext)
			ADD("extend");
		if (!asked) /* the leader decides an extension asked before it is closed */
			ADD("close");
	}
	/* an extension is decided by a leader other than the one who asked, while in hand */
	if (perm_allows(by->roles, PERM_PETITION_APPROVE_EXTENSION) && asked && hand &&
	    json_integer_value(json_object_get(o, "ext_asked_by")) != by->user_id) {
		ADD("extend_approve");
		ADD("extend_refuse");
	}
	if (handle && strcmp(status, PETITION_CLOSED) == 0)
		ADD("reply");
	if (handle && strcmp(status, PETITION_REPLIED) == 0)
		ADD("review_ask");
	if (handle && strcmp(status, PETITION_REVIEWING) == 0)
		ADD("review_answer");
	json_t *replied = json_object_get(o, "replied_on");
	if (handle && json_is_true(json_object_get(o, "consent")) && !json_is_null(replied) &&
	    strcmp(json_string_value(json_object_get(o, "source")), PETITION_MAILBOX) == 0)
		ADD("publish");
#undef ADD
	return a;
}

static json_t *steps_of(struct db *db, int64_t id)
{
	json_t *list = json_array();
	struct db_stmt *st = db_q(db,
				  "SELECT step, on_day, by_name, note FROM petition_steps WHERE "
				  "petition_id = ? ORDER BY id",
				  "i", id);
	while (st && db_step(st) == DB_ROW)
		json_array_append_new(
			list, json_pack("{s:s,s:s,s:s,s:s,s:s}", "step", db_text(st, 0), "title",
					petition_step_title(db_text(st, 0)), "on_day", db_text(st, 1),
					"by_name", db_text(st, 2), "note", db_text(st, 3)));
	db_done(st);
	return list;
}

static json_t *same_writer(struct db *db, const struct principal *by, int64_t id)
{
	json_t *list = json_array();
	struct db_stmt *st = db_q(
		db,
		"SELECT o.id, o.code, o.received_on, o.status FROM petitions p JOIN petitions o ON "
		"o.id_bidx = p.id_bidx AND o.id <> p.id WHERE p.id = ? AND p.id_bidx IS NOT NULL AND "
		SCOPE_REGION_SQL("o.region_code", "o.created_by")
		" ORDER BY o.received_on, o.id LIMIT 50",
		"i" SCOPE_REGION_FMT, id, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	while (st && db_step(st) == DB_ROW)
		json_array_append_new(list, json_pack("{s:I,s:s,s:s,s:s}", "id",
						      (json_int_t)db_int(st, 0), "code",
						      db_text(st, 1), "received_on", db_text(st, 2),
						      "status", db_text(st, 3)));
	db_done(st);
	return list;
}

#define GET_SQL                                                                                    \
	"SELECT p.id, p.code, p.source, p.status, p.name, p.id_mask, p.phone_mask, p.subject, "    \
	"p.content, p.received_on, p.decide_by, p.accepted, p.decided_on, p.decide_note, "         \
	"coalesce(g.name, ''), p.assignee, p.assigned_on, coalesce(p.ext_state, ''), "             \
	"p.ext_asked_days, p.ext_days, p.ext_reason, p.due_on, p.closed_on, p.close_note, "        \
	"p.replied_on, p.reply_text, p.review_asked_on, p.review_due, p.review_answered_on, "      \
	"p.review_text, p.duplicate_of, coalesce(d.code, ''), p.consent, p.public_question, "      \
	"p.public_reply, p.published_on, p.flag, p.region_code, p.imported, "                     \
	"coalesce(p.ext_asked_by, 0) "                                                             \
	"FROM petitions p LEFT JOIN orgs g ON g.id = p.assigned_org_id "                           \
	"LEFT JOIN petitions d ON d.id = p.duplicate_of WHERE p.id = ? AND "                        \
	SCOPE_REGION_SQL("p.region_code", "p.created_by")

int petition_get(struct db *db, const struct principal *by, int64_t id, json_t **out)
{
	struct db_stmt *st = db_q(db, GET_SQL, "i" SCOPE_REGION_FMT, id,
				  SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return VE_NOTFOUND;
	}
	static const char *const names[] = {
		"id", "code", "source", "status", "name", "id_mask", "phone_mask", "subject",
		"content", "received_on", "decide_by", "accepted", "decided_on", "decide_note",
		"assigned_org", "assignee", "assigned_on", "ext_state", "ext_asked_days", "ext_days",
		"ext_reason", "due_on", "closed_on", "close_note", "replied_on", "reply_text",
		"review_asked_on", "review_due", "review_answered_on", "review_text", "duplicate_of",
		"duplicate_code", "consent", "public_question", "public_reply", "published_on",
		"flag", "region_code", "imported", "ext_asked_by"};
	json_t *o = json_object();
	for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++) {
		const char *n = names[i];
		json_t *v;
		if (i == 0 || i == 18 || i == 19 || i == 39)
			v = json_integer(db_int(st, i));
		else if (i == 11)
			v = db_is_null(st, i) ? json_null() : json_boolean(db_int(st, i));
		else if (i == 32 || i == 38)
			v = json_boolean(db_int(st, i));
		else if (i == 30)
			v = db_is_null(st, i) ? json_null()
					      : json_pack("{s:I,s:s}", "id", (json_int_t)db_int(st, i),
							  "code", db_text(st, 31));
		else if (i == 31)
			continue;
		else
			v = str_or_null(st, i);
		json_object_set_new(o, n, v);
	}
	db_done(st);
	json_object_set_new(o, "source_title", json_string(json_string_value(json_object_get(o, "source"))));
	json_object_set_new(o, "actions", actions_of(by, o));
	json_object_set_new(o, "same_writer", same_writer(db, by, id));
	json_object_set_new(o, "steps", steps_of(db, id));
	*out = o;
	return 0;
}

int petition_reveal(struct db *db, const struct principal *by, int64_t id, json_t **out)
{
	if (!perm_allows(by->roles, PERM_PETITION_HANDLE))
		return VE_DENIED;
	struct pstate p;
	if (db_tx_begin(db, 0))
		return VE_DB;
	int rc = load(db, by, id, &p);
	char name[160], idn[32], phone[32], address[400];
	if (!rc) {
		writer_data(db, id, name, idn, phone, address);
		char detail[128];
		snprintf(detail, sizeof(detail), "%s：查看信访人完整身份证号、电话和地址", p.code);
		rc = account_audit(db, by, "petition.view_full", "petition", id, detail);
	}
	rc = db_tx_end(db, 0, rc);
	if (!rc)
		*out = json_pack("{s:s,s:s,s:s}", "id_number", idn, "phone", phone, "address",
				 address);
	if (!rc || rc != VE_NOTFOUND) {
		memset(idn, 0, sizeof(idn));
		memset(phone, 0, sizeof(phone));
		memset(address, 0, sizeof(address));
	}
	return rc;
}
