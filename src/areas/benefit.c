/* benefit.c - benefit types, standards and the 义务兵 rule tables. */
#include "benefit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "areas/audit.h"
#include "areas/person.h"
#include "io/sheet.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/mem.h"
#include "lib/money.h"
#include "lib/str.h"
#include "lib/utf8.h"

int64_t benefit_month_share(int64_t yearly_fen, int month)
{
	return yearly_fen * month / 12 - yearly_fen * (month - 1) / 12;
}

static const char *cycle_title(const char *cycle)
{
	return strcmp(cycle, "month") == 0     ? "按月"
	       : strcmp(cycle, "quarter") == 0 ? "按季"
	       : strcmp(cycle, "year") == 0    ? "按年"
					       : "一次性";
}

int benefit_types(struct db *db, json_t **out)
{
	struct db_stmt *st = db_q(
		db,
		"SELECT t.code, t.name, t.cycle, t.basis, t.categories, t.funeral_months, "
		"coalesce(t.funeral_cause, ''), (SELECT count(*) FROM benefit_standards s WHERE "
		"s.benefit_code = t.code AND s.status = '已生效'), (SELECT count(*) FROM "
		"benefit_standards s WHERE s.benefit_code = t.code AND s.status = '待审核') "
		"FROM benefit_types t ORDER BY t.sort",
		"");
	if (!st)
		return VE_DB;
	json_t *list = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(
			list,
			json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:I,s:I}", "code",
				  db_text(st, 0), "name", db_text(st, 1), "cycle", db_text(st, 2),
				  "cycle_title", cycle_title(db_text(st, 2)), "basis",
				  db_text(st, 3), "categories", db_text(st, 4), "funeral_months",
				  (json_int_t)db_int(st, 5), "funeral_cause", db_text(st, 6),
				  "standards", (json_int_t)db_int(st, 7), "pending",
				  (json_int_t)db_int(st, 8)));
	db_done(st);
	*out = list;
	return 0;
}

int benefit_exists(struct db *db, const char *code)
{
	int64_t n = 0;
	db_int_query(db, &n, 0, "SELECT count(*) FROM benefit_types WHERE code = ?", "s", code);
	return n > 0;
}

/* A checked standard, ready to store. */
struct standard {
	char benefit[32], basis[16], category[64], nature[16], effective_from[11], note[201];
	int grade;
	int64_t national, local;
};

/* Finds a benefit by code or name into s->benefit and s->basis. */
int benefit_find(struct db *db, const char *code_or_name, struct benefit_info *b)
{
	struct db_stmt *st =
		db_q(db,
		     "SELECT code, name, cycle, basis FROM benefit_types WHERE code = ? "
		     "OR name = ?",
		     "ss", code_or_name, code_or_name);
	if (!st)
		return VE_DB;
	int found = db_step(st) == DB_ROW;
	if (found) {
		str_copy(b->code, db_text(st, 0), sizeof(b->code));
		str_copy(b->name, db_text(st, 1), sizeof(b->name));
		str_copy(b->cycle, db_text(st, 2), sizeof(b->cycle));
		str_copy(b->basis, db_text(st, 3), sizeof(b->basis));
	}
	db_done(st);
	return found ? 0 : VE_NOTFOUND;
}

json_t *benefit_money_json(int64_t fen)
{
	char text[32];
	money_format(fen, text);
	return json_string(text);
}

/* ---- reading a standard ---- */

