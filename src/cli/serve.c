/* serve.c - vets serve: run the web server. */
#include "cli.h"
#include "areas/death_report.h"
#include "areas/outbox.h"
#include "areas/settings.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/str.h"
#include "lib/mem.h"
#include "web/auth.h"
#include "web/route.h"
#include "web/metrics.h"
#include "web/server.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
	"用法：vets serve [--db PATH] [--key-file PATH] [--listen HOST:PORT] [--public-host "
	"NAME]...\n"
	"                 [--threads N] [--secure-cookie] [--metrics-token-file PATH]\n"
	"                 [--login-throttle N] [--no-jobs] [--files-dir PATH] [--log-file PATH]\n"
	"                 [--sms-command CMD | --sms-url URL | --sms-file PATH]\n"
	"                 [--portal HOST:PORT [--portal-min-fill S] [--portal-post-limit N]\n"
	"                  [--portal-cache S]] [--trusted-proxy ADDR]...\n"
	"  运行网站（门户、后台与 /api/v1），收到 SIGTERM 或 Ctrl-C 时平稳退出：不再接受新连接，\n"
	"  处理中的请求完成（至多 30 秒）、定时任务停止、数据库连接关闭后以 0 退出。\n"
	"  收到 SIGHUP 时重新打开日志文件并重新读取 --metrics-token-file，服务不中断。\n"
	"  同时按时运行定时任务（见 vets jobs list）；停机期间错过的，启动时补运行一次。\n"
	"  --listen HOST:PORT   后台（工作人员）监听地址，默认 127.0.0.1:8080，应为内网地址\n"
	"  --portal HOST:PORT   公众门户另开的监听地址（对互联网）：只答复门户页面，\n"
	"                       后台页面与接口在此一律不存在（404）；不指定则不开门户\n"
	"  --portal-min-fill S  门户表单从打开到提交至少需要的秒数，默认 3（过快视为程序提交）\n"
	"  --portal-post-limit N\n"
	"                       同一客户端地址 10 分钟内可在门户提交的次数，默认 10，0 为不限\n"
	"  --trusted-proxy ADDR 前置代理（nginx、CDN 节点）的地址（可多次指定）：来自它的请求按\n"
	"                       X-Forwarded-For 中最右一个非代理地址识别访客（限流与审计用）\n"
	"  --portal-cache S     门户的公开页面在内存中缓存的秒数，默认 5，0 为不缓存；\n"
	"                       本进程处理的任何修改都会立即清空缓存\n"
	"  --public-host NAME   对外域名（可多次指定）；其他 Host 的请求一律拒绝。\n"
	"                       写作 https://NAME 时会话 Cookie 带 Secure（只经 https 发送）\n"
	"  --secure-cookie      会话 Cookie 一律带 Secure（站点经 https 反向代理对外时）\n"
	"  --threads N          工作线程数，默认为 CPU 核数的 2 倍（至少 4）\n"
	"  --metrics-token-file PATH\n"
	"                       /metrics 须带 Authorization: Bearer 与此文件内容相同的令牌\n"
	"                       （文件权限须为 0600 或更严）；不指定时只答复本机回环地址\n"
	"  --login-throttle N   同一客户端地址每分钟可进行的登录尝试（失败或进行中）次数，\n"
	"                       默认 10，0 为不限\n"
	"  --log-file PATH      事件日志（每行一个事件，key=value）写入此文件而不是标准错误；\n"
	"                       SIGHUP 时重新打开，供 logrotate 轮转\n"
	"  --no-jobs            本进程不运行定时任务（由另一台服务器或 cron 调用 vets jobs run 运行）\n"
	"  --files-dir PATH     上传的死亡证明等文件的存放目录（权限 0700），默认取环境变量\n"
	"                       VETS_FILES_DIR，否则为数据库路径加 .files（数据库在服务器上时必须指定）；\n"
	"                       与数据库一同备份\n"
	"  --sms-command CMD    给申请人的短信经此命令发出：由 /bin/sh 运行，标准输入为一行 JSON\n"
	"                       {\"phone\",\"text\",\"id\"}，退出码 0 为已发送，10 秒未完成即终止\n"
	"                       （环境变量 VETS_SMS_COMMAND）\n"
	"  --sms-url URL        把这行 JSON 以 POST 发给短信网关，答复 2xx 为已发送（VETS_SMS_URL）\n"
	"  --sms-file PATH      把这行 JSON 追加到文件（测试用，VETS_SMS_FILE）。三者都未指定时短信\n"
	"                       留在待发队列（见 /outbox 与 vets outbox send）；失败的按 1 分钟、\n"
	"                       5 分钟、30 分钟、2 小时、6 小时后重试\n";

