/* demo_surveys.h - the demo's 问卷调查. */
#ifndef VETS_DEMO_SURVEYS_H
#define VETS_DEMO_SURVEYS_H

#include "areas/account.h"
#include "db/db.h"

/* An open satisfaction survey of the service stations with every kind of question and 320
 * answers, its results public; and a closed one of last season with 120 answers, its
 * results kept for staff. The same seed gives the same answers. 0, or 1 with the reason
 * printed. */
int demo_surveys(struct db *db, unsigned long seed, const struct principal *clerk);

#endif
