/* backup.c - "vets backup --to FILE", "vets backup --verify FILE" and "vets restore FILE
 * --db NEW": online backups of either backend, their check and their restore (areas/backup.h). */
#include "cli.h"
#include "areas/backup.h"
#include "lib/err.h"
#include "lib/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char backup_usage[] =
	"用法：vets backup --to 文件 [--db 数据库] [--key-file 路径]\n"
	"      vets backup --verify 文件 --key-file 路径\n"
	"\n"
	"在网站照常运行、照常写入时备份数据库，得到一致的副本：\n"
	"  SQLite      一个读事务所见的整库（VACUUM INTO），本身就是一个 SQLite 数据库文件；\n"
	"  PostgreSQL  pg_dump 的自定义格式归档（--format=custom），取自一个 REPEATABLE READ\n"
	"              事务导出的快照（pg_export_snapshot），清单中的行数取自同一快照。\n"
	"旁边另写清单 文件.manifest.json：时间、版本、各表行数、审计链末条、密钥指纹、文件的\n"
	"长度与 SM3，以及用密钥文件导出的密钥对清单算的校验码（HMAC-SM3），改动备份或清单都过不了\n"
	"校验。两者先写在临时目录中，写完、核对后才放到位；已存在的文件决不覆盖。\n"
	"密钥文件不在备份中：请另行保管，与备份分开存放；恢复时必须有它。\n"
	"\n"
	"选项：\n"
	"  --to 文件         备份写到这里（须不存在）\n"
	"  --verify 文件     校验一个备份：清单、密钥指纹、清单的校验码、长度与 SM3；SQLite\n"
	"                    备份还以只读方式打开，做完整性检查，核对各表行数和审计链（PostgreSQL 归档由\n"
	"                    pg_restore --list 读一遍，行数与审计链在 vets restore 时核对）\n"
	"  --db 数据库       要备份的库（默认取环境变量 VETS_DB，否则为 vets.db）\n"
	"  --key-file 路径   密钥文件（备份时默认为库路径加 .key；校验时必须指定）\n"
	"  --help            显示本帮助\n"
	"\n"
	"退出码：0 成功；1 失败（已说明原因，什么都没有改动）；2 用法错误。\n";

static const char restore_usage[] =
	"用法：vets restore 备份文件 --db 新数据库 [--key-file 路径] [--force]\n"
	"\n"
	"先像 vets backup --verify 一样校验备份，再恢复到新数据库（SQLite 文件，或已建好的空\n"
	"PostgreSQL 库），恢复在一个事务中完成；然后打开新库，做完整性检查，核对各表行数与清单\n"
	"一致、审计链完整，并在审计日志末尾记一条“从备份恢复数据库”。\n"
	"\n"
	"选项：\n"
	"  --db 新数据库     恢复到这里：不存在的文件，或没有表的 PostgreSQL 库\n"
	"  --key-file 路径   做备份时的密钥文件（默认取环境变量 VETS_KEY_FILE，否则为新库路径加\n"
	"                    .key）。新库是文件时，其密钥文件为新库路径加 .key：那里还没有密钥\n"
	"                    文件时复制过去（权限 0600），已有别的密钥时拒绝\n"
	"  --force           覆盖已有的库（SQLite 文件连同其日志，或 PostgreSQL 库中的表）\n"
	"  --help            显示本帮助\n"
	"\n"
	"退出码：0 成功；1 失败（已说明原因；除非消息说目标数据库已被改写，目标未改动）；\n"
	"        2 用法错误。\n";

