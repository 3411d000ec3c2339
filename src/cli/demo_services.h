/* demo_services.h - the demo's service catalogue. */
#ifndef VETS_DEMO_SERVICES_H
#define VETS_DEMO_SERVICES_H

#include "areas/account.h"
#include "db/db.h"

/* Imports the demo bureau's catalogue (docs/service-catalogue.csv) as clerk: 0, or 1 with
 * the reason on stderr. */
int demo_services(struct db *db, const struct principal *clerk);

#endif
