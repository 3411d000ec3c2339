/* care.c - 关爱帮扶: the vocabularies, the regular-contact list and its contacts, visits,
 * campaigns, 光荣牌, many records at once, the daily overdue job and the area's
 * declarations. The figures: care_figures.c. */
#include "care.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "areas/audit.h"
#include "areas/calendar.h"
#include "areas/job.h"
#include "areas/person.h"
#include "areas/region.h"
#include "areas/scope.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/money.h"
#include "lib/str.h"
#include "lib/utf8.h"

const char *const care_frequencies[CARE_N_FREQUENCIES] = {"每月", "每季度", "每半年", "每年"};
const int care_frequency_months[CARE_N_FREQUENCIES] = {1, 3, 6, 12};
const char *const care_methods[CARE_N_METHODS] = {"电话", "上门", "微信", "座谈", "其他"};
const char *const care_visit_kinds[CARE_N_KINDS] = {CARE_TEMPORARY, CARE_SPRING, CARE_AUGUST};
const char *const care_holidays[CARE_N_HOLIDAYS] = {"春节", "八一"};
const int care_holiday_categories[CARE_N_HOLIDAY_CATEGORIES] = {
	CAT_MARTYR_FAMILY, CAT_DUTY_FAMILY,   CAT_ILLNESS_FAMILY, CAT_MARTYR_CHILD,
	CAT_MILITARY_FAMILY, CAT_DISABLED,    CAT_DEMOBILIZED,    CAT_SICK_RETURNED,
	CAT_WAR,           CAT_TEST,          CAT_RURAL_60,
};

#define HOLIDAY_MASK_OK(m) (((m) & ~holiday_mask()) == 0)

static uint32_t holiday_mask(void)
{
	uint32_t m = 0;
	for (int i = 0; i < CARE_N_HOLIDAY_CATEGORIES; i++)
		m |= 1u << care_holiday_categories[i];
	return m;
}

const char *care_frequency_title(int months)
{
	for (int i = 0; i < CARE_N_FREQUENCIES; i++)
		if (care_frequency_months[i] == months)
			return care_frequencies[i];
	return "";
}

static int in_list(const char *v, const char *const *list, int n)
{
	for (int i = 0; v && i < n; i++)
		if (strcmp(v, list[i]) == 0)
			return i;
	return -1;
}

static int day_valid(const char *s)
{
	int32_t n;
	return s && strlen(s) == 10 && calendar_day_number(s, &n) == 0;
}

int care_due_after(const char *day, int months, char out[11])
{
	int m;
	if (!day_valid(day) || month_of_date(day, &m) != 0)
		return -1;
	char next[8], first[11];
	month_format(m + months + 1, next);
	snprintf(first, sizeof(first), "%s-01", next);
	int32_t n;
	if (calendar_day_number(first, &n) != 0)
		return -1;
	calendar_day_text(n - 1, out);
	return 0;
}

/* The due expression of SQL over a plan's last contact (or its since) and months. */
#define DUE_SQL(base, months)                                                                      \
	"day_add(month_add(substr(" base ", 1, 7), " months " + 1) || '-01', -1)"
/* The last contact of plan pl on or before a bound day. */
#define LAST_SQL                                                                                   \
	"(SELECT max(c.contacted_on) FROM care_contacts c WHERE c.plan_id = pl.id AND "             \
	"c.contacted_on <= ?)"

/* ---- checks shared by the writes ---- */

/* A tidied text of field into out (at most max characters; lines allowed or not). */
static void text_field(struct field_errors *fe, const char *field, const char *v, size_t min,
		       size_t max, int lines, char *out, size_t size)
{
	str_copy(out, v ? v : "", size);
	str_tidy(out, lines ? STR_TIDY_KEEP : STR_TIDY_COLLAPSE);
	size_t n = utf8_count(out, strlen(out));
	if (v && strlen(v) >= size)
		field_errors_add(fe, field, "%s最多 %zu 个字", field, max);
	else if (n < min)
		field_errors_add(fe, field, "请填写%s", field);
	else if (n > max)
		field_errors_add(fe, field, "%s最多 %zu 个字", field, max);
	else if (!str_is_printable(out, strlen(out), lines))
		field_errors_add(fe, field, "%s含有不可打印的字符", field);
}

/* A date of field: required, real, not after today. */
static void date_field(struct field_errors *fe, const char *field, const char *v)
{
	if (!v || !*v)
		field_errors_add(fe, field, "请填写%s", field);
	else if (!day_valid(v))
		field_errors_add(fe, field, "%s应为 YYYY-MM-DD，如 2026-03-15", field);
	else if (strcmp(v, clock_today_text()) > 0)
		field_errors_add(fe, field, "%s不能晚于今天", field);
}

/* A person of the registry as the writes need him. */
struct who {
	char name[256], region[16], status[16], status_date[11];
	uint32_t categories;
};

/* A record dated on for a person whose status (since status_date) is status: a field error
 * on field when he was no longer 在册 on that day (dead, moved away, …: nothing is recorded
 * for him after it), or on 人员编号 when he is not 在册 and the day it changed is unknown. */
static void still_registered(struct field_errors *fe, const char *field, const char *on,
			    const char *status, const char *status_date)
{
	if (!status[0] || strcmp(status, "在册") == 0 || !day_valid(on))
		return;
	if (!status_date[0])
		field_errors_add(fe, "人员编号", "该人员状态为“%s”，不能再登记", status);
	else if (strcmp(on, status_date) > 0)
		field_errors_add(fe, field, "该人员自 %s 起状态为“%s”，%s不能晚于 %s", status_date,
				 status, field, status_date);
}

/* Person id into w when by may write for him; else a field error on 人员编号, the same for
 * none and for one outside by's street. 0 or VE_DB. */
#define NO_PERSON "本辖区人员信息库中没有编号为 %lld 的人员"
static int person_for_write(struct db *db, const struct principal *by, int64_t id, struct who *w,
			    struct field_errors *fe)
{
	memset(w, 0, sizeof(*w));
	if (id <= 0) {
		field_errors_add(fe, "人员编号", "请填写人员编号");
		return 0;
	}
	struct db_stmt *st =
		db_q(db, "SELECT name, region_code, status, coalesce(created_by, 0), "
			 "coalesce(status_date, '') FROM persons WHERE id = ?",
		     "i", id);
	if (!st)
		return VE_DB;
	int r = db_step(st);
	if (r != DB_ROW) {
		db_done(st);
		if (r != DB_DONE)
			return VE_DB;
		field_errors_add(fe, "人员编号", NO_PERSON, (long long)id);
		return 0;
	}
	str_copy(w->name, db_text(st, 0), sizeof(w->name));
	str_copy(w->region, db_text(st, 1), sizeof(w->region));
	str_copy(w->status, db_text(st, 2), sizeof(w->status));
	int64_t owner = db_int(st, 3);
	str_copy(w->status_date, db_text(st, 4), sizeof(w->status_date));
	db_done(st);
	if (!scope_covers_region(&by->scope, by->region_code, w->region, owner)) {
		/* the same answer as for no such person: another street's ids can't be probed */
		memset(w, 0, sizeof(*w));
		field_errors_add(fe, "人员编号", NO_PERSON, (long long)id);
		return 0;
	}
	st = db_q(db, "SELECT category FROM person_identities WHERE person_id = ? ORDER BY category",
		  "i", id);
	if (!st)
		return VE_DB;
	while ((r = db_step(st)) == DB_ROW) {
		int c = category_parse(db_text(st, 0));
		if (c >= 0)
			w->categories |= 1u << c;
	}
	db_done(st);
	return r == DB_DONE ? 0 : VE_DB;
}

static int denied(const struct principal *by, char *err, size_t errlen)
{
	if (perm_allows(by->roles, PERM_CARE_MANAGE))
		return 0;
	return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限", perm_title(PERM_CARE_MANAGE));
}

static const char *signer(const struct principal *by)
{
	return by->display_name[0] ? by->display_name : by->username;
}

/* Runs fn in a transaction of its own, the first field error as err. */
static int finish(struct db *db, int rc, struct field_errors *fe, char *err, size_t errlen)
{
	if (rc == VE_INVALID && fe->n)
		return err_set(err, errlen, rc, "%s", field_errors_first(fe, ""));
	if (rc && !(err && *err))
		err_set(err, errlen, rc, rc == VE_NOTFOUND ? "记录不存在" : "保存失败，请稍后再试");
	(void)db;
	return rc;
}

