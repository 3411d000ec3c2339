/* stats.c - vets stats KIND: the statistics each area prints as JSON. The areas whose
 * figures are a figure set (areas/figure.h) share one command here, with --list KEY. */
#include "cli.h"
#include "areas/area.h"
#include "areas/figure.h"
#include "lib/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *kind, *title;
	int (*run)(int argc, char **argv);
} kinds[] = {
	{"benefits", "待遇发放（人、人次、金额）", cli_stats_benefits},
	{"counter", "窗口办件（受理、容缺、办结、按期、逾期、好差评）", cli_stats_counter},
	{"petitions", "信访（收到、受理、办结、按期办结、答复，及办结率、按期办结率、回复率）", cli_stats_petitions},
};
#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

#define JSON_FLAGS (JSON_PRESERVE_ORDER | JSON_COMPACT | JSON_REAL_PRECISION(6))

static void usage(FILE *to)
{
	fputs("用法：vets stats KIND --year YYYY [选项]\n", to);
	for (size_t i = 0; i < N_KINDS; i++)
		fprintf(to, "  %-12s %s\n", kinds[i].kind, kinds[i].title);
	for (const struct area *const *a = area_list; *a; a++)
		if ((*a)->figures)
			fprintf(to, "  %-12s %s（年度报告的各项数字，--list KEY 列出所计记录）\n",
				(*a)->figures->area, (*a)->figures->title);
	fputs("每种统计都支持 --help，说明各项数字的口径。\n", to);
}

/* ---- the areas with a figure set ---- */

static void set_usage(const struct figure_set *set)
{
	printf("用法：vets stats %s --year YYYY [--list KEY] [--db 路径] [--key-file 路径]\n"
	       "       [--as 用户名 --password-stdin]\n"
	       "  以 JSON 输出%s该年的各项数字（按 --as 用户的数据范围，默认全区）；比率为百分数、\n"
	       "  一位小数，分母为 0 时为 null。--list KEY 逐行输出该数字所统计的记录（每行一个 JSON\n"
	       "  对象，行数即该数字；求和的数字为所列记录该列之和）。统计截止日为今天与该年最后一天中\n"
	       "  较早的一天。各项：\n",
	       set->area, set->title);
	for (const struct figure *f = set->figures; f->key; f++)
		printf("  %-28s %s（%s）：%s\n", f->key, f->title, f->unit, f->definition);
	for (const struct figure_rate *r = set->rates; r && r->key; r++)
		printf("  %-28s %s：%s\n", r->key, r->title, r->definition);
}

static int print_row(void *ctx, json_t *o)
{
	(void)ctx;
	char *text = json_dumps(o, JSON_FLAGS);
	int rc = text && puts(text) >= 0 ? 0 : 1;
	free(text);
	return rc;
}

static int run_set(const struct figure_set *set, int argc, char **argv)
{
	const char *db_path = NULL, *key = NULL, *as = NULL, *year_text = NULL, *list = NULL;
	int password_stdin = 0;
	for (int i = 0; i < argc; i++) {
		int m;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return set_usage(set), 0;
		if (strcmp(argv[i], "--password-stdin") == 0) {
			password_stdin = 1;
			continue;
		}
		if ((m = cli_store_opt(argc, argv, &i, &db_path, &key)) ||
		    (m = cli_opt(argc, argv, &i, "as", &as)) ||
		    (m = cli_opt(argc, argv, &i, "year", &year_text)) ||
		    (m = cli_opt(argc, argv, &i, "list", &list))) {
			if (m < 0)
				return 2;
			continue;
		}
		return cli_usage_error("未知参数：%s", argv[i]);
	}
	int64_t year;
	if (cli_year(year_text, &year))
		return 2;
	if (as && !password_stdin)
		return cli_usage_error("--as 须与 --password-stdin 一起使用");
	const struct figure *figure = list ? figure_find(set, list) : NULL;
	if (list && !figure)
		return cli_usage_error("%s 统计中没有这一项：%s（见 vets stats %s --help）",
				       set->title, list, set->area);
	struct db *db;
	struct crypto_keys keys;
	int rc = cli_open(cli_db_path(db_path), key, &db, &keys);
	if (rc)
		return rc;
	struct principal who;
	if (as ? cli_sign_in(db, as, &who) != 0 : (account_cli_principal(&who), 0))
		return db_close(db), 1;
	if (set->perm && !perm_allows(who.roles, set->perm)) {
		db_close(db);
		return fprintf(stderr, "vets: 您没有查看%s统计的权限\n", set->title), 1;
	}
	json_t *j = NULL;
	rc = figure ? figure_list(db, &who, figure, (int)year, 0, -1, NULL, print_row, NULL)
		    : figure_stats(db, &who, set, (int)year, &j);
	db_close(db);
	if (rc)
		return fputs("vets: 统计失败\n", stderr), 1;
	if (j) {
		json_object_del(j, "figures");
		json_object_del(j, "rates");
		print_row(NULL, j);
		json_decref(j);
	}
	return 0;
}

int cmd_stats(int argc, char **argv)
{
	if (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0))
		return usage(stdout), 0;
	for (size_t i = 0; argc >= 1 && i < N_KINDS; i++)
		if (strcmp(argv[0], kinds[i].kind) == 0)
			return kinds[i].run(argc - 1, argv + 1);
	const struct figure_set *set = argc >= 1 ? figure_set_find(argv[0]) : NULL;
	if (set)
		return run_set(set, argc - 1, argv + 1);
	if (argc >= 1)
		fprintf(stderr, "vets: 未知的统计：%s\n", argv[0]);
	usage(stderr);
	return 2;
}
