/* consultation.h - 意见征集: a draft document (a policy, a rule) put before the public for
 * comments between two dates, the comments' moderation, and after the close a summary of
 * what was adopted and why not.
 *
 * A consultation is open on the days opens_on to closes_on, both inclusive, Beijing time;
 * its status is computed from those dates and today, never stored. The public (the
 * portal) sees a consultation from its first day on: an upcoming one is staff's draft.
 * A comment is taken only while it is open; it waits for moderation (待审核) and is then
 * published (已发布) or not (未采用, with a reason staff see; the public sees neither the
 * comment nor the reason). No contact data is collected: the name is optional and shown
 * to staff only; a comment that needs an answer belongs in 区长信箱. The sender's address
 * is kept only as a keyed hash (to see a flood from one source), and in the audit trail.
 *
 * Consultations are the bureau's content: every reader sees all of them (no data scope).
 * Every write is audited, the public's comments with the portal's actor. */
#ifndef VETS_CONSULTATION_H
#define VETS_CONSULTATION_H

#include "areas/area.h"
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "areas/account.h"
#include "areas/audit.h"
#include "db/db.h"
#include "lib/field_errors.h"

/* ---- vocabularies ---- */

#define CONSULT_UPCOMING "未开始"
#define CONSULT_OPEN "征集中"
#define CONSULT_CLOSED "已结束"

#define COMMENT_PENDING "待审核"
#define COMMENT_PUBLISHED "已发布"
#define COMMENT_REJECTED "未采用"
#define CONSULT_N_COMMENT_STATUSES 3
extern const char *const consultation_comment_statuses[CONSULT_N_COMMENT_STATUSES];

/* The limits, in characters (the draft and summary) and days. */
enum {
	CONSULT_TITLE_MAX = 100,
	CONSULT_BODY_MAX = 30000,
	CONSULT_SUMMARY_MAX = 10000,
	CONSULT_DAYS_MAX = 366,  /* the longest window */
	CONSULT_NAME_MAX = 30,   /* a visitor's name */
	CONSULT_COMMENT_MIN = 5, /* a comment's text */
	CONSULT_COMMENT_MAX = 2000,
	CONSULT_REASON_MAX = 200, /* why a comment is not published */
};

/* ---- pure rules ---- */

/* The status of a window on day today (all YYYY-MM-DD): CONSULT_UPCOMING before opens_on,
 * CONSULT_CLOSED after closes_on, else CONSULT_OPEN. */
const char *consultation_status(const char *opens_on, const char *closes_on, const char *today);
/* A date as people read it: "2026-03-01" → "2026年3月1日" into out (the text itself when
 * it is not a date). */
void consultation_date_words(const char *day, char out[32]);

/* ---- staff ---- */

struct consultation_in {
	const char *title, *body; /* 标题, 征求意见稿 (Markdown) */
	const char *opens_on, *closes_on; /* 开始日期, 截止日期: YYYY-MM-DD, Beijing time */
};
/* Creates (id 0) or edits consultation id: 0 and *out_id; VE_INVALID with fe (标题, 征求意见稿,
 * 开始日期, 截止日期: a bad date, the close before the opening, a window over 366 days, a
 * new consultation that has already closed); VE_DENIED without consultation.manage;
 * VE_NOTFOUND. Audited (consultation.create / consultation.edit). */
int consultation_save(struct db *db, const struct principal *by, int64_t id,
		      const struct consultation_in *in, int64_t *out_id, struct field_errors *fe,
		      char *err, size_t errlen);

/* Publishes the summary of what was adopted and why not (采纳情况, Markdown, 10 to 10,000
 * characters) of consultation id, or replaces it: 0; VE_INVALID with fe (采纳情况);
 * VE_CONFLICT while it is not closed yet; VE_DENIED; VE_NOTFOUND. Audited
 * (consultation.summary). */
int consultation_set_summary(struct db *db, const struct principal *by, int64_t id,
			     const char *summary, struct field_errors *fe, char *err,
			     size_t errlen);

/* Publishes (publish 1) or does not publish (0, with reason: 2 to 200 characters) comment
 * comment_id; a decision may be changed later. 0 and *consultation_id; VE_INVALID with fe
 * (理由); VE_CONFLICT when the comment has that status already; VE_DENIED; VE_NOTFOUND.
 * Audited (consultation.comment_publish / consultation.comment_reject). */
