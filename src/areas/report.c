/* report.c - the annual report drafted from the records (report.h). */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "areas/article.h"
#include "areas/figure.h"
#include "areas/region.h"
#include "areas/scope.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"
#include "lib/utf8.h"

const char *const report_part_titles[REPORT_PARTS] = {
	"一、主要举措和成效",
	"二、存在的不足和问题",
	"三、党政主要负责人履行推进法治建设第一责任人职责情况",
	"四、下一年度主要安排",
};
const char *const report_part_keys[REPORT_PARTS] = {"achievements", "shortcomings", "duties",
						    "plans"};

/* The default text of the parts after the first (the first is every area's paragraph). */
static const char *const default_parts[REPORT_PARTS] = {
	NULL,
	"一是常态化联系工作还不够均衡，截至统计日仍有 {overdue_contacts} 人未按频次联系，个别社区"
	"服务站人手紧、台账更新不及时。\n"
	"二是法治宣传的针对性有待增强，面向高龄、行动不便退役军人的送法上门形式还不够丰富。\n"
	"三是数据共享和业务协同仍需加强，部分跨部门事项仍需群众往返提交材料。",
	"局党组书记、局长认真履行推进法治建设第一责任人职责，把法治建设纳入年度工作要点，"
	"与业务工作同部署、同推进、同考核；主持召开党组会专题研究法治建设，带头学法、尊法、"
	"守法、用法，对重大行政决策、规范性文件和重大执法决定严格履行法制审核程序。",
	"一是深化“退役军人服务一件事”改革，扩大容缺受理事项范围，提升窗口办件质效。\n"
	"二是完善常态化联系和关爱帮扶机制，确保联系对象按频次联系到位。\n"
	"三是加强普法宣传，组织好学法考试，推动法治宣传进社区、进家庭。\n"
	"四是严格规范待遇发放，坚持复核审批和银行代发，确保资金安全、发放精准。",
};

/* ---- permissions ---- */

static int may(const struct principal *by, const struct perm *perm, char *err, size_t errlen)
{
	if (!perm_allows(by->roles, perm))
		return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限", perm_title(perm));
	if (!account_district_wide(by))
		return err_set(err, errlen, VE_DENIED, "年度报告由区局统一撰写和定稿，"
							"街道只能查看本街道的数字");
	return 0;
}

static int tx_end(struct db *db, int rc, char *err, size_t errlen)
{
	int ended = db_tx_end(db, 0, rc);
	return ended && !rc ? err_set(err, errlen, VE_DB, "保存失败，请稍后再试") : ended;
}

/* ---- the text ---- */

/* The default first part: every area's paragraph, in the areas' order. */
static void default_achievements(struct buf *b)
{
	for (const struct area *const *a = area_list; *a; a++)
		if ((*a)->figures && (*a)->figures->paragraph) {
			if (b->len)
				buf_puts(b, "\n");
			buf_puts(b, (*a)->figures->paragraph);
		}
}

int report_text_get(struct db *db, int year, int64_t version, json_t **out)
{
	struct db_stmt *st = db_q(db,
				  "SELECT version, written_name, written_at, achievements, "
				  "shortcomings, duties, plans FROM report_drafts WHERE year = ? "
				  "AND (? = 0 OR version = ?) ORDER BY version DESC LIMIT 1",
				  "iii", (int64_t)year, version, version);
	if (!st)
		return VE_DB;
	int step = db_step(st);
	json_t *o = json_pack("{s:i}", "year", year);
	if (step == DB_ROW) {
		json_object_set_new(o, "version", json_integer(db_int(st, 0)));
		json_object_set_new(o, "written_name", json_string(db_text(st, 1)));
		json_object_set_new(o, "written_at", json_integer(db_int(st, 2)));
		for (int i = 0; i < REPORT_PARTS; i++)
			json_object_set_new(o, report_part_keys[i], json_string(db_text(st, 3 + i)));
	}
	db_done(st);
	if (step != DB_ROW && (step != DB_DONE || version != 0)) {
		json_decref(o);
		return step == DB_DONE ? VE_NOTFOUND : VE_DB;
	}
	if (step == DB_DONE) { /* nothing saved yet: the draft the records give */
		struct buf b;
		buf_init(&b, BUF_DEFAULT_MAX);
		default_achievements(&b);
		json_object_set_new(o, "version", json_integer(0));
		json_object_set_new(o, report_part_keys[0], json_stringn(b.data ? b.data : "", b.len));
		for (int i = 1; i < REPORT_PARTS; i++)
			json_object_set_new(o, report_part_keys[i], json_string(default_parts[i]));
		buf_free(&b);
	}
	*out = o;
	return 0;
}

