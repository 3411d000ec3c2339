/* demo_ratings.h - the demo counter's ratings (好差评) and their follow-up. */
#ifndef VETS_DEMO_RATINGS_H
#define VETS_DEMO_RATINGS_H

#include "areas/account.h"
#include "db/db.h"

/* Rates most of the demo's ended applications on the day they ended, the levels following
 * seed; most 差评 followed up within two days, a few never: 0, or 1 with the reason on
 * stderr. */
int demo_ratings(struct db *db, unsigned long seed, const struct principal *clerk);

#endif
