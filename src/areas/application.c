/* application.c - the counter: receiving an application (受理 or 容缺受理), the tracking
 * code, and the vocabularies. Steps, reading and the job are in application_steps.c and
 * application_read.c. */
#include "application.h"
#include "application_impl.h"
#include <stdio.h>
#include <string.h>
#include "areas/calendar.h"
#include "areas/discredit.h"
#include "areas/job.h"
#include "areas/outbox.h"
#include "areas/person.h"
#include "areas/sealed.h"
#include "areas/service.h"
#include "areas/settings.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/err.h"
#include "lib/idcard.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/utf8.h"

const char *const application_statuses[APP_N_STATUSES] = {APP_ACCEPTED, APP_PARTIAL, APP_CORRECTING,
							  APP_CLOSED,   APP_REFUSED, APP_RETURNED,
							  APP_ENDED};

int application_status_open(const char *status)
{
	return status && (strcmp(status, APP_ACCEPTED) == 0 || strcmp(status, APP_PARTIAL) == 0 ||
			  strcmp(status, APP_CORRECTING) == 0);
}

static const char *const step_names[STEP__COUNT] = {"correct", "resume", "supply",
						    "close",   "refuse", "return"};
static const char *const step_titles[STEP__COUNT] = {"补正", "补正完成", "补齐",
						     "办结", "不予受理", "退回"};

const char *application_step_name(enum application_step_kind k)
{
	return k < STEP__COUNT ? step_names[k] : "";
}

const char *application_step_title(enum application_step_kind k)
{
	return k < STEP__COUNT ? step_titles[k] : "";
}

int application_step_parse(const char *name)
{
	for (int i = 0; name && i < STEP__COUNT; i++)
		if (strcmp(name, step_names[i]) == 0)
			return i;
	return -1;
}

const char *const application_queues[APP_N_QUEUES] = {"mine", "office", "overdue", "near", "all"};

const char *application_queue_title(const char *queue)
{
	static const char *const titles[APP_N_QUEUES] = {"我受理的", "本窗口（部门）", "已逾期",
							 "临近期限", "全部"};
	for (int i = 0; queue && i < APP_N_QUEUES; i++)
		if (strcmp(queue, application_queues[i]) == 0)
			return titles[i];
	return titles[1];
}

/* ---- shared helpers (application_impl.h) ---- */

_Thread_local int app_quiet;

const char *app_signer(const struct principal *by)
{
	return by->display_name[0] ? by->display_name : by->username;
}

int app_tx_end(struct db *db, int rc, char *err, size_t errlen)
{
	int ended = db_tx_end(db, 0, rc);
	return ended && !rc ? err_set(err, errlen, VE_DB, "保存失败，请稍后再试") : ended;
}

int app_add_step(struct db *db, int64_t id, const char *step, const char *day,
		 const struct principal *by, const char *note)
{
	return db_run(
		db,
		"INSERT INTO application_steps (application_id, region_code, step, on_day, at, "
		"by_user, by_name, note) SELECT id, region_code, ?, ?, ?, nullif(?, 0), ?, ? "
		"FROM applications WHERE id = ?",
		"ssiissi", step, day, clock_now(), by->user_id, app_signer(by), note ? note : "",
		id);
}

/* s (room for 3 more bytes) cut to at most max characters, the last of them "…" when it
 * was longer: a message must fit the outbox's length. */
static void cut_text(char *s, size_t max)
{
	size_t chars = 0, mark = 0;
	for (size_t i = 0; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue;
		if (chars + 1 == max)
			mark = i;
		if (++chars > max) {
			memcpy(s + mark, "…", sizeof("…"));
			return;
		}
	}
}

