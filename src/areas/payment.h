/* payment.h - payment batches (发放批次): generated from entitlements and standards,
 * reviewed (复核) and approved (审批) by three different people, paid through the
 * bank's 代发文件 and reconciled from its return file (回盘). SPEC §2.2, §2.3.
 *
 * A batch pays one benefit for one period (a month, 'YYYY-MM'); it holds one line
 * per person, benefit and month due up to the period (monthly benefits: the period;
 * quarterly: the end of its quarter; yearly: the end of its year), plus the back pay
 * a standard approved since the last batch owes for months already paid, the funeral
 * sums of deaths, and a new line for each failed line of earlier batches. The same
 * period and benefit are never generated twice, and a person is never paid twice for
 * the same benefit and month: both are unique keys in the database. A generation is
 * one transaction: killed at any moment it leaves no batch, and run again it gives
 * what an uninterrupted run gives. */
#ifndef VETS_PAYMENT_H
#define VETS_PAYMENT_H

#include "areas/area.h"
#include <jansson.h>
#include <stdint.h>

#include "areas/account.h"
#include "db/db.h"
#include "lib/field_errors.h"

typedef void (*pay_error_fn)(void *ctx, long row, const char *reason);

struct pay_result {
	char benefit_name[64];
	int64_t batch_id, lines, amount_fen;
	int64_t regular, backpay, funeral, reissued; /* lines of each kind */
	int nothing_due; /* refused (VE_INVALID) only because no line was due */
};

/* Generates the batch of benefit for period, as someone of the whole district (else
 * VE_DENIED). VE_INVALID through fe (benefit_field_error) for a bad 期间 or 待遇;
 * VE_EXISTS when it was generated already; VE_INVALID (err) when nothing is due, a due
 * class has no standard in force, or the benefit was paid beyond period already;
 * VE_CONFLICT when a line would pay a month twice; VE_DB. Audited. */
int pay_generate(struct db *db, const struct principal *by, const char *period, const char *benefit,
		 struct pay_result *res, struct field_errors *fe, char *err, size_t errlen);
/* 复核 then 审批: each by someone who did no earlier step of the batch (VE_DENIED),
 * in order (VE_CONFLICT). Audited. */
int pay_review(struct db *db, const struct principal *by, int64_t batch_id, char *err,
	       size_t errlen);
int pay_approve(struct db *db, const struct principal *by, int64_t batch_id, char *err,
		size_t errlen);

/* What became of one benefit (or batch) of a many-at-once action: rc 0 done, else the
 * refusal in err. */
typedef void (*pay_each_fn)(void *ctx, int64_t id, const char *name, int rc,
			    const struct pay_result *res, const char *err);

/* Generates the batch of every benefit type for period, one after the other, each as
 * pay_generate does (its own transaction, audited per batch): each(ctx, 0, benefit
 * name, rc, res, err) per benefit, in the benefits' order; a benefit generated already
 * (VE_EXISTS) or with nothing due (VE_INVALID, res->nothing_due) is skipped with its
 * reason, another refusal does not stop the others. *made counts the batches made.
 * VE_INVALID (fe, 期间) for a bad period and VE_DENIED as pay_generate, before any. */
int pay_generate_due(struct db *db, const struct principal *by, const char *period,
		     pay_each_fn each, void *ctx, int64_t *made, struct field_errors *fe, char *err,
		     size_t errlen);

/* 复核 (approve 0) or 审批 (1) of several batches of one period at once: the n batches
 * of ids, or with n 0 every batch of period waiting for that step; period ("" none)
 * then holds the batches' period. Each goes through
 * pay_review / pay_approve (its own transaction, audited per batch) and is reported
 * through each(ctx, batch id, "期间 待遇", rc, NULL, err): a refused one does not
 * stop the others. *done counts those signed. VE_INVALID before any when ids name
 * batches of several periods (or of another period than period), or none is left. */
