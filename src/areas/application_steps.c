/* application_steps.c - the steps an application takes after it was received (补正,
 * 补正完成, 补齐, 办结, 不予受理, 退回) and the daily deadline job (终止, overdue flags). */
#include "application.h"
#include "application_impl.h"
#include "areas/outbox.h"
#include <stdio.h>
#include <string.h>
#include "areas/calendar.h"
#include "areas/job.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"
#include "lib/utf8.h"

#define NOTE_MAX 200

/* An application as a step sees it, read inside the writing transaction. */
struct app_state {
	char status[24], resume[24], code[24], item[128], accepted_on[11], paused_on[11], due[11],
		supply_by[11]; /* "" when nothing is to be supplied */
	int limit, paused_days;
	int64_t clerk;
};

static int load(struct db *db, const struct principal *by, int64_t id, struct app_state *s)
{
	struct db_stmt *st = db_q(
		db,
		"SELECT a.status, coalesce(a.resume_status, ''), a.tracking_code, i.name, "
		"a.accepted_on, coalesce(a.paused_on, ''), a.due, a.time_limit_days, a.paused_days, "
		"a.clerk_id, coalesce(a.supply_by, '') FROM applications a JOIN service_items i ON i.id = a.item_id WHERE "
		"a.id = ? AND " SCOPE_REGION_SQL("a.region_code", "a.clerk_id"),
		"i" SCOPE_REGION_FMT, id, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	int rc = db_step(st) == DB_ROW ? 0 : VE_NOTFOUND;
	if (!rc) {
		str_copy(s->status, db_text(st, 0), sizeof(s->status));
		str_copy(s->resume, db_text(st, 1), sizeof(s->resume));
		str_copy(s->code, db_text(st, 2), sizeof(s->code));
		str_copy(s->item, db_text(st, 3), sizeof(s->item));
		str_copy(s->accepted_on, db_text(st, 4), sizeof(s->accepted_on));
		str_copy(s->paused_on, db_text(st, 5), sizeof(s->paused_on));
		str_copy(s->due, db_text(st, 6), sizeof(s->due));
		s->limit = (int)db_int(st, 7);
		s->paused_days = (int)db_int(st, 8);
		s->clerk = db_int(st, 9);
		str_copy(s->supply_by, db_text(st, 10), sizeof(s->supply_by));
	}
	db_done(st);
	return rc;
}

static int conflict(char *err, size_t errlen, const struct app_state *s, const char *what)
{
	return err_set(err, errlen, VE_CONFLICT, "该申请当前为“%s”，不能%s", s->status, what);
}

/* The missing materials of id joined by "、" into out; their number. */
static int missing_of(struct db *db, int64_t id, char *out, size_t size)
{
	out[0] = '\0';
	int n = 0;
	struct db_stmt *st = db_q(db,
				  "SELECT name FROM application_materials WHERE application_id = ? "
				  "AND handed_in = 0 AND supplied_on IS NULL ORDER BY position",
				  "i", id);
	while (st && db_step(st) == DB_ROW) {
		size_t len = strlen(out);
		snprintf(out + len, size - len, "%s%s", n ? "、" : "", db_text(st, 0));
		n++;
	}
	db_done(st);
	return n;
}

/* 1 when text holds a mobile number: 11 digits starting with 1, not inside a longer number. */
static int holds_mobile(const char *text)
{
	for (const char *p = text; *p; p++) {
		if (*p != '1' || (p > text && p[-1] >= '0' && p[-1] <= '9'))
			continue;
		size_t n = 0;
		while (p[n] >= '0' && p[n] <= '9')
			n++;
		if (n == 11)
			return 1;
	}
	return 0;
}

static int check_note(const char *note, const char *field, const char *what,
		      struct field_errors *fe)
{
	size_t n = note ? utf8_count(note, strlen(note)) : 0;
	if (n < 2 || n > NOTE_MAX || !str_is_printable(note, strlen(note), 1)) {
		field_errors_add(fe, field,
				 "请写明%s（2 至 %d 个字，会告知申请人，请勿填写个人信息）", what,
				 NOTE_MAX);
		return 1;
	}
	/* the note goes to the applicant by SMS, which never carries personal numbers */
	if (outbox_text_sensitive(note, NULL) || holds_mobile(note)) {
		field_errors_add(fe, field, "%s会以短信告知申请人，不能含身份证号或手机号",
				 field);
		return 1;
	}
	return 0;
}

/* Sets id's status (with closed_on for an ending one), records the step, audits it and
 * queues the applicant's message. */
static int finish(struct db *db, const struct principal *by, int64_t id, const struct app_state *s,
		  const char *status, const char *step, const char *action, const char *note,
		  const char *what, const char *day)
{
	int ending = !application_status_open(status);
	int rc = db_run(db,
			"UPDATE applications SET status = ?, closed_on = CASE WHEN ? <> 0 THEN ? "
			"ELSE closed_on END, overdue = CASE WHEN ? <> 0 THEN 0 ELSE overdue END "
			"WHERE id = ?",
			"sisii", status, (int64_t)ending, day, (int64_t)ending, id);
	if (!rc)
		rc = app_add_step(db, id, step, day, by, note);
	char detail[800];
	snprintf(detail, sizeof(detail), "%s %s：%s → %s%s%s", s->code, s->item, s->status, status,
		 note && *note ? "，" : "", note ? note : "");
	if (!rc)
		rc = account_audit(db, by, action, "application", id, detail);
	if (!rc && !app_quiet)
		rc = app_message(db, id, s->code, s->item, what);
	return rc;
}

static int do_correct(struct db *db, const struct principal *by, int64_t id,
		      const struct app_state *s, const struct application_step_input *in,
		      struct field_errors *fe, char *err, size_t errlen, const char *day)
{
	if (strcmp(s->status, APP_ACCEPTED) && strcmp(s->status, APP_PARTIAL))
		return conflict(err, errlen, s, "要求补正");
	if (check_note(in->note, "说明", "需要补正的内容", fe))
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	int rc = db_run(
		db, "UPDATE applications SET paused_on = ?, resume_status = status WHERE id = ?",
		"si", day, id);
	char what[900];
	snprintf(what, sizeof(what), "需要补正：%s。补正期间暂停计时", in->note);
	return rc ? rc
		  : finish(db, by, id, s, APP_CORRECTING, "补正", "application.correct", in->note,
			   what, day);
}

static int do_resume(struct db *db, const struct principal *by, int64_t id,
		     const struct app_state *s, char *err, size_t errlen, const char *day)
{
	if (strcmp(s->status, APP_CORRECTING))
		return conflict(err, errlen, s, "补正完成");
	int stopped = 0, wk = 0, wk2 = 0;
	int rc = calendar_workdays_between(db, s->paused_on, day, &stopped, &wk);
	char due[11];
	if (!rc)
		rc = calendar_due(db, s->accepted_on, s->limit + s->paused_days + stopped, due,
				  &wk2);
	if (rc)
		return rc == VE_INVALID ? err_set(err, errlen, VE_CONFLICT, "无法重新计算办结期限")
					: rc;
	char back[24];
	str_copy(back, s->resume[0] ? s->resume : APP_ACCEPTED, sizeof(back));
	char missing[600];
	if (!strcmp(back, APP_PARTIAL) && missing_of(db, id, missing, sizeof(missing)) == 0)
		str_copy(back, APP_ACCEPTED, sizeof(back));
	/* the 容缺 supply day stood still too: moved on by the same days, never past the due day */
	char supply_by[11] = "";
	if (s->supply_by[0] && !calendar_due(db, s->supply_by, stopped, supply_by, NULL) &&
	    strcmp(supply_by, due) > 0)
		str_copy(supply_by, due, sizeof(supply_by));
	rc = db_run(db,
		    "UPDATE applications SET paused_on = NULL, resume_status = NULL, paused_days = "
		    "paused_days + ?, due = ?, weekends_only = ?, supply_by = coalesce(?, supply_by) "
		    "WHERE id = ?",
		    "isisi", (int64_t)stopped, due, (int64_t)(wk || wk2),
		    supply_by[0] ? supply_by : NULL, id);
	char note[200], what[300];
	snprintf(note, sizeof(note), "补正自 %s 至 %s，停止计时 %d 个工作日，办结期限 %s",
		 s->paused_on, day, stopped, due);
	snprintf(what, sizeof(what), "补正已完成，恢复计时，办结期限 %s", due);
	return rc ? rc
		  : finish(db, by, id, s, back, "补正完成", "application.resume", note, what, day);
}

static int do_supply(struct db *db, const struct principal *by, int64_t id,
		     const struct app_state *s, const struct application_step_input *in,
		     struct field_errors *fe, char *err, size_t errlen, const char *day)
{
	int partial = !strcmp(s->status, APP_PARTIAL) ||
		      (!strcmp(s->status, APP_CORRECTING) && !strcmp(s->resume, APP_PARTIAL));
	if (!partial)
		return conflict(err, errlen, s, "补齐材料（没有待补齐的容缺材料）");
	const char *m = in->material ? in->material : "";
	int rc = db_run(db,
			"UPDATE application_materials SET supplied_on = ? WHERE application_id = ? "
			"AND name = ? AND handed_in = 0 AND supplied_on IS NULL",
			"sis", day, id, m);
	if (rc)
		return rc;
	char missing[600];
	if (db_changes(db) != 1) {
		missing_of(db, id, missing, sizeof(missing));
		field_errors_add(fe, "材料", "“%.60s”不是待补齐的材料；待补齐：%s", m, missing);
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	}
	int left = missing_of(db, id, missing, sizeof(missing));
	const char *status = s->status;
	if (!left && !strcmp(s->status, APP_PARTIAL))
		status = APP_ACCEPTED;
	if (!left && !strcmp(s->status, APP_CORRECTING))
		rc = db_run(db, "UPDATE applications SET resume_status = ? WHERE id = ?", "si",
			    APP_ACCEPTED, id);
	char note[300], what[800];
	snprintf(note, sizeof(note), "补齐：%s", m);
	if (left)
		snprintf(what, sizeof(what), "已收到补齐的“%s”，尚待补齐：%s", m, missing);
	else
		snprintf(what, sizeof(what), "已收到补齐的“%s”，材料已齐全", m);
	return rc ? rc
		  : finish(db, by, id, s, status, "补齐", "application.supply", note, what, day);
}

static int do_close(struct db *db, const struct principal *by, int64_t id,
		    const struct app_state *s, char *err, size_t errlen, const char *day)
{
	char missing[600];
	if (!strcmp(s->status, APP_PARTIAL) && missing_of(db, id, missing, sizeof(missing)))
		return err_set(err, errlen, VE_CONFLICT, "尚缺容缺材料：%s，补齐后方可办结",
			       missing);
	if (strcmp(s->status, APP_ACCEPTED) && strcmp(s->status, APP_PARTIAL))
		return conflict(err, errlen, s, "办结");
	char note[100], what[100];
	snprintf(note, sizeof(note), "%s", strcmp(day, s->due) > 0 ? "逾期办结" : "按期办结");
	snprintf(what, sizeof(what), "已办结");
	return finish(db, by, id, s, APP_CLOSED, "办结", "application.close", note, what, day);
}

static int do_end(struct db *db, const struct principal *by, int64_t id, const struct app_state *s,
		  int refuse, const struct application_step_input *in, struct field_errors *fe,
		  char *err, size_t errlen, const char *day)
{
	if (!application_status_open(s->status))
		return conflict(err, errlen, s, refuse ? "不予受理" : "退回");
	if (check_note(in->note, "说明", refuse ? "不予受理的理由" : "退回的理由", fe))
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	char what[900];
	snprintf(what, sizeof(what), "%s，理由：%s", refuse ? "不予受理" : "已退回", in->note);
	return finish(db, by, id, s, refuse ? APP_REFUSED : APP_RETURNED,
		      refuse ? "不予受理" : "退回",
		      refuse ? "application.refuse" : "application.return", in->note, what, day);
}

static int step_in_tx(struct db *db, const struct principal *by, int64_t id,
		      enum application_step_kind k, const struct application_step_input *in,
		      const char *on, struct field_errors *fe, char *err, size_t errlen)
{
	struct app_state s;
	int rc = load(db, by, id, &s);
	if (rc)
		return rc;
	char day[11];
	str_copy(day, on ? on : clock_today_text(), sizeof(day));
	switch (k) {
	case STEP_CORRECT:
		return do_correct(db, by, id, &s, in, fe, err, errlen, day);
	case STEP_RESUME:
		return do_resume(db, by, id, &s, err, errlen, day);
	case STEP_SUPPLY:
		return do_supply(db, by, id, &s, in, fe, err, errlen, day);
	case STEP_CLOSE:
		return do_close(db, by, id, &s, err, errlen, day);
	case STEP_REFUSE:
	case STEP_RETURN:
		return do_end(db, by, id, &s, k == STEP_REFUSE, in, fe, err, errlen, day);
	default:
		return err_set(err, errlen, VE_INVALID, "未知的办理步骤");
	}
}

int application_step_on(struct db *db, const struct principal *by, int64_t id,
			enum application_step_kind k, const struct application_step_input *in,
			const char *day, int quiet, struct field_errors *fe, char *err,
			size_t errlen)
{
	static const struct application_step_input none = {0};
	if (!perm_allows(by->roles, PERM_APPLICATION_HANDLE))
		return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限",
			       perm_title(PERM_APPLICATION_HANDLE));
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	app_quiet = quiet;
	int rc = step_in_tx(db, by, id, k, in ? in : &none, day, fe, err, errlen);
	app_quiet = 0;
	return app_tx_end(db, rc, err, errlen);
}

