/* registry.c - vets region import, vets import persons, vets export persons. */
#include "cli.h"
#include "areas/person.h"
#include "areas/person_import.h"
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
	"  命令行导出含完整身份证号，并记入审计日志（导出人数与条件）。\n";

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
		int m = cli_store_opt(argc, argv, &i, &a->db, &a->key);
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
	int opened = cli_open(cli_db_path(a.db), a.key, &db, &keys);
	if (opened != 0)
		return opened;
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

#define N_COLUMNS PERSON_FIELDS

static void print_reject(void *ctx, long row, const char *field, const char *message)
{
	(void)ctx;
	if (row == 0)
		fprintf(stderr, "vets: %s\n", message);
	else if (field)
		fprintf(stderr, "第 %ld 行：%s：%s\n", row, field, message);
	else
		fprintf(stderr, "第 %ld 行：%s\n", row, message);
}

static void print_progress(void *ctx, long rows)
{
	(void)ctx;
	fprintf(stderr, "\r已处理 %ld 行……", rows);
}

static int cmd_import_persons(const struct file_args *a)
{
	struct db *db;
	struct crypto_keys keys;
	int opened = cli_open(cli_db_path(a->db), a->key, &db, &keys);
	if (opened != 0)
		return opened;
	struct principal cli;
	account_cli_principal(&cli);
	int tty = isatty(STDERR_FILENO);
	struct import_sink sink = {print_reject, tty ? print_progress : NULL, NULL, NULL, NULL, NULL};
	struct import_counts n;
	int rc = person_import(db, &cli, a->file,
			       a->all_or_nothing ? IMPORT_ALL_OR_NOTHING : IMPORT_KEEP_GOOD, 0, &sink,
			       &n);
	db_close(db);
	if (tty && n.added + n.changed + n.unchanged + n.rejected >= 1000)
		fputs("\n", stderr);
	if (rc == VE_INVALID && n.rejected && a->all_or_nothing) {
		fprintf(stderr, "有 %ld 行被拒绝；按 --all-or-nothing，未导入任何一行\n",
			n.rejected);
		return 1;
	}
	if (rc == VE_INVALID)
		return 1;
	if (rc) {
		fprintf(stderr, "vets: 导入失败（%s），未提交的行已撤销\n", err_message(rc));
		return 1;
	}
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
	int opened = cli_open(cli_db_path(a->db), a->key, &db, &keys);
	if (opened != 0)
		return opened;
	struct export_ctx x = {sheet_create(a->file, "人员信息", err, sizeof(err)), 0, 0};
	if (!x.out) {
		fprintf(stderr, "vets: %s\n", err);
		db_close(db);
		return 1;
	}
	struct principal cli;
	account_cli_principal(&cli);
	struct person_filter all = {0};
	const char *header[N_COLUMNS];
	person_column_labels(header);
	if (sheet_write_row(x.out, header, N_COLUMNS) != 0)
		x.failed = 1;
	int rc = person_export(db, &cli, &all, "服务器上的命令行导出", write_row, &x);
	db_close(db);
	if (sheet_finish(x.out, err, sizeof(err)) != 0 || x.failed || rc) {
		/* Full values leave only with their audit record (person_export). */
		unlink(a->file);
		fprintf(stderr, "vets: 导出失败，未生成文件：%s\n", rc ? err_message(rc) : err);
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
