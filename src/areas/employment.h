/* employment.h - 就业创业: enterprises known by their 统一社会信用代码, job fairs and the
 * enterprises and positions taking part in each (entered one by one or imported from the
 * organisers' sheet), veterans seeking work (linked to the registry), matching both ways,
 * and the outcome (hired where, when); with the year's figures (figure.h).
 *
 * Scope: fairs and their positions belong to the region of the organising user's
 * organisation, seekers to their person's region (SCOPE_REGION_SQL); a station works within
 * its street: another street's fair or seeker is "not found", a person of another street
 * can't be registered. Enterprises are reference data every reader of the area sees.
 * Every write is one transaction, audited (employment.*). */
#ifndef VETS_EMPLOYMENT_H
#define VETS_EMPLOYMENT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "areas/account.h"
#include "areas/area.h"
#include "areas/figure.h"
#include "db/db.h"
#include "lib/field_errors.h"

/* ---- vocabularies ---- */

#define EMPLOYMENT_N_KINDS 2
extern const char *const employment_fair_kinds[EMPLOYMENT_N_KINDS]; /* 线下 线上 */
#define EMPLOYMENT_SEEKING "求职中"
#define EMPLOYMENT_HIRED "已就业"
#define EMPLOYMENT_WITHDRAWN "已退出"
#define EMPLOYMENT_N_STATUSES 3
extern const char *const employment_statuses[EMPLOYMENT_N_STATUSES];

/* Limits of what is typed. */
enum {
	EMPLOYMENT_NAME_MAX =
		100, /* characters of a fair's, an enterprise's or a position's name */
	EMPLOYMENT_TEXT_MAX = 1000,        /* characters of 备注 */
	EMPLOYMENT_REQUIREMENTS_MAX = 400, /* characters of 岗位要求 */
	EMPLOYMENT_HEADCOUNT_MAX = 100000,
	EMPLOYMENT_PAY_MAX_FEN = 100000000, /* 100 万元 a month */
	EMPLOYMENT_IMPORT_ROWS_MAX = 20000,
};

/* ---- matching (pure) ---- */

/* How well a position (title, requirements, enterprise name) fits a seeker's 意向 and 技能
 * (items separated by 、，,;；/ or spaces), and whether both are in the same street:
 * each 意向 item found in the title counts 3, in the requirements or the enterprise's
 * name 1; each 技能 item found in the title or requirements 2; the same street 1, only
 * when an item was found. 0: no fit. why (may be NULL) gets the reasons, "；"-separated. */
int employment_match_score(const char *intention, const char *skills, const char *title,
			   const char *requirements, const char *enterprise, int same_street,
			   char *why, size_t size);

/* ---- enterprises ---- */

struct employment_enterprise_in {
	const char *uscc, *name, *street; /* street: a street's code or name, or "" */
};
/* Adds the enterprise of code in->uscc, or changes the name and street of the one known by
 * it: 0 and *id; VE_INVALID with fe (统一社会信用代码, 企业名称, 所在街道). Audited. */
int employment_enterprise_save(struct db *db, const struct principal *by,
			       const struct employment_enterprise_in *in, int64_t *id,
			       struct field_errors *fe, char *err, size_t errlen);
/* Enterprises whose name holds q or whose code is q (q "" for all), by name:
 * {"total","items":[{"id","uscc","name","street","fairs","positions"}]} (fairs and the
 * sum of positions' headcounts in by's scope). */
int employment_enterprise_list(struct db *db, const struct principal *by, const char *q,
			       int64_t page, int64_t per_page, json_t **out);
/* {"id","uscc","name","street_code","street","positions":[{"id","title","headcount",
 * "pay_min","pay_max","fair_id","fair","held_on"}]} (the positions of fairs in scope). */
int employment_enterprise_get(struct db *db, const struct principal *by, int64_t id, json_t **out);

/* ---- fairs ---- */

struct employment_fair_in {
	const char *name, *kind, *held_on, *place;
};
/* Adds (id 0) or changes fair id: 0 and *out_id; VE_INVALID with fe (名称, 形式, 举办日期,
 * 地点); VE_NOTFOUND outside scope. Audited. */
