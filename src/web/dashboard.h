/* dashboard.h - the 统计看板: the year's figures of every area its reader may read, and
 * charts of them (bars by month, by street, shares), at /dashboard and /api/v1/dashboard. */
#ifndef VETS_WEB_DASHBOARD_H
#define VETS_WEB_DASHBOARD_H

#include "web/route.h"

/* Renders the dashboard of the current year for req's user (a leader's home page). The
 * caller has checked that he may read it (PERM_DASHBOARD_READ). */
int dashboard_page(struct request *req, struct reply *rep);

#endif
