/* demo_people.h - the synthetic people of the demo district. */
#ifndef VETS_DEMO_PEOPLE_H
#define VETS_DEMO_PEOPLE_H

#include "db/db.h"

/* Registers about count people in the district's streets (which must exist):
 * the same seed gives the same people. 0 or an error code. */
int demo_people(struct db *db, unsigned long seed, int count);

#endif
