/* qa.c - vets qa import FILE and vets qa ask TEXT [--top N]. */
#include "cli.h"
#include "areas/qa.h"
#include "lib/err.h"
#include "lib/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"用法：vets qa import FILE [--db 路径] [--key-file 路径]\n"
	"      vets qa ask TEXT [--top N] [--db 路径] [--key-file 路径]\n"
	"  import：FILE 为智能问答知识库（.csv 或 .xlsx 的第一个工作表），列：编号, 问题, 答案,\n"
	"  相似问法（多个问法以“；”或“;”分隔）。按编号导入：新编号新增，已有编号内容变了则更新；\n"
	"  任何一行有错则全部不导入，逐行列出错误（退出码 1）。\n"
	"  ask：以 JSON 输出 {\"answers\":[{\"id\":编号,\"question\":问题,\"score\":分数},…],\n"
	"  \"fallback\":true|false}，按分数从高到低，最多 N 条（默认 5，最多 20）。fallback 为 true\n"
	"  表示没有足够好的答案；此时 answers 仍列出得分最高的几条（可能为空），仅供参考。\n";

struct args {
	const char *db, *key, *top, *arg;
};

static int parse(int argc, char **argv, struct args *a)
{
	for (int i = 0; i < argc; i++) {
		int m;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return fputs(usage, stdout), -1;
		if ((m = cli_store_opt(argc, argv, &i, &a->db, &a->key)) ||
		    (m = cli_opt(argc, argv, &i, "top", &a->top))) {
			if (m < 0)
				return 2;
			continue;
		}
		if ((argv[i][0] == '-' && argv[i][1]) || a->arg)
			return cli_usage_error("未知参数：%s", argv[i]);
		a->arg = argv[i];
	}
	return 0;
}

static int import_file(const struct args *a)
{
	if (a->top)
		return cli_usage_error("qa import 不接受 --top");
	struct db *db;
	struct crypto_keys keys;
	int rc = cli_open(cli_db_path(a->db), a->key, &db, &keys);
	if (rc)
		return rc;
	struct principal who;
	account_cli_principal(&who);
	struct qa_import_result r;
	char err[8192] = "";
	rc = qa_import(db, &who, a->arg, &r, err, sizeof(err));
	db_close(db);
	if (rc) {
		fprintf(stderr, "vets: 问答知识库未导入（任何一行有错则全部不导入）：\n%s\n",
			*err ? err : err_message(rc));
		return 1;
	}
	printf("问答知识库：%lld 行，新增 %lld，更新 %lld，未变 %lld\n", (long long)r.rows,
	       (long long)r.added, (long long)r.updated, (long long)r.unchanged);
	return 0;
}

static int ask(const struct args *a)
{
	int64_t top = 5;
	if (a->top && str_to_i64(a->top, strlen(a->top), 1, QA_TOP_MAX, &top) != 0)
		return cli_usage_error("--top 应为 1 至 %d 的整数", QA_TOP_MAX);
	struct db *db;
	struct crypto_keys keys;
	int rc = cli_open(cli_db_path(a->db), a->key, &db, &keys);
	if (rc)
		return rc;
	json_t *out = NULL;
	rc = qa_ask(db, a->arg, (size_t)top, 0, &out);
	db_close(db);
	if (rc)
		return fputs("vets: 无法读取问答知识库\n", stderr), 1;
	char *text = json_dumps(out, JSON_PRESERVE_ORDER | JSON_COMPACT | JSON_REAL_PRECISION(6));
	puts(text);
	free(text);
	json_decref(out);
	return 0;
}

int cmd_qa(int argc, char **argv)
{
	if (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0))
		return fputs(usage, stdout), 0;
	if (argc < 1 || (strcmp(argv[0], "import") != 0 && strcmp(argv[0], "ask") != 0))
		return cli_usage_error("用法：vets qa import FILE 或 vets qa ask TEXT [--top N]");
	struct args a = {0};
	int rc = parse(argc - 1, argv + 1, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (strcmp(argv[0], "import") == 0) {
		if (!a.arg)
			return cli_usage_error("缺少知识库文件：vets qa import FILE");
		return import_file(&a);
	}
	if (!a.arg)
		return cli_usage_error("缺少问题：vets qa ask TEXT");
	return ask(&a);
}
