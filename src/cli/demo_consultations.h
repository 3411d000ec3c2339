/* demo_consultations.h - the demo's 意见征集. */
#ifndef VETS_DEMO_CONSULTATIONS_H
#define VETS_DEMO_CONSULTATIONS_H

#include "areas/account.h"
#include "db/db.h"

/* A closed consultation with published and rejected comments and its summary, and an open
 * one with pending and published comments, created by clerk (dates around today).
 * 0, or 1 with the reason printed. */
int demo_consultations(struct db *db, const struct principal *clerk);

#endif
