/* pay.c - vets pay (batches), vets standard (standards) and vets stats benefits. */
#include "cli.h"
#include "areas/benefit.h"
#include "areas/payment.h"
#include "areas/recovery.h"
#include "lib/err.h"
#include "lib/money.h"
#include "lib/str.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char pay_usage[] =
	"用法：vets pay generate --period YYYY-MM [--benefit CODE | --all] [--as 用户名 --password-stdin]\n"
	"      vets pay review BATCH --as 用户名 --password-stdin\n"
	"      vets pay approve BATCH --as 用户名 --password-stdin\n"
	"      vets pay reject BATCH --reason 原因 --as 用户名 --password-stdin\n"
	"      vets pay export BATCH FILE [--as 用户名 --password-stdin]\n"
	"      vets pay reconcile BATCH FILE [--as 用户名 --password-stdin]\n"
	"      vets pay list\n"
	"      vets pay recoveries\n"
	"  以上命令均可加 --db PATH --key-file PATH。\n"
	"  generate 生成一期发放批次（不给 --benefit "
	"时逐项生成每种到期的待遇），成功时每批打印一行：\n"
	"  "
	"批次号、期间、待遇、笔数和金额；同一期间同一待遇已生成过、缺少标准或无应发人员时拒绝，退出"
	"码 1。\n"
	"  生成、复核（review）、审批（approve）须由三个不同的人办理；--as "
	"以该账号身份办理（密码从标准\n"
	"  输入读取，与网页登录一样记入审计）。export 写出已审批批次的代发文件（.csv 或 "
	".xlsx，含完整\n"
	"  账号，记入审计）；reconcile "
	"导入银行回盘文件（列：流水号、金额、结果、失败原因），有任何一行\n"
	"  有误则逐行报告、不做任何改变。recoveries 列出死亡等情形后多发、应追缴的明细。\n";

/* The options every pay command takes. */
struct pay_args {
	const char *db, *key, *as, *period, *benefit, *year, *street, *reason;
	const char *pos[2];
	int n_pos, password_stdin, all;
};

static int parse(int argc, char **argv, struct pay_args *a, const char *usage)
{
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return fputs(usage, stdout), -1;
		if (strcmp(argv[i], "--password-stdin") == 0) {
			a->password_stdin = 1;
			continue;
		}
		if (strcmp(argv[i], "--all") == 0) {
			a->all = 1;
			continue;
		}
		int m = cli_store_opt(argc, argv, &i, &a->db, &a->key);
		if (m == 0)
			m = cli_opt(argc, argv, &i, "as", &a->as);
		if (m == 0)
			m = cli_opt(argc, argv, &i, "period", &a->period);
		if (m == 0)
			m = cli_opt(argc, argv, &i, "benefit", &a->benefit);
		if (m == 0)
			m = cli_opt(argc, argv, &i, "year", &a->year);
		if (m == 0)
			m = cli_opt(argc, argv, &i, "street", &a->street);
		if (m == 0)
			m = cli_opt(argc, argv, &i, "reason", &a->reason);
		if (m < 0)
			return 2;
		if (m)
			continue;
		if (argv[i][0] == '-' || a->n_pos == 2)
			return cli_usage_error("未知参数：%s", argv[i]);
		a->pos[a->n_pos++] = argv[i];
	}
	if (a->as && !a->password_stdin)
		return cli_usage_error("--as 须与 --password-stdin 一起使用");
	return 0;
}

/* Opens the store and finds who acts: the user of --as, else the operator. */
static int open_acting(const struct pay_args *a, struct db **db, struct principal *who)
{
	struct crypto_keys keys;
	int opened = cli_open(cli_db_path(a->db), a->key, db, &keys);
	if (opened != 0)
		return opened;
	if (!a->as) {
		account_cli_principal(who);
		return 0;
	}
	if (cli_sign_in(*db, a->as, who) == 0)
		return 0;
	db_close(*db);
	return 1;
}

static void print_row_error(void *ctx, long row, const char *reason)
{
	(void)ctx;
	fprintf(stderr, "第 %ld 行：%s\n", row, reason);
}