int report_versions(struct db *db, int year, json_t **out)
{
	struct db_stmt *st = db_q(db,
				  "SELECT version, written_name, written_at, length(achievements) + "
				  "length(shortcomings) + length(duties) + length(plans) FROM "
				  "report_drafts WHERE year = ? ORDER BY version DESC",
				  "i", (int64_t)year);
	if (!st)
		return VE_DB;
	json_t *a = json_array();
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		char on[17];
		clock_local_minute(db_int(st, 2), on);
		json_array_append_new(a, json_pack("{s:I,s:s,s:I,s:s,s:I}", "version",
						   (json_int_t)db_int(st, 0), "written_name",
						   db_text(st, 1), "written_at",
						   (json_int_t)db_int(st, 2), "written_on", on, "chars",
						   (json_int_t)db_int(st, 3)));
	}
	db_done(st);
	if (step != DB_DONE)
		return json_decref(a), VE_DB;
	*out = a;
	return 0;
}

/* Calls fn(ctx, key, n) for each {key} of text (key: n bytes of [a-z0-9_], 1-63), and
 * literal(ctx, text, n) for the text between; stops at fn's nonzero return. */
static int each_placeholder(const char *text, size_t len,
			    int (*literal)(void *ctx, const char *s, size_t n),
			    int (*fn)(void *ctx, const char *key, size_t n), void *ctx)
{
	size_t from = 0;
	for (size_t i = 0; i < len; i++) {
		if (text[i] != '{')
			continue;
		size_t j = i + 1;
		while (j < len && j - i <= 64 &&
		       ((text[j] >= 'a' && text[j] <= 'z') || (text[j] >= '0' && text[j] <= '9') ||
			text[j] == '_'))
			j++;
		if (j >= len || text[j] != '}' || j == i + 1 || j - i > 64)
			continue;
		int rc = (literal && i > from ? literal(ctx, text + from, i - from) : 0) ||
			 fn(ctx, text + i + 1, j - i - 1);
		if (rc)
			return rc;
		from = j + 1;
		i = j;
	}
	return literal && len > from ? literal(ctx, text + from, len - from) : 0;
}

static int known_key(const char *key, size_t n)
{
	char k[64];
	snprintf(k, sizeof(k), "%.*s", (int)n, key);
	return figure_lookup(k, NULL) || figure_rate_lookup(k, NULL);
}

struct key_check {
	struct field_errors *fe;
	const char *field;
};

static int check_key(void *ctx, const char *key, size_t n)
{
	struct key_check *c = ctx;
	if (!known_key(key, n))
		field_errors_add(c->fe, c->field,
				 "「{%.*s}」不是统计项：花括号中应为统计项的代码，如 {holiday_visits}",
				 (int)n, key);
	return !known_key(key, n);
}

/* Keeps the four parts as version of year, by by. 0 or VE_DB. */
static int insert_draft(struct db *db, const struct principal *by, int year, int64_t version,
			const char *const part[REPORT_PARTS])
{
	return db_run(db,
		      "INSERT INTO report_drafts (year, version, achievements, shortcomings, duties, "
		      "plans, written_by, written_name, written_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		      "iissssisi", (int64_t)year, version, part[0] ? part[0] : "",
		      part[1] ? part[1] : "", part[2] ? part[2] : "", part[3] ? part[3] : "",
		      by->user_id, by->display_name, clock_now());
}

static int finalised(struct db *db, int year, int64_t *found)
{
	return db_int_query(db, found, 0, "SELECT count(*) FROM report_finals WHERE year = ?", "i",
			    (int64_t)year);
}