int app_message(struct db *db, int64_t id, const char *code, const char *item, const char *what)
{
	char bureau[128] = "", text[1600];
	if (settings_get(db, "bureau.name", bureau, sizeof(bureau)) != 0 || !*bureau)
		str_copy(bureau, "区退役军人事务局", sizeof(bureau));
	char cut[1200];
	str_copy(cut, what, sizeof(cut));
	snprintf(text, sizeof(text), "【%s】您申请的“%s”（查询码 %s）。可凭查询码查询办理进度。",
		 bureau, item, code);
	size_t fixed = utf8_count(text, strlen(text));
	cut_text(cut, fixed < OUTBOX_TEXT_MAX ? OUTBOX_TEXT_MAX - fixed : 1);
	snprintf(text, sizeof(text), "【%s】您申请的“%s”（查询码 %s）%s。可凭查询码查询办理进度。",
		 bureau, item, code, cut);
	return application_notify(db, id, text);
}

int application_notify(struct db *db, int64_t id, const char *text)
{
	struct db_stmt *st =
		db_q(db, "SELECT region_code, phone_enc FROM applications WHERE id = ?", "i", id);
	if (!st)
		return VE_DB;
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return VE_NOTFOUND;
	}
	size_t len = 0;
	const void *blob = db_blob(st, 1, &len);
	int rc = outbox_queue_sealed(db, db_text(st, 0), "application", id, APP_PHONE_COLUMN, blob,
				     len, text);
	db_done(st);
	return rc;
}

/* ---- assessing the materials ---- */

struct assessment {
	struct service_item item;
	int handed[SERVICE_MAX_MATERIALS];
	int n_missing, n_essential_missing;
	char missing[600], essential_missing[600]; /* names joined by "、" */
	char due[11], supply_by[11];
	int weekends_only;
};

/* Appends name to the list (separated by "、") when it fits whole; else ends it with "等". */
static void join(char *list, size_t size, const char *name)
{
	size_t n = strlen(list), sep = n ? strlen("、") : 0;
	size_t etc = strlen("等");
	if (n + sep + strlen(name) + etc < size)
		snprintf(list + n, size - n, "%s%s", n ? "、" : "", name);
	else if (n + etc < size && (n < etc || strcmp(list + n - etc, "等") != 0))
		memcpy(list + n, "等", etc + 1);
}

/* The item's materials against those handed in (an unknown name is an error on 材料). */
static int assess(struct db *db, const struct application_input *in, struct assessment *a,
		  struct field_errors *fe)
{
	memset(a, 0, sizeof(*a));
	if (!in->service || !*in->service) {
		field_errors_add(fe, "事项", "请选择办理的事项");
		return VE_INVALID;
	}
	int rc = service_item_get(db, in->service, 0, &a->item);
	if (rc == VE_NOTFOUND) {
		field_errors_add(fe, "事项", "没有编码为“%.40s”的事项", in->service);
		return VE_NOTFOUND;
	}
	if (rc)
		return rc;
	for (size_t i = 0; i < in->n_materials; i++) {
		size_t k = 0;
		while (k < a->item.n_materials &&
		       strcmp(a->item.materials[k].name, in->materials[i]))
			k++;
		if (k == a->item.n_materials)
			field_errors_add(fe, "材料", "“%.60s”不是该事项所需的材料",
					 in->materials[i]);
		else
			a->handed[k] = 1;
	}
	for (size_t k = 0; k < a->item.n_materials; k++) {
		if (a->handed[k])
			continue;
		const struct service_material *m = &a->item.materials[k];
		if (m->essential) {
			a->n_essential_missing++;
			join(a->essential_missing, sizeof(a->essential_missing), m->name);
		} else {
			a->n_missing++;
			join(a->missing, sizeof(a->missing), m->name);
		}
	}
	return 0;
}

