/* employment.c - 就业创业: the vocabularies, enterprises, job fairs and their positions, the
 * matching rule, the year's figures, the permissions and the area. Seekers and outcomes
 * are in employment_seeker.c, the organisers' sheet in employment_import.c. */
#include "employment.h"
#include "employment_internal.h"
#include "areas/calendar.h"
#include "areas/region.h"
#include "areas/scope.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/money.h"
#include "lib/str.h"
#include "lib/uscc.h"
#include "lib/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const employment_fair_kinds[EMPLOYMENT_N_KINDS] = {"线下", "线上"};
const char *const employment_statuses[EMPLOYMENT_N_STATUSES] = {
	EMPLOYMENT_SEEKING, EMPLOYMENT_HIRED, EMPLOYMENT_WITHDRAWN};
const char *const employment_sheet_columns[EMPLOYMENT_SHEET_COLUMNS] = {
	"统一社会信用代码", "企业名称",       "岗位名称", "招聘人数",
	"月薪下限（元）",   "月薪上限（元）", "岗位要求", "所在街道"};

/* ---- shared helpers ---- */

int emp_date_valid(const char *s)
{
	int32_t n;
	return s && strlen(s) == 10 && calendar_day_number(s, &n) == 0 &&
	       strcmp(s, "1950-01-01") >= 0 && strcmp(s, "2100-12-31") <= 0;
}

