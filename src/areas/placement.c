/* placement.c - 安置: the yearly plan, the cases and their steps, the deadlines job and
 * 待安置期生活费 (see placement.h). */
#include "placement.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "areas/benefit.h"
#include "areas/calendar.h"
#include "areas/entitlement.h"
#include "areas/figure.h"
#include "areas/job.h"
#include "areas/scope.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/money.h"
#include "lib/str.h"
#include "lib/utf8.h"

const char *const placement_kinds[PLACEMENT_N_KINDS] = {"军转干部", "退役士兵"};
const char *const placement_methods[PLACEMENT_N_METHODS] = {
	"逐月领取退役金", "自主就业", "安排工作", "退休", "供养", "转业", "复员"};
const char *const placement_statuses[PLACEMENT_N_STATUSES] = {"办理中", "已安置", "已失权"};

/* The steps: code, title, the label of its date in a form and in errors. */
#define N_STEPS 8
static const struct {
	const char *code, *title, *field;
} steps[N_STEPS] = {
	{"report", "报到", "报到日期"},
	{"files", "档案接收", "档案接收日期"},
	{"review", "档案审核", "档案审核日期"},
	{"hukou", "户口登记介绍信", "介绍信开具日期"},
	{"card", "优待证", "优待证发放日期"},
	{"place", "岗位落实", "安置落实日期"},
	{"medical", "医保接续", "医保接续日期"},
	{"social", "社保接续", "社保接续日期"},
};
enum { S_REPORT, S_FILES, S_REVIEW, S_HUKOU, S_CARD, S_PLACE, S_MEDICAL, S_SOCIAL };

const char *const placement_steps[PLACEMENT_N_STEPS][2] = {
	{"report", "报到"},          {"files", "档案接收"}, {"review", "档案审核"},
	{"hukou", "户口登记介绍信"}, {"card", "优待证"},     {"place", "岗位落实"},
	{"medical", "医保接续"},     {"social", "社保接续"}, {"lapse", "报到逾期，自主就业权利终止"},
};

const char *placement_step_title(const char *step)
{
	for (int i = 0; i < PLACEMENT_N_STEPS; i++)
		if (strcmp(step, placement_steps[i][0]) == 0)
			return placement_steps[i][1];
	return step;
}

static int in_list(const char *v, const char *const *list, int n)
{
	for (int i = 0; v && i < n; i++)
		if (strcmp(v, list[i]) == 0)
			return 1;
	return 0;
}

int placement_method_arranged(const char *method)
{
	return method && (strcmp(method, "安排工作") == 0 || strcmp(method, "转业") == 0);
}

static int date_ok(const char *s)
{
	int32_t n;
	return s && calendar_day_number(s, &n) == 0;
}

static void day_add(const char *day, int n, char out[11])
{
	int32_t d;
	if (calendar_day_number(day, &d) != 0) {
		out[0] = 0;
		return;
	}
	calendar_day_text(d + n, out);
}

int placement_month_add(const char *day, int n, char out[11])
{
	int32_t d;
	if (calendar_day_number(day, &d) != 0)
		return -1;
	int y = atoi(day), m = atoi(day + 5), dd = atoi(day + 8);
	int months = y * 12 + (m - 1) + n;
	y = months / 12;
	m = months % 12 + 1;
	static const int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int last = lengths[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	if (y < 1900 || y > 9999)
		return -1;
	char buf[32];
	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y % 10000, m % 100,
		 (dd > last ? last : dd) % 100);
	str_copy(out, buf, 11);
	return 0;
}

static const char *by_name(const struct principal *by)
{
	return by->display_name[0] ? by->display_name : by->username;
}

/* ---- the plan ---- */

static int parse_count(const char *v, const char *field, int64_t *out, struct field_errors *fe)
{
	if (!v || !*v) {
		field_errors_add(fe, field, "请填写人数");
		return -1;
	}
	if (v[0] == '-') {
		field_errors_add(fe, field, "人数不能为负数");
		return -1;
	}
	if (str_to_i64(v, strlen(v), 0, 100000, out) != 0) {
		field_errors_add(fe, field, "应为 0 到 100000 之间的整数");
		return -1;
	}
	return 0;
}

int placement_plan_set(struct db *db, const struct principal *by, const char *year,
		       const char *officers, const char *soldiers, const char *note,
		       struct field_errors *fe, char *err, size_t errlen)
{
	if (!perm_allows(by->roles, PERM_PLACEMENT_PLAN) || !account_district_wide(by))
		return err_set(err, errlen, VE_DENIED, "安置计划由区局录入");
	int64_t y = 0, o = 0, s = 0;
	if (!year || str_to_i64(year, strlen(year), 2000, 2100, &y) != 0)
		field_errors_add(fe, "年度", "应为 2000 到 2100 之间的年份");
	parse_count(officers, "军转干部计划数", &o, fe);
	parse_count(soldiers, "退役士兵计划数", &s, fe);
	if (note && utf8_count(note, strlen(note)) > 200)
		field_errors_add(fe, "说明", "不能超过 200 个字");
	if (fe->n)
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, "输入有误"));
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "保存失败");
	/* a correction says what it replaced */
	char was[160] = "";
	struct db_stmt *st = db_q(db, "SELECT officers, soldiers, note FROM placement_plans WHERE "
				  "year = ?", "i", y);
	int r = st ? db_step(st) : VE_DB;
	if (r == DB_ROW)
		snprintf(was, sizeof(was), "（原：军转干部 %lld 人，退役士兵 %lld 人%s%.60s）",
			 (long long)db_int(st, 0), (long long)db_int(st, 1),
			 *db_text(st, 2) ? "，说明 " : "", db_text(st, 2));
	db_done(st);
	if (r != DB_ROW && r != DB_DONE)
		return err_set(err, errlen, db_tx_end(db, 0, VE_DB), "保存失败");
	utf8_scrub(was);
	int rc = db_run(db,
			"INSERT INTO placement_plans (year, officers, soldiers, note, region_code, "
			"created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
			"ON CONFLICT (year) DO UPDATE SET officers = excluded.officers, soldiers = "
			"excluded.soldiers, note = excluded.note, updated_at = excluded.updated_at, "
			"updated_by = excluded.updated_by",
			"iiissiii", y, o, s, note ? note : "", by->region_code, by->user_id,
			clock_now(), by->user_id);
	char detail[800];
	snprintf(detail, sizeof(detail), "%lld 年：军转干部 %lld 人，退役士兵 %lld 人%s%s%s",
		 (long long)y, (long long)o, (long long)s, note && *note ? "，说明 " : "",
		 note ? note : "", was);
	utf8_scrub(detail);
	if (rc == 0)
		rc = account_audit(db, by, "placement.plan", "placement_plan", y, detail);
	rc = db_tx_end(db, 0, rc);
	return rc ? err_set(err, errlen, VE_DB, "保存失败") : 0;
}

