/* entitlement.h - who receives what, from which month to which (待遇资格), and the
 * events that change it (SPEC §2.2):
 *
 * - proposed (待确认) for every person whose identity makes them eligible (by a clerk
 *   or a station), confirmed by a second person at the bureau (复核人 or 审批人) with
 *   the month payment starts (months before confirmation are paid by the next batch);
 * - suspended (中止) from a month: the months suspended are never paid back; resumed
 *   from a later month;
 * - cancelled (取消) from a month; ended (终止) by death: the death month is the
 *   last one paid, and benefits with a funeral rule pay their months once more;
 * - 年度确认: a person not verified in a year and still not 60 days after the
 *   notice is suspended from the next month; a later verification resumes payment
 *   from the month after it, the months between unpaid.
 *
 * Every function here checks the caller's scope (a person outside it does not
 * exist: VE_NOTFOUND), writes inside the caller's transaction when in_tx is set
 * (else its own), and is audited. Months are 'YYYY-MM'; dates 'YYYY-MM-DD'. */
#ifndef VETS_ENTITLEMENT_H
#define VETS_ENTITLEMENT_H

#include "areas/area.h"
#include <jansson.h>
#include <stdint.h>

#include "areas/account.h"
#include "db/db.h"

/* Proposes entitlements (待确认) for every person in by's scope whose identities
 * make them eligible for a standard or graded benefit and who has none for it yet.
 * *n receives how many were proposed. */
int entitlement_propose(struct db *db, const struct principal *by, int in_tx, int64_t *n);
/* Confirms a proposal: payment starts with start_month (months already past the
 * benefit's last batch are paid by the next one). Refused (VE_DENIED, audited as
 * entitlement.confirm "denied") unless by is a district-wide holder of
 * PERM_ENTITLEMENT_CONFIRM other than the proposer; VE_INVALID when the person has no
 * bank account, or a graded benefit no disability grade; VE_CONFLICT when it is not a
 * proposal. */
int entitlement_confirm(struct db *db, const struct principal *by, int64_t id,
			const char *start_month, int in_tx, char *err, size_t errlen);
/* Grants person_id the benefit from start_month at once (confirmed: the 征兵办's list
 * imported at the bureau; VE_DENIED for a station), with its class
 * taken from the person's identities; for a fixed benefit, amount_fen per payment and
 * how it was computed, and end_month (NULL open). *id receives the entitlement. */
struct entitlement_grant {
	int64_t person_id;
	const char *benefit, *start_month, *end_month;
	int64_t amount_fen;      /* fixed benefits only */
	const char *computation; /* fixed benefits only */
};
int entitlement_grant(struct db *db, const struct principal *by, const struct entitlement_grant *g,
		      int in_tx, int64_t *id, char *err, size_t errlen);
int entitlement_suspend(struct db *db, const struct principal *by, int64_t id,
			const char *from_month, const char *reason, int in_tx, char *err,
			size_t errlen);
int entitlement_resume(struct db *db, const struct principal *by, int64_t id,
		       const char *from_month, int in_tx, char *err, size_t errlen);
int entitlement_cancel(struct db *db, const struct principal *by, int64_t id,
		       const char *from_month, const char *reason, int in_tx, char *err,
		       size_t errlen);
/* A death on date (cause: 因病, 因战, 因公, 其他): the registry's status becomes 死亡
 * (unless it is already) and every open entitlement of person_id ends with the death
 * month (终止). Lines already paid for later months are then
 * listed for recovery (pay_recoveries). A bad 死亡日期 or 死亡原因 is VE_INVALID through
 * fe (benefit_field_error: NULL writes "死亡原因：…" to err); others with err. */
struct field_errors; /* lib/field_errors.h */
int entitlement_record_death(struct db *db, const struct principal *by, int64_t person_id,
			     const char *date, const char *cause, int in_tx,
			     struct field_errors *fe, char *err, size_t errlen);

/* What the registry's status change of person_id on date means for their benefits
 * (死亡 has entitlement_record_death): 中止 suspends each from the month after the date
 * (or after the months already in batches); 在册 again resumes those so suspended; 迁出
 * ends each with the month of the date (终止) and 取消 cancels each from then on. Lines
 * already paid for later months are listed for recovery. */
int entitlement_follow_person(struct db *db, const struct principal *by, int64_t person_id,
			      const char *status, const char *date, int in_tx, char *err,
			      size_t errlen);