int consultation_moderate(struct db *db, const struct principal *by, int64_t comment_id,
			  int publish, const char *reason, int64_t *consultation_id,
			  struct field_errors *fe, char *err, size_t errlen);

/* Every consultation, newest opening first: {"items":[{"id","title","opens_on","closes_on",
 * "status","has_summary","counts":{"received","published","rejected","pending"}}]}. */
int consultation_list(struct db *db, const struct principal *by, json_t **out);

/* One consultation for staff: {"id","title","body","opens_on","closes_on","status",
 * "opens_words","closes_words","summary","summary_at","summary_name","created_at",
 * "created_name","updated_at","updated_name","counts":{…},"total" (of the filter),
 * "comments":[{"id","number","name","body","submitted_at","source","status","reason",
 * "moderated_at","moderated_name"}]}: the comments of status (one of
 * consultation_comment_statuses, or NULL/"" for all), oldest first, page (from 1) of
 * per_page. Times are "YYYY-MM-DD HH:MM" Beijing time. VE_NOTFOUND. */
int consultation_get(struct db *db, const struct principal *by, int64_t id, const char *status,
		     int64_t page, int64_t per_page, json_t **out);

/* The comments of every consultation waiting for moderation (the navigation's count). */
int consultation_pending_count(struct db *db, int64_t *n);

/* Writes the comments of consultation id to an .xlsx at path: a sheet 意见 (序号, 提交时间,
 * 姓名, 意见, 状态, 未采用理由, 审核人, 审核时间, 来源标识), all of them oldest first, and a
 * sheet 概况 (the title, dates, status and counts). Cells a spreadsheet would run as a
 * formula are guarded (sheet_guard). Audited (consultation.export) once written; no file
 * is left at path on an error. 0, VE_NOTFOUND, VE_IO, VE_DB with err. */
int consultation_export(struct db *db, const struct principal *by, int64_t id, const char *path,
			char *err, size_t errlen);

/* ---- the public ---- */

/* The consultations the public sees (opened on or before today), the open ones first
 * (closing soonest first), then the closed (latest close first): {"open":[…],"closed":[…]},
 * each {"id","title","opens_on","closes_on","opens_words","closes_words","status",
 * "has_summary","received","published"}: received counts every comment sent (pending and
 * not published ones too), published those shown. */
int consultation_public_list(struct db *db, json_t **out);

/* One consultation as the public sees it: {"id","title","body","opens_on","closes_on",
 * "opens_words","closes_words","status","open","received","published","summary" (after the
 * close, "" until staff publish it)}; with comments, also "comments":[{"number","body",
 * "submitted_on"}] (the published ones, oldest first, at most 500: never a name, an address
 * or a reason). VE_NOTFOUND for an unknown or upcoming consultation. */
int consultation_public_get(struct db *db, int64_t id, int comments, json_t **out);

/* A visitor's comment on consultation id (name optional, text 5 to 2,000 characters), held
 * for moderation: 0 and *comment_id; VE_INVALID with fe (姓名, 意见); VE_CONFLICT with a
 * Chinese message before the opening day (an upcoming consultation's page is not public,
 * but a comment sent to it early is told when it opens) or after the closing day (Beijing
 * time); VE_NOTFOUND for an unknown consultation. Nothing is stored on a refusal.
 * Audited (consultation.comment) as who, in the same transaction. */
int consultation_comment(struct db *db, const struct audit_actor *who, int64_t id,
			 const char *name, const char *text, int64_t *comment_id,
			 struct field_errors *fe, char *err, size_t errlen);

/* The same at time at (epoch seconds) instead of now, the window checked on at's date: for
 * the demo, which records comments sent in the past. */
int consultation_comment_at(struct db *db, const struct audit_actor *who, int64_t id,
			    const char *name, const char *text, int64_t at, int64_t *comment_id,
			    struct field_errors *fe, char *err, size_t errlen);

/* ---- permissions and the area ---- */

extern const struct perm perm_consultation_read, perm_consultation_manage;
#define PERM_CONSULTATION_READ (&perm_consultation_read)
#define PERM_CONSULTATION_MANAGE (&perm_consultation_manage)
extern const struct area consultation_area;

#endif