/* A grade written as its title ("一级") or its number, or -1. */
static int parse_grade(const char *v)
{
	for (int g = PERSON_GRADE_MIN; g <= PERSON_GRADE_MAX; g++)
		if (strcmp(v, person_grade_title(g)) == 0)
			return g;
	int64_t g;
	return str_to_i64(v, strlen(v), PERSON_GRADE_MIN, PERSON_GRADE_MAX, &g) == 0 ? (int)g : -1;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

int benefit_field_error(struct field_errors *fe, char *err, size_t errlen, const char *field,
			const char *fmt, ...)
{
	char message[FIELD_ERROR_MESSAGE];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	if (fe)
		field_errors_add(fe, field, "%s", message);
	else
		err_set(err, errlen, VE_INVALID, "%s：%s", field, message);
	return VE_INVALID;
}

/* Checks t into s: a field's error through fe (benefit_field_error), any other
 * Chinese reason in err. */
static int check_standard(struct db *db, const struct standard_text *t, struct standard *s,
			  struct field_errors *fe, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	struct benefit_info b;
	if (!t->benefit || benefit_find(db, t->benefit, &b) != 0)
		return benefit_field_error(fe, err, errlen, "待遇", "没有名为“%.40s”的待遇",
					   or_empty(t->benefit));
	str_copy(s->benefit, b.code, sizeof(s->benefit));
	str_copy(s->basis, b.basis, sizeof(s->basis));
	if (strcmp(s->basis, "fixed") == 0)
		return benefit_field_error(fe, err, errlen, "待遇",
					   "义务兵优待按规则表计算，请在义务兵优待规则中设置");
	const char *cat = or_empty(t->category);
	if (*cat && category_parse(cat) < 0)
		return benefit_field_error(fe, err, errlen, "人员类别", "没有“%.40s”这一类别",
					   cat);
	str_copy(s->category, cat, sizeof(s->category));
	int graded = strcmp(s->basis, "graded") == 0;
	const char *grade = or_empty(t->grade), *nature = or_empty(t->nature);
	if (graded) {
		if ((s->grade = parse_grade(grade)) < 0)
			return benefit_field_error(fe, err, errlen, "残疾等级", "应为 1 至 10 级");
		if (!nature || person_vocab_find(PERSON_NATURES, nature) < 0)
			return benefit_field_error(fe, err, errlen, "残疾性质",
						   "应为 因战、因公 或 因病");
		str_copy(s->nature, nature, sizeof(s->nature));
	} else if (*grade || *nature) {
		return err_set(err, errlen, VE_INVALID, "该待遇不分残疾等级和性质，请留空");
	}
	int m;
	const char *from = or_empty(t->effective_from);
	if (month_of_date(from, &m) != 0 || strcmp(from + 8, "01") != 0)
		return benefit_field_error(fe, err, errlen, "生效日期",
					   "应为某月 1 日，格式 YYYY-MM-DD，例如 2026-08-01");
	str_copy(s->effective_from, from, sizeof(s->effective_from));
	if (money_parse(or_empty(t->national), 100000000, &s->national) != 0)
		return benefit_field_error(fe, err, errlen, "国家标准",
					   "应为不超过一百万元的金额（元/年，最多两位小数）");
	if (money_parse(*or_empty(t->local) ? t->local : "0", 100000000, &s->local) != 0)
		return benefit_field_error(fe, err, errlen, "地方增发",
					   "应为不超过一百万元的金额（元/年，最多两位小数）");
	if (s->national + s->local < 12)
		return err_set(err, errlen, VE_INVALID,
			       "标准金额过小：全年至少 0.12 元，按月分摊后每月才不为零");
	const char *note = or_empty(t->note);
	if (utf8_count(note, strlen(note)) > 200 || !str_is_printable(note, strlen(note), 0))
		return benefit_field_error(fe, err, errlen, "说明", "最多 200 字");
	str_copy(s->note, note, sizeof(s->note));
	return 0;
}

static int store_standard(struct db *db, const struct principal *by, const struct standard *s,
			  int demo, int64_t *id)
{
	int rc = db_run(
		db,
		"INSERT INTO benefit_standards (benefit_code, category, grade, nature, "
		"effective_from, national_fen, local_fen, note, demo, status, proposed_by, "
		"proposed_name, proposed_at, region_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
		"'待审核', nullif(?, 0), ?, ?, ?)",
		"ssissiisiisis", s->benefit, s->category, (int64_t)s->grade, s->nature,
		s->effective_from, s->national, s->local, s->note, (int64_t)demo, by->user_id,
		by->display_name[0] ? by->display_name : by->username, clock_now(),
		by->region_code);
	if (rc)
		return rc;
	*id = db_last_id(db);
	char detail[300], yearly[32];
	money_format_grouped(s->national + s->local, yearly);
	snprintf(detail, sizeof(detail), "%s %s%s%s 自 %s 起 %s 元/年", s->benefit, s->category,
		 s->grade ? " 残疾等级" : "", s->nature, s->effective_from, yearly);
	return account_audit(db, by, "standard.propose", "standard", *id, detail);
}

/* 0 when by's roles hold perm (whoever calls: a page, the API, --as); else VE_DENIED. */
static int allowed(const struct principal *by, const struct perm *perm, char *err, size_t errlen)
{
	if (perm_allows(by->roles, perm))
		return 0;
	return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限", perm_title(perm));
}

int benefit_standard_propose(struct db *db, const struct principal *by,
			     const struct standard_text *t, int demo, int64_t *id,
			     struct field_errors *fe, char *err, size_t errlen)
{
	struct standard s;
	if (allowed(by, PERM_STANDARD_WRITE, err, errlen))
		return VE_DENIED;
	int rc = check_standard(db, t, &s, fe, err, errlen);
	if (rc)
		return rc;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	rc = db_tx_end(db, 0, store_standard(db, by, &s, demo, id));
	return rc ? err_set(err, errlen, VE_DB, "保存失败") : 0;
}

static int decide(struct db *db, const struct principal *by, int64_t id, int approve, char *err,
		  size_t errlen)
{
	if (allowed(by, PERM_STANDARD_APPROVE, err, errlen))
		return VE_DENIED;
	struct db_stmt *st =
		db_q(db,
		     "SELECT status, coalesce(proposed_by, 0), benefit_code, category, "
		     "grade, nature, effective_from FROM benefit_standards WHERE id = ?",
		     "i", id);
	if (!st || db_step(st) != DB_ROW) {
		db_done(st);
		return err_set(err, errlen, VE_NOTFOUND, "没有这条标准");
	}
	char status[16], benefit[32], category[64], nature[16], from[11];
	str_copy(status, db_text(st, 0), sizeof(status));
	int64_t proposer = db_int(st, 1), grade = db_int(st, 4);
	str_copy(benefit, db_text(st, 2), sizeof(benefit));
	str_copy(category, db_text(st, 3), sizeof(category));
	str_copy(nature, db_text(st, 5), sizeof(nature));
	str_copy(from, db_text(st, 6), sizeof(from));
	db_done(st);
	if (strcmp(status, "待审核") != 0)
		return err_set(err, errlen, VE_CONFLICT, "这条标准已经%s，不能再次审批", status);
	if (proposer == by->user_id)
		return err_set(err, errlen, VE_DENIED,
			       "标准须由拟定人以外的另一人审批，不能审批本人拟定的标准");
	int rc = 0;
	if (approve) /* a correction of the same key and date replaces the earlier figure */
		rc = db_run(
			db,
			"UPDATE benefit_standards SET status = '已驳回' WHERE status = '已生效' "
			"AND benefit_code = ? AND category = ? AND grade = ? AND nature = ? AND "
			"effective_from = ?",
			"ssiss", benefit, category, grade, nature, from);
	if (rc == 0)
		rc = db_run(
			db,
			"UPDATE benefit_standards SET status = ?, decided_by = nullif(?, 0), "
			"decided_name = ?, decided_at = ?, approved_seq = CASE WHEN ? <> 0 THEN "
			"(SELECT coalesce(max(approved_seq), 0) + 1 FROM benefit_standards) END "
			"WHERE id = ?",
			"sisiii", approve ? "已生效" : "已驳回", by->user_id,
			by->display_name[0] ? by->display_name : by->username, clock_now(),
			(int64_t)approve, id);
	if (rc == 0)
		rc = account_audit(db, by, approve ? "standard.approve" : "standard.reject",
				   "standard", id, "");
	return rc ? err_set(err, errlen, VE_DB, "保存失败") : 0;
}

int benefit_standard_decide(struct db *db, const struct principal *by, int64_t id, int approve,
			    char *err, size_t errlen)
{
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	int rc = decide(db, by, id, approve, err, errlen);
	int ended = db_tx_end(db, 0, rc);
	return ended && !rc ? err_set(err, errlen, VE_DB, "保存失败") : ended;
}

int benefit_standard_list(struct db *db, const char *code, json_t **out)
{
	struct db_stmt *st = db_q(
		db,
		"SELECT s.id, s.benefit_code, t.name, s.category, s.grade, s.nature, "
		"s.effective_from, s.national_fen, s.local_fen, s.note, s.demo, s.status, "
		"s.proposed_name, coalesce(s.decided_name, '') FROM benefit_standards s JOIN "
		"benefit_types t ON t.code = s.benefit_code WHERE (? IS NULL OR s.benefit_code = "
		"?) "
		"ORDER BY t.sort, s.effective_from DESC, s.category, s.grade, s.nature, s.id DESC",
		"ss", code, code);
	if (!st)
		return VE_DB;
	json_t *list = json_array();
	while (db_step(st) == DB_ROW) {
		int64_t national = db_int(st, 7), local = db_int(st, 8);
		json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:s,s:I,s:I,s:I}", "id",
				      (json_int_t)db_int(st, 0), "benefit", db_text(st, 1),
				      "benefit_name", db_text(st, 2), "category", db_text(st, 3),
				      "grade", (json_int_t)db_int(st, 4), "nature", db_text(st, 5),
				      "effective_from", db_text(st, 6), "national_fen",
				      (json_int_t)national, "local_fen", (json_int_t)local,
				      "yearly_fen", (json_int_t)(national + local));
		json_object_set_new(o, "national", benefit_money_json(national));
		json_object_set_new(o, "local", benefit_money_json(local));
		json_object_set_new(o, "yearly", benefit_money_json(national + local));
		json_object_set_new(o, "note", json_string(db_text(st, 9)));
		json_object_set_new(o, "demo", json_boolean(db_int(st, 10)));
		json_object_set_new(o, "status", json_string(db_text(st, 11)));
		json_object_set_new(o, "proposed_name", json_string(db_text(st, 12)));
		json_object_set_new(o, "decided_name", json_string(db_text(st, 13)));
		json_array_append_new(list, o);
	}
	db_done(st);
	*out = list;
	return 0;
}