static int read_token(const char *path, char *out, size_t size, char *why, size_t whylen);

/* The --metrics-token-file, read again on SIGHUP. */
static const char *token_path;

/* SIGHUP: the metrics token file read again; a file that no longer reads keeps the old token. */
static const char *reload(void)
{
	char token[130], why[600];
	if (!token_path)
		return "";
	if (read_token(token_path, token, sizeof(token), why, sizeof(why)) != 0) {
		log_warn("server.reload_token_failed", "file=%s reason=%s", token_path, why);
		return "";
	}
	metrics_configure(token);
	mem_wipe(token, sizeof(token));
	return "metrics_token";
}

/* Reads the metrics token from path: one line of 16..128 printable characters,
 * in a file no one else may read (a token on the command line would show in ps).
 * 0, or -1 with the reason in Chinese in why. */
static int read_token(const char *path, char *out, size_t size, char *why, size_t whylen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat stbuf;
	if (fd < 0 || fstat(fd, &stbuf) != 0) {
		if (fd >= 0)
			close(fd);
		snprintf(why, whylen, "无法读取令牌文件：%s", path);
		return -1;
	}
	if (stbuf.st_mode & 077) {
		close(fd);
		snprintf(why, whylen, "令牌文件 %s 不得允许他人读取（chmod 600）", path);
		return -1;
	}
	ssize_t n = read(fd, out, size - 1);
	close(fd);
	if (n < 0)
		n = 0;
	out[n] = '\0';
	while (n > 0 && isspace((unsigned char)out[n - 1]))
		out[--n] = '\0';
	int ok = n >= 16 && (size_t)n < size - 1;
	for (ssize_t i = 0; ok && i < n; i++)
		ok = isgraph((unsigned char)out[i]);
	if (!ok) {
		mem_wipe(out, size);
		snprintf(why, whylen, "令牌文件 %s 应为一行 16–128 个可见字符", path);
		return -1;
	}
	return 0;
}

int cli_serve(const char *db_path, const char *key_file, const char *listen, const char *portal)
{
	struct serve_options opts = SERVE_OPTIONS_DEFAULT;
	opts.portal = portal;
	return cli_serve_with(db_path, key_file, listen, NULL, 0, 0, &opts);
}