static int is_help(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

static void print_line(const char *text)
{
	printf("  %s\n", text);
	fflush(stdout);
}

static int load_keys(const char *path, struct crypto_keys *keys)
{
	char err[512];
	if (crypto_keyfile_load(path, keys, err, sizeof(err)) != 0) {
		fprintf(stderr, "vets: %s\n", err);
		return 1;
	}
	return 0;
}

static int make(const char *db_opt, const char *key_opt, const char *to)
{
	const char *path = cli_db_path(db_opt);
	char key_path[1024], err[1024];
	int bad = cli_key_path(path, key_opt, key_path, sizeof(key_path));
	if (bad)
		return bad;
	struct db *db = NULL;
	struct crypto_keys keys;
	if ((bad = cli_open(path, key_path, &db, &keys)) != 0)
		return bad;
	struct backup_info info;
	int rc = backup_make(db, path, to, &keys, &info, err, sizeof(err));
	mem_wipe(&keys, sizeof(keys));
	db_close(db);
	if (rc) {
		fprintf(stderr, "vets: 备份失败：%s\n", err);
		return 1;
	}
	char manifest[4096];
	backup_manifest_path(to, manifest, sizeof(manifest));
	printf("备份完成：%s（%" PRId64 " 字节，用时 %.1f 秒）\n", to, info.size,
	       (double)info.millis / 1000);
	printf("  清单：%s\n", manifest);
	printf("  %s 数据库，结构版本 %" PRId64 "，%" PRId64 " 个表，共 %" PRId64 " 行\n",
	       info.backend, info.schema_version, info.tables, info.rows);
	printf("  审计链截至第 %" PRId64 " 条（%" PRId64 " 条记录）；快照时间 %s（北京时间）\n",
	       info.head_seq, info.audit_records, info.created_beijing);
	printf("  SM3：%s\n", info.sm3);
	printf("密钥文件：%s（指纹 %s）\n", key_path, info.fingerprint);
	printf("  密钥文件不在备份中：请另行妥善保管，与备份分开存放；恢复或校验这个备份时必须有它。\n");
	return 0;
}

static int verify(const char *file, const char *key_opt)
{
	const char *env = getenv("VETS_KEY_FILE");
	const char *key = key_opt ? key_opt : env && *env ? env : NULL;
	if (!key)
		return cli_usage_error("校验备份需要做备份时的密钥文件：请用 --key-file 指定");
	struct crypto_keys keys;
	if (load_keys(key, &keys) != 0)
		return 1;
	struct backup_info info;
	char err[1024];
	printf("校验备份 %s：\n", file);
	fflush(stdout);
	int rc = backup_verify(file, &keys, print_line, &info, err, sizeof(err));
	mem_wipe(&keys, sizeof(keys));
	if (rc) {
		fprintf(stderr, "vets: 备份校验未通过：%s\n", err);
		return 1;
	}
	printf("备份完好：制作于 %s（北京时间），%" PRId64 " 个表，共 %" PRId64 " 行，审计链截至第 %" PRId64
	       " 条\n",
	       info.created_beijing, info.tables, info.rows, info.head_seq);
	return 0;
}

int cmd_backup(int argc, char **argv)
{
	const char *db = NULL, *key = NULL, *to = NULL, *check = NULL;
	for (int i = 0; i < argc; i++) {
		if (is_help(argv[i]))
			return fputs(backup_usage, stdout), 0;
		int m = cli_store_opt(argc, argv, &i, &db, &key);
		if (!m)
			m = cli_opt(argc, argv, &i, "to", &to);
		if (!m)
			m = cli_opt(argc, argv, &i, "verify", &check);
		if (m < 0)
			return 2;
		if (!m)
			return cli_usage_error("未知参数：%s", argv[i]);
	}
	if (!to == !check)
		return cli_usage_error("请用 --to 文件 备份，或用 --verify 文件 校验（二者选一）");
	if ((to && !*to) || (check && !*check))
		return cli_usage_error("文件名不能为空");
	return to ? make(db, key, to) : verify(check, key);
}

/* The same bytes in both files (a key file is small). */
static int same_file(const char *a, const char *b)
{
	char x[4096], y[4096];
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	size_t n = fa ? fread(x, 1, sizeof(x), fa) : 0, m = fb ? fread(y, 1, sizeof(y), fb) : 0;
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	int same = fa && fb && n == m && memcmp(x, y, n) == 0;
	mem_wipe(x, sizeof(x));
	mem_wipe(y, sizeof(y));
	return same;
}

/* Copies the key file from to path with mode 0600 (path must not exist). 0 or 1. */
static int copy_key(const char *from, const char *path)
{
	char a[4096];
	FILE *src = fopen(from, "rb");
	size_t n = src ? fread(a, 1, sizeof(a), src) : 0;
	if (src)
		fclose(src);
	int fd = n ? open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600) : -1;
	int ok = fd >= 0 && write(fd, a, n) == (ssize_t)n && fsync(fd) == 0;
	int e = errno;
	if (fd >= 0 && close(fd) != 0)
		ok = 0;
	mem_wipe(a, sizeof(a));
	if (!ok) {
		if (fd >= 0)
			unlink(path);
		fprintf(stderr, "vets: 无法把密钥文件复制为 %s：%s\n", path, strerror(e));
		return 1;
	}
	return 0;
}

