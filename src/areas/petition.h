/* petition.h - 信访 and 区长信箱: every letter, visit, call, online petition and mailbox
 * message, the desk's steps on it, the deadlines the daily job watches, the ledger
 * (台账) import, and the year's statistics with the records behind each figure.
 *
 * A petition is registered with its writer's name, ID number, phone and address (the
 * last three sealed, bound to the row; the ID has a blind index, so the writer's other
 * petitions are found), subject, content and 收到日期, in the street (region_code) of
 * the registering user's organisation. Its steps, each dated (a day not before the step
 * it follows and not after today), by whom, audited, one transaction each:
 *   受理 or 不予受理  within 15 calendar days of receipt; a later 受理 needs a reason.
 *   交办             to an organisation (by code) and a person.
 *   延期             asked once, 1-30 days, with a reason; a leader approves or refuses.
 *   办结             due within 60 days of acceptance, plus the approved extension.
 *   答复             the reply's text and date (after 办结).
 *   复查             asked by the writer within 30 days of the reply; answered (due 30
 *                    days after it was asked).
 *   重复件           an undecided petition linked to an earlier one (not accepted again).
 *   发布             a 区长信箱 reply whose writer agreed, in a public version free of
 *                    the writer's name, ID, phone and address.
 * Every status change queues a message to the writer (outbox). Deadlines are calendar
 * days. Scope: the region, as for people (SCOPE_REGION_SQL). */
#ifndef VETS_PETITION_H
#define VETS_PETITION_H

#include "areas/area.h"
#include <jansson.h>
#include <stdint.h>

#include "areas/account.h"
#include "db/db.h"
#include "lib/field_errors.h"
#include "lib/track_code.h"

/* ---- vocabularies ---- */

#define PETITION_N_SOURCES 5
extern const char *const petition_sources[PETITION_N_SOURCES]; /* 来信 来访 来电 网上信访 区长信箱 */
#define PETITION_MAILBOX "区长信箱"

#define PETITION_PENDING "待受理"
#define PETITION_REJECTED "不予受理"
#define PETITION_ACCEPTED "办理中"
#define PETITION_ASSIGNED "已交办"
#define PETITION_CLOSED "已办结"
#define PETITION_REPLIED "已答复"
#define PETITION_REVIEWING "复查中"
#define PETITION_REVIEWED "已复查"
#define PETITION_N_STATUSES 8
extern const char *const petition_statuses[PETITION_N_STATUSES];

/* The limits, in calendar days. */
enum {
	PETITION_DECIDE_DAYS = 15,
	PETITION_HANDLE_DAYS = 60,
	PETITION_EXTEND_MAX = 30,
	PETITION_REVIEW_ASK_DAYS = 30,
	PETITION_REVIEW_ANSWER_DAYS = 30,
};

/* The figures of the statistics, in the order they are printed: "received",
 * "not_accepted", "accepted", "accepted_late", "closed", "closed_on_time", "due",
 * "replied"; with their Chinese titles and definitions. */
#define PETITION_N_FIGURES 8
extern const char *const petition_figures[PETITION_N_FIGURES];
const char *petition_figure_title(const char *figure);
const char *petition_figure_definition(const char *figure);
/* The index of figure in petition_figures, or -1. */
int petition_figure_index(const char *figure);

/* ---- pure rules ---- */

/* 1 when s is a real date YYYY-MM-DD. */
int petition_date_valid(const char *s);
/* The day n calendar days after day (n may be negative) into out; -1 for a bad day. */
int petition_day_add(const char *day, int n, char out[11]);
/* 1 when source is one of petition_sources. */
int petition_source_valid(const char *source);

/* ---- registering ---- */

struct petition_new {
	const char *source, *name, *id_number, *phone, *address, *subject, *content;
	const char *received_on; /* YYYY-MM-DD, not after today */
	int consent;             /* 区长信箱: the writer agrees to publication of the reply */
};
/* Registers a petition in by's region: 0 and *id; VE_INVALID with fe (来源, 姓名, 身份证号,
 * 联系电话, 地址, 标题, 内容, 收到日期); VE_DENIED. Queues the writer a message. */
int petition_register(struct db *db, const struct principal *by, const struct petition_new *in,
		      int64_t *id, struct field_errors *fe, char *err, size_t errlen);

/* ---- the steps ---- */

/* What a step takes; unused fields NULL. step is one of: "accept", "reject", "assign",
 * "extend", "extend_approve", "extend_refuse", "close", "reply", "review_ask",
 * "review_answer", "duplicate", "publish". */