int application_step(struct db *db, const struct principal *by, int64_t id,
		     enum application_step_kind k, const struct application_step_input *in,
		     struct field_errors *fe, char *err, size_t errlen)
{
	return application_step_on(db, by, id, k, in, NULL, 0, fe, err, errlen);
}

/* ---- the daily job ---- */

/* Ends the 容缺 applications whose supply_by is before day with a material missing. */
static int end_expired(struct db *db, const struct principal *by, const char *day, int64_t *ended)
{
	int64_t ids[256];
	int rc = 0;
	for (;;) {
		int n = 0;
		struct db_stmt *st = db_q(
			db,
			"SELECT a.id FROM applications a WHERE a.status = '" APP_PARTIAL
			"' AND a.supply_by < ? AND EXISTS (SELECT 1 FROM "
			"application_materials m WHERE m.application_id = a.id AND m.handed_in = 0 "
			"AND m.supplied_on IS NULL) ORDER BY a.id LIMIT 256",
			"s", day);
		if (!st)
			return VE_DB;
		while (n < 256 && db_step(st) == DB_ROW)
			ids[n++] = db_int(st, 0);
		db_done(st);
		for (int i = 0; i < n && !rc; i++) {
			struct app_state s;
			char missing[600], note[800], what[900];
			rc = load(db, by, ids[i], &s);
			if (rc)
				break;
			missing_of(db, ids[i], missing, sizeof(missing));
			snprintf(note, sizeof(note), "容缺材料（%s）逾期未补齐，申请终止", missing);
			snprintf(what, sizeof(what),
				 "因容缺材料（%s）未在期限内补齐，申请已终止；如需办理请重新申请",
				 missing);
			rc = finish(db, by, ids[i], &s, APP_ENDED, "终止", "application.end", note,
				    what, day);
			(*ended)++;
		}
		if (rc || n < 256)
			return rc;
	}
}

