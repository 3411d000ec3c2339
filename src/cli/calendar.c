/* calendar.c - vets calendar import / due / list: the holiday calendar on the command line. */
#include "cli.h"
#include "areas/calendar.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"用法：vets calendar import FILE [--db PATH] [--key-file PATH]\n"
	"      vets calendar due DATE N [--db PATH] [--key-file PATH]\n"
	"      vets calendar list [--year YYYY] [--db PATH] [--key-file PATH]\n"
	"  import：导入节假日安排（.csv 或 .xlsx）。列：日期（YYYY-MM-DD）、类型（休 = 工作日放假，\n"
	"  班 = 周末调休上班）、说明（可选）。文件列出 5 天以上的年度整体替换为文件的内容，其他\n"
	"  年度的日子（如上一年末的调休）逐日设置；有一行有误就不导入任何一行。未列出的日子按\n"
	"  周一至周五上班、周六周日休息计；列出不足 5 天的年度视为未录入。\n"
	"  due：打印 DATE 之后第 N 个工作日（DATE 当天不计）。某一年没有录入节假日安排时，\n"
	"  只按周末推算，并在标准错误上提示。\n"
	"  list：列出某年（默认今年）录入的节假日与调休上班日。\n";

static void print_row_error(void *ctx, long row, const char *field, const char *message)
{
	(void)ctx;
	fprintf(stderr, "第 %ld 行：%s：%s\n", row, field, message);
}

/* Parses the store options and up to max positional arguments into pos; 0, 2 on misuse,
 * or -1 after printing the help. */
static int parse(int argc, char **argv, const char **db, const char **key, const char **year,
		 const char **pos, int max, int *n_pos)
{
	*n_pos = 0;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return fputs(usage, stdout), -1;
		int m = cli_store_opt(argc, argv, &i, db, key);
		if (m == 0 && year)
			m = cli_opt(argc, argv, &i, "year", year);
		if (m < 0)
			return 2;
		if (m)
			continue;
		if (argv[i][0] == '-' && argv[i][1] != '\0' && (argv[i][1] < '0' || argv[i][1] > '9'))
			return cli_usage_error("未知参数：%s", argv[i]);
		if (*n_pos == max)
			return cli_usage_error("多余的参数：%s", argv[i]);
		pos[(*n_pos)++] = argv[i];
	}
	return 0;
}

static int run_import(struct db *db, const char *file)
{
	struct principal cli;
	account_cli_principal(&cli);
	struct calendar_summary s;
	char err[512] = "";
	int rc = calendar_import(db, &cli, file, print_row_error, NULL, &s, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "vets: %s\n", err[0] ? err : err_message(rc));
		return 1;
	}
	printf("已导入");
	for (size_t i = 0; i < s.n_years; i++)
		printf("%s%d", i ? "、" : " ", s.years[i]);
	printf("%s节假日安排：%ld 天（新增 %ld，修改 %ld，未变 %ld，删除 %ld）\n",
	       s.n_years ? " 年的" : "", s.rows, s.added, s.changed, s.unchanged, s.removed);
	return 0;
}

static int run_due(struct db *db, const char *day, const char *count)
{
	int64_t n;
	if (str_to_i64(count, strlen(count), 0, CALENDAR_MAX_DAYS, &n) != 0) {
		fprintf(stderr, "vets: N 应为 0 至 %d 的整数：%s\n", CALENDAR_MAX_DAYS, count);
		return 1;
	}
	char due[11];
	int weekends_only = 0;
	int rc = calendar_due(db, day, (int)n, due, &weekends_only);
	if (rc == VE_INVALID) {
		fprintf(stderr, "vets: 日期应为 YYYY-MM-DD 格式的有效日期：%s\n", day);
		return 1;
	}
	if (rc) {
		fprintf(stderr, "vets: %s\n", err_message(rc));
		return 1;
	}
	puts(due);
	if (weekends_only)
		fputs("注意：期间有年度未录入节假日安排，该部分只按周末推算\n", stderr);
	return 0;
}

static int run_list(struct db *db, const char *year_text)
{
	int64_t year = atoi(clock_today_text());
	if (year_text && str_to_i64(year_text, strlen(year_text), 1900, 9999, &year) != 0) {
		fprintf(stderr, "vets: --year 应为年份：%s\n", year_text);
		return 1;
	}
	json_t *j;
	if (calendar_year(db, (int)year, &j) != 0) {
		fputs("vets: 读取日历失败\n", stderr);
		return 1;
	}
	if (!json_is_true(json_object_get(j, "covered")))
		printf("%d 年未录入节假日安排（期限只按周末推算）\n", (int)year);
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(j, "days"), i, d)
		printf("%s %s %s %s\n", json_string_value(json_object_get(d, "day")),
		       json_string_value(json_object_get(d, "weekday")),
		       json_string_value(json_object_get(d, "kind")),
		       json_string_value(json_object_get(d, "note")));
	json_decref(j);
	return 0;
}

int cmd_calendar(int argc, char **argv)
{
	if (argc < 1 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
		fputs(usage, argc < 1 ? stderr : stdout);
		return argc < 1 ? 2 : 0;
	}
	const char *verb = argv[0], *db_path = NULL, *key = NULL, *year = NULL, *pos[2];
	int n_pos, want = strcmp(verb, "import") == 0 ? 1 : strcmp(verb, "due") == 0 ? 2 : 0;
	if (want == 0 && strcmp(verb, "list") != 0)
		return cli_usage_error("未知的子命令：%s", verb);
	int rc = parse(argc - 1, argv + 1, &db_path, &key, want ? NULL : &year, pos, want, &n_pos);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (n_pos != want)
		return cli_usage_error(want == 1 ? "缺少文件名" : "须给出日期 DATE 和天数 N");
	struct db *db;
	struct crypto_keys keys;
	int opened = cli_open(cli_db_path(db_path), key, &db, &keys);
	if (opened != 0)
		return opened;
	rc = want == 1 ? run_import(db, pos[0]) : want == 2 ? run_due(db, pos[0], pos[1])
							     : run_list(db, year);
	db_close(db);
	return rc;
}