int pay_sign_many(struct db *db, const struct principal *by, int approve, char period[8],
		  const int64_t *ids, size_t n, pay_each_fn each, void *ctx, int64_t *done,
		  char *err, size_t errlen);

/* The batch against the benefit's latest earlier batch not sent back ("previous"), in
 * by's scope (VE_NOTFOUND as pay_batch_get): {"batch_id","period","benefit",
 * "benefit_name","previous":{id,period}|null,
 * "this"/"last"/"change":{lines,amount_fen,persons (paid regularly)},
 * "kinds":[{title,lines,amount_fen}] (正常, 补发以前月份, 补发新标准差额, 丧葬, 重发),
 * "added"/"stopped":{total,amount_fen,items:[{person_id,name,street,amount_fen,reason}]}
 * (paid regularly in this batch and not in the previous one, and the reverse),
 * "streets":[{code,name,lines,amount_fen,last_lines,last_amount_fen,change_lines,
 * change_amount_fen}], "largest":[10 lines], "backpay"/"reissues":{total,amount_fen,
 * items:[{id,person_id,name,street,month,kind_title,amount_fen,reissue?}]},
 * "flagged":{total,amount_fen,items:[{person_id,name,street,amount_fen,
 * last_amount_fen,change_fen}]} (own month's amount moved by more than 1 分)}; lists
 * keep their first 100 items. (payment_summary.c) */
int pay_batch_summary(struct db *db, const struct principal *by, int64_t batch_id, json_t **out);

/* The persons of batch_id whose bank account or bank was changed after the benefit's
 * previous approved batch took its copy of the accounts and before this one took its: {"persons": N, "items": [{person_id, name, field, at,
 * by}]} (the newest 100 changes). For the district's checkers: VE_DENIED for others. */
int pay_account_changes(struct db *db, const struct principal *by, int64_t batch_id,
			json_t **out);

/* 退回: the reviewer (a batch 待复核) or the approver (待审批), not its maker, sends the
 * newest batch of its benefit back with a reason (1-200 characters): its lines are
 * removed (none was paid), the months they paid are due again, and the period may be
 * generated anew. Audited. VE_DENIED, VE_CONFLICT (approved already, or a later batch
 * exists), VE_INVALID (reason). */
int pay_reject(struct db *db, const struct principal *by, int64_t batch_id, const char *reason,
	       char *err, size_t errlen);

/* The bank file (代发文件) of an approved batch, as rows of the columns pay_bank_columns
 * (流水号, 户名, 账号, 开户行, 金额 in 元, 摘要), account numbers in full: row(ctx, cells)
 * per line, which returns non-zero to stop (VE_IO). 户名 is the person's, or for 义务兵优待
 * the family's, whose account it is. Once every row is delivered, audited as a full view.
 * VE_DENIED without PERM_PAY_BANK for the whole district; VE_CONFLICT when the batch is
 * not approved. */
extern const char *const pay_bank_columns[6];
int pay_bank_rows(struct db *db, const struct principal *by, int64_t batch_id,
		  int (*row)(void *ctx, const char *const *cells), void *ctx, char *err,
		  size_t errlen);
/* Writes the bank file of batch_id to path (.csv or .xlsx); removed again on failure. */
int pay_bank_file(struct db *db, const struct principal *by, int64_t batch_id, const char *path,
		  char *err, size_t errlen);

/* Reads the bank's return file (.csv/.xlsx: 流水号, 金额, 结果 成功/失败, 失败原因; other
 * columns ignored) for batch_id. Every row is checked first: an unknown line, a line
 * of another batch, a wrong amount, a line named twice, a result other than 成功/失败,
 * a line already settled otherwise — each reported through on_error, and then nothing
 * changes (VE_INVALID). Else each line is marked 已发 or 失败 in one transaction.
 * *paid and *failed count them. Audited. */
int pay_reconcile(struct db *db, const struct principal *by, int64_t batch_id, const char *path,
		  pay_error_fn on_error, void *ctx, int64_t *paid, int64_t *failed, char *err,
		  size_t errlen);