struct petition_step {
	const char *step;
	const char *on;       /* 日期: YYYY-MM-DD, default today */
	const char *note;     /* 说明: reason (不予受理, late 受理, 延期), 办结 note, 答复/复查 text */
	const char *org;      /* 承办单位: an organisation's code (交办) */
	const char *assignee; /* 承办人 (交办) */
	const char *days;     /* 延期天数 (延期) */
	const char *of;       /* 原件编号: the earlier petition's code (重复件) */
	const char *question, *reply; /* 公开版本 (发布) */
};
/* Takes one step on petition id: 0; VE_INVALID with fe naming the field (日期, 说明,
 * 承办单位, 承办人, 延期天数, 原件编号, 公开来信, 公开答复); VE_CONFLICT (the status does not
 * allow it: a second extension, a publication without consent) with err; VE_DENIED (the
 * step needs a permission by lacks, e.g. approving an extension); VE_NOTFOUND outside
 * scope. Nothing is saved on a refusal. */
int petition_act(struct db *db, const struct principal *by, int64_t id,
		 const struct petition_step *s, struct field_errors *fe, char *err, size_t errlen);

/* ---- reading ---- */

/* One petition in by's scope: {"id","code","source","status","name","id_mask",
 * "phone_mask","subject","content","received_on","decide_by","accepted" (null/true/false),
 * "decided_on","decide_note","assigned_org","assignee","assigned_on","ext_state",
 * "ext_asked_days","ext_days","ext_reason","due_on","closed_on","close_note","replied_on",
 * "reply_text","review_asked_on","review_due","review_answered_on","review_text",
 * "duplicate_of":{"id","code"}|null,"consent","public_question","public_reply",
 * "published_on","flag","region_code","imported","actions":[step names open now],
 * "same_writer":[{"id","code","received_on","status"}],"steps":[{"step","title","on_day",
 * "by_name","note"}]}. VE_NOTFOUND outside scope. */
int petition_get(struct db *db, const struct principal *by, int64_t id, json_t **out);

/* The writer's full ID number, phone and address of petition id for one who handles it
 * (to call or write back): {"id_number","phone","address"}, audited as
 * petition.view_full in a transaction of its own. VE_DENIED, VE_NOTFOUND outside scope. */
int petition_reveal(struct db *db, const struct principal *by, int64_t id, json_t **out);

/* The desk's list. status, source: one of the vocabularies or NULL; overdue: only the
 * flagged (the daily job's, kept current by every step); figure, year, as_of: the
 * records one figure of the statistics counts (figure NULL: none). Newest first.
 * {"total","items":[{"id","code","source","status","name","subject","received_on",
 * "decided_on","due_on","closed_on","replied_on","flag"}]}, page (from 1) of per_page. */
struct petition_filter {
	const char *status, *source;
	int overdue;
	const char *figure;
	int year;
	const char *as_of;
	int64_t page, per_page;
};
int petition_list(struct db *db, const struct principal *by, const struct petition_filter *f,
		  json_t **out);

/* The flagged petitions in by's scope (the navigation's count). */
int petition_overdue_count(struct db *db, const struct principal *by, int64_t *n);

/* ---- statistics ---- */

/* The year's figures in by's scope as of as_of (NULL: the earlier of Dec 31 of year and
 * today), read in one snapshot. Over the petitions whose 收到日期 lies in year:
 *   received        all of them
 *   not_accepted    受理 = 不予受理
 *   accepted        受理 = 受理
 *   accepted_late   accepted, 受理日期 more than 15 days after 收到日期
 *   closed          accepted, 办结日期 <= as_of
 *   closed_on_time  closed, 办结日期 <= 受理日期 + 60 days + 延期天数
 *   due             accepted, and closed or 受理日期 + 60 + 延期天数 < as_of
 *   replied         accepted, 答复日期 <= as_of
 *   avg_days        mean days from 受理日期 to 办结日期 over closed, one decimal (null: none)
 *   close_rate      closed ÷ accepted × 100 (办结率, percent, one decimal; null when 0 ÷ 0)
 *   on_time_rate    closed_on_time ÷ due × 100 (按期办结率)
 *   reply_rate      replied ÷ accepted × 100 (回复率)
 * *out = {"year","as_of",<the figures>,"avg_days","close_rate","on_time_rate",
 * "reply_rate"}. VE_INVALID for a bad year or as_of. */
