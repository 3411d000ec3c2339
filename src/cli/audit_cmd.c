/* audit_cmd.c - "vets audit": checks the audit trail's chain, archives old records. */
#include "cli.h"
#include "areas/audit.h"
#include "areas/audit_archive.h"
#include "areas/perm.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/mem.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
	"用法：vets audit verify [--db 路径] [--key-file 路径]\n"
	"      vets audit verify --archive 文件 [--key-file 路径] [--db 路径]\n"
	"      vets audit archive --to 文件 [--as 用户名 --password-stdin] [--db 路径] [--key-file 路径]\n"
	"\n"
	"子命令：\n"
	"  verify            校验审计日志的完整性：记录被修改、插入、删除或末尾被截断都会被发现；\n"
	"                    已归档的部分从最近一次归档的锚点接续校验\n"
	"  verify --archive  只凭密钥文件校验一个归档文件（每条记录、首尾、条数）；数据库在时\n"
	"                    同时核对它是否就是数据库记下的那一份\n"
	"  archive --to 文件 把早于保留期（安全策略“审计记录保留期”，至少 6 个月）的审计记录\n"
	"                    写入归档文件（每行一个 JSON），同步到磁盘并读回校验后，才从数据库\n"
	"                    删除，并留下归档锚点；归档本身记入审计日志。文件已存在则拒绝。\n"
	"                    --as 以审计管理员身份操作（密码从标准输入读取），否则记为命令行操作员\n"
	"\n"
	"选项：\n"
	"  --db 路径         数据库文件（默认取环境变量 VETS_DB，否则为 vets.db）\n"
	"  --key-file 路径   密钥文件（默认取环境变量 VETS_KEY_FILE，否则为数据库路径加 .key）\n"
	"  --help            显示本帮助\n"
	"\n"
	"归档文件与数据库一样须妥善保管（其中有审计记录的全文），与密钥文件分开存放。\n"
	"\n"
	"退出码：0 审计日志完整（或归档完成）；1 审计日志被篡改、无法读取或归档失败；2 用法错误。\n";

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
	struct audit_anchor anchor;
	if (rc == 0) {
		printf("审计日志完整：共 %" PRId64 " 条记录\n", n_records);
		if (audit_anchor_newest(db, &anchor, err, sizeof(err)) > 0)
			printf("第 1–%" PRId64 " 条已归档（最近一次归档至 %s），自第 %" PRId64
			       " 条起接续校验\n",
			       anchor.last_seq, anchor.file_name, anchor.last_seq + 1);
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

/* vets audit verify --archive FILE: the file with the key file alone; the database, when
 * there is one, says whether this is the file it recorded. */
static int verify_archive(const char *file, const char *db_opt, const char *key_opt)
{
	const char *db_path = cli_db_path(db_opt);
	char key_path[4096], err[512];
	struct crypto_keys keys;
	struct db *db = NULL;
	struct audit_archive_info info;
	int status = 1;
	memset(&keys, 0, sizeof(keys));
	if (cli_key_path(db_path, key_opt, key_path, sizeof(key_path)) != 0)
		return 2;
	if (crypto_keyfile_load(key_path, &keys, err, sizeof(err)) != 0) {
		fprintf(stderr, "vets: %s\n", err);
		return 1;
	}
	audit_init(&keys);
	/* The database, if it is there and named or beside the key: else the file alone. */
	if (db_is_server_uri(db_path) || access(db_path, F_OK) == 0) {
		if (cli_open(db_path, key_path, &db, &keys) != 0)
			goto out;
	}
	int rc = audit_archive_verify_file(file, db, &keys, &info, err, sizeof(err));
	if (rc == VE_CRYPTO) {
		fprintf(stderr, "归档文件校验未通过：%s\n", err);
		goto out;
	}
	if (rc) {
		fprintf(stderr, "vets: 无法校验归档文件：%s\n", err);
		goto out;
	}
	printf("归档文件完整：第 %" PRId64 "–%" PRId64 " 条审计记录，共 %" PRId64 " 条\n",
	       info.first_seq, info.last_seq, info.records);
	printf("末条哈希 %s\n文件 SM3 %s\n", info.last_hash, info.file_sm3);
	if (db && info.in_database)
		printf("与数据库记下的归档一致\n");
	else if (db)
		printf("数据库中没有这份归档的记录（另一数据库的归档，或文件已被替换）\n");
	status = 0;
out:
	mem_wipe(&keys, sizeof(keys));
	db_close(db);
	return status;
}

static int cmd_verify(int argc, char **argv)
{
	const char *db_opt = NULL, *key_opt = NULL, *archive = NULL;
	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i]))
			return usage();
		int got = cli_store_opt(argc, argv, &i, &db_opt, &key_opt);
		if (!got)
			got = cli_opt(argc, argv, &i, "archive", &archive);
		if (got < 0)
			return 2;
		if (got == 0)
			return cli_usage_error("未知的参数：%s", argv[i]);
	}
	if (archive)
		return verify_archive(archive, db_opt, key_opt);
	return verify(db_opt, key_opt);
}

