/* demo_consultations.c - the demo's 意见征集: a consultation on a start-up support rule that
 * closed six weeks ago, its comments moderated (published, not published with reasons)
 * and the summary of what was adopted; and one on the service stations, open now, with
 * published comments and some still waiting for moderation. Texts written for the demo;
 * the comments' senders are fictional (documentation addresses, 203.0.113.0/24). */
#include "demo_consultations.h"
#include "areas/consultation.h"
#include "areas/petition.h"
#include "lib/clock.h"
#include "lib/err.h"

#include <stdio.h>
#include <string.h>

static const char STARTUP_TITLE[] = "《区退役军人创业扶持办法（征求意见稿）》";
static const char STARTUP_BODY[] =
	"为鼓励和支持退役军人自主创业，发挥退役军人在全区经济社会发展中的积极作用，根据《中华人民"
	"共和国退役军人保障法》和省、市有关规定，结合本区实际，制定本办法。\n\n"
	"## 第一章 扶持对象\n\n"
	"第一条 本办法所称退役军人，是指户籍在本区、依法退出现役的军官、军士和义务兵。\n\n"
	"第二条 退役军人在本区登记注册个体工商户、小微企业或者农民专业合作社，并担任法定代表人"
	"或者主要负责人的，可以申请本办法规定的扶持。\n\n"
	"## 第二章 扶持措施\n\n"
	"第三条 创业补贴。首次创业且正常经营满 6 个月的，给予一次性创业补贴 5000 元。\n\n"
	"第四条 场地租金补贴。入驻区退役军人创业孵化基地的，前两年场地租金全额补贴，第三年补贴"
	"50%。\n\n"
	"第五条 创业担保贷款。个人可申请不超过 30 万元、小微企业不超过 300 万元的创业担保贷款，"
	"按规定给予贴息。\n\n"
	"第六条 创业培训。每年组织不少于 2 期创业培训，培训合格的按规定给予培训补贴。\n\n"
	"## 第三章 申请和审核\n\n"
	"第七条 申请人向所在街道退役军人服务站提交申请，服务站初审后报区退役军人事务局审核，"
	"审核结果公示 5 个工作日。\n\n"
	"## 第四章 附则\n\n"
	"第八条 本办法自印发之日起施行，有效期 3 年。";

static const char STARTUP_SUMMARY[] =
	"本次征求意见期间共收到意见 6 条，经审核公开 4 条。现将采纳情况说明如下：\n\n"
	"## 已采纳\n\n"
	"- 关于将“正常经营满 6 个月”改为“正常经营满 3 个月”的意见：已采纳，以便尽早兑现补贴，"
	"减轻初创期资金压力。\n"
	"- 关于在各街道服务站公布申请材料清单和办理时限的意见：已采纳，将在《办事指南》中载明，"
	"并在门户“办事指南”栏目公开。\n"
	"- 关于增加网店等新业态的意见：已采纳，第二条增加“依法办理经营者登记的网络经营主体”。\n\n"
	"## 未采纳及理由\n\n"
	"- 关于将创业补贴提高至 2 万元的意见：暂不采纳。补贴标准须与区级财政预算和周边区县标准"
	"相衔接，实施一年后将结合评估情况研究调整。\n\n"
	"修改后的办法将于近期印发施行。感谢各位退役军人和社会各界的关心与支持。";

static const char STATION_TITLE[] = "《关于进一步做好退役军人服务站建设的实施意见（征求意见稿）》";
static const char STATION_BODY[] =
	"为进一步健全区、街道、社区三级退役军人服务保障体系，推动服务站规范化建设，提升服务质量，"
	"提出以下实施意见。\n\n"
	"## 一、建设标准\n\n"
	"1. 每个街道服务站配备专职工作人员不少于 2 名，社区服务站明确 1 名专（兼）职工作人员。\n"
	"2. 服务站设置政策咨询、业务办理、困难帮扶、就业创业服务等功能区，办公面积不少于 30 平方米。\n"
	"3. 服务站统一标识，公开服务事项、办理流程、办理时限和监督电话。\n\n"
	"## 二、服务内容\n\n"
	"- 政策宣传和咨询，帮助退役军人及其家属了解优待抚恤、就业创业等政策；\n"
	"- 代办优抚对象待遇申请、年度确认等事项；\n"
	"- 走访慰问困难退役军人、重点优抚对象，建立帮扶台账；\n"
	"- 收集退役军人意见建议，及时反映诉求。\n\n"
	"## 三、工作机制\n\n"
	"服务站实行首问负责、限时办结和好差评制度。对行动不便的老年优抚对象，提供上门服务。\n\n"
	"## 四、保障措施\n\n"
	"区财政按每个街道服务站每年 3 万元、社区服务站每年 5000 元的标准安排工作经费，专款专用。";

struct demo_comment {
	int day;          /* days after the opening */
	const char *name; /* "" when none was given */
	const char *text;
	const char *decision; /* "publish", "reject" or NULL (left pending) */
	const char *reason;   /* when rejected */
};

