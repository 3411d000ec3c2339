/* dashboard.h - the 统计看板: the year's figures of every area its reader may read, and
 * charts of them (bars by month, by street, shares), at /dashboard and /api/v1/dashboard. */
#ifndef VETS_WEB_DASHBOARD_H
#define VETS_WEB_DASHBOARD_H

#include "web/route.h"

/* The dashboard's areas of year for by (his sets, their figures and charts), as the
 * template dashboard/areas shows them (a leader's home page too), into *out. 0, VE_INVALID
 * (the year) or VE_DB. */
int dashboard_areas(struct db *db, const struct principal *by, int year, json_t **out);

#endif
