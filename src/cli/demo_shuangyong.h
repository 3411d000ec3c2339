/* demo_shuangyong.h - the demo's 双拥 activities and news reports. */
#ifndef VETS_DEMO_SHUANGYONG_H
#define VETS_DEMO_SHUANGYONG_H

#include "areas/account.h"
#include "db/db.h"

/* 2023: 16 activities and 19 news reports (the seed's figures); 2024 to today a plausible
 * number each year (12-18 activities, about one report each), recorded by clerk in one
 * transaction. The same seed gives the same history. 0, or 1 with the reason printed. */
int demo_shuangyong(struct db *db, unsigned long seed, const struct principal *clerk);

#endif