/* ---- import ---- */

enum { S_BENEFIT, S_CATEGORY, S_GRADE, S_NATURE, S_FROM, S_NATIONAL, S_LOCAL, S_NOTE, S_COLS };
static const char *const standard_columns[S_COLS] = {
	"待遇",     "人员类别",          "残疾等级",          "残疾性质",
	"生效日期", "国家标准（元/年）", "地方增发（元/年）", "说明"};

/* Reads and checks every row into *rows (malloc'd); the number of bad rows, or -1
 * when the file itself could not be read (err). */
static long read_standards(struct db *db, struct sheet_reader *in, struct standard **rows, long *n,
			   benefit_error_fn on_error, void *ctx, char *err, size_t errlen)
{
	struct sheet_row row;
	int col[S_COLS], rc;
	if ((rc = sheet_next(in, &row, err, errlen)) != 1) {
		if (rc == 0)
			err_set(err, errlen, VE_INVALID, "文件是空的：第一行应为表头");
		return -1;
	}
	char why[200];
	if (sheet_columns(&row, standard_columns, S_COLS,
			  1u << S_BENEFIT | 1u << S_FROM | 1u << S_NATIONAL, 0, col, why,
			  sizeof(why)) != 0) {
		on_error(ctx, row.number, why);
		return err_set(err, errlen, VE_INVALID, "表头有误"), -1;
	}
	long bad = 0, cap = 16;
	*rows = xmalloc((size_t)cap * sizeof(**rows));
	*n = 0;
	while ((rc = sheet_next(in, &row, err, errlen)) == 1) {
		if (row.n == 0)
			continue;
		if (*n == 1000)
			return err_set(err, errlen, VE_LIMIT, "一次最多导入 1000 条标准"), -1;
		if (*n == cap)
			*rows = xrealloc(*rows, (size_t)(cap *= 2) * sizeof(**rows));
		struct standard_text t = {
			sheet_cell(&row, col[S_BENEFIT]), sheet_cell(&row, col[S_CATEGORY]),
			sheet_cell(&row, col[S_GRADE]),   sheet_cell(&row, col[S_NATURE]),
			sheet_cell(&row, col[S_FROM]),    sheet_cell(&row, col[S_NATIONAL]),
			sheet_cell(&row, col[S_LOCAL]),   sheet_cell(&row, col[S_NOTE]),
		};
		if (check_standard(db, &t, &(*rows)[*n], NULL, why, sizeof(why)) == 0) {
			(*n)++;
			continue;
		}
		on_error(ctx, row.number, why);
		bad++;
	}
	return rc < 0 ? -1 : bad;
}