/* ---- the overdue flag ---- */

/* A plan's person still 在册 on a bound day: 在册 now, or his status changed after it. */
#define REGISTERED_ON                                                                              \
	"EXISTS (SELECT 1 FROM persons p WHERE p.id = care_plans.person_id AND (p.status = "       \
	"'在册' OR p.status_date > ?))"

static int reflag(struct db *db, const char *day, int64_t plan_id, int64_t *changed)
{
	/* due_on for the plans on the list on day */
	int rc = db_run(db,
			"UPDATE care_plans SET due_on = (SELECT " DUE_SQL(
				"coalesce((SELECT max(c.contacted_on) FROM care_contacts c WHERE "
				"c.plan_id = pl.id AND c.contacted_on <= ?), pl.since)",
				"pl.months") " FROM care_plans pl WHERE pl.id = care_plans.id) "
			"WHERE since <= ? AND (ended_on IS NULL OR ended_on > ?) AND (? = 0 OR id = ?)",
			"sssii", day, day, day, plan_id, plan_id);
	if (rc)
		return rc;
	/* overdue: on the list on day, its person still 在册 on day, the due day passed */
	rc = db_run(db,
		    "UPDATE care_plans SET overdue = CASE WHEN since <= ? AND (ended_on IS NULL OR "
		    "ended_on > ?) AND due_on < ? AND " REGISTERED_ON " THEN 1 ELSE 0 END, flagged_on "
		    "= ? WHERE (? = 0 OR id = ?) AND overdue <> CASE WHEN since <= ? AND (ended_on IS "
		    "NULL OR ended_on > ?) AND due_on < ? AND " REGISTERED_ON " THEN 1 ELSE 0 END",
		    "sssssiissss", day, day, day, day, day, plan_id, plan_id, day, day, day, day);
	if (!rc && changed)
		*changed = db_changes(db);
	return rc;
}

int care_flag_overdue(struct db *db, const char *day, int64_t *changed, int64_t *flagged)
{
	*changed = *flagged = 0;
	int rc = reflag(db, day, 0, changed);
	if (rc)
		return rc;
	return db_int_query(db, flagged, 0, "SELECT count(*) FROM care_plans WHERE overdue = 1",
			    "");
}

static int reflag_today(struct db *db, int64_t plan_id)
{
	char day[11];
	str_copy(day, clock_today_text(), sizeof(day));
	return reflag(db, day, plan_id, NULL);
}

/* ---- the regular-contact list ---- */

static int plan_save_tx(struct db *db, const struct principal *by, const struct care_plan_in *in,
			int64_t *id, struct field_errors *fe)
{
	struct who w;
	int rc = person_for_write(db, by, in->person_id, &w, fe);
	if (rc)
		return rc;
	int f = in_list(in->frequency, care_frequencies, CARE_N_FREQUENCIES);
	if (f < 0)
		field_errors_add(fe, "联系频次", "联系频次应为每月、每季度、每半年或每年");
	date_field(fe, "纳入日期", in->since);
	char contact[256], reason[1024];
	text_field(fe, "联系人", in->contact_person, 0, 50, 0, contact, sizeof(contact));
	text_field(fe, "纳入原因", in->reason, 0, 200, 0, reason, sizeof(reason));
	if (!fe->n && w.status[0] && strcmp(w.status, "在册") != 0)
		field_errors_add(fe, "人员编号", "该人员状态为“%s”，不能纳入常态化联系", w.status);
	if (fe->n)
		return VE_INVALID;
	/* his open plan, if any, with its contacts; else the end of his last one */
	int64_t open_id = 0, open_months = 0, contacts = 0;
	char open_since[11] = "", last_end[11] = "", old_contact[256] = "", old_reason[1024] = "";
	struct db_stmt *st = db_q(db,
				  "SELECT pl.id, pl.months, pl.since, pl.contact_person, pl.reason, "
				  "(SELECT count(*) FROM care_contacts c WHERE c.plan_id = pl.id) FROM "
				  "care_plans pl WHERE pl.person_id = ? AND pl.ended_on IS NULL",
				  "i", in->person_id);
	if (!st)
		return VE_DB;
	int r = db_step(st);
	if (r == DB_ROW) {
		open_id = db_int(st, 0);
		open_months = db_int(st, 1);
		str_copy(open_since, db_text(st, 2), sizeof(open_since));
		str_copy(old_contact, db_text(st, 3), sizeof(old_contact));
		str_copy(old_reason, db_text(st, 4), sizeof(old_reason));
		contacts = db_int(st, 5);
	}
	db_done(st);
	if (r != DB_ROW && r != DB_DONE)
		return VE_DB;
	if (!open_id) {
		st = db_q(db, "SELECT max(ended_on) FROM care_plans WHERE person_id = ?", "i",
			  in->person_id);
		if (!st)
			return VE_DB;
		r = db_step(st);
		if (r == DB_ROW && !db_is_null(st, 0))
			str_copy(last_end, db_text(st, 0), sizeof(last_end));
		db_done(st);
		if (r != DB_ROW)
			return VE_DB;
		if (last_end[0] && strcmp(in->since, last_end) < 0) {
			field_errors_add(fe, "纳入日期",
					 "该人员已于 %s 停止常态化联系，重新纳入的纳入日期不能早于该日",
					 last_end);
			return VE_INVALID;
		}
	} else if (contacts > 0) {
		if (open_months != care_frequency_months[f])
			field_errors_add(fe, "联系频次",
					 "已有联系记录，联系频次不能修改；请先停止常态化联系，再按新频次重新纳入");
		if (strcmp(open_since, in->since) != 0)
			field_errors_add(fe, "纳入日期",
					 "已有联系记录，纳入日期 %s 不能修改", open_since);
		if (fe->n)
			return VE_INVALID;
	}
	if (open_id) {
		rc = db_run(db,
			    "UPDATE care_plans SET months = ?, since = ?, contact_person = ?, reason = "
			    "?, region_code = ? WHERE id = ?",
			    "issssi", (int64_t)care_frequency_months[f], in->since,
			    in->contact_person ? contact : old_contact, in->reason ? reason : old_reason,
			    w.region, open_id);
		*id = open_id;
	} else {
		rc = db_run(db,
			    "INSERT INTO care_plans (person_id, region_code, months, since, "
			    "contact_person, reason, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, "
			    "?, ?)",
			    "isisssii", in->person_id, w.region, (int64_t)care_frequency_months[f],
			    in->since, contact, reason, clock_now(), by->user_id);
		*id = rc ? 0 : db_last_id(db);
	}
	if (rc)
		return rc;
	char detail[400];
	snprintf(detail, sizeof(detail), "%s（人员 %lld）%s联系，自 %s", w.name,
		 (long long)in->person_id, care_frequencies[f], in->since);
	if ((rc = account_audit(db, by, "care.plan", "care_plan", *id, detail)) != 0)
		return rc;
	return reflag_today(db, *id);
}

int care_plan_save(struct db *db, const struct principal *by, const struct care_plan_in *in,
		   int64_t *id, struct field_errors *fe, char *err, size_t errlen)
{
	*id = 0;
	int rc = denied(by, err, errlen);
	if (rc)
		return rc;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	rc = db_tx_end(db, 0, plan_save_tx(db, by, in, id, fe));
	return finish(db, rc, fe, err, errlen);
}

