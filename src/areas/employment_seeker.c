/* employment_seeker.c - veterans seeking work: registered from the registry (a person not in
 * it, or outside the user's street, refused), matched against the fairs' positions and
 * positions against them, and the outcome: hired where, when (corrected or taken back). */
#include "employment.h"
#include "employment_internal.h"
#include "areas/calendar.h"
#include "areas/scope.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"
#include "lib/uscc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* ---- registering ---- */

/* The person of id: name, region, street and status; 0, VE_NOTFOUND or VE_DB. */
static int person_of(struct db *db, int64_t id, char name[128], char region[16], char street[16],
		     char status[16], int64_t *created_by)
{
	struct db_stmt *st = db_q(db,
				  "SELECT name, region_code, coalesce(street_code, ''), status, "
				  "coalesce(created_by, 0) FROM persons WHERE id = ?",
				  "i", id);
	if (!st)
		return VE_DB;
	int got = db_step(st);
	if (got == DB_ROW) {
		str_copy(name, db_text(st, 0), 128);
		str_copy(region, db_text(st, 1), 16);
		str_copy(street, db_text(st, 2), 16);
		str_copy(status, db_text(st, 3), 16);
		*created_by = db_int(st, 4);
	}
	db_done(st);
	return got == DB_ROW ? 0 : got == DB_DONE ? VE_NOTFOUND : VE_DB;
}

int employment_seeker_register(struct db *db, const struct principal *by,
			       const struct employment_seeker_in *in, int in_tx, int64_t *id,
			       struct field_errors *fe, char *err, size_t errlen)
{
	char intention[4004], skills[4004], note[4004], name[128], region[16], street[16],
		status[16];
	int64_t person = 0, owner = 0;
	field_errors_clear(fe);
	const char *pid = nz(in->person_id);
	if (!*pid)
		field_errors_add(fe, "人员编号", "请填写人员编号（退役军人信息库中的编号）");
	else if (str_to_i64(pid, strlen(pid), 1, INT64_MAX, &person) != 0)
		field_errors_add(fe, "人员编号", "人员编号应为正整数");
	if (emp_text(in->intention, intention, sizeof(intention), 200, 0))
		field_errors_add(fe, "求职意向", "求职意向最多 200 个字符");
	else if (!*intention)
		field_errors_add(fe, "求职意向", "请填写求职意向（如 保安、驾驶员）");
	if (emp_text(in->skills, skills, sizeof(skills), 200, 0))
		field_errors_add(fe, "技能", "技能最多 200 个字符");
	const char *on = *nz(in->registered_on) ? in->registered_on : clock_today_text();
	char day[11];
	str_copy(day, on, sizeof(day));
	if (!emp_date_valid(on))
		field_errors_add(fe, "登记日期", "日期应为 YYYY-MM-DD，如 2026-03-15");
	else if (strcmp(on, clock_today_text()) > 0)
		field_errors_add(fe, "登记日期", "登记日期不能晚于今天");
	if (emp_text(in->note, note, sizeof(note), EMPLOYMENT_TEXT_MAX, 1))
		field_errors_add(fe, "备注", "备注最多 1000 个字符");
	if (fe->n)
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, "输入有误"));
	if (db_tx_begin(db, in_tx))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	int rc = person_of(db, person, name, region, street, status, &owner);
	/* a person outside the user's street is answered as one not in the registry: the
	 * refusal must not tell a station who exists elsewhere */
	if (rc == VE_NOTFOUND ||
	    (!rc && !scope_covers_region(&by->scope, by->region_code, region, owner))) {
		field_errors_add(fe, "人员编号",
				 "退役军人信息库中没有编号为 %lld 的人员，请先登记其信息",
				 (long long)person);
		rc = VE_INVALID;
	} else if (!rc && strcmp(status, "死亡") == 0) {
		field_errors_add(fe, "人员编号", "该人员状态为死亡，不能登记求职");
		rc = VE_INVALID;
	}
	/* the person's open record, and it again when the user may see it: its id is named
	 * only then */
	int64_t open = 0, seen = 0;
	if (!rc &&
	    db_int_query(
		    db, &open, 0,
		    "SELECT id FROM employment_seekers WHERE person_id = ? AND status = '" EMPLOYMENT_SEEKING
		    "' ORDER BY id LIMIT 1",
		    "i", person))
		rc = VE_DB;
	if (!rc && open &&
	    db_int_query(
		    db, &seen, 0,
		    "SELECT s.id FROM employment_seekers s WHERE s.id = ? AND " SCOPE_REGION_SQL(
			    "s.region_code", "s.created_by"),
		    "i" SCOPE_REGION_FMT, open, SCOPE_REGION_ARGS(&by->scope, by->region_code)))
		rc = VE_DB;
	if (!rc && open) {
		if (seen)
			err_set(err, errlen, VE_CONFLICT,
				"该人员已有求职登记（编号 %lld），正在求职中", (long long)open);
		else
			err_set(err, errlen, VE_CONFLICT, "该人员已有一条求职中的登记");
		rc = VE_CONFLICT;
	}
	int64_t now = clock_now();
	if (!rc)
		rc = db_run(
			db,
			"INSERT INTO employment_seekers (person_id, region_code, street_code, intention, "
			"skills, registered_on, status, note, created_at, created_by, created_name, "
			"updated_at, updated_by, updated_name) VALUES (?, ?, ?, ?, ?, ?, '" EMPLOYMENT_SEEKING
			"', ?, ?, ?, ?, ?, ?, ?)",
			"issssssiisiis", person, region, *street ? street : NULL, intention, skills,
			day, note, now, by->user_id, by->display_name, now, by->user_id,
			by->display_name);
	if (!rc) {
		*id = db_last_id(db);
		char detail[300];
		snprintf(detail, sizeof(detail), "人员 %lld：%.200s", (long long)person, intention);
		rc = account_audit(db, by, "employment.seeker_add", "employment_seeker", *id,
				   detail);
	}
	int ended = db_tx_end(db, in_tx, rc);
	if (ended == VE_INVALID)
		return err_set(err, errlen, ended, "%s", field_errors_first(fe, "输入有误"));
	if (ended == VE_CONFLICT)
		return ended;
	return ended ? err_set(err, errlen, ended, "保存失败，请稍后再试") : 0;
}

