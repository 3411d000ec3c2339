/* conscript.c - vets conscript import / rule set / rules: 义务兵优待 on the command line. */
#include "cli.h"
#include "areas/benefit.h"
#include "areas/conscript.h"
#include "lib/err.h"
#include "lib/money.h"
#include "lib/str.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"用法：vets conscript import FILE [--all-or-nothing] [--dry-run] [--db PATH] [--key-file "
	"PATH]\n"
	"      vets conscript rule set --year 年度 --kind 基数|增发|奖励金 [--item 项目] --amount "
	"元\n"
	"                              [--db PATH] [--key-file PATH]\n"
	"      vets conscript rules [--year 年度] [--db PATH] [--key-file PATH]\n"
	"      vets conscript rules approve --year 年度 --as 用户名 --password-stdin\n"
	"  import：导入征兵办的新兵名单（.csv 或 .xlsx），登记为现役军人，并按入伍年度的规则\n"
	"  核定义务兵家庭优待金（自入伍当月起两年，每服役一年发放一次）和一次性入伍奖励金。\n"
	"  列：姓名、身份证号、入伍时间、学历、家属姓名、开户行、银行账号（必填），\n"
	"  大学生情况、艰苦地区、立功受奖、街道、社区、家属联系电话。详见 docs/CONSCRIPTS.md。\n"
	"  被拒绝的行逐行列在标准错误上，退出码为 1；--all-or-nothing 时有一行有误就不导入任何\n"
	"  一行；--dry-run 只检查并统计，不保存。同一文件重复导入不会再有变化。\n"
	"  rule set：设置（或修改）一条规则。基数的项目就是“基数”（可省略 --item）；增发的项目：\n"
	"  在校生、毕业生、新生、艰苦地区、进藏进疆、立功；奖励金的项目是学历：高中及以下、大专、\n"
	"  本科、研究生。金额以元为单位（每年；奖励金为一次）。不发放的项目请设为 0。\n"
	"  rules：列出规则（全部年度，或 --year 指定的年度）。\n"
	"  rules approve：由设置规则以外的另一人审批该年度的规则表；未经审批的年度不能核定\n"
	"  优待金，修改任何一条规则后须重新审批。\n";

