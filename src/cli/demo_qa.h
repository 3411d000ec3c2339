/* demo_qa.h - the demo's 智能问答 base and a few questions visitors left. */
#ifndef VETS_DEMO_QA_H
#define VETS_DEMO_QA_H

#include "areas/account.h"
#include "db/db.h"

/* Loads data/qa/base.csv (compiled in) as clerk, and leaves three questions the base does
 * not answer, pending for staff. 0, or 1 with the reason printed. */
int demo_qa(struct db *db, const struct principal *clerk);

#endif