/* ---- reading ---- */

#define SEEKER_COLUMNS                                                                              \
	"s.id, s.person_id, p.name, coalesce(r.name, ''), s.intention, s.skills, s.registered_on, " \
	"s.status, coalesce(s.hired_on, ''), coalesce(e.name, ''), coalesce(s.hired_title, ''), "   \
	"coalesce(e.id, 0), coalesce(e.uscc, ''), s.note, coalesce(s.street_code, '') "
#define SEEKER_FROM                                                                                \
	"FROM employment_seekers s JOIN persons p ON p.id = s.person_id LEFT JOIN regions r ON "   \
	"r.code = s.street_code LEFT JOIN employment_enterprises e ON e.id = s.hired_enterprise_id "

static json_t *seeker_json(struct db_stmt *st)
{
	return json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:s}", "id",
			 (json_int_t)db_int(st, 0), "person_id", (json_int_t)db_int(st, 1), "name",
			 db_text(st, 2), "street", db_text(st, 3), "intention", db_text(st, 4),
			 "skills", db_text(st, 5), "registered_on", db_text(st, 6), "status",
			 db_text(st, 7), "hired_on", db_text(st, 8), "enterprise", db_text(st, 9),
			 "title", db_text(st, 10), "enterprise_id", (json_int_t)db_int(st, 11),
			 "uscc", db_text(st, 12), "note", db_text(st, 13), "street_code",
			 db_text(st, 14));
}

int employment_seeker_list(struct db *db, const struct principal *by, const char *status,
			   int64_t page, int64_t per_page, json_t **out)
{
	const char *want = nz(status);
	if (page < 1)
		page = 1;
	if (per_page < 1 || per_page > 500)
		per_page = 20;
	int64_t total = 0;
	if (db_int_query(
		    db, &total, 0,
		    "SELECT count(*) FROM employment_seekers s WHERE (? = '' OR s.status = ?) AND " SCOPE_REGION_SQL(
			    "s.region_code", "s.created_by"),
		    "ss" SCOPE_REGION_FMT, want, want,
		    SCOPE_REGION_ARGS(&by->scope, by->region_code)))
		return VE_DB;
	struct db_stmt *st = db_q(
		db,
		"SELECT " SEEKER_COLUMNS SEEKER_FROM
		"WHERE (? = '' OR s.status = ?) AND " SCOPE_REGION_SQL(
			"s.region_code",
			"s.created_by") " ORDER BY s.registered_on DESC, s.id DESC LIMIT ? OFFSET ?",
		"ss" SCOPE_REGION_FMT "ii", want, want,
		SCOPE_REGION_ARGS(&by->scope, by->region_code), per_page, (page - 1) * per_page);
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	int got;
	while ((got = db_step(st)) == DB_ROW)
		json_array_append_new(items, seeker_json(st));
	db_done(st);
	if (got != DB_DONE) {
		json_decref(items);
		return VE_DB;
	}
	*out = json_pack("{s:I,s:o}", "total", (json_int_t)total, "items", items);
	return 0;
}

