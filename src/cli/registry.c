/* registry.c - vets region import, vets import persons, vets export persons. */
#include "cli.h"
#include "areas/person.h"
#include "areas/region.h"
#include "io/sheet.h"
#include "lib/err.h"
#include "lib/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"用法：vets region import FILE [--db PATH] [--key-file PATH]\n"
	"      vets import persons FILE [--all-or-nothing] [--db PATH] [--key-file PATH]\n"
	"      vets export persons FILE [--db PATH] [--key-file PATH]\n"
	"  FILE 为 .csv（UTF-8）或 .xlsx。区划文件的列：区划代码、名称、上级区划代码。\n"
	"  人员文件的列：姓名、身份证号、人员类别（必填），联系电话、街道、社区、住址、入伍时间、\n"
	"  退役时间、安置方式、残疾等级、残疾性质、开户银行、银行账号、备注。\n"
	"  导入时身份证号已登记的人员将被更新；同一文件重复导入不会再有变化。被拒绝的行逐行列在\n"
	"  标准错误上，退出码为 1；--all-or-nothing 时只要有一行有误就不导入任何一行。\n"
	"  命令行导出含完整身份证号，并记入审计日志。\n";

struct file_args {
	const char *file, *db, *key;
	int all_or_nothing;
};

static int parse(int argc, char **argv, struct file_args *a)
{
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return fputs(usage, stdout), -1;
		if (strcmp(argv[i], "--all-or-nothing") == 0) {
			a->all_or_nothing = 1;
			continue;
		}
		int m = cli_opt(argc, argv, &i, "db", &a->db);
		if (!m)
			m = cli_opt(argc, argv, &i, "key-file", &a->key);
		if (m < 0)
			return 2;
		if (m)
			continue;
		if (argv[i][0] == '-' || a->file)
			return cli_usage_error("未知参数：%s", argv[i]);
		a->file = argv[i];
	}
	return a->file ? 0 : cli_usage_error("缺少文件名");
}

static void print_row_error(void *ctx, long row, const char *reason)
{
	(void)ctx;
	fprintf(stderr, "第 %ld 行：%s\n", row, reason);
}

int cmd_region(int argc, char **argv)
{
	if (argc < 1 || strcmp(argv[0], "import") != 0) {
		if (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0))
			return fputs(usage, stdout), 0;
		return cli_usage_error("用法：vets region import FILE");
	}
	struct file_args a = {0};
	int rc = parse(argc - 1, argv + 1, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	struct db *db;
	struct crypto_keys keys;
	if (cli_open(cli_db_path(a.db), a.key, &db, &keys) != 0)
		return 1;
	struct principal cli;
	account_cli_principal(&cli);
	char err[512] = "";
	long n = 0;
	rc = region_import(db, &cli, a.file, print_row_error, NULL, &n, err, sizeof(err));
	db_close(db);
	if (rc) {
		fprintf(stderr, "vets: %s\n", err);
		return 1;
	}
	printf("已导入区划 %ld 条\n", n);
	return 0;
}

/* ---- persons ---- */

#define N_COLUMNS 15

/* Maps the header to person_columns; -1 (printed) on an unknown or missing column. */
static int map_header(const struct sheet_row *h, int col[N_COLUMNS])
{
	for (int k = 0; k < N_COLUMNS; k++)
		col[k] = -1;
	for (size_t i = 0; i < h->n; i++) {
		int found = -1;
		for (int k = 0; k < N_COLUMNS; k++)
			if (strcmp(h->cells[i], person_columns[k]) == 0)
				found = k;
		if (found < 0 && h->cells[i][0])
			return fprintf(stderr, "第 %ld 行：未知的列：%.60s\n", h->number, h->cells[i]), -1;
		if (found >= 0 && col[found] >= 0)
			return fprintf(stderr, "第 %ld 行：列重复：%s\n", h->number, h->cells[i]), -1;
		if (found >= 0)
			col[found] = (int)i;
	}
	for (int k = 0; k < 3; k++)
		if (col[k] < 0)
			return fprintf(stderr, "第 %ld 行：缺少必填列：%s\n", h->number, person_columns[k]),
			       -1;
	return 0;
}

/* The cell of column k, NULL when the file has no such column. */
static const char *cell(const struct sheet_row *r, const int col[N_COLUMNS], int k)
{
	if (col[k] < 0)
		return NULL;
	return (size_t)col[k] < r->n ? sheet_unguard(r->cells[col[k]]) : "";
}

struct import_counts {
	long added, changed, unchanged, rejected, empty;
};

static int import_row(struct db *db, const struct principal *cli, const struct sheet_row *row,
		      const int col[N_COLUMNS], struct import_counts *n)
{
	struct person_text t = {
		cell(row, col, 0),  cell(row, col, 1),  cell(row, col, 2),  cell(row, col, 3),
		cell(row, col, 4),  cell(row, col, 5),  cell(row, col, 6),  cell(row, col, 7),
		cell(row, col, 8),  cell(row, col, 9),  cell(row, col, 10), cell(row, col, 11),
		cell(row, col, 12), cell(row, col, 13), cell(row, col, 14),
	};
	struct person_errors errs;
	enum person_outcome outcome;
	int64_t id;
	int rc = person_save(db, cli, &t, 1, 1, &id, &outcome, &errs);
	if (rc == VE_INVALID || rc == VE_NOTFOUND) {
		for (int i = 0; i < errs.n; i++)
			fprintf(stderr, "第 %ld 行：%s：%s\n", row->number, errs.items[i].field,
				errs.items[i].message);
		n->rejected++;
		return 0;
	}
	if (rc)
		return rc;
	if (outcome == PERSON_ADDED)
		n->added++;
	else if (outcome == PERSON_CHANGED)
		n->changed++;
	else
		n->unchanged++;
	return 0;
}