/* A registry status change (person_set_status) and what it means for the person's
 * benefits, in one transaction (the caller's when in_tx): 死亡 ends them, cause (死亡原因,
 * default 其他) deciding the funeral sums (entitlement_record_death) — required (VE_INVALID
 * on 死亡原因) when the person holds a benefit whose funeral sum is paid for one cause
 * only, where the default would silently drop it; 中止, 在册, 迁出,
 * 取消 suspend, resume, end or cancel them (entitlement_follow_person). 死亡 is the
 * bureau's to record (PERM_DEATH_REPORT_CHECK): a station reports it (death_report.h)
 * and is refused on 状态 here. Results as
 * person_set_status; a refusal of the benefits' side is VE_INVALID with e naming
 * 死亡原因 or 状态. After an error nothing changed. */
struct entitlement_status_change {
	const char *status, *date, *reason;
	const char *cause; /* 死亡原因 for 死亡: 因战, 因公, 因病, 其他; NULL or "" is 其他
			    * unless a sum depends on it (then refused) */
};
int entitlement_person_status(struct db *db, const struct principal *by, int64_t person_id,
			      const struct entitlement_status_change *c, int in_tx,
			      struct field_errors *e);

/* ---- vocabularies ---- */

/* An entitlement's statuses: proposed, paid, suspended, cancelled, ended. */
#define ENTITLEMENT_PROPOSED "待确认"
#define ENTITLEMENT_ACTIVE "正常"
#define ENTITLEMENT_N_STATUSES 5
extern const char *const entitlement_statuses[ENTITLEMENT_N_STATUSES];
/* 死亡原因 of a death (entitlement_record_death), in the order forms list them. */
#define ENTITLEMENT_N_DEATH_CAUSES 4
extern const char *const entitlement_death_causes[ENTITLEMENT_N_DEATH_CAUSES];

/* Walks every entitlement, whatever the scope (for the demo and timed work): fn(ctx,
 * id, person_id) in id order until it returns non-zero, which is returned; 0 at the
 * end, VE_DB. */
typedef int (*entitlement_row_fn)(void *ctx, int64_t id, int64_t person_id);
/* Those with status (待确认, 正常, 中止, 取消, 终止). */
int entitlement_each_with_status(struct db *db, const char *status, entitlement_row_fn fn,
				 void *ctx);
/* Those suspended (中止) from a month before before_month (YYYY-MM) and not resumed, in
 * the order of their suspension; person_id is 0. */
int entitlement_each_open_suspension(struct db *db, const char *before_month, entitlement_row_fn fn,
				     void *ctx);

/* 年度确认 of person_id for year: a notice sent on date, a verification on date. */
int verification_notify(struct db *db, const struct principal *by, int64_t person_id, int year,
			const char *date, int in_tx, char *err, size_t errlen);
int verification_record(struct db *db, const struct principal *by, int64_t person_id, int year,
			const char *date, int in_tx, char *err, size_t errlen);
/* Suspends, as of date, everyone with an open entitlement notified for year more than
 * 60 days before and not verified: from the month after the 60th day. *n: how many. */
int verification_sweep(struct db *db, const struct principal *by, int year, const char *date,
		       int in_tx, int64_t *n);
/* People in scope with an open entitlement and no verification for year:
 * [{"person_id","name","street","notified_on","deadline","suspended"}]. */
int verification_unverified(struct db *db, const struct principal *by, int year, json_t **out);

/* Entitlements in scope: filter by benefit code, status ("" any), person (0 any);
 * {"total":N,"items":[{"id","person_id","name","id_number"(masked),"street","benefit",
 * "benefit_name","class","start_month","end_month","status","status_reason",
 * "amount_fen","computation","pauses":[{"kind","from_month","until_month","reason"}]}]}. */
struct entitlement_filter {
	const char *benefit, *status;
	int64_t person_id, page, per_page;
};
int entitlement_list(struct db *db, const struct principal *by, const struct entitlement_filter *f,
		     json_t **out);

/* The class an entitlement is paid by, as words: the category, or for a graded benefit
 * "按评定的残疾等级" — the grade and nature are disability data, shown only in the
 * person's audited full view (person_reveal). */
void entitlement_class_text(int64_t grade, const char *nature, const char *category, char *out,
			    size_t size);


/* ---- what the area declares (area.h) ---- */

/* propose, suspend, resume, cancel entitlements; verifications */
extern const struct perm perm_entitlement_write;
#define PERM_ENTITLEMENT_WRITE (&perm_entitlement_write)
/* confirming a proposal starts payment: the bureau's checkers, never its proposer */
extern const struct perm perm_entitlement_confirm;
#define PERM_ENTITLEMENT_CONFIRM (&perm_entitlement_confirm)
extern const struct area entitlement_area;

#endif
