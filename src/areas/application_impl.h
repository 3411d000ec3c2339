/* application_impl.h - what the files of the counter's area share (not for other areas). */
#ifndef VETS_APPLICATION_IMPL_H
#define VETS_APPLICATION_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "areas/account.h"
#include "db/db.h"

/* The sealed columns (sealed.h: bound to the row) and the blind index's field. */
#define APP_ID_COLUMN "applications.id_enc"
#define APP_PHONE_COLUMN "applications.phone_enc"
#define APP_ID_BIDX "applications.id_bidx"

/* Set while a record of the past is written (the demo, loading history): no message is
 * queued to the applicant. */
extern _Thread_local int app_quiet;
/* The name a principal signs steps with. */
const char *app_signer(const struct principal *by);
/* Ends a write of the area's own transaction: rc, or VE_DB when the commit fails. */
int app_tx_end(struct db *db, int rc, char *err, size_t errlen);
/* Records step (its Chinese title) of application id on day by by, with note. */
int app_add_step(struct db *db, int64_t id, const char *step, const char *day,
		 const struct principal *by, const char *note);
/* Queues the message "…您申请的“item”（查询码 code）what。…" to the applicant of id. */
int app_message(struct db *db, int64_t id, const char *code, const char *item, const char *what);

/* The open work of by's scope as of today (YYYY-MM-DD) for the home page, counted as the
 * queues list it: running past due (overdue), running and due by near (near, with the
 * earliest due day), 容缺受理 waiting for materials (partial, with the earliest supply_by). */
struct app_waiting {
	int64_t overdue, near, partial;
	char near_first[11], partial_first[11];
};
int app_waiting_counts(struct db *db, const struct principal *by, const char *today,
		       const char *near, struct app_waiting *w);

#endif