/* Plan id in by's scope: its person, region, since, ended_on. */
struct plan_row {
	int64_t person_id;
	char region[16], since[11], ended[11], name[256], status[16], status_date[11];
};
static int plan_in_scope(struct db *db, const struct principal *by, int64_t id, struct plan_row *p)
{
	memset(p, 0, sizeof(*p));
	struct db_stmt *st = db_q(db,
				  "SELECT pl.person_id, pl.region_code, pl.since, "
				  "coalesce(pl.ended_on, ''), coalesce(pl.created_by, 0), p.name, "
				  "p.status, coalesce(p.status_date, '') FROM "
				  "care_plans pl JOIN persons p ON p.id = pl.person_id WHERE pl.id = ?",
				  "i", id);
	if (!st)
		return VE_DB;
	int r = db_step(st);
	if (r != DB_ROW) {
		db_done(st);
		return r == DB_DONE ? VE_NOTFOUND : VE_DB;
	}
	p->person_id = db_int(st, 0);
	str_copy(p->region, db_text(st, 1), sizeof(p->region));
	str_copy(p->since, db_text(st, 2), sizeof(p->since));
	str_copy(p->ended, db_text(st, 3), sizeof(p->ended));
	int64_t owner = db_int(st, 4);
	str_copy(p->name, db_text(st, 5), sizeof(p->name));
	str_copy(p->status, db_text(st, 6), sizeof(p->status));
	str_copy(p->status_date, db_text(st, 7), sizeof(p->status_date));
	db_done(st);
	return scope_covers_region(&by->scope, by->region_code, p->region, owner) ? 0
										  : VE_NOTFOUND;
}

static int plan_end_tx(struct db *db, const struct principal *by, int64_t id, const char *on,
		       struct field_errors *fe)
{
	struct plan_row p;
	int rc = plan_in_scope(db, by, id, &p);
	if (rc)
		return rc;
	date_field(fe, "停止日期", on);
	if (!fe->n && strcmp(on, p.since) < 0)
		field_errors_add(fe, "停止日期", "停止日期不能早于纳入日期 %s", p.since);
	if (!fe->n) {
		/* a contact on or after the stop day would lie outside the plan */
		struct db_stmt *st = db_q(db,
					  "SELECT max(contacted_on) FROM care_contacts WHERE plan_id = ?",
					  "i", id);
		if (!st)
			return VE_DB;
		int r = db_step(st);
		if (r == DB_ROW && !db_is_null(st, 0) && strcmp(on, db_text(st, 0)) <= 0)
			field_errors_add(fe, "停止日期", "停止日期应晚于最近一次联系日期 %s",
					 db_text(st, 0));
		db_done(st);
		if (r != DB_ROW)
			return VE_DB;
	}
	if (fe->n)
		return VE_INVALID;
	if ((rc = db_run(db, "UPDATE care_plans SET ended_on = ? WHERE id = ?", "si", on, id)) != 0)
		return rc;
	char detail[400];
	snprintf(detail, sizeof(detail), "%s（人员 %lld）自 %s 停止常态化联系", p.name,
		 (long long)p.person_id, on);
	if ((rc = account_audit(db, by, "care.plan_end", "care_plan", id, detail)) != 0)
		return rc;
	return reflag_today(db, id);
}

int care_plan_end(struct db *db, const struct principal *by, int64_t id, const char *on,
		  struct field_errors *fe, char *err, size_t errlen)
{
	int rc = denied(by, err, errlen);
	if (rc)
		return rc;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	rc = db_tx_end(db, 0, plan_end_tx(db, by, id, on, fe));
	return finish(db, rc, fe, err, errlen);
}

static int contact_add_tx(struct db *db, const struct principal *by, int64_t plan_id,
			  const struct care_contact_in *in, int64_t *cid, struct field_errors *fe,
			  char *err, size_t errlen)
{
	struct plan_row p;
	int rc = plan_in_scope(db, by, plan_id, &p);
	if (rc)
		return rc;
	date_field(fe, "联系日期", in->on);
	if (!fe->n && strcmp(in->on, p.since) < 0)
		field_errors_add(fe, "联系日期", "联系日期不能早于纳入日期 %s", p.since);
	if (!fe->n)
		still_registered(fe, "联系日期", in->on, p.status, p.status_date);
	if (in_list(in->method, care_methods, CARE_N_METHODS) < 0)
		field_errors_add(fe, "联系方式", "联系方式应为电话、上门、微信、座谈或其他");
	char who[256], note[2048];
	text_field(fe, "联系人", in->by_name && *in->by_name ? in->by_name : signer(by), 1, 50, 0,
		   who, sizeof(who));
	text_field(fe, "备注", in->note, 0, 500, 1, note, sizeof(note));
	if (fe->n)
		return VE_INVALID;
	if (p.ended[0] && strcmp(in->on, p.ended) >= 0)
		return err_set(err, errlen, VE_CONFLICT, "该人员已于 %s 停止常态化联系", p.ended);
	rc = db_run(db,
		    "INSERT INTO care_contacts (plan_id, person_id, region_code, contacted_on, method, "
		    "by_name, note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "iisssssii", plan_id, p.person_id, p.region, in->on, in->method, who, note,
		    clock_now(), by->user_id);
	if (rc)
		return rc;
	*cid = db_last_id(db);
	char detail[400];
	snprintf(detail, sizeof(detail), "%s（人员 %lld）%s %s", p.name, (long long)p.person_id,
		 in->on, in->method);
	if ((rc = account_audit(db, by, "care.contact", "care_contact", *cid, detail)) != 0)
		return rc;
	return reflag_today(db, plan_id);
}

int care_contact_add(struct db *db, const struct principal *by, int64_t plan_id,
		     const struct care_contact_in *in, int64_t *contact_id,
		     struct field_errors *fe, char *err, size_t errlen)
{
	*contact_id = 0;
	int rc = denied(by, err, errlen);
	if (rc)
		return rc;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	rc = db_tx_end(db, 0, contact_add_tx(db, by, plan_id, in, contact_id, fe, err, errlen));
	return finish(db, rc, fe, err, errlen);
}

static int contact_delete_tx(struct db *db, const struct principal *by, int64_t cid)
{
	int64_t plan_id = 0;
	int rc = db_int_query(db, &plan_id, 0, "SELECT plan_id FROM care_contacts WHERE id = ?",
			      "i", cid);
	if (rc)
		return rc;
	if (!plan_id)
		return VE_NOTFOUND;
	struct plan_row p;
	if ((rc = plan_in_scope(db, by, plan_id, &p)) != 0)
		return rc;
	char detail[400];
	struct db_stmt *st = db_q(db, "SELECT contacted_on, method FROM care_contacts WHERE id = ?",
				  "i", cid);
	if (!st)
		return VE_DB;
	if (db_step(st) == DB_ROW)
		snprintf(detail, sizeof(detail), "删除 %s（人员 %lld）%s %s 的联系记录", p.name,
			 (long long)p.person_id, db_text(st, 0), db_text(st, 1));
	else
		detail[0] = '\0';
	db_done(st);
	if ((rc = db_run(db, "DELETE FROM care_contacts WHERE id = ?", "i", cid)) != 0 ||
	    (rc = account_audit(db, by, "care.contact_delete", "care_contact", cid, detail)) != 0)
		return rc;
	return reflag_today(db, plan_id);
}

int care_contact_delete(struct db *db, const struct principal *by, int64_t contact_id,
			char *err, size_t errlen)
{
	int rc = denied(by, err, errlen);
	if (rc)
		return rc;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	rc = db_tx_end(db, 0, contact_delete_tx(db, by, contact_id));
	if (rc)
		err_set(err, errlen, rc, rc == VE_NOTFOUND ? "联系记录不存在" : "删除失败");
	return rc;
}

static json_t *text_or_null(struct db_stmt *st, int col)
{
	return db_is_null(st, col) ? json_null() : json_string(db_text(st, col));
}