static int restore(const char *file, const char *target, const char *key_opt, int force)
{
	char own_key[1024], err[1024];
	const char *env = getenv("VETS_KEY_FILE");
	int server = db_is_server_uri(target);
	const char *key = key_opt ? key_opt : env && *env ? env : NULL;
	if (!key && server)
		return cli_usage_error("恢复到 PostgreSQL 时请用 --key-file 指定做备份时的密钥文件");
	if (!server)
		snprintf(own_key, sizeof(own_key), "%s.key", target);
	if (!key)
		key = own_key;
	if (access(key, F_OK) != 0) {
		fprintf(stderr, "vets: 密钥文件不存在：%s（请用 --key-file 指定做备份时的密钥文件）\n", key);
		return 1;
	}
	/* A file database's key is beside it, unless VETS_KEY_FILE names it: copied there
	 * after the restore when none is there, refused now when another key is. */
	int place = 0;
	if (!server && !(env && *env) && strcmp(key, own_key) != 0 &&
	    (force || access(target, F_OK) != 0)) {
		if (access(own_key, F_OK) == 0 && !same_file(key, own_key)) {
			fprintf(stderr,
				"vets: %s 已存在且与所给密钥文件不同：新库的密钥文件必须是做备份时的密钥，"
				"请先移走它\n",
				own_key);
			return 1;
		}
		place = access(own_key, F_OK) != 0;
	}
	struct crypto_keys keys;
	if (load_keys(key, &keys) != 0)
		return 1;
	struct backup_info info;
	printf("校验备份 %s：\n", file);
	fflush(stdout);
	int rc = backup_restore(file, target, force, &keys, print_line, &info, err, sizeof(err));
	mem_wipe(&keys, sizeof(keys));
	char shown[512];
	db_target_shown(target, shown, sizeof(shown));
	if (rc) {
		fprintf(stderr, "vets: 恢复失败：%s\n", err);
		return 1;
	}
	const char *key_now = key;
	if (place) {
		if (copy_key(key, own_key) != 0)
			return 1;
		key_now = own_key;
	}
	/* As every command opens it. */
	struct db *db = NULL;
	if (cli_open(target, key_now, &db, &keys) != 0)
		return 1;
	db_close(db);
	mem_wipe(&keys, sizeof(keys));
	printf("恢复完成：%s（用时 %.1f 秒）\n", shown, (double)info.millis / 1000);
	printf("  恢复了 %" PRId64 " 个表，共 %" PRId64 " 行，其中审计记录 %" PRId64 " 条（截至第 %" PRId64
	       " 条）\n",
	       info.tables, info.rows, info.audit_records, info.head_seq);
	printf("  数据为备份时（%s，北京时间）的状态；其后的改动不在其中\n", info.created_beijing);
	printf("  审计日志末尾已记一条“从备份恢复数据库”\n");
	if (place)
		printf("密钥文件已复制为：%s（权限 0600）\n", own_key);
	else if (server)
		printf("密钥文件：%s —— 打开此库时用 --key-file 指定它（或环境变量 VETS_KEY_FILE）\n",
		       key_now);
	else
		printf("密钥文件：%s\n", key_now);
	return 0;
}

int cmd_restore(int argc, char **argv)
{
	const char *db = NULL, *key = NULL, *file = NULL;
	int force = 0;
	for (int i = 0; i < argc; i++) {
		if (is_help(argv[i]))
			return fputs(restore_usage, stdout), 0;
		if (strcmp(argv[i], "--force") == 0) {
			force = 1;
			continue;
		}
		int m = cli_store_opt(argc, argv, &i, &db, &key);
		if (m < 0)
			return 2;
		if (m)
			continue;
		if (argv[i][0] == '-' || file)
			return cli_usage_error("未知参数：%s", argv[i]);
		file = argv[i];
	}
	if (!file || !*file)
		return cli_usage_error("请指定备份文件");
	if (!db || !*db)
		return cli_usage_error("请用 --db 指定恢复到的新数据库");
	return restore(file, db, key, force);
}