int emp_text(const char *in, char *out, size_t size, size_t max_chars, int multiline)
{
	out[0] = '\0';
	if (!in)
		return 0;
	if (strlen(in) >= size)
		return -1;
	str_copy(out, in, size);
	str_tidy(out, multiline ? STR_TIDY_KEEP : STR_TIDY_COLLAPSE);
	size_t n = strlen(out);
	if (!utf8_valid(out, n) || !str_is_printable(out, n, multiline) ||
	    utf8_count(out, n) > max_chars)
		return -1;
	return 0;
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* A street given by code or name, into code ("" for none). 0, or -1 when unknown. */
static int street_of(struct db *db, const char *text, char code[16])
{
	code[0] = '\0';
	if (!*text)
		return 0;
	char found[13];
	if (strlen(text) == 9 && strspn(text, "0123456789") == 9) {
		char name[128];
		region_name(db, text, name, sizeof(name));
		if (!*name)
			return -1;
		str_copy(code, text, 16);
		return 0;
	}
	if (region_find(db, NULL, text, found) != 0)
		return -1;
	str_copy(code, found, 16);
	return 0;
}

/* Full-width digits, point and minus (０-９ ． －), as a Chinese input method types them, made
 * ASCII in place, as the credit code's are (uscc_tidy). */
static void ascii_digits(char *s)
{
	char *out = s;
	for (const unsigned char *in = (const unsigned char *)s; *in;) {
		if (in[0] == 0xEF && in[1] == 0xBC && in[2] >= 0x90 && in[2] <= 0x99) {
			*out++ = (char)('0' + (in[2] - 0x90));
			in += 3;
		} else if (in[0] == 0xEF && in[1] == 0xBC && (in[2] == 0x8E || in[2] == 0x8D)) {
			*out++ = in[2] == 0x8E ? '.' : '-';
			in += 3;
		} else {
			*out++ = (char)*in++;
		}
	}
	*out = '\0';
}

int emp_position_check(struct db *db, const struct employment_position_in *in,
		       struct emp_position *o,
		       void (*add)(void *ctx, const char *field, const char *message), void *ctx)
{
	int n = 0;
	char msg[200];
	memset(o, 0, sizeof(*o));
	const char *const *col = employment_sheet_columns;
	char code[64];
	str_copy(code, nz(in->uscc), sizeof(code));
	if (strlen(nz(in->uscc)) >= sizeof(code)) {
		add(ctx, col[0], "统一社会信用代码应为 18 位"), n++;
	} else {
		uscc_tidy(code);
		enum uscc_fault f = uscc_check(code);
		if (f != USCC_OK) {
			uscc_fault_text(f, code, msg, sizeof(msg));
			add(ctx, col[0], msg), n++;
		} else {
			str_copy(o->uscc, code, sizeof(o->uscc));
		}
	}
	if (emp_text(in->enterprise, o->name, sizeof(o->name), EMPLOYMENT_NAME_MAX, 0))
		add(ctx, col[1], "企业名称最多 100 个字符，不含控制字符"), n++;
	else if (!*o->name)
		add(ctx, col[1], "请填写企业名称"), n++;
	if (emp_text(in->title, o->title, sizeof(o->title), EMPLOYMENT_NAME_MAX, 0))
		add(ctx, col[2], "岗位名称最多 100 个字符，不含控制字符"), n++;
	else if (!*o->title)
		add(ctx, col[2], "请填写岗位名称"), n++;
	char count[32];
	int bad_count = emp_text(in->headcount, count, sizeof(count), 20, 0);
	ascii_digits(count);
	if (bad_count || !*count) {
		add(ctx, col[3], "请填写招聘人数（正整数）"), n++;
	} else if (str_to_i64(count, strlen(count), -1000000000, 1000000000, &o->headcount) != 0 ||
		   o->headcount < 1 || o->headcount > EMPLOYMENT_HEADCOUNT_MAX) {
		/* a spreadsheet may keep a whole number as "12.0" */
		size_t dot = strcspn(count, ".");
		int64_t whole;
		if (count[dot] == '.' && strspn(count + dot + 1, "0") == strlen(count + dot + 1) &&
		    dot && str_to_i64(count, dot, 1, EMPLOYMENT_HEADCOUNT_MAX, &whole) == 0) {
			o->headcount = whole;
		} else {
			snprintf(msg, sizeof(msg), "“%s”无效，招聘人数应为 1 至 %d 的整数", count,
				 EMPLOYMENT_HEADCOUNT_MAX);
			add(ctx, col[3], msg), n++;
		}
	}
	const char *pays[2] = {in->pay_min, in->pay_max};
	int64_t *outs[2] = {&o->pay_min, &o->pay_max};
	for (int i = 0; i < 2; i++) {
		char pay[40];
		int bad = emp_text(pays[i], pay, sizeof(pay), 30, 0);
		ascii_digits(pay);
		if (bad ||
		    (*pay && *pay != '-' &&
		     money_parse(pay, EMPLOYMENT_PAY_MAX_FEN, outs[i]) != 0) ||
		    *pay == '-') {
			snprintf(msg, sizeof(msg),
				 "“%.30s”无效，应为不小于 0 的金额（元），面议留空", nz(pays[i]));
			add(ctx, col[4 + i], msg), n++;
		}
	}
	if (o->pay_min && o->pay_max && o->pay_min > o->pay_max)
		add(ctx, col[5], "月薪上限低于月薪下限"), n++;
	if (emp_text(in->requirements, o->requirements, sizeof(o->requirements),
		     EMPLOYMENT_REQUIREMENTS_MAX, 1))
		add(ctx, col[6], "岗位要求最多 400 个字符"), n++;
	char street[128];
	if (emp_text(in->street, street, sizeof(street), 30, 0) ||
	    street_of(db, street, o->street)) {
		snprintf(msg, sizeof(msg), "本区没有街道“%.60s”", nz(in->street));
		add(ctx, col[7], msg), n++;
	}
	return n;
}

int emp_enterprise_ensure(struct db *db, const struct principal *by, const struct emp_position *o,
			  int64_t *id, int *added)
{
	*added = 0;
	struct db_stmt *st =
		db_q(db, "SELECT id FROM employment_enterprises WHERE uscc = ?", "s", o->uscc);
	if (!st)
		return VE_DB;
	int got = db_step(st);
	if (got == DB_ROW)
		*id = db_int(st, 0);
	db_done(st);
	if (got == DB_ROW)
		return 0;
	if (got != DB_DONE)
		return VE_DB;
	const char *region = *o->street ? o->street : by->region_code;
	if (db_run(db,
		   "INSERT INTO employment_enterprises (uscc, name, street_code, region_code, "
		   "created_at, created_by, created_name) VALUES (?, ?, ?, ?, ?, ?, ?)",
		   "ssssiis", o->uscc, o->name, *o->street ? o->street : NULL, region, clock_now(),
		   by->user_id, by->display_name) != 0)
		return VE_DB;
	*id = db_last_id(db);
	*added = 1;
	return 0;
}

int emp_position_insert(struct db *db, const struct principal *by, int64_t fair_id,
			const char *region, int64_t enterprise_id, const struct emp_position *o)
{
	if (db_run(db,
		   "INSERT INTO employment_fair_enterprises (fair_id, enterprise_id, region_code) VALUES "
		   "(?, ?, ?) ON CONFLICT (fair_id, enterprise_id) DO NOTHING",
		   "iis", fair_id, enterprise_id, region) != 0)
		return VE_DB;
	return db_run(db,
		      "INSERT INTO employment_positions (fair_id, enterprise_id, title, headcount, "
		      "pay_min, pay_max, requirements, region_code, created_at, created_by) VALUES "
		      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		      "iisiiissii", fair_id, enterprise_id, o->title, o->headcount, o->pay_min,
		      o->pay_max, o->requirements, region, clock_now(), by->user_id);
}

int emp_fair_region(struct db *db, const struct principal *by, int64_t id, char region[16])
{
	struct db_stmt *st =
		db_q(db,
		     "SELECT region_code FROM employment_fairs WHERE id = ? AND " SCOPE_REGION_SQL(
			     "region_code", "created_by"),
		     "i" SCOPE_REGION_FMT, id, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	int got = db_step(st);
	if (got == DB_ROW)
		str_copy(region, db_text(st, 0), 16);
	db_done(st);
	return got == DB_ROW ? 0 : got == DB_DONE ? VE_NOTFOUND : VE_DB;
}

static void fe_add(void *ctx, const char *field, const char *message)
{
	field_errors_add(ctx, field, "%s", message);
}

/* ---- matching ---- */

/* The next item of a list typed by people (separators 、，,;；/ and white space) into item;
 * returns where to go on, or NULL at the end. */
static const char *next_item(const char *p, char *item, size_t size)
{
	static const char *const seps[] = {"、", "，", "；", "／", "　", ",", ";",
					   "/",  " ",  "\t", "\n", "\r", NULL};
	for (;;) {
		int skipped = 0;
		for (int i = 0; seps[i]; i++) {
			size_t n = strlen(seps[i]);
			if (strncmp(p, seps[i], n) == 0) {
				p += n;
				skipped = 1;
				break;
			}
		}
		if (!skipped)
			break;
	}
	if (!*p)
		return NULL;
	size_t len = 0;
	while (p[len]) {
		int at_sep = 0;
		for (int i = 0; seps[i] && !at_sep; i++)
			at_sep = strncmp(p + len, seps[i], strlen(seps[i])) == 0;
		if (at_sep)
			break;
		len++;
	}
	size_t keep = len < size - 1 ? len : size - 1;
	memcpy(item, p, keep);
	item[keep] = '\0';
	return p + len;
}

/* Adds "<before>“item”<after>" (or before alone for item NULL) to the reasons. */
static void why_add(char *why, size_t size, const char *before, const char *item, const char *after)
{
	if (!why)
		return;
	size_t have = strlen(why);
	if (have)
		snprintf(why + have, size - have, "；");
	have = strlen(why);
	if (item)
		snprintf(why + have, size - have, "%s“%s”%s", before, item, after);
	else
		snprintf(why + have, size - have, "%s", before);
}

int employment_match_score(const char *intention, const char *skills, const char *title,
			   const char *requirements, const char *enterprise, int same_street,
			   char *why, size_t size)
{
	int score = 0;
	char item[256];
	if (why && size)
		why[0] = '\0';
	for (const char *p = nz(intention); (p = next_item(p, item, sizeof(item))) != NULL;) {
		if (strstr(nz(title), item)) {
			score += 3;
			why_add(why, size, "意向", item, "见于岗位名称");
		} else if (strstr(nz(requirements), item) || strstr(nz(enterprise), item)) {
			score += 1;
			why_add(why, size, "意向", item, "见于岗位要求或企业名称");
		}
	}
	for (const char *p = nz(skills); (p = next_item(p, item, sizeof(item))) != NULL;)
		if (strstr(nz(title), item) || strstr(nz(requirements), item)) {
			score += 2;
			why_add(why, size, "技能", item, "符合岗位");
		}
	if (score && same_street) {
		score += 1;
		why_add(why, size, "企业与本人同在一个街道", NULL, NULL);
	}
	return score;
}

/* ---- enterprises ---- */

int employment_enterprise_save(struct db *db, const struct principal *by,
			       const struct employment_enterprise_in *in, int64_t *id,
			       struct field_errors *fe, char *err, size_t errlen)
{
	/* checked as a position's enterprise part */
	struct employment_position_in p = {.uscc = in->uscc,
					   .enterprise = in->name,
					   .title = "-",
					   .headcount = "1",
					   .street = in->street};
	struct emp_position o;
	field_errors_clear(fe);
	emp_position_check(db, &p, &o, fe_add, fe);
	if (fe->n)
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, "输入有误"));
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	int added = 0;
	int rc = emp_enterprise_ensure(db, by, &o, id, &added);
	char detail[1000];
	snprintf(detail, sizeof(detail), "%s %s", o.uscc, o.name);
	if (!rc && !added) {
		/* an enterprise known before: every user of the area sees it, so a station
		 * changes only the ones it added itself; a blank street keeps the known one;
		 * the audit keeps what it was */
		char old_name[304] = "", old_street[16] = "";
		int64_t creator = 0;
		struct db_stmt *st =
			db_q(db,
			     "SELECT name, coalesce(street_code, ''), coalesce(created_by, 0) "
			     "FROM employment_enterprises WHERE id = ?",
			     "i", *id);
		int got = st ? db_step(st) : VE_DB;
		if (got == DB_ROW) {
			str_copy(old_name, db_text(st, 0), sizeof(old_name));
			str_copy(old_street, db_text(st, 1), sizeof(old_street));
			creator = db_int(st, 2);
		}
		db_done(st);
		if (got != DB_ROW) {
			rc = VE_DB;
		} else if (!account_district_wide(by) && creator != by->user_id) {
			field_errors_add(fe, "统一社会信用代码",
					 "统一社会信用代码为 %s 的企业已在企业名录中，由他人登记，"
					 "您不能修改其名称或街道",
					 o.uscc);
			rc = VE_INVALID;
		} else {
			const char *street = *o.street ? o.street : *old_street ? old_street : NULL;
			rc = db_run(db,
				    "UPDATE employment_enterprises SET name = ?, street_code = ?, "
				    "region_code = CASE WHEN ? IS NULL THEN region_code ELSE ? END "
				    "WHERE id = ?",
				    "ssssi", o.name, street, street, street, *id);
			snprintf(detail, sizeof(detail), "%s 名称：%s → %s；街道：%s → %s", o.uscc,
				 old_name, o.name, *old_street ? old_street : "（无）",
				 street ? street : "（无）");
		}
	}
	if (!rc)
		rc = account_audit(
			db, by, added ? "employment.enterprise_add" : "employment.enterprise_edit",
			"employment_enterprise", *id, detail);
	int ended = db_tx_end(db, 0, rc);
	if (ended == VE_INVALID)
		return err_set(err, errlen, ended, "%s", field_errors_first(fe, "输入有误"));
	return ended ? err_set(err, errlen, ended, "保存失败，请稍后再试") : 0;
}