int care_plan_list(struct db *db, const struct principal *by, int overdue_only, int64_t page,
		   int64_t per_page, json_t **out)
{
	*out = NULL;
	if (page < 1)
		page = 1;
	if (per_page < 1 || per_page > 500)
		per_page = 20;
	char today[11];
	str_copy(today, clock_today_text(), sizeof(today));
	int64_t total = 0;
	int rc = db_int_query(db, &total, 0,
			      "SELECT count(*) FROM care_plans pl WHERE " SCOPE_REGION_SQL(
				      "pl.region_code", "pl.created_by") " AND (? = 0 OR pl.overdue "
								     "= 1) AND (pl.ended_on IS "
								     "NULL OR ? = 1)",
			      SCOPE_REGION_FMT "ii", SCOPE_REGION_ARGS(&by->scope, by->region_code),
			      (int64_t)overdue_only, (int64_t)0);
	if (rc)
		return rc;
	struct db_stmt *st = db_q(
		db,
		"SELECT pl.id, pl.person_id, p.name, pl.region_code, pl.months, pl.since, "
		"pl.contact_person, " LAST_SQL ", pl.overdue, pl.ended_on FROM care_plans pl JOIN "
		"persons p ON p.id = pl.person_id WHERE " SCOPE_REGION_SQL(
			"pl.region_code", "pl.created_by") " AND (? = 0 OR pl.overdue = 1) AND "
							   "(pl.ended_on IS NULL OR ? = 1) ORDER BY "
							   "pl.overdue DESC, pl.id DESC LIMIT ? "
							   "OFFSET ?",
		"s" SCOPE_REGION_FMT "iiii", today, SCOPE_REGION_ARGS(&by->scope, by->region_code),
		(int64_t)overdue_only, (int64_t)0, per_page, (page - 1) * per_page);
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	int r;
	while ((r = db_step(st)) == DB_ROW) {
		int months = (int)db_int(st, 4);
		const char *base = db_is_null(st, 7) ? db_text(st, 5) : db_text(st, 7);
		char due[11] = "";
		care_due_after(base, months, due);
		json_array_append_new(
			items,
			json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:b,s:b,s:o}", "id",
				  (json_int_t)db_int(st, 0), "person_id", (json_int_t)db_int(st, 1),
				  "name", db_text(st, 2), "region_code", db_text(st, 3), "frequency",
				  care_frequency_title(months), "since", db_text(st, 5),
				  "contact_person", db_text(st, 6), "last_contact",
				  text_or_null(st, 7), "due_on", due, "overdue", db_int(st, 8) != 0,
				  "late", strcmp(due, today) < 0, "ended_on", text_or_null(st, 9)));
	}
	db_done(st);
	if (r != DB_DONE) {
		json_decref(items);
		return VE_DB;
	}
	*out = json_pack("{s:I,s:o}", "total", (json_int_t)total, "items", items);
	return 0;
}

int care_plan_get(struct db *db, const struct principal *by, int64_t id, json_t **out)
{
	*out = NULL;
	struct plan_row p;
	int rc = plan_in_scope(db, by, id, &p);
	if (rc)
		return rc;
	char today[11];
	str_copy(today, clock_today_text(), sizeof(today));
	struct db_stmt *st =
		db_q(db,
		     "SELECT pl.months, pl.since, pl.contact_person, pl.reason, pl.ended_on, "
		     "pl.overdue, " LAST_SQL " FROM care_plans pl WHERE pl.id = ?",
		     "si", today, id);
	if (!st)
		return VE_DB;
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return VE_DB;
	}
	int months = (int)db_int(st, 0);
	char due[11] = "";
	care_due_after(db_is_null(st, 6) ? db_text(st, 1) : db_text(st, 6), months, due);
	json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:o,s:s,s:b,s:b}", "id",
			      (json_int_t)id, "person_id", (json_int_t)p.person_id, "name", p.name,
			      "region_code", p.region, "months", months, "frequency",
			      care_frequency_title(months), "since", db_text(st, 1),
			      "contact_person", db_text(st, 2), "reason", db_text(st, 3),
			      "ended_on", text_or_null(st, 4), "due_on", due, "overdue",
			      db_int(st, 5) != 0, "late", strcmp(due, today) < 0 && !p.ended[0]);
	db_done(st);
	st = db_q(db,
		  "SELECT id, contacted_on, method, by_name, note FROM care_contacts WHERE plan_id = "
		  "? ORDER BY contacted_on DESC, id DESC",
		  "i", id);
	if (!st) {
		json_decref(o);
		return VE_DB;
	}
	json_t *contacts = json_array();
	int r;
	while ((r = db_step(st)) == DB_ROW)
		json_array_append_new(contacts,
				      json_pack("{s:I,s:s,s:s,s:s,s:s}", "id",
						(json_int_t)db_int(st, 0), "contacted_on",
						db_text(st, 1), "method", db_text(st, 2), "by_name",
						db_text(st, 3), "note", db_text(st, 4)));
	db_done(st);
	json_object_set_new(o, "contacts", contacts);
	if (r != DB_DONE) {
		json_decref(o);
		return VE_DB;
	}
	*out = o;
	return 0;
}

int care_overdue_count(struct db *db, const struct principal *by, int64_t *n)
{
	return db_int_query(db, n, 0,
			    "SELECT count(*) FROM care_plans pl WHERE pl.overdue = 1 AND "
			    "pl.ended_on IS NULL AND " SCOPE_REGION_SQL("pl.region_code",
								      "pl.created_by"),
			    SCOPE_REGION_FMT, SCOPE_REGION_ARGS(&by->scope, by->region_code));
}

/* ---- visits ---- */

/* Which campaigns by sees: those over (or inside) his region. */
#define CAMPAIGN_SEEN                                                                              \
	"(? = 0 OR (? IN (1, 2) AND (substr(cc.region_code, 1, length(?)) = ? OR substr(?, 1, "    \
	"length(cc.region_code)) = cc.region_code)) OR (? = 3 AND cc.created_by = ?))"
#define CAMPAIGN_SEEN_FMT "iisssii"
#define CAMPAIGN_SEEN_ARGS(by)                                                                     \
	(int64_t)(by)->scope.kind, (int64_t)(by)->scope.kind, (by)->region_code,                   \
		(by)->region_code, (by)->region_code, (int64_t)(by)->scope.kind,                   \
		(by)->scope.user_id
/* Campaign id as a visit needs it, when by sees it; refusals become field errors, the same
 * (慰问活动不存在) for a campaign by does not see as for none, so that nothing of another
 * street's campaign is told. */
struct campaign_row {
	char holiday[16], starts[11], ends[11], title[256];
};
static int campaign_for_visit(struct db *db, const struct principal *by, int64_t campaign_id,
			      int64_t person_id, struct campaign_row *c, struct field_errors *fe)
{
	memset(c, 0, sizeof(*c));
	struct db_stmt *st = db_q(db,
				  "SELECT holiday, starts_on, ends_on, title, (SELECT count(*) FROM "
				  "care_campaign_people cp WHERE cp.campaign_id = cc.id AND "
				  "cp.person_id = ?) FROM care_campaigns cc WHERE cc.id = ? AND " CAMPAIGN_SEEN,
				  "ii" CAMPAIGN_SEEN_FMT, person_id, campaign_id, CAMPAIGN_SEEN_ARGS(by));
	if (!st)
		return VE_DB;
	int r = db_step(st);
	if (r != DB_ROW) {
		db_done(st);
		if (r != DB_DONE)
			return VE_DB;
		field_errors_add(fe, "慰问活动", "慰问活动不存在");
		return 0;
	}
	str_copy(c->holiday, db_text(st, 0), sizeof(c->holiday));
	str_copy(c->starts, db_text(st, 1), sizeof(c->starts));
	str_copy(c->ends, db_text(st, 2), sizeof(c->ends));
	str_copy(c->title, db_text(st, 3), sizeof(c->title));
	int listed = db_int(st, 4) != 0;
	db_done(st);
	if (!listed)
		field_errors_add(fe, "人员编号", "该人员不在“%s”的慰问名单上", c->title);
	return 0;
}

/* Visit id's person, region and owner; VE_NOTFOUND outside scope. */
static int visit_in_scope(struct db *db, const struct principal *by, int64_t id,
			  char region[16], int64_t *person_id)
{
	struct db_stmt *st = db_q(db,
				  "SELECT region_code, coalesce(created_by, 0), person_id FROM "
				  "care_visits WHERE id = ?",
				  "i", id);
	if (!st)
		return VE_DB;
	int r = db_step(st);
	if (r != DB_ROW) {
		db_done(st);
		return r == DB_DONE ? VE_NOTFOUND : VE_DB;
	}
	str_copy(region, db_text(st, 0), 16);
	int64_t owner = db_int(st, 1);
	if (person_id)
		*person_id = db_int(st, 2);
	db_done(st);
	return scope_covers_region(&by->scope, by->region_code, region, owner) ? 0 : VE_NOTFOUND;
}

/* What the audit says of a visit as stored: "2026-01-20 春节慰问 慰问金 500.00 元". */
static int visit_said(struct db *db, int64_t id, char *out, size_t size)
{
	out[0] = '\0';
	struct db_stmt *st =
		db_q(db, "SELECT visited_on, kind, money FROM care_visits WHERE id = ?", "i", id);
	if (!st)
		return VE_DB;
	int r = db_step(st);
	if (r == DB_ROW) {
		char yuan[32];
		money_format_grouped(db_int(st, 2), yuan);
		snprintf(out, size, "%s %s 慰问金 %s 元", db_text(st, 0), db_text(st, 1), yuan);
	}
	db_done(st);
	return r == DB_ROW ? 0 : r == DB_DONE ? VE_NOTFOUND : VE_DB;
}