int report_save(struct db *db, const struct principal *by, int year, const struct report_text *t,
		int64_t *version, struct field_errors *fe, char *err, size_t errlen)
{
	*version = 0;
	if (may(by, PERM_REPORT_WRITE, err, errlen))
		return VE_DENIED;
	if (year < 1950 || year > 2100)
		return err_set(err, errlen, VE_INVALID, "年度应为 1950 至 2100 年");
	size_t chars = 0;
	for (int i = 0; i < REPORT_PARTS; i++) {
		const char *p = t->part[i] ? t->part[i] : "";
		size_t n = strlen(p);
		if (!utf8_valid(p, n))
			field_errors_add(fe, report_part_titles[i], "含有无法识别的字符");
		else if (utf8_count(p, n) > REPORT_PART_MAX)
			field_errors_add(fe, report_part_titles[i], "不能超过 %d 字",
					 REPORT_PART_MAX);
		else {
			struct key_check c = {fe, report_part_titles[i]};
			each_placeholder(p, n, NULL, check_key, &c);
			chars += utf8_count(p, n);
		}
	}
	if (!fe->n && chars > REPORT_TEXT_MAX)
		field_errors_add(fe, report_part_titles[0],
				 "全文共 %zu 字，不能超过 %d 字（公开到门户网站时正文连同附件的上限）",
				 chars, REPORT_TEXT_MAX);
	if (fe->n)
		return err_set(err, errlen, VE_INVALID, "报告内容有误，未保存");
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	int64_t done = 0, last = 0;
	int rc = finalised(db, year, &done) ||
				 db_int_query(db, &last, 0,
					      "SELECT coalesce(max(version), 0) FROM report_drafts "
					      "WHERE year = ?",
					      "i", (int64_t)year)
			 ? VE_DB
			 : 0;
	if (!rc && done)
		rc = err_set(err, errlen, VE_CONFLICT, "%d 年度报告已定稿，不能再修改", year);
	if (!rc)
		rc = insert_draft(db, by, year, last + 1, t->part);
	if (!rc) {
		char detail[160];
		snprintf(detail, sizeof(detail), "保存 %d 年度报告第 %lld 稿（%zu 字）", year,
			 (long long)(last + 1), chars);
		rc = account_audit(db, by, "report.save", "report", year, detail);
	}
	rc = tx_end(db, rc, err, errlen);
	if (!rc)
		*version = last + 1;
	return rc;
}

/* ---- the figures ---- */

/* Figure entry f's value as frozen and compared: "11047", or a rate's "6/11" ("" when its
 * denominator is 0): a rate is kept as its two counts, never as a rounded fraction. */
static void entry_text(const json_t *f, char out[32])
{
	json_t *den = json_object_get(f, "den");
	if (!den)
		snprintf(out, 32, "%lld", (long long)json_integer_value(json_object_get(f, "value")));
	else if (json_integer_value(den) > 0)
		snprintf(out, 32, "%lld/%lld",
			 (long long)json_integer_value(json_object_get(f, "num")),
			 (long long)json_integer_value(den));
	else
		out[0] = '\0';
}

/* A rate's value from its two counts: the fraction, or null over 0. */
static json_t *rate_value(int64_t num, int64_t den)
{
	return den > 0 ? json_real((double)num / (double)den) : json_null();
}

/* A value as printed: 11,047 or 92.7%; "—" for a rate with no denominator. */
static void value_shown(const json_t *v, char out[32])
{
	if (json_is_integer(v)) {
		char digits[24];
		int n = snprintf(digits, sizeof(digits), "%lld", (long long)json_integer_value(v));
		size_t o = 0;
		for (int i = 0; i < n && o < 30; i++) {
			out[o++] = digits[i];
			int left = n - 1 - i;
			if (left > 0 && left % 3 == 0 && digits[i] != '-')
				out[o++] = ',';
		}
		out[o] = '\0';
	} else if (json_is_real(v)) {
		double pct = json_real_value(v) * 100.0;
		long tenths = (long)(pct * 10.0 + 0.5);
		if (tenths % 10 == 0)
			snprintf(out, 32, "%ld%%", tenths / 10);
		else
			snprintf(out, 32, "%ld.%ld%%", tenths / 10, tenths % 10);
	} else {
		snprintf(out, 32, "—");
	}
}

/* Sets entry f's value (and a rate's counts) from its frozen text t (entry_text's). */
static void entry_set_text(json_t *f, const char *t)
{
	if (!json_object_get(f, "den")) {
		json_object_set_new(f, "value", json_integer(strtoll(t, NULL, 10)));
		return;
	}
	long long num = 0, den = 0;
	if (sscanf(t, "%lld/%lld", &num, &den) != 2)
		num = den = 0;
	json_object_set_new(f, "num", json_integer(num));
	json_object_set_new(f, "den", json_integer(den));
	json_object_set_new(f, "value", rate_value(num, den));
}

/* The figure entry of key (of set) with value v. */
static json_t *figure_entry(const struct figure_set *set, const char *key, const char *name,
			    const char *unit, const char *definition, json_t *v, int year)
{
	char shown[32], href[200];
	value_shown(v, shown);
	figure_list_href(set, key, year, href, sizeof(href));
	return json_pack("{s:s,s:s,s:o,s:s,s:s,s:s,s:s,s:s}", "key", key, "name", name, "value", v,
			 "unit", unit, "definition", definition, "area", set->area, "list_href",
			 href, "shown", shown);
}