int petition_stats(struct db *db, const struct principal *by, int year, const char *as_of,
		   json_t **out);
/* The default as-of of year: the earlier of Dec 31 of year and today, into out. */
void petition_default_as_of(int year, char out[11]);
/* JSON dump flags that print the one-decimal numbers of petition_stats as such. */
#define PETITION_JSON_FLAGS (JSON_PRESERVE_ORDER | JSON_COMPACT | JSON_REAL_PRECISION(6))

/* ---- the ledger ---- */

/* Loads the ledger at path (.csv or .xlsx: columns 编号, 来源, 收到日期, 受理, 受理日期,
 * 延期天数, 办结日期, 答复日期, in any order), all rows or none, in one transaction: a new
 * 编号 is added, a known one updated when a value changed, left alone when none did.
 * 0 with the counts; VE_INVALID with "第 N 行 字段：原因" in err (nothing saved); VE_IO. */
struct petition_import_result {
	int64_t rows, added, updated, unchanged;
};
int petition_import(struct db *db, const struct principal *by, const char *path,
		    struct petition_import_result *r, char *err, size_t errlen);

/* The same for n rows given in memory (the demo, the benchmark): cells holds n × 8
 * texts in the columns' order above; one transaction. */
int petition_ledger_rows(struct db *db, const struct principal *by, const char *const *cells,
			 size_t n, struct petition_import_result *r, char *err, size_t errlen);

/* ---- the public side (the portal's 区长信箱 and 进度查询) ---- */

/* What a visitor writes to the mailbox. */
struct petition_mail {
	const char *name, *phone, *subject, *content;
	int consent;    /* agrees to publication of the reply (without name or phone) */
	const char *ip; /* the visitor's address, for the audit trail */
};
/* Registers a mailbox message as received today, in the bureau's (the root organisation's)
 * region, by "公众", with a new tracking code into track — the writer's only way back to it.
 * No message is queued yet (the phone is a stranger's word until the desk reads the letter);
 * the desk's steps queue theirs. 0 and *id; VE_INVALID with fe (姓名, 联系电话, 标题, 内容);
 * VE_DB. Audited. */
int petition_mailbox_write(struct db *db, const struct petition_mail *in, int64_t *id,
			   char track[TRACK_CODE_LEN + 1], struct field_errors *fe, char *err,
			   size_t errlen);
/* What the writer of the message with tracking code code (as typed) sees: {"code" (the code),
 * "subject","received_on","status","decide_by","due_on","closed_on","replied_on","reply",
 * "office","published","steps":[{"step","on_day"}]} — the desk's notes and the writer's own
 * data are not in it. VE_NOTFOUND for a code that finds nothing (or is not one). */
int petition_mailbox_track(struct db *db, const char *code, json_t **out);

/* One page of the published replies of the mailbox, newest first, for the portal: [{"id",
 * "code","received_on","replied_on","published_on","question","reply","office"}] (office: the
 * organisation the petition was assigned to, else the one that registered it) and *total —
 * never a name, ID, phone or address. */
int petition_published(struct db *db, int64_t offset, int64_t limit, json_t **out,
		       int64_t *total);
/* One published reply by its id ({…} as in the list); VE_NOTFOUND unless published. */
int petition_published_one(struct db *db, int64_t id, json_t **out);

/* ---- the daily job ---- */

/* Flags the overdue as of day: undecided 15 days after receipt (受理超期), accepted and
 * not closed after 60 days plus the extension (办结超期), a 复查 unanswered 30 days after
 * it was asked (复查超期); clears flags no longer due. *changed: rows whose flag changed;
 * *flagged: rows flagged now. In the caller's transaction. */
int petition_flag_overdue(struct db *db, const char *day, int64_t *changed, int64_t *flagged);
extern const struct job petition_deadline_job;

/* ---- permissions and the area ---- */

extern const struct perm perm_petition_read, perm_petition_handle,
	perm_petition_approve_extension;
#define PERM_PETITION_READ (&perm_petition_read)

/* The year's figures as a figure set (petition_figures.c, areas/figure.h): `vets stats
 * petition`, /petition/stats; `vets stats petitions` keeps its own (petition_stats). */
extern const struct figure_set petition_figure_set;
#define PERM_PETITION_HANDLE (&perm_petition_handle)
#define PERM_PETITION_APPROVE_EXTENSION (&perm_petition_approve_extension)
extern const struct area petition_area;

#endif
