/* shuangyong.h - 双拥: the activities of 双拥 work (拥军优属, 军民共建, 走访慰问部队 …) and the
 * news reports about them.
 *
 * An activity is its day, its kind, the units taking part, the place and what it solved for
 * the troops or their families; a news report names its medium, its day (not before the
 * activity's, not after today), its title and, optionally, its link (http or https only). A
 * row belongs to the region of whoever recorded it (a station: its street) and its creator;
 * a record outside the reader's scope is "not found". Every change is audited.
 *
 * The year's figures (shuangyong_figures, areas/figure.h): activities held in the year and
 * reports published in it. */
#ifndef VETS_SHUANGYONG_H
#define VETS_SHUANGYONG_H

#include "areas/area.h"
#include <jansson.h>
#include <stdint.h>

#include "areas/account.h"
#include "db/db.h"
#include "lib/field_errors.h"

#define SHUANGYONG_N_KINDS 7
/* 走访慰问部队, 军民共建, 拥军优属, 军地座谈, 为部队办实事, 双拥宣传, 其他 */
extern const char *const shuangyong_kinds[SHUANGYONG_N_KINDS];

/* An activity as typed (every text tidied by the caller's form or not: the area checks). */
struct shuangyong_activity_in {
	const char *held_on; /* 活动日期: YYYY-MM-DD, from 1950, not after today */
	const char *kind;    /* 活动类型: one of shuangyong_kinds */
	const char *units;   /* 参与单位: 2-200 characters */
	const char *place;   /* 活动地点: 2-100 characters */
	const char *solved;  /* 解决的问题: at most 1000 characters, may be empty */
};

/* A news report as typed. */
struct shuangyong_report_in {
	const char *medium;       /* 媒体: 2-60 characters */
	const char *published_on; /* 报道日期: not before the activity, not after today */
	const char *title;        /* 标题: 2-200 characters */
	const char *link;         /* 链接: empty, or an http(s) address, 500 chars at most */
};

/* Records an activity (id 0) or corrects activity id (in by's scope), by holding
 * shuangyong.manage: 0 and *out the activity's id; VE_INVALID with fe (nothing saved),
 * VE_NOTFOUND, VE_DENIED, VE_DB. A correction that moves the day after one of its reports
 * is refused (报道日期不能早于活动日期). in_tx: the caller holds the transaction. */
int shuangyong_activity_save(struct db *db, const struct principal *by, int64_t id,
			     const struct shuangyong_activity_in *in, int in_tx, int64_t *out,
			     struct field_errors *fe, char *err, size_t errlen);
/* Deletes activity id and its reports. */
int shuangyong_activity_delete(struct db *db, const struct principal *by, int64_t id, char *err,
			       size_t errlen);
/* Adds a news report to activity activity_id: 0 and *id. */
int shuangyong_report_add(struct db *db, const struct principal *by, int64_t activity_id,
			  const struct shuangyong_report_in *in, int in_tx, int64_t *id,
			  struct field_errors *fe, char *err, size_t errlen);
/* Deletes report id; *activity_id gets its activity. */
int shuangyong_report_delete(struct db *db, const struct principal *by, int64_t id,
			     int64_t *activity_id, char *err, size_t errlen);

/* The activities held in year (1950-2100) in by's scope, by day:
 * {"year","total","reports","items":[{"id","held_on","kind","units","place","solved",
 * "reports"}]} ("reports": how many reports each has; the top one: the reports dated in
 * the year, by the rule of the figure shuangyong_news, whatever their activity's year).
 * VE_INVALID for a year outside the range. */
int shuangyong_list(struct db *db, const struct principal *by, int year, json_t **out);
/* One activity: the row plus "created_name" and "reports":[{"id","medium","published_on",
 * "title","link"}] by day. VE_NOTFOUND outside scope. */
int shuangyong_get(struct db *db, const struct principal *by, int64_t id, json_t **out);

/* 1 when link is an address a report may carry: http:// or https:// (any case) with a host,
 * no blanks or control characters, at most 500 bytes. */
int shuangyong_link_ok(const char *link);

extern const struct figure_set shuangyong_figures;

extern const struct perm perm_shuangyong_read, perm_shuangyong_manage;
#define PERM_SHUANGYONG_READ (&perm_shuangyong_read)
#define PERM_SHUANGYONG_MANAGE (&perm_shuangyong_manage)
extern const struct area shuangyong_area;

#endif
