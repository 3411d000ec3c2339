/* placement.h - 安置: the city's yearly plan (军转干部 n, 退役士兵 m), a case per person of
 * the registry with its dated steps, the deadlines the daily job watches, 待安置期生活费
 * (a benefit type paid through the batches) and the year's figures.
 *
 * A case is opened for a person of the registry in the writer's scope, with its kind
 * (军转干部, 退役士兵), the plan year it counts against, its 安置方式 and the discharge date.
 * Its steps, each dated (not after today, in order: see placement_act), by whom, audited,
 * one transaction each; a step recorded again corrects its date (audited as 更正):
 *   报到          自主就业: within 30 days of discharge, or the right lapses.
 *   档案接收, 档案审核, 户口登记介绍信, 优待证.
 *   岗位落实      安排工作 and 转业: within 6 months of the files' reception; for the
 *                 other methods 安置落实 (after 报到 for 自主就业). The case is 已安置.
 *   医保接续, 社保接续.
 * 待安置期生活费: an arranged-job case (安排工作, 转业) whose files the bureau receives
 * gives its person the benefit PLACEMENT_WAIT from that month (an entitlement granted at
 * once, paid by the monthly batches at the standard in force for any category: the local
 * minimum wage; the person needs a bank account); 岗位落实 ends it (终止) with the month
 * of placement, or with the last month batches have paid it for when that is later (a
 * catch-up still pays the months owed). Files of such a case are the bureau's to receive (a station is refused).
 * The daily job placement.deadlines (00:40): 自主就业 cases not reported are flagged 报到临期
 * within 7 days of the deadline and lapse (已失权) the day after it; arranged-job cases not
 * placed are flagged 岗位落实临期 within 30 days of theirs and 岗位落实超期 after it.
 * Scope: the person's region, as for people (a station: its street). */
#ifndef VETS_PLACEMENT_H
#define VETS_PLACEMENT_H

#include "areas/area.h"
#include <jansson.h>
#include <stdint.h>

#include "areas/account.h"
#include "db/db.h"
#include "lib/field_errors.h"

/* ---- vocabularies ---- */

#define PLACEMENT_N_KINDS 2
extern const char *const placement_kinds[PLACEMENT_N_KINDS]; /* 军转干部 退役士兵 */
#define PLACEMENT_N_METHODS 7
/* 逐月领取退役金 自主就业 安排工作 退休 供养 转业 复员 (the last two for 军转干部 only) */
extern const char *const placement_methods[PLACEMENT_N_METHODS];
#define PLACEMENT_N_STATUSES 3
extern const char *const placement_statuses[PLACEMENT_N_STATUSES]; /* 办理中 已安置 已失权 */
#define PLACEMENT_N_STEPS 9
/* The steps' codes and titles, in the order a case takes them. */
extern const char *const placement_steps[PLACEMENT_N_STEPS][2];
const char *placement_step_title(const char *step);

#define PLACEMENT_BENEFIT "PLACEMENT_WAIT"
enum {
	PLACEMENT_REPORT_DAYS = 30,     /* 自主就业: 报到 within 30 days of discharge */
	PLACEMENT_REPORT_WARN_DAYS = 7, /* flagged that many days before */
	PLACEMENT_PLACE_MONTHS = 6,     /* arranged job: placed within 6 months of reception */
	PLACEMENT_PLACE_WARN_DAYS = 30,
};

/* 1 when method arranges a job (安排工作, 转业): the 6-month rule and the allowance. */
int placement_method_arranged(const char *method);
/* The day n months after day (the month's last day when it has fewer days) into out;
 * -1 for a bad day. */
int placement_month_add(const char *day, int n, char out[11]);

/* ---- the plan ---- */

/* Sets (or corrects) year's plan: 年度, 军转干部计划数, 退役士兵计划数 as text; VE_INVALID
 * with fe naming the field (a negative or non-numeric count, a year outside 2000-2100);
 * VE_DENIED for one not district-wide. Audited. */
int placement_plan_set(struct db *db, const struct principal *by, const char *year,
		       const char *officers, const char *soldiers, const char *note,
		       struct field_errors *fe, char *err, size_t errlen);
/* The plans, newest year first, with the cases counted against each (in by's scope):
 * [{"year","officers","soldiers","note","officers_cases","soldiers_cases",
 *   "officers_placed","soldiers_placed"}]. */
int placement_plans(struct db *db, const struct principal *by, json_t **out);

/* ---- cases ---- */

struct placement_new {
	const char *person_id; /* 人员编号 */
	const char *kind, *plan_year, *method, *discharged_on, *note;
};
/* Opens a case: 0 and *id; VE_INVALID with fe (人员编号 — a person not in the registry
 * in by's scope —, 人员类型, 计划年度, 安置方式, 退役日期); VE_EXISTS with fe on 人员编号 when
 * the person has a case. Audited. */
int placement_open(struct db *db, const struct principal *by, const struct placement_new *in,
		   int64_t *id, struct field_errors *fe, char *err, size_t errlen);

/* One step: step is a code of placement_steps; on its day (default today); employer
 * (接收单位) for 岗位落实 of an arranged job. VE_INVALID with fe (日期 named by the step's
 * title, e.g. "报到日期"; 接收单位; 步骤); VE_CONFLICT with err (a lapsed case, a step
 * that waits for another, a station receiving arranged-job files); VE_NOTFOUND outside
 * scope. Nothing is saved on a refusal. */
struct placement_step {
	const char *step, *on, *employer, *note;
};
int placement_act(struct db *db, const struct principal *by, int64_t id,
		  const struct placement_step *s, struct field_errors *fe, char *err,
		  size_t errlen);

/* A case in scope: {"id","person_id","name","id_mask","region_code","kind","plan_year",
 * "method","arranged","discharged_on","status","report_by","place_by","flag","flagged_on",
 * "lapsed_on","employer","note","entitlement_id","dates":{step: day|null},
 * "steps":[{"step","title","on_day","by_name","note","at"}]}. VE_NOTFOUND outside scope. */
int placement_get(struct db *db, const struct principal *by, int64_t id, json_t **out);

struct placement_filter {
	const char *status, *kind;
	int flagged, year; /* year: plan year, 0 any */
	int64_t page, per_page;
};
/* {"total","items":[{"id","person_id","name","kind","plan_year","method","discharged_on",
 * "status","flag","report_by","place_by","placed_on"}]}, newest first. */
int placement_list(struct db *db, const struct principal *by, const struct placement_filter *f,
		   json_t **out);

/* The daily work as of day: lapses, flags. *lapsed, *flagged (cases flagged now). */
int placement_deadlines(struct db *db, const struct principal *by, const char *day, int in_tx,
			int64_t *lapsed, int64_t *flagged);

/* ---- what the area declares ---- */

extern const struct perm perm_placement_read;
#define PERM_PLACEMENT_READ (&perm_placement_read)
extern const struct perm perm_placement_manage;
#define PERM_PLACEMENT_MANAGE (&perm_placement_manage)
extern const struct perm perm_placement_plan;
#define PERM_PLACEMENT_PLAN (&perm_placement_plan)
extern const struct figure_set placement_figures;
extern const struct job placement_deadline_job;
extern const struct area placement_area;

#endif
