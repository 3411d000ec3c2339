/* report.c - vets report: the annual report drafted from the records (areas/report.h),
 * as JSON, HTML or .docx; one figure's rows; finalising. */
#include "cli.h"
#include "areas/figure.h"
#include "areas/report.h"
#include "lib/str.h"
#include "lib/err.h"
#include "web/route.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_FLAGS (JSON_PRESERVE_ORDER | JSON_COMPACT | JSON_REAL_PRECISION(6))

static void usage(FILE *to)
{
	fputs("用法：vets report --year YYYY [--format json|html|docx] [--output 文件] [--street 街道代码]\n"
	      "                   [--as 用户名 --password-stdin] [--db 路径] [--key-file 路径]\n"
	      "       vets report --year YYYY --figure KEY --list [--street 街道代码] [--as …]\n"
	      "       vets report finalise --year YYYY --as 用户名 --password-stdin\n"
	      "  输出该年度的法治政府建设工作报告：一、主要举措和成效（各业务的数字取自记录），二、存在的\n"
	      "  不足和问题，三、第一责任人履职情况，四、下一年度主要安排，附各项数字的口径。JSON 为\n"
	      "  {\"year\",\"figures\":[{\"key\",\"name\",\"value\",\"unit\",\"definition\"}…],\"sections\":[…]}，\n"
	      "  比率的 value 为 0 至 1 的小数。docx 须给 --output。--street 只统计该街道（实时数字）。\n"
	      "  --figure KEY --list 逐行输出该数字所统计的记录（每行一个 JSON 对象）。\n"
	      "  finalise：局领导定稿，数字连同日期冻结；此后更正的记录在报告中显示为更正，不覆盖原数。\n",
	      to);
}

static int print_row(void *ctx, json_t *o)
{
	(void)ctx;
	char *text = json_dumps(o, JSON_FLAGS);
	int rc = text && puts(text) >= 0 ? 0 : 1;
	free(text);
	return rc;
}

/* Prints the rows of figure key (a rate: refused, naming its two figures). */
static int list_figure(struct db *db, const struct principal *who, int year, const char *key)
{
	const struct figure_rate *rate = figure_rate_lookup(key, NULL);
	if (rate) {
		fprintf(stderr, "vets: %s 是比率（%s），请分别列出 %s 与 %s 的记录\n", key,
			rate->definition, rate->numerator, rate->denominator);
		return 2;
	}
	const struct figure_set *set = NULL;
	const struct figure *f = figure_lookup(key, &set);
	if (!f) {
		fprintf(stderr, "vets: 没有这一统计项：%s（vets stats --help 列出各项）\n", key);
		return 2;
	}
	if (!perm_allows(who->roles, PERM_REPORT_READ) ||
	    (set->perm && !perm_allows(who->roles, set->perm))) {
		fprintf(stderr, "vets: 您没有查看这一统计项所统计记录的权限\n");
		return 1;
	}
	return figure_list(db, who, f, year, 0, -1, NULL, print_row, NULL) ? 1 : 0;
}

/* Writes text to path, or to stdout when path is NULL. */
static int write_out(const char *path, const char *text, size_t n)
{
	FILE *fp = path ? fopen(path, "wb") : stdout;
	if (!fp)
		return fprintf(stderr, "vets: 无法写入 %s\n", path), 1;
	int bad = fwrite(text, 1, n, fp) != n;
	bad |= path ? fclose(fp) != 0 : fflush(fp) != 0;
	if (bad)
		fprintf(stderr, "vets: 写入 %s 失败\n", path ? path : "标准输出");
	return bad;
}

