/* care_figures.c - the year's figures of 关爱帮扶 (areas/figure.h): each one SELECT of the
 * rows it counts, so that a figure and its list can't disagree. */
#include "care.h"
#include "areas/figure.h"

/* People contacted under 常态化联系 in the year: one row per person. */
#define REGULAR_ROWS                                                                               \
	"SELECT c.person_id AS person_id, p.name AS name, min(c.region_code) AS region_code, "     \
	"count(*) AS contacts, max(c.contacted_on) AS last_contact FROM k CROSS JOIN care_contacts "\
	"c JOIN persons p ON p.id = c.person_id WHERE c.contacted_on >= k.ys AND "                 \
	"c.contacted_on <= k.ye AND " FIGURE_SCOPE("c.region_code", "c.created_by")                \
	" GROUP BY c.person_id, p.name"

/* People visited as 困难走访 in the year: one row per person. */
#define TEMPORARY_ROWS                                                                             \
	"SELECT v.person_id AS person_id, p.name AS name, min(v.region_code) AS region_code, "     \
	"count(*) AS visits, CAST(sum(v.money) AS BIGINT) AS money, max(v.visited_on) AS last_visit FROM "         \
	"k CROSS JOIN care_visits v JOIN persons p ON p.id = v.person_id WHERE v.kind = "          \
	"'" CARE_TEMPORARY "' AND v.visited_on >= k.ys AND v.visited_on <= k.ye AND "              \
	FIGURE_SCOPE("v.region_code", "v.created_by") " GROUP BY v.person_id, p.name"

/* Holiday visits in the year: one row per visit (人次). */
#define HOLIDAY_ROWS                                                                               \
	"SELECT v.id AS visit_id, v.person_id AS person_id, p.name AS name, v.region_code AS "     \
	"region_code, v.kind AS kind, v.visited_on AS visited_on, v.money AS money FROM "          \
	"k CROSS JOIN care_visits v JOIN persons p ON p.id = v.person_id WHERE v.kind IN ('"       \
	CARE_SPRING "', '" CARE_AUGUST "') AND v.visited_on >= k.ys AND v.visited_on <= k.ye "    \
	"AND " FIGURE_SCOPE("v.region_code", "v.created_by")

/* People on the list on k.asof, still 在册 on it (not dead, moved away, … by then), whose next contact (as the last contact up to k.asof, or the
 * 纳入日期, says) was due before k.asof. */
#define OVERDUE_ROWS                                                                               \
	"SELECT o.plan_id AS plan_id, o.person_id AS person_id, o.name AS name, o.region_code AS " \
	"region_code, o.months AS months, o.last_contact AS last_contact, o.due_on AS due_on "    \
	"FROM (SELECT b.plan_id AS plan_id, b.person_id AS person_id, b.name AS name, "            \
	"b.region_code AS region_code, b.months AS months, b.last_contact AS last_contact, "      \
	"day_add(month_add(substr(coalesce(b.last_contact, b.since), 1, 7), b.months + 1) || "     \
	"'-01', -1) AS due_on, b.asof AS asof FROM (SELECT pl.id AS plan_id, pl.person_id AS "     \
	"person_id, p.name AS name, pl.region_code AS region_code, pl.months AS months, "         \
	"pl.since AS since, k.asof AS asof, (SELECT max(c.contacted_on) FROM care_contacts c "    \
	"WHERE c.plan_id = pl.id AND c.contacted_on <= k.asof) AS last_contact FROM care_plans "   \
	"pl JOIN persons p ON p.id = pl.person_id CROSS JOIN k WHERE pl.since <= k.asof AND "     \
	"(pl.ended_on IS NULL OR pl.ended_on > k.asof) AND (p.status = '在册' OR "                 \
	"p.status_date > k.asof) AND " FIGURE_SCOPE("pl.region_code",       \
									   "pl.created_by")        \
	") b) o WHERE o.due_on < o.asof"

static const struct figure figures[] = {
	FIGURE_ROWS("regular_contacts", "常态化联系人数", "人",
		    "年内有常态化联系记录（联系日期在当年）的人数，同一人多次联系计 1 人",
		    REGULAR_ROWS, "last_contact DESC, person_id",
		    "person_id:人员编号,name:姓名,region_code:所在地区,contacts:联系次数,"
		    "last_contact:最近联系日期"),
	FIGURE_ROWS("temporary_visits", "困难走访人数", "人",
		    "年内有困难走访（临时走访困难人员）记录的人数，同一人多次走访计 1 人",
		    TEMPORARY_ROWS, "last_visit DESC, person_id",
		    "person_id:人员编号,name:姓名,region_code:所在地区,visits:走访次数,"
		    "money:慰问金（分）,last_visit:最近走访日期"),
	FIGURE_ROWS("holiday_visits", "节日慰问人次", "人次",
		    "年内春节、八一走访慰问烈军属和重点优抚对象的人次：每人每次慰问计 1 人次",
		    HOLIDAY_ROWS, "visited_on, visit_id",
		    "visit_id:记录编号,person_id:人员编号,name:姓名,region_code:所在地区,kind:类别,"
		    "visited_on:慰问日期,money:慰问金（分）"),
	FIGURE_ROWS("overdue_contacts", "逾期未联系人数", "人",
		    "截至统计日仍在常态化联系名单上且仍在册（死亡、迁出等状态变更日在统计日之后）、按联系频次下次联系应完成日早于统计日而未联系的人数"
		    "（下次联系应在上次联系（无则纳入日期）所在月之后第 N 个月的月底前完成）",
		    OVERDUE_ROWS, "due_on, plan_id",
		    "plan_id:名单编号,person_id:人员编号,name:姓名,region_code:所在地区,"
		    "months:联系周期（月）,last_contact:最近联系日期,due_on:应联系日期"),
	{0},
};

const struct figure_set care_figures = {
	.area = "care",
	.title = "关爱帮扶",
	.perm = PERM_CARE_READ,
	.figures = figures,
	.rates = NULL,
	.paragraph = "健全常态化联系退役军人和其他优抚对象制度，街道、社区退役军人服务站按名单定期联系、"
		     "上门走访。全年常态化联系 {regular_contacts} 人，对生活困难的退役军人开展困难走访 "
		     "{temporary_visits} 人，春节、八一期间走访慰问烈军属和重点优抚对象 {holiday_visits} "
		     "人次，做到情况清、底数明、帮扶准。",
};