/* The due day from today, and the default supply_by (or the one asked, checked into fe). */
static int deadlines(struct db *db, const char *today, const char *asked, struct assessment *a,
		     struct field_errors *fe)
{
	int rc = calendar_due(db, today, a->item.time_limit_days, a->due, &a->weekends_only);
	if (rc)
		return rc;
	if (!a->n_missing)
		return 0;
	int n = a->item.time_limit_days < APP_SUPPLY_DAYS ? a->item.time_limit_days
							  : APP_SUPPLY_DAYS;
	rc = calendar_due(db, today, n, a->supply_by, NULL);
	if (rc)
		return rc;
	if (asked && *asked) {
		int64_t t;
		if (strlen(asked) != 10 || clock_parse_date(asked, &t) != 0)
			field_errors_add(fe, "补齐期限", "日期应为 YYYY-MM-DD");
		else if (strcmp(asked, today) < 0)
			field_errors_add(fe, "补齐期限", "补齐期限不能早于今天");
		else if (strcmp(asked, a->due) > 0)
			field_errors_add(fe, "补齐期限", "补齐期限不能晚于办结期限 %s", a->due);
		else
			str_copy(a->supply_by, asked, sizeof(a->supply_by));
	}
	if (strcmp(a->supply_by, a->due) > 0)
		str_copy(a->supply_by, a->due, sizeof(a->supply_by));
	return 0;
}

static json_t *names_json(const char *joined)
{
	json_t *list = json_array();
	const char *p = joined, *sep = "、";
	while (p && *p) {
		const char *e = strstr(p, sep);
		size_t n = e ? (size_t)(e - p) : strlen(p);
		json_array_append_new(list, json_stringn(p, n));
		p = e ? e + strlen(sep) : NULL;
	}
	return list;
}

int application_assess(struct db *db, const struct application_input *in, json_t **out)
{
	struct assessment a;
	struct field_errors fe = {0};
	int rc = assess(db, in, &a, &fe);
	if (rc)
		return rc;
	const char *today = clock_today_text();
	char day[11];
	str_copy(day, today, sizeof(day));
	rc = deadlines(db, day, NULL, &a, &fe);
	if (rc)
		return rc;
	json_t *mats = json_array();
	for (size_t k = 0; k < a.item.n_materials; k++)
		json_array_append_new(mats,
				      json_pack("{s:s,s:b,s:b}", "name", a.item.materials[k].name,
						"essential", a.item.materials[k].essential,
						"handed_in", a.handed[k]));
	const char *status = a.n_essential_missing ? "" : a.n_missing ? APP_PARTIAL : APP_ACCEPTED;
	*out = json_pack("{s:s,s:s,s:i,s:o,s:s,s:o,s:o,s:s,s:b}", "service", a.item.code,
			 "item_name", a.item.name, "time_limit_days", a.item.time_limit_days,
			 "materials", mats, "status", status, "missing", names_json(a.missing),
			 "essential_missing", names_json(a.essential_missing), "due", a.due,
			 "weekends_only", a.weekends_only);
	json_object_set_new(*out, "supply_by",
			    a.n_missing ? json_string(a.supply_by) : json_null());
	return 0;
}

/* ---- receiving ---- */

struct applicant {
	char name[160], id_number[24], phone[32];
};

static void check_applicant(const struct application_input *in, struct applicant *p,
			    struct field_errors *fe)
{
	str_copy(p->name, in->name ? in->name : "", sizeof(p->name));
	str_tidy(p->name, STR_TIDY_COLLAPSE);
	size_t n = utf8_count(p->name, strlen(p->name));
	if (n == 0)
		field_errors_add(fe, "姓名", "请填写申请人姓名");
	else if (n > 50 || !str_is_printable(p->name, strlen(p->name), 0))
		field_errors_add(fe, "姓名", "姓名最多 50 个字，不能含控制字符");
	str_copy(p->id_number, in->id_number ? in->id_number : "", sizeof(p->id_number));
	str_tidy(p->id_number, STR_TIDY_REMOVE);
	struct idcard card;
	char why[160];
	const char *today = clock_today_text();
	int ymd = (int)strtol(today, NULL, 10) * 10000 + (int)strtol(today + 5, NULL, 10) * 100 +
		  (int)strtol(today + 8, NULL, 10);
	if (!*p->id_number)
		field_errors_add(fe, "身份证号", "请填写申请人身份证号");
	else if (strlen(in->id_number) > 40 ||
		 idcard_parse(p->id_number, ymd, &card, why, sizeof(why)) != 0)
		field_errors_add(fe, "身份证号", "%s",
				 strlen(in->id_number) > 40 ? "身份证号过长" : why);
	else
		str_copy(p->id_number, card.number, sizeof(p->id_number));
	str_copy(p->phone, in->phone ? in->phone : "", sizeof(p->phone));
	str_tidy(p->phone, STR_TIDY_REMOVE);
	if (!*p->phone)
		field_errors_add(fe, "手机号", "请填写联系电话，办理进度将以短信告知");
	else if (strlen(in->phone) > 30 || !person_phone_valid(p->phone))
		field_errors_add(fe, "手机号", "应为 11 位手机号或带区号的固定电话");
}