static int emit(struct db *db, const struct principal *who, const json_t *r, const char *format,
		const char *output)
{
	if (strcmp(format, "json") == 0) {
		char *text = json_dumps(r, JSON_FLAGS | JSON_INDENT(0));
		int rc = text ? write_out(output, text, strlen(text)) : 1;
		if (!rc && !output)
			putchar('\n');
		free(text);
		return rc;
	}
	char err[300] = "";
	if (strcmp(format, "docx") == 0) {
		if (report_write_docx(db, who, r, output, 1, err, sizeof(err)) != 0)
			return fprintf(stderr, "vets: %s\n", err), 1;
		return 0;
	}
	struct buf html;
	buf_init(&html, BUF_DEFAULT_MAX);
	int rc = page_init(err, sizeof(err)) ||
		 page_render_standalone("report/standalone", json_deep_copy(r), &html);
	if (rc)
		fprintf(stderr, "vets: 生成 HTML 失败%s%s\n", err[0] ? "：" : "", err);
	else
		rc = write_out(output, html.data, html.len);
	buf_free(&html);
	page_free();
	return rc;
}

static int finalise(struct db *db, const struct principal *who, int year)
{
	char err[300] = "";
	if (report_finalise(db, who, year, err, sizeof(err)) != 0)
		return fprintf(stderr, "vets: %s\n", err), 1;
	printf("%d 年度报告已定稿，数字冻结于今天。\n", year);
	return 0;
}

int cmd_report(int argc, char **argv)
{
	const char *db_path = NULL, *key = NULL, *as = NULL, *year_text = NULL, *format = "json";
	const char *output = NULL, *street = NULL, *figure = NULL;
	int password_stdin = 0, list = 0, final = argc >= 1 && strcmp(argv[0], "finalise") == 0;
	for (int i = final; i < argc; i++) {
		int m;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return usage(stdout), 0;
		if (strcmp(argv[i], "--password-stdin") == 0 || strcmp(argv[i], "--list") == 0) {
			*(argv[i][2] == 'p' ? &password_stdin : &list) = 1;
			continue;
		}
		if ((m = cli_store_opt(argc, argv, &i, &db_path, &key)) ||
		    (m = cli_opt(argc, argv, &i, "as", &as)) ||
		    (m = cli_opt(argc, argv, &i, "year", &year_text)) ||
		    (m = cli_opt(argc, argv, &i, "format", &format)) ||
		    (m = cli_opt(argc, argv, &i, "output", &output)) ||
		    (m = cli_opt(argc, argv, &i, "street", &street)) ||
		    (m = cli_opt(argc, argv, &i, "figure", &figure))) {
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
	if (final && !as)
		return cli_usage_error("定稿须由局领导签名：--as 用户名 --password-stdin");
	if (strcmp(format, "json") != 0 && strcmp(format, "html") != 0 &&
	    strcmp(format, "docx") != 0)
		return cli_usage_error("--format 应为 json、html 或 docx");
	if (strcmp(format, "docx") == 0 && !output)
		return cli_usage_error("docx 须用 --output 指定文件");
	if ((figure != NULL) != list)
		return cli_usage_error("--figure KEY 与 --list 一起使用");
	struct db *db;
	struct crypto_keys keys;
	int rc = cli_open(cli_db_path(db_path), key, &db, &keys);
	if (rc)
		return rc;
	struct principal who;
	if (as ? cli_sign_in(db, as, &who) != 0 : (account_cli_principal(&who), 0))
		return db_close(db), 1;
	if (final) {
		rc = finalise(db, &who, (int)year);
		return db_close(db), rc;
	}
	json_t *r = NULL;
	char err[300] = "", street_name[128];
	struct principal reader;
	if ((rc = report_reader(db, &who, street, &reader, street_name, err, sizeof(err))) != 0) {
		fprintf(stderr, "vets: %s\n", err);
		rc = 2;
	} else if (figure) {
		rc = list_figure(db, &reader, (int)year, figure);
	} else if ((rc = report_build(db, &who, (int)year, street, &r, err, sizeof(err))) != 0) {
		fprintf(stderr, "vets: %s\n", err);
		rc = 1;
	} else {
		rc = emit(db, &who, r, format, output);
	}
	json_decref(r);
	db_close(db);
	return rc;
}