static int batch_number(const char *text, int64_t *id)
{
	if (text && str_to_i64(text, strlen(text), 1, INT64_MAX, id) == 0)
		return 0;
	return cli_usage_error("批次号应为数字");
}

static void print_batch(const struct pay_result *r, const char *period)
{
	char yuan[32];
	money_format_grouped(r->amount_fen, yuan);
	printf("批次 %lld：%s %s，%lld 笔，%s 元（正常 %lld，补发 %lld，丧葬 %lld，重发 %lld）\n",
	       (long long)r->batch_id, period, r->benefit_name, (long long)r->lines, yuan,
	       (long long)r->regular, (long long)r->backpay, (long long)r->funeral,
	       (long long)r->reissued);
}

/* What --all did: the batches made and skipped, and whether one was refused. */
struct due_report {
	const char *period;
	int64_t skipped;
	int refused;
};

static void print_due(void *ctx, int64_t id, const char *name, int rc, const struct pay_result *res,
		      const char *err)
{
	struct due_report *d = ctx;
	(void)id;
	if (rc == 0)
		print_batch(res, d->period);
	else if (rc == VE_EXISTS || (rc == VE_INVALID && res->nothing_due)) {
		printf("跳过 %s：%s\n", name, err);
		d->skipped++;
	} else {
		fprintf(stderr, "vets: 未生成 %s：%s\n", name, err);
		d->refused = 1;
	}
}

/* generate --all: every benefit due for the period, those done already skipped. */
static int generate_all(struct db *db, const struct principal *who, const struct pay_args *a)
{
	struct due_report d = {a->period, 0, 0};
	int64_t made = 0;
	char err[300] = "";
	if (pay_generate_due(db, who, a->period, print_due, &d, &made, NULL, err, sizeof(err)))
		return fprintf(stderr, "vets: %s\n", err), 1;
	printf("%s：生成 %lld 批，跳过 %lld 项\n", a->period, (long long)made,
	       (long long)d.skipped);
	return d.refused;
}

/* generate: one benefit, or each benefit type in turn (nothing due is no error then). */
static int generate(struct db *db, const struct principal *who, const struct pay_args *a)
{
	json_t *types = NULL;
	if (!a->period)
		return cli_usage_error("缺少 --period YYYY-MM");
	if (a->all && a->benefit)
		return cli_usage_error("--all 与 --benefit 只能选一个");
	if (a->all)
		return generate_all(db, who, a);
	if (!a->benefit && benefit_types(db, &types) != 0)
		return fputs("vets: 读取待遇种类失败\n", stderr), 1;
	size_t n = a->benefit ? 1 : json_array_size(types);
	int status = 0, made = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *t = types ? json_array_get(types, i) : NULL;
		const char *code = t ? json_string_value(json_object_get(t, "code")) : a->benefit;
		struct pay_result r;
		char err[300] = "";
		int rc = pay_generate(db, who, a->period, code, &r, NULL, err, sizeof(err));
		if (rc == 0) {
			print_batch(&r, a->period);
			made++;
		} else if (!types || rc != VE_INVALID || !r.nothing_due) {
			fprintf(stderr, "vets: %s\n", err);
			status = 1;
		}
	}
	json_decref(types);
	if (types && !made && !status)
		return fprintf(stderr, "vets: %s 没有应发放的待遇\n", a->period), 1;
	return status;
}

static int sign(struct db *db, const struct principal *who, const struct pay_args *a, int approve)
{
	int64_t id;
	char err[300] = "";
	if (batch_number(a->pos[0], &id))
		return 2;
	int rc = approve ? pay_approve(db, who, id, err, sizeof(err))
			 : pay_review(db, who, id, err, sizeof(err));
	if (rc)
		return fprintf(stderr, "vets: %s\n", err), 1;
	printf("批次 %lld 已%s（%s）\n", (long long)id, approve ? "审批" : "复核", who->username);
	return 0;
}