/* Every figure and rate of the sets by may read, live, appended to figures. */
static int live_figures(struct db *db, const struct principal *by, int year, json_t *figures)
{
	for (const struct area *const *a = area_list; *a; a++) {
		const struct figure_set *set = (*a)->figures;
		if (!set || (set->perm && !perm_allows(by->roles, set->perm)))
			continue;
		json_t *s = NULL;
		int rc = figure_stats(db, by, set, year, &s);
		if (rc)
			return rc;
		for (const struct figure *f = set->figures; f->key; f++) {
			json_t *e = figure_entry(set, f->key, f->title, f->unit, f->definition,
						 json_incref(json_object_get(s, f->key)), year);
			if (f->sum_column) /* its value is this column's sum over its rows */
				json_object_set_new(e, "sum_column", json_string(f->sum_column));
			json_array_append_new(figures, e);
		}
		for (const struct figure_rate *r = set->rates; r && r->key; r++) {
			int64_t num = json_integer_value(json_object_get(s, r->numerator));
			int64_t den = json_integer_value(json_object_get(s, r->denominator));
			json_t *e = figure_entry(set, r->key, r->title, "%", r->definition,
						 rate_value(num, den), year);
			json_object_set_new(e, "num", json_integer(num));
			json_object_set_new(e, "den", json_integer(den));
			/* a rate's rows are its numerator's */
			char href[200];
			figure_list_href(set, r->numerator, year, href, sizeof(href));
			json_object_set_new(e, "list_href", json_string(href));
			json_array_append_new(figures, e);
		}
		json_decref(s);
	}
	return 0;
}

/* Puts the frozen values of a finalised year in place of the live ones, the live one beside
 * it when they differ (*corrections counts those); a figure the registry gained since is
 * marked "added" (not frozen). */
static int apply_frozen(struct db *db, int year, json_t *figures, int64_t *corrections)
{
	size_t i;
	json_t *f;
	json_array_foreach(figures, i, f)
	{
		struct db_stmt *st = db_q(db,
					  "SELECT value FROM report_figures WHERE year = ? AND "
					  "key = ?",
					  "is", (int64_t)year,
					  json_string_value(json_object_get(f, "key")));
		if (!st)
			return VE_DB;
		int step = db_step(st);
		if (step == DB_ROW) {
			char now[32], then[32], shown[32];
			entry_text(f, now);
			str_copy(then, db_text(st, 0), sizeof(then));
			if (strcmp(now, then) != 0) {
				json_object_set(f, "current", json_object_get(f, "value"));
				json_object_set(f, "current_shown", json_object_get(f, "shown"));
				json_object_set_new(f, "corrected", json_true());
				++*corrections;
			}
			entry_set_text(f, then);
			value_shown(json_object_get(f, "value"), shown);
			json_object_set_new(f, "shown", json_string(shown));
			json_object_set_new(f, "frozen", json_true());
		} else if (step == DB_DONE) {
			json_object_set_new(f, "added", json_true());
		}
		db_done(st);
		if (step != DB_ROW && step != DB_DONE)
			return VE_DB;
	}
	return 0;
}

/* ---- the sections ---- */

struct render {
	json_t *figures;      /* the report's figures, looked up by key */
	json_t *parts;        /* the paragraph's parts */
	struct buf *text;     /* the section's plain text */
};

static json_t *figure_by_key(json_t *figures, const char *key, size_t n)
{
	size_t i;
	json_t *f;
	json_array_foreach(figures, i, f)
	{
		const char *k = json_string_value(json_object_get(f, "key"));
		if (strlen(k) == n && memcmp(k, key, n) == 0)
			return f;
	}
	return NULL;
}

static int render_literal(void *ctx, const char *s, size_t n)
{
	struct render *r = ctx;
	json_array_append_new(r->parts, json_pack("{s:s%}", "text", s, n));
	buf_append(r->text, s, n);
	return 0;
}

