/* recovery.h - 追缴: money paid for months after a benefit ended (a death reported
 * late), and the work of getting it back.
 *
 * What is due is never stored: it is the sum of the person's lines of that benefit
 * for months after the entitlement's end (regular and back pay, 已发 or 待发), computed
 * whenever asked, so a corrected death date changes it at once. A case (one per person
 * and benefit) is opened by a clerk from the list; it stores what was recovered, one
 * row per amount (date, 分, method, note), never more than what remains due. A case
 * whose remaining amount is 0 is closed by the clerk (已结清); a case that cannot be
 * recovered is written off (核销) only when an approver other than the one who asked
 * agrees: a write-off gives up public money, a decision on money that SPEC §1 puts
 * under a second person's eyes. Every change is audited. Scope: the person's region. */
#ifndef VETS_RECOVERY_H
#define VETS_RECOVERY_H

#include "areas/area.h"
#include <jansson.h>
#include <stdint.h>

#include "areas/account.h"
#include "db/db.h"
#include "lib/field_errors.h"

/* ---- vocabularies ---- */

/* A case's statuses; a person and benefit with lines to recover and no case is 未立案. */
#define RECOVERY_NONE "未立案"
#define RECOVERY_OPEN "追缴中"
#define RECOVERY_WRITEOFF_ASKED "待审批核销"
#define RECOVERY_SETTLED "已结清"
#define RECOVERY_WRITTEN_OFF "已核销"
/* How an amount came back: 现金, 银行转账, 从其他待遇中扣减. */
#define RECOVERY_N_METHODS 3
extern const char *const recovery_methods[RECOVERY_N_METHODS];
/* The list's filters: open work (未立案, 追缴中, 待审批核销) or closed (已结清, 已核销). */
#define RECOVERY_N_FILTERS 3
extern const char *const recovery_filters[RECOVERY_N_FILTERS]; /* "open", "closed", "all" */
const char *recovery_filter_title(const char *filter);

/* ---- pure rules (no store) ---- */

/* Parses an amount recovered: 0 and *fen, or a message on 金额 in fe (1) — text that is
 * not yuan with at most two decimals, 0, or more than remaining_fen. */
int recovery_check_amount(const char *text, int64_t remaining_fen, int64_t *fen,
			  struct field_errors *fe);
/* 1 when method is one of recovery_methods. */
int recovery_method_valid(const char *method);

/* ---- reading ---- */

/* The lines to recover in by's scope, one per line (the command line's list):
 * {"total_fen":N,"total":"元","items":[{"line_id","batch_id","period","person_id","name",
 * "benefit","benefit_name","month","amount_fen","amount","status","end_month"}]}. */
int recovery_lines(struct db *db, const struct principal *by, json_t **out);

/* The work list, one row per person and benefit with lines to recover or a case:
 * filter "open" (default), "closed" or "all"; street a street code or NULL.
 * {"total","due_fen","recovered_fen","remaining_fen","items":[{"case_id" (0: none),
 * "status","person_id","name","street","benefit","benefit_name","end_month","line_count",
 * "first_month","last_month","due_fen","recovered_fen","remaining_fen","settled" (nothing
 * remains: the case may close),"reopen" (已结清 but owing again: to be opened again)}]}.
 * "open" includes the cases to reopen; "closed" leaves them out. */
struct recovery_filter {
	const char *filter;
	const char *street;
};
int recovery_list(struct db *db, const struct principal *by, const struct recovery_filter *f,
		  json_t **out);

/* One case: the row of the list plus "id_mask","community","address","death_month",
 * "opened_at","opened_name","writeoff_reason","writeoff_name","closed_at","closed_name",
 * "lines":[{"line_id","batch_id","period","month","kind_title","amount_fen","status"}],
 * "payments":[{"paid_on","amount_fen","method","note","created_name"}],
 * "pay_at" (where to pay back, for the notice). VE_NOTFOUND outside scope. */
int recovery_get(struct db *db, const struct principal *by, int64_t id, json_t **out);

/* A person's lines paid after a benefit's end, for their page: {"total_fen","items":
 * [{"line_id","batch_id","period","benefit","benefit_name","month","amount_fen",
 * "status","case_id","case_status"}]}. */
int recovery_of_person(struct db *db, const struct principal *by, int64_t person_id,
		       json_t **out);

/* ---- the work ---- */

/* Opens the case of person and benefit (code): 0 and *id (an existing case's id, with
 * *opened 0); VE_NOTFOUND (person outside scope), VE_INVALID (nothing to recover). A
 * 已结清 case that owes again (a correction raised what is due) goes back to 追缴中,
 * *opened RECOVERY_REOPENED, audited "recovery.reopen". */
#define RECOVERY_REOPENED 2
int recovery_open(struct db *db, const struct principal *by, int64_t person_id,
		  const char *benefit, int64_t *id, int *opened, char *err, size_t errlen);

/* An amount recovered, as typed. */
struct recovery_payment {
	const char *paid_on; /* YYYY-MM-DD, not after today */
	const char *amount;  /* yuan */
	const char *method;  /* one of recovery_methods */
	const char *note;    /* up to 200 characters */
};
/* Records an amount of case id: 0; VE_INVALID with fe (日期, 金额, 方式, 备注); VE_CONFLICT
 * (the case is not 追缴中) with err; VE_NOTFOUND. Nothing is written on a refusal. */
int recovery_record(struct db *db, const struct principal *by, int64_t id,
		    const struct recovery_payment *p, struct field_errors *fe, char *err,
		    size_t errlen);
/* Closes case id once nothing remains due (已结清): 0, VE_CONFLICT with err. */
int recovery_close(struct db *db, const struct principal *by, int64_t id, char *err,
		   size_t errlen);
/* Asks to write off what remains (核销), with a reason (原因, 2-200 characters): 0;
 * VE_INVALID with fe; VE_CONFLICT with err. */
int recovery_writeoff_ask(struct db *db, const struct principal *by, int64_t id,
			  const char *reason, struct field_errors *fe, char *err, size_t errlen);
/* The approver's decision on a write-off asked: approve (已核销) or send back (追缴中).
 * VE_DENIED when by asked for it; VE_CONFLICT when none is asked. */
int recovery_writeoff_decide(struct db *db, const struct principal *by, int64_t id, int approve,
			     char *err, size_t errlen);

/* ---- permissions and the area ---- */

extern const struct perm perm_recovery_read, perm_recovery_write, perm_recovery_writeoff;
#define PERM_RECOVERY_READ (&perm_recovery_read)
#define PERM_RECOVERY_WRITE (&perm_recovery_write)
#define PERM_RECOVERY_WRITEOFF (&perm_recovery_writeoff)
extern const struct area recovery_area;

#endif
