/* bulk.h - many writes of an area in a few transactions: the demo's thousands of
 * people, saved through the areas' own in-transaction calls. */
#ifndef VETS_BULK_H
#define VETS_BULK_H

#include "db/db.h"

/* One step of a bulk job: writes what it writes inside the transaction bulk_run holds
 * (the areas' in_tx calls), sets *done once nothing is left (a step may do nothing and
 * just say so) and returns 0 or an error code. */
typedef int (*bulk_step_fn)(struct db *db, void *ctx, int *done);

/* Calls step until it says done or fails, committing after every per_tx steps and at
 * the end. 0; or step's error (VE_DB when a commit fails), after which the steps of
 * the transaction in progress are rolled back and those committed before stay. */
int bulk_run(struct db *db, long per_tx, bulk_step_fn step, void *ctx);

#endif