int placement_plans(struct db *db, const struct principal *by, json_t **out)
{
	struct db_stmt *st = db_q(
		db,
		"SELECT p.year, p.officers, p.soldiers, p.note, (SELECT count(*) FROM "
		"placement_cases c WHERE c.plan_year = p.year AND c.kind = '军转干部' AND " SCOPE_REGION_SQL(
			"c.region_code", "c.created_by") "), (SELECT count(*) FROM placement_cases c "
							 "WHERE c.plan_year = p.year AND c.kind = "
							 "'退役士兵' AND " SCOPE_REGION_SQL(
								 "c.region_code",
								 "c.created_by") ") FROM "
										 "placement_plans p ORDER BY p.year DESC",
		SCOPE_REGION_FMT SCOPE_REGION_FMT, SCOPE_REGION_ARGS(&by->scope, by->region_code),
		SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	json_t *a = json_array();
	int r;
	while ((r = db_step(st)) == DB_ROW)
		json_array_append_new(
			a, json_pack("{s:I,s:I,s:I,s:s,s:I,s:I}", "year", (json_int_t)db_int(st, 0),
				     "officers", (json_int_t)db_int(st, 1), "soldiers",
				     (json_int_t)db_int(st, 2), "note", db_text(st, 3), "officers_cases",
				     (json_int_t)db_int(st, 4), "soldiers_cases",
				     (json_int_t)db_int(st, 5)));
	db_done(st);
	if (r != DB_DONE) {
		json_decref(a);
		return VE_DB;
	}
	*out = a;
	return 0;
}

/* ---- a case ---- */

struct pcase {
	int64_t id, person_id, entitlement_id, created_by, plan_year;
	char region[16], kind[16], method[32], status[16], flag[32];
	char discharged[11], report_by[11], place_by[11], lapsed[11];
	char dates[N_STEPS][11];
	char employer[204], note[604], name[104], id_mask[40];
};

#define CASE_COLUMNS                                                                               \
	"c.id, c.person_id, coalesce(c.entitlement_id, 0), coalesce(c.created_by, 0), "            \
	"c.plan_year, c.region_code, c.kind, c.method, c.status, c.flag, c.discharged_on, "        \
	"coalesce(c.report_by, ''), coalesce(c.place_by, ''), coalesce(c.lapsed_on, ''), "         \
	"coalesce(c.reported_on, ''), coalesce(c.files_received_on, ''), "                        \
	"coalesce(c.files_reviewed_on, ''), coalesce(c.hukou_letter_on, ''), "                    \
	"coalesce(c.card_on, ''), coalesce(c.placed_on, ''), coalesce(c.medical_on, ''), "         \
	"coalesce(c.social_on, ''), c.employer, c.note, p.name, p.id_mask"

/* Case id in by's scope into *c: 0, VE_NOTFOUND or VE_DB. */
static int load(struct db *db, const struct principal *by, int64_t id, struct pcase *c)
{
	struct db_stmt *st = db_q(
		db,
		"SELECT " CASE_COLUMNS " FROM placement_cases c JOIN persons p ON p.id = c.person_id "
		"WHERE c.id = ? AND " SCOPE_REGION_SQL("c.region_code", "c.created_by"),
		"i" SCOPE_REGION_FMT, id, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	int r = db_step(st);
	if (r == DB_ROW) {
		memset(c, 0, sizeof(*c));
		c->id = db_int(st, 0);
		c->person_id = db_int(st, 1);
		c->entitlement_id = db_int(st, 2);
		c->created_by = db_int(st, 3);
		c->plan_year = db_int(st, 4);
		str_copy(c->region, db_text(st, 5), sizeof(c->region));
		str_copy(c->kind, db_text(st, 6), sizeof(c->kind));
		str_copy(c->method, db_text(st, 7), sizeof(c->method));
		str_copy(c->status, db_text(st, 8), sizeof(c->status));
		str_copy(c->flag, db_text(st, 9), sizeof(c->flag));
		str_copy(c->discharged, db_text(st, 10), sizeof(c->discharged));
		str_copy(c->report_by, db_text(st, 11), sizeof(c->report_by));
		str_copy(c->place_by, db_text(st, 12), sizeof(c->place_by));
		str_copy(c->lapsed, db_text(st, 13), sizeof(c->lapsed));
		for (int i = 0; i < N_STEPS; i++)
			str_copy(c->dates[i], db_text(st, 14 + i), sizeof(c->dates[i]));
		str_copy(c->employer, db_text(st, 22), sizeof(c->employer));
		str_copy(c->note, db_text(st, 23), sizeof(c->note));
		str_copy(c->name, db_text(st, 24), sizeof(c->name));
		str_copy(c->id_mask, db_text(st, 25), sizeof(c->id_mask));
	}
	db_done(st);
	return r == DB_ROW ? 0 : r == DB_DONE ? VE_NOTFOUND : VE_DB;
}

/* The flags of the open cases (all, or case id) as of day: one rule for the job and for
 * a step that changes what a flag waits for. */
#define FLAG_OF                                                                                    \
	"(CASE WHEN method = '自主就业' AND reported_on IS NULL AND report_by IS NOT NULL AND "   \
	"report_by >= ?1 AND report_by <= day_add(?1, 7) THEN '报到临期' WHEN method IN "          \
	"('安排工作', '转业') AND placed_on IS NULL AND place_by IS NOT NULL AND place_by < ?1 "   \
	"THEN '岗位落实超期' WHEN method IN ('安排工作', '转业') AND placed_on IS NULL AND "        \
	"place_by IS NOT NULL AND place_by <= day_add(?1, 30) THEN '岗位落实临期' ELSE '' END)"
/* A case whose person has died waits for nothing: no flag, no lapse. */
#define PERSON_DIED                                                                                \
	"EXISTS (SELECT 1 FROM persons pd WHERE pd.id = placement_cases.person_id AND pd.status " \
	"= '死亡')"
static int reflag(struct db *db, const char *day, int64_t id)
{
	int rc = db_run(db,
			"UPDATE placement_cases SET flagged_on = CASE WHEN " FLAG_OF
			" = '' THEN NULL WHEN " FLAG_OF " <> flag THEN ?1 ELSE flagged_on END, "
			"flag = " FLAG_OF " WHERE status = '办理中' AND (?2 = 0 OR id = ?2) AND NOT "
			PERSON_DIED,
			"si", day, id);
	if (rc == 0)
		rc = db_run(db,
			    "UPDATE placement_cases SET flag = '', flagged_on = NULL WHERE (status "
			    "<> '办理中' OR " PERSON_DIED ") AND flag <> '' AND (?1 = 0 OR id = ?1)",
			    "i", id);
	return rc;
}

static int add_step(struct db *db, const struct principal *by, const struct pcase *c,
		    const char *step, const char *day, const char *note)
{
	return db_run(db,
		      "INSERT INTO placement_steps (case_id, region_code, step, on_day, at, by_user, "
		      "by_name, note, created_by) VALUES (?, ?, ?, ?, ?, nullif(?, 0), ?, ?, "
		      "nullif(?, 0))",
		      "isssiissi", c->id, c->region, step, day, clock_now(), by->user_id,
		      by_name(by), note ? note : "", by->user_id);
}

int placement_open(struct db *db, const struct principal *by, const struct placement_new *in,
		   int64_t *id, struct field_errors *fe, char *err, size_t errlen)
{
	if (!perm_allows(by->roles, PERM_PLACEMENT_MANAGE))
		return err_set(err, errlen, VE_DENIED, "您没有办理安置的权限");
	int64_t pid = 0, year = 0;
	char region[16] = "", name[104] = "";
	if (!in->person_id || !*in->person_id ||
	    str_to_i64(in->person_id, strlen(in->person_id), 1, INT64_MAX, &pid) != 0)
		field_errors_add(fe, "人员编号", "请填写登记库中的人员编号（数字）");
	else {
		struct db_stmt *st = db_q(
			db,
			"SELECT region_code, name FROM persons p WHERE id = ? AND " SCOPE_REGION_SQL(
				"p.region_code", "p.created_by"),
			"i" SCOPE_REGION_FMT, pid, SCOPE_REGION_ARGS(&by->scope, by->region_code));
		if (!st)
			return err_set(err, errlen, VE_DB, "读取失败");
		if (db_step(st) == DB_ROW) {
			str_copy(region, db_text(st, 0), sizeof(region));
			str_copy(name, db_text(st, 1), sizeof(name));
		}
		db_done(st);
		if (!region[0])
			field_errors_add(fe, "人员编号",
					 "本辖区的人员登记库中没有编号为 %lld 的人员，请先登记",
					 (long long)pid);
	}
	if (!in_list(in->kind, placement_kinds, PLACEMENT_N_KINDS))
		field_errors_add(fe, "人员类型", "请选择军转干部或退役士兵");
	if (!in->plan_year || str_to_i64(in->plan_year, strlen(in->plan_year), 2000, 2100, &year))
		field_errors_add(fe, "计划年度", "应为 2000 到 2100 之间的年份");
	if (!in_list(in->method, placement_methods, PLACEMENT_N_METHODS))
		field_errors_add(fe, "安置方式", "请从列表中选择安置方式");
	else if (in->kind && strcmp(in->kind, "退役士兵") == 0 &&
		 (strcmp(in->method, "转业") == 0 || strcmp(in->method, "复员") == 0))
		field_errors_add(fe, "安置方式", "转业、复员只适用于军转干部");
	const char *today = clock_today_text();
	if (!date_ok(in->discharged_on))
		field_errors_add(fe, "退役日期", "应为 YYYY-MM-DD 格式的日期");
	else if (strcmp(in->discharged_on, today) > 0)
		field_errors_add(fe, "退役日期", "不能晚于今天");
	if (in->note && utf8_count(in->note, strlen(in->note)) > 500)
		field_errors_add(fe, "说明", "不能超过 500 个字");
	if (fe->n)
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, "输入有误"));
	char report_by[11] = "";
	if (strcmp(in->method, "自主就业") == 0)
		day_add(in->discharged_on, PLACEMENT_REPORT_DAYS, report_by);
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "保存失败");
	int rc = db_run(db,
			"INSERT INTO placement_cases (person_id, region_code, kind, plan_year, method, "
			"discharged_on, status, report_by, note, created_at, created_by) VALUES (?, ?, "
			"?, ?, ?, ?, '办理中', nullif(?, ''), ?, ?, nullif(?, 0)) ON CONFLICT "
			"(person_id) DO NOTHING",
			"ississssii", pid, region, in->kind, year, in->method, in->discharged_on,
			report_by, in->note ? in->note : "", clock_now(), by->user_id);
	if (rc == 0 && db_changes(db) == 0) {
		db_tx_end(db, 0, VE_EXISTS);
		field_errors_add(fe, "人员编号", "%s 已有安置案件", name);
		return err_set(err, errlen, VE_EXISTS, "%s 已有安置案件", name);
	}
	struct pcase c = {0};
	if (rc == 0) {
		c.id = *id = db_last_id(db);
		str_copy(c.region, region, sizeof(c.region));
		char detail[300];
		snprintf(detail, sizeof(detail), "%s（%s，%s，%lld 年计划），退役日期 %s", name,
			 in->kind, in->method, (long long)year, in->discharged_on);
		rc = add_step(db, by, &c, "open", in->discharged_on, detail);
		if (rc == 0)
			rc = account_audit(db, by, "placement.open", "placement", c.id, detail);
		if (rc == 0)
			rc = reflag(db, today, c.id);
	}
	rc = db_tx_end(db, 0, rc);
	return rc ? err_set(err, errlen, VE_DB, "保存失败") : 0;
}