/* vets audit archive --to FILE: the records older than the retention to FILE. */
static int cmd_archive(int argc, char **argv)
{
	const char *db_opt = NULL, *key_opt = NULL, *to = NULL, *as = NULL;
	int password_stdin = 0;
	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i]))
			return usage();
		if (strcmp(argv[i], "--password-stdin") == 0) {
			password_stdin = 1;
			continue;
		}
		int got = cli_store_opt(argc, argv, &i, &db_opt, &key_opt);
		if (!got)
			got = cli_opt(argc, argv, &i, "to", &to);
		if (!got)
			got = cli_opt(argc, argv, &i, "as", &as);
		if (got < 0)
			return 2;
		if (got == 0)
			return cli_usage_error("未知的参数：%s", argv[i]);
	}
	if (!to || !*to)
		return cli_usage_error("缺少 --to 文件（归档写入的文件，须尚不存在）");
	if (as && !password_stdin)
		return cli_usage_error("--as 须与 --password-stdin 一起使用");
	struct db *db = NULL;
	struct crypto_keys keys;
	int status = cli_open(cli_db_path(db_opt), key_opt, &db, &keys);
	if (status)
		return status;
	status = 1;
	struct principal who;
	char err[1024];
	struct audit_archive_info info;
	if (as ? cli_sign_in(db, as, &who) != 0 : (account_cli_principal(&who), 0))
		goto out;
	if (!perm_allows(who.roles, PERM_AUDIT_READ)) {
		fprintf(stderr, "vets: 归档审计记录须由审计管理员操作，%s 没有这一权限\n", as);
		goto out;
	}
	int rc = audit_archive_run(db, &keys, &who, to, &info, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "vets: %s\n", err);
		goto out;
	}
	char cutoff[11] = "";
	clock_date_text(info.cutoff, cutoff);
	if (info.records == 0) {
		printf("没有早于 %s 的审计记录（保留期 %d 个月），未写入归档文件\n", cutoff,
		       info.retention_months);
	} else {
		printf("已归档第 %" PRId64 "–%" PRId64 " 条审计记录（共 %" PRId64
		       " 条，早于 %s，保留期 %d 个月）至 %s\n",
		       info.first_seq, info.last_seq, info.records, cutoff, info.retention_months, to);
		printf("文件 SM3 %s\n末条哈希 %s\n", info.file_sm3, info.last_hash);
		printf("这些记录已从数据库删除；归档文件请与数据库一样保管（与密钥文件分开），"
		       "可用 vets audit verify --archive %s 校验\n",
		       to);
	}
	status = 0;
out:
	mem_wipe(&keys, sizeof(keys));
	db_close(db);
	return status;
}

int cmd_audit(int argc, char **argv)
{
	if (argc < 1)
		return cli_usage_error("缺少子命令");
	if (is_help(argv[0]))
		return usage();
	if (strcmp(argv[0], "verify") == 0)
		return cmd_verify(argc, argv);
	if (strcmp(argv[0], "archive") == 0)
		return cmd_archive(argc, argv);
	return cli_usage_error("未知的子命令：%s", argv[0]);
}