static int render_key(void *ctx, const char *key, size_t n)
{
	struct render *r = ctx;
	json_t *f = figure_by_key(r->figures, key, n);
	if (!f) { /* a figure the reader may not see, or one no longer in the registry */
		json_array_append_new(r->parts, json_pack("{s:s}", "text", "—"));
		buf_puts(r->text, "—");
		return 0;
	}
	const char *shown = json_string_value(json_object_get(f, "shown"));
	json_t *p = json_pack("{s:s%,s:s,s:s,s:O}", "key", key, n, "shown", shown, "name",
			      json_string_value(json_object_get(f, "name")), "href",
			      json_object_get(f, "list_href"));
	buf_puts(r->text, shown);
	if (json_is_true(json_object_get(f, "corrected"))) {
		const char *now = json_string_value(json_object_get(f, "current_shown"));
		json_object_set_new(p, "corrected", json_true());
		json_object_set_new(p, "current_shown", json_string(now));
		buf_printf(r->text, "（更正后为 %s）", now);
	} else if (json_is_true(json_object_get(f, "added"))) {
		json_object_set_new(p, "added", json_true());
		buf_puts(r->text, "（定稿后新增，非定稿数字）");
	}
	json_array_append_new(r->parts, p);
	return 0;
}

json_t *report_section(const char *title, const char *text, json_t *figures)
{
	json_t *paragraphs = json_array();
	struct buf plain;
	buf_init(&plain, BUF_DEFAULT_MAX);
	const char *p = text ? text : "";
	while (*p) {
		size_t n = strcspn(p, "\n");
		size_t lead = 0;
		while (lead < n && (p[lead] == ' ' || p[lead] == '\t' || p[lead] == '\r'))
			lead++;
		size_t end = n;
		while (end > lead && (p[end - 1] == ' ' || p[end - 1] == '\r' || p[end - 1] == '\t'))
			end--;
		if (end > lead) {
			struct render r = {figures, json_array(), &plain};
			if (plain.len)
				buf_puts(&plain, "\n");
			size_t from = plain.len;
			each_placeholder(p + lead, end - lead, render_literal, render_key, &r);
			json_array_append_new(paragraphs,
					      json_pack("{s:s%,s:o}", "text", plain.data + from,
							plain.len - from, "parts", r.parts));
		}
		p += n + (p[n] == '\n');
	}
	json_t *s = json_pack("{s:s,s:s%,s:o}", "title", title, "text",
			      plain.data ? plain.data : "", plain.len, "paragraphs", paragraphs);
	buf_free(&plain);
	return s;
}

/* ---- the charts ---- */

/* The report's charts: a figure by month, or by street (for a reader of several streets). */
static const struct {
	const char *key;
	int by_street;
} report_charts[] = {
	{"benefit_payments", 0},
	{"holiday_visits", 1},
};

static void street_value(void *ctx, const char *code, const char *name, int64_t value)
{
	(void)code;
	json_t *c = ctx;
	json_array_append_new(json_object_get(c, "labels"), json_string(name ? name : ""));
	json_array_append_new(json_object_get(c, "values"), json_integer(value));
}

/* The report's charts as who sees them: [{"key","title","unit","horizontal","labels","values"}],
 * of the figures among figures (those he reads). Drawn from the records as they are: a figure
 * corrected (or added) since the report was finalised has no chart. */
static int charts_of(struct db *db, const struct principal *who, int year, json_t *figures,
		     json_t *charts)
{
	for (size_t i = 0; i < sizeof(report_charts) / sizeof(report_charts[0]); i++) {
		const struct figure *f = figure_lookup(report_charts[i].key, NULL);
		json_t *entry = f ? figure_by_key(figures, f->key, strlen(f->key)) : NULL;
		if (!entry || json_is_true(json_object_get(entry, "corrected")) ||
		    json_is_true(json_object_get(entry, "added")) ||
		    (report_charts[i].by_street && !account_district_wide(who)))
			continue;
		char title[200];
		snprintf(title, sizeof(title), "%d年%s（%s，%s）", year, f->title,
			 report_charts[i].by_street ? "按街道" : "按月", f->unit);
		json_t *c = json_pack("{s:s,s:s,s:s,s:b,s:[],s:[]}", "key", f->key, "title", title,
				      "unit", f->unit, "horizontal", report_charts[i].by_street,
				      "labels", "values");
		int rc;
		if (report_charts[i].by_street) {
			rc = figure_by_street(db, who, f, year, street_value, c);
		} else {
			int64_t m[12];
			rc = figure_by_month(db, who, f, year, figure_month_column(f->key), m);
			for (int k = 0; !rc && k < 12; k++) {
				json_array_append_new(json_object_get(c, "labels"),
						      json_sprintf("%d月", k + 1));
				json_array_append_new(json_object_get(c, "values"), json_integer(m[k]));
			}
		}
		if (rc == VE_LIMIT) { /* more streets than bars: no chart */
			json_decref(c);
			continue;
		}
		if (rc) {
			json_decref(c);
			return rc;
		}
		json_array_append_new(charts, c);
	}
	return 0;
}