/* The organisation and place a principal receives for: its own, or the bureau's (the
 * command line and the job have none). */
static int receiving_office(struct db *db, const struct principal *by, int64_t *org,
			    char region[16])
{
	struct db_stmt *st = db_q(db,
				  "SELECT id, region_code FROM orgs WHERE id = ? OR (? = 0 AND "
				  "parent_id IS NULL) ORDER BY id LIMIT 1",
				  "ii", by->org_id, by->org_id);
	if (!st)
		return VE_DB;
	int rc = db_step(st) == DB_ROW ? 0 : VE_NOTFOUND;
	if (!rc) {
		*org = db_int(st, 0);
		str_copy(region,
			 by->org_id && by->region_code[0] ? by->region_code : db_text(st, 1), 16);
	}
	db_done(st);
	return rc;
}

static int insert_row(struct db *db, const struct principal *by, const struct applicant *p,
		      const struct assessment *a, int promise, const char *today, int64_t *id,
		      char code[TRACK_CODE_LEN + 1])
{
	int64_t org;
	char region[16], id_bidx[2 * SM3_LEN + 1], id_mask[19], phone_mask[24];
	int rc = receiving_office(db, by, &org, region);
	if (rc)
		return rc;
	unsigned char key[SM3_LEN];
	sealed_index_key(APP_ID_BIDX, key);
	sealed_index(key, p->id_number, id_bidx);
	mem_wipe(key, sizeof(key));
	idcard_mask(p->id_number, id_mask);
	sealed_mask_phone(p->phone, phone_mask);
	for (int tries = 0; tries < 4; tries++) {
		track_code_new(code);
		rc = db_run(
			db,
			"INSERT INTO applications (region_code, org_id, item_id, tracking_code, "
			"status, name, id_bidx, id_mask, phone_mask, promise, partial, "
			"accepted_on, time_limit_days, due, weekends_only, supply_by, clerk_id, "
			"created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
			"nullif(?, ''), ?, ?) ON CONFLICT (tracking_code) DO NOTHING",
			"siissssssiisisisii", region, org, a->item.id, code,
			a->n_missing ? APP_PARTIAL : APP_ACCEPTED, p->name, id_bidx, id_mask,
			phone_mask, (int64_t)(promise != 0), (int64_t)(a->n_missing > 0), today,
			(int64_t)a->item.time_limit_days, a->due, (int64_t)a->weekends_only,
			a->n_missing ? a->supply_by : "", by->user_id, clock_now());
		if (rc)
			return rc;
		if (db_changes(db) == 1)
			break;
		code[0] = '\0';
	}
	if (!code[0])
		return VE_INTERNAL;
	*id = db_last_id(db);
	unsigned char *id_enc = NULL, *phone_enc = NULL;
	size_t id_len = 0, phone_len = 0;
	sealed_seal(APP_ID_COLUMN, *id, p->id_number, &id_enc, &id_len);
	sealed_seal(APP_PHONE_COLUMN, *id, p->phone, &phone_enc, &phone_len);
	rc = db_run(db, "UPDATE applications SET id_enc = ?, phone_enc = ? WHERE id = ?", "bbi",
		    (const void *)id_enc, id_len, (const void *)phone_enc, phone_len, *id);
	free(id_enc);
	free(phone_enc);
	for (size_t k = 0; !rc && k < a->item.n_materials; k++)
		rc = db_run(db,
			    "INSERT INTO application_materials (application_id, position, name, "
			    "essential, handed_in) VALUES (?, ?, ?, ?, ?)",
			    "iisii", *id, (int64_t)k, a->item.materials[k].name,
			    (int64_t)a->item.materials[k].essential, (int64_t)a->handed[k]);
	return rc;
}