/* The order the dates of a case keep: each pair (earlier, later) when both are set. */
static const int order[][2] = {
	{-1, S_REPORT},    {-1, S_FILES},     {S_FILES, S_REVIEW}, {-1, S_HUKOU},
	{-1, S_CARD},      {S_FILES, S_PLACE}, {S_REPORT, S_PLACE}, {-1, S_MEDICAL},
	{-1, S_SOCIAL},
};

/* Checks case c with step i set to day; an error on the step's date field. */
static int check_order(const struct pcase *c, int i, const char *day, struct field_errors *fe)
{
	const char *d[N_STEPS];
	for (int k = 0; k < N_STEPS; k++)
		d[k] = c->dates[k];
	d[i] = day;
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		int a = order[k][0], b = order[k][1];
		if (a != i && b != i)
			continue;
		const char *da = a < 0 ? c->discharged : d[a];
		const char *ta = a < 0 ? "退役日期" : steps[a].field;
		if (!da[0] || !d[b][0] || strcmp(da, d[b]) <= 0)
			continue;
		if (b == i)
			field_errors_add(fe, steps[i].field, "不能早于%s（%s）", ta, da);
		else
			field_errors_add(fe, steps[i].field, "不能晚于%s（%s）", steps[b].field, d[b]);
		return -1;
	}
	return 0;
}