int benefit_standard_import(struct db *db, const struct principal *by, const char *path,
			    benefit_error_fn on_error, void *ctx, long *n, char *err, size_t errlen)
{
	*n = 0;
	if (allowed(by, PERM_STANDARD_WRITE, err, errlen))
		return VE_DENIED;
	struct sheet_reader *in = sheet_open(path, err, errlen);
	if (!in)
		return VE_INVALID;
	struct standard *rows = NULL;
	long count = 0, bad = read_standards(db, in, &rows, &count, on_error, ctx, err, errlen);
	sheet_close(in);
	int rc = VE_INVALID;
	if (bad > 0)
		err_set(err, errlen, VE_INVALID, "%ld 行有误，未导入任何标准", bad);
	else if (bad == 0 && db_tx_begin(db, 0))
		rc = err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	else if (bad == 0) {
		rc = 0;
		for (long i = 0; i < count && rc == 0; i++) {
			int64_t id;
			rc = store_standard(db, by, &rows[i], 0, &id);
		}
		if (db_tx_end(db, 0, rc) == 0)
			*n = count;
		else
			rc = err_set(err, errlen, VE_DB, "保存失败，未导入任何标准");
	}
	free(rows);
	return rc;
}

/* ---- 义务兵 rules ---- */

int conscript_rule_set(struct db *db, const struct principal *by, int year, const char *kind,
		       const char *item, int64_t amount_fen, int demo, struct field_errors *fe,
		       char *err, size_t errlen)
{
	if (allowed(by, PERM_STANDARD_WRITE, err, errlen))
		return VE_DENIED;
	if (year < 2000 || year > 2100)
		return benefit_field_error(fe, err, errlen, "年度", "应为 2000 至 2100 年");
	if (strcmp(kind, "基数") && strcmp(kind, "增发") && strcmp(kind, "奖励金"))
		return benefit_field_error(fe, err, errlen, "类型", "应为 基数、增发 或 奖励金");
	if (strcmp(kind, "基数") == 0)
		item = "基数";
	if (!item || !*item || utf8_count(item, strlen(item)) > 20 ||
	    !str_is_printable(item, strlen(item), 0))
		return benefit_field_error(fe, err, errlen, "项目", "请填写 1 至 20 字的项目名称");
	if (amount_fen < 0 || amount_fen > 100000000)
		return benefit_field_error(fe, err, errlen, "金额", "应在 0 至 100 万元之间");
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	int rc = db_run(
		db,
		"INSERT INTO conscript_rules (year, kind, item, amount_fen, demo, set_by, "
		"region_code) VALUES (?, ?, ?, ?, ?, nullif(?, 0), ?) ON CONFLICT (year, kind, "
		"item) DO UPDATE SET amount_fen = excluded.amount_fen, demo = excluded.demo, "
		"set_by = excluded.set_by",
		"issiiis", (int64_t)year, kind, item, amount_fen, (int64_t)demo, by->user_id,
		by->region_code);
	if (rc == 0) /* a changed table needs approving again */
		rc = db_run(db, "DELETE FROM conscript_rule_approvals WHERE year = ?", "i",
			    (int64_t)year);
	char detail[160], yuan[32];
	money_format_grouped(amount_fen, yuan);
	snprintf(detail, sizeof(detail), "%d 年 %s %s %s 元", year, kind, item, yuan);
	if (rc == 0)
		rc = account_audit(db, by, "conscript.rule", "conscript_rule", year, detail);
	return db_tx_end(db, 0, rc) ? err_set(err, errlen, VE_DB, "保存失败") : 0;
}