static int receive_in_tx(struct db *db, const struct principal *by,
			 const struct application_input *in, const char *on,
			 struct field_errors *fe, char *err, size_t errlen, json_t **out)
{
	struct applicant p;
	struct assessment a;
	check_applicant(in, &p, fe);
	int rc = assess(db, in, &a, fe);
	if (rc == VE_DB)
		return rc;
	if (rc == VE_NOTFOUND && fe->n == 1)
		return err_set(err, errlen, VE_NOTFOUND, "%s", field_errors_first(fe, ""));
	char day[11];
	str_copy(day, on ? on : clock_today_text(), sizeof(day));
	if (!rc) {
		if (a.n_essential_missing)
			field_errors_add(fe, "材料", "缺少必要材料：%s，不能受理",
					 a.essential_missing);
		else if (a.n_missing && !in->promise)
			field_errors_add(fe, "承诺",
					 "缺少可容缺材料（%s），容缺受理须申请人签署书面承诺",
					 a.missing);
		int drc = deadlines(db, day, in->supply_by, &a, fe);
		if (drc)
			return drc == VE_INVALID
				       ? err_set(err, errlen, VE_INVALID, "无法计算办结期限")
				       : drc;
	}
	if (fe->n)
		return err_set(err, errlen, rc ? rc : VE_INVALID, "%s", field_errors_first(fe, ""));
	if (a.n_missing) {
		int listed = 0;
		rc = discredit_listed(db, p.id_number, day, &listed);
		if (rc)
			return rc;
		if (listed)
			return err_set(err, errlen, VE_DENIED,
				       "申请人在失信名单中，不能容缺受理；请补齐全部材料后再受理");
	}
	int64_t id = 0;
	char code[TRACK_CODE_LEN + 1] = "";
	rc = insert_row(db, by, &p, &a, in->promise, day, &id, code);
	mem_wipe(&p.id_number, sizeof(p.id_number));
	char note[700], detail[900];
	if (a.n_missing)
		snprintf(note, sizeof(note), "容缺材料：%s，%s 前补齐", a.missing, a.supply_by);
	else
		snprintf(note, sizeof(note), "材料齐全");
	if (!rc)
		rc = app_add_step(db, id, a.n_missing ? "容缺受理" : "受理", day, by, note);
	snprintf(detail, sizeof(detail), "%s %s：%s（%s），办结期限 %s", code, a.item.name,
		 a.n_missing ? APP_PARTIAL : APP_ACCEPTED, note, a.due);
	if (!rc)
		rc = account_audit(db, by, "application.receive", "application", id, detail);
	char what[800];
	if (a.n_missing)
		snprintf(what, sizeof(what), "已容缺受理，请于 %s 前补齐：%s，办结期限 %s",
			 a.supply_by, a.missing, a.due);
	else
		snprintf(what, sizeof(what), "已受理，办结期限 %s", a.due);
	if (!rc && !app_quiet)
		rc = app_message(db, id, code, a.item.name, what);
	if (rc)
		return rc;
	*out = json_pack("{s:I,s:s,s:s,s:s,s:o,s:b}", "id", (json_int_t)id, "tracking_code", code,
			 "status", a.n_missing ? APP_PARTIAL : APP_ACCEPTED, "due", a.due,
			 "missing", names_json(a.missing), "weekends_only", a.weekends_only);
	json_object_set_new(*out, "supply_by",
			    a.n_missing ? json_string(a.supply_by) : json_null());
	return 0;
}