int employment_seeker_get(struct db *db, const struct principal *by, int64_t id, json_t **out)
{
	struct db_stmt *st =
		db_q(db,
		     "SELECT " SEEKER_COLUMNS SEEKER_FROM
		     "WHERE s.id = ? AND " SCOPE_REGION_SQL("s.region_code", "s.created_by"),
		     "i" SCOPE_REGION_FMT, id, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	int got = db_step(st);
	if (got == DB_ROW)
		*out = seeker_json(st);
	db_done(st);
	return got == DB_ROW ? 0 : got == DB_DONE ? VE_NOTFOUND : VE_DB;
}

/* ---- matching ---- */

static int by_score(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t sx = json_integer_value(json_object_get(x, "score"));
	json_int_t sy = json_integer_value(json_object_get(y, "score"));
	if (sx != sy)
		return sx > sy ? -1 : 1;
	json_int_t ix = json_integer_value(json_object_get(x, "order"));
	json_int_t iy = json_integer_value(json_object_get(y, "order"));
	return ix < iy ? -1 : ix > iy;
}

/* The best limit of the candidates (each with "score" and "order"), "order" dropped. */
static json_t *best_of(json_t *all, int64_t limit)
{
	size_t n = json_array_size(all);
	json_t **v = calloc(n ? n : 1, sizeof(*v));
	json_t *best = json_array();
	if (!v)
		return best;
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(all, i);
	qsort(v, n, sizeof(*v), by_score);
	for (size_t i = 0; i < n && (int64_t)i < limit; i++) {
		json_object_del(v[i], "order");
		json_array_append(best, v[i]);
	}
	free(v);
	return best;
}

void employment_match_window(const char *reg, char from[11], char to[11])
{
	int32_t d;
	from[0] = to[0] = '\0';
	if (reg && calendar_day_number(reg, &d) == 0) {
		calendar_day_text(d - EMPLOYMENT_MATCH_BEFORE_DAYS, from);
		calendar_day_text(d + EMPLOYMENT_MATCH_AFTER_DAYS, to);
	}
}

int employment_seeker_matches(struct db *db, const struct principal *by, int64_t id, int64_t limit,
			      json_t **out)
{
	json_t *s = NULL;
	int rc = employment_seeker_get(db, by, id, &s);
	if (rc)
		return rc;
	/* a seeker hired or withdrawn is no longer offered positions: nothing to read */
	if (strcmp(json_string_value(json_object_get(s, "status")), EMPLOYMENT_SEEKING) != 0) {
		json_decref(s);
		*out = json_array();
		return 0;
	}
	char from[11], to[11];
	employment_match_window(json_string_value(json_object_get(s, "registered_on")), from, to);
	char intention[1024], skills[1024], street[16];
	str_copy(intention, json_string_value(json_object_get(s, "intention")), sizeof(intention));
	str_copy(skills, json_string_value(json_object_get(s, "skills")), sizeof(skills));
	str_copy(street, json_string_value(json_object_get(s, "street_code")), sizeof(street));
	json_decref(s);
	struct db_stmt *st = db_q(
		db,
		"SELECT p.id, p.title, p.requirements, e.name, e.uscc, coalesce(e.street_code, ''), f.id, "
		"f.name, f.held_on, p.headcount, p.pay_min, p.pay_max FROM employment_positions p JOIN "
		"employment_fairs f ON f.id = p.fair_id JOIN employment_enterprises e ON e.id = "
		"p.enterprise_id WHERE f.held_on >= ? AND f.held_on <= ? AND " SCOPE_REGION_SQL(
			"f.region_code", "f.created_by") " ORDER BY f.held_on DESC, p.id",
		"ss" SCOPE_REGION_FMT, from, to, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	json_t *all = json_array();
	int got;
	json_int_t order = 0;
	char why[1024];
	while ((got = db_step(st)) == DB_ROW) {
		int same = *street && strcmp(street, db_text(st, 5)) == 0;
		int score =
			employment_match_score(intention, skills, db_text(st, 1), db_text(st, 2),
					       db_text(st, 3), same, why, sizeof(why));
		if (!score)
			continue;
		json_array_append_new(
			all,
			json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:s,s:I,s:I,s:I,s:i,s:s,s:I}",
				  "position_id", (json_int_t)db_int(st, 0), "title", db_text(st, 1),
				  "enterprise", db_text(st, 3), "uscc", db_text(st, 4), "fair_id",
				  (json_int_t)db_int(st, 6), "fair", db_text(st, 7), "held_on",
				  db_text(st, 8), "headcount", (json_int_t)db_int(st, 9), "pay_min",
				  (json_int_t)db_int(st, 10), "pay_max", (json_int_t)db_int(st, 11),
				  "score", score, "why", why, "order", order++));
	}
	db_done(st);
	if (got != DB_DONE) {
		json_decref(all);
		return VE_DB;
	}
	*out = best_of(all, limit);
	json_decref(all);
	return 0;
}

