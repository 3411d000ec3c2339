/* db_cmd.c - "vets db copy": a whole database from one store to another (a district
 * that outgrows its SQLite file moves to PostgreSQL, or back), with the same key. */
#include "cli.h"
#include "areas/audit.h"
#include "db/db.h"
#include "lib/err.h"
#include "lib/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
	"用法：vets db copy --from 源数据库 --to 目标数据库 [--key-file 路径]\n"
	"\n"
	"把整个数据库复制到另一处：SQLite 文件与 PostgreSQL（postgresql://…）之间任意方向。\n"
	"目标须为空库（PostgreSQL 上先 CREATE DATABASE），复制在一个事务中完成：失败时目标不变。\n"
	"复制后逐表核对行数，并用同一密钥校验目标库的审计链。\n"
	"\n"
	"选项：\n"
	"  --from 源数据库   文件路径或 postgresql:// URI（源库在复制期间可以照常使用）\n"
	"  --to 目标数据库   文件路径或 postgresql:// URI\n"
	"  --key-file 路径   源库的密钥文件（默认取环境变量 VETS_KEY_FILE，否则为源库路径加\n"
	"                    .key；库在服务器上时必须指定）。目标是文件且未指定密钥文件时，\n"
	"                    密钥复制为目标路径加 .key（权限 0600）\n"
	"  --help            显示本帮助\n"
	"\n"
	"退出码：0 成功；1 复制或校验失败；2 用法错误。\n";

/* Copies the key file to path (0600), unless one is there already: the same key is
 * fine, another key is refused (the copy could not be read with it). */
static int place_key(const char *from, const char *path)
{
	char a[4096], b[4096];
	FILE *src = fopen(from, "rb");
	size_t n = src ? fread(a, 1, sizeof(a), src) : 0;
	if (src)
		fclose(src);
	if (!src || n == 0 || n == sizeof(a))
		return fprintf(stderr, "vets: 无法读取密钥文件 %s\n", from), 1;
	FILE *old = fopen(path, "rb");
	if (old) {
		size_t m = fread(b, 1, sizeof(b), old);
		fclose(old);
		mem_wipe(b, sizeof(b));
		if (m != n || memcmp(a, b, n) != 0) {
			mem_wipe(a, sizeof(a));
			return fprintf(stderr, "vets: %s 已存在且不是源库的密钥：请用 --key-file 指定\n", path), 1;
		}
		mem_wipe(a, sizeof(a));
		return 0;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	int ok = fd >= 0 && write(fd, a, n) == (ssize_t)n;
	if (fd >= 0 && close(fd) != 0)
		ok = 0;
	mem_wipe(a, sizeof(a));
	if (!ok)
		return fprintf(stderr, "vets: 无法写入密钥文件 %s：%s\n", path, strerror(errno)), 1;
	printf("密钥已复制为：%s\n", path);
	return 0;
}

static void progress(const char *table, int64_t rows)
{
	printf("  %-28s %" PRId64 " 行\n", table, rows);
	fflush(stdout);
}

/* Opens the target: empty, or a vets schema with no rows (db_copy checks the rows). */
static int open_target(const char *to, struct db **dst)
{
	char err[512], shown[512];
	db_target_shown(to, shown, sizeof(shown));
	if (db_open(dst, to, err, sizeof(err)) != 0)
		return fprintf(stderr, "vets: %s\n", err), 1;
	if (cli_vets_database(*dst, shown) < 0)
		return 1;
	if (db_migrate(*dst, err, sizeof(err)) != 0)
		return fprintf(stderr, "vets: %s\n", err), 1;
	return 0;
}

static int copy(const char *from, const char *to, const char *key_opt)
{
	char key_path[1024], err[512];
	int bad = cli_key_path(from, key_opt, key_path, sizeof(key_path));
	if (bad)
		return bad;
	struct db *src = NULL, *dst = NULL;
	struct crypto_keys keys;
	int status = 1;
	if (cli_open(from, key_path, &src, &keys) != 0)
		goto out;
	char dst_key[1024];
	if (!key_opt && !getenv("VETS_KEY_FILE") && !db_is_server_uri(to)) {
		snprintf(dst_key, sizeof(dst_key), "%s.key", to);
		if (place_key(key_path, dst_key) != 0)
			goto out;
	}
	if (open_target(to, &dst) != 0)
		goto out;
	printf("正在复制（%s → %s）：\n", db_backend(src), db_backend(dst));
	if (db_copy(src, dst, progress, err, sizeof(err)) != 0) {
		fprintf(stderr, "vets: 复制失败，目标库未写入数据：%s\n", err);
		goto out;
	}
	/* Verified on a connection of its own: the copy's statements, cached under texts it
	 * has freed, go with the one it wrote through. */
	db_close(dst);
	dst = NULL;
	if (db_open(&dst, to, err, sizeof(err)) != 0) {
		fprintf(stderr, "vets: %s\n", err);
		goto out;
	}
	int64_t records = 0, bad_seq = 0;
	if (audit_verify(dst, &records, &bad_seq, err, sizeof(err)) != 0) {
		fprintf(stderr, "vets: 复制后的审计链校验未通过：%s\n", err);
		goto out;
	}
	printf("复制完成：各表行数一致，审计链完整（%" PRId64 " 条记录）\n", records);
	status = 0;
out:
	mem_wipe(&keys, sizeof(keys));
	db_close(dst);
	db_close(src);
	return status;
}

int cmd_db(int argc, char **argv)
{
	if (argc < 1)
		return cli_usage_error("请指定子命令：copy");
	if (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)
		return fputs(usage_text, stdout), 0;
	if (strcmp(argv[0], "copy") != 0)
		return cli_usage_error("未知的子命令：%s", argv[0]);
	const char *from = NULL, *to = NULL, *key = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return fputs(usage_text, stdout), 0;
		int m = cli_opt(argc, argv, &i, "from", &from);
		if (!m)
			m = cli_opt(argc, argv, &i, "to", &to);
		if (!m)
			m = cli_opt(argc, argv, &i, "key-file", &key);
		if (m < 0)
			return 2;
		if (!m)
			return cli_usage_error("未知参数：%s", argv[i]);
	}
	if (!from || !to)
		return cli_usage_error("请用 --from 和 --to 指定源数据库和目标数据库");
	if (strcmp(from, to) == 0)
		return cli_usage_error("源数据库和目标数据库不能相同");
	return copy(from, to, key);
}
