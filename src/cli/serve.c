/* serve.c - vets serve: run the web server. */
#include "cli.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/str.h"
#include "web/route.h"
#include "web/server.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"用法：vets serve [--db PATH] [--key-file PATH] [--listen HOST:PORT] [--public-host "
	"NAME]...\n"
	"                 [--threads N]\n"
	"  运行网站（门户、后台与 /api/v1），收到 SIGTERM 或 Ctrl-C 时平稳退出。\n"
	"  --listen HOST:PORT   监听地址，默认 127.0.0.1:8080\n"
	"  --public-host NAME   对外域名（可多次指定）；其他 Host 的请求一律拒绝\n"
	"  --threads N          工作线程数，默认为 CPU 核数的 2 倍（至少 4）\n";

int cli_serve(const char *db_path, const char *key_file, const char *listen,
	      const char *const *public_hosts, size_t n_public_hosts, unsigned threads)
{
	struct server_config cfg = {0};
	char host[256], err[512];
	if (server_parse_listen(listen, &cfg, host, sizeof(host)) != 0)
		return cli_usage_error("监听地址应为 HOST:PORT，如 127.0.0.1:8080");
	for (size_t i = 0; i < n_public_hosts && i < SERVER_MAX_PUBLIC_HOSTS; i++)
		cfg.public_hosts[cfg.n_public_hosts++] = public_hosts[i];
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	cfg.threads = threads ? threads : (unsigned)(cores > 2 ? cores * 2 : 4);
	struct db *db;
	struct crypto_keys keys;
	if (cli_open(db_path, key_file, &db, &keys) != 0)
		return 1;
	struct db_stmt *st = db_q(db, "SELECT value FROM settings WHERE key = 'bureau.name'", "");
	if (st && db_step(st) == DB_ROW)
		page_set_bureau(db_text(st, 0));
	db_done(st);
	db_close(db);
	if (page_init(err, sizeof(err)) != 0) {
		fprintf(stderr, "vets: 模板编译失败：%s\n", err);
		return 1;
	}
	db_thread_init(db_path);
	int rc = server_run(&cfg);
	page_free();
	return rc;
}

int cmd_serve(int argc, char **argv)
{
	const char *db = NULL, *key = NULL, *listen = "127.0.0.1:8080", *threads = NULL;
	const char *hosts[SERVER_MAX_PUBLIC_HOSTS];
	size_t n_hosts = 0;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return fputs(usage, stdout), 0;
		const char *host = NULL;
		int m = cli_store_opt(argc, argv, &i, &db, &key);
		if (!m)
			m = cli_opt(argc, argv, &i, "listen", &listen);
		if (!m)
			m = cli_opt(argc, argv, &i, "threads", &threads);
		if (!m && (m = cli_opt(argc, argv, &i, "public-host", &host)) == 1) {
			if (n_hosts == SERVER_MAX_PUBLIC_HOSTS)
				return cli_usage_error("--public-host 最多 %d 个",
						       SERVER_MAX_PUBLIC_HOSTS);
			hosts[n_hosts++] = host;
		}
		if (m < 0)
			return 2;
		if (!m)
			return cli_usage_error("未知参数：%s", argv[i]);
	}
	int64_t n = 0;
	if (threads && str_to_i64(threads, strlen(threads), 1, 64, &n) != 0)
		return cli_usage_error("--threads 应为 1 到 64 之间的整数");
	return cli_serve(cli_db_path(db), key, listen, hosts, n_hosts, (unsigned)n);
}

int cmd_routes(int argc, char **argv)
{
	if (argc > 0)
		return fputs("用法：vets routes\n  "
			     "列出全部路由：方法、路径、所需权限、是否公开。\n",
			     stdout),
		       argc == 1 && strcmp(argv[0], "--help") == 0 ? 0 : 2;
	for (size_t i = 0; i < n_routes; i++)
		printf("%s %s %s%s\n", routes[i].method, routes[i].pattern,
		       routes[i].perm == PERM_NONE ? "public"
						   : perm_name((enum perm)routes[i].perm),
		       routes[i].flags & ROUTE_API ? " api" : "");
	return 0;
}