int employment_position_matches(struct db *db, const struct principal *by, int64_t id,
				int64_t limit, json_t **out)
{
	json_t *p = NULL;
	int rc = employment_position_get(db, by, id, &p);
	if (rc)
		return rc;
	char street[16] = "";
	int64_t enterprise = json_integer_value(json_object_get(p, "enterprise_id"));
	struct db_stmt *st = db_q(db,
				  "SELECT coalesce(street_code, '') FROM employment_enterprises "
				  "WHERE id = ?",
				  "i", enterprise);
	if (!st) {
		json_decref(p);
		return VE_DB;
	}
	if (db_step(st) == DB_ROW)
		str_copy(street, db_text(st, 0), sizeof(street));
	db_done(st);
	char title[404], req[4004], ename[404];
	str_copy(title, json_string_value(json_object_get(p, "title")), sizeof(title));
	str_copy(req, json_string_value(json_object_get(p, "requirements")), sizeof(req));
	str_copy(ename, json_string_value(json_object_get(p, "enterprise")), sizeof(ename));
	json_decref(p);
	st = db_q(
		db,
		"SELECT s.id, s.person_id, p.name, coalesce(r.name, ''), s.intention, s.skills, "
		"coalesce(s.street_code, '') FROM employment_seekers s JOIN persons p ON p.id = "
		"s.person_id LEFT JOIN regions r ON r.code = s.street_code WHERE s.status = '" EMPLOYMENT_SEEKING
		"' AND " SCOPE_REGION_SQL(
			"s.region_code",
			"s.created_by") " ORDER BY s.registered_on DESC, s.id DESC",
		SCOPE_REGION_FMT, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	json_t *all = json_array();
	int got;
	json_int_t order = 0;
	char why[1024];
	while ((got = db_step(st)) == DB_ROW) {
		int same = *street && strcmp(street, db_text(st, 6)) == 0;
		int score = employment_match_score(db_text(st, 4), db_text(st, 5), title, req,
						   ename, same, why, sizeof(why));
		if (!score)
			continue;
		json_array_append_new(all,
				      json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:i,s:s,s:I}",
						"seeker_id", (json_int_t)db_int(st, 0), "person_id",
						(json_int_t)db_int(st, 1), "name", db_text(st, 2),
						"street", db_text(st, 3), "intention",
						db_text(st, 4), "skills", db_text(st, 5), "score",
						score, "why", why, "order", order++));
	}
	db_done(st);
	if (got != DB_DONE) {
		json_decref(all);
		return VE_DB;
	}
	*out = best_of(all, limit);
	json_decref(all);
	return 0;
}

/* ---- outcomes ---- */

