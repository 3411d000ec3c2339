/* main.c - the vets program: dispatches to a command group. */
#include "cli/cli.h"
#include "lib/log.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"退役军人服务保障平台 vets " VETS_VERSION "\n"
	"用法：vets COMMAND [选项]\n"
	"  init      创建或升级数据库，生成密钥文件\n"
	"  serve     运行网站\n"
	"  demo      生成示范区数据并运行网站\n"
	"  user      账号：user add / user passwd\n"
	"  audit     审计：audit verify / audit archive（归档超过保留期的记录）\n"
	"  region    区划：region import\n"
	"  import    导入：import persons FILE\n"
	"  export    导出：export persons FILE\n"
	"  conscript 义务兵优待：conscript import FILE / rule set / rules\n"
	"  standard  待遇标准：standard import FILE / approve / reject / list\n"
	"  pay       待遇发放：pay generate / review / approve / export / reconcile / list\n"
	"  stats     统计：stats benefits|… --year YYYY（vets stats --help 列出全部）\n"
	"  report    年度报告：report --year YYYY [--format json|html|docx]（vets report --help）\n"
	"  calendar  节假日日历：calendar import FILE / due DATE N / list\n"
	"  petition  信访：petition import FILE（统计：stats petitions）\n"
	"  qa        智能问答：qa import FILE / qa ask TEXT [--top N]（JSON）\n"
	"  jobs      定时任务：jobs list / jobs run NAME\n"
	"  service   服务事项目录：service import FILE / list / show CODE\n"
	"  discredit 失信名单：discredit import FILE / list\n"
	"  outbox    短信通知：outbox send（把到时的短信发送一遍，供 cron 调用）\n"
	"  db        数据库：db copy --from 源 --to 目标（SQLite 与 PostgreSQL 之间）\n"
	"  key       密钥：key rotate（轮换数据、索引与审计密钥）\n"
	"  backup    备份：backup --to 文件（运行中在线备份）/ backup --verify 文件\n"
	"  restore   恢复：restore 备份文件 --db 新数据库\n"
	"  routes    列出全部路由及其所需权限\n"
	"  --version 显示版本\n"
	"每个命令都支持 --help。\n";

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{"init", cmd_init},           {"serve", cmd_serve},   {"demo", cmd_demo},
	{"user", cmd_user},           {"audit", cmd_audit},   {"routes", cmd_routes},
	{"region", cmd_region},       {"import", cmd_import}, {"export", cmd_export},
	{"conscript", cmd_conscript}, {"pay", cmd_pay},       {"stats", cmd_stats},
	{"standard", cmd_standard},   {"jobs", cmd_jobs},     {"db", cmd_db},
	{"calendar", cmd_calendar},
	{"petition", cmd_petition},
	{"qa", cmd_qa},
	{"service", cmd_service},
	{"discredit", cmd_discredit},
	{"outbox", cmd_outbox},
	{"report", cmd_report},
	{"key", cmd_key},
	{"backup", cmd_backup},
	{"restore", cmd_restore},
};

int main(int argc, char **argv)
{
	log_init();
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("vets %s\n", VETS_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	/* A service is sent SIGHUP to reload and SIGTERM to stop from its first instant: held
	 * until vets serve listens and answers them (server_run), never the default's sudden end. */
	if (strcmp(argv[1], "serve") == 0) {
		sigset_t held;
		server_block_signals(&held);
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 2, argv + 2);
	fprintf(stderr, "vets: 未知命令：%s\n\n%s", argv[1], usage);
	return 2;
}
