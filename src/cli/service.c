/* service.c - vets service import FILE / list / show CODE: the service catalogue (事项) from
 * the command line. */
#include "cli.h"
#include "areas/service.h"
#include "lib/err.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"用法：vets service import FILE [--db PATH] [--key-file PATH]\n"
	"      vets service list [--db PATH] [--key-file PATH]\n"
	"      vets service show CODE [--db PATH] [--key-file PATH]\n"
	"  import 导入服务事项目录：FILE 为 .csv（UTF-8 或 GBK）或 .xlsx（第一个工作表），每行一项材料。\n"
	"  必填列：事项编码、事项名称、承诺时限（工作日，1-365）、法定依据、材料名称、材料必要（是/否，\n"
	"  否 即可容缺受理）；可选列：受理条件、收费标准、办理地点、办理方式、办理时间、咨询电话、实施主体、\n"
	"  材料说明、所属一件事（一件事的事项编码，多个用、分隔）。列按表头识别，顺序不限，其他列报错。\n"
	"  同一事项的各行重复其事项信息；文件中的事项以文件为准（材料清单整体替换），其他事项不变。\n"
	"  任何一行有误则整个文件不导入，错误指明行号和字段；同一文件重复导入不会再有变化。\n"
	"  list 列出目录（编码、名称、承诺时限、材料数、可容缺材料数）；show 以 JSON 显示一个事项。\n";

int cmd_service(int argc, char **argv)
{
	const char *sub = argc > 0 ? argv[0] : "";
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0)
		return fputs(usage, stdout), 0;
	int takes_arg = strcmp(sub, "import") == 0 || strcmp(sub, "show") == 0;
	if (!takes_arg && strcmp(sub, "list") != 0)
		return cli_usage_error("用法：vets service import FILE | list | show CODE");
	const char *arg = NULL, *dbp = NULL, *key = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return fputs(usage, stdout), 0;
		int m = cli_store_opt(argc, argv, &i, &dbp, &key);
		if (m < 0)
			return 2;
		if (m)
			continue;
		if (argv[i][0] == '-' || arg || !takes_arg)
			return cli_usage_error("未知参数：%s", argv[i]);
		arg = argv[i];
	}
	if (takes_arg && !arg)
		return cli_usage_error(strcmp(sub, "import") == 0 ? "缺少文件名" : "缺少事项编码");
	struct db *db;
	struct crypto_keys keys;
	int opened = cli_open(cli_db_path(dbp), key, &db, &keys);
	if (opened != 0)
		return opened;
	int rc;
	if (strcmp(sub, "import") == 0) {
		struct principal cli;
		account_cli_principal(&cli);
		struct service_import_result r;
		char err[512] = "";
		rc = service_import(db, &cli, arg, &r, err, sizeof(err));
		if (rc)
			fprintf(stderr, "vets: %s\n", err[0] ? err : err_message(rc));
		else
			printf("已导入服务事项 %d 个（材料 %d 行）：新增 %d，修改 %d，未变 %d\n", r.items,
			       r.rows, r.added, r.changed, r.unchanged);
	} else if (strcmp(sub, "list") == 0) {
		json_t *list = NULL;
		rc = service_list(db, NULL, 0, &list);
		size_t i;
		json_t *it;
		if (!rc) {
			json_array_foreach(json_object_get(list, "items"), i, it)
			printf("%s\t%s\t%d 个工作日\t材料 %d 项\t可容缺 %d 项%s\n",
			       json_string_value(json_object_get(it, "code")),
			       json_string_value(json_object_get(it, "name")),
			       (int)json_integer_value(json_object_get(it, "time_limit_days")),
			       (int)json_integer_value(json_object_get(it, "materials")),
			       (int)json_integer_value(json_object_get(it, "optional")),
			       json_is_true(json_object_get(it, "is_bundle")) ? "\t一件事" : "");
			printf("共 %d 个事项，其中可容缺受理 %d 个\n",
			       (int)json_integer_value(json_object_get(list, "total")),
			       (int)json_integer_value(json_object_get(list, "rongque")));
		} else {
			fprintf(stderr, "vets: %s\n", err_message(rc));
		}
		json_decref(list);
	} else {
		json_t *item = NULL;
		rc = service_get(db, arg, &item);
		if (rc)
			fprintf(stderr, "vets: %s\n", rc == VE_NOTFOUND ? "没有该事项" : err_message(rc));
		else
			json_dumpf(item, stdout, JSON_INDENT(2)), putchar('\n');
		json_decref(item);
	}
	db_close(db);
	return rc ? 1 : 0;
}
