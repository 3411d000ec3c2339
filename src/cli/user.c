/* user.c - vets user add / passwd: accounts from the command line. */
#include "cli.h"
#include "areas/account.h"
#include "lib/err.h"
#include "lib/mem.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"用法：vets user add NAME --role ROLE [--org CODE] [--name 姓名] --password-stdin "
	"[--temporary]\n"
	"                    [--db PATH] [--key-file PATH]\n"
	"      vets user passwd NAME --password-stdin [--temporary] [--db PATH] [--key-file PATH]\n"
	"  从标准输入读取一行作为密码（须符合密码策略）。--temporary 表示用户首次登录须修改密码。\n"
	"  角色：sysadmin 系统管理员，secadmin 安全管理员，auditor 审计管理员，clerk 经办人，\n"
	"        reviewer 复核人，approver 审批人，leader 局领导，station 服务站工作人员。\n"
	"  --org CODE 为机构代码（服务站为其街道/社区区划代码），默认为区局。\n";

struct user_args {
	const char *name, *role, *org, *display, *db, *key;
	int password_stdin, temporary;
};

static int parse(int argc, char **argv, struct user_args *a)
{
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return fputs(usage, stdout), -1;
		if (strcmp(argv[i], "--password-stdin") == 0) {
			a->password_stdin = 1;
			continue;
		}
		if (strcmp(argv[i], "--temporary") == 0) {
			a->temporary = 1;
			continue;
		}
		int m = cli_opt(argc, argv, &i, "role", &a->role);
		if (!m)
			m = cli_opt(argc, argv, &i, "org", &a->org);
		if (!m)
			m = cli_opt(argc, argv, &i, "name", &a->display);
		if (!m)
			m = cli_store_opt(argc, argv, &i, &a->db, &a->key);
		if (m < 0)
			return 2;
		if (m)
			continue;
		if (argv[i][0] == '-' || a->name)
			return cli_usage_error("未知参数：%s", argv[i]);
		a->name = argv[i];
	}
	if (!a->name)
		return cli_usage_error("缺少用户名");
	if (!a->password_stdin)
		return cli_usage_error("须用 --password-stdin 从标准输入提供密码");
	return 0;
}

static int add(struct db *db, const struct user_args *a, const char *password)
{
	int role = a->role ? role_parse(a->role) : -1;
	if (role < 0)
		return cli_usage_error("角色无效：%s", a->role ? a->role : "（未指定 --role）");
	char root[32] = "";
	account_org_root(db, root, sizeof(root));
	struct principal cli;
	account_cli_principal(&cli);
	struct account_new in = {
		.username = a->name,
		.display_name = a->display ? a->display : a->name,
		.org_code = a->org ? a->org : root,
		.roles = 1u << role,
		.password = password,
		.temporary = a->temporary,
	};
	int64_t id;
	char err[256] = "";
	if (account_user_create(db, &cli, &in, &id, err, sizeof(err)) != 0) {
		fprintf(stderr, "vets: %s\n", err);
		return 1;
	}
	printf("已创建账号 %s（%s）\n", a->name, role_title(role));
	return 0;
}

static int passwd(struct db *db, const struct user_args *a, const char *password)
{
	int64_t id;
	if (account_user_find(db, a->name, &id) != 0) {
		fprintf(stderr, "vets: 账号不存在：%s\n", a->name);
		return 1;
	}
	struct principal cli;
	account_cli_principal(&cli);
	char err[256] = "";
	int rc = account_user_set_password(db, &cli, id, password, a->temporary, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "vets: %s\n", err[0] ? err : "设置密码失败");
		return 1;
	}
	printf("已设置 %s 的密码%s\n", a->name, a->temporary ? "（临时密码，下次登录须修改）" : "");
	return 0;
}

int cmd_user(int argc, char **argv)
{
	if (argc < 1 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
		fputs(usage, argc < 1 ? stderr : stdout);
		return argc < 1 ? 2 : 0;
	}
	int is_add = strcmp(argv[0], "add") == 0;
	if (!is_add && strcmp(argv[0], "passwd") != 0)
		return cli_usage_error("未知子命令：user %s", argv[0]);
	struct user_args a = {0};
	int rc = parse(argc - 1, argv + 1, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	char password[160];
	if (cli_read_password(password, sizeof(password)) != 0)
		return 1;
	struct db *db;
	struct crypto_keys keys;
	int opened = cli_open(cli_db_path(a.db), a.key, &db, &keys);
	if (opened != 0) {
		mem_wipe(password, sizeof(password));
		return opened;
	}
	rc = is_add ? add(db, &a, password) : passwd(db, &a, password);
	mem_wipe(password, sizeof(password));
	mem_wipe(&keys, sizeof(keys));
	db_close(db);
	return rc;
}