int employment_fair_save(struct db *db, const struct principal *by, int64_t id,
			 const struct employment_fair_in *in, int64_t *out_id,
			 struct field_errors *fe, char *err, size_t errlen);
/* The fairs in scope, of year (0: all), newest first: {"total","items":[{"id","name",
 * "kind","held_on","place","enterprises","positions","headcount"}]}. */
int employment_fair_list(struct db *db, const struct principal *by, int year, int64_t page,
			 int64_t per_page, json_t **out);
/* {"id","name","kind","held_on","place","enterprises","positions","headcount",
 * "items":[{"enterprise_id","uscc","enterprise","position_id","title","headcount",
 * "pay_min","pay_max","requirements"}]}. VE_NOTFOUND outside scope. */
int employment_fair_get(struct db *db, const struct principal *by, int64_t id, json_t **out);

/* ---- positions ---- */

/* One position of a fair as a form or a sheet's row gives it (texts as typed); pay in yuan. */
struct employment_position_in {
	const char *uscc, *enterprise, *title, *headcount, *pay_min, *pay_max, *requirements,
		*street;
};
/* Adds one position to fair id (its enterprise found by code, added when new, and taking
 * part in the fair): 0; VE_INVALID with fe (统一社会信用代码, 企业名称, 岗位名称, 招聘人数,
 * 月薪下限（元）, 月薪上限（元）, 岗位要求, 所在街道); VE_CONFLICT (the enterprise already
 * offers a position of that title at the fair); VE_NOTFOUND outside scope. Audited. */
int employment_position_add(struct db *db, const struct principal *by, int64_t fair_id,
			    const struct employment_position_in *in, struct field_errors *fe,
			    char *err, size_t errlen);
/* One position of a fair in scope: {"id","title","headcount","pay_min","pay_max",
 * "requirements","enterprise_id","uscc","enterprise","street","fair_id","fair","held_on"}. */
int employment_position_get(struct db *db, const struct principal *by, int64_t id, json_t **out);
/* The seekers (求职中, in by's scope) fitting position id, best first, at most limit:
 * [{"seeker_id","person_id","name","street","intention","skills","score","why"}]. */
int employment_position_matches(struct db *db, const struct principal *by, int64_t id,
				int64_t limit, json_t **out);

/* ---- the organisers' sheet ---- */

/* The sheet's columns: the first four must be there, the others may; other columns are
 * ignored. One row per position. */
#define EMPLOYMENT_SHEET_COLUMNS 8
extern const char *const employment_sheet_columns[EMPLOYMENT_SHEET_COLUMNS];
/* 统一社会信用代码 企业名称 岗位名称 招聘人数 月薪下限（元） 月薪上限（元） 岗位要求 所在街道 */

struct employment_import_result {
	int64_t rows, enterprises, new_enterprises, positions, headcount;
};
/* Loads the enterprises and positions of fair id from the sheet at path (.csv or .xlsx):
 * all rows or none; the file is the fair's whole list (what an earlier import or form
 * put there is replaced). 0 with the counts; VE_INVALID with "第 N 行 字段：原因" lines in
 * err (nothing saved); VE_NOTFOUND outside scope; VE_IO; VE_LIMIT (over 20,000 rows). */
int employment_fair_import(struct db *db, const struct principal *by, int64_t fair_id,
			   const char *path, struct employment_import_result *r, char *err,
			   size_t errlen);
/* The same for n rows given in memory (the demo): cells holds n × EMPLOYMENT_SHEET_COLUMNS
 * texts in the columns' order; in_tx as db_tx_begin. */
int employment_fair_rows(struct db *db, const struct principal *by, int64_t fair_id,
			 const char *const *cells, size_t n, int in_tx,
			 struct employment_import_result *r, char *err, size_t errlen);

/* ---- seekers and outcomes ---- */

