/* petition_figures.c - the year's figures of 信访 as a figure set (areas/figure.h), for the
 * annual report and the dashboard: received, accepted, closed, replied and the reply rate,
 * by the definitions petition_stats.c counts with (petition_internal.h), so the set and
 * `vets stats petitions` print the same numbers. Its lists leave out the writer's name and
 * the subject: the petition's own page shows them to those who may see them. */
#include "petition.h"
#include "petition_internal.h"
#include "areas/figure.h"

#define PETITION_ROWS(cond)                                                                        \
	"SELECT p.id AS petition_id, p.code AS code, p.source AS source, p.status AS status, "     \
	"p.received_on AS received_on, p.decided_on AS decided_on, p.closed_on AS closed_on, "     \
	"p.replied_on AS replied_on FROM k CROSS JOIN petitions p WHERE " PETITION_RECEIVED_SQL   \
	" AND " cond " AND " FIGURE_SCOPE("p.region_code", "p.created_by")
#define PETITION_COLUMNS                                                                           \
	"petition_id:编号,code:信访件编号,source:来源,status:状态,received_on:收到日期,"          \
	"decided_on:受理决定日期,closed_on:办结日期,replied_on:答复日期"

static const struct figure figures[] = {
	FIGURE_ROWS("petitions_received", "收到信访件", "件",
		    "收到日期在本年度的信访件（来信、来访、来电、网上信访、区长信箱各种来源），每件计 1 件",
		    PETITION_ROWS("1 = 1"), "received_on, petition_id", PETITION_COLUMNS),
	FIGURE_ROWS("petitions_accepted", "受理信访件", "件",
		    "本年度收到的信访件中，受理结论为受理的件数（不予受理的不计）",
		    PETITION_ROWS(PETITION_ACCEPTED_SQL), "received_on, petition_id",
		    PETITION_COLUMNS),
	FIGURE_ROWS("petitions_closed", "办结信访件", "件",
		    "本年度收到并受理的信访件中，办结日期不晚于统计截止日（本年 12 月 31 日，当年为今天）"
		    "的件数",
		    PETITION_ROWS(PETITION_CLOSED_SQL), "received_on, petition_id", PETITION_COLUMNS),
	FIGURE_ROWS("petitions_replied", "答复信访件", "件",
		    "本年度收到并受理的信访件中，已向信访人出具答复意见、答复日期不晚于统计截止日的件数",
		    PETITION_ROWS(PETITION_REPLIED_SQL), "received_on, petition_id", PETITION_COLUMNS),
	{0},
};

static const struct figure_rate rates[] = {
	{"petition_reply_rate", "信访办结回复率",
	 "已答复的信访件 ÷ 受理的信访件（均为本年度收到的），与信访统计页的回复率同一口径",
	 "petitions_replied", "petitions_accepted"},
	{0},
};

const struct figure_set petition_figure_set = {
	.area = "petition",
	.title = "信访",
	.perm = PERM_PETITION_READ,
	.figures = figures,
	.rates = rates,
	.paragraph = "畅通信访渠道，依法分类处理信访诉求，落实首办责任和办理时限。全年收到信访件 "
		     "{petitions_received} 件，依法受理 {petitions_accepted} 件，办结 "
		     "{petitions_closed} 件，向信访人出具答复意见 {petitions_replied} 件，办结回复率 "
		     "{petition_reply_rate}。",
};