/* The last month the batches have paid PLACEMENT_WAIT for ("" none) into out[8]. */
static int paid_through(struct db *db, char out[8])
{
	out[0] = 0;
	struct db_stmt *st =
		db_q(db,
		     "SELECT max(through) FROM pay_batches WHERE benefit_code = ? AND status <> "
		     "'已退回'",
		     "s", PLACEMENT_BENEFIT);
	if (!st)
		return VE_DB;
	int r = db_step(st);
	if (r == DB_ROW && !db_is_null(st, 0))
		str_copy(out, db_text(st, 0), 8);
	db_done(st);
	return r == DB_ROW ? 0 : VE_DB;
}

/* 待安置期生活费 from the month of day (the files' reception): an entitlement granted at
 * once (the bureau received the files: no proposal to confirm), of no category (the
 * standard for any category applies), open until placement ends it. Not through
 * entitlement_grant: that one grants by the person's categories, and this benefit
 * belongs to no category (entitlement_propose must never offer it to every veteran). */
static int allowance_start(struct db *db, const struct principal *by, struct pcase *c,
			   const char *day, char *err, size_t errlen)
{
	char month[8], through[8];
	snprintf(month, sizeof(month), "%.7s", day);
	int64_t account = 0;
	int rc = db_int_query(db, &account, 0,
			      "SELECT count(*) FROM persons WHERE id = ? AND account_enc IS NOT NULL "
			      "AND length(account_enc) > 0",
			      "i", c->person_id);
	if (rc || (rc = paid_through(db, through)))
		return err_set(err, errlen, VE_DB, "保存失败");
	if (!account)
		return err_set(err, errlen, VE_CONFLICT,
			       "%s 没有登记银行账号，无法发放待安置期生活费：请先在人员信息中登记银行账号",
			       c->name);
	rc = db_run(db,
		    "INSERT INTO entitlements (person_id, benefit_code, region_code, category, "
		    "start_month, status, status_date, catch_up_from, created_at, created_by, "
		    "confirmed_at, confirmed_by) VALUES (?, ?, ?, '', ?, '正常', ?, CASE WHEN ? <> '' "
		    "AND ? <= ? THEN ? END, ?, nullif(?, 0), ?, nullif(?, 0)) ON CONFLICT "
		    "(person_id, benefit_code) DO NOTHING",
		    "issssssssiiii", c->person_id, PLACEMENT_BENEFIT, c->region, month,
		    clock_today_text(), through, month, through, month, clock_now(), by->user_id,
		    clock_now(), by->user_id);
	if (rc == 0 && db_changes(db) == 0)
		return err_set(err, errlen, VE_CONFLICT, "%s 已有待安置期生活费资格", c->name);
	if (rc)
		return err_set(err, errlen, VE_DB, "保存失败");
	c->entitlement_id = db_last_id(db);
	char detail[200];
	snprintf(detail, sizeof(detail), "%s 待安置期生活费自 %s 起按月发放", c->name, month);
	rc = db_run(db, "UPDATE placement_cases SET entitlement_id = ? WHERE id = ?", "ii",
		    c->entitlement_id, c->id);
	if (rc == 0)
		rc = account_audit(db, by, "placement.allowance", "entitlement", c->entitlement_id,
				   detail);
	return rc ? err_set(err, errlen, VE_DB, "保存失败") : 0;
}

/* A corrected 档案接收 moves the allowance's first month, while no batch has paid it;
 * afterwards a correction into another month is refused (the months paid stand). */
static int allowance_move(struct db *db, const struct principal *by, const struct pcase *c,
			  const char *was, const char *day, char *err, size_t errlen)
{
	if (strncmp(was, day, 7) == 0)
		return 0;
	int64_t lines = 0;
	char through[8], month[8];
	int rc = db_int_query(db, &lines, 0,
			      "SELECT count(*) FROM pay_lines WHERE entitlement_id = ? AND status <> "
			      "'失败'",
			      "i", c->entitlement_id);
	if (rc || (rc = paid_through(db, through)))
		return err_set(err, errlen, VE_DB, "保存失败");
	if (lines)
		return err_set(err, errlen, VE_CONFLICT,
			       "待安置期生活费已按原档案接收日期（%s）发放，不能更正到其他月份", was);
	snprintf(month, sizeof(month), "%.7s", day);
	rc = db_run(db,
		    "UPDATE entitlements SET start_month = ?, catch_up_from = CASE WHEN ? <> '' AND "
		    "? <= ? THEN ? END WHERE id = ? AND (end_month IS NULL OR end_month >= ?)",
		    "sssssis", month, through, month, through, month, c->entitlement_id, month);
	if (rc == 0 && db_changes(db) == 0)
		return err_set(err, errlen, VE_CONFLICT, "待安置期生活费已停发，不能再更正档案接收日期");
	char detail[200];
	snprintf(detail, sizeof(detail), "%s 待安置期生活费起始月份更正为 %s", c->name, month);
	if (rc == 0)
		rc = account_audit(db, by, "placement.allowance", "entitlement", c->entitlement_id,
				   detail);
	return rc ? err_set(err, errlen, VE_DB, "保存失败") : 0;
}

/* The months of entitlement eid that lines pay: *paid the last month in approved batches
 * ("" none), *pending the last month in batches still under review ("" none). */
static int allowance_lines(struct db *db, int64_t eid, char paid[8], char pending[8])
{
	paid[0] = pending[0] = 0;
	struct db_stmt *st = db_q(
		db,
		"SELECT coalesce(max(CASE WHEN b.status = '已审批' THEN l.month END), ''), "
		"coalesce(max(CASE WHEN b.status IN ('待复核', '待审批') THEN l.month END), '') FROM "
		"pay_lines l JOIN pay_batches b ON b.id = l.batch_id WHERE l.entitlement_id = ? AND "
		"l.kind = 'regular' AND l.status <> '失败'",
		"i", eid);
	if (!st)
		return VE_DB;
	int r = db_step(st);
	if (r == DB_ROW) {
		str_copy(paid, db_text(st, 0), 8);
		str_copy(pending, db_text(st, 1), 8);
	}
	db_done(st);
	return r == DB_ROW ? 0 : VE_DB;
}

/* The last month of the allowance for a placement on day into last: the month of
 * placement, or the last month approved batches have paid when that is later (months
 * paid stand). VE_CONFLICT while a batch under review pays months after it: were that
 * batch sent back and generated again, it would pay them anew. */
static int allowance_last(struct db *db, const struct pcase *c, const char *day, char last[8],
			  char *err, size_t errlen)
{
	char paid[8], pending[8];
	if (allowance_lines(db, c->entitlement_id, paid, pending))
		return err_set(err, errlen, VE_DB, "保存失败");
	snprintf(last, 8, "%.7s", day);
	if (strcmp(paid, last) > 0)
		str_copy(last, paid, 8);
	if (strcmp(pending, last) > 0)
		return err_set(err, errlen, VE_CONFLICT,
			       "审核中的待安置期生活费批次含 %s 岗位落实以后的月份（至 %s）：请先退回该批次，再登记岗位落实",
			       c->name, pending);
	return 0;
}