int employment_enterprise_list(struct db *db, const struct principal *by, const char *q,
			       int64_t page, int64_t per_page, json_t **out)
{
	char term[128], code[128];
	str_copy(term, nz(q), sizeof(term));
	str_tidy(term, STR_TIDY_COLLAPSE);
	str_copy(code, term, sizeof(code));
	uscc_tidy(code);
	if (page < 1)
		page = 1;
	if (per_page < 1 || per_page > 500)
		per_page = 20;
	int64_t total = 0;
	if (db_int_query(
		    db, &total, 0,
		    "SELECT count(*) FROM employment_enterprises WHERE ? = '' OR instr(name, ?) > 0 "
		    "OR uscc = ?",
		    "sss", term, term, code))
		return VE_DB;
	struct db_stmt *st = db_q(
		db,
		"SELECT e.id, e.uscc, e.name, coalesce(r.name, ''), "
		"(SELECT count(*) FROM employment_fair_enterprises fe JOIN employment_fairs f ON f.id = "
		"fe.fair_id WHERE fe.enterprise_id = e.id AND " SCOPE_REGION_SQL(
			"f.region_code",
			"f.created_by") "), "
					"(SELECT coalesce(sum(p.headcount), 0) FROM employment_positions p WHERE p.enterprise_id "
					"= e.id AND " SCOPE_REGION_SQL(
						"p.region_code",
						"p.created_by") ") "
								"FROM employment_enterprises e LEFT JOIN regions r ON r.code = e.street_code "
								"WHERE ? = '' OR instr(e.name, ?) > 0 OR e.uscc = ? ORDER BY e.name, e.id LIMIT ? OFFSET ?",
		SCOPE_REGION_FMT SCOPE_REGION_FMT "sssii",
		SCOPE_REGION_ARGS(&by->scope, by->region_code),
		SCOPE_REGION_ARGS(&by->scope, by->region_code), term, term, code, per_page,
		(page - 1) * per_page);
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	int got;
	while ((got = db_step(st)) == DB_ROW)
		json_array_append_new(items,
				      json_pack("{s:I,s:s,s:s,s:s,s:I,s:I}", "id",
						(json_int_t)db_int(st, 0), "uscc", db_text(st, 1),
						"name", db_text(st, 2), "street", db_text(st, 3),
						"fairs", (json_int_t)db_int(st, 4), "positions",
						(json_int_t)db_int(st, 5)));
	db_done(st);
	if (got != DB_DONE) {
		json_decref(items);
		return VE_DB;
	}
	*out = json_pack("{s:I,s:o}", "total", (json_int_t)total, "items", items);
	return 0;
}

