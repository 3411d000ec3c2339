/* application.h - the counter (退役军人服务一件事): an application for a service item
 * received at a window, its deadline in working days, its steps to the end, and the public
 * tracking of it by a code.
 *
 * 受理: every essential material of the item handed in. 容缺受理: only 容缺-able materials
 * missing, the applicant's written promise, and not on the 失信 list (discredit.h); the
 * missing materials are due by supply_by, never later than the due day. The due day is
 * calendar_due(accepted_on, the item's limit + the working days the clock stood still for
 * 补正). 补正 stops the clock (stored: paused_on), 补正完成 restarts it and recomputes the
 * due day; 补齐 records a missing material supplied; 办结 ends it once nothing is missing;
 * 不予受理 and 退回 end it with a reason. The daily job ends (终止) a 容缺 application
 * whose supply_by passed with a material still missing, and flags the overdue ones.
 * Every step is a row of application_steps (day, by whom), audited, and queues a message
 * to the applicant (outbox.h) with the tracking code and the item, nothing personal.
 * The applicant's ID number and phone are sealed to the row (sealed.h), with a blind
 * index and a mask. Scope: the receiving office's place (region_code), or the clerk. */
#ifndef VETS_APPLICATION_H
#define VETS_APPLICATION_H

#include "areas/area.h"
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "areas/account.h"
#include "db/db.h"
#include "lib/track_code.h"
#include "lib/field_errors.h"

/* ---- vocabularies ---- */

/* Statuses. Open: 已受理, 容缺受理, 补正中. Ended: the others. */
#define APP_ACCEPTED "已受理"
#define APP_PARTIAL "容缺受理"
#define APP_CORRECTING "补正中"
#define APP_CLOSED "已办结"
#define APP_REFUSED "不予受理"
#define APP_RETURNED "已退回"
#define APP_ENDED "已终止"
#define APP_N_STATUSES 7
extern const char *const application_statuses[APP_N_STATUSES];
/* 1 when status is one of the open ones. */
int application_status_open(const char *status);

/* The steps a clerk takes on an application (their API names and Chinese titles):
 * correct 补正, resume 补正完成, supply 补齐, close 办结, refuse 不予受理, return 退回. */
enum application_step_kind {
	STEP_CORRECT,
	STEP_RESUME,
	STEP_SUPPLY,
	STEP_CLOSE,
	STEP_REFUSE,
	STEP_RETURN,
	STEP__COUNT
};
const char *application_step_name(enum application_step_kind k);
const char *application_step_title(enum application_step_kind k);
/* The kind named name, or -1. */
int application_step_parse(const char *name);

/* The queues: mine (received by me, open), office (my office's, open), overdue (open past
 * due), near (open, due within APP_NEAR_DAYS working days), all (every status). */
#define APP_N_QUEUES 5
extern const char *const application_queues[APP_N_QUEUES];
const char *application_queue_title(const char *queue);
#define APP_NEAR_DAYS 3
/* The default 容缺 supply window in working days (capped at the due day). */
#define APP_SUPPLY_DAYS 5

/* Tracking codes: lib/track_code.h. */

/* ---- receiving ---- */

struct application_input {
	const char *service; /* the item's code */
	const char *name, *id_number, *phone;
	const char *const *materials; /* the names handed in */
	size_t n_materials;
	int promise;           /* the written promise (容缺) */
	const char *supply_by; /* optional: the 容缺 deadline; default APP_SUPPLY_DAYS, ≤ due */
};

/* What an item's materials against those handed in give, without saving: {"service",
 * "item_name","time_limit_days","materials":[{"name","essential","handed_in"}],
 * "status" (已受理, 容缺受理 or "" when an essential one is missing),"missing":[names],
 * "essential_missing":[names],"due","supply_by"}. VE_NOTFOUND for an unknown item. */
int application_assess(struct db *db, const struct application_input *in, json_t **out);

/* Receives an application: 0 and *out {"id","tracking_code","status","due","supply_by",
 * "missing":[…]}; VE_INVALID with fe (事项, 姓名, 身份证号, 手机号, 材料 naming the essential
 * materials missing, 承诺 without the promise, 补齐期限); VE_DENIED with err for a 容缺 asked
 * by a person on the 失信 list; VE_NOTFOUND naming an unknown item in fe (事项). Nothing is
 * saved on a refusal. */
int application_receive(struct db *db, const struct principal *by,
			const struct application_input *in, struct field_errors *fe, char *err,
			size_t errlen, json_t **out);

/* ---- steps ---- */