/* Ends the allowance (see allowance_last): the entitlement keeps the months it is owed
 * (a catch-up still pays them) and is 终止 after them. */
static int allowance_end(struct db *db, const struct principal *by, const struct pcase *c,
			 const char *day, char *err, size_t errlen)
{
	char last[8];
	int64_t open = 0;
	if (db_int_query(db, &open, 0,
			 "SELECT count(*) FROM entitlements WHERE id = ? AND status IN ('待确认', "
			 "'正常', '中止')",
			 "i", c->entitlement_id))
		return err_set(err, errlen, VE_DB, "保存失败");
	if (!open)
		return 0;
	int rc = allowance_last(db, c, day, last, err, errlen);
	if (rc)
		return rc;
	rc = db_run(db,
		    "UPDATE entitlements SET status = '终止', end_month = greatest(?, start_month), "
		    "status_date = ?, status_reason = '岗位已落实，待安置期结束' WHERE id = ?",
		    "ssi", last, clock_today_text(), c->entitlement_id);
	char detail[200];
	snprintf(detail, sizeof(detail), "%s 岗位已落实，待安置期生活费发至 %s", c->name, last);
	if (rc == 0)
		rc = account_audit(db, by, "placement.allowance_end", "entitlement", c->entitlement_id,
				   detail);
	return rc ? err_set(err, errlen, VE_DB, "保存失败") : 0;
}

/* A corrected 岗位落实 moves the end of an allowance it ended, as allowance_last says
 * (months paid stand). Months added after the batches' last month are caught up by the next batch. */
static int allowance_reend(struct db *db, const struct principal *by, const struct pcase *c,
			   const char *day, char *err, size_t errlen)
{
	char old_end[8] = "", last[8], through[8];
	struct db_stmt *st = db_q(db,
				  "SELECT coalesce(end_month, '') FROM entitlements WHERE id = ? AND "
				  "status = '终止' AND status_reason = '岗位已落实，待安置期结束'",
				  "i", c->entitlement_id);
	if (!st)
		return err_set(err, errlen, VE_DB, "保存失败");
	int r = db_step(st), ended = r == DB_ROW;
	if (ended)
		str_copy(old_end, db_text(st, 0), sizeof(old_end));
	db_done(st);
	if (r != DB_ROW && r != DB_DONE)
		return err_set(err, errlen, VE_DB, "保存失败");
	if (!ended)
		return 0;
	int rc = allowance_last(db, c, day, last, err, errlen);
	if (rc)
		return rc;
	if (strcmp(last, old_end) == 0)
		return 0;
	if (paid_through(db, through))
		return err_set(err, errlen, VE_DB, "保存失败");
	rc = db_run(db,
		    "UPDATE entitlements SET end_month = greatest(?1, start_month), catch_up_from = "
		    "CASE WHEN ?1 > ?2 AND ?2 < ?3 AND catch_up_from IS NULL THEN month_add(?2, 1) "
		    "ELSE catch_up_from END WHERE id = ?4",
		    "sssi", last, old_end, through, c->entitlement_id);
	char detail[240];
	snprintf(detail, sizeof(detail), "%s 岗位落实日期更正，待安置期生活费发至 %s（原至 %s）",
		 c->name, last, old_end);
	if (rc == 0)
		rc = account_audit(db, by, "placement.allowance_end", "entitlement", c->entitlement_id,
				   detail);
	return rc ? err_set(err, errlen, VE_DB, "保存失败") : 0;
}

static int act(struct db *db, const struct principal *by, struct pcase *c, int i,
	       const struct placement_step *s, struct field_errors *fe, char *err, size_t errlen)
{
	const char *today = clock_today_text();
	const char *day = s->on && *s->on ? s->on : today;
	int arranged = placement_method_arranged(c->method);
	if (strcmp(c->status, "已失权") == 0)
		return err_set(err, errlen, VE_CONFLICT,
			       "未在退役后 %d 日内报到，自主就业的权利已于 %s 终止", PLACEMENT_REPORT_DAYS,
			       c->lapsed);
	if (!date_ok(day))
		field_errors_add(fe, steps[i].field, "应为 YYYY-MM-DD 格式的日期");
	else if (strcmp(day, today) > 0)
		field_errors_add(fe, steps[i].field, "不能晚于今天");
	else if (check_order(c, i, day, fe) == 0 && i == S_REPORT && c->report_by[0] &&
		 strcmp(day, c->report_by) > 0)
		field_errors_add(fe, steps[i].field,
				 "超过报到期限 %s（自主就业应在退役后 %d 日内报到）", c->report_by,
				 PLACEMENT_REPORT_DAYS);
	const char *employer = s->employer ? s->employer : "";
	if (i == S_PLACE && arranged && !*employer)
		field_errors_add(fe, "接收单位", "安排工作应填写接收单位");
	if (utf8_count(employer, strlen(employer)) > 100)
		field_errors_add(fe, "接收单位", "不能超过 100 个字");
	if (s->note && utf8_count(s->note, strlen(s->note)) > 500)
		field_errors_add(fe, "说明", "不能超过 500 个字");
	if (fe->n)
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, "输入有误"));
	if (i == S_REVIEW && !c->dates[S_FILES][0])
		return err_set(err, errlen, VE_CONFLICT, "请先登记档案接收");
	if (i == S_PLACE && arranged && !c->dates[S_FILES][0])
		return err_set(err, errlen, VE_CONFLICT, "请先登记档案接收，再落实岗位");
	if (i == S_PLACE && strcmp(c->method, "自主就业") == 0 && !c->dates[S_REPORT][0])
		return err_set(err, errlen, VE_CONFLICT, "自主就业须先报到");
	int first_files = i == S_FILES && arranged && !c->dates[S_FILES][0] &&
			  !c->dates[S_PLACE][0] && !c->entitlement_id;
	if (first_files && !account_district_wide(by))
		return err_set(err, errlen, VE_CONFLICT,
			       "安排工作人员的档案由区局接收并核定待安置期生活费，服务站不能登记");
	int correcting = c->dates[i][0] != 0;
	/* The allowance's months are the bureau's to set: a station that may not receive the
	 * files may not move them, nor the placement that ends it, into another month. */
	if (correcting && c->entitlement_id && (i == S_FILES || i == S_PLACE) &&
	    strncmp(c->dates[i], day, 7) != 0 && !account_district_wide(by))
		return err_set(err, errlen, VE_CONFLICT,
			       "待安置期生活费的发放月份由区局核定，服务站不能把%s更正到其他月份",
			       steps[i].field);
	char was[11];
	str_copy(was, c->dates[i], sizeof(was));
	str_copy(c->dates[i], day, sizeof(c->dates[i]));
	char place_by[11] = "";
	if (arranged && c->dates[S_FILES][0])
		placement_month_add(c->dates[S_FILES], PLACEMENT_PLACE_MONTHS, place_by);
	const char *status = c->dates[S_PLACE][0] ? "已安置" : "办理中";
	int rc = db_run(
		db,
		"UPDATE placement_cases SET reported_on = nullif(?, ''), files_received_on = "
		"nullif(?, ''), files_reviewed_on = nullif(?, ''), hukou_letter_on = nullif(?, ''), "
		"card_on = nullif(?, ''), placed_on = nullif(?, ''), medical_on = nullif(?, ''), "
		"social_on = nullif(?, ''), place_by = nullif(?, ''), status = ?, employer = CASE "
		"WHEN ? = 1 THEN ? ELSE employer END WHERE id = ?",
		"ssssssssssisi", c->dates[0], c->dates[1], c->dates[2], c->dates[3], c->dates[4],
		c->dates[5], c->dates[6], c->dates[7], place_by, status, (int64_t)(i == S_PLACE),
		employer, c->id);
	char note[800] = "";
	if (i == S_PLACE && *employer)
		snprintf(note, sizeof(note), "接收单位：%s", employer);
	if (s->note && *s->note) {
		size_t n = strlen(note);
		snprintf(note + n, sizeof(note) - n, "%s%s", n ? "；" : "", s->note);
	}
	if (correcting) {
		size_t n = strlen(note);
		snprintf(note + n, sizeof(note) - n, "%s更正：原日期 %s", n ? "；" : "", was);
		n = strlen(note);
		if (i == S_PLACE && strcmp(c->employer, employer) != 0)
			snprintf(note + n, sizeof(note) - n, "，原接收单位 %s",
				 c->employer[0] ? c->employer : "（无）");
	}
	utf8_scrub(note);
	if (rc == 0)
		rc = add_step(db, by, c, steps[i].code, day, note);
	char detail[1000];
	snprintf(detail, sizeof(detail), "%s %s：%s%s%s", c->name, steps[i].title, day,
		 note[0] ? "，" : "", note);
	utf8_scrub(detail);
	if (rc == 0)
		rc = account_audit(db, by, correcting ? "placement.correct" : "placement.step",
				   "placement", c->id, detail);
	if (rc)
		return err_set(err, errlen, VE_DB, "保存失败");
	if (first_files && (rc = allowance_start(db, by, c, day, err, errlen)))
		return rc;
	if (i == S_FILES && correcting && c->entitlement_id &&
	    (rc = allowance_move(db, by, c, was, day, err, errlen)))
		return rc;
	if (i == S_PLACE && c->entitlement_id &&
	    (rc = correcting ? allowance_reend(db, by, c, day, err, errlen)
			     : allowance_end(db, by, c, day, err, errlen)))
		return rc;
	if ((rc = reflag(db, today, c->id)))
		return err_set(err, errlen, VE_DB, "保存失败");
	return 0;
}