int employment_enterprise_get(struct db *db, const struct principal *by, int64_t id, json_t **out)
{
	struct db_stmt *st =
		db_q(db,
		     "SELECT e.id, e.uscc, e.name, coalesce(e.street_code, ''), "
		     "coalesce(r.name, '') FROM employment_enterprises e LEFT JOIN regions r "
		     "ON r.code = e.street_code WHERE e.id = ?",
		     "i", id);
	if (!st)
		return VE_DB;
	int got = db_step(st);
	json_t *o = NULL;
	if (got == DB_ROW)
		o = json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)db_int(st, 0), "uscc",
			      db_text(st, 1), "name", db_text(st, 2), "street_code", db_text(st, 3),
			      "street", db_text(st, 4));
	db_done(st);
	if (got != DB_ROW)
		return got == DB_DONE ? VE_NOTFOUND : VE_DB;
	st = db_q(
		db,
		"SELECT p.id, p.title, p.headcount, p.pay_min, p.pay_max, f.id, f.name, f.held_on "
		"FROM employment_positions p JOIN employment_fairs f ON f.id = p.fair_id "
		"WHERE p.enterprise_id = ? AND " SCOPE_REGION_SQL(
			"f.region_code", "f.created_by") " "
							 "ORDER BY f.held_on DESC, p.id LIMIT 500",
		"i" SCOPE_REGION_FMT, id, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st) {
		json_decref(o);
		return VE_DB;
	}
	json_t *items = json_array();
	while ((got = db_step(st)) == DB_ROW)
		json_array_append_new(items,
				      json_pack("{s:I,s:s,s:I,s:I,s:I,s:I,s:s,s:s}", "id",
						(json_int_t)db_int(st, 0), "title", db_text(st, 1),
						"headcount", (json_int_t)db_int(st, 2), "pay_min",
						(json_int_t)db_int(st, 3), "pay_max",
						(json_int_t)db_int(st, 4), "fair_id",
						(json_int_t)db_int(st, 5), "fair", db_text(st, 6),
						"held_on", db_text(st, 7)));
	db_done(st);
	json_object_set_new(o, "positions", items);
	if (got != DB_DONE) {
		json_decref(o);
		return VE_DB;
	}
	*out = o;
	return 0;
}

