/* employment_import.c - the sheet a fair's organisers send: one row per position (the
 * enterprise's 统一社会信用代码 and name, the position, its headcount, pay and requirements),
 * all rows or none. The file is the fair's whole list: what was there before is replaced,
 * enterprises are found by their code (added when new), and a hire that named a replaced
 * position keeps its enterprise and title. */
#include "employment.h"
#include "employment_internal.h"
#include "io/sheet.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { N_COLS = EMPLOYMENT_SHEET_COLUMNS, NEEDED = 4 };

/* The faults of a file: "第 N 行 字段：原因" lines, as many as fit with room kept for the
 * closing line that says how many were left out (report_close). */
struct report {
	char *err;
	size_t errlen;
	int n, shown;
	long row;
};

enum { REPORT_TAIL = 160 }; /* bytes kept for report_close's line */

static void report_line(struct report *r, long row, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void report_line(struct report *r, long row, const char *field, const char *fmt, ...)
{
	char msg[300], line[480];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "%s第 %ld 行 %s：%s", r->n ? "\n" : "", row, field, msg);
	size_t have = strlen(r->err);
	size_t keep = r->n ? REPORT_TAIL : 0; /* the first line goes in whenever it fits */
	if (r->shown == r->n && have + strlen(line) + 1 + keep < r->errlen) {
		memcpy(r->err + have, line, strlen(line) + 1);
		r->shown++;
	}
	r->n++;
}

/* When faults were left out of the report: a last line saying how many. */
static void report_close(struct report *r)
{
	if (r->shown >= r->n)
		return;
	size_t have = strlen(r->err);
	snprintf(r->err + have, r->errlen - have,
		 "\n……另有 %d 处错误未列出（共 %d 处），请先改正以上各处", r->n - r->shown, r->n);
}

static void report_add(void *ctx, const char *field, const char *message)
{
	struct report *r = ctx;
	report_line(r, r->row, field, "%s", message);
}

/* One checked row and where it came from. */
struct row {
	struct emp_position p;
	long number;
};

struct rows {
	struct row *v;
	size_t n, cap;
};

static int rows_push(struct rows *rs, const struct emp_position *p, long number)
{
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 64;
		struct row *v = realloc(rs->v, cap * sizeof(*v));
		if (!v)
			return -1;
		rs->v = v;
		rs->cap = cap;
	}
	rs->v[rs->n].p = *p;
	rs->v[rs->n].number = number;
	rs->n++;
	return 0;
}

/* Checks one row's cells (cells[k] for column k, "" when absent). */
static void check_cells(struct db *db, const char *const *cells, long number, struct rows *rs,
			struct report *rep, int *oom)
{
	struct employment_position_in in = {cells[0], cells[1], cells[2], cells[3],
					    cells[4], cells[5], cells[6], cells[7]};
	struct emp_position *p = malloc(sizeof(*p));
	if (!p) {
		*oom = 1;
		return;
	}
	rep->row = number;
	if (emp_position_check(db, &in, p, report_add, rep) == 0 && rows_push(rs, p, number))
		*oom = 1;
	free(p);
}

static int by_code_title(const void *a, const void *b)
{
	const struct row *x = *(const struct row *const *)a, *y = *(const struct row *const *)b;
	int c = strcmp(x->p.uscc, y->p.uscc);
	if (!c)
		c = strcmp(x->p.title, y->p.title);
	if (!c)
		c = x->number < y->number ? -1 : x->number > y->number;
	return c;
}

/* A code with two names, a position twice: reported at the later row. */
static int check_repeats(struct rows *rs, struct report *rep)
{
	struct row **v = malloc((rs->n ? rs->n : 1) * sizeof(*v));
	if (!v)
		return -1;
	for (size_t i = 0; i < rs->n; i++)
		v[i] = &rs->v[i];
	qsort(v, rs->n, sizeof(*v), by_code_title);
	size_t first = 0; /* the first row of the current code */
	for (size_t i = 1; i < rs->n; i++) {
		if (strcmp(v[i]->p.uscc, v[first]->p.uscc) != 0) {
			first = i;
			continue;
		}
		if (strcmp(v[i]->p.name, v[first]->p.name) != 0)
			report_line(rep, v[i]->number, "企业名称",
				    "统一社会信用代码 %s 在第 %ld 行的企业名称是“%s”，两处不一致",
				    v[i]->p.uscc, v[first]->number, v[first]->p.name);
		if (strcmp(v[i]->p.title, v[i - 1]->p.title) == 0)
			report_line(rep, v[i]->number, "岗位名称",
				    "与第 %ld 行重复（同一企业的同名岗位）", v[i - 1]->number);
	}
	free(v);
	return 0;
}