struct employment_seeker_in {
	const char *person_id, *intention, *skills, *registered_on, *note;
};
/* Registers person in->person_id (a number of the registry) as seeking work: 0 and *id;
 * VE_INVALID with fe (人员编号, 求职意向, 技能, 登记日期, 备注) — a person not in the
 * registry, or outside by's street, is refused there; VE_CONFLICT when the person has an
 * open record (err names it). in_tx as db_tx_begin. Audited. */
int employment_seeker_register(struct db *db, const struct principal *by,
			       const struct employment_seeker_in *in, int in_tx, int64_t *id,
			       struct field_errors *fe, char *err, size_t errlen);
/* The seekers in scope with status (NULL or ""), newest first: {"total","items":[{"id",
 * "person_id","name","street","intention","skills","registered_on","status","hired_on",
 * "enterprise"}]}. */
int employment_seeker_list(struct db *db, const struct principal *by, const char *status,
			   int64_t page, int64_t per_page, json_t **out);
/* {"id","person_id","name","street","intention","skills","registered_on","status",
 * "hired_on","enterprise_id","enterprise","uscc","title","note"}. VE_NOTFOUND outside scope. */
int employment_seeker_get(struct db *db, const struct principal *by, int64_t id, json_t **out);
/* The fairs a seeker registered on reg is matched against: held from 180 days before
 * registering to a year after (from, to as YYYY-MM-DD; both "" when reg is no date). */
#define EMPLOYMENT_MATCH_BEFORE_DAYS 180
#define EMPLOYMENT_MATCH_AFTER_DAYS 365
void employment_match_window(const char *reg, char from[11], char to[11]);
/* The positions fitting seeker id, best first, at most limit, from the fairs of its window
 * (employment_match_window); none once the seeker is no longer 求职中 (hired or withdrawn):
 * [{"position_id","title","enterprise","uscc", "fair_id","fair","held_on","headcount",
 * "pay_min","pay_max","score","why"}]. */
int employment_seeker_matches(struct db *db, const struct principal *by, int64_t id, int64_t limit,
			      json_t **out);

struct employment_hire_in {
	const char *position_id;  /* a position (its enterprise and title), or "" */
	const char *uscc, *title; /* else the enterprise's code and the job */
	const char *hired_on;
};
/* Records (or corrects) where and when seeker id was hired: 0; VE_INVALID with fe (岗位,
 * 统一社会信用代码, 岗位名称, 就业日期 — not before registration, not after today; the
 * enterprise must be known); VE_NOTFOUND outside scope. in_tx as db_tx_begin. Audited. */
int employment_seeker_hire(struct db *db, const struct principal *by, int64_t id,
			   const struct employment_hire_in *in, int in_tx, struct field_errors *fe,
			   char *err, size_t errlen);
/* Takes back a recorded hire (entered in error): the seeker is 求职中 again. VE_CONFLICT when
 * none is recorded, or the person has another open record since. Audited. */
int employment_seeker_unhire(struct db *db, const struct principal *by, int64_t id, char *err,
			     size_t errlen);

/* Ends an open record of seeker id: no longer seeking (moved away, found work the bureau did
 * not arrange, gave up), 已退出; the person may be registered again later. VE_CONFLICT when
 * the record is not 求职中. Audited. */
int employment_seeker_withdraw(struct db *db, const struct principal *by, int64_t id, char *err,
			       size_t errlen);

/* Registers n seekers, each with its outcome when v[i].hire.hired_on is not "", in one
 * transaction (the demo, a migration of an older list): 0, or the first refusal with
 * "第 i 条 字段：原因" in err and nothing saved. */
struct employment_seeker_load {
	struct employment_seeker_in seeker;
	struct employment_hire_in hire;
};
int employment_seekers_load(struct db *db, const struct principal *by,
			    const struct employment_seeker_load *v, size_t n, char *err,
			    size_t errlen);

/* ---- figures, permissions and the area ---- */

/* fairs, enterprises, positions, seekers, hired (figure.h). */
extern const struct figure_set employment_figures;

extern const struct perm perm_employment_read, perm_employment_manage;
#define PERM_EMPLOYMENT_READ (&perm_employment_read)
#define PERM_EMPLOYMENT_MANAGE (&perm_employment_manage)
extern const struct area employment_area;

#endif
