/* demo_care.h - the demo's 关爱帮扶. */
#ifndef VETS_DEMO_CARE_H
#define VETS_DEMO_CARE_H

#include "areas/account.h"
#include "db/db.h"

/* The regular-contact list and its contacts, the temporary visits, the 春节 and 八一
 * campaigns with their visits and the 光荣牌 of 2023 to today, recorded by clerk. 2023 is
 * the year of the bureau's report: 62 people contacted under 常态化联系, 59 people visited
 * in difficulty, 1,496 holiday visits (人次). The same seed gives the same history (for
 * the same day). 0, or 1 with the reason printed. */
int demo_care(struct db *db, unsigned long seed, const struct principal *clerk);

#endif