int cli_serve_with(const char *db_path, const char *key_file, const char *listen,
		   const char *const *public_hosts, size_t n_public_hosts, unsigned threads,
		   const struct serve_options *opts)
{
	struct server_config cfg = {0};
	char host[256], portal_host[256], err[512], token[130], origin[300] = "";
	sigset_t signals;
	/* Before any thread starts, so that every thread inherits the mask: a SIGHUP during the
	 * start (default action: end the process) waits for server_run, which reloads. */
	server_block_signals(&signals);
	if (opts->log_file && log_open_file(opts->log_file) != 0) {
		fprintf(stderr, "vets: 无法打开日志文件 %s：%s\n", opts->log_file, strerror(errno));
		return 1;
	}
	if (server_parse_listen(listen, &cfg.host, &cfg.port, host, sizeof(host)) != 0)
		return cli_usage_error("监听地址应为 HOST:PORT，如 127.0.0.1:8080");
	if (opts->portal && server_parse_listen(opts->portal, &cfg.portal_host, &cfg.portal_port,
						portal_host, sizeof(portal_host)) != 0)
		return cli_usage_error("--portal 应为 HOST:PORT，如 0.0.0.0:8081");
	cfg.secure_cookie = opts->secure_cookie;
	struct outbox_sender sms = {opts->sms_command, opts->sms_url, opts->sms_file};
	outbox_sender_from_env(&sms);
	if (cli_sms_check(&sms))
		return 2;
	outbox_sender_set(&sms);
	cfg.run_jobs = !opts->no_jobs;
	for (size_t i = 0; i < n_public_hosts && i < SERVER_MAX_PUBLIC_HOSTS; i++) {
		const char *name = public_hosts[i];
		/* "https://name" names the host and says the site is reached over https. */
		if (strncmp(name, "https://", 8) == 0) {
			name += 8;
			cfg.secure_cookie = 1;
		} else if (strncmp(name, "http://", 7) == 0) {
			name += 7;
		}
		if (!*name || strchr(name, '/'))
			return cli_usage_error("--public-host 应为域名，或 https://域名");
		cfg.public_hosts[cfg.n_public_hosts++] = name;
		if (!*origin) /* the portal's pages show the first as their address */
			snprintf(origin, sizeof(origin), "%s%s",
				 strncmp(public_hosts[i], "https://", 8) == 0 ? "https://" : "http://",
				 name);
	}
	portal_configure(*origin ? origin : NULL, opts->portal_min_fill, opts->portal_posts,
			 opts->portal_cache);
	/* each as inet_ntop prints it, so that it compares equal to a connection's address */
	static char proxies[SERVER_MAX_PUBLIC_HOSTS][INET6_ADDRSTRLEN];
	for (size_t i = 0; i < opts->n_trusted_proxies; i++) {
		unsigned char addr[16];
		int family = inet_pton(AF_INET, opts->trusted_proxies[i], addr) == 1    ? AF_INET
			     : inet_pton(AF_INET6, opts->trusted_proxies[i], addr) == 1 ? AF_INET6
											  : 0;
		if (!family || !inet_ntop(family, addr, proxies[i], sizeof(proxies[i])))
			return cli_usage_error("--trusted-proxy 应为 IP 地址，如 127.0.0.1");
		cfg.trusted_proxies[cfg.n_trusted_proxies++] = proxies[i];
	}
	if (opts->metrics_token_file) {
		char why[600];
		if (read_token(opts->metrics_token_file, token, sizeof(token), why, sizeof(why)) != 0)
			return fprintf(stderr, "vets: %s\n", why), 1;
		cfg.metrics_token = token;
		token_path = opts->metrics_token_file;
	}
	cfg.reload = reload;
	cfg.login_per_minute = opts->login_per_minute < 0 ? AUTH_LOGIN_PER_MINUTE
							  : (unsigned)opts->login_per_minute;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	cfg.threads = threads ? threads : (unsigned)(cores > 2 ? cores * 2 : 4);
	/* Uploaded files live beside a database file; a server's database has no such place. */
	const char *files_dir = opts->files_dir ? opts->files_dir : getenv("VETS_FILES_DIR");
	if (files_dir && !*files_dir)
		files_dir = NULL;
	if (!files_dir && db_is_server_uri(db_path)) {
		fputs("vets: 数据库在服务器上时必须用 --files-dir 路径（或环境变量 VETS_FILES_DIR）"
		      "指定上传文件的存放目录\n",
		      stderr);
		return 2;
	}
	struct db *db;
	struct crypto_keys keys;
	int opened = cli_open(db_path, key_file, &db, &keys);
	if (opened != 0)
		return opened;
	char bureau[256];
	if (settings_get(db, SETTINGS_BUREAU_NAME, bureau, sizeof(bureau)) == 0)
		page_set_bureau(bureau);
	db_close(db);
	if (page_init(err, sizeof(err)) != 0) {
		fprintf(stderr, "vets: 模板编译失败：%s\n", err);
		return 1;
	}
	char files[512];
	snprintf(files, sizeof(files), "%s.files", db_path);
	death_report_set_files_dir(files_dir ? files_dir : files);
	db_thread_init(db_path);
	outbox_sender_start(); /* a server that can't send still serves: messages wait */
	int rc = server_run(&cfg);
	outbox_sender_stop();
	page_free();
	mem_wipe(token, sizeof(token));
	return rc;
}

