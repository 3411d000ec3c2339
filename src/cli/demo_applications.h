/* demo_applications.h - the demo counter's applications (2023 to today). */
#ifndef VETS_DEMO_APPLICATIONS_H
#define VETS_DEMO_APPLICATIONS_H

#include "areas/account.h"
#include "db/db.h"

/* Receives and handles the demo's applications as clerk, the mix following seed: 0, or 1
 * with the reason on stderr. */
int demo_applications(struct db *db, unsigned long seed, const struct principal *clerk);

#endif
