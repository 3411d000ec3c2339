/* cli.c - what the commands share: option parsing, paths, opening the store. */
#include "cli.h"
#include "areas/audit.h"
#include "areas/conscript.h"
#include "areas/keyring.h"
#include "areas/person.h"
#include "areas/session.h"
#include "lib/err.h"
#include "lib/mem.h"
#include "lib/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *cli_db_path(const char *given)
{
	if (given)
		return given;
	const char *env = getenv("VETS_DB");
	return env && *env ? env : "vets.db";
}

int cli_key_path(const char *db_path, const char *given, char *out, size_t size)
{
	const char *env = getenv("VETS_KEY_FILE");
	if (given)
		str_copy(out, given, size);
	else if (env && *env)
		str_copy(out, env, size);
	else if (db_is_server_uri(db_path)) {
		fputs("vets: 数据库在服务器上时必须用 --key-file 路径（或环境变量 VETS_KEY_FILE）"
		      "指定密钥文件\n",
		      stderr);
		return 2;
	} else
		snprintf(out, size, "%s.key", db_path);
	return 0;
}

int cli_opt(int argc, char **argv, int *i, const char *name, const char **value)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if (strncmp(a, "--", 2) != 0 || strncmp(a + 2, name, n) != 0)
		return 0;
	if (a[2 + n] == '=') {
		*value = a + 3 + n;
		return 1;
	}
	if (a[2 + n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "vets: 选项 --%s 缺少取值\n", name);
		return -1;
	}
	*value = argv[++*i];
	return 1;
}

int cli_store_opt(int argc, char **argv, int *i, const char **db, const char **key_file)
{
	int m = cli_opt(argc, argv, i, "db", db);
	return m ? m : cli_opt(argc, argv, i, "key-file", key_file);
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("vets: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs("（用 --help 查看用法）\n", stderr);
	va_end(ap);
	return 2;
}

int cli_year(const char *text, int64_t *year)
{
	if (!text || str_to_i64(text, strlen(text), 1950, 2100, year) != 0)
		return cli_usage_error("--year 应为 1950 至 2100 的年份");
	return 0;
}

int cli_open(const char *db_path, const char *key_file, struct db **db, struct crypto_keys *keys)
{
	char key_path[1024], err[512];
	*db = NULL;
	if (!db_is_server_uri(db_path) && access(db_path, F_OK) != 0) {
		fprintf(stderr, "vets: 数据库不存在：%s（请先运行 vets init --db %s）\n", db_path,
			db_path);
		return 1;
	}
	int bad = cli_key_path(db_path, key_file, key_path, sizeof(key_path));
	if (bad)
		return bad;
	if (crypto_keyfile_load(key_path, keys, err, sizeof(err)) != 0 ||
	    keyring_hold(key_path, err, sizeof(err)) != 0) {
		fprintf(stderr, "vets: %s\n", err);
		return 1;
	}
	if (db_open(db, db_path, err, sizeof(err)) != 0) {
		fprintf(stderr, "vets: %s\n", err);
		return 1;
	}
	int64_t version = 0;
	if (db_has_table(*db, "schema_migrations") != 1 || db_schema_version(*db, &version) != 0 ||
	    version == 0) {
		char shown[512];
		db_target_shown(db_path, shown, sizeof(shown));
		fprintf(stderr, "vets: %s 不是已初始化的 vets 数据库（新库请先运行 vets init）\n",
			shown);
		db_close(*db);
		*db = NULL;
		return 1;
	}
	audit_init(keys);
	person_init(keys);
	conscript_init(keys);
	/* A database of an older vets is brought up to date by whichever command opens
	 * it first: its schema, then its sealed values. */
	if (db_migrate(*db, err, sizeof(err)) != 0 || keyring_check(*db, keys, err, sizeof(err)) != 0 ||
	    cli_seal_upgrade(*db, err, sizeof(err)) != 0) {
		fprintf(stderr, "vets: %s\n", err);
		db_close(*db);
		*db = NULL;
		return 1;
	}
	return 0;
}

int cli_read_password(char *out, size_t size)
{
	if (!fgets(out, (int)size, stdin)) {
		fputs("vets: 未能从标准输入读取密码\n", stderr);
		return 1;
	}
	size_t n = strcspn(out, "\r\n");
	if (out[n] == '\0' && !feof(stdin) && n == size - 1) {
		fputs("vets: 密码过长\n", stderr);
		return 1;
	}
	out[n] = '\0';
	return 0;
}

int cli_sign_in(struct db *db, const char *user, struct principal *p)
{
	char password[256], sid[SESSION_ID_HEX + 1];
	int64_t locked_until = 0;
	if (cli_read_password(password, sizeof(password)) != 0)
		return 1;
	int rc = session_login(db, user, password, "cli", sid, p, &locked_until);
	mem_wipe(password, sizeof(password));
	if (rc == VE_LOCKED) {
		fprintf(stderr, "vets: 账号 %s 已锁定，请稍后再试\n", user);
		return 1;
	}
	if (rc) {
		fprintf(stderr, "vets: 用户名或密码错误：%s\n", user);
		return 1;
	}
	if (p->must_change_password) {
		session_logout(db, sid, p);
		fprintf(stderr, "vets: 账号 %s 须先在网页上修改密码\n", user);
		return 1;
	}
	session_logout(db, sid, p);
	return 0;
}

int cli_vets_database(struct db *db, const char *shown)
{
	int64_t version = 0;
	int tables = db_table_count(db);
	if (tables == 0)
		return 0;
	if (tables > 0 && db_has_table(db, "schema_migrations") == 1 &&
	    db_schema_version(db, &version) == 0 && version > 0)
		return 1;
	fprintf(stderr, "vets: 数据库 %s 中已有其他程序的表，不是 vets 的数据库：请指定一个空数据库\n",
		shown);
	return -1;
}