/* The seeker id in scope: its registration day and status. 0, VE_NOTFOUND, VE_DB. */
static int seeker_state(struct db *db, const struct principal *by, int64_t id, char reg[11],
			char status[16])
{
	struct db_stmt *st =
		db_q(db,
		     "SELECT registered_on, status FROM employment_seekers s WHERE s.id = ? "
		     "AND " SCOPE_REGION_SQL("s.region_code", "s.created_by"),
		     "i" SCOPE_REGION_FMT, id, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	int got = db_step(st);
	if (got == DB_ROW) {
		str_copy(reg, db_text(st, 0), 11);
		str_copy(status, db_text(st, 1), 16);
	}
	db_done(st);
	return got == DB_ROW ? 0 : got == DB_DONE ? VE_NOTFOUND : VE_DB;
}

int employment_seeker_hire(struct db *db, const struct principal *by, int64_t id,
			   const struct employment_hire_in *in, int in_tx, struct field_errors *fe,
			   char *err, size_t errlen)
{
	field_errors_clear(fe);
	int64_t position = 0;
	const char *pos = nz(in->position_id);
	char code[64] = "", title[404] = "";
	if (*pos && str_to_i64(pos, strlen(pos), 1, INT64_MAX, &position) != 0)
		field_errors_add(fe, "岗位", "岗位编号应为正整数");
	if (!*pos) {
		if (strlen(nz(in->uscc)) >= sizeof(code)) {
			field_errors_add(fe, "统一社会信用代码", "统一社会信用代码应为 18 位");
		} else {
			str_copy(code, nz(in->uscc), sizeof(code));
			uscc_tidy(code);
			enum uscc_fault f = uscc_check(code);
			if (f != USCC_OK) {
				char msg[200];
				uscc_fault_text(f, code, msg, sizeof(msg));
				field_errors_add(fe, "统一社会信用代码", "%s", msg);
			}
		}
		if (emp_text(in->title, title, sizeof(title), EMPLOYMENT_NAME_MAX, 0))
			field_errors_add(fe, "岗位名称", "岗位名称最多 100 个字符");
		else if (!*title)
			field_errors_add(fe, "岗位名称", "请填写岗位名称");
	}
	const char *on = nz(in->hired_on);
	if (!emp_date_valid(on))
		field_errors_add(fe, "就业日期", "日期应为 YYYY-MM-DD，如 2026-03-15");
	else if (strcmp(on, clock_today_text()) > 0)
		field_errors_add(fe, "就业日期", "就业日期不能晚于今天");
	if (fe->n)
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, "输入有误"));
	if (db_tx_begin(db, in_tx))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	char reg[11], status[16];
	int64_t enterprise = 0;
	int rc = seeker_state(db, by, id, reg, status);
	if (!rc && strcmp(status, EMPLOYMENT_WITHDRAWN) == 0) {
		err_set(err, errlen, VE_CONFLICT, "该求职登记已退出，不能登记就业结果");
		rc = VE_CONFLICT;
	}
	if (!rc && strcmp(on, reg) < 0) {
		field_errors_add(fe, "就业日期", "就业日期早于求职登记日期 %s", reg);
		rc = VE_INVALID;
	}
	if (!rc && position) {
		struct db_stmt *st = db_q(
			db,
			"SELECT p.enterprise_id, p.title FROM employment_positions p JOIN "
			"employment_fairs f ON f.id = p.fair_id WHERE p.id = ? AND " SCOPE_REGION_SQL(
				"f.region_code", "f.created_by"),
			"i" SCOPE_REGION_FMT, position,
			SCOPE_REGION_ARGS(&by->scope, by->region_code));
		int got = st ? db_step(st) : VE_DB;
		if (got == DB_ROW) {
			enterprise = db_int(st, 0);
			str_copy(title, db_text(st, 1), sizeof(title));
		}
		db_done(st);
		if (got == DB_DONE) {
			field_errors_add(fe, "岗位", "没有编号为 %lld 的岗位", (long long)position);
			rc = VE_INVALID;
		} else if (got != DB_ROW) {
			rc = VE_DB;
		}
	} else if (!rc) {
		if (db_int_query(db, &enterprise, 0,
				 "SELECT id FROM employment_enterprises WHERE uscc = ?", "s", code))
			rc = VE_DB;
		else if (!enterprise) {
			field_errors_add(fe, "统一社会信用代码",
					 "没有统一社会信用代码为 %s 的企业，请先在企业名录中添加",
					 code);
			rc = VE_INVALID;
		}
	}
	if (!rc)
		rc = db_run(
			db,
			"UPDATE employment_seekers SET status = '" EMPLOYMENT_HIRED
			"', hired_on = ?, "
			"hired_enterprise_id = ?, hired_position_id = CASE WHEN ? = 0 THEN NULL ELSE ? END, "
			"hired_title = ?, updated_at = ?, updated_by = ?, updated_name = ? WHERE id = ?",
			"siiisiisi", on, enterprise, position, position, title, clock_now(),
			by->user_id, by->display_name, id);
	if (!rc) {
		char detail[600];
		snprintf(detail, sizeof(detail), "%s 就业于企业 %lld：%s", on,
			 (long long)enterprise, title);
		rc = account_audit(db, by, "employment.hire", "employment_seeker", id, detail);
	}
	int ended = db_tx_end(db, in_tx, rc);
	if (ended == VE_INVALID)
		return err_set(err, errlen, ended, "%s", field_errors_first(fe, "输入有误"));
	if (ended == VE_CONFLICT)
		return ended;
	if (ended == VE_NOTFOUND)
		return err_set(err, errlen, ended, "求职登记不存在");
	return ended ? err_set(err, errlen, ended, "保存失败，请稍后再试") : 0;
}