/* ---- fairs ---- */

static void fair_check(const struct employment_fair_in *in, char name[404], char place[404],
		       struct field_errors *fe)
{
	if (emp_text(in->name, name, 404, EMPLOYMENT_NAME_MAX, 0))
		field_errors_add(fe, "名称", "名称最多 100 个字符");
	else if (!*name)
		field_errors_add(fe, "名称", "请填写招聘会名称");
	int kind_ok = 0;
	for (int i = 0; i < EMPLOYMENT_N_KINDS; i++)
		kind_ok |= strcmp(nz(in->kind), employment_fair_kinds[i]) == 0;
	if (!kind_ok)
		field_errors_add(fe, "形式", "请选择线下或线上");
	if (!emp_date_valid(in->held_on))
		field_errors_add(fe, "举办日期", "日期应为 YYYY-MM-DD，如 2026-03-15");
	if (emp_text(in->place, place, 404, EMPLOYMENT_NAME_MAX, 0))
		field_errors_add(fe, "地点", "地点最多 100 个字符");
	else if (!*place)
		field_errors_add(fe, "地点", "请填写地点（线上招聘会填平台名称）");
}

int employment_fair_save(struct db *db, const struct principal *by, int64_t id,
			 const struct employment_fair_in *in, int64_t *out_id,
			 struct field_errors *fe, char *err, size_t errlen)
{
	char name[404], place[404], region[16];
	field_errors_clear(fe);
	fair_check(in, name, place, fe);
	if (fe->n)
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, "输入有误"));
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	int rc = 0, is_new = id == 0;
	int64_t now = clock_now();
	if (id) {
		rc = emp_fair_region(db, by, id, region);
		if (!rc)
			rc = db_run(
				db,
				"UPDATE employment_fairs SET name = ?, kind = ?, held_on = ?, place = ?, "
				"updated_at = ?, updated_by = ?, updated_name = ? WHERE id = ?",
				"ssssiisi", name, in->kind, in->held_on, place, now, by->user_id,
				by->display_name, id);
	} else {
		rc = db_run(
			db,
			"INSERT INTO employment_fairs (name, kind, held_on, place, region_code, "
			"created_at, created_by, created_name, updated_at, updated_by, updated_name) "
			"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			"sssssiisiis", name, in->kind, in->held_on, place, by->region_code, now,
			by->user_id, by->display_name, now, by->user_id, by->display_name);
		if (!rc)
			id = db_last_id(db);
	}
	char detail[1000];
	snprintf(detail, sizeof(detail), "%s（%s，%s，%s）", name, in->kind, in->held_on, place);
	if (!rc)
		rc = account_audit(db, by, is_new ? "employment.fair_add" : "employment.fair_edit",
				   "employment_fair", id, detail);
	int ended = db_tx_end(db, 0, rc);
	if (ended)
		return err_set(err, errlen, ended,
			       ended == VE_NOTFOUND ? "招聘会不存在" : "保存失败，请稍后再试");
	if (out_id)
		*out_id = id;
	return 0;
}