static int visit_save_tx(struct db *db, const struct principal *by, int64_t id,
			 const struct care_visit_in *in, int64_t *out_id, struct field_errors *fe)
{
	int rc;
	char was[128] = "";
	if (id) {
		char region[16];
		if ((rc = visit_in_scope(db, by, id, region, NULL)) != 0 ||
		    (rc = visit_said(db, id, was, sizeof(was))) != 0)
			return rc;
	}
	struct who w;
	if ((rc = person_for_write(db, by, in->person_id, &w, fe)) != 0)
		return rc;
	const char *kind = in->kind ? in->kind : "";
	struct campaign_row c = {0};
	if (in->campaign_id > 0) {
		if ((rc = campaign_for_visit(db, by, in->campaign_id, in->person_id, &c, fe)) != 0)
			return rc;
		if (c.holiday[0])
			kind = strcmp(c.holiday, "春节") == 0 ? CARE_SPRING : CARE_AUGUST;
	}
	int k = in_list(kind, care_visit_kinds, CARE_N_KINDS);
	/* an unknown campaign is the one error: its kind would have been the holiday's */
	if (k < 0 && !(in->campaign_id > 0 && !c.holiday[0]))
		field_errors_add(fe, "类别", "类别应为困难走访、春节慰问或八一慰问");
	date_field(fe, "走访日期", in->on);
	still_registered(fe, "走访日期", in->on, w.status, w.status_date);
	if (c.holiday[0] && day_valid(in->on) &&
	    (strcmp(in->on, c.starts) < 0 || strcmp(in->on, c.ends) > 0))
		field_errors_add(fe, "走访日期", "走访日期应在慰问活动的 %s 至 %s 之间", c.starts,
				 c.ends);
	char visitors[1024], goods[1024], note[2048];
	text_field(fe, "走访人员", in->visitors, 1, 100, 0, visitors, sizeof(visitors));
	text_field(fe, "慰问品", in->goods, 0, 200, 0, goods, sizeof(goods));
	text_field(fe, "备注", in->note, 0, 500, 1, note, sizeof(note));
	int64_t money = 0;
	if (in->money && *in->money && money_parse(in->money, 100000000, &money) != 0)
		field_errors_add(fe, "慰问金", "慰问金应为不超过 1,000,000 元的金额，如 500 或 1,000.50");
	if (c.holiday[0] && !fe->n) {
		/* once per person under a campaign (a correction may keep its own) */
		char on[11] = "";
		struct db_stmt *st = db_q(db,
					  "SELECT min(visited_on) FROM care_visits WHERE campaign_id = ? "
					  "AND person_id = ? AND id <> ?",
					  "iii", in->campaign_id, in->person_id, id);
		if (!st)
			return VE_DB;
		int r = db_step(st);
		if (r == DB_ROW && !db_is_null(st, 0))
			str_copy(on, db_text(st, 0), sizeof(on));
		db_done(st);
		if (r != DB_ROW)
			return VE_DB;
		if (on[0])
			field_errors_add(fe, "人员编号", "该人员已于 %s 慰问，同一慰问活动不重复登记",
					 on);
	}
	if (k > 0 && !fe->n && !(w.categories & holiday_mask()))
		field_errors_add(fe, "人员编号",
				 "节日慰问的对象应为烈军属或重点优抚对象，该人员不属于这些类别");
	if (fe->n)
		return VE_INVALID;
	if (id)
		rc = db_run(db,
			    "UPDATE care_visits SET person_id = ?, region_code = ?, kind = ?, "
			    "campaign_id = nullif(?, 0), visited_on = ?, visitors = ?, money = ?, goods = ?, note "
			    "= ? WHERE id = ?",
			    "issississi", in->person_id, w.region, kind,
			    in->campaign_id > 0 ? in->campaign_id : 0, in->on, visitors, money,
			    goods, note, id);
	else
		rc = db_run(db,
			    "INSERT INTO care_visits (person_id, region_code, kind, campaign_id, "
			    "visited_on, visitors, money, goods, note, created_at, created_by) VALUES "
			    "(?, ?, ?, nullif(?, 0), ?, ?, ?, ?, ?, ?, ?)",
			    "issississii", in->person_id, w.region, kind,
			    in->campaign_id > 0 ? in->campaign_id : 0, in->on, visitors, money,
			    goods, note, clock_now(), by->user_id);
	if (rc)
		return rc;
	*out_id = id ? id : db_last_id(db);
	char detail[3000], yuan[32];
	money_format_grouped(money, yuan);
	if (id) /* what it was and what it is now */
		snprintf(detail, sizeof(detail), "更正 %s（人员 %lld）：原 %s；改为 %s %s 慰问金 %s 元，走访人员 %s",
			 w.name, (long long)in->person_id, was, in->on, kind, yuan, visitors);
	else
		snprintf(detail, sizeof(detail), "%s（人员 %lld）%s %s，走访人员 %s，慰问金 %s 元",
			 w.name, (long long)in->person_id, in->on, kind, visitors, yuan);
	return account_audit(db, by, id ? "care.visit_correct" : "care.visit", "care_visit",
			     *out_id, detail);
}

int care_visit_save(struct db *db, const struct principal *by, int64_t id,
		    const struct care_visit_in *in, int64_t *out_id, struct field_errors *fe,
		    char *err, size_t errlen)
{
	*out_id = 0;
	int rc = denied(by, err, errlen);
	if (rc)
		return rc;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	rc = db_tx_end(db, 0, visit_save_tx(db, by, id, in, out_id, fe));
	if (rc == VE_NOTFOUND)
		return err_set(err, errlen, rc, "走访记录不存在");
	return finish(db, rc, fe, err, errlen);
}

static int visit_delete_tx(struct db *db, const struct principal *by, int64_t id)
{
	char region[16];
	int64_t person = 0;
	int rc = visit_in_scope(db, by, id, region, &person);
	if (rc)
		return rc;
	char was[128], detail[256];
	if ((rc = visit_said(db, id, was, sizeof(was))) != 0)
		return rc;
	snprintf(detail, sizeof(detail), "删除人员 %lld 的走访记录：%s", (long long)person, was);
	if ((rc = db_run(db, "DELETE FROM care_visits WHERE id = ?", "i", id)) != 0)
		return rc;
	return account_audit(db, by, "care.visit_delete", "care_visit", id, detail);
}

int care_visit_delete(struct db *db, const struct principal *by, int64_t id, char *err,
		      size_t errlen)
{
	int rc = denied(by, err, errlen);
	if (rc)
		return rc;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	rc = db_tx_end(db, 0, visit_delete_tx(db, by, id));
	if (rc)
		err_set(err, errlen, rc, rc == VE_NOTFOUND ? "走访记录不存在" : "删除失败");
	return rc;
}

static json_t *visit_json(struct db_stmt *st)
{
	json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s}", "id",
			      (json_int_t)db_int(st, 0), "person_id", (json_int_t)db_int(st, 1),
			      "name", db_text(st, 2), "region_code", db_text(st, 3), "kind",
			      db_text(st, 4), "visited_on", db_text(st, 6), "visitors",
			      db_text(st, 7), "money", (json_int_t)db_int(st, 8), "goods",
			      db_text(st, 9), "note", db_text(st, 10));
	json_object_set_new(o, "campaign_id",
			    db_is_null(st, 5) ? json_null() : json_integer(db_int(st, 5)));
	return o;
}

#define VISIT_COLS                                                                                 \
	"v.id, v.person_id, p.name, v.region_code, v.kind, v.campaign_id, v.visited_on, "          \
	"v.visitors, v.money, v.goods, v.note"
#define VISIT_WHERE                                                                                \
	" FROM care_visits v JOIN persons p ON p.id = v.person_id WHERE " SCOPE_REGION_SQL(        \
		"v.region_code", "v.created_by") " AND (? = '' OR v.kind = ?) AND (? = 0 OR "      \
						 "substr(v.visited_on, 1, 4) = ?) AND (? = 0 OR "  \
						 "v.person_id = ?)"

