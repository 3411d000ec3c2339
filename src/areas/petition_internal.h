/* petition_internal.h - what the files of the petition area share (not for other areas). */
#ifndef VETS_PETITION_INTERNAL_H
#define VETS_PETITION_INTERNAL_H

#include <stdint.h>

#include "areas/account.h"
#include "db/db.h"

/* The sealed columns (the place each value is bound to) and the blind index's field. */
#define PETITION_ID_COLUMN "petitions.id_enc"
#define PETITION_PHONE_COLUMN "petitions.phone_enc"
#define PETITION_ADDRESS_COLUMN "petitions.address_enc"
#define PETITION_ID_BIDX "petitions.id_bidx"

/* The figures' definitions, each over a petition p joined to k (ys, ye: the year's first and
 * last day; asof): petition_stats.c's figures and petition_figures.c's figure set read the
 * same text, so `vets stats petitions` and `vets stats petition` can't disagree. */
#define PETITION_RECEIVED_SQL "p.received_on >= k.ys AND p.received_on <= k.ye"
#define PETITION_ACCEPTED_SQL "p.accepted = 1"
#define PETITION_CLOSED_SQL "p.accepted = 1 AND p.closed_on <= k.asof"
#define PETITION_REPLIED_SQL "p.accepted = 1 AND p.replied_on <= k.asof"

/* Whole days from one valid date to another (negative when to is earlier). */
int petition_days_between(const char *from, const char *to);
/* The name a step is signed with. */
const char *petition_signer(const struct principal *by);
/* Queues "您的信访事项（编号 …）" + text to the writer of id (opening the sealed phone;
 * nothing without one), in the caller's transaction. */
int petition_notify(struct db *db, int64_t id, const char *text);
/* Records step of id dated on, by by, with note, in the caller's transaction. */
int petition_add_step(struct db *db, const struct principal *by, int64_t id, const char *step,
		      const char *on, const char *note);
/* Sets id's deadline flag as of today (after a step). */
int petition_reflag(struct db *db, int64_t id);
/* Raises petition_version, in the caller's transaction: every write of petitions does. */
int petition_bump(struct db *db);
/* The Chinese title of a step name ("accept" → "受理"), the name when unknown. */
const char *petition_step_title(const char *step);

#endif
