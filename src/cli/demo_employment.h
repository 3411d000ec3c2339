/* demo_employment.h - the demo's 就业创业. */
#ifndef VETS_DEMO_EMPLOYMENT_H
#define VETS_DEMO_EMPLOYMENT_H

#include "areas/account.h"
#include "db/db.h"

/* Job fairs of 2023 to this year with their enterprises and positions, loaded as the
 * organisers' sheets would be, and veterans of the registry seeking work, most of them
 * hired. 2023 is the year of the bureau's report: 7 fairs, 1,652 distinct enterprises and
 * 45,120 positions (the sum of the headcounts). The same seed gives the same history.
 * 0, or 1 with the reason printed. */
int demo_employment(struct db *db, unsigned long seed, const struct principal *clerk);

#endif