int application_receive_on(struct db *db, const struct principal *by,
			   const struct application_input *in, const char *day, int quiet,
			   struct field_errors *fe, char *err, size_t errlen, json_t **out)
{
	*out = NULL;
	if (!perm_allows(by->roles, PERM_APPLICATION_HANDLE))
		return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限",
			       perm_title(PERM_APPLICATION_HANDLE));
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	app_quiet = quiet;
	int rc = receive_in_tx(db, by, in, day, fe, err, errlen, out);
	app_quiet = 0;
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return app_tx_end(db, rc, err, errlen);
}

int application_receive(struct db *db, const struct principal *by,
			const struct application_input *in, struct field_errors *fe, char *err,
			size_t errlen, json_t **out)
{
	return application_receive_on(db, by, in, NULL, 0, fe, err, errlen, out);
}

/* ---- permissions and the area ---- */

const struct perm perm_application_read = {"application.read", "查看窗口受理的申请", ROLE_BUSINESS};
const struct perm perm_application_handle = {
	"application.handle", "窗口受理与办理申请（受理、补正、补齐、办结、不予受理、退回）",
	ROLE_BIT(CLERK) | ROLE_BIT(STATION) | ROLE_BIT(LEADER)};
const struct perm perm_discredit_manage = {"discredit.manage", "维护失信名单", ROLE_BIT(CLERK)};
static const struct perm *const perms[] = {PERM_APPLICATION_READ, PERM_APPLICATION_HANDLE,
					   PERM_DISCREDIT_MANAGE, NULL};
static const struct audit_title audit_titles[] = {
	{"application.receive", "窗口受理申请"}, {"application.correct", "申请补正"},
	{"application.resume", "补正完成"},      {"application.supply", "补齐容缺材料"},
	{"application.close", "申请办结"},       {"application.refuse", "不予受理"},
	{"application.return", "退回申请"},      {"application.end", "容缺逾期终止申请"},
	{"discredit.add", "列入失信名单"},       {"discredit.remove", "移出失信名单"},
	{"discredit.import", "导入失信名单"},    {NULL, NULL},
};
static const struct job *const jobs[] = {&application_deadline_job, NULL};
/* What waits at the counter for one who handles applications, in his scope: those past
 * their due day, those due within APP_NEAR_DAYS working days, 容缺 materials awaited. */
static int application_todos(struct db *db, const struct principal *by, json_t *list)
{
	if (!perm_allows(by->roles, PERM_APPLICATION_HANDLE))
		return 0;
	char today[11], near[11] = "", note[96];
	str_copy(today, clock_today_text(), sizeof(today));
	struct app_waiting w;
	if (calendar_due(db, today, APP_NEAR_DAYS, near, NULL) ||
	    app_waiting_counts(db, by, today, near, &w))
		return VE_DB;
	if (w.overdue > 0)
		json_array_append_new(list, json_pack("{s:s,s:I,s:s,s:s,s:b}", "title",
						      "办结已超期的申请", "count",
						      (json_int_t)w.overdue, "href",
						      "/applications?queue=overdue", "note",
						      "已过承诺办结日，仍在办理中", "urgent", 1));
	if (w.near > 0) {
		snprintf(note, sizeof(note), "%d 个工作日内到期，最早 %s", APP_NEAR_DAYS,
			 w.near_first);
		json_array_append_new(list, json_pack("{s:s,s:I,s:s,s:s}", "title",
						      "即将到期的申请", "count",
						      (json_int_t)w.near, "href",
						      "/applications?queue=near", "note", note));
	}
	if (w.partial > 0) {
		snprintf(note, sizeof(note), "待申请人补齐容缺材料，最早 %s 到期", w.partial_first);
		json_array_append_new(
			list, json_pack("{s:s,s:I,s:s,s:s}", "title", "容缺受理待补齐材料", "count",
					(json_int_t)w.partial, "href",
					"/applications?queue=all&status=%E5%AE%B9%E7%BC%BA%E5%8F%97%E7%90%86",
					"note", note));
	}
	return 0;
}

const struct area application_area = {.name = "application",
				      .perms = perms,
				      .audit_titles = audit_titles,
				      .jobs = jobs,
				      .figures = &application_figures,
				      .todos = application_todos};
