/* rating.h - 好差评: the applicant's rating of an application, the 回访 and 整改 every
 * named 差评 owes, 申诉复核 of a rating made in error, and the counter's statistics.
 *
 * One rating per application, made once the application has ended (办结, 不予受理, 退回,
 * 终止): at the counter by staff entering the applicant's choice (channel 窗口), or by the
 * applicant on the public tracking page with the tracking code (channel 查询页). A rating of
 * 不满意 or 非常不满意 is a 差评. A 差评 whose applicant is named (the application carries
 * the applicant's name) owes a 回访 (the day, who called, what was said) and an 整改 (the
 * day, what was fixed) within the working days of setting "rating.followup_days"
 * (default 5) after the day of the rating (calendar_due); the daily job "rating.late"
 * marks those past that day without both. Staff may ask for a review of a rating made in
 * error (申诉, with a reason); a leader decides: upheld (申诉成立) keeps the rating, marked,
 * out of every statistic and out of the follow-up lists; rejected (申诉不成立) leaves it as
 * it was. Every step is audited. Scope: the application's region. */
#ifndef VETS_RATING_H
#define VETS_RATING_H

#include "areas/area.h"
#include <jansson.h>
#include <stdint.h>

#include "areas/account.h"
#include "db/db.h"
#include "lib/field_errors.h"

/* ---- vocabularies ---- */

/* The five levels, best first; the last two are 差评. */
#define RATING_N_LEVELS 5
extern const char *const rating_levels[RATING_N_LEVELS];
/* The index of level in rating_levels, or -1. */
int rating_level_index(const char *level);
/* 1 when level is 不满意 or 非常不满意. */
int rating_level_is_bad(const char *level);

#define RATING_CHANNEL_COUNTER "窗口"
#define RATING_CHANNEL_TRACK "查询页"

/* An appeal's states. */
#define RATING_APPEAL_ASKED "待复核"
#define RATING_APPEAL_UPHELD "申诉成立"
#define RATING_APPEAL_REJECTED "申诉不成立"

/* The application statuses after which a rating may be made. */
#define RATING_N_END_STATES 4
extern const char *const rating_end_states[RATING_N_END_STATES];

/* The setting of the working days a named 差评's 回访 and 整改 are due in. */
#define RATING_FOLLOWUP_DAYS_KEY "rating.followup_days"
#define RATING_FOLLOWUP_DAYS_DEFAULT 5

/* The list's filters: "open" (named 差评 not yet followed up: 回访 or 整改 missing),
 * "late" (open past its due day, or marked late), "bad" (every 差评), "appeal" (an
 * appeal waiting), "all". */
#define RATING_N_FILTERS 5
extern const char *const rating_filters[RATING_N_FILTERS];
const char *rating_filter_title(const char *filter);

/* ---- reading ---- */

/* The rating of application id for the public tracking page (no personal data, no
 * staff names): {"level","rated_on","channel","bad"}, or a JSON null when none (an
 * excluded rating still shows: it was made). 0 or VE_DB. */
int rating_of(struct db *db, int64_t application_id, json_t **out);

/* The working days of a follow-up (the setting, else the default) into *days. */
int rating_followup_days(struct db *db, int *days);

/* Sets the working days of a follow-up (跟进期限, 1-30) for 差评 rated from now on (by holds
 * rating.decide): 0; VE_INVALID with fe. Audited "rating.settings". */
int rating_set_followup_days(struct db *db, const struct principal *by, const char *days,
			     struct field_errors *fe, char *err, size_t errlen);

/* The list of ratings in by's scope for filter (unknown: "open"), newest first:
 * {"total","items":[{"id","application_id","tracking_code","item_name","level","bad",
 * "named","channel","rated_on","followup_due","visit_on","fix_on","late","overdue",
 * "appeal_status","excluded"}]}; "overdue" is 1 when open and due before today. */
int rating_list(struct db *db, const struct principal *by, const char *filter, json_t **out);

/* One rating in scope: the row of the list plus "comment","rated_name","applicant"
 * (the name masked), "due_weekends_only","visit_person","visit_note","visit_name",
 * "fix_note","fix_name","appeal_reason","appeal_name","decision_note","decided_name",
 * "late_on","needs_followup". VE_NOTFOUND outside scope. */
int rating_get(struct db *db, const struct principal *by, int64_t id, json_t **out);

/* The rating of application id in scope, as rating_get, or VE_NOTFOUND (no rating, or
 * the application outside scope: *exists tells the application exists in scope). */
int rating_get_by_application(struct db *db, const struct principal *by, int64_t application_id,
			      json_t **out);

/* ---- the work ---- */

/* A rating made at the counter by by (permission rating.write) for application_id:
 * level one of rating_levels (等级), comment up to 200 characters (意见). 0 and *id;
 * VE_INVALID with fe; VE_NOTFOUND (the application outside scope); VE_CONFLICT with err
 * (not ended yet, or rated already). */
int rating_make(struct db *db, const struct principal *by, int64_t application_id,
		const char *level, const char *comment, int64_t *id, struct field_errors *fe,
		char *err, size_t errlen);

/* The applicant's rating on the public tracking page, by tracking code, audited with
 * the client's address ip. Same refusals; an unknown code is VE_NOTFOUND. */