int placement_act(struct db *db, const struct principal *by, int64_t id,
		  const struct placement_step *s, struct field_errors *fe, char *err,
		  size_t errlen)
{
	if (!perm_allows(by->roles, PERM_PLACEMENT_MANAGE))
		return err_set(err, errlen, VE_DENIED, "您没有办理安置的权限");
	int i = -1;
	for (int k = 0; s->step && k < N_STEPS; k++)
		if (strcmp(s->step, steps[k].code) == 0)
			i = k;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "保存失败");
	struct pcase c;
	int rc = load(db, by, id, &c);
	if (rc == VE_NOTFOUND)
		err_set(err, errlen, rc, "安置案件不存在");
	else if (rc)
		err_set(err, errlen, rc, "读取失败");
	else if (i < 0) {
		field_errors_add(fe, "步骤", "请选择要登记的步骤");
		rc = err_set(err, errlen, VE_INVALID, "请选择要登记的步骤");
	} else
		rc = act(db, by, &c, i, s, fe, err, errlen);
	return db_tx_end(db, 0, rc);
}

/* ---- reading ---- */

static json_t *text_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

int placement_get(struct db *db, const struct principal *by, int64_t id, json_t **out)
{
	struct pcase c;
	int rc = load(db, by, id, &c);
	if (rc)
		return rc;
	json_t *dates = json_object();
	for (int i = 0; i < N_STEPS; i++)
		json_object_set_new(dates, steps[i].code, text_or_null(c.dates[i]));
	json_t *o = json_pack(
		"{s:I,s:I,s:s,s:s,s:s,s:s,s:I,s:s,s:b,s:s,s:s,s:o,s:o,s:s,s:s,s:s,s:o}", "id",
		(json_int_t)c.id, "person_id", (json_int_t)c.person_id, "name", c.name, "id_mask",
		c.id_mask, "region_code", c.region, "kind", c.kind, "plan_year",
		(json_int_t)c.plan_year, "method", c.method, "arranged",
		placement_method_arranged(c.method), "discharged_on", c.discharged, "status",
		c.status, "report_by", text_or_null(c.report_by), "place_by",
		text_or_null(c.place_by), "flag", c.flag, "employer", c.employer, "note", c.note,
		"lapsed_on", text_or_null(c.lapsed));
	json_object_set_new(o, "entitlement_id",
			    c.entitlement_id ? json_integer(c.entitlement_id) : json_null());
	json_object_set_new(o, "dates", dates);
	json_t *form = json_array();
	for (int i = 0; i < N_STEPS; i++)
		json_array_append_new(form, json_pack("{s:s,s:s,s:s,s:o}", "code", steps[i].code,
						      "title", steps[i].title, "field", steps[i].field,
						      "on", text_or_null(c.dates[i])));
	json_object_set_new(o, "step_forms", form);
	struct db_stmt *st = db_q(db,
				  "SELECT step, on_day, by_name, note, at FROM placement_steps WHERE "
				  "case_id = ? ORDER BY id",
				  "i", id);
	if (!st) {
		json_decref(o);
		return VE_DB;
	}
	json_t *a = json_array();
	int r;
	while ((r = db_step(st)) == DB_ROW) {
		const char *step = db_text(st, 0);
		char at[17];
		clock_local_minute(db_int(st, 4), at);
		json_array_append_new(
			a, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "step", step, "title",
				     strcmp(step, "open") == 0 ? "建立案件" : placement_step_title(step),
				     "on_day", db_text(st, 1), "by_name", db_text(st, 2), "note",
				     db_text(st, 3), "at", at));
	}
	db_done(st);
	json_object_set_new(o, "steps", a);
	if (r != DB_DONE) {
		json_decref(o);
		return VE_DB;
	}
	*out = o;
	return 0;
}