/* Seeker id's person's open records other than id. */
static int other_open(struct db *db, int64_t id, int64_t *n)
{
	return db_int_query(
		db, n, 0,
		"SELECT count(*) FROM employment_seekers o JOIN employment_seekers s ON "
		"s.person_id = o.person_id WHERE s.id = ? AND o.id <> s.id AND o.status = '" EMPLOYMENT_SEEKING
		"'",
		"i", id);
}

/* Moves seeker id from status from to status to (clearing the hire), audited as action. */
static int change_status(struct db *db, const struct principal *by, int64_t id, const char *from,
			 const char *to, const char *action, const char *detail, char *err,
			 size_t errlen)
{
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	char reg[11], status[16];
	int64_t others = 0;
	int rc = seeker_state(db, by, id, reg, status);
	if (!rc && strcmp(status, from) != 0)
		rc = VE_CONFLICT;
	if (!rc && strcmp(to, EMPLOYMENT_SEEKING) == 0 && other_open(db, id, &others))
		rc = VE_DB;
	if (!rc && others)
		rc = VE_EXISTS;
	if (!rc)
		rc = db_run(
			db,
			"UPDATE employment_seekers SET status = ?, hired_on = NULL, hired_enterprise_id "
			"= NULL, hired_position_id = NULL, hired_title = NULL, updated_at = ?, "
			"updated_by = ?, updated_name = ? WHERE id = ?",
			"siisi", to, clock_now(), by->user_id, by->display_name, id);
	if (!rc)
		rc = account_audit(db, by, action, "employment_seeker", id, detail);
	int ended = db_tx_end(db, 0, rc);
	if (ended == VE_CONFLICT)
		return err_set(err, errlen, ended, "该求职登记的状态不是%s", from);
	if (ended == VE_EXISTS)
		return err_set(err, errlen, VE_CONFLICT,
			       "该人员已有另一条求职中的登记，不能恢复这一条");
	if (ended == VE_NOTFOUND)
		return err_set(err, errlen, ended, "求职登记不存在");
	return ended ? err_set(err, errlen, ended, "保存失败，请稍后再试") : 0;
}

int employment_seeker_unhire(struct db *db, const struct principal *by, int64_t id, char *err,
			     size_t errlen)
{
	int rc = change_status(db, by, id, EMPLOYMENT_HIRED, EMPLOYMENT_SEEKING,
			       "employment.unhire", "撤销就业结果", err, errlen);
	return rc == VE_CONFLICT && strstr(err, "状态不是")
		       ? err_set(err, errlen, rc, "该求职登记没有就业结果可撤销")
		       : rc;
}

int employment_seeker_withdraw(struct db *db, const struct principal *by, int64_t id, char *err,
			       size_t errlen)
{
	return change_status(db, by, id, EMPLOYMENT_SEEKING, EMPLOYMENT_WITHDRAWN,
			     "employment.withdraw", "不再求职（已退出）", err, errlen);
}

int employment_seekers_load(struct db *db, const struct principal *by,
			    const struct employment_seeker_load *v, size_t n, char *err,
			    size_t errlen)
{
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	int rc = 0;
	char why[256];
	for (size_t i = 0; i < n && !rc; i++) {
		struct field_errors fe;
		int64_t id = 0;
		why[0] = '\0';
		rc = employment_seeker_register(db, by, &v[i].seeker, 1, &id, &fe, why,
						sizeof(why));
		if (!rc && *nz(v[i].hire.hired_on))
			rc = employment_seeker_hire(db, by, id, &v[i].hire, 1, &fe, why,
						    sizeof(why));
		/* a field's fault names the field; a refusal of the whole record (a second
		 * open registration) names none */
		if (rc && fe.n)
			err_set(err, errlen, rc, "第 %zu 条 %s：%s", i + 1, fe.items[0].field, why);
		else if (rc)
			err_set(err, errlen, rc, "第 %zu 条：%s", i + 1, why);
	}
	return db_tx_end(db, 0, rc);
}
