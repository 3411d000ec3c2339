/* audit_cmd.c - "vets audit": checks the audit trail's chain from the command line. */
#include "cli.h"
#include "areas/audit.h"
#include "lib/err.h"
#include "lib/mem.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"用法：vets audit verify [--db 路径] [--key-file 路径]\n"
	"\n"
	"子命令：\n"
	"  verify            校验审计日志的完整性：记录被修改、插入、删除或末尾被截断都会被发现\n"
	"\n"
	"选项：\n"
	"  --db 路径         数据库文件（默认取环境变量 VETS_DB，否则为 vets.db）\n"
	"  --key-file 路径   密钥文件（默认取环境变量 VETS_KEY_FILE，否则为数据库路径加 .key）\n"
	"  --help            显示本帮助\n"
	"\n"
	"退出码：0 审计日志完整；1 审计日志被篡改或无法读取；2 用法错误。\n";

static int is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

static int usage(void)
{
	fputs(usage_text, stdout);
	return 0;
}

/* Opens the database and checks the chain; prints the result. Returns the exit status. */
static int verify(const char *db_opt, const char *key_opt)
{
	const char *db_path = cli_db_path(db_opt);
	char key_path[4096], err[512];
	struct crypto_keys keys;
	struct db *db = NULL;
	int64_t n_records = 0, bad_seq = 0;
	int status = 1;

	if (cli_key_path(db_path, key_opt, key_path, sizeof(key_path)) != 0) {
		status = 2;
		goto out;
	}
	if (cli_open(db_path, key_path, &db, &keys) != 0)
		goto out;
	int rc = audit_verify(db, &n_records, &bad_seq, err, sizeof(err));
	if (rc == 0) {
		printf("审计日志完整：共 %" PRId64 " 条记录\n", n_records);
		status = 0;
	} else if (rc == VE_CRYPTO) {
		fprintf(stderr, "审计日志校验未通过：%s\n", err);
	} else {
		fprintf(stderr, "无法校验审计日志：%s\n", err);
	}
out:
	mem_wipe(&keys, sizeof(keys));
	db_close(db);
	return status;
}

static int cmd_verify(int argc, char **argv)
{
	const char *db_opt = NULL, *key_opt = NULL;
	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i]))
			return usage();
		int got = cli_store_opt(argc, argv, &i, &db_opt, &key_opt);
		if (got < 0)
			return 2;
		if (got == 0)
			return cli_usage_error("未知的参数：%s", argv[i]);
	}
	return verify(db_opt, key_opt);
}

int cmd_audit(int argc, char **argv)
{
	if (argc < 1)
		return cli_usage_error("缺少子命令");
	if (is_help(argv[0]))
		return usage();
	if (strcmp(argv[0], "verify") == 0)
		return cmd_verify(argc, argv);
	return cli_usage_error("未知的子命令：%s", argv[0]);
}
