/* key.c - "vets key rotate": new data, MAC, blind-index and audit keys for a database. */
#include "cli.h"
#include "areas/audit.h"
#include "areas/keyring.h"
#include "lib/err.h"
#include "lib/str.h"

#include <unistd.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"用法：vets key rotate [--db 路径] [--key-file 路径] [--batch N]\n"
	"\n"
	"  生成新的数据密钥、MAC 密钥、盲索引密钥和审计密钥，把全部加密字段用新密钥重新加密、\n"
	"  全部盲索引重新计算，审计链此后用新密钥延续（此前的记录仍用旧审计密钥校验：旧审计密钥\n"
	"  用新密钥加密后保存在数据库里）。完成后旧密钥文件保留为 密钥文件路径.N（N 为其代数），\n"
	"  新密钥文件放在原处；确认新密钥文件已备份后再移走或删除旧文件。仅凭旧密钥文件已打不开数据库。\n"
	"\n"
	"  轮换分批进行，每批一个事务：中途被终止（断电、kill -9）后再次运行本命令即从中断处继续；\n"
	"  完成前其他 vets 命令和网站都会拒绝打开数据库。运行前请先停止 vets serve。\n"
	"\n"
	"选项：\n"
	"  --db 路径         数据库（默认取环境变量 VETS_DB，否则为 vets.db）\n"
	"  --key-file 路径   密钥文件（默认取环境变量 VETS_KEY_FILE，否则为数据库路径加 .key）\n"
	"  --batch N         每批处理的行数，1 至 100000（默认 500）\n"
	"  --help            显示本帮助\n"
	"\n"
	"退出码：0 完成；1 失败（已提交的批次保留，再次运行可继续）；2 用法错误。\n";

static void progress(void *ctx, const char *table, int64_t rows)
{
	(void)ctx;
	fprintf(stderr, "vets: 密钥轮换：%s 已处理 %" PRId64 " 行\n", table, rows);
}

/* Opens db_path for the rotation: a migrated vets database; its keys are the rotation's
 * to check (a half-rotated database is refused by every other command). */
static int open_for_rotation(const char *db_path, struct db **db)
{
	char err[512], shown[512];
	db_target_shown(db_path, shown, sizeof(shown));
	if (!db_is_server_uri(db_path) && access(db_path, F_OK) != 0) {
		fprintf(stderr, "vets: 数据库不存在：%s\n", shown);
		return 1;
	}
	if (db_open(db, db_path, err, sizeof(err)) != 0) {
		fprintf(stderr, "vets: %s\n", err);
		return 1;
	}
	if (cli_vets_database(*db, shown) != 1 || db_migrate(*db, err, sizeof(err)) != 0) {
		if (err[0])
			fprintf(stderr, "vets: %s\n", err);
		else
			fprintf(stderr, "vets: %s 不是已初始化的 vets 数据库\n", shown);
		db_close(*db);
		*db = NULL;
		return 1;
	}
	return 0;
}

static int rotate(int argc, char **argv)
{
	const char *db_opt = NULL, *key_opt = NULL, *batch_text = "500";
	char key_path[1024], err[1024];
	int64_t batch = 0;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return fputs(usage_text, stdout), 0;
		int m = cli_store_opt(argc, argv, &i, &db_opt, &key_opt);
		if (!m)
			m = cli_opt(argc, argv, &i, "batch", &batch_text);
		if (m < 0)
			return 2;
		if (!m)
			return cli_usage_error("未知参数：%s", argv[i]);
	}
	if (str_to_i64(batch_text, strlen(batch_text), 1, 100000, &batch) != 0)
		return cli_usage_error("--batch 应为 1 至 100000 的整数");
	const char *db_path = cli_db_path(db_opt);
	int bad = cli_key_path(db_path, key_opt, key_path, sizeof(key_path));
	if (bad)
		return bad;
	struct db *db = NULL;
	err[0] = '\0';
	if (open_for_rotation(db_path, &db) != 0)
		return 1;
	struct keyring_rotation r;
	int rc = keyring_rotate(db, key_path, batch, progress, NULL, &r, err, sizeof(err));
	if (rc) {
		db_close(db);
		fprintf(stderr, "vets: 密钥轮换未完成：%s\n", err);
		return 1;
	}
	int64_t records = 0, bad_seq = 0;
	rc = audit_verify(db, &records, &bad_seq, err, sizeof(err));
	db_close(db);
	printf("密钥已轮换%s：现为第 %" PRId64 " 代密钥（指纹 %s），在 %s。\n",
	       r.resumed ? "（接续上次中断的轮换）" : "", r.generation, r.fingerprint, key_path);
	printf("本次重新加密 %" PRId64 " 个值，重算 %" PRId64 " 个索引。\n", r.values, r.indexes);
	printf("旧密钥文件保留为 %s：仅凭它已打不开数据库；请先备份新密钥文件（与数据库分开保存），"
	       "再把旧文件移到安全处或删除（恢复轮换前的备份时需要它）。\n",
	       r.retired);
	if (rc) {
		fprintf(stderr, "vets: 轮换后审计链校验未通过：%s\n", err);
		return 1;
	}
	printf("审计链校验通过：共 %" PRId64 " 条记录。\n", records);
	return 0;
}

int cmd_key(int argc, char **argv)
{
	if (argc < 1 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
		fputs(usage_text, argc < 1 ? stderr : stdout);
		return argc < 1 ? 2 : 0;
	}
	if (strcmp(argv[0], "rotate") == 0)
		return rotate(argc - 1, argv + 1);
	return cli_usage_error("未知子命令：key %s（可用：rotate）", argv[0]);
}
