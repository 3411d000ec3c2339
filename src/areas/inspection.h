/* inspection.h - 查问题: the problems a leader finds while 走流程 (going through a matter
 * as an applicant would), 坐窗口 (acting as the window clerk) or 查问题 (checking the
 * records), each tracked to a fix.
 *
 * A leader (inspection.create) records the kind, what was found, optionally the
 * application it concerns (by its tracking code), the office responsible and the day it
 * must be fixed by: 待整改. The office (inspection.fix: clerks and stations, within their
 * data scope over the office) records what it fixed: 待确认. The leader
 * (inspection.confirm) closes it (已销号) or sends it back (待整改, with why). Open means
 * not 已销号; overdue, open with the fix-by day before today. Every step is audited. */
#ifndef VETS_INSPECTION_H
#define VETS_INSPECTION_H

#include "areas/area.h"
#include <jansson.h>
#include <stdint.h>

#include "areas/account.h"
#include "db/db.h"
#include "lib/field_errors.h"

#define INSPECTION_N_KINDS 3
extern const char *const inspection_kinds[INSPECTION_N_KINDS]; /* 走流程, 坐窗口, 查问题 */
#define INSPECTION_OPEN "待整改"
#define INSPECTION_FIXED "待确认"
#define INSPECTION_CLOSED "已销号"

/* The list's filters: "open", "overdue", "closed", "all". */
#define INSPECTION_N_FILTERS 4
extern const char *const inspection_filters[INSPECTION_N_FILTERS];
const char *inspection_filter_title(const char *filter);

/* A problem found, as typed. */
struct inspection_new {
	const char *kind;        /* 类型: one of inspection_kinds */
	const char *found_on;    /* 发现日期: not after today; empty: today */
	const char *finding;     /* 发现的问题: 2-1000 characters */
	const char *application; /* 关联办件: a tracking code, or empty */
	int64_t org_id;          /* 责任单位 */
	const char *fix_by;      /* 整改期限: not before the day found */
};

/* Records a problem (by holds inspection.create): 0 and *id; VE_INVALID with fe. */
int inspection_create(struct db *db, const struct principal *by, const struct inspection_new *in,
		      int64_t *id, struct field_errors *fe, char *err, size_t errlen);
/* The office's fix of problem id (inspection.fix, the office in by's scope): note (整改情况,
 * 2-1000 characters). VE_CONFLICT when not 待整改. */
int inspection_fix(struct db *db, const struct principal *by, int64_t id, const char *note,
		   struct field_errors *fe, char *err, size_t errlen);
/* The leader's check of the fix (inspection.confirm): close (已销号), or send back to
 * 待整改 with note (退回原因, 2-500 characters). VE_CONFLICT when not 待确认. */
int inspection_confirm(struct db *db, const struct principal *by, int64_t id, int close,
		       const char *note, struct field_errors *fe, char *err, size_t errlen);

/* The problems in by's scope for filter (unknown: "open"), the overdue first:
 * {"filter","title","total","items":[{"id","kind","found_on","finding","org_id",
 * "org_name","fix_by","status","overdue","tracking_code","application_id"}]}. */
int inspection_list(struct db *db, const struct principal *by, const char *filter, json_t **out);
/* One problem: the row plus "created_name","fix_note","fixed_on","fixed_name",
 * "return_note","closed_on","closed_name". VE_NOTFOUND outside scope. */
int inspection_get(struct db *db, const struct principal *by, int64_t id, json_t **out);
/* The offices a problem may be assigned to: [{"id","name"}], in the tree's order. */
int inspection_orgs(struct db *db, json_t **out);

extern const struct perm perm_inspection_read, perm_inspection_create, perm_inspection_fix,
	perm_inspection_confirm;
#define PERM_INSPECTION_READ (&perm_inspection_read)
#define PERM_INSPECTION_CREATE (&perm_inspection_create)
#define PERM_INSPECTION_FIX (&perm_inspection_fix)
#define PERM_INSPECTION_CONFIRM (&perm_inspection_confirm)
extern const struct area inspection_area;

#endif