struct application_step_input {
	const char *note; /* 补正: what to correct; 不予受理, 退回: the reason (2-200) */
	const char *material; /* 补齐: the missing material supplied */
};
/* Takes step k on application id: 0; VE_INVALID with fe (说明, 材料); VE_CONFLICT with err
 * (the status does not allow it, e.g. 办结 with a material missing); VE_NOTFOUND outside
 * scope. One transaction: the step, the status, the audit and the message. */
int application_step(struct db *db, const struct principal *by, int64_t id,
		     enum application_step_kind k, const struct application_step_input *in,
		     struct field_errors *fe, char *err, size_t errlen);

/* For the demo and for loading past records: application_receive / application_step as of
 * day (the acceptance or step day; NULL: today), queueing no message when quiet. */
int application_receive_on(struct db *db, const struct principal *by,
			   const struct application_input *in, const char *day, int quiet,
			   struct field_errors *fe, char *err, size_t errlen, json_t **out);
int application_step_on(struct db *db, const struct principal *by, int64_t id,
			enum application_step_kind k, const struct application_step_input *in,
			const char *day, int quiet, struct field_errors *fe, char *err,
			size_t errlen);

/* ---- reading ---- */

/* One application for staff: {"id","tracking_code","status","open","item_code","item_name",
 * "name","id_mask","phone_mask","promise","accepted_on","due","weekends_only","supply_by",
 * "paused_on","paused_days","closed_on","overdue","org_name","clerk_name","missing":[names],
 * "materials":[{"name","essential","handed_in","supplied_on"}],"steps":[{"step","on_day",
 * "at","by_name","note"}],"actions":[{"name","title"}]}. VE_NOTFOUND outside scope. */
int application_get(struct db *db, const struct principal *by, int64_t id, json_t **out);

struct application_filter {
	const char *queue;  /* application_queues; NULL or unknown: office */
	const char *status; /* one status or NULL */
	const char *year;   /* YYYY of accepted_on, or NULL */
	int64_t limit;      /* rows at most (0: APP_LIST_MAX) */
};
#define APP_LIST_MAX 100
/* The list, the first rows by due day: {"total" (rows
 * given),"limit","items":[{"id","tracking_code","status","item_name","name","id_mask",
 * "phone_mask","accepted_on","due","supply_by","overdue","clerk_name"}]}, by due day. */
int application_list(struct db *db, const struct principal *by, const struct application_filter *f,
		     json_t **out);

/* The public tracking view of code (normalised first): {"tracking_code","item_name","status",
 * "accepted_on","due","supply_by","closed_on","missing":[names],"steps":[{"step","on_day",
 * "note"}],"messages":[…]} — never a name, ID number or phone. VE_NOTFOUND. */
int application_track(struct db *db, const char *code, json_t **out);

/* ---- for other areas (ratings) ---- */

struct application_brief {
	int64_t id, item_id, org_id, clerk_id;
	char region_code[16], tracking_code[40], status[24], item_name[128], accepted_on[11],
		due[11], closed_on[11];
};
/* What other areas need of one application, scoped to by (VE_NOTFOUND outside scope). */
int application_brief(struct db *db, const struct principal *by, int64_t id,
		      struct application_brief *out);
/* The same by tracking code (normalised first), unscoped: for the public pages. */
int application_by_code(struct db *db, const char *tracking_code, struct application_brief *out);
/* Queues a message to the applicant of id (opens the sealed phone itself), in the caller's
 * transaction: text is in Chinese and holds nothing personal. */
int application_notify(struct db *db, int64_t id, const char *text);

/* ---- the daily job ---- */

/* As of day (YYYY-MM-DD): ends every 容缺 application whose supply_by is before day with a
 * material still missing (终止, a step and a message unless quiet), and flags (overdue = 1)
 * every running one past its due day, unflagging the others. In its own transaction unless
 * in_tx (the job runner's). *ended, *flagged (all flagged after the run). */
int application_deadlines(struct db *db, const struct principal *by, const char *day, int in_tx,
			  int quiet, int64_t *ended, int64_t *flagged);
extern const struct job application_deadline_job;

/* ---- permissions and the area ---- */

extern const struct perm perm_application_read, perm_application_handle, perm_discredit_manage;
#define PERM_APPLICATION_READ (&perm_application_read)
#define PERM_APPLICATION_HANDLE (&perm_application_handle)

/* The counter's year figures as a figure set (application_figures.c, areas/figure.h):
 * `vets stats applications`, /applications/stats; `vets stats counter` keeps its own. */
extern const struct figure_set application_figures;
#define PERM_DISCREDIT_MANAGE (&perm_discredit_manage)
extern const struct area application_area;

#endif