/* ---- the report ---- */

int report_reader(struct db *db, const struct principal *by, const char *street,
		  struct principal *who, char name[128], char *err, size_t errlen)
{
	*who = *by;
	name[0] = '\0';
	if (!street || !*street)
		return 0;
	if (strlen(street) != 9 || strspn(street, "0123456789") != 9)
		return err_set(err, errlen, VE_INVALID, "街道代码应为 9 位数字");
	region_name(db, street, name, 128);
	if (!name[0] || by->scope.kind == SCOPE_SELF || !region_in_scope(by, street))
		return err_set(err, errlen, VE_NOTFOUND, "没有这个街道，或不在您的数据范围内");
	who->scope.kind = SCOPE_ORG_TREE;
	str_copy(who->region_code, street, sizeof(who->region_code));
	return 0;
}

static void district_name(struct db *db, char name[128])
{
	struct db_stmt *st = db_q(db, "SELECT name FROM regions WHERE level = 'district' "
				      "ORDER BY code LIMIT 1", "");
	name[0] = '\0';
	if (st && db_step(st) == DB_ROW)
		str_copy(name, db_text(st, 0), 128);
	db_done(st);
}

/* The finalisation of year into o (status, day, who): *done 1 when finalised. */
static int final_of(struct db *db, int year, json_t *o, int *done)
{
	struct db_stmt *st = db_q(db,
				  "SELECT version, finalised_on, finalised_name, article_id FROM "
				  "report_finals WHERE year = ?",
				  "i", (int64_t)year);
	if (!st)
		return VE_DB;
	int step = db_step(st);
	*done = step == DB_ROW;
	if (*done) {
		json_object_set_new(o, "final_version", json_integer(db_int(st, 0)));
		json_object_set_new(o, "finalised_on", json_string(db_text(st, 1)));
		json_object_set_new(o, "finalised_name", json_string(db_text(st, 2)));
		if (!db_is_null(st, 3))
			json_object_set_new(o, "article_id", json_integer(db_int(st, 3)));
	}
	db_done(st);
	return step == DB_ROW || step == DB_DONE ? 0 : VE_DB;
}

int report_build(struct db *db, const struct principal *by, int year, const char *street,
		 json_t **out, char *err, size_t errlen)
{
	if (!perm_allows(by->roles, PERM_REPORT_READ))
		return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限",
			       perm_title(PERM_REPORT_READ));
	if (year < 1950 || year > 2100)
		return err_set(err, errlen, VE_INVALID, "年度应为 1950 至 2100 年");
	struct principal who;
	char street_name[128], district[128], title[400], as_of[11];
	int rc = report_reader(db, by, street, &who, street_name, err, errlen);
	if (rc)
		return rc;
	district_name(db, district);
	if (!account_district_wide(&who) && !street_name[0]) /* a station: its own street */
		region_name(db, who.region_code, street_name, sizeof(street_name));
	figure_as_of(year, as_of);
	int whole = account_district_wide(&who);
	snprintf(title, sizeof(title), "%s退役军人事务局%d年法治政府建设工作报告%s%s%s", district,
		 year, whole ? "" : "（", whole ? "" : (street_name[0] ? street_name : "本辖区"),
		 whole ? "" : "）");
	json_t *o = json_pack("{s:i,s:s,s:s,s:s,s:s}", "year", year, "title", title, "scope",
			      whole ? "全区" : street_name[0] ? street_name : "本辖区", "street",
			      street && *street ? street : "", "as_of", as_of);
	json_t *figures = json_array(), *text = NULL, *sections = json_array(),
	       *charts = json_array();
	int done = 0;
	int64_t corrections = 0;
	rc = final_of(db, year, o, &done);
	if (!rc)
		rc = live_figures(db, &who, year, figures);
	if (!rc && done && whole)
		rc = apply_frozen(db, year, figures, &corrections);
	if (!rc)
		rc = charts_of(db, &who, year, figures, charts);
	if (!rc)
		rc = report_text_get(db, year,
				     done ? json_integer_value(json_object_get(o, "final_version"))
					  : 0,
				     &text);
	if (!rc) {
		json_object_set_new(o, "status", json_string(done ? "已定稿" : "草稿"));
		json_object_set_new(o, "frozen", json_boolean(done && whole));
		json_object_set(o, "version", json_object_get(text, "version"));
		if (json_object_get(text, "written_name")) {
			json_object_set(o, "written_name", json_object_get(text, "written_name"));
			json_object_set(o, "written_at", json_object_get(text, "written_at"));
		}
		json_object_set_new(o, "corrections", json_integer(corrections));
		for (int i = 0; i < REPORT_PARTS; i++)
			json_array_append_new(
				sections,
				report_section(report_part_titles[i],
					json_string_value(json_object_get(text, report_part_keys[i])),
					figures));
	}
	json_decref(text);
	json_object_set_new(o, "figures", figures);
	json_object_set_new(o, "sections", sections);
	json_object_set_new(o, "charts", charts);
	if (rc) {
		json_decref(o);
		return rc == VE_DB ? err_set(err, errlen, VE_DB, "统计失败，请稍后再试") : rc;
	}
	*out = o;
	return 0;
}

