/* demo.c - vets demo: a synthetic district to try the system with, then serve it. */
#include "cli.h"
#include "areas/session.h"
#include "areas/account.h"
#include "areas/calendar.h"
#include "areas/region.h"
#include "demo_people.h"
#include "demo_services.h"
#include "demo_applications.h"
#include "demo_petitions.h"
#include "demo_articles.h"
#include "demo_surveys.h"
#include "demo_consultations.h"
#include "demo_qa.h"
#include "demo_ratings.h"
#include "demo_placement.h"
#include "demo_employment.h"
#include "demo_care.h"
#include "demo_shuangyong.h"
#include "demo_pufa.h"
#include "lib/crypto.h"
#include "lib/err.h"
#include "lib/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"用法：vets demo [--db PATH] [--key-file PATH] [--listen HOST:PORT] [--portal HOST:PORT]\n"
	"                [--seed N] [--no-serve]\n"
	"  "
	"在空数据库中生成一个虚构的示范区（组织机构与每个角色的演示账号），打印登录信息，然后运行网"
	"站。\n"
	"  相同的 --seed 生成相同的数据与密码；已生成过的数据库不会重复生成。\n"
	"  --portal HOST:PORT 同时在此地址开放公众门户（见 vets serve --help）。\n";

#define DISTRICT "420199"
#define DEMO_PEOPLE 20000

/* A made-up district: 14 streets, each with 5 to 7 communities. */
static const char *const street_names[] = {
	"东湖街道", "长青街道",   "白沙洲街道", "紫阳街道",     "首义街道",
	"中南街道", "水果湖街道", "珞南街道",   "关山街道",     "洪山街道",
	"和平街道", "青山镇街道", "红卫路街道", "钢都花园街道",
};
static const char *const community_names[] = {
	"建设", "和平", "幸福", "光明", "友谊", "新村", "花园", "东风", "胜利",
	"团结", "南湖", "桂园", "松涛", "翠柳", "丽岛", "枫林", "紫菱", "百瑞",
};
#define N_STREETS (sizeof(street_names) / sizeof(street_names[0]))
#define N_COMMUNITY_NAMES (sizeof(community_names) / sizeof(community_names[0]))

/* One demo account per role: username, display name, organisation, role. */
static const char *const accounts[][4] = {
	{"sysadmin", "王建国", DISTRICT, "sysadmin"},
	{"secadmin", "李红梅", DISTRICT, "secadmin"},
	{"auditor", "张敏", DISTRICT, "auditor"},
	{"clerk", "刘洋", DISTRICT "-YF", "clerk"},
	{"reviewer", "陈静", DISTRICT "-YF", "reviewer"},
	{"approver", "赵志强", DISTRICT "-YF", "approver"},
	{"leader", "孙卫东", DISTRICT, "leader"},
	{"station", "周丽", "420199002", "station"},
};
#define N_ACCOUNTS (sizeof(accounts) / sizeof(accounts[0]))
#define ACCOUNT_CLERK 3 /* then reviewer, approver */

/* The demo password of account i for a seed: the same for the same seed, and
 * different for each database made with another one. */
static void demo_password(unsigned long seed, size_t i, char out[32])
{
	char input[64];
	unsigned char h[SM3_LEN];
	snprintf(input, sizeof(input), "vets-demo:%lu:%zu", seed, i);
	crypto_sm3(input, strlen(input), h);
	snprintf(out, 32, "Demo@%02x%02x%02x", h[0], h[1], h[2]);
}

/* The district's regions (and so its service stations). */
static int fill_regions(struct db *db, const struct principal *cli)
{
	struct region_entry rows[1 + N_STREETS * 8];
	long n = 0;
	rows[n++] = (struct region_entry){DISTRICT, "示范区", "", 0};
	for (size_t s = 0; s < N_STREETS; s++) {
		char street[13];
		snprintf(street, sizeof(street), "%s%03u", DISTRICT, (unsigned)(s + 1) % 1000);
		struct region_entry *st = &rows[n++];
		snprintf(st->code, sizeof(st->code), "%s", street);
		snprintf(st->name, sizeof(st->name), "%s", street_names[s]);
		snprintf(st->parent, sizeof(st->parent), "%s", DISTRICT);
		size_t communities = 5 + s % 3;
		for (size_t c = 0; c < communities; c++) {
			struct region_entry *cm = &rows[n++];
			snprintf(cm->code, sizeof(cm->code), "%.9s%03u", street,
				 (unsigned)(c + 1) % 1000);
			snprintf(cm->name, sizeof(cm->name), "%s社区",
				 community_names[(s * 5 + c * 7) % N_COMMUNITY_NAMES]);
			snprintf(cm->parent, sizeof(cm->parent), "%s", street);
		}
	}
	char err[256] = "";
	if (region_store(db, cli, rows, n, err, sizeof(err)) != 0)
		return fprintf(stderr, "vets: %s\n", err), 1;
	return 0;
}

