/* application_figures.c - the year's figures of the counter (窗口办件, areas/figure.h): the
 * applications accepted, 容缺受理, closed and closed on time, as `vets stats counter`
 * (rating_stats.c) defines them, and the catalogue's items that allow 容缺受理.
 *
 * The applications are those accepted from the year's first day to k.asof (the year's last
 * day, or today in the current year): rating_stats.c's ?1..?2 with its default as-of, so the
 * two print the same numbers. */
#include "application.h"
#include "areas/figure.h"
#include "areas/rating.h"

#define ACCEPTED_ROWS(cond)                                                                        \
	"SELECT a.id AS application_id, coalesce(s.name, '') AS item, a.status AS status, a.accepted_on AS accepted_on, a.due AS due, a.closed_on AS " \
	"closed_on FROM applications a LEFT JOIN service_items s ON s.id = a.item_id CROSS JOIN "  \
	"k WHERE a.accepted_on >= k.ys AND a.accepted_on <= k.asof AND " cond                      \
	" AND " FIGURE_SCOPE("a.region_code", "a.clerk_id")
#define ACCEPTED_COLUMNS                                                                           \
	"application_id:办件编号,item:事项,status:状态,accepted_on:受理日期,"  \
	"due:承诺办结日期,closed_on:办结日期"

/* The first second of 1 January of year y (an SQL integer expression), Asia/Shanghai (UTC+8),
 * as the catalogue's created_at counts: the days since 1970 (leap years by the Gregorian
 * rule) times 86400, less eight hours. For y from 1970. */
#define YEAR_START_EPOCH(y)                                                                        \
	"((365 * ((" y ") - 1970) + ((" y ") - 1969) / 4 - ((" y ") - 1901) / 100 + ((" y         \
	") - 1601) / 400) * 86400 - 28800)"

/* The catalogue is the bureau's (the district's), not a street's: its items count for a
 * reader whose scope holds the district's own code, none for a street's. */
#define DISTRICT_CODE "(SELECT min(g.code) FROM regions g WHERE g.level = 'district')"

static const struct figure figures[] = {
	FIGURE_ROWS("applications_accepted", "窗口受理办件", "件",
		    "受理日期在本年度（当年为截至统计截止日）的办件，含容缺受理的，不论其后办理状态，每件计 1 件",
		    ACCEPTED_ROWS("1 = 1"), "accepted_on, application_id", ACCEPTED_COLUMNS),
	FIGURE_ROWS("applications_tolerated", "容缺受理办件", "件",
		    "本年度受理的办件中，以容缺方式受理（受理时缺少可容缺材料、申请人书面承诺限期补交）"
		    "的件数",
		    ACCEPTED_ROWS("a.partial <> 0"), "accepted_on, application_id", ACCEPTED_COLUMNS),
	FIGURE_ROWS("applications_closed", "窗口办结办件", "件",
		    "本年度受理的办件中，状态为已办结、办结日期不晚于统计截止日的件数",
		    ACCEPTED_ROWS("a.status = '" APP_CLOSED "' AND a.closed_on <= k.asof"),
		    "accepted_on, application_id", ACCEPTED_COLUMNS),
	FIGURE_ROWS("applications_closed_on_time", "按期办结办件", "件",
		    "本年度受理并已办结的办件中，办结日期不晚于承诺办结日期的件数",
		    ACCEPTED_ROWS("a.status = '" APP_CLOSED "' AND a.closed_on <= k.asof AND "
				  "a.closed_on <= a.due"),
		    "accepted_on, application_id", ACCEPTED_COLUMNS),
	FIGURE_ROWS(
		"tolerated_items", "可容缺受理事项", "项",
		"截至本年末服务事项目录中允许容缺受理的事项数：事项的申请材料中至少有一项为可容缺"
		"材料（按目录现行的材料清单），且事项在本年 12 月 31 日前已列入目录；一件事（集成"
		"办理）本身不设材料，不计。事项目录为区局统一发布，按街道统计时不计",
		"SELECT i.id AS item_id, i.code AS code, i.name AS name, (SELECT count(*) FROM "
		"service_materials m WHERE m.item_id = i.id AND m.essential = 0) AS tolerated "
		"FROM service_items i CROSS JOIN k WHERE EXISTS (SELECT 1 FROM service_materials m "
		"WHERE m.item_id = i.id AND m.essential = 0) AND i.created_at < " YEAR_START_EPOCH(
			"k.year + 1") " AND " FIGURE_SCOPE(DISTRICT_CODE, "0"),
		"code, item_id", "item_id:事项编号,code:事项编码,name:事项名称,tolerated:可容缺材料数"),
	{0},
};

const struct figure_set application_figures = {
	.area = "applications",
	.title = "窗口办件",
	.perm = PERM_COUNTER_STATS,
	.figures = figures,
	.rates = NULL,
	.paragraph = "深化“放管服”改革，优化退役军人服务窗口，推行一窗受理、集成办理和容缺受理。"
		     "梳理公布服务事项目录，明确 {tolerated_items} 项事项可容缺受理，申请人书面承诺限期"
		     "补交后即予受理。全年窗口受理办件 {applications_accepted} 件，其中容缺受理 "
		     "{applications_tolerated} 件；办结 {applications_closed} 件，其中按承诺时限办结 "
		     "{applications_closed_on_time} 件。",
};
