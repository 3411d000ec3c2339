/* outbox.c - "vets outbox send": sends the messages that are due once (cron), and the
 * options that say where messages go, shared with vets serve. */
#include "cli.h"
#include "areas/outbox.h"
#include "lib/err.h"
#include "lib/mem.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"用法：vets outbox send [--db 路径] [--key-file 路径] [--sms-command 命令 | --sms-url 网址 |\n"
	"                       --sms-file 路径]\n"
	"\n"
	"受理件、信访件状态变化时给申请人的短信先存入待发队列，由 vets serve 随时发出；\n"
	"未运行 vets serve 发送（或由 cron 发送）时，用本命令把已到时的短信发送一遍后退出。\n"
	"发送失败的按 1 分钟、5 分钟、30 分钟、2 小时、6 小时后重试，仍失败的标为“发送失败”。\n"
	"\n"
	"选项：\n"
	"  --sms-command 命令  由 /bin/sh 运行，标准输入为一行 JSON：{\"phone\",\"text\",\"id\"}；\n"
	"                      退出码 0 为已发送，10 秒未完成即终止（环境变量 VETS_SMS_COMMAND）\n"
	"  --sms-url 网址      把这行 JSON 以 POST 发给短信网关，答复 2xx 为已发送（VETS_SMS_URL）\n"
	"  --sms-file 路径     把这行 JSON 追加到文件（供测试或由网关读取，VETS_SMS_FILE）\n"
	"  --db 路径           数据库文件（默认取环境变量 VETS_DB，否则为 vets.db）\n"
	"  --key-file 路径     密钥文件（默认取环境变量 VETS_KEY_FILE，否则为数据库路径加 .key）\n"
	"  --help              显示本帮助\n"
	"\n"
	"退出码：0 成功（个别短信未发出也是成功，见输出）；1 未配置发送方式或无法打开数据库；\n"
	"2 用法错误。\n";

int cli_sms_opt(int argc, char **argv, int *i, struct outbox_sender *s)
{
	int m = cli_opt(argc, argv, i, "sms-command", &s->command);
	if (!m)
		m = cli_opt(argc, argv, i, "sms-url", &s->url);
	if (!m)
		m = cli_opt(argc, argv, i, "sms-file", &s->file);
	return m;
}

int cli_sms_check(const struct outbox_sender *s)
{
	int n = (s->command && *s->command) + (s->url && *s->url) + (s->file && *s->file);
	if (n > 1)
		return cli_usage_error("--sms-command、--sms-url、--sms-file 只能指定一个");
	if (s->url && *s->url && strncmp(s->url, "http://", 7) != 0 &&
	    strncmp(s->url, "https://", 8) != 0)
		return cli_usage_error("--sms-url 应以 http:// 或 https:// 开头");
	return 0;
}

/* Sends rounds until one finds fewer than a full round due. */
static int send_due(struct db *db)
{
	struct outbox_round r, all = {0};
	int rc;
	do {
		rc = outbox_send_due(db, 16, &r);
		all.claimed += r.claimed;
		all.sent += r.sent;
		all.retry += r.retry;
		all.failed += r.failed;
	} while (!rc && r.claimed == 16);
	if (rc == VE_CONFLICT) {
		fputs("vets: 未配置短信发送方式（--sms-command、--sms-url 或 --sms-file）\n",
		      stderr);
		return 1;
	}
	if (rc) {
		fputs("vets: 发送时数据库出错，未发完的短信稍后再发\n", stderr);
		return 1;
	}
	printf("经 %s：发送 %d 条，成功 %d 条，稍后重试 %d 条，发送失败 %d 条\n",
	       outbox_sender_title(), all.claimed, all.sent, all.retry, all.failed);
	return 0;
}

int cmd_outbox(int argc, char **argv)
{
	if (argc < 1)
		return cli_usage_error("请指定子命令：send");
	if (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)
		return fputs(usage_text, stdout), 0;
	if (strcmp(argv[0], "send") != 0)
		return cli_usage_error("未知的子命令：%s", argv[0]);
	const char *db_opt = NULL, *key_opt = NULL;
	struct outbox_sender s = {0};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return fputs(usage_text, stdout), 0;
		int got = cli_store_opt(argc, argv, &i, &db_opt, &key_opt);
		if (!got)
			got = cli_sms_opt(argc, argv, &i, &s);
		if (got < 0)
			return 2;
		if (!got)
			return cli_usage_error("未知的参数：%s", argv[i]);
	}
	outbox_sender_from_env(&s);
	if (cli_sms_check(&s))
		return 2;
	signal(SIGPIPE, SIG_IGN); /* a command that exits before reading its line */
	outbox_sender_set(&s);
	struct db *db = NULL;
	struct crypto_keys keys;
	int status = cli_open(cli_db_path(db_opt), key_opt, &db, &keys);
	if (!status)
		status = send_due(db);
	mem_wipe(&keys, sizeof(keys));
	db_close(db);
	return status;
}
