/* init.c - vets init: create or migrate the database and make the key file. */
#include "cli.h"
#include "areas/settings.h"
#include "areas/account.h"
#include "areas/conscript.h"
#include "areas/keyring.h"
#include "areas/person.h"
#include "lib/clock.h"
#include "lib/err.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"用法：vets init [--db PATH] [--key-file PATH] [--district CODE] [--bureau NAME]\n"
	"  创建或升级数据库（可重复执行），首次执行时生成密钥文件（权限 0600）。\n"
	"  --db PATH        数据库文件，默认 $VETS_DB 或 ./vets.db\n"
	"  --key-file PATH  密钥文件，默认为数据库文件名加 "
	".key；请与数据库分开备份，丢失将无法解密数据\n"
	"  --district CODE  本区行政区划代码（6 位），默认 420199\n"
	"  --bureau NAME    本局名称，默认“示范区退役军人事务局”\n";

/* The bureau's standing sections, created with the root. */
static const char *const sections[][2] = {
	{"YF", "优抚科"}, {"AZ", "安置就业科"}, {"SY", "双拥科"}, {"BGS", "办公室"}};

static int seed_structure(struct db *db, const char *district, const char *bureau, char *err,
			  size_t errlen)
{
	int rc = account_org_ensure_root(db, district, bureau, err, errlen);
	if (rc)
		return rc;
	struct principal cli;
	account_cli_principal(&cli);
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		char code[32];
		int64_t id;
		snprintf(code, sizeof(code), "%s-%s", district, sections[i][0]);
		if (account_org_find(db, code, &id) == 0)
			continue;
		rc = account_org_create(db, &cli, district, code, sections[i][1], "section", &id,
					err, errlen);
		if (rc)
			return rc;
	}
	return settings_set_default(db, SETTINGS_BUREAU_NAME, bureau);
}

/* The parts of the ID numbers indexed (person_id_parts_upgrade), once. */
static int id_parts_upgrade(struct db *db, char *err, size_t errlen)
{
	long n = 0;
	int pending = person_id_parts_pending(db);
	if (pending < 0)
		return err_set(err, errlen, VE_DB, "无法读取数据库");
	int rc = pending ? person_id_parts_upgrade(db, &n, err, errlen) : 0;
	if (rc == 0 && n)
		fprintf(stderr, "vets: 已为 %ld 人的身份证号前六位、后四位建立盲索引\n", n);
	return rc;
}

int cli_seal_upgrade(struct db *db, char *err, size_t errlen)
{
	long n = 0;
	int pending = person_seal_upgrade_pending(db);
	if (pending < 0)
		return err_set(err, errlen, VE_DB, "无法读取数据库");
	if (!pending)
		return id_parts_upgrade(db, err, errlen);
	/* The conscripts first: the registry's upgrade marks both done. */
	long families = 0;
	int rc = conscript_seal_upgrade(db, &families, err, errlen);
	if (rc == 0)
		rc = person_seal_upgrade(db, &n, err, errlen);
	if (rc == 0 && n)
		fprintf(stderr, "vets: 已升级 %ld 人的加密数据（每个字段一把盲索引密钥，密文绑定所在行列）\n",
			n);
	if (rc == 0 && families)
		fprintf(stderr, "vets: 已升级 %ld 名义务兵家属电话的加密数据\n", families);
	return rc ? rc : id_parts_upgrade(db, err, errlen);
}

int cli_init_database(const char *db_path, const char *key_file, const char *district,
		      const char *bureau)
{
	char key_path[1024], err[512], shown[512];
	struct crypto_keys keys;
	int bad = cli_key_path(db_path, key_file, key_path, sizeof(key_path));
	if (bad)
		return bad;
	db_target_shown(db_path, shown, sizeof(shown));
	struct db *db;
	if (db_open(&db, db_path, err, sizeof(err)) != 0) {
		fprintf(stderr, "vets: %s\n", err);
		return 1;
	}
	int existed = cli_vets_database(db, shown);
	if (existed < 0) {
		db_close(db);
		return 1;
	}
	if (access(key_path, F_OK) != 0) {
		if (existed) {
			fprintf(stderr,
				"vets: 数据库 %s 已存在但找不到密钥文件 %s：请用 --key-file "
				"指定原密钥文件"
				"（生成新密钥将使已加密的数据无法读取）\n",
				shown, key_path);
			db_close(db);
			return 1;
		}
		if (crypto_keyfile_create(key_path, err, sizeof(err)) != 0) {
			fprintf(stderr, "vets: %s\n", err);
			db_close(db);
			return 1;
		}
		printf("已生成密钥文件：%s（请妥善备份，与数据库分开保存）\n", key_path);
	}
	if (crypto_keyfile_load(key_path, &keys, err, sizeof(err)) != 0) {
		fprintf(stderr, "vets: %s\n", err);
		db_close(db);
		return 1;
	}
	audit_init(&keys);
	person_init(&keys);
	int rc = keyring_hold(key_path, err, sizeof(err));
	if (rc == 0)
		rc = db_migrate(db, err, sizeof(err));
	if (rc == 0)
		rc = keyring_check(db, &keys, err, sizeof(err));
	if (rc == 0)
		rc = seed_structure(db, district, bureau, err, sizeof(err));
	if (rc == 0)
		rc = cli_seal_upgrade(db, err, sizeof(err));
	db_close(db);
	if (rc) {
		fprintf(stderr, "vets: %s\n", err[0] ? err : "初始化失败");
		return 1;
	}
	printf("数据库已就绪：%s\n", shown);
	return 0;
}

int cmd_init(int argc, char **argv)
{
	const char *db = NULL, *key = NULL, *district = "420199", *bureau = "示范区退役军人事务局";
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return fputs(usage, stdout), 0;
		int m = cli_store_opt(argc, argv, &i, &db, &key);
		if (!m)
			m = cli_opt(argc, argv, &i, "district", &district);
		if (!m)
			m = cli_opt(argc, argv, &i, "bureau", &bureau);
		if (m < 0)
			return 2;
		if (!m)
			return cli_usage_error("未知参数：%s", argv[i]);
	}
	if (strlen(district) != 6 || strspn(district, "0123456789") != 6)
		return cli_usage_error("--district 应为 6 位数字的行政区划代码");
	return cli_init_database(cli_db_path(db), key, district, bureau);
}