int cmd_serve(int argc, char **argv)
{
	const char *db = NULL, *key = NULL, *listen = "127.0.0.1:8080", *threads = NULL;
	const char *throttle = NULL;
	struct serve_options opts = SERVE_OPTIONS_DEFAULT;
	const char *min_fill = NULL, *posts = NULL, *cache = NULL;
	struct outbox_sender sms = {0};
	const char *hosts[SERVER_MAX_PUBLIC_HOSTS];
	size_t n_hosts = 0;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return fputs(usage, stdout), 0;
		if (strcmp(argv[i], "--secure-cookie") == 0) {
			opts.secure_cookie = 1;
			continue;
		}
		if (strcmp(argv[i], "--no-jobs") == 0) {
			opts.no_jobs = 1;
			continue;
		}
		const char *host = NULL;
		int m = cli_store_opt(argc, argv, &i, &db, &key);
		if (!m)
			m = cli_sms_opt(argc, argv, &i, &sms);
		if (!m)
			m = cli_opt(argc, argv, &i, "metrics-token-file", &opts.metrics_token_file);
		if (!m)
			m = cli_opt(argc, argv, &i, "login-throttle", &throttle);
		if (!m)
			m = cli_opt(argc, argv, &i, "files-dir", &opts.files_dir);
		if (!m)
			m = cli_opt(argc, argv, &i, "log-file", &opts.log_file);
		if (!m)
			m = cli_opt(argc, argv, &i, "listen", &listen);
		if (!m)
			m = cli_opt(argc, argv, &i, "threads", &threads);
		if (!m)
			m = cli_opt(argc, argv, &i, "portal", &opts.portal);
		if (!m)
			m = cli_opt(argc, argv, &i, "portal-min-fill", &min_fill);
		if (!m)
			m = cli_opt(argc, argv, &i, "portal-post-limit", &posts);
		if (!m)
			m = cli_opt(argc, argv, &i, "portal-cache", &cache);
		const char *proxy = NULL;
		if (!m && (m = cli_opt(argc, argv, &i, "trusted-proxy", &proxy)) == 1) {
			if (opts.n_trusted_proxies == SERVER_MAX_PUBLIC_HOSTS)
				return cli_usage_error("--trusted-proxy 最多 %d 个",
						       SERVER_MAX_PUBLIC_HOSTS);
			opts.trusted_proxies[opts.n_trusted_proxies++] = proxy;
		}
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
	int64_t per_minute = 0;
	if (throttle && str_to_i64(throttle, strlen(throttle), 0, 100000, &per_minute) != 0)
		return cli_usage_error("--login-throttle 应为 0 到 100000 之间的整数");
	if (throttle)
		opts.login_per_minute = (int)per_minute;
	int64_t v = 0;
	if (min_fill && str_to_i64(min_fill, strlen(min_fill), 0, 600, &v) != 0)
		return cli_usage_error("--portal-min-fill 应为 0 到 600 之间的秒数");
	if (min_fill)
		opts.portal_min_fill = (int)v;
	if (posts && str_to_i64(posts, strlen(posts), 0, 100000, &v) != 0)
		return cli_usage_error("--portal-post-limit 应为 0 到 100000 之间的整数");
	if (posts)
		opts.portal_posts = (int)v;
	if (cache && str_to_i64(cache, strlen(cache), 0, 3600, &v) != 0)
		return cli_usage_error("--portal-cache 应为 0 到 3600 之间的秒数");
	if (cache)
		opts.portal_cache = (int)v;
	opts.sms_command = sms.command;
	opts.sms_url = sms.url;
	opts.sms_file = sms.file;
	return cli_serve_with(cli_db_path(db), key, listen, hosts, n_hosts, (unsigned)n, &opts);
}

int cmd_routes(int argc, char **argv)
{
	if (argc > 0)
		return fputs("用法：vets routes\n  "
			     "列出全部路由：方法、路径、所需权限（public 为公开）；接口标 api，门户监听的标 portal。\n",
			     stdout),
		       argc == 1 && strcmp(argv[0], "--help") == 0 ? 0 : 2;
	const struct route *r;
	for (size_t i = 0; (r = router_route(i)); i++)
		printf("%s %s %s%s%s\n", r->method, r->pattern,
		       r->perm ? perm_name(r->perm) : "public", r->flags & ROUTE_API ? " api" : "",
		       r->flags & ROUTE_PORTAL ? " portal" : "");
	return 0;
}