/* Signs in demo account i (clerk, reviewer, approver: the staff who pay). */
static int demo_sign_in(struct db *db, unsigned long seed, size_t i, struct principal *p)
{
	char password[32], sid[SESSION_ID_HEX + 1];
	int64_t locked;
	demo_password(seed, i, password);
	if (session_login(db, accounts[i][0], password, "demo", sid, p, &locked) != 0)
		return 1;
	return session_logout(db, sid, p);
}

static int fill(struct db *db, unsigned long seed)
{
	struct principal cli;
	account_cli_principal(&cli);
	char err[256];
	int64_t id;
	if (fill_regions(db, &cli) != 0)
		return 1;
	if (calendar_import_shipped(db, &cli, err, sizeof(err)) != 0)
		return fprintf(stderr, "vets: 节假日安排：%s\n", err), 1;
	for (size_t i = 0; i < N_ACCOUNTS; i++) {
		char password[32];
		demo_password(seed, i, password);
		struct account_new in = {accounts[i][0], accounts[i][1],
					 accounts[i][2], 1u << role_parse(accounts[i][3]),
					 password,       0};
		if (account_user_create(db, &cli, &in, &id, err, sizeof(err)) != 0)
			return fprintf(stderr, "vets: %s\n", err), 1;
	}
	if (demo_people(db, seed, DEMO_PEOPLE) != 0)
		return fprintf(stderr, "vets: 生成演示人员失败\n"), 1;
	struct principal staff[3];
	for (size_t i = 0; i < 3; i++)
		if (demo_sign_in(db, seed, ACCOUNT_CLERK + i, &staff[i]) != 0)
			return fprintf(stderr, "vets: 演示账号无法登录\n"), 1;
	if (demo_benefits(db, seed, &staff[0], &staff[1], &staff[2]) != 0)
		return fprintf(stderr, "vets: 生成演示待遇发放失败\n"), 1;
	if (demo_services(db, &staff[0]) != 0)
		return 1;
	if (demo_applications(db, seed, &staff[0]) != 0)
		return 1;
	if (demo_petitions(db, seed, &staff[0]) != 0)
		return 1;
	if (demo_articles(db, &staff[0]) != 0)
		return 1;
	if (demo_surveys(db, seed, &staff[0]) != 0)
		return 1;
	if (demo_consultations(db, &staff[0]) != 0)
		return 1;
	if (demo_qa(db, &staff[0]) != 0)
		return 1;
	if (demo_ratings(db, seed, &staff[0]) != 0)
		return 1;
	if (demo_placement(db, seed, staff) != 0)
		return 1;
	if (demo_employment(db, seed, &staff[0]) != 0)
		return 1;
	if (demo_care(db, seed, &staff[0]) != 0)
		return 1;
	if (demo_shuangyong(db, seed, &staff[0]) != 0)
		return 1;
	if (demo_pufa(db, seed, &staff[0]) != 0)
		return 1;
	return 0;
}

static void print_logins(unsigned long seed)
{
	printf("\n演示账号（仅供演示，勿用于真实数据）：\n");
	for (size_t i = 0; i < N_ACCOUNTS; i++) {
		char password[32];
		demo_password(seed, i, password);
		printf("  %-10s %-14s %s\n", accounts[i][0], password,
		       role_title(role_parse(accounts[i][3])));
	}
}

int cmd_demo(int argc, char **argv)
{
	const char *db_opt = NULL, *key = NULL, *listen = "127.0.0.1:8080", *seed_text = "1";
	const char *portal = NULL;
	int serve = 1;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return fputs(usage, stdout), 0;
		if (strcmp(argv[i], "--no-serve") == 0) {
			serve = 0;
			continue;
		}
		int m = cli_store_opt(argc, argv, &i, &db_opt, &key);
		if (!m)
			m = cli_opt(argc, argv, &i, "listen", &listen);
		if (!m)
			m = cli_opt(argc, argv, &i, "seed", &seed_text);
		if (!m)
			m = cli_opt(argc, argv, &i, "portal", &portal);
		if (m < 0)
			return 2;
		if (!m)
			return cli_usage_error("未知参数：%s", argv[i]);
	}
	int64_t seed;
	if (str_to_i64(seed_text, strlen(seed_text), 0, 1000000000, &seed) != 0)
		return cli_usage_error("--seed 应为 0 到 1000000000 之间的整数");
	const char *db_path = cli_db_path(db_opt);
	int made = cli_init_database(db_path, key, DISTRICT, "示范区退役军人事务局");
	if (made != 0)
		return made;
	struct db *db;
	struct crypto_keys keys;
	int opened = cli_open(db_path, key, &db, &keys);
	if (opened != 0)
		return opened;
	int64_t users = 0;
	account_user_total(db, &users);
	int rc = 0;
	if (users == 0) {
		printf("正在生成示范区数据……\n");
		rc = fill(db, (unsigned long)seed);
	} else {
		printf("数据库中已有数据，不再生成。\n");
	}
	db_close(db);
	if (rc)
		return 1;
	print_logins((unsigned long)seed);
	if (!serve)
		return 0;
	printf("\n请用浏览器打开 http://%s/（后台）\n", listen);
	if (portal)
		printf("公众门户：http://%s/\n", portal);
	fflush(stdout);
	return cli_serve(db_path, key, listen, portal);
}