int conscript_rule_list(struct db *db, int year, json_t **out)
{
	struct db_stmt *st =
		db_q(db,
		     "SELECT year, kind, item, amount_fen, demo FROM conscript_rules "
		     "WHERE ? = 0 OR year = ? ORDER BY year DESC, CASE kind WHEN '基数' "
		     "THEN 0 WHEN '增发' THEN 1 ELSE 2 END, item",
		     "ii", (int64_t)year, (int64_t)year);
	if (!st)
		return VE_DB;
	json_t *list = json_array();
	while (db_step(st) == DB_ROW) {
		json_t *o = json_pack("{s:I,s:s,s:s,s:I,s:b}", "year", (json_int_t)db_int(st, 0),
				      "kind", db_text(st, 1), "item", db_text(st, 2), "amount_fen",
				      (json_int_t)db_int(st, 3), "demo", (int)db_int(st, 4));
		json_object_set_new(o, "amount", benefit_money_json(db_int(st, 3)));
		json_array_append_new(list, o);
	}
	db_done(st);
	*out = list;
	return 0;
}

int conscript_rules_approve(struct db *db, const struct principal *by, int year, char *err,
			    size_t errlen)
{
	int64_t bases = 0, mine = 0;
	if (allowed(by, PERM_STANDARD_APPROVE, err, errlen))
		return VE_DENIED;
	if (by->user_id == 0)
		return err_set(err, errlen, VE_DENIED, "审批规则须以本人账号办理（--as 用户名）");
	if (db_int_query(db, &bases, 0,
			 "SELECT count(*) FROM conscript_rules WHERE year = ? AND kind = '基数'",
			 "i", (int64_t)year) ||
	    db_int_query(db, &mine, 0,
			 "SELECT count(*) FROM conscript_rules WHERE year = ? AND set_by = ?", "ii",
			 (int64_t)year, by->user_id))
		return err_set(err, errlen, VE_DB, "读取规则失败");
	if (!bases)
		return err_set(err, errlen, VE_INVALID, "%d 年还没有设置基数，无需审批", year);
	if (mine)
		return err_set(err, errlen, VE_DENIED,
			       "%d 年的规则中有您设置的项目，须由设置人以外的另一人审批", year);
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	char detail[64];
	snprintf(detail, sizeof(detail), "审批 %d 年义务兵优待规则", year);
	int rc = db_run(db,
			"INSERT INTO conscript_rule_approvals (year, approved_by, approved_name, "
			"approved_at, region_code) VALUES (?, ?, ?, ?, ?) ON CONFLICT (year) DO "
			"UPDATE SET approved_by = excluded.approved_by, approved_name = "
			"excluded.approved_name, approved_at = excluded.approved_at, region_code = "
			"excluded.region_code",
			"iisis", (int64_t)year, by->user_id,
			by->display_name[0] ? by->display_name : by->username, clock_now(),
			by->region_code);
	if (rc == 0)
		rc = account_audit(db, by, "conscript.rules_approve", "conscript_rule", year,
				   detail);
	int ended = db_tx_end(db, 0, rc);
	return ended && !rc ? err_set(err, errlen, VE_DB, "保存失败") : ended;
}