static int deadlines_in_tx(struct db *db, const struct principal *by, const char *day,
			   int64_t *ended, int64_t *flagged)
{
	int rc = end_expired(db, by, day, ended);
	if (!rc)
		rc = db_run(db,
			    "UPDATE applications SET overdue = 0 WHERE overdue = 1 AND NOT (status "
			    "IN ('" APP_ACCEPTED "', '" APP_PARTIAL "') AND due < ?)",
			    "s", day);
	if (!rc)
		rc = db_run(db,
			    "UPDATE applications SET overdue = 1 WHERE status IN ('" APP_ACCEPTED
			    "', '" APP_PARTIAL "') AND due < ? AND overdue = 0",
			    "s", day);
	if (!rc)
		rc = db_int_query(db, flagged, 0,
				  "SELECT count(*) FROM applications WHERE overdue = 1", "");
	return rc;
}

int application_deadlines(struct db *db, const struct principal *by, const char *day, int in_tx,
			  int quiet, int64_t *ended, int64_t *flagged)
{
	*ended = *flagged = 0;
	if (db_tx_begin(db, in_tx))
		return VE_DB;
	app_quiet = quiet;
	int rc = deadlines_in_tx(db, by, day, ended, flagged);
	app_quiet = 0;
	return db_tx_end(db, in_tx, rc);
}

static int run_deadlines(struct db *db, const struct job_run *run, int64_t *count, char *detail,
			 size_t detail_size)
{
	char day[11];
	if (clock_date_text(run->scheduled_for, day) != 0)
		return err_set(detail, detail_size, VE_INVALID, "时间无效");
	int64_t ended, flagged;
	int rc = application_deadlines(db, run->by, day, 1, 0, &ended, &flagged);
	if (rc)
		return err_set(detail, detail_size, rc, "检查申请期限失败");
	*count = ended;
	snprintf(detail, detail_size, "截至 %s：%lld 件容缺申请逾期未补齐而终止，%lld 件已逾期",
		 day, (long long)ended, (long long)flagged);
	return 0;
}

const struct job application_deadline_job = {
	.name = "application.deadlines",
	.title = "窗口申请期限检查（容缺逾期终止、逾期标记）",
	.schedule = {.hour = 0, .minute = 30},
	.run = run_deadlines,
};
