/* demo_petitions.h - the demo's 信访 and 区长信箱. */
#ifndef VETS_DEMO_PETITIONS_H
#define VETS_DEMO_PETITIONS_H

#include "areas/account.h"
#include "db/db.h"

/* A ledger of 2023 to today (2023: every accepted petition closed and replied) and 40
 * recent petitions registered by clerk and taken through their steps. The same seed
 * gives the same history (for the same day). 0, or 1 with the reason printed. */
int demo_petitions(struct db *db, unsigned long seed, const struct principal *clerk);

#endif