/* Batches, newest first: [{"id","period","benefit","benefit_name","status","lines",
 * "amount_fen","amount","created_name","reviewed_name","approved_name","paid","failed",
 * "pending","exported"}]. The bureau sees each batch's totals; a street station only
 * the batches holding its lines, with the totals of those lines. */
int pay_batch_list(struct db *db, const struct principal *by, json_t **out);
/* The same, of one batch status only (PAY_BATCH_*; "" or NULL: all). 已退回 lists the
 * batches sent back whose months no batch of their benefit has paid since: those still
 * to be generated again. */
int pay_batch_list_status(struct db *db, const struct principal *by, const char *status,
			  json_t **out);
/* One batch, as in the list (its lines: pay_line_list). VE_NOTFOUND. */
int pay_batch_get(struct db *db, const struct principal *by, int64_t batch_id, json_t **out);

/* Lines in by's scope: {"total":N,"amount_fen":N,"persons":N (distinct),"items":[{"id","batch_id","period",
 * "person_id","name","street","benefit","benefit_name","month","kind","kind_title",
 * "amount_fen","amount","computation","status","fail_reason"}]}. */
struct pay_line_filter {
	int year;            /* the batches' period year; 0 any */
	int month;           /* and month (1-12) of that year; 0 the whole year */
	const char *benefit; /* code; NULL any */
	const char *status;  /* 待发, 已发, 失败; NULL any */
	const char *street;  /* region code; NULL any */
	int64_t batch_id, person_id;
	int64_t page, per_page;
	int newest_first; /* else oldest first */
};
int pay_line_list(struct db *db, const struct principal *by, const struct pay_line_filter *f,
		  json_t **out);

/* The figures of year (of its month 1-12 when month is not 0) per benefit, in by's
 * scope, of one street (NULL all):
 * {"year":Y,"street":…,"benefits":[{"code","name","persons","payments","amount_fen",
 * "lines","lines_amount_fen","pending","failed"}]}: persons (人), payments (人次) and
 * amount_fen count lines paid (已发) in batches whose period is in year; lines and
 * lines_amount_fen every line of those batches in any state. */
int pay_stats(struct db *db, const struct principal *by, int year, int month, const char *street,
	      json_t **out);

/* ---- vocabularies ---- */

/* A batch's statuses: made (待复核), reviewed (待审批), approved (已审批, its bank file may
 * go out), or returned to its maker (已退回). */
#define PAY_BATCH_TO_REVIEW "待复核"
#define PAY_BATCH_TO_APPROVE "待审批"
#define PAY_BATCH_APPROVED "已审批"
#define PAY_BATCH_RETURNED "已退回"
/* A line's statuses: due (待发), paid (已发), failed at the bank (失败). */
#define PAY_LINE_DUE "待发"
#define PAY_LINE_PAID "已发"
#define PAY_LINE_FAILED "失败"
#define PAY_N_LINE_STATUSES 3
extern const char *const pay_line_statuses[PAY_N_LINE_STATUSES];

/* ---- what the area declares (area.h) ---- */

/* generate a batch (经办) */
extern const struct perm perm_pay_generate;
#define PERM_PAY_GENERATE (&perm_pay_generate)
/* 复核 */
extern const struct perm perm_pay_review;
#define PERM_PAY_REVIEW (&perm_pay_review)
/* 审批 */
extern const struct perm perm_pay_approve;
#define PERM_PAY_APPROVE (&perm_pay_approve)
/* the bank file (full accounts, audited) and its return file */
extern const struct perm perm_pay_bank;
#define PERM_PAY_BANK (&perm_pay_bank)
/* statistics */
extern const struct perm perm_stats_read;
#define PERM_STATS_READ (&perm_stats_read)

/* The year's paid lines as figures (payment_figures.c, areas/figure.h): benefit_payments,
 * conscript_allowance_payments, enlistment_bonus_payments; `vets stats payments`,
 * /payments/stats. */
extern const struct figure_set payment_figures;
extern const struct area payment_area;

#endif