static int is_help(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

static void print_row_error(void *ctx, long row, const char *field, const char *message)
{
	(void)ctx;
	fprintf(stderr, "第 %ld 行：%s：%s\n", row, field, message);
}

static int run_import(int argc, char **argv)
{
	const char *file = NULL, *db_path = NULL, *key = NULL;
	int all_or_nothing = 0, dry_run = 0;
	for (int i = 0; i < argc; i++) {
		if (is_help(argv[i]))
			return fputs(usage, stdout), 0;
		if (strcmp(argv[i], "--all-or-nothing") == 0) {
			all_or_nothing = 1;
			continue;
		}
		if (strcmp(argv[i], "--dry-run") == 0) {
			dry_run = 1;
			continue;
		}
		int m = cli_store_opt(argc, argv, &i, &db_path, &key);
		if (m < 0)
			return 2;
		if (m)
			continue;
		if (argv[i][0] == '-' || file)
			return cli_usage_error("未知参数：%s", argv[i]);
		file = argv[i];
	}
	if (!file)
		return cli_usage_error("缺少文件名");
	if (all_or_nothing && dry_run)
		return cli_usage_error("--all-or-nothing 与 --dry-run 不能同时使用");
	struct db *db;
	struct crypto_keys keys;
	int opened = cli_open(cli_db_path(db_path), key, &db, &keys);
	if (opened != 0)
		return opened;
	struct principal cli;
	account_cli_principal(&cli);
	struct conscript_summary n;
	char err[512] = "";
	enum import_mode mode = dry_run          ? IMPORT_DRY_RUN
				: all_or_nothing ? IMPORT_ALL_OR_NOTHING
						 : IMPORT_KEEP_GOOD;
	int rc =
		conscript_import(db, &cli, file, print_row_error, NULL, mode, &n, err, sizeof(err));
	db_close(db);
	if (rc == VE_INVALID && n.rejected && all_or_nothing) {
		fprintf(stderr, "有 %ld 行被拒绝；按 --all-or-nothing，未导入任何一行\n",
			n.rejected);
		return 1;
	}
	if (rc) {
		fprintf(stderr, "vets: %s\n", err[0] ? err : err_message(rc));
		return 1;
	}
	char allowance[32], bonus[32];
	money_format_grouped(n.allowance_fen, allowance);
	money_format_grouped(n.bonus_fen, bonus);
	printf("%s义务兵 %ld 人：新增 %ld 人，更新 %ld 人，未变化 %ld 人；核定待遇 %ld 项"
	       "（优待金 %s 元/年，奖励金 %s 元），已有待遇 %ld 项未改动；拒绝 %ld 行\n",
	       dry_run ? "试导入（未保存）：" : "", n.rows, n.added, n.changed, n.unchanged,
	       n.granted, allowance, bonus, n.kept, n.rejected);
	if (n.kept_differ)
		printf("注意：已有待遇中 %ld 项按现行规则计算的金额或起始月份不同，未自动修改，"
		       "请人工核对\n",
		       n.kept_differ);
	return n.rejected ? 1 : 0;
}

static int run_rule_set(int argc, char **argv)
{
	const char *year_text = NULL, *kind = NULL, *item = NULL, *amount = NULL, *db_path = NULL,
		   *key = NULL;
	for (int i = 0; i < argc; i++) {
		if (is_help(argv[i]))
			return fputs(usage, stdout), 0;
		int m = cli_store_opt(argc, argv, &i, &db_path, &key);
		if (m == 0)
			m = cli_opt(argc, argv, &i, "year", &year_text);
		if (m == 0)
			m = cli_opt(argc, argv, &i, "kind", &kind);
		if (m == 0)
			m = cli_opt(argc, argv, &i, "item", &item);
		if (m == 0)
			m = cli_opt(argc, argv, &i, "amount", &amount);
		if (m < 0)
			return 2;
		if (m == 0)
			return cli_usage_error("未知参数：%s", argv[i]);
	}
	if (!year_text || !kind || !amount)
		return cli_usage_error("须给出 --year、--kind 和 --amount");
	if (!item && strcmp(kind, "基数") != 0)
		return cli_usage_error("须给出 --item（%s的项目）", kind);
	int64_t year, fen;
	char err[256] = "";
	if (str_to_i64(year_text, strlen(year_text), 2000, 2100, &year) != 0) {
		fprintf(stderr, "vets: 年度应为 2000 至 2100 之间的年份：%s\n", year_text);
		return 1;
	}
	if (money_parse(amount, 100000000, &fen) != 0) {
		fprintf(stderr, "vets: 金额应为 0 至 1000000 元，最多两位小数：%s\n", amount);
		return 1;
	}
	if (conscript_rule_item_check(kind, item, err, sizeof(err)) != 0) {
		fprintf(stderr, "vets: %s\n", err);
		return 1;
	}
	struct db *db;
	struct crypto_keys keys;
	int opened = cli_open(cli_db_path(db_path), key, &db, &keys);
	if (opened != 0)
		return opened;
	struct principal cli;
	account_cli_principal(&cli);
	int rc = conscript_rule_set(db, &cli, (int)year, kind, item ? item : "基数", fen, 0, NULL, err,
				    sizeof(err));
	db_close(db);
	if (rc) {
		fprintf(stderr, "vets: %s\n", err[0] ? err : err_message(rc));
		return 1;
	}
	char yuan[32];
	money_format_grouped(fen, yuan);
	printf("已设置 %lld 年 %s %s：%s 元\n", (long long)year, kind, item ? item : "基数", yuan);
	return 0;
}

static int run_rules(int argc, char **argv)
{
	const char *year_text = NULL, *db_path = NULL, *key = NULL;
	for (int i = 0; i < argc; i++) {
		if (is_help(argv[i]))
			return fputs(usage, stdout), 0;
		int m = cli_store_opt(argc, argv, &i, &db_path, &key);
		if (m == 0)
			m = cli_opt(argc, argv, &i, "year", &year_text);
		if (m < 0)
			return 2;
		if (m == 0)
			return cli_usage_error("未知参数：%s", argv[i]);
	}
	int64_t year = 0;
	if (year_text && str_to_i64(year_text, strlen(year_text), 2000, 2100, &year) != 0) {
		fprintf(stderr, "vets: 年度应为 2000 至 2100 之间的年份：%s\n", year_text);
		return 1;
	}
	struct db *db;
	struct crypto_keys keys;
	int opened = cli_open(cli_db_path(db_path), key, &db, &keys);
	if (opened != 0)
		return opened;
	json_t *list = NULL;
	int rc = conscript_rule_list(db, (int)year, &list);
	db_close(db);
	if (rc) {
		fprintf(stderr, "vets: 读取规则失败（%s）\n", err_message(rc));
		return 1;
	}
	if (json_array_size(list) == 0) {
		printf(year ? "%lld 年没有设置义务兵优待规则\n" : "没有设置义务兵优待规则\n",
		       (long long)year);
		json_decref(list);
		return 0;
	}
	/* Tab-separated, so that a script can cut it; a terminal lines it up well enough. */
	printf("年度\t类型\t项目\t金额（元）\n");
	size_t i;
	json_t *r;
	json_array_foreach(list, i, r)
	{
		/* Plain (1234.56) like a file: the list is for scripts to cut. */
		char yuan[32];
		money_format(json_integer_value(json_object_get(r, "amount_fen")), yuan);
		printf("%lld\t%s\t%s\t%s%s\n",
		       (long long)json_integer_value(json_object_get(r, "year")),
		       json_string_value(json_object_get(r, "kind")),
		       json_string_value(json_object_get(r, "item")), yuan,
		       json_is_true(json_object_get(r, "demo")) ? "\t（示例数据）" : "");
	}
	json_decref(list);
	return 0;
}

/* vets conscript rules approve --year Y --as USER --password-stdin */
static int run_rules_approve(int argc, char **argv)
{
	const char *year_text = NULL, *as = NULL, *db_path = NULL, *key = NULL;
	int password_stdin = 0;
	for (int i = 0; i < argc; i++) {
		if (is_help(argv[i]))
			return fputs(usage, stdout), 0;
		if (strcmp(argv[i], "--password-stdin") == 0) {
			password_stdin = 1;
			continue;
		}
		int m = cli_store_opt(argc, argv, &i, &db_path, &key);
		if (m == 0)
			m = cli_opt(argc, argv, &i, "year", &year_text);
		if (m == 0)
			m = cli_opt(argc, argv, &i, "as", &as);
		if (m < 0)
			return 2;
		if (m == 0)
			return cli_usage_error("未知参数：%s", argv[i]);
	}
	int64_t year;
	if (!year_text || str_to_i64(year_text, strlen(year_text), 2000, 2100, &year) != 0)
		return cli_usage_error("须给出 --year（2000 至 2100）");
	if (!as || !password_stdin)
		return cli_usage_error("审批规则须以本人账号办理：--as 用户名 --password-stdin");
	struct db *db;
	struct crypto_keys keys;
	struct principal who;
	int opened = cli_open(cli_db_path(db_path), key, &db, &keys);
	if (opened != 0)
		return opened;
	if (cli_sign_in(db, as, &who) != 0) {
		db_close(db);
		return 1;
	}
	char err[256] = "";
	int rc = conscript_rules_approve(db, &who, (int)year, err, sizeof(err));
	db_close(db);
	if (rc)
		return fprintf(stderr, "vets: %s\n", err[0] ? err : err_message(rc)), 1;
	printf("已审批 %lld 年义务兵优待规则（%s）\n", (long long)year, who.username);
	return 0;
}

int cmd_conscript(int argc, char **argv)
{
	if (argc >= 1 && is_help(argv[0]))
		return fputs(usage, stdout), 0;
	if (argc >= 1 && strcmp(argv[0], "import") == 0)
		return run_import(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[0], "rules") == 0 && strcmp(argv[1], "approve") == 0)
		return run_rules_approve(argc - 2, argv + 2);
	if (argc >= 1 && strcmp(argv[0], "rules") == 0)
		return run_rules(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[0], "rule") == 0 && strcmp(argv[1], "set") == 0)
		return run_rule_set(argc - 2, argv + 2);
	if (argc >= 1 && strcmp(argv[0], "rule") == 0 && (argc < 2 || is_help(argv[1])))
		return argc >= 2 ? (fputs(usage, stdout), 0)
				 : cli_usage_error("用法：vets conscript rule set …");
	return cli_usage_error("用法：vets conscript import FILE | rule set … | rules");
}