#define FAIR_COLUMNS                                                                               \
	"f.id, f.name, f.kind, f.held_on, f.place, "                                               \
	"(SELECT count(*) FROM employment_fair_enterprises fe WHERE fe.fair_id = f.id), "          \
	"(SELECT count(*) FROM employment_positions p WHERE p.fair_id = f.id), "                   \
	"(SELECT coalesce(sum(p.headcount), 0) FROM employment_positions p WHERE p.fair_id = f.id) "

static json_t *fair_json(struct db_stmt *st)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:I,s:I}", "id", (json_int_t)db_int(st, 0),
			 "name", db_text(st, 1), "kind", db_text(st, 2), "held_on", db_text(st, 3),
			 "place", db_text(st, 4), "enterprises", (json_int_t)db_int(st, 5),
			 "positions", (json_int_t)db_int(st, 6), "headcount",
			 (json_int_t)db_int(st, 7));
}

int employment_fair_list(struct db *db, const struct principal *by, int year, int64_t page,
			 int64_t per_page, json_t **out)
{
	char ys[11] = "0000-00-00", ye[11] = "9999-99-99";
	if (year) {
		snprintf(ys, sizeof(ys), "%04d-01-01", year);
		snprintf(ye, sizeof(ye), "%04d-12-31", year);
	}
	if (page < 1)
		page = 1;
	if (per_page < 1 || per_page > 500)
		per_page = 20;
	int64_t total = 0;
	if (db_int_query(
		    db, &total, 0,
		    "SELECT count(*) FROM employment_fairs WHERE held_on >= ? AND held_on <= ? AND " SCOPE_REGION_SQL(
			    "region_code", "created_by"),
		    "ss" SCOPE_REGION_FMT, ys, ye, SCOPE_REGION_ARGS(&by->scope, by->region_code)))
		return VE_DB;
	struct db_stmt *st = db_q(
		db,
		"SELECT " FAIR_COLUMNS "FROM employment_fairs f WHERE f.held_on >= ? AND "
		"f.held_on <= ? AND " SCOPE_REGION_SQL(
			"f.region_code",
			"f.created_by") " ORDER BY f.held_on DESC, f.id DESC LIMIT ? OFFSET ?",
		"ss" SCOPE_REGION_FMT "ii", ys, ye, SCOPE_REGION_ARGS(&by->scope, by->region_code),
		per_page, (page - 1) * per_page);
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	int got;
	while ((got = db_step(st)) == DB_ROW)
		json_array_append_new(items, fair_json(st));
	db_done(st);
	if (got != DB_DONE) {
		json_decref(items);
		return VE_DB;
	}
	*out = json_pack("{s:I,s:o}", "total", (json_int_t)total, "items", items);
	return 0;
}