/* ---- finalising and publishing ---- */

/* Writes the finalisation of year with figures (computed before, outside the transaction:
 * figures read in their own read transaction). */
static int freeze(struct db *db, const struct principal *by, int year, json_t *figures, char *err,
		  size_t errlen)
{
	json_t *text = NULL;
	int64_t done = 0, version = 0;
	int rc = finalised(db, year, &done) ? VE_DB : 0;
	if (!rc && done)
		rc = err_set(err, errlen, VE_CONFLICT, "%d 年度报告已于此前定稿", year);
	if (!rc && (rc = report_text_get(db, year, 0, &text)) == 0)
		version = json_integer_value(json_object_get(text, "version"));
	if (!rc && version == 0) { /* the draft the records gave, kept as the first version */
		const char *part[REPORT_PARTS];
		for (int k = 0; k < REPORT_PARTS; k++)
			part[k] = json_string_value(json_object_get(text, report_part_keys[k]));
		rc = insert_draft(db, by, year, 1, part);
		version = 1;
	}
	json_decref(text);
	if (!rc)
		rc = db_run(db,
			    "INSERT INTO report_finals (year, version, finalised_on, finalised_by, "
			    "finalised_name, finalised_at) VALUES (?, ?, ?, ?, ?, ?)",
			    "iisisi", (int64_t)year, version, clock_today_text(), by->user_id,
			    by->display_name, clock_now());
	size_t i;
	json_t *f;
	json_array_foreach(figures, i, f)
	{
		char v[32];
		entry_text(f, v);
		if (!rc)
			rc = db_run(db, "INSERT INTO report_figures (year, key, value) VALUES (?, ?, ?)",
				    "iss", (int64_t)year,
				    json_string_value(json_object_get(f, "key")), v);
	}
	if (!rc) {
		char detail[160];
		snprintf(detail, sizeof(detail), "%d 年度报告定稿（第 %lld 稿，%zu 项数字冻结于 %s）",
			 year, (long long)version, json_array_size(figures), clock_today_text());
		rc = account_audit(db, by, "report.finalise", "report", year, detail);
	}
	return rc;
}

int report_finalise(struct db *db, const struct principal *by, int year, char *err, size_t errlen)
{
	if (may(by, PERM_REPORT_FINALISE, err, errlen))
		return VE_DENIED;
	if (year < 1950 || year > 2100)
		return err_set(err, errlen, VE_INVALID, "年度应为 1950 至 2100 年");
	if (year >= atoi(clock_today_text()))
		return err_set(err, errlen, VE_CONFLICT, "%d 年尚未结束，年度报告须在次年定稿", year);
	/* Every figure of every set, district-wide, whatever sets the leader reads himself. */
	struct principal all = *by;
	all.roles = ~(role_set)0;
	json_t *figures = json_array();
	int rc = live_figures(db, &all, year, figures);
	if (rc)
		err_set(err, errlen, VE_DB, "统计失败，请稍后再试");
	else if (db_tx_begin(db, 0))
		rc = err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	else
		rc = tx_end(db, freeze(db, by, year, figures, err, errlen), err, errlen);
	json_decref(figures);
	return rc;
}

/* The report as Markdown for the portal: its sections, then its figures with their
 * definitions. */
