/* death.h - a recorded death as the bureau knows it (the date, the cause) and its
 * correction (SPEC §2.2: benefits stop the month after death, funeral sums by cause).
 *
 * A death is recorded through the registry's status change (entitlement_person_status);
 * this area reads it back and corrects it: the benefits the death ended follow the new
 * date and cause, so the batches pay the months now owed, stop those no longer due,
 * list what was paid after the new date for recovery (pay_recoveries, from end_month)
 * and pay the funeral sum of the new cause and date. */
#ifndef VETS_DEATH_H
#define VETS_DEATH_H

#include "areas/area.h"
#include <jansson.h>
#include <stdint.h>

#include "areas/account.h"
#include "db/db.h"

struct field_errors; /* lib/field_errors.h */

/* The recorded death of person_id: {"date","cause","reason"} (the cause 其他 when none
 * was kept). VE_NOTFOUND outside by's scope or when the person is not dead. */
int death_get(struct db *db, const struct principal *by, int64_t person_id, json_t **out);

/* A correction of a recorded death: the new date (YYYY-MM-DD) and cause (因病, 因战,
 * 因公, 其他), and why (1-200 characters, required). */
struct death_correction {
	const char *date, *cause, *reason;
};
/* Corrects person_id's death (by: PERM_DEATH_CORRECT, else VE_DENIED): the registry's
 * status date, and every benefit the death ended — its end moves to the new death month
 * (a benefit that ended before the death keeps its earlier end), its death month and
 * cause (the funeral sum) follow, and months now owed that batches have passed are paid
 * by the next batch. Audited (death.correct) with the old and new date and cause and the
 * reason. VE_INVALID with e (死亡日期: missing, not a date, in the future, before the birth
 * year; 死亡原因; 更正理由; 状态: the person is not dead; 死亡日期: nothing would change);
 * VE_NOTFOUND outside by's scope; after an error nothing changed. In the caller's
 * transaction when in_tx. */
int death_correct(struct db *db, const struct principal *by, int64_t person_id,
		  const struct death_correction *c, int in_tx, struct field_errors *e);

/* The checks of death_correct alone, writing nothing (a form not yet confirmed):
 * 0, VE_INVALID with e, VE_NOTFOUND, VE_DENIED. */
int death_check(struct db *db, const struct principal *by, int64_t person_id,
		const struct death_correction *c, struct field_errors *e);

/* Keeps the cause of person_id's recorded death (in the caller's transaction). */
int death_keep_cause(struct db *db, int64_t person_id, const char *cause);

/* ---- what the area declares (area.h) ---- */

/* correcting a recorded death: the bureau's clerk */
extern const struct perm perm_death_correct;
#define PERM_DEATH_CORRECT (&perm_death_correct)
extern const struct area death_area;

#endif