int rating_make_public(struct db *db, const char *tracking_code, const char *level,
		       const char *comment, const char *ip, int64_t *id, struct field_errors *fe,
		       char *err, size_t errlen);

/* The 回访 of 差评 id: on (回访日期, not after today nor before the rating), person (回访人,
 * who called; empty: by's name), note (回访情况, 2-500 characters). Recorded once; VE_CONFLICT
 * when not a named 差评, excluded or recorded already. */
int rating_visit(struct db *db, const struct principal *by, int64_t id, const char *on,
		 const char *person, const char *note, struct field_errors *fe, char *err,
		 size_t errlen);
/* The 整改 of 差评 id: on (整改日期), note (整改情况, 2-500 characters). Same refusals. */
int rating_fix(struct db *db, const struct principal *by, int64_t id, const char *on,
	       const char *note, struct field_errors *fe, char *err, size_t errlen);

/* Staff ask for a review of rating id made in error: reason (申诉理由, 2-500 characters).
 * VE_CONFLICT when an appeal was made already. */
int rating_appeal(struct db *db, const struct principal *by, int64_t id, const char *reason,
		  struct field_errors *fe, char *err, size_t errlen);
/* A leader's decision on the appeal of rating id: uphold (1) or reject (0; anything else is
 * refused on 复核结论), note (复核意见,
 * 2-500 characters). VE_DENIED when by asked for it; VE_CONFLICT when none is waiting. */
int rating_appeal_decide(struct db *db, const struct principal *by, int64_t id, int uphold,
			 const char *note, struct field_errors *fe, char *err, size_t errlen);

/* Ratings made on earlier days, as a ledger kept before vets recorded them (the demo's
 * history), all in one transaction: each of an application ended on or before its day, the
 * 差评's due day counted from that day, visit_on and fix_on ("" : not yet) with note as both
 * texts; by's scope, each audited as rating.create. 0, or the first refusal (VE_CONFLICT:
 * rated already or still open; VE_NOTFOUND) with nothing saved. */
struct rating_past {
	int64_t application_id;
	const char *level;
	char day[11], visit_on[11], fix_on[11];
	const char *note;
};
int rating_record_past(struct db *db, const struct principal *by, const struct rating_past *items,
		       size_t n);
/* The ended applications in by's scope not yet rated, oldest first: [{"id","closed_on"}]. */
int rating_unrated(struct db *db, const struct principal *by, json_t **out);

/* Marks late, as of day, every open named 差评 whose due day is before day: the job's
 * work, in the caller's transaction; *count the ratings marked. */
int rating_mark_late(struct db *db, const struct principal *by, const char *day, int64_t *count);

/* ---- the counter's statistics (rating_stats.c) ----
 *
 * For year Y as of day A (default: the earlier of Y-12-31 and today), over the
 * applications in by's scope; "accepted in Y" means accepted_on in Y and not after A:
 *   accepted             accepted in Y (受理 and 容缺受理 alike)
 *   rongque              accepted in Y by 容缺受理
 *   closed               accepted in Y, 办结 with closed_on ≤ A
 *   closed_on_time       closed, closed_on ≤ due
 *   overdue              accepted in Y and either closed after its due day, or not ended
 *                        by A (no end day, or one after A) with due < A and not waiting
 *                        for 补正 now (the clock stands still; its due moves on resuming)
 *   ratings {level: n}   ratings made in Y, not after A, not excluded by an upheld appeal
 *   bad                  of those, 不满意 and 非常不满意
 *   bad_named            of bad, the named ones (they owe a 回访 and an 整改)
 *   bad_followed_in_time of bad_named, 回访 and 整改 both recorded on or before the due
 *                        day and not after A
 * All read in one snapshot. */
#define RATING_N_FIGURES 13
extern const char *const rating_figures[RATING_N_FIGURES];
/* The Chinese title of figure, or NULL for an unknown one. */
const char *rating_figure_title(const char *figure);

/* Checks year (1950-2100) and as_of (NULL or "": the default) into as_of_out; VE_INVALID
 * with err naming the field. */
int rating_stats_period(int year, const char *as_of, char as_of_out[11], char *err, size_t errlen);
/* {"year","as_of","accepted","rongque","closed","closed_on_time","overdue","ratings":
 * {level: n},"bad","bad_named","bad_followed_in_time"}. */
int rating_counter_stats(struct db *db, const struct principal *by, int year, const char *as_of,
			 json_t **out);
/* The records a figure counts: {"figure","title","total","items":[{"application_id",
 * "tracking_code","item_name","status","accepted_on","due","closed_on","rating_id",
 * "level","rated_on"}]}, "total" equal to the figure. VE_INVALID for an unknown figure. */
int rating_counter_list(struct db *db, const struct principal *by, int year, const char *as_of,
			const char *figure, json_t **out);

/* ---- permissions and the area ---- */

extern const struct perm perm_rating_read, perm_rating_write, perm_rating_appeal,
	perm_rating_decide, perm_counter_stats;
#define PERM_RATING_READ (&perm_rating_read)
#define PERM_RATING_WRITE (&perm_rating_write)
#define PERM_RATING_APPEAL (&perm_rating_appeal)
#define PERM_RATING_DECIDE (&perm_rating_decide)
#define PERM_COUNTER_STATS (&perm_counter_stats)
extern const struct area rating_area;

#endif