/* Rows written between commits: large transactions, bounded journal. */
#define BATCH_ROWS 5000

static int import_persons(struct db *db, struct sheet_reader *in, int all_or_nothing,
			  struct import_counts *n)
{
	struct principal cli;
	account_cli_principal(&cli);
	struct sheet_row row;
	int col[N_COLUMNS], rc;
	char err[512];
	if ((rc = sheet_next(in, &row, err, sizeof(err))) != 1) {
		fprintf(stderr, "vets: %s\n", rc == 0 ? "文件是空的：第一行应为表头" : err);
		return VE_INVALID;
	}
	if (map_header(&row, col) != 0)
		return VE_INVALID;
	int progress = isatty(STDERR_FILENO);
	long since_commit = 0, seen = 0;
	if (db_begin(db) != 0)
		return VE_DB;
	while ((rc = sheet_next(in, &row, err, sizeof(err))) == 1) {
		if (row.n == 0 || (row.n == 1 && !row.cells[0][0])) {
			n->empty++;
			continue;
		}
		if ((rc = import_row(db, &cli, &row, col, n)) != 0)
			break;
		if (progress && ++seen % 1000 == 0)
			fprintf(stderr, "\r已处理 %ld 行……", seen);
		if (!all_or_nothing && ++since_commit == BATCH_ROWS) {
			since_commit = 0;
			if (db_commit(db) != 0 || db_begin(db) != 0)
				return VE_DB;
		}
	}
	if (progress && seen >= 1000)
		fputs("\n", stderr);
	if (rc != 0) {
		/* A reader's error (bad encoding, a cell too large) makes the file unreadable. */
		int from_reader = rc != VE_DB;
		if (from_reader)
			fprintf(stderr, "vets: %s\n", err);
		db_rollback(db);
		return from_reader ? VE_INVALID : rc;
	}
	if (all_or_nothing && n->rejected) {
		db_rollback(db);
		return VE_INVALID;
	}
	return db_commit(db) == 0 ? 0 : VE_DB;
}

static int cmd_import_persons(const struct file_args *a)
{
	char err[512];
	struct sheet_reader *in = sheet_open(a->file, err, sizeof(err));
	if (!in) {
		fprintf(stderr, "vets: %s\n", err);
		return 1;
	}
	struct db *db;
	struct crypto_keys keys;
	if (cli_open(cli_db_path(a->db), a->key, &db, &keys) != 0) {
		sheet_close(in);
		return 1;
	}
	struct import_counts n = {0};
	int rc = import_persons(db, in, a->all_or_nothing, &n);
	sheet_close(in);
	db_close(db);
	if (rc == VE_INVALID && a->all_or_nothing && n.rejected) {
		fprintf(stderr, "有 %ld 行被拒绝；按 --all-or-nothing，未导入任何一行\n", n.rejected);
		return 1;
	}
	if (rc && rc != VE_INVALID) {
		fprintf(stderr, "vets: 导入失败（%s），未提交的行已撤销\n", err_message(rc));
		return 1;
	}
	if (rc == VE_INVALID && !n.rejected)
		return 1;
	printf("新增 %ld 人，更新 %ld 人，未变化 %ld 人，拒绝 %ld 行\n", n.added, n.changed,
	       n.unchanged, n.rejected);
	return n.rejected ? 1 : 0;
}

struct export_ctx {
	struct sheet_writer *out;
	int failed;
	long rows;
};

static void write_row(void *p, const char *const *cells)
{
	struct export_ctx *x = p;
	static char guarded[N_COLUMNS][SHEET_CELL_MAX + 2];
	const char *out[N_COLUMNS];
	for (int i = 0; i < N_COLUMNS; i++)
		out[i] = sheet_guard(cells[i], guarded[i], sizeof(guarded[i]));
	if (sheet_write_row(x->out, out, N_COLUMNS) != 0)
		x->failed = 1;
	x->rows++;
}

static int cmd_export_persons(const struct file_args *a)
{
	struct db *db;
	struct crypto_keys keys;
	char err[512];
	if (cli_open(cli_db_path(a->db), a->key, &db, &keys) != 0)
		return 1;
	struct export_ctx x = {sheet_create(a->file, "人员信息", err, sizeof(err)), 0, 0};
	if (!x.out) {
		fprintf(stderr, "vets: %s\n", err);
		db_close(db);
		return 1;
	}
	struct principal cli;
	account_cli_principal(&cli);
	struct person_filter all = {0};
	if (sheet_write_row(x.out, person_columns, N_COLUMNS) != 0)
		x.failed = 1;
	int rc = person_export(db, &cli, &all, 1, write_row, &x);
	db_close(db);
	if (sheet_finish(x.out, err, sizeof(err)) != 0 || x.failed || rc) {
		fprintf(stderr, "vets: 导出失败：%s\n", rc ? err_message(rc) : err);
		return 1;
	}
	printf("已导出 %ld 人到 %s\n", x.rows, a->file);
	return 0;
}

/* vets import persons / vets export persons */
static int persons_command(int argc, char **argv, int (*run)(const struct file_args *))
{
	if (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0))
		return fputs(usage, stdout), 0;
	if (argc < 1 || strcmp(argv[0], "persons") != 0)
		return cli_usage_error("目前只支持 persons（人员）");
	struct file_args a = {0};
	int rc = parse(argc - 1, argv + 1, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	return run(&a);
}

int cmd_import(int argc, char **argv)
{
	return persons_command(argc, argv, cmd_import_persons);
}

int cmd_export(int argc, char **argv)
{
	return persons_command(argc, argv, cmd_export_persons);
}