int employment_fair_get(struct db *db, const struct principal *by, int64_t id, json_t **out)
{
	struct db_stmt *st =
		db_q(db,
		     "SELECT " FAIR_COLUMNS
		     "FROM employment_fairs f WHERE f.id = ? AND " SCOPE_REGION_SQL("f.region_code",
										    "f.created_by"),
		     "i" SCOPE_REGION_FMT, id, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	int got = db_step(st);
	json_t *o = got == DB_ROW ? fair_json(st) : NULL;
	db_done(st);
	if (got != DB_ROW)
		return got == DB_DONE ? VE_NOTFOUND : VE_DB;
	st = db_q(
		db,
		"SELECT e.id, e.uscc, e.name, p.id, p.title, p.headcount, p.pay_min, p.pay_max, "
		"p.requirements FROM employment_positions p JOIN employment_enterprises e ON e.id = "
		"p.enterprise_id WHERE p.fair_id = ? ORDER BY e.name, e.id, p.id LIMIT 2000",
		"i", id);
	if (!st) {
		json_decref(o);
		return VE_DB;
	}
	json_t *items = json_array();
	while ((got = db_step(st)) == DB_ROW)
		json_array_append_new(
			items,
			json_pack("{s:I,s:s,s:s,s:I,s:s,s:I,s:I,s:I,s:s}", "enterprise_id",
				  (json_int_t)db_int(st, 0), "uscc", db_text(st, 1), "enterprise",
				  db_text(st, 2), "position_id", (json_int_t)db_int(st, 3), "title",
				  db_text(st, 4), "headcount", (json_int_t)db_int(st, 5), "pay_min",
				  (json_int_t)db_int(st, 6), "pay_max", (json_int_t)db_int(st, 7),
				  "requirements", db_text(st, 8)));
	db_done(st);
	json_object_set_new(o, "items", items);
	if (got != DB_DONE) {
		json_decref(o);
		return VE_DB;
	}
	*out = o;
	return 0;
}

/* ---- positions ---- */

int employment_position_add(struct db *db, const struct principal *by, int64_t fair_id,
			    const struct employment_position_in *in, struct field_errors *fe,
			    char *err, size_t errlen)
{
	struct emp_position *o = malloc(sizeof(*o));
	if (!o)
		return err_set(err, errlen, VE_INTERNAL, "内存不足");
	field_errors_clear(fe);
	emp_position_check(db, in, o, fe_add, fe);
	if (fe->n) {
		free(o);
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, "输入有误"));
	}
	if (db_tx_begin(db, 0)) {
		free(o);
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	}
	char region[16];
	int64_t enterprise = 0;
	int added = 0;
	int rc = emp_fair_region(db, by, fair_id, region);
	if (!rc)
		rc = emp_enterprise_ensure(db, by, o, &enterprise, &added);
	int64_t taken = 0;
	if (!rc && db_int_query(db, &taken, 0,
				"SELECT count(*) FROM employment_positions WHERE fair_id = ? AND "
				"enterprise_id = ? AND title = ?",
				"iis", fair_id, enterprise, o->title))
		rc = VE_DB;
	if (!rc && taken)
		rc = VE_CONFLICT;
	if (!rc)
		rc = emp_position_insert(db, by, fair_id, region, enterprise, o);
	char detail[1000];
	snprintf(detail, sizeof(detail), "%s %s：%s %lld 人", o->uscc, o->name, o->title,
		 (long long)o->headcount);
	if (!rc)
		rc = account_audit(db, by, "employment.position_add", "employment_fair", fair_id,
				   detail);
	int ended = db_tx_end(db, 0, rc);
	free(o);
	if (ended == VE_CONFLICT)
		return err_set(err, errlen, ended, "该企业在本场招聘会已有同名岗位");
	if (ended == VE_NOTFOUND)
		return err_set(err, errlen, ended, "招聘会不存在");
	return ended ? err_set(err, errlen, ended, "保存失败，请稍后再试") : 0;
}