int care_visit_list(struct db *db, const struct principal *by, const struct care_visit_filter *f,
		    json_t **out)
{
	*out = NULL;
	int64_t page = f->page < 1 ? 1 : f->page;
	int64_t per = f->per_page < 1 || f->per_page > 500 ? 20 : f->per_page;
	const char *kind = f->kind ? f->kind : "";
	char year[8];
	snprintf(year, sizeof(year), "%04d", f->year > 0 && f->year < 10000 ? f->year : 0);
	int64_t total = 0;
	int rc = db_int_query(db, &total, 0, "SELECT count(*)" VISIT_WHERE,
			      SCOPE_REGION_FMT "ssisii",
			      SCOPE_REGION_ARGS(&by->scope, by->region_code), kind, kind,
			      (int64_t)f->year, year, f->person_id, f->person_id);
	if (rc)
		return rc;
	struct db_stmt *st = db_q(db,
				  "SELECT " VISIT_COLS VISIT_WHERE
				  " ORDER BY v.visited_on DESC, v.id DESC LIMIT ? OFFSET ?",
				  SCOPE_REGION_FMT "ssisiiii",
				  SCOPE_REGION_ARGS(&by->scope, by->region_code), kind, kind,
				  (int64_t)f->year, year, f->person_id, f->person_id, per,
				  (page - 1) * per);
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	int r;
	while ((r = db_step(st)) == DB_ROW)
		json_array_append_new(items, visit_json(st));
	db_done(st);
	if (r != DB_DONE) {
		json_decref(items);
		return VE_DB;
	}
	*out = json_pack("{s:I,s:o}", "total", (json_int_t)total, "items", items);
	return 0;
}

int care_visit_get(struct db *db, const struct principal *by, int64_t id, json_t **out)
{
	*out = NULL;
	char region[16];
	int rc = visit_in_scope(db, by, id, region, NULL);
	if (rc)
		return rc;
	struct db_stmt *st = db_q(db,
				  "SELECT " VISIT_COLS " FROM care_visits v JOIN persons p ON p.id "
				  "= v.person_id WHERE v.id = ?",
				  "i", id);
	if (!st)
		return VE_DB;
	rc = VE_DB;
	if (db_step(st) == DB_ROW) {
		*out = visit_json(st);
		rc = 0;
	}
	db_done(st);
	return rc;
}

/* ---- campaigns ---- */

/* The people condition of a campaign: 在册, holding one of the categories (a bound text of
 * the categories' names joined with 、, each found with instr), in a street or all. */
#define PEOPLE_WHERE                                                                               \
	" FROM persons p WHERE p.status = '在册' AND " SCOPE_REGION_SQL(                           \
		"p.region_code", "p.created_by") " AND (? = '' OR substr(p.region_code, 1, 9) = ?) " \
						 "AND (? = '' OR EXISTS (SELECT 1 FROM "            \
						 "person_identities i WHERE i.person_id = p.id "    \
						 "AND instr(?, '、' || i.category || '、') > 0))"

/* The names of the categories of mask joined with 、 into out; fenced: with one before and
 * after each as well ("、A、B、", for instr), "" for none. */
static void categories_text(uint32_t mask, char *out, size_t size, int fenced)
{
	size_t len = 0;
	out[0] = '\0';
	for (int c = 0; c < CAT__COUNT && len < size; c++)
		if (mask & (1u << c))
			len += (size_t)snprintf(out + len, size - len, "%s%s",
						fenced || len ? "、" : "",
						category_title((enum category)c));
	if (fenced && len && len < size)
		snprintf(out + len, size - len, "、");
}

int care_people(struct db *db, const struct principal *by, uint32_t categories,
		const char *street, int64_t after_id, int64_t limit, json_t **out)
{
	*out = NULL;
	char cats[1024];
	categories_text(categories, cats, sizeof(cats), 1);
	const char *s = street ? street : "";
	struct db_stmt *st = db_q(db,
				  "SELECT p.id, p.name, p.region_code" PEOPLE_WHERE
				  " AND p.id > ? ORDER BY p.id LIMIT ?",
				  SCOPE_REGION_FMT "ssssii",
				  SCOPE_REGION_ARGS(&by->scope, by->region_code), s, s, cats, cats,
				  after_id, limit);
	if (!st)
		return VE_DB;
	json_t *a = json_array();
	int r;
	while ((r = db_step(st)) == DB_ROW)
		json_array_append_new(a, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)db_int(st, 0),
						   "name", db_text(st, 1), "region_code",
						   db_text(st, 2)));
	db_done(st);
	if (r != DB_DONE) {
		json_decref(a);
		return VE_DB;
	}
	*out = a;
	return 0;
}

static int campaign_create_tx(struct db *db, const struct principal *by,
			      const struct care_campaign_in *in, int64_t *id,
			      struct field_errors *fe)
{
	char title[512];
	text_field(fe, "名称", in->title, 1, 60, 0, title, sizeof(title));
	if (in_list(in->holiday, care_holidays, CARE_N_HOLIDAYS) < 0)
		field_errors_add(fe, "节日", "节日应为春节或八一");
	if (!day_valid(in->starts_on))
		field_errors_add(fe, "开始日期", "开始日期应为 YYYY-MM-DD，如 2026-01-20");
	else if (strcmp(in->starts_on, "1950-01-01") < 0 || strcmp(in->starts_on, "2100-12-31") > 0)
		field_errors_add(fe, "开始日期", "开始日期应在 1950 年至 2100 年之间");
	if (!day_valid(in->ends_on))
		field_errors_add(fe, "结束日期", "结束日期应为 YYYY-MM-DD，如 2026-02-10");
	else if (strcmp(in->ends_on, "1950-01-01") < 0 || strcmp(in->ends_on, "2100-12-31") > 0)
		field_errors_add(fe, "结束日期", "结束日期应在 1950 年至 2100 年之间");
	else if (day_valid(in->starts_on) && strcmp(in->ends_on, in->starts_on) < 0)
		field_errors_add(fe, "结束日期", "结束日期不能早于开始日期");
	else if (day_valid(in->starts_on) && strncmp(in->ends_on, in->starts_on, 4) != 0)
		field_errors_add(fe, "结束日期", "一次慰问活动应在同一年内");
	if (!in->categories)
		field_errors_add(fe, "人员类别", "请至少选择一个人员类别");
	else if (!HOLIDAY_MASK_OK(in->categories))
		field_errors_add(fe, "人员类别", "节日慰问的对象应为烈军属或重点优抚对象");
	const char *street = in->street ? in->street : "";
	char region[16];
	str_copy(region, by->region_code, sizeof(region));
	if (*street) {
		if (strlen(street) != 9 || !region_in_scope(by, street))
			field_errors_add(fe, "街道", "请选择本辖区内的街道");
		else
			str_copy(region, street, sizeof(region));
	}
	if (fe->n)
		return VE_INVALID;
	char cats[1024], names[1024];
	categories_text(in->categories, cats, sizeof(cats), 1);
	categories_text(in->categories, names, sizeof(names), 0);
	int rc = db_run(db,
			"INSERT INTO care_campaigns (region_code, title, holiday, year, starts_on, "
			"ends_on, categories, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			"sssisssii", region, title, in->holiday, (int64_t)atoi(in->starts_on),
			in->starts_on, in->ends_on, names, clock_now(), by->user_id);
	if (rc)
		return rc;
	*id = db_last_id(db);
	rc = db_run(db,
		    "INSERT INTO care_campaign_people (campaign_id, person_id, region_code) SELECT ?, "
		    "p.id, p.region_code" PEOPLE_WHERE,
		    "i" SCOPE_REGION_FMT "ssss", *id,
		    SCOPE_REGION_ARGS(&by->scope, by->region_code), street, street, cats, cats);
	if (rc)
		return rc;
	int64_t n = db_changes(db);
	if (n == 0) {
		field_errors_add(fe, "人员类别", "所选街道没有这些类别的在册人员，名单为空");
		return VE_INVALID;
	}
	char detail[3000];
	snprintf(detail, sizeof(detail), "%s（%s，%s 至 %s）：%s，名单 %lld 人", title, in->holiday,
		 in->starts_on, in->ends_on, names, (long long)n);
	return account_audit(db, by, "care.campaign", "care_campaign", *id, detail);
}