static void markdown_of(const json_t *r, struct buf *md)
{
	size_t i;
	json_t *s, *f;
	json_array_foreach(json_object_get(r, "sections"), i, s)
	{
		buf_printf(md, "## %s\n\n", json_string_value(json_object_get(s, "title")));
		size_t k;
		json_t *para;
		json_array_foreach(json_object_get(s, "paragraphs"), k, para)
			buf_printf(md, "%s\n\n", json_string_value(json_object_get(para, "text")));
	}
	buf_printf(md, "## 附件：统计数字及口径（截至 %s）\n\n",
		   json_string_value(json_object_get(r, "finalised_on")));
	json_array_foreach(json_object_get(r, "figures"), i, f)
	{
		buf_printf(md, "- **%s**：%s %s。口径：%s\n", json_string_value(json_object_get(f, "name")),
			   json_string_value(json_object_get(f, "shown")),
			   json_string_value(json_object_get(f, "unit")),
			   json_string_value(json_object_get(f, "definition")));
	}
}

/* The article id of year's report made before, published or not (a publication cut short
 * leaves a draft that the next one publishes). 0, VE_CONFLICT (published already) or VE_DB. */
static int made_before(struct db *db, const struct principal *by, const json_t *r, int64_t *id,
		       char *err, size_t errlen)
{
	*id = json_integer_value(json_object_get(r, "article_id"));
	json_t *a = NULL;
	if (!*id || article_get(db, by, *id, &a) != 0)
		return 0;
	const char *status = json_string_value(json_object_get(a, "status"));
	int published = status && strcmp(status, ARTICLE_PUBLISHED) == 0;
	json_decref(a);
	return published ? err_set(err, errlen, VE_CONFLICT, "%d 年度报告已在信息公开中发布",
				   (int)json_integer_value(json_object_get(r, "year")))
			 : 0;
}

/* A new draft article of report r, its id kept with the finalised report: 0 and *id;
 * VE_CONFLICT when another was kept first. */
static int make_article(struct db *db, const struct principal *by, const json_t *r, int64_t *id,
			char *err, size_t errlen)
{
	struct buf md;
	buf_init(&md, BUF_DEFAULT_MAX);
	markdown_of(r, &md);
	struct article_in in = {ARTICLE_OPEN, "年度报告", json_string_value(json_object_get(r, "title")),
				md.data ? md.data : "", "", "", ""};
	struct field_errors fe = {0};
	int rc = article_create(db, by, &in, id, &fe, err, errlen);
	buf_free(&md);
	if (rc)
		return rc;
	/* The report takes the first draft made for it: one made at the same time is dropped. */
	int kept = db_run(db,
			  "UPDATE report_finals SET article_id = ? WHERE year = ? AND article_id IS "
			  "NULL",
			  "ii", *id, json_integer_value(json_object_get(r, "year"))) == 0 &&
		   db_changes(db) == 1;
	if (!kept) {
		char ignored[100];
		article_delete(db, by, *id, ignored, sizeof(ignored)); /* a draft: nothing shown */
		rc = err_set(err, errlen, VE_CONFLICT, "该年度报告正在发布或已发布，请刷新后查看");
	}
	return rc;
}

int report_publish(struct db *db, const struct principal *by, int year, int64_t *article_id,
		   char *err, size_t errlen)
{
	*article_id = 0;
	if (may(by, PERM_REPORT_WRITE, err, errlen))
		return VE_DENIED;
	json_t *r = NULL;
	int rc = report_build(db, by, year, NULL, &r, err, errlen);
	if (rc)
		return rc;
	int64_t id = 0;
	if (!json_is_true(json_object_get(r, "frozen")))
		rc = err_set(err, errlen, VE_CONFLICT, "%d 年度报告尚未定稿，定稿后才能公开", year);
	else
		rc = made_before(db, by, r, &id, err, errlen);
	if (!rc && !id)
		rc = make_article(db, by, r, &id, err, errlen);
	if (!rc)
		rc = article_publish(db, by, id, err, errlen);
	if (!rc)
		*article_id = id;
	json_decref(r);
	return rc;
}

/* ---- the area ---- */

const struct perm perm_report_read = {"report.read", "查看年度报告", ROLE_BUSINESS};
const struct perm perm_report_write = {"report.write", "撰写年度报告", ROLE_BIT(CLERK)};
const struct perm perm_report_finalise = {"report.finalise", "年度报告定稿", ROLE_BIT(LEADER)};

static const struct perm *const perms[] = {PERM_REPORT_READ, PERM_REPORT_WRITE,
					   PERM_REPORT_FINALISE, NULL};

static const struct audit_title audit_titles[] = {
	{"report.save", "保存年度报告"},
	{"report.finalise", "年度报告定稿"},
	{NULL, NULL},
};

const struct area report_area = {
	.name = "report",
	.perms = perms,
	.audit_titles = audit_titles,
};