int conscript_rules_approval(struct db *db, int year, json_t **out)
{
	struct db_stmt *st =
		db_q(db, "SELECT approved_name FROM conscript_rule_approvals WHERE year = ?", "i",
		     (int64_t)year);
	if (!st)
		return VE_DB;
	int found = db_step(st) == DB_ROW;
	*out = json_pack("{s:b,s:s}", "approved", found, "approved_name",
			 found ? db_text(st, 0) : "");
	db_done(st);
	return 0;
}

/* ---- the area ---- */

const struct perm perm_benefit_read = {"benefit.read", "查看待遇与发放", ROLE_BUSINESS};
const struct perm perm_standard_write = {"standard.write", "拟定待遇标准", ROLE_BIT(CLERK)};
const struct perm perm_standard_approve = {"standard.approve", "审批待遇标准", ROLE_BIT(REVIEWER) | ROLE_BIT(APPROVER)};

static const struct perm *const perms[] = {
	PERM_BENEFIT_READ,
	PERM_STANDARD_WRITE,
	PERM_STANDARD_APPROVE,
	NULL,
};

static const struct audit_title audit_titles[] = {
	{"standard.propose", "拟定待遇标准"},
	{"standard.approve", "批准待遇标准"},
	{"standard.reject", "驳回待遇标准"},
	{NULL, NULL},
};

/* Standards proposed and waiting for a decision, one to-do per benefit, for one who may
 * decide them (never his own proposal, which he does not count). */
static int benefit_todos(struct db *db, const struct principal *by, json_t *list)
{
	if (!perm_allows(by->roles, PERM_STANDARD_APPROVE))
		return 0;
	struct db_stmt *st = db_q(db,
				  "SELECT t.code, t.name, count(*) FROM benefit_types t JOIN "
				  "benefit_standards s ON s.benefit_code = t.code WHERE s.status = "
				  "'待审核' AND s.proposed_by IS DISTINCT FROM ? GROUP BY t.code, t.name, "
				  "t.sort ORDER BY t.sort, t.code",
				  "i", by->user_id);
	if (!st)
		return VE_DB;
	int r;
	while ((r = db_step(st)) == DB_ROW) {
		char title[128], href[96];
		snprintf(title, sizeof(title), "审批待遇标准：%s", db_text(st, 1));
		snprintf(href, sizeof(href), "/benefits?benefit=%s", db_text(st, 0));
		json_array_append_new(list, json_pack("{s:s,s:I,s:s,s:s}", "title", title, "count",
						      (json_int_t)db_int(st, 2), "href", href,
						      "note", "拟定人以外的复核人或审批人审批后生效"));
	}
	db_done(st);
	return r == DB_DONE ? 0 : VE_DB;
}

const struct area benefit_area = {
	.name = "benefit",
	.perms = perms,
	.audit_titles = audit_titles,
	.todos = benefit_todos,
};