#define LIST_WHERE                                                                                 \
	" FROM placement_cases c JOIN persons p ON p.id = c.person_id WHERE " SCOPE_REGION_SQL(   \
		"c.region_code", "c.created_by") " AND (? = '' OR c.status = ?) AND (? = '' OR "   \
						 "c.kind = ?) AND (? = 0 OR c.flag <> '') AND (? = "  \
						 "0 OR c.plan_year = ?)"
#define LIST_FMT SCOPE_REGION_FMT "ssssiii"
#define LIST_ARGS(f)                                                                               \
	SCOPE_REGION_ARGS(&by->scope, by->region_code), status, status, kind, kind,                \
		(int64_t)(f)->flagged, (int64_t)(f)->year, (int64_t)(f)->year

int placement_list(struct db *db, const struct principal *by, const struct placement_filter *f,
		   json_t **out)
{
	const char *status = f->status ? f->status : "", *kind = f->kind ? f->kind : "";
	int64_t per = f->per_page > 0 ? f->per_page : 20, page = f->page > 0 ? f->page : 1;
	int64_t total = 0;
	if (db_int_query(db, &total, 0, "SELECT count(*)" LIST_WHERE, LIST_FMT, LIST_ARGS(f)))
		return VE_DB;
	struct db_stmt *st = db_q(
		db,
		"SELECT c.id, c.person_id, p.name, c.kind, c.plan_year, c.method, c.discharged_on, "
		"c.status, c.flag, coalesce(c.report_by, ''), coalesce(c.place_by, ''), "
		"coalesce(c.placed_on, '')" LIST_WHERE " ORDER BY c.id DESC LIMIT ? OFFSET ?",
		LIST_FMT "ii", LIST_ARGS(f), per, (page - 1) * per);
	if (!st)
		return VE_DB;
	json_t *a = json_array();
	int r;
	while ((r = db_step(st)) == DB_ROW)
		json_array_append_new(
			a, json_pack("{s:I,s:I,s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:o}", "id",
				     (json_int_t)db_int(st, 0), "person_id", (json_int_t)db_int(st, 1),
				     "name", db_text(st, 2), "kind", db_text(st, 3), "plan_year",
				     (json_int_t)db_int(st, 4), "method", db_text(st, 5),
				     "discharged_on", db_text(st, 6), "status", db_text(st, 7), "flag",
				     db_text(st, 8), "report_by", text_or_null(db_text(st, 9)),
				     "place_by", text_or_null(db_text(st, 10)), "placed_on",
				     text_or_null(db_text(st, 11))));
	db_done(st);
	if (r != DB_DONE) {
		json_decref(a);
		return VE_DB;
	}
	*out = json_pack("{s:I,s:o}", "total", (json_int_t)total, "items", a);
	return 0;
}

/* ---- the daily job ---- */

int placement_deadlines(struct db *db, const struct principal *by, const char *day, int in_tx,
			int64_t *lapsed, int64_t *flagged)
{
	*lapsed = *flagged = 0;
	if (db_tx_begin(db, in_tx))
		return VE_DB;
	int64_t ids[256];
	size_t n;
	int rc = 0;
	do { /* the lapsed, 256 at a time: each is written after the read has ended */
		n = 0;
		struct db_stmt *st = db_q(db,
					  "SELECT id FROM placement_cases WHERE status = '办理中' AND "
					  "method = '自主就业' AND reported_on IS NULL AND report_by < ? "
					  "AND NOT " PERSON_DIED " ORDER BY id LIMIT 256",
					  "s", day);
		int r = st ? DB_ROW : VE_DB;
		while (st && (r = db_step(st)) == DB_ROW)
			ids[n++] = db_int(st, 0);
		db_done(st);
		if (r != DB_DONE) {
			rc = VE_DB;
			break;
		}
		for (size_t i = 0; i < n && !rc; i++) {
			struct pcase c;
			if ((rc = load(db, by, ids[i], &c)))
				break;
			char closed[11];
			day_add(c.report_by, 1, closed);
			rc = db_run(db,
				    "UPDATE placement_cases SET status = '已失权', lapsed_on = ?, flag "
				    "= '', flagged_on = NULL WHERE id = ?",
				    "si", closed, c.id);
			char note[200];
			snprintf(note, sizeof(note), "报到期限 %s 已过，未报到", c.report_by);
			if (rc == 0)
				rc = add_step(db, by, &c, "lapse", closed, note);
			char detail[400];
			snprintf(detail, sizeof(detail), "%s：%s，自主就业权利终止", c.name, note);
			if (rc == 0)
				rc = account_audit(db, by, "placement.lapse", "placement", c.id,
						   detail);
			(*lapsed)++;
		}
	} while (!rc && n == 256);
	if (!rc)
		rc = reflag(db, day, 0);
	if (!rc)
		rc = db_int_query(db, flagged, 0,
				  "SELECT count(*) FROM placement_cases WHERE flag <> ''", "");
	return db_tx_end(db, in_tx, rc);
}

static int run_deadlines(struct db *db, const struct job_run *run, int64_t *count, char *detail,
			 size_t detail_size)
{
	char day[11];
	if (clock_date_text(run->scheduled_for, day) != 0)
		return err_set(detail, detail_size, VE_INVALID, "时间无效");
	int64_t lapsed, flagged;
	int rc = placement_deadlines(db, run->by, day, 1, &lapsed, &flagged);
	if (rc)
		return err_set(detail, detail_size, rc, "检查安置期限失败");
	*count = lapsed;
	snprintf(detail, detail_size,
		 "截至 %s：%lld 件自主就业逾期未报到而失权，%lld 件临期或超期", day,
		 (long long)lapsed, (long long)flagged);
	return 0;
}

const struct job placement_deadline_job = {
	.name = "placement.deadlines",
	.title = "安置期限检查（报到逾期失权、岗位落实临期与超期）",
	.schedule = {.hour = 0, .minute = 40},
	.run = run_deadlines,
};

/* ---- the year's figures ---- */

#define PLAN_ROWS(col)                                                                             \
	"SELECT p.year AS year, p." col " AS planned, p.note AS note FROM k CROSS JOIN "          \
	"placement_plans p WHERE p.year = k.year AND " FIGURE_SCOPE("p.region_code", "p.created_by")
#define PLACED_ROWS(kind)                                                                          \
	"SELECT c.id AS case_id, c.person_id AS person_id, pe.name AS name, c.method AS method, "  \
	"c.plan_year AS plan_year, c.placed_on AS placed_on, c.employer AS employer FROM "         \
	"k CROSS JOIN placement_cases c JOIN persons pe ON pe.id = c.person_id WHERE c.kind = '"   \
	kind "' AND c.status = '已安置' AND c.placed_on >= k.ys AND c.placed_on <= k.ye AND "     \
	FIGURE_SCOPE("c.region_code", "c.created_by")