int employment_position_get(struct db *db, const struct principal *by, int64_t id, json_t **out)
{
	struct db_stmt *st = db_q(
		db,
		"SELECT p.id, p.title, p.headcount, p.pay_min, p.pay_max, p.requirements, e.id, e.uscc, "
		"e.name, coalesce(r.name, ''), f.id, f.name, f.held_on FROM employment_positions p "
		"JOIN employment_enterprises e ON e.id = p.enterprise_id JOIN employment_fairs f ON f.id "
		"= p.fair_id LEFT JOIN regions r ON r.code = e.street_code WHERE p.id = ? AND " SCOPE_REGION_SQL(
			"f.region_code", "f.created_by"),
		"i" SCOPE_REGION_FMT, id, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	int got = db_step(st);
	if (got == DB_ROW)
		*out = json_pack("{s:I,s:s,s:I,s:I,s:I,s:s,s:I,s:s,s:s,s:s,s:I,s:s,s:s}", "id",
				 (json_int_t)db_int(st, 0), "title", db_text(st, 1), "headcount",
				 (json_int_t)db_int(st, 2), "pay_min", (json_int_t)db_int(st, 3),
				 "pay_max", (json_int_t)db_int(st, 4), "requirements",
				 db_text(st, 5), "enterprise_id", (json_int_t)db_int(st, 6), "uscc",
				 db_text(st, 7), "enterprise", db_text(st, 8), "street",
				 db_text(st, 9), "fair_id", (json_int_t)db_int(st, 10), "fair",
				 db_text(st, 11), "held_on", db_text(st, 12));
	db_done(st);
	return got == DB_ROW ? 0 : got == DB_DONE ? VE_NOTFOUND : VE_DB;
}

/* ---- the year's figures ---- */

#define IN_YEAR(col) col " >= k.ys AND " col " <= k.ye"

static const struct figure figures[] = {
	FIGURE_ROWS("job_fairs", "招聘会", "场", "举办日期在本年度的招聘会（线下和线上），每场计 1 场",
		    "SELECT f.id AS fair_id, f.held_on AS held_on, f.name AS name, f.kind AS kind, "
		    "f.place AS place FROM k CROSS JOIN employment_fairs f WHERE " IN_YEAR(
			    "f.held_on") " AND " FIGURE_SCOPE("f.region_code", "f.created_by"),
		    "held_on, fair_id",
		    "fair_id:编号,held_on:举办日期,name:名称,kind:形式,place:地点"),
	FIGURE_ROWS(
		"enterprises", "参会企业", "家",
		"本年度举办的招聘会的参会企业，按统一社会信用代码去重（一家企业参加多场计 1 家）",
		"SELECT e.id AS enterprise_id, e.uscc AS uscc, e.name AS name, count(*) AS fairs "
		"FROM k CROSS JOIN employment_fairs f JOIN employment_fair_enterprises fe ON "
		"fe.fair_id = f.id JOIN employment_enterprises e ON e.id = fe.enterprise_id "
		"WHERE " IN_YEAR("f.held_on") " AND " FIGURE_SCOPE(
			"f.region_code", "f.created_by") " GROUP BY e.id, e.uscc, e.name",
		"uscc, enterprise_id",
		"enterprise_id:编号,uscc:统一社会信用代码,name:企业名称,fairs:参会场次"),
	FIGURE_SUM(
		"positions", "提供岗位", "个",
		"本年度举办的招聘会上各企业所提岗位的招聘人数之和（一个岗位招 10 人计 10 个）",
		"SELECT p.id AS position_id, f.held_on AS held_on, f.name AS fair, e.name AS "
		"enterprise, p.title AS title, p.headcount AS headcount FROM k CROSS JOIN "
		"employment_fairs f JOIN employment_positions p ON p.fair_id = f.id JOIN "
		"employment_enterprises e ON e.id = p.enterprise_id WHERE " IN_YEAR("f.held_on") " AND " FIGURE_SCOPE(
			"f.region_code", "f.created_by"),
		"held_on, position_id",
		"position_id:编号,held_on:举办日期,fair:招聘会,enterprise:企业,title:岗位名称,"
		"headcount:招聘人数",
		"headcount"),
	FIGURE_ROWS(
		"seekers", "求职登记", "人",
		"登记日期在本年度的求职退役军人，按人计（一人多次登记计 1 人）",
		"SELECT s.person_id AS person_id, p.name AS name, min(s.registered_on) AS "
		"registered_on, count(*) AS records FROM k CROSS JOIN employment_seekers s JOIN persons p "
		"ON p.id = s.person_id WHERE " IN_YEAR("s.registered_on") " AND " FIGURE_SCOPE(
			"s.region_code", "s.created_by") " GROUP BY s.person_id, p.name",
		"person_id",
		"person_id:人员编号,name:姓名,registered_on:登记日期,records:登记次数"),
	FIGURE_ROWS(
		"hired", "实现就业", "人", "就业日期在本年度、状态为已就业的求职退役军人，按人计",
		"SELECT s.person_id AS person_id, p.name AS name, min(s.hired_on) AS hired_on, "
		"count(*) AS hires FROM k CROSS JOIN employment_seekers s JOIN persons p ON p.id = "
		"s.person_id WHERE s.status = '" EMPLOYMENT_HIRED
		"' AND " IN_YEAR("s.hired_on") " AND " FIGURE_SCOPE(
			"s.region_code", "s.created_by") " GROUP BY s.person_id, p.name",
		"person_id", "person_id:人员编号,name:姓名,hired_on:就业日期,hires:就业次数"),
	{0},
};

/* ---- permissions and the area ---- */

const struct perm perm_employment_read = {
	"employment.read", "查看就业创业（招聘会、企业、求职登记、统计）", ROLE_BUSINESS};
const struct perm perm_employment_manage = {"employment.manage",
					    "办理就业创业（招聘会、岗位导入、求职登记、就业结果）",
					    ROLE_BIT(CLERK) | ROLE_BIT(STATION)};

const struct figure_set employment_figures = {
	.area = "employment",
	.title = "就业创业",
	.perm = PERM_EMPLOYMENT_READ,
	.figures = figures,
	.rates = NULL,
	.paragraph = "依法促进退役军人就业创业，搭建供需对接平台。全年举办退役军人专场招聘会 {job_fairs} "
		     "场（含网络招聘会），组织 {enterprises} 家企业参会，提供就业岗位 {positions} 个，"
		     "求职登记、岗位推荐、就业结果全程记录。",
};

static const struct perm *const perms[] = {PERM_EMPLOYMENT_READ, PERM_EMPLOYMENT_MANAGE, NULL};
static const struct audit_title audit_titles[] = {
	{"employment.fair_add", "新建招聘会"},
	{"employment.fair_edit", "修改招聘会"},
	{"employment.import", "导入招聘会企业和岗位"},
	{"employment.position_add", "添加招聘岗位"},
	{"employment.enterprise_add", "新增企业"},
	{"employment.enterprise_edit", "修改企业"},
	{"employment.seeker_add", "登记求职"},
	{"employment.hire", "登记就业结果"},
	{"employment.unhire", "撤销就业结果"},
	{"employment.withdraw", "求职登记退出"},
	{NULL, NULL},
};

const struct area employment_area = {.name = "employment",
				     .perms = perms,
				     .audit_titles = audit_titles,
				     .figures = &employment_figures};
