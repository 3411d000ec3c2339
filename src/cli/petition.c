/* petition.c - vets petition import FILE, and vets stats petitions --year Y [--as-of D]. */
#include "cli.h"
#include "areas/petition.h"
#include "lib/err.h"
#include "lib/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"用法：vets petition import FILE [--db 路径] [--key-file 路径] [--as 用户名 --password-stdin]\n"
	"  FILE 为信访台账（.csv 或 .xlsx 的第一个工作表），列：编号, 来源, 收到日期, 受理,\n"
	"  受理日期, 延期天数, 办结日期, 答复日期。按编号导入：同一文件再导入不改变任何数据，\n"
	"  改动过的行更新；任何一行有错则全部不导入，并逐行列出错误。\n";

static const char stats_usage[] =
	"用法：vets stats petitions --year YYYY [--as-of YYYY-MM-DD] [--db 路径] [--key-file 路径]\n"
	"  以 JSON 输出收到日期在该年的信访件的统计（口径见 README“信访统计”）：\n"
	"  received, not_accepted, accepted, accepted_late, closed, closed_on_time, due, replied,\n"
	"  avg_days（受理至办结平均天数，一位小数），close_rate（办结率）、on_time_rate（按期办结率）、\n"
	"  reply_rate（回复率），均为百分数、一位小数，分母为 0 时为 null。\n"
	"  --as-of 默认为该年 12 月 31 日与今天中较早的一天。\n";

struct args {
	const char *db, *key, *as, *year, *as_of, *file;
	int help, password_stdin;
};

/* 0, 2 (misuse, printed) or -1 (help printed). */
static int parse(int argc, char **argv, struct args *a, const char *help)
{
	for (int i = 0; i < argc; i++) {
		int m;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return fputs(help, stdout), -1;
		if (strcmp(argv[i], "--password-stdin") == 0) {
			a->password_stdin = 1;
			continue;
		}
		if ((m = cli_store_opt(argc, argv, &i, &a->db, &a->key)) ||
		    (m = cli_opt(argc, argv, &i, "as", &a->as)) ||
		    (m = cli_opt(argc, argv, &i, "year", &a->year)) ||
		    (m = cli_opt(argc, argv, &i, "as-of", &a->as_of))) {
			if (m < 0)
				return 2;
			continue;
		}
		if (argv[i][0] == '-' || a->file)
			return cli_usage_error("未知参数：%s", argv[i]);
		a->file = argv[i];
	}
	if (a->as && !a->password_stdin)
		return cli_usage_error("--as 须与 --password-stdin 一起使用");
	return 0;
}

static int open_as(const struct args *a, struct db **db, struct principal *who)
{
	struct crypto_keys keys;
	int opened = cli_open(cli_db_path(a->db), a->key, db, &keys);
	if (opened)
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

static int import_file(const struct args *a)
{
	struct db *db;
	struct principal who;
	int rc = open_as(a, &db, &who);
	if (rc)
		return rc;
	struct petition_import_result r;
	char err[8192] = "";
	rc = petition_import(db, &who, a->file, &r, err, sizeof(err));
	db_close(db);
	if (rc) {
		fprintf(stderr, "vets: 信访台账未导入（任何一行有错则全部不导入）：\n%s\n", err);
		return 1;
	}
	printf("信访台账：%lld 行，新增 %lld，更新 %lld，未变 %lld\n", (long long)r.rows,
	       (long long)r.added, (long long)r.updated, (long long)r.unchanged);
	return 0;
}

int cmd_petition(int argc, char **argv)
{
	if (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0))
		return fputs(usage, stdout), 0;
	if (argc < 1 || strcmp(argv[0], "import") != 0)
		return cli_usage_error("用法：vets petition import FILE");
	struct args a = {0};
	int rc = parse(argc - 1, argv + 1, &a, usage);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (!a.file)
		return cli_usage_error("缺少台账文件：vets petition import FILE");
	if (a.year || a.as_of)
		return cli_usage_error("petition import 不接受 --year 或 --as-of");
	return import_file(&a);
}

int cli_stats_petitions(int argc, char **argv)
{
	struct args a = {0};
	int rc = parse(argc, argv, &a, stats_usage);
	if (rc)
		return rc < 0 ? 0 : rc;
	int64_t year;
	if (cli_year(a.year, &year))
		return 2;
	if (a.file)
		return cli_usage_error("未知参数：%s", a.file);
	if (a.as_of && !petition_date_valid(a.as_of))
		return cli_usage_error("--as-of 应为日期 YYYY-MM-DD");
	struct db *db;
	struct principal who;
	if ((rc = open_as(&a, &db, &who)) != 0)
		return rc;
	json_t *j = NULL;
	rc = petition_stats(db, &who, (int)year, a.as_of, &j);
	db_close(db);
	if (rc)
		return fputs("vets: 统计失败\n", stderr), 1;
	char *text = json_dumps(j, PETITION_JSON_FLAGS);
	puts(text);
	free(text);
	json_decref(j);
	return 0;
}
