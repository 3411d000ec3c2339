/* bulk.c - a long series of writes committed in slices. */
#include "bulk.h"
#include "lib/err.h"

int bulk_run(struct db *db, long per_tx, bulk_step_fn step, void *ctx)
{
	if (db_tx_begin(db, 0) != 0)
		return VE_DB;
	int rc = 0, done = 0;
	for (long n = 1; rc == 0 && !done; n++) {
		rc = step(db, ctx, &done);
		if (rc == 0 && !done && n % per_tx == 0 &&
		    (db_tx_end(db, 0, 0) != 0 || db_tx_begin(db, 0) != 0))
			return VE_DB;
	}
	return db_tx_end(db, 0, rc);
}