static int reject_batch(struct db *db, const struct principal *who, const struct pay_args *a)
{
	int64_t id;
	char err[300] = "";
	if (batch_number(a->pos[0], &id))
		return 2;
	if (pay_reject(db, who, id, a->reason, err, sizeof(err)) != 0)
		return fprintf(stderr, "vets: %s\n", err), 1;
	printf("批次 %lld 已退回（%s），明细已撤销\n", (long long)id, who->username);
	return 0;
}

static int export_file(struct db *db, const struct principal *who, const struct pay_args *a)
{
	int64_t id;
	char err[300] = "";
	if (batch_number(a->pos[0], &id))
		return 2;
	if (!a->pos[1])
		return cli_usage_error("缺少文件名");
	if (pay_bank_file(db, who, id, a->pos[1], err, sizeof(err)) != 0)
		return fprintf(stderr, "vets: %s\n", err), 1;
	printf("已写出批次 %lld 的代发文件：%s\n", (long long)id, a->pos[1]);
	return 0;
}

static int reconcile(struct db *db, const struct principal *who, const struct pay_args *a)
{
	int64_t id, paid, failed;
	char err[300] = "";
	if (batch_number(a->pos[0], &id))
		return 2;
	if (!a->pos[1])
		return cli_usage_error("缺少文件名");
	if (pay_reconcile(db, who, id, a->pos[1], print_row_error, NULL, &paid, &failed, err,
			  sizeof(err)) != 0)
		return fprintf(stderr, "vets: %s\n", err), 1;
	printf("批次 %lld 回盘已导入：成功 %lld 笔，失败 %lld 笔\n", (long long)id, (long long)paid,
	       (long long)failed);
	return 0;
}

/* Prints *j made by a read that returned rc, and frees it. j is passed by address
 * because it is filled by the other argument, and arguments are evaluated in any order. */
static int print_json(int rc, json_t **j)
{
	if (rc)
		return fputs("vets: 读取失败\n", stderr), 1;
	char *text = json_dumps(*j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(text);
	free(text);
	json_decref(*j);
	return 0;
}

int cmd_pay(int argc, char **argv)
{
	static const char *const verbs[] = {"generate",  "review", "approve",    "export",
					    "reconcile", "list",   "recoveries", "reject"};
	size_t v = 0;
	while (argc >= 1 && v < 8 && strcmp(argv[0], verbs[v]) != 0)
		v++;
	if (argc < 1 || v == 8) {
		if (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0))
			return fputs(pay_usage, stdout), 0;
		return cli_usage_error(
			"用法：vets pay generate|review|approve|reject|export|reconcile|list|"
			"recoveries …（--help 查看说明）");
	}
	struct pay_args a = {0};
	int rc = parse(argc - 1, argv + 1, &a, pay_usage);
	if (rc)
		return rc < 0 ? 0 : rc;
	if ((v == 1 || v == 2 || v == 7) && !a.as)
		return cli_usage_error(
			"复核、审批和退回须以本人账号办理：--as 用户名 --password-stdin");
	struct db *db;
	struct principal who;
	int opened = open_acting(&a, &db, &who);
	if (opened != 0)
		return opened;
	json_t *j = NULL;
	switch (v) {
	case 0:
		rc = generate(db, &who, &a);
		break;
	case 1:
		rc = sign(db, &who, &a, 0);
		break;
	case 2:
		rc = sign(db, &who, &a, 1);
		break;
	case 3:
		rc = export_file(db, &who, &a);
		break;
	case 4:
		rc = reconcile(db, &who, &a);
		break;
	case 5:
		rc = print_json(pay_batch_list(db, &who, &j), &j);
		break;
	case 7:
		rc = reject_batch(db, &who, &a);
		break;
	default:
		rc = print_json(recovery_lines(db, &who, &j), &j);
		break;
	}
	db_close(db);
	return rc;
}

/* ---- vets stats benefits ---- */