/* Writes the checked rows as fair's whole list. In the caller's transaction. */
static int write_rows(struct db *db, const struct principal *by, int64_t fair_id,
		      const char *region, const struct rows *rs, struct employment_import_result *r)
{
	int rc = db_run(
		db,
		"UPDATE employment_seekers SET hired_position_id = NULL WHERE hired_position_id IN "
		"(SELECT id FROM employment_positions WHERE fair_id = ?)",
		"i", fair_id);
	if (!rc)
		rc = db_run(db, "DELETE FROM employment_positions WHERE fair_id = ?", "i", fair_id);
	if (!rc)
		rc = db_run(db, "DELETE FROM employment_fair_enterprises WHERE fair_id = ?", "i",
			    fair_id);
	for (size_t i = 0; i < rs->n && !rc; i++) {
		int64_t enterprise = 0;
		int added = 0;
		rc = emp_enterprise_ensure(db, by, &rs->v[i].p, &enterprise, &added);
		if (!rc)
			rc = emp_position_insert(db, by, fair_id, region, enterprise, &rs->v[i].p);
		r->new_enterprises += added;
		r->positions++;
		r->headcount += rs->v[i].p.headcount;
	}
	if (!rc &&
	    db_int_query(db, &r->enterprises, 0,
			 "SELECT count(*) FROM employment_fair_enterprises WHERE fair_id = ?", "i",
			 fair_id))
		rc = VE_DB;
	return rc;
}

/* Checks, then writes when all is well; the audit detail names source. */
static int load(struct db *db, const struct principal *by, int64_t fair_id, struct rows *rs,
		struct report *rep, int in_tx, const char *source,
		struct employment_import_result *r)
{
	if (!rep->n && check_repeats(rs, rep))
		return err_set(rep->err, rep->errlen, VE_INTERNAL, "内存不足");
	if (rep->n) {
		report_close(rep);
		return VE_INVALID;
	}
	if (!rs->n)
		return err_set(rep->err, rep->errlen, VE_INVALID,
			       "文件中没有岗位：表头之后至少应有一行");
	if (db_tx_begin(db, in_tx))
		return err_set(rep->err, rep->errlen, VE_DB, "数据库忙，请稍后再试");
	char region[16];
	int rc = emp_fair_region(db, by, fair_id, region);
	if (!rc)
		rc = write_rows(db, by, fair_id, region, rs, r);
	if (!rc) {
		char detail[400];
		snprintf(detail, sizeof(detail),
			 "%.200s：%lld 行，企业 %lld 家（新增 %lld），岗位 %lld 个，招聘 %lld 人",
			 source, (long long)r->rows, (long long)r->enterprises,
			 (long long)r->new_enterprises, (long long)r->positions,
			 (long long)r->headcount);
		rc = account_audit(db, by, "employment.import", "employment_fair", fair_id, detail);
	}
	int ended = db_tx_end(db, in_tx, rc);
	if (ended == VE_NOTFOUND)
		return err_set(rep->err, rep->errlen, ended, "招聘会不存在");
	return ended ? err_set(rep->err, rep->errlen, ended, "保存失败，请稍后再试") : 0;
}

/* A header cell as compared: spaces gone, ASCII parentheses made full-width. */
static void header_key(const char *cell, char *out, size_t size)
{
	char tmp[256];
	str_copy(tmp, cell, sizeof(tmp));
	str_tidy(tmp, STR_TIDY_REMOVE);
	size_t o = 0;
	for (const char *p = tmp; *p && o + 4 < size; p++) {
		const char *rep = *p == '(' ? "（" : *p == ')' ? "）" : NULL;
		if (rep) {
			memcpy(out + o, rep, 3);
			o += 3;
		} else {
			out[o++] = *p;
		}
	}
	out[o] = '\0';
	/* a unit after the name, as in 招聘人数（人）, is the same column */
	static const char unit[] = "（人）";
	size_t k = strlen(unit);
	if (o > k && strcmp(out + o - k, unit) == 0)
		out[o - k] = '\0';
}