static const struct demo_comment startup_comments[] = {
	{2, "王建军",
	 "建议将第三条“正常经营满 6 个月”改为“满 3 个月”。初创企业前几个月资金最紧张，补贴早一点到位"
	 "作用更大。",
	 "publish", NULL},
	{5, "",
	 "希望各街道服务站把申请要带的材料列一张清单贴出来，最好写明多少个工作日办完，免得来回跑。",
	 "publish", NULL},
	{9, "李女士",
	 "我爱人是退役军人，在网上开了一家农产品网店，没有实体店面，不知道算不算第二条说的创业。"
	 "建议明确网店也可以申请。",
	 "publish", NULL},
	{12, "张",
	 "5000 元太少了，周边有的区县已经给到 1 万元以上，建议提高到 2 万元。", "publish", NULL},
	{15, "",
	 "我的退役金三个月没有发了，请尽快帮我查一下，电话 138****。", "reject",
	 "个人待遇问题与本征求意见稿无关，已请其通过区长信箱或服务站反映"},
	{20, "", "好好好好好好好好好好", "reject", "内容与征求意见稿无关"},
};

static const struct demo_comment station_comments[] = {
	{1, "赵师傅",
	 "社区服务站的工作人员大多是兼职，经常找不到人。建议公布值班时间和联系电话。", "publish",
	 NULL},
	{3, "",
	 "建议对 80 岁以上的老年优抚对象，年度确认也可以由服务站上门办理，不必本人到现场。",
	 "publish", NULL},
	{6, "退役士兵小刘",
	 "希望服务站能定期发布招聘信息，和本地企业对接，组织专场招聘会。", NULL, NULL},
	{8, "", "第四条的工作经费标准能否根据服务对象人数分档确定？人数多的街道任务重。", NULL,
	 NULL},
};

/* Sends the comments of list (n) to consultation id opened on opens, and moderates them as
 * listed. 0, or 1 with the reason printed. */
static int comment_all(struct db *db, const struct principal *clerk, int64_t id,
		       const char *opens, const struct demo_comment *list, size_t n)
{
	int64_t opened = 0;
	clock_parse_date(opens, &opened);
	for (size_t i = 0; i < n; i++) {
		char ip[32], err[256] = "";
		snprintf(ip, sizeof(ip), "203.0.113.%zu", 10 + i * 7);
		struct audit_actor who = {0, "公众", ip, ""};
		struct field_errors fe = {0};
		int64_t cid = 0, of = 0;
		/* between 09:00 and 21:00 Beijing time of its day */
		int64_t at = opened + (int64_t)list[i].day * 86400 + 3600 * (9 + (int64_t)(i * 5) % 12) +
			     60 * (int64_t)((i * 17) % 60);
		if (consultation_comment_at(db, &who, id, list[i].name, list[i].text, at, &cid, &fe,
					    err, sizeof(err)) != 0)
			return fprintf(stderr, "vets: 演示意见：%s\n", err), 1;
		if (!list[i].decision)
			continue;
		int publish = strcmp(list[i].decision, "publish") == 0;
		if (consultation_moderate(db, clerk, cid, publish, list[i].reason, &of, &fe, err,
					  sizeof(err)) != 0)
			return fprintf(stderr, "vets: 演示意见审核：%s\n", err), 1;
	}
	return 0;
}

int demo_consultations(struct db *db, const struct principal *clerk)
{
	char today[11], opens[11], closes[11], err[256] = "";
	struct field_errors fe = {0};
	int64_t id = 0;
	snprintf(today, sizeof(today), "%s", clock_today_text());

	/* closed: open for 30 days, closed 45 days ago. Created open, then given its dates (a
	 * new consultation can't be created already closed). */
	petition_day_add(today, -75, opens);
	petition_day_add(today, -46, closes);
	struct consultation_in startup = {STARTUP_TITLE, STARTUP_BODY, today, today};
	if (consultation_save(db, clerk, 0, &startup, &id, &fe, err, sizeof(err)) != 0)
		return fprintf(stderr, "vets: 演示意见征集：%s\n", err), 1;
	startup.opens_on = opens;
	startup.closes_on = closes;
	if (consultation_save(db, clerk, id, &startup, &id, &fe, err, sizeof(err)) != 0 ||
	    comment_all(db, clerk, id, opens, startup_comments,
			sizeof(startup_comments) / sizeof(startup_comments[0])) != 0 ||
	    consultation_set_summary(db, clerk, id, STARTUP_SUMMARY, &fe, err, sizeof(err)) != 0)
		return fprintf(stderr, "vets: 演示意见征集：%s\n", err), 1;

	/* open: opened 10 days ago, closes in 20 days */
	petition_day_add(today, -10, opens);
	petition_day_add(today, 20, closes);
	struct consultation_in station = {STATION_TITLE, STATION_BODY, opens, closes};
	if (consultation_save(db, clerk, 0, &station, &id, &fe, err, sizeof(err)) != 0 ||
	    comment_all(db, clerk, id, opens, station_comments,
			sizeof(station_comments) / sizeof(station_comments[0])) != 0)
		return fprintf(stderr, "vets: 演示意见征集：%s\n", err), 1;
	return 0;
}
