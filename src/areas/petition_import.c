/* petition_import.c - the ledger (台账) kept in Excel: one row per petition, by its 编号,
 * all rows or none. */
#include "petition.h"
#include "petition_internal.h"
#include "areas/calendar.h"
#include "areas/scope.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "io/sheet.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"
#include "lib/utf8.h"

enum col { C_CODE, C_SOURCE, C_RECEIVED, C_DECISION, C_DECIDED, C_EXT, C_CLOSED, C_REPLIED, N_COLS };
static const char *const headers[N_COLS] = {"编号", "来源", "收到日期", "受理",
					    "受理日期", "延期天数", "办结日期", "答复日期"};

/* One row, checked. */
struct ledger_row {
	char code[128], source[32], received[11], decided[11], closed[11], replied[11];
	char decide_by[11], due[11], status[16];
	int accepted; /* -1 undecided */
	int64_t ext_days, close_days;
};

/* Appends "第 N 行 field：message" to the report (as many lines as fit). */
static void report(char *err, size_t errlen, int *n_errors, long row, const char *field,
		   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void report(char *err, size_t errlen, int *n_errors, long row, const char *field,
		   const char *fmt, ...)
{
	char msg[256], line[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "%s第 %ld 行 %s：%s", *n_errors ? "\n" : "", row, field, msg);
	size_t have = strlen(err);
	if (have + strlen(line) + 1 < errlen)
		memcpy(err + have, line, strlen(line) + 1);
	(*n_errors)++;
}

/* A date cell: YYYY-MM-DD, or an Excel day number (an .xlsx date). "" stays "". */
static int cell_date(const char *cell, char out[11])
{
	out[0] = '\0';
	if (!*cell)
		return 0;
	if (petition_date_valid(cell)) {
		str_copy(out, cell, 11);
		return 0;
	}
	char whole[16];
	size_t n = strcspn(cell, ".");
	int64_t serial;
	if (n < sizeof(whole) && (cell[n] == '\0' || strspn(cell + n + 1, "0") == strlen(cell + n + 1))) {
		memcpy(whole, cell, n);
		whole[n] = '\0';
		/* counted from 1899-12-30: day 2 is 1900-01-01, day 2958465 is 9999-12-31 and
		 * day 25569 is 1970-01-01, the calendar's day 0 */
		if (str_to_i64(whole, n, 2, 2958465, &serial) == 0) {
			calendar_day_text((int32_t)(serial - 25569), out);
			return 0;
		}
	}
	return -1;
}

static const char *cell_of(const struct sheet_row *r, const int *map, enum col c, char *buf,
			   size_t size)
{
	buf[0] = '\0';
	if (map[c] >= 0 && (size_t)map[c] < r->n) {
		str_copy(buf, r->cells[map[c]], size);
		str_tidy(buf, STR_TIDY_COLLAPSE);
	}
	return buf;
}

/* Checks a row into *o; reports each fault. 0 when good. */
static int check_row(const struct sheet_row *r, const int *map, struct ledger_row *o, char *err,
		     size_t errlen, int *n_errors)
{
	int before = *n_errors;
	long row = r->number;
	char c[N_COLS][256];
	for (int i = 0; i < N_COLS; i++)
		cell_of(r, map, (enum col)i, c[i], sizeof(c[i]));
	memset(o, 0, sizeof(*o));
	o->accepted = -1;
	size_t code_len = utf8_count(c[C_CODE], strlen(c[C_CODE]));
	if (!code_len)
		report(err, errlen, n_errors, row, "编号", "请填写编号");
	else if (code_len > 40 || !str_is_printable(c[C_CODE], strlen(c[C_CODE]), 0))
		report(err, errlen, n_errors, row, "编号", "编号最多 40 个字符");
	str_copy(o->code, c[C_CODE], sizeof(o->code));
	if (!petition_source_valid(c[C_SOURCE]))
		report(err, errlen, n_errors, row, "来源",
		       "未知的来源“%s”，应为来信、来访、来电、网上信访或区长信箱", c[C_SOURCE]);
	str_copy(o->source, c[C_SOURCE], sizeof(o->source));
	if (!*c[C_RECEIVED])
		report(err, errlen, n_errors, row, "收到日期", "请填写收到日期");
	else if (cell_date(c[C_RECEIVED], o->received))
		report(err, errlen, n_errors, row, "收到日期", "日期“%s”无效，应为 YYYY-MM-DD",
		       c[C_RECEIVED]);
	if (strcmp(c[C_DECISION], "受理") == 0)
		o->accepted = 1;
	else if (strcmp(c[C_DECISION], "不予受理") == 0)
		o->accepted = 0;
	else if (*c[C_DECISION])
		report(err, errlen, n_errors, row, "受理", "“%s”无效，应为受理或不予受理（未决定的留空）",
		       c[C_DECISION]);
	static const enum col date_cols[] = {C_DECIDED, C_CLOSED, C_REPLIED};
	char *date_out[] = {o->decided, o->closed, o->replied};
	for (int i = 0; i < 3; i++)
		if (cell_date(c[date_cols[i]], date_out[i]))
			report(err, errlen, n_errors, row, headers[date_cols[i]],
			       "日期“%s”无效，应为 YYYY-MM-DD", c[date_cols[i]]);
	if (*c[C_EXT] && (str_to_i64(c[C_EXT], strlen(c[C_EXT]), -100000, 100000, &o->ext_days) ||
			  o->ext_days < 0 || o->ext_days > PETITION_EXTEND_MAX))
		report(err, errlen, n_errors, row, "延期天数", "“%s”无效，延期天数应为 0 至 30",
		       c[C_EXT]);
	if (*n_errors > before)
		return 1;
	/* the order of the dates and what a decision allows */
	if (o->accepted < 0 && *o->decided)
		report(err, errlen, n_errors, row, "受理日期", "未填写受理结论，受理日期应留空");
	if (o->accepted >= 0 && !*o->decided)
		report(err, errlen, n_errors, row, "受理日期", "请填写受理（或不予受理）的日期");
	if (*o->decided && strcmp(o->decided, o->received) < 0)
		report(err, errlen, n_errors, row, "受理日期", "受理日期早于收到日期 %s", o->received);
	if (o->accepted != 1 && (o->ext_days || *o->closed || *o->replied))
		report(err, errlen, n_errors, row,
		       o->ext_days ? "延期天数" : *o->closed ? "办结日期" : "答复日期",
		       "只有受理的信访件才有延期、办结和答复");
	else if (*o->closed && strcmp(o->closed, o->decided) < 0)
		report(err, errlen, n_errors, row, "办结日期", "办结日期早于受理日期 %s", o->decided);
	else if (*o->replied && !*o->closed)
		report(err, errlen, n_errors, row, "答复日期", "未填写办结日期：办结后才能答复");
	else if (*o->replied && strcmp(o->replied, o->closed) < 0)
		report(err, errlen, n_errors, row, "答复日期", "答复日期早于办结日期 %s", o->closed);
	const char *today = clock_today_text();
	static const enum col all_dates[] = {C_RECEIVED, C_DECIDED, C_CLOSED, C_REPLIED};
	const char *day_of[] = {o->received, o->decided, o->closed, o->replied};
	for (int i = 0; i < 4; i++)
		if (strcmp(day_of[i], today) > 0)
			report(err, errlen, n_errors, row, headers[all_dates[i]], "日期 %s 晚于今天 %s",
			       day_of[i], today);
	if (*n_errors > before)
		return 1;
	petition_day_add(o->received, PETITION_DECIDE_DAYS, o->decide_by);
	if (o->accepted == 1)
		petition_day_add(o->decided, PETITION_HANDLE_DAYS + (int)o->ext_days, o->due);
	if (*o->closed)
		o->close_days = petition_days_between(o->decided, o->closed);
	str_copy(o->status,
		 o->accepted < 0   ? PETITION_PENDING
		 : o->accepted == 0 ? PETITION_REJECTED
		 : *o->replied      ? PETITION_REPLIED
		 : *o->closed       ? PETITION_CLOSED
				    : PETITION_ACCEPTED,
		 sizeof(o->status));
	return 0;
}

static const char *or_null(const char *s)
{
	return *s ? s : NULL;
}

/* The ledger values of a row as one line, to compare with the stored one. */
static void line_of(const struct ledger_row *o, char *out, size_t size)
{
	snprintf(out, size, "%s|%s|%d|%s|%lld|%s|%s", o->source, o->received, o->accepted,
		 o->decided, (long long)o->ext_days, o->closed, o->replied);
}

/* The petition holding code, whoever's: what the ledger can change of it. */
struct stored {
	int64_t id;
	int in_scope, imported;
	char line[512];
};

/* The stored ledger values of code into *out: 0 found, 1 not, VE_DB. */
static int stored_line(struct db *db, const struct principal *by, const char *code,
		       struct stored *out)
{
	struct db_stmt *st =
		db_q(db,
		     "SELECT id, source, received_on, coalesce(accepted, -1), "
		     "coalesce(decided_on, ''), ext_days, coalesce(closed_on, ''), "
		     "coalesce(replied_on, ''), imported, "
		     "CASE WHEN " SCOPE_REGION_SQL("region_code", "created_by") " THEN 1 ELSE 0 END "
		     "FROM petitions WHERE code = ?",
		     SCOPE_REGION_FMT "s", SCOPE_REGION_ARGS(&by->scope, by->region_code), code);
	if (!st)
		return VE_DB;
	int found = db_step(st) == DB_ROW;
	if (found) {
		out->id = db_int(st, 0);
		snprintf(out->line, sizeof(out->line), "%s|%s|%d|%s|%lld|%s|%s", db_text(st, 1),
			 db_text(st, 2), (int)db_int(st, 3), db_text(st, 4),
			 (long long)db_int(st, 5), db_text(st, 6), db_text(st, 7));
		out->imported = db_int(st, 8) != 0;
		out->in_scope = db_int(st, 9) != 0;
	}
	db_done(st);
	return found ? 0 : 1;
}

/* Writes row (numbered row) unless a row before was refused; a 编号 held by a petition outside
 * by's scope, or by one registered at the desk, is reported instead (the ledger changes only
 * what the ledger brought, and only the importer's own). */
static int write_row(struct db *db, const struct principal *by, const struct ledger_row *o,
		     const char *region, int64_t org, struct petition_import_result *res, long row,
		     char *err, size_t errlen, int *n_errors)
{
	char want[512];
	struct stored have = {0};
	int found = stored_line(db, by, o->code, &have);
	if (found == VE_DB)
		return VE_DB;
	if (found == 0 && !have.in_scope) {
		report(err, errlen, n_errors, row, "编号", "编号“%s”已被使用", o->code);
		return 0;
	}
	if (found == 0 && !have.imported) {
		report(err, errlen, n_errors, row, "编号",
		       "编号“%s”是窗口登记的信访件，请在该信访件的页面办理，台账不能修改它",
		       o->code);
		return 0;
	}
	if (*n_errors)
		return 0;
	int64_t id = have.id;
	line_of(o, want, sizeof(want));
	if (found == 0 && strcmp(have.line, want) == 0) {
		res->unchanged++;
		return 0;
	}
	int64_t acc = o->accepted;
	const char *ext_state = o->ext_days ? "approved" : NULL;
	int rc;
	if (found == 0) {
		rc = db_run(db,
			    "UPDATE petitions SET source = ?, status = ?, received_on = ?, decide_by = ?, "
			    "accepted = CASE WHEN ? < 0 THEN NULL ELSE ? END, decided_on = ?, ext_days = ?, "
			    "ext_state = ?, due_on = ?, closed_on = ?, close_days = ?, replied_on = ? "
			    "WHERE id = ?",
			    "ssssiisisssisi", o->source, o->status, o->received, o->decide_by, acc, acc,
			    or_null(o->decided), o->ext_days, ext_state, or_null(o->due),
			    or_null(o->closed), o->close_days, or_null(o->replied), id);
		res->updated++;
	} else {
		rc = db_run(db,
			    "INSERT INTO petitions (code, region_code, org_id, source, status, "
			    "received_on, decide_by, accepted, decided_on, ext_days, ext_state, due_on, "
			    "closed_on, close_days, replied_on, imported, created_at, created_by) VALUES (?, "
			    "?, ?, ?, ?, ?, ?, CASE WHEN ? < 0 THEN NULL ELSE ? END, ?, ?, ?, ?, ?, ?, ?, 1, "
			    "?, ?)",
			    "ssissssiisisssisii", o->code, region, org, o->source, o->status,
			    o->received, o->decide_by, acc, acc, or_null(o->decided), o->ext_days,
			    ext_state, or_null(o->due), or_null(o->closed), o->close_days,
			    or_null(o->replied), clock_now(), by->user_id);
		res->added++;
	}
	return rc;
}

/* The 编号 of a file, to refuse a repeated one: an open-addressing set of copies. */
struct code_set {
	char **slot;
	size_t cap, n;
};

static size_t code_hash(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* 1 when code was in the set already; else adds it and returns 0 (-1: no memory). */
static int code_seen(struct code_set *set, const char *code)
{
	if (set->n * 2 >= set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 1024;
		char **slot = calloc(cap, sizeof(*slot));
		if (!slot)
			return -1;
		for (size_t i = 0; i < set->cap; i++)
			if (set->slot[i]) {
				size_t j = code_hash(set->slot[i]) & (cap - 1);
				while (slot[j])
					j = (j + 1) & (cap - 1);
				slot[j] = set->slot[i];
			}
		free(set->slot);
		set->slot = slot;
		set->cap = cap;
	}
	size_t j = code_hash(code) & (set->cap - 1);
	for (; set->slot[j]; j = (j + 1) & (set->cap - 1))
		if (strcmp(set->slot[j], code) == 0)
			return 1;
	if (!(set->slot[j] = strdup(code)))
		return -1;
	set->n++;
	return 0;
}

static void code_set_free(struct code_set *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slot[i]);
	free(set->slot);
}

/* The header's columns into map; a missing or unknown column is reported. */
static int map_header(const struct sheet_row *r, int *map, char *err, size_t errlen,
		      int *n_errors)
{
	for (int i = 0; i < N_COLS; i++)
		map[i] = -1;
	for (size_t j = 0; j < r->n; j++) {
		char h[128];
		str_copy(h, r->cells[j], sizeof(h));
		str_tidy(h, STR_TIDY_REMOVE);
		if (!*h)
			continue;
		int k = -1;
		for (int i = 0; i < N_COLS; i++)
			if (strcmp(h, headers[i]) == 0)
				k = i;
		if (k < 0)
			report(err, errlen, n_errors, r->number, "表头", "未知的列“%s”", h);
		else if (map[k] >= 0)
			report(err, errlen, n_errors, r->number, "表头", "列“%s”重复", h);
		else
			map[k] = (int)j;
	}
	for (int i = 0; i < N_COLS; i++)
		if (map[i] < 0 && i != C_EXT && i != C_CLOSED && i != C_REPLIED && i != C_DECIDED)
			report(err, errlen, n_errors, r->number, "表头", "缺少列“%s”", headers[i]);
	return *n_errors;
}

static int root_of(struct db *db, char region[16], int64_t *org)
{
	struct db_stmt *st = db_q(db, "SELECT id, region_code FROM orgs WHERE parent_id IS NULL "
				      "ORDER BY id LIMIT 1", "");
	int rc = VE_NOTFOUND;
	if (st && db_step(st) == DB_ROW) {
		*org = db_int(st, 0);
		str_copy(region, db_is_null(st, 1) ? "" : db_text(st, 1), 16);
		rc = 0;
	}
	db_done(st);
	return st ? rc : VE_DB;
}

/* Reads and writes every row; the caller's transaction is rolled back on any error. */
static int import_rows(struct db *db, const struct principal *by, struct sheet_reader *in,
		       struct petition_import_result *res, char *err, size_t errlen)
{
	struct sheet_row r;
	int map[N_COLS], n_errors = 0, header = 0, rc = 0;
	char region[16] = "", why[256];
	int64_t org = 0;
	if (root_of(db, region, &org))
		return err_set(err, errlen, VE_DB, "找不到本局的机构（请先运行 vets init）");
	if (*by->region_code)
		str_copy(region, by->region_code, sizeof(region));
	if (by->org_id)
		org = by->org_id;
	struct code_set seen = {0};
	err[0] = '\0';
	int got;
	while ((got = sheet_next(in, &r, why, sizeof(why))) == 1) {
		if (r.n == 0)
			continue;
		if (!header) {
			header = 1;
			if (map_header(&r, map, err, errlen, &n_errors))
				break;
			continue;
		}
		int blank = 1;
		for (size_t j = 0; j < r.n && blank; j++)
			blank = r.lens[j] == 0;
		if (blank)
			continue;
		struct ledger_row o;
		res->rows++;
		if (check_row(&r, map, &o, err, errlen, &n_errors))
			continue;
		int dup = code_seen(&seen, o.code);
		if (dup < 0) {
			rc = VE_INTERNAL;
			break;
		}
		if (dup) {
			report(err, errlen, &n_errors, r.number, "编号", "编号“%s”在文件中重复", o.code);
			continue;
		}
		if ((rc = write_row(db, by, &o, region, org, res, r.number, err, errlen,
				    &n_errors)) != 0)
			break;
	}
	code_set_free(&seen);
	if (got < 0)
		return err_set(err, errlen, -got, "%s", why);
	if (rc)
		return err_set(err, errlen, rc, "保存失败，请稍后再试");
	if (!header && !n_errors)
		return err_set(err, errlen, VE_INVALID, "文件是空的：第 1 行应为表头");
	return n_errors ? VE_INVALID : 0;
}

/* The rows given in memory, as a file's rows after its header (numbered from 2). */
static int memory_rows(struct db *db, const struct principal *by, const char *const *cells,
		       size_t n, struct petition_import_result *res, char *err, size_t errlen)
{
	int map[N_COLS], n_errors = 0, rc = 0;
	char region[16] = "";
	int64_t org = 0;
	if (root_of(db, region, &org))
		return err_set(err, errlen, VE_DB, "找不到本局的机构（请先运行 vets init）");
	for (int i = 0; i < N_COLS; i++)
		map[i] = i;
	static const size_t lens[N_COLS] = {1, 1, 1, 1, 1, 1, 1, 1};
	err[0] = '\0';
	for (size_t i = 0; i < n && !rc; i++) {
		struct sheet_row r = {.n = N_COLS, .cells = cells + i * N_COLS, .lens = lens,
				      .number = (long)i + 2};
		struct ledger_row o;
		res->rows++;
		if (check_row(&r, map, &o, err, errlen, &n_errors))
			break;
		rc = write_row(db, by, &o, region, org, res, r.number, err, errlen, &n_errors);
	}
	return n_errors ? VE_INVALID : rc;
}

int petition_ledger_rows(struct db *db, const struct principal *by, const char *const *cells,
			 size_t n, struct petition_import_result *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	int rc = memory_rows(db, by, cells, n, r, err, errlen);
	int64_t changed, flagged;
	if (!rc && (r->added || r->updated))
		rc = account_audit(db, by, "petition.import", "petition", 0, "信访台账（程序生成）");
	if (!rc && (r->added || r->updated))
		rc = petition_bump(db);
	if (!rc)
		rc = petition_flag_overdue(db, clock_today_text(), &changed, &flagged);
	return db_tx_end(db, 0, rc);
}

int petition_import(struct db *db, const struct principal *by, const char *path,
		    struct petition_import_result *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	if (!perm_allows(by->roles, PERM_PETITION_HANDLE))
		return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限",
			       perm_title(PERM_PETITION_HANDLE));
	struct sheet_reader *in = sheet_open(path, err, errlen);
	if (!in)
		return VE_IO;
	if (db_tx_begin(db, 0)) {
		sheet_close(in);
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	}
	int rc = import_rows(db, by, in, r, err, errlen);
	sheet_close(in);
	if (!rc && (r->added || r->updated)) {
		char detail[300];
		int64_t changed, flagged;
		const char *base = strrchr(path, '/');
		snprintf(detail, sizeof(detail), "%s：%lld 行，新增 %lld，更新 %lld，未变 %lld",
			 base ? base + 1 : path, (long long)r->rows, (long long)r->added,
			 (long long)r->updated, (long long)r->unchanged);
		rc = account_audit(db, by, "petition.import", "petition", 0, detail);
		if (!rc)
			rc = petition_bump(db);
		if (!rc)
			rc = petition_flag_overdue(db, clock_today_text(), &changed, &flagged);
	}
	int ended = db_tx_end(db, 0, rc);
	if (rc == 0 && ended)
		return err_set(err, errlen, VE_DB, "保存失败，请稍后再试");
	if (rc)
		memset(r, 0, sizeof(*r));
	return ended;
}
