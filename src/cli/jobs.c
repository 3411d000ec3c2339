/* jobs.c - "vets jobs": the timed jobs, their last and next runs, and a run now (cron). */
#include "cli.h"
#include "areas/job.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/mem.h"

#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"用法：vets jobs list [--db 路径] [--key-file 路径]\n"
	"      vets jobs run 任务名 [--db 路径] [--key-file 路径]\n"
	"\n"
	"定时任务由 vets serve 按时运行；停机期间错过的，下次启动时补运行一次（只补最近一次）。\n"
	"\n"
	"子命令：\n"
	"  list              列出全部定时任务：运行时间（北京时间）、上次运行及结果、下次运行\n"
	"  run 任务名        立即运行一次（供 cron 调用）：运行最近一个已到的计划时间；\n"
	"                    该时间已运行过（或另一进程正在运行）时不再重复运行\n"
	"\n"
	"选项：\n"
	"  --db 路径         数据库文件（默认取环境变量 VETS_DB，否则为 vets.db）\n"
	"  --key-file 路径   密钥文件（默认取环境变量 VETS_KEY_FILE，否则为数据库路径加 .key）\n"
	"  --help            显示本帮助\n"
	"\n"
	"退出码：0 成功；1 运行失败、已运行过或无法打开数据库；2 用法错误（含未知的任务名）。\n";

static int is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

/* Prints one job: name, title, schedule, last run, next run, tab-separated. */
static int list_one(struct db *db, const struct job *job, int64_t now)
{
	struct job_last last;
	char when[32], at[17], next[17];
	if (job_last_run(db, job, &last) != 0) {
		fprintf(stderr, "vets: 无法读取任务 %s 的运行记录\n", job->name);
		return 1;
	}
	job_schedule_text(&job->schedule, when, sizeof(when));
	clock_local_minute(job_slot_after(&job->schedule, now), next);
	printf("%s\t%s\t%s\t", job->name, job->title, when);
	if (last.scheduled_for) {
		clock_local_minute(last.scheduled_for, at);
		printf("%s %s（%s）：%s\t", at, strcmp(last.result, "ok") == 0 ? "成功" : "失败",
		       job_origin_title(last.origin), last.detail);
	} else {
		fputs("未运行过\t", stdout);
	}
	printf("%s\n", next);
	return 0;
}

static int list(struct db *db)
{
	const struct job *job;
	int64_t now = clock_now();
	puts("任务\t名称\t运行时间\t上次运行\t下次运行");
	for (size_t i = 0; (job = job_at(i)); i++)
		if (list_one(db, job, now) != 0)
			return 1;
	return 0;
}

static int run(struct db *db, const struct job *job)
{
	char detail[256], at[17];
	int64_t slot = job_slot_at(&job->schedule, clock_now());
	clock_local_minute(slot, at);
	int rc = job_run_slot(db, job, slot, JOB_COMMAND, detail, sizeof(detail));
	if (rc == 0) {
		printf("已运行“%s”（计划时间 %s）：%s\n", job->title, at, detail);
		return 0;
	}
	if (rc == VE_EXISTS)
		fprintf(stderr, "vets: %s\n", detail);
	else
		fprintf(stderr, "vets: “%s”（计划时间 %s）运行失败：%s\n", job->title, at, detail);
	return 1;
}

/* Names the jobs there are, for a refusal of an unknown name. */
static int unknown_job(const char *name)
{
	const struct job *job;
	fprintf(stderr, "vets: 没有名为“%s”的定时任务。现有的任务：", name);
	for (size_t i = 0; (job = job_at(i)); i++)
		fprintf(stderr, "%s%s（%s）", i ? "、" : "", job->name, job->title);
	fputs("（用 vets jobs list 查看）\n", stderr);
	return 2;
}

int cmd_jobs(int argc, char **argv)
{
	if (argc < 1)
		return cli_usage_error("请指定子命令：list 或 run");
	if (is_help(argv[0]))
		return fputs(usage_text, stdout), 0;
	int is_list = strcmp(argv[0], "list") == 0, is_run = strcmp(argv[0], "run") == 0;
	if (!is_list && !is_run)
		return cli_usage_error("未知的子命令：%s", argv[0]);
	const char *db_opt = NULL, *key_opt = NULL, *name = NULL;
	for (int i = 1; i < argc; i++) {
		if (is_help(argv[i]))
			return fputs(usage_text, stdout), 0;
		int got = cli_store_opt(argc, argv, &i, &db_opt, &key_opt);
		if (got < 0)
			return 2;
		if (got)
			continue;
		if (!is_run || name || argv[i][0] == '-')
			return cli_usage_error("未知的参数：%s", argv[i]);
		name = argv[i];
	}
	const struct job *job = NULL;
	if (is_run && !name)
		return cli_usage_error("请指定要运行的任务名");
	if (is_run && !(job = job_find(name)))
		return unknown_job(name);
	struct db *db = NULL;
	struct crypto_keys keys;
	int status = 1;
	int opened = cli_open(cli_db_path(db_opt), key_opt, &db, &keys);
	status = opened ? opened : is_list ? list(db) : run(db, job);
	mem_wipe(&keys, sizeof(keys));
	db_close(db);
	return status;
}
