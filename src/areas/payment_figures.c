/* payment_figures.c - the year's figures of 待遇发放 (areas/figure.h): the lines paid, one
 * 人次 a line, split as the annual report splits them: 优抚 (every benefit but the two of
 * 义务兵 and the 待安置期生活费 of 安置), 义务兵家庭优待金, 一次性入伍奖励金.
 *
 * A line counts as pay_stats counts its "payments" (vets stats benefits, /stats/benefits):
 * status 已发, in a batch whose period (the month it was generated for) lies in the year,
 * narrowed by the line's region; so the two never disagree. A failed line repaid later counts
 * once, in the year of the batch that paid it. */
#include "payment.h"
#include "areas/figure.h"

/* The year's paid lines of the benefits cond selects (over l.benefit_code). */
#define PAID_ROWS(cond)                                                                            \
	"SELECT l.id AS line_id, b.period AS period, t.name AS benefit, p.name AS name, "          \
	"coalesce(s.name, '') AS street, l.amount_fen AS amount_fen FROM k CROSS JOIN pay_batches " \
	"b CROSS JOIN pay_lines l JOIN benefit_types t ON t.code = l.benefit_code JOIN persons p " \
	"ON p.id = l.person_id LEFT JOIN regions s ON s.code = l.street_code WHERE l.batch_id = "  \
	"b.id AND l.status = '" PAY_LINE_PAID "' AND b.period >= substr(k.ys, 1, 7) AND "     \
	"b.period <= substr(k.ye, 1, 7) AND " cond " AND " FIGURE_SCOPE("l.region_code", "0")
#define PAID_COLUMNS                                                                               \
	"line_id:发放明细编号,period:批次月份,benefit:待遇,name:姓名,street:街道,"                 \
	"amount_fen:金额（分）"

static const struct figure figures[] = {
	FIGURE_ROWS("benefit_payments", "发放优抚金", "人次",
		    "批次月份在本年度、银行回盘为已发的发放明细，每条计 1 人次（同一人每月各计 1 "
		    "人次）；含残疾抚恤金、定期抚恤金、定期生活补助等各类优抚金及其补发、丧葬补助，"
		    "不含义务兵家庭优待金、一次性入伍奖励金，也不含待安置期生活费（属安置）；发放失败的"
		    "不计，重新发放成功的计入重新发放批次的年度",
		    PAID_ROWS("l.benefit_code NOT IN ('CONSCRIPT', 'ENLIST_BONUS', 'PLACEMENT_WAIT')"),
		    "period, line_id", PAID_COLUMNS),
	FIGURE_ROWS("conscript_allowance_payments", "发放义务兵家庭优待金", "人次",
		    "批次月份在本年度、银行回盘为已发的义务兵家庭优待金发放明细，每条计 1 人次（每名义务兵"
		    "自入伍当月起每服役一年发放一次）；发放失败的不计，重新发放成功的计入重新发放批次的年度",
		    PAID_ROWS("l.benefit_code = 'CONSCRIPT'"), "period, line_id", PAID_COLUMNS),
	FIGURE_ROWS("enlistment_bonus_payments", "发放一次性入伍奖励金", "人次",
		    "批次月份在本年度、银行回盘为已发的一次性入伍奖励金发放明细，每条计 1 人次（每名义务兵"
		    "入伍当月发放一次）；发放失败的不计，重新发放成功的计入重新发放批次的年度",
		    PAID_ROWS("l.benefit_code = 'ENLIST_BONUS'"), "period, line_id", PAID_COLUMNS),
	{0},
};

const struct figure_set payment_figures = {
	.area = "payments",
	.title = "待遇发放",
	.perm = PERM_STATS_READ,
	.figures = figures,
	.rates = NULL,
	.paragraph = "坚持精准发放、阳光发放，优抚资金全部经经办人生成批次、复核人复核、审批人审批后由银行"
		     "代发到人。全年发放各类优抚金 {benefit_payments} 人次，发放义务兵家庭优待金 "
		     "{conscript_allowance_payments} 人次、一次性入伍奖励金 {enlistment_bonus_payments} "
		     "人次；银行回盘失败的逐笔核实后重新发放，做到不错发、不漏发、不重发。",
};
