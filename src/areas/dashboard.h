/* dashboard.h - the 统计看板: who reads it, and the years it offers.
 *
 * The dashboard (web/dashboard.c) shows the year's figures of every figure set its reader
 * may read (areas/figure.h), each narrowed to his data scope; this area declares who may
 * open it at all: the business roles, not the three administrators. */
#ifndef VETS_DASHBOARD_H
#define VETS_DASHBOARD_H

#include "areas/area.h"

struct db;

extern const struct perm perm_dashboard_read;
#define PERM_DASHBOARD_READ (&perm_dashboard_read)
extern const struct area dashboard_area;

/* The first year any of the areas' dated records falls in (visits, contacts, fairs,
 * activities, 普法 events, placements, pay batches, applications, petitions) into *year;
 * *year is 0 when there are none. 0 or VE_DB. */
int dashboard_first_year(struct db *db, int *year);

#endif
