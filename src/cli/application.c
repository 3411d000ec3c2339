/* application.c - the counter from the command line: vets discredit import FILE / list (the
 * 失信 list) and vets stats counter --year Y (the year's applications as JSON). */
#include "cli.h"
#include "areas/application.h"
#include "areas/discredit.h"
#include "lib/err.h"
#include "lib/str.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char discredit_usage[] =
	"用法：vets discredit import FILE [--db PATH] [--key-file PATH]\n"
	"      vets discredit list [--db PATH] [--key-file PATH]\n"
	"  import 导入失信名单：FILE 为 .csv（UTF-8 或 GBK）或 .xlsx，表头：姓名、身份证号、失信原因、\n"
	"  列入日期（YYYY-MM-DD）、截止日期（可空：直至移出）。任何一行有误则整个文件不导入，错误指明\n"
	"  行号和字段；同一身份证号再次导入时更新其记录。名单中的人员不能容缺受理。\n"
	"  list 列出名单（身份证号只显示部分）。\n";

int cmd_discredit(int argc, char **argv)
{
	const char *sub = argc > 0 ? argv[0] : "";
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0)
		return fputs(discredit_usage, stdout), 0;
	int import = strcmp(sub, "import") == 0;
	if (!import && strcmp(sub, "list") != 0)
		return cli_usage_error("用法：vets discredit import FILE | list");
	const char *file = NULL, *dbp = NULL, *key = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return fputs(discredit_usage, stdout), 0;
		int m = cli_store_opt(argc, argv, &i, &dbp, &key);
		if (m < 0)
			return 2;
		if (m)
			continue;
		if (argv[i][0] == '-' || file || !import)
			return cli_usage_error("未知参数：%s", argv[i]);
		file = argv[i];
	}
	if (import && !file)
		return cli_usage_error("缺少文件名");
	struct db *db;
	struct crypto_keys keys;
	int opened = cli_open(cli_db_path(dbp), key, &db, &keys);
	if (opened != 0)
		return opened;
	struct principal cli;
	account_cli_principal(&cli);
	int rc;
	if (import) {
		char err[512] = "";
		int64_t n = 0;
		rc = discredit_import(db, &cli, file, file, &n, err, sizeof(err));
		if (rc)
			fprintf(stderr, "vets: %s\n", err[0] ? err : err_message(rc));
		else
			printf("已导入失信名单 %lld 人\n", (long long)n);
	} else {
		json_t *list = NULL, *it;
		size_t i;
		rc = discredit_list(db, &cli, &list);
		if (!rc)
			json_array_foreach(json_object_get(list, "items"), i, it) printf(
				"%s\t%s\t%s\t%s\n", json_string_value(json_object_get(it, "name")),
				json_string_value(json_object_get(it, "id_mask")),
				json_string_value(json_object_get(it, "listed_on")),
				json_string_value(json_object_get(it, "reason")));
		else
			fprintf(stderr, "vets: %s\n", err_message(rc));
		json_decref(list);
	}
	db_close(db);
	return rc ? 1 : 0;
}
