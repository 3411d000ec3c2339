/* dashboard.c - the 统计看板's permission and the years it offers (dashboard.h). */
#include "dashboard.h"
#include "db/db.h"
#include "lib/err.h"
#include <stdlib.h>
#include <string.h>

/* Each table's earliest day (or month) that a year's figures count by, read through its index
 * where it has one; the first four characters are the year. */
static const char FIRST_SQL[] = "SELECT min(d) FROM ("
				"SELECT min(visited_on) AS d FROM care_visits UNION ALL "
				"SELECT min(contacted_on) AS d FROM care_contacts UNION ALL "
				"SELECT min(held_on) AS d FROM employment_fairs UNION ALL "
				"SELECT min(held_on) AS d FROM shuangyong_activities UNION ALL "
				"SELECT min(held_on) AS d FROM pufa_events UNION ALL "
				"SELECT min(placed_on) AS d FROM placement_cases UNION ALL "
				"SELECT min(period) AS d FROM pay_batches UNION ALL "
				"SELECT min(accepted_on) AS d FROM applications UNION ALL "
				"SELECT min(received_on) AS d FROM petitions) f";

int dashboard_first_year(struct db *db, int *year)
{
	*year = 0;
	struct db_stmt *st = db_q(db, FIRST_SQL, "");
	int step = st ? db_step(st) : -1;
	if (step == DB_ROW) {
		const char *d = db_text(st, 0);
		if (d && strlen(d) >= 4)
			*year = atoi(d);
	}
	db_done(st);
	return step == DB_ROW ? 0 : VE_DB;
}

const struct perm perm_dashboard_read = {
	"dashboard.read", "查看统计看板（本人数据范围内各领域的年度数字和图表）", ROLE_BUSINESS};

static const struct perm *const perms[] = {PERM_DASHBOARD_READ, NULL};

const struct area dashboard_area = {.name = "dashboard", .perms = perms};