static int map_header(const struct sheet_row *h, int *map, struct report *rep)
{
	for (int k = 0; k < N_COLS; k++)
		map[k] = -1;
	for (size_t i = 0; i < h->n; i++) {
		char key[256];
		header_key(sheet_unguard(h->cells[i]), key, sizeof(key));
		for (int k = 0; k < N_COLS; k++)
			if (strcmp(key, employment_sheet_columns[k]) == 0) {
				if (map[k] >= 0)
					report_line(rep, h->number, "表头", "列“%s”重复",
						    employment_sheet_columns[k]);
				map[k] = (int)i;
			}
	}
	for (int k = 0; k < NEEDED; k++)
		if (map[k] < 0)
			report_line(rep, h->number, "表头", "缺少列“%s”",
				    employment_sheet_columns[k]);
	return rep->n;
}

int employment_fair_import(struct db *db, const struct principal *by, int64_t fair_id,
			   const char *path, struct employment_import_result *r, char *err,
			   size_t errlen)
{
	memset(r, 0, sizeof(*r));
	err[0] = '\0';
	if (!perm_allows(by->roles, PERM_EMPLOYMENT_MANAGE))
		return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限",
			       perm_title(PERM_EMPLOYMENT_MANAGE));
	char region[16];
	int rc = emp_fair_region(db, by, fair_id, region);
	if (rc)
		return err_set(err, errlen, rc,
			       rc == VE_NOTFOUND ? "招聘会不存在" : "读取失败，请稍后再试");
	struct sheet_reader *in = sheet_open(path, err, errlen);
	if (!in)
		return VE_IO;
	struct report rep = {err, errlen, 0, 0, 0};
	struct rows rs = {0};
	struct sheet_row row;
	int map[N_COLS], header = 0, got, oom = 0;
	char why[256];
	while (!oom && (got = sheet_next(in, &row, why, sizeof(why))) == 1) {
		if (row.n == 0)
			continue;
		int blank = 1;
		for (size_t j = 0; j < row.n && blank; j++) {
			char c[64];
			str_copy(c, row.cells[j], sizeof(c));
			blank = str_tidy(c, STR_TIDY_REMOVE) == 0;
		}
		if (blank)
			continue;
		if (!header) {
			header = 1;
			if (map_header(&row, map, &rep))
				break;
			continue;
		}
		if (++r->rows > EMPLOYMENT_IMPORT_ROWS_MAX) {
			sheet_close(in);
			free(rs.v);
			memset(r, 0, sizeof(*r));
			return err_set(err, errlen, VE_LIMIT, "一个文件最多 %d 个岗位",
				       EMPLOYMENT_IMPORT_ROWS_MAX);
		}
		const char *cells[N_COLS];
		for (int k = 0; k < N_COLS; k++)
			cells[k] = sheet_cell(&row, map[k]);
		check_cells(db, cells, row.number, &rs, &rep, &oom);
	}
	sheet_close(in);
	if (oom) {
		free(rs.v);
		memset(r, 0, sizeof(*r));
		return err_set(err, errlen, VE_INTERNAL, "内存不足");
	}
	if (got < 0) {
		free(rs.v);
		memset(r, 0, sizeof(*r));
		return err_set(err, errlen, -got, "%s", why);
	}
	if (!header) {
		free(rs.v);
		return err_set(err, errlen, VE_INVALID, "文件是空的：第 1 行应为表头");
	}
	const char *base = strrchr(path, '/');
	rc = load(db, by, fair_id, &rs, &rep, 0, base ? base + 1 : path, r);
	free(rs.v);
	if (rc)
		memset(r, 0, sizeof(*r));
	return rc;
}

int employment_fair_rows(struct db *db, const struct principal *by, int64_t fair_id,
			 const char *const *cells, size_t n, int in_tx,
			 struct employment_import_result *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	err[0] = '\0';
	struct report rep = {err, errlen, 0, 0, 0};
	struct rows rs = {0};
	int oom = 0;
	for (size_t i = 0; i < n && !oom; i++) {
		r->rows++;
		check_cells(db, cells + i * N_COLS, (long)i + 2, &rs, &rep, &oom);
	}
	int rc = oom ? err_set(err, errlen, VE_INTERNAL, "内存不足")
		     : load(db, by, fair_id, &rs, &rep, in_tx, "招聘会企业和岗位（程序生成）", r);
	free(rs.v);
	if (rc)
		memset(r, 0, sizeof(*r));
	return rc;
}