static const char stats_usage[] =
	"用法：vets stats benefits --year YYYY [--street 街道区划代码] [--db PATH] [--key-file "
	"PATH]\n"
	"  打印该年各项待遇的 JSON 统计：persons（人，有已发明细的不同人员数）、payments（人次，\n"
	"  已发明细笔数，每人每月一笔）、amount_fen（已发金额，分）、lines 和 lines_amount_fen\n"
	"  （该年各期批次生成的全部明细及金额，不论状态）、pending（待发）、failed（失败）。\n"
	"  年份按批次的发放期间计。\n";

int cli_stats_benefits(int argc, char **argv)
{
	struct pay_args a = {0};
	int rc = parse(argc, argv, &a, stats_usage);
	if (rc)
		return rc < 0 ? 0 : rc;
	int64_t year;
	if (cli_year(a.year, &year))
		return 2;
	if (a.n_pos)
		return cli_usage_error("未知参数：%s", a.pos[0]);
	struct db *db;
	struct principal who;
	int opened = open_acting(&a, &db, &who);
	if (opened != 0)
		return opened;
	json_t *j = NULL;
	rc = pay_stats(db, &who, (int)year, 0, a.street, &j);
	if (rc == 0) {
		/* the contract's shape: year and benefits */
		json_object_del(j, "street");
		char *text = json_dumps(j, JSON_PRESERVE_ORDER | JSON_COMPACT);
		puts(text);
		free(text);
		json_decref(j);
	}
	db_close(db);
	return rc ? (fputs("vets: 统计失败\n", stderr), 1) : 0;
}

/* ---- vets standard ---- */

static const char standard_usage[] =
	"用法：vets standard import FILE [--as 用户名 --password-stdin]\n"
	"      vets standard approve ID --as 用户名 --password-stdin\n"
	"      vets standard reject ID --as 用户名 --password-stdin\n"
	"      vets standard list [--benefit CODE]\n"
	"  以上命令均可加 --db PATH --key-file "
	"PATH。标准文件的列：待遇、人员类别、残疾等级、残疾性质、\n"
	"  生效日期（某月 1 "
	"日）、国家标准（元/年）、地方增发（元/年）、说明；导入的标准为“待审核”，\n"
	"  须由拟定人以外的另一人审批（approve）后生效。\n";

int cmd_standard(int argc, char **argv)
{
	static const char *const verbs[] = {"import", "approve", "reject", "list"};
	size_t v = 0;
	while (argc >= 1 && v < 4 && strcmp(argv[0], verbs[v]) != 0)
		v++;
	if (argc < 1 || v == 4) {
		if (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0))
			return fputs(standard_usage, stdout), 0;
		return cli_usage_error("用法：vets standard import|approve|reject|list …");
	}
	struct pay_args a = {0};
	int rc = parse(argc - 1, argv + 1, &a, standard_usage);
	if (rc)
		return rc < 0 ? 0 : rc;
	int64_t id = 0;
	if ((v == 1 || v == 2) && (!a.as || batch_number(a.pos[0], &id)))
		return a.as ? 2
			    : cli_usage_error(
				      "审批标准须以本人账号办理：--as 用户名 --password-stdin");
	if (v == 0 && !a.pos[0])
		return cli_usage_error("缺少文件名");
	struct db *db;
	struct principal who;
	int opened = open_acting(&a, &db, &who);
	if (opened != 0)
		return opened;
	char err[300] = "";
	json_t *j = NULL;
	long n = 0;
	if (v == 0) {
		rc = benefit_standard_import(db, &who, a.pos[0], print_row_error, NULL, &n, err,
					     sizeof(err));
		if (rc == 0)
			printf("已导入标准 %ld 条，待另一人审批后生效\n", n);
	} else if (v == 3) {
		rc = print_json(benefit_standard_list(db, a.benefit, &j), &j);
	} else {
		rc = benefit_standard_decide(db, &who, id, v == 1, err, sizeof(err));
		if (rc == 0)
			printf("标准 %lld 已%s\n", (long long)id, v == 1 ? "批准生效" : "驳回");
	}
	db_close(db);
	if (rc && err[0])
		fprintf(stderr, "vets: %s\n", err);
	return rc ? 1 : 0;
}