#define PLACED_COLUMNS                                                                             \
	"case_id:案件编号,person_id:人员编号,name:姓名,method:安置方式,plan_year:计划年度,"       \
	"placed_on:安置落实日期,employer:接收单位"

static const struct figure figures[] = {
	FIGURE_SUM("officers_planned", "军转干部计划", "人",
		   "市下达本区的当年军转干部安置计划人数（安置计划中该年度的军转干部数）",
		   PLAN_ROWS("officers"), "year", "year:年度,planned:计划人数,note:说明", "planned"),
	FIGURE_ROWS("officers_placed", "军转干部已安置", "人",
		    "人员类型为军转干部、状态为已安置、安置落实（岗位落实）日期在当年内的案件数，每人一件",
		    PLACED_ROWS("军转干部"), "placed_on, case_id", PLACED_COLUMNS),
	FIGURE_SUM("soldiers_planned", "退役士兵计划", "人",
		   "市下达本区的当年退役士兵安置计划人数（安置计划中该年度的退役士兵数）",
		   PLAN_ROWS("soldiers"), "year", "year:年度,planned:计划人数,note:说明", "planned"),
	FIGURE_ROWS("soldiers_placed", "退役士兵已安置", "人",
		    "人员类型为退役士兵、状态为已安置、安置落实（岗位落实）日期在当年内的案件数，每人一件",
		    PLACED_ROWS("退役士兵"), "placed_on, case_id", PLACED_COLUMNS),
	FIGURE_ROWS(
		"medical_insurance_continued", "医保已接续", "人",
		"医保接续日期在当年内的安置案件数（军转干部和退役士兵，每人一件）",
		"SELECT c.id AS case_id, c.person_id AS person_id, pe.name AS name, c.kind AS kind, "
		"c.medical_on AS medical_on FROM k CROSS JOIN placement_cases c JOIN persons pe ON "
		"pe.id = c.person_id WHERE c.medical_on >= k.ys AND c.medical_on <= k.ye AND " FIGURE_SCOPE(
			"c.region_code", "c.created_by"),
		"medical_on, case_id",
		"case_id:案件编号,person_id:人员编号,name:姓名,kind:人员类型,medical_on:医保接续日期"),
	FIGURE_ROWS(
		"living_allowance_persons", "领取待安置期生活费", "人",
		"当年有月份的待安置期生活费列入已审批发放批次（未发放失败）的人数，每人计一次",
		"SELECT l.person_id AS person_id, pe.name AS name, min(l.month) AS first_month, "
		"max(l.month) AS last_month, count(*) AS months, sum(l.amount_fen) AS amount_fen FROM "
		"pay_lines l JOIN pay_batches b ON b.id = l.batch_id JOIN persons pe ON pe.id = "
		"l.person_id CROSS JOIN k WHERE l.benefit_code = 'PLACEMENT_WAIT' AND l.kind = "
		"'regular' AND l.status <> '失败' AND b.status = '已审批' AND l.month >= "
		"substr(k.ys, 1, 7) AND l.month <= substr(k.ye, 1, 7) AND " FIGURE_SCOPE(
			"l.region_code", "pe.created_by") " GROUP BY l.person_id, pe.name",
		"person_id",
		"person_id:人员编号,name:姓名,first_month:起始月份,last_month:截止月份,months:月数,"
		"amount_fen:金额（分）"),
	{0},
};

/* ---- the area ---- */

const struct perm perm_placement_read = {"placement.read", "查看安置", ROLE_BUSINESS};
const struct perm perm_placement_manage = {"placement.manage", "办理安置案件",
					   ROLE_BIT(CLERK) | ROLE_BIT(STATION)};
const struct perm perm_placement_plan = {"placement.plan", "录入安置计划", ROLE_BIT(CLERK)};

const struct figure_set placement_figures = {
	.area = "placement",
	.title = "安置",
	.perm = PERM_PLACEMENT_READ,
	.figures = figures,
	.rates = NULL,
	.paragraph = "严格落实军队转业干部和退役士兵安置政策，坚持阳光安置，安置计划、岗位和结果依规公示。"
		     "全年安置军队转业干部 {officers_placed} 人、退役士兵 {soldiers_placed} 人，为 "
		     "{medical_insurance_continued} 名退役军人办理医疗保险关系接续，确保退役军人"
		     "移交安置、保险接续无缝衔接。",
};

static const struct perm *const perms[] = {PERM_PLACEMENT_READ, PERM_PLACEMENT_MANAGE,
					   PERM_PLACEMENT_PLAN, NULL};
static const struct audit_title audit_titles[] = {
	{"placement.plan", "录入安置计划"},  {"placement.open", "建立安置案件"},
	{"placement.step", "登记安置步骤"},  {"placement.correct", "更正安置步骤日期"},
	{"placement.lapse", "自主就业逾期失权"}, {"placement.allowance", "核定待安置期生活费"},
	{"placement.allowance_end", "停发待安置期生活费"},
	{NULL, NULL},
};
static const struct job *const jobs[] = {&placement_deadline_job, NULL};

/* The cases flagged by the daily job (报到, 岗位落实 临期 or 超期) for one who handles them, in
 * his scope, counted by the list's own condition, each flag's number in the note. */
static int placement_todos(struct db *db, const struct principal *by, json_t *list)
{
	if (!perm_allows(by->roles, PERM_PLACEMENT_MANAGE))
		return 0;
	const char *status = "", *kind = "";
	struct placement_filter f = {.flagged = 1};
	struct db_stmt *st = db_q(db, "SELECT c.flag, count(*)" LIST_WHERE " GROUP BY c.flag ORDER BY c.flag",
				  LIST_FMT, LIST_ARGS(&f));
	if (!st)
		return VE_DB;
	int64_t n = 0;
	int late = 0, r;
	struct buf note;
	buf_init(&note, 128);
	while ((r = db_step(st)) == DB_ROW) {
		buf_printf(&note, "%s%s %lld 件", n ? "，" : "", db_text(st, 0),
			   (long long)db_int(st, 1));
		n += db_int(st, 1);
		late |= strstr(db_text(st, 0), "超期") != NULL;
	}
	db_done(st);
	if (r == DB_DONE && n > 0)
		json_array_append_new(list, json_pack("{s:s,s:I,s:s,s:s,s:b}", "title",
						      "安置报到、岗位落实临期或超期", "count",
						      (json_int_t)n, "href", "/placement?flagged=1",
						      "note", buf_cstr(&note), "urgent", late));
	buf_free(&note);
	return r == DB_DONE ? 0 : VE_DB;
}

const struct area placement_area = {
	.todos = placement_todos,
	.name = "placement",
	.perms = perms,
	.audit_titles = audit_titles,
	.jobs = jobs,
	.figures = &placement_figures,
};