int care_campaign_create(struct db *db, const struct principal *by,
			 const struct care_campaign_in *in, int64_t *id, struct field_errors *fe,
			 char *err, size_t errlen)
{
	*id = 0;
	int rc = denied(by, err, errlen);
	if (rc)
		return rc;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	rc = db_tx_end(db, 0, campaign_create_tx(db, by, in, id, fe));
	return finish(db, rc, fe, err, errlen);
}

/* The counts of a campaign's people in by's scope: listed, visited (once at least). */
#define CAMPAIGN_COUNTS                                                                            \
	"(SELECT count(*) FROM care_campaign_people cp WHERE cp.campaign_id = cc.id AND "          \
	"(? = 0 OR (? IN (1, 2) AND substr(cp.region_code, 1, length(?)) = ?) OR ? = 3)), "       \
	"(SELECT count(*) FROM care_campaign_people cp WHERE cp.campaign_id = cc.id AND "          \
	"(? = 0 OR (? IN (1, 2) AND substr(cp.region_code, 1, length(?)) = ?) OR ? = 3) AND "     \
	"EXISTS (SELECT 1 FROM care_visits v WHERE v.campaign_id = cc.id AND v.person_id = "       \
	"cp.person_id))"
#define COUNTS_FMT "iissiiissi"
#define COUNTS_ARGS(by)                                                                            \
	(int64_t)(by)->scope.kind, (int64_t)(by)->scope.kind, (by)->region_code,                   \
		(by)->region_code, (int64_t)(by)->scope.kind, (int64_t)(by)->scope.kind,           \
		(int64_t)(by)->scope.kind, (by)->region_code, (by)->region_code,                   \
		(int64_t)(by)->scope.kind

static json_t *campaign_json(struct db_stmt *st)
{
	int64_t listed = db_int(st, 8), visited = db_int(st, 9);
	const char *holiday = db_text(st, 2);
	return json_pack("{s:I,s:s,s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:I,s:I,s:I}", "id",
			 (json_int_t)db_int(st, 0), "title", db_text(st, 1), "holiday", holiday,
			 "kind", strcmp(holiday, "春节") == 0 ? CARE_SPRING : CARE_AUGUST, "year",
			 (int)db_int(st, 3), "starts_on", db_text(st, 4), "ends_on",
			 db_text(st, 5), "region_code", db_text(st, 6), "categories",
			 db_text(st, 7), "listed", (json_int_t)listed, "visited",
			 (json_int_t)visited, "due", (json_int_t)(listed - visited));
}

#define CAMPAIGN_COLS                                                                              \
	"cc.id, cc.title, cc.holiday, cc.year, cc.starts_on, cc.ends_on, cc.region_code, "         \
	"cc.categories, " CAMPAIGN_COUNTS

int care_campaign_list(struct db *db, const struct principal *by, int year, json_t **out)
{
	*out = NULL;
	struct db_stmt *st = db_q(db,
				  "SELECT " CAMPAIGN_COLS " FROM care_campaigns cc WHERE " CAMPAIGN_SEEN
				  " AND (? = 0 OR cc.year = ?) ORDER BY cc.starts_on DESC, cc.id "
				  "DESC LIMIT 200",
				  COUNTS_FMT CAMPAIGN_SEEN_FMT "ii", COUNTS_ARGS(by),
				  CAMPAIGN_SEEN_ARGS(by), (int64_t)year, (int64_t)year);
	if (!st)
		return VE_DB;
	json_t *a = json_array();
	int r;
	while ((r = db_step(st)) == DB_ROW)
		json_array_append_new(a, campaign_json(st));
	db_done(st);
	if (r != DB_DONE) {
		json_decref(a);
		return VE_DB;
	}
	*out = a;
	return 0;
}

int care_campaign_get(struct db *db, const struct principal *by, int64_t id, const char *who,
		      int64_t page, int64_t per_page, json_t **out)
{
	*out = NULL;
	if (page < 1)
		page = 1;
	if (per_page < 1 || per_page > 500)
		per_page = 50;
	struct db_stmt *st = db_q(db,
				  "SELECT " CAMPAIGN_COLS " FROM care_campaigns cc WHERE cc.id = ? "
				  "AND " CAMPAIGN_SEEN,
				  COUNTS_FMT "i" CAMPAIGN_SEEN_FMT, COUNTS_ARGS(by), id,
				  CAMPAIGN_SEEN_ARGS(by));
	if (!st)
		return VE_DB;
	int r = db_step(st);
	if (r != DB_ROW) {
		db_done(st);
		return r == DB_DONE ? VE_NOTFOUND : VE_DB;
	}
	json_t *o = campaign_json(st);
	db_done(st);
	/* 0 all, 1 due, 2 visited */
	int64_t w = who && strcmp(who, "due") == 0 ? 1 : who && strcmp(who, "visited") == 0 ? 2 : 0;
	json_object_set_new(o, "who", json_string(w == 1 ? "due" : w == 2 ? "visited" : "all"));
#define PEOPLE_OF                                                                                  \
	" FROM care_campaign_people cp JOIN persons p ON p.id = cp.person_id LEFT JOIN (SELECT "   \
	"v.person_id AS person_id, min(v.visited_on) AS visited_on, min(v.id) AS visit_id FROM "   \
	"care_visits v WHERE v.campaign_id = ? GROUP BY v.person_id) vv ON vv.person_id = "        \
	"cp.person_id WHERE cp.campaign_id = ? AND " SCOPE_REGION_SQL(                             \
		"cp.region_code", "p.created_by") " AND (? = 0 OR (? = 1 AND vv.visit_id IS NULL) " \
						  "OR (? = 2 AND vv.visit_id IS NOT NULL))"
	int64_t total = 0;
	int rc = db_int_query(db, &total, 0, "SELECT count(*)" PEOPLE_OF,
			      "ii" SCOPE_REGION_FMT "iii", id, id,
			      SCOPE_REGION_ARGS(&by->scope, by->region_code), w, w, w);
	if (rc) {
		json_decref(o);
		return rc;
	}
	st = db_q(db,
		  "SELECT cp.person_id, p.name, cp.region_code, vv.visited_on, vv.visit_id" PEOPLE_OF
		  " ORDER BY cp.region_code, cp.person_id LIMIT ? OFFSET ?",
		  "ii" SCOPE_REGION_FMT "iiiii", id, id,
		  SCOPE_REGION_ARGS(&by->scope, by->region_code), w, w, w, per_page,
		  (page - 1) * per_page);
	if (!st) {
		json_decref(o);
		return VE_DB;
	}
	json_t *people = json_array();
	while ((r = db_step(st)) == DB_ROW) {
		json_t *p = json_pack("{s:I,s:s,s:s,s:o}", "person_id", (json_int_t)db_int(st, 0),
				      "name", db_text(st, 1), "region_code", db_text(st, 2),
				      "visited_on", text_or_null(st, 3));
		json_object_set_new(p, "visit_id",
				    db_is_null(st, 4) ? json_null() : json_integer(db_int(st, 4)));
		json_array_append_new(people, p);
	}
	db_done(st);
	json_object_set_new(o, "people", people);
	json_object_set_new(o, "total", json_integer(total));
	if (r != DB_DONE) {
		json_decref(o);
		return VE_DB;
	}
	*out = o;
	return 0;
}

/* ---- 光荣牌 ---- */

static int plaque_set_tx(struct db *db, const struct principal *by, int64_t person_id,
			 const char *on, const char *note_in, struct field_errors *fe)
{
	struct who w;
	int rc = person_for_write(db, by, person_id, &w, fe);
	if (rc)
		return rc;
	date_field(fe, "悬挂日期", on);
	still_registered(fe, "悬挂日期", on, w.status, w.status_date);
	char note[2048];
	text_field(fe, "备注", note_in, 0, 200, 0, note, sizeof(note));
	if (fe->n)
		return VE_INVALID;
	rc = db_run(db,
		    "INSERT INTO care_plaques (person_id, region_code, hung_on, note, created_at, "
		    "created_by) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET "
		    "hung_on = excluded.hung_on, note = excluded.note, region_code = "
		    "excluded.region_code",
		    "isssii", person_id, w.region, on, note, clock_now(), by->user_id);
	if (rc)
		return rc;
	char detail[400];
	snprintf(detail, sizeof(detail), "%s（人员 %lld）光荣牌悬挂于 %s", w.name,
		 (long long)person_id, on);
	return account_audit(db, by, "care.plaque", "person", person_id, detail);
}

int care_plaque_set(struct db *db, const struct principal *by, int64_t person_id, const char *on,
		    const char *note, struct field_errors *fe, char *err, size_t errlen)
{
	int rc = denied(by, err, errlen);
	if (rc)
		return rc;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	rc = db_tx_end(db, 0, plaque_set_tx(db, by, person_id, on, note, fe));
	return finish(db, rc, fe, err, errlen);
}

int care_plaque_list(struct db *db, const struct principal *by, int64_t page, int64_t per_page,
		     json_t **out)
{
	*out = NULL;
	if (page < 1)
		page = 1;
	if (per_page < 1 || per_page > 500)
		per_page = 20;
	int64_t total = 0;
	int rc = db_int_query(db, &total, 0,
			      "SELECT count(*) FROM care_plaques g WHERE " SCOPE_REGION_SQL(
				      "g.region_code", "g.created_by"),
			      SCOPE_REGION_FMT, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (rc)
		return rc;
	struct db_stmt *st = db_q(db,
				  "SELECT g.person_id, p.name, g.region_code, g.hung_on, g.note FROM "
				  "care_plaques g JOIN persons p ON p.id = g.person_id WHERE " SCOPE_REGION_SQL(
					  "g.region_code", "g.created_by") " ORDER BY g.hung_on DESC, "
									   "g.person_id DESC LIMIT ? "
									   "OFFSET ?",
				  SCOPE_REGION_FMT "ii", SCOPE_REGION_ARGS(&by->scope, by->region_code),
				  per_page, (page - 1) * per_page);
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	int r;
	while ((r = db_step(st)) == DB_ROW)
		json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:s,s:s}", "person_id",
						       (json_int_t)db_int(st, 0), "name",
						       db_text(st, 1), "region_code", db_text(st, 2),
						       "hung_on", db_text(st, 3), "note",
						       db_text(st, 4)));
	db_done(st);
	if (r != DB_DONE) {
		json_decref(items);
		return VE_DB;
	}
	*out = json_pack("{s:I,s:o}", "total", (json_int_t)total, "items", items);
	return 0;
}

/* ---- many records ---- */

int care_record_many(struct db *db, const struct principal *by, const struct care_record *recs,
		     size_t n, char *err, size_t errlen)
{
	int rc = denied(by, err, errlen);
	if (rc)
		return rc;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	struct field_errors fe = {0};
	size_t i;
	for (i = 0; i < n && !rc; i++) {
		const struct care_record *r = &recs[i];
		int64_t id = 0, plan = 0;
		field_errors_clear(&fe);
		char why[256] = "";
		switch (r->kind) {
		case CARE_REC_PLAN:
			rc = plan_save_tx(db, by, &r->plan, &id, &fe);
			break;
		case CARE_REC_CONTACT:
			rc = db_int_query(db, &plan, 0,
					  "SELECT id FROM care_plans WHERE person_id = ? ORDER BY id "
					  "DESC LIMIT 1",
					  "i", r->plan.person_id);
			if (!rc && !plan) {
				field_errors_add(&fe, "人员编号", "该人员不在常态化联系名单上");
				rc = VE_INVALID;
			} else if (!rc)
				rc = contact_add_tx(db, by, plan, &r->contact, &id, &fe, why,
						    sizeof(why));
			break;
		case CARE_REC_VISIT:
			rc = visit_save_tx(db, by, 0, &r->visit, &id, &fe);
			break;
		case CARE_REC_PLAQUE:
			rc = plaque_set_tx(db, by, r->plan.person_id, r->plaque_on, "", &fe);
			break;
		}
		if (rc) {
			if (fe.n)
				err_set(err, errlen, rc, "第 %zu 条 %s：%s", i + 1, fe.items[0].field,
					fe.items[0].message);
			else
				err_set(err, errlen, rc, "第 %zu 条：%s", i + 1,
					why[0] ? why : "保存失败");
		}
	}
	return db_tx_end(db, 0, rc);
}

/* ---- the daily job ---- */

static int overdue_run(struct db *db, const struct job_run *run, int64_t *count, char *detail,
		       size_t detail_size)
{
	char day[11];
	if (clock_date_text(run->scheduled_for, day) != 0)
		return err_set(detail, detail_size, VE_INVALID, "时间无效");
	int64_t changed = 0, flagged = 0;
	int rc = care_flag_overdue(db, day, &changed, &flagged);
	if (rc)
		return err_set(detail, detail_size, rc, "常态化联系逾期检查失败");
	*count = changed;
	snprintf(detail, detail_size, "截至 %s：%lld 人逾期未联系（变化 %lld 人）", day,
		 (long long)flagged, (long long)changed);
	return 0;
}

const struct job care_overdue_job = {
	.name = "care.overdue",
	.title = "常态化联系逾期检查",
	.schedule = {.hour = 1, .minute = 10},
	.run = overdue_run,
};

/* ---- permissions and the area ---- */

const struct perm perm_care_read = {"care.read", "查看关爱帮扶（常态化联系、走访慰问、光荣牌）",
				    ROLE_BUSINESS};
const struct perm perm_care_manage = {"care.manage",
				      "登记关爱帮扶（常态化联系、走访慰问、慰问活动、光荣牌）",
				      ROLE_BIT(CLERK) | ROLE_BIT(STATION)};
static const struct perm *const perms[] = {PERM_CARE_READ, PERM_CARE_MANAGE, NULL};
static const struct audit_title audit_titles[] = {
	{"care.plan", "纳入常态化联系"},
	{"care.plan_end", "停止常态化联系"},
	{"care.contact", "登记常态化联系"},
	{"care.contact_delete", "删除常态化联系记录"},
	{"care.visit", "登记走访慰问"},
	{"care.visit_correct", "更正走访慰问"},
	{"care.visit_delete", "删除走访慰问"},
	{"care.campaign", "新建节日慰问活动"},
	{"care.plaque", "登记光荣牌悬挂"},
	{NULL, NULL},
};
static const struct job *const jobs[] = {&care_overdue_job, NULL};
/* For one who keeps the contacts and visits, in his scope: the plans whose contact is
 * overdue (the navigation's count), and each campaign not over yet with people of its list
 * not visited. */
static int care_todos(struct db *db, const struct principal *by, json_t *list)
{
	if (!perm_allows(by->roles, PERM_CARE_MANAGE))
		return 0;
	int64_t n = 0;
	if (care_overdue_count(db, by, &n))
		return VE_DB;
	if (n > 0)
		json_array_append_new(list, json_pack("{s:s,s:I,s:s,s:s,s:b}", "title",
						      "常态化联系已逾期", "count", (json_int_t)n,
						      "href", "/care?overdue=1", "note",
						      "按联系频次应联系而未联系", "urgent", 1));
	json_t *campaigns = NULL;
	if (care_campaign_list(db, by, 0, &campaigns))
		return VE_DB;
	const char *today = clock_today_text();
	size_t i;
	json_t *c;
	json_array_foreach(campaigns, i, c) {
		const char *ends = json_string_value(json_object_get(c, "ends_on"));
		json_int_t due = json_integer_value(json_object_get(c, "due"));
		if (!ends || strcmp(ends, today) < 0 || due <= 0)
			continue;
		char title[300], note[64], href[64];
		snprintf(title, sizeof(title), "走访慰问：%s",
			 json_string_value(json_object_get(c, "title")));
		snprintf(note, sizeof(note), "名单中尚未走访，活动 %s 结束", ends);
		snprintf(href, sizeof(href), "/care/campaigns/%lld?who=due",
			 (long long)json_integer_value(json_object_get(c, "id")));
		json_array_append_new(list, json_pack("{s:s,s:I,s:s,s:s}", "title", title, "count",
						      due, "href", href, "note", note));
	}
	json_decref(campaigns);
	return 0;
}

const struct area care_area = {.todos = care_todos,
			       .name = "care",
			       .perms = perms,
			       .audit_titles = audit_titles,
			       .jobs = jobs,
			       .figures = &care_figures};
