/* care.h - 关爱帮扶: the regular-contact list (常态化联系), the visits (走访/慰问), the planned
 * holiday-visit campaigns and the 光荣牌 hung.
 *
 * - A person of the registry is put on the regular-contact list with a frequency (每月,
 *   每季度, 每半年, 每年) from a day (纳入日期); each contact is a dated record (电话, 上门, …).
 *   The next contact is due by the last day of the month that lies `months` after the month
 *   of the last contact (or of the 纳入日期 before any): quarterly, a contact on 01-15 is
 *   due again by 04-30. The daily job (care.overdue) marks the plans whose due day has
 *   passed.
 * - A visit is 困难走访 (a temporary visit to someone in difficulty) or a holiday visit
 *   (春节慰问, 八一慰问) to a holder of one of the holiday categories (烈军属 and 重点优抚对象,
 *   care_holiday_categories): its date, who went, money given (分), goods, notes.
 * - A campaign (春节 or 八一 of a year, over a street or the whole district) lists whom to
 *   visit: the people of the registry (在册) holding one of the chosen categories, fixed when
 *   it is created; its page shows who was visited under it and who is still due.
 * - 光荣牌: the day it was hung at a person's home.
 * Every row carries the person's region; a station works within its street: a write for a
 * person outside it is refused (a field error), a record outside it is not found. Every
 * write is one transaction, audited. */
#ifndef VETS_CARE_H
#define VETS_CARE_H

#include <jansson.h>
#include <stdint.h>

#include "areas/account.h"
#include "areas/area.h"
#include "db/db.h"
#include "lib/field_errors.h"

/* ---- vocabularies ---- */

#define CARE_N_FREQUENCIES 4
/* 每月 每季度 每半年 每年, and their months 1 3 6 12 */
extern const char *const care_frequencies[CARE_N_FREQUENCIES];
extern const int care_frequency_months[CARE_N_FREQUENCIES];
/* The title of a plan's months ("每季度"), "" for another number. */
const char *care_frequency_title(int months);

#define CARE_N_METHODS 5
extern const char *const care_methods[CARE_N_METHODS]; /* 电话 上门 微信 座谈 其他 */

#define CARE_TEMPORARY "困难走访"
#define CARE_SPRING "春节慰问"
#define CARE_AUGUST "八一慰问"
#define CARE_N_KINDS 3
extern const char *const care_visit_kinds[CARE_N_KINDS];

#define CARE_N_HOLIDAYS 2
extern const char *const care_holidays[CARE_N_HOLIDAYS]; /* 春节 八一 */

/* The categories (areas/person.h enum category) holiday visits go to: 烈军属 (烈士遗属,
 * 因公牺牲军人遗属, 病故军人遗属, 烈士子女, 军人家属) and 重点优抚对象 (残疾军人, 在乡复员军人,
 * 带病回乡退役军人, 参战退役军人, 参试退役军人, 年满60周岁农村籍退役士兵). */
#define CARE_N_HOLIDAY_CATEGORIES 11
extern const int care_holiday_categories[CARE_N_HOLIDAY_CATEGORIES];

/* The last day of the month `months` after the month of day into out: the day a contact
 * after one made on day is due by. -1 for a bad day. */
int care_due_after(const char *day, int months, char out[11]);

/* ---- the regular-contact list ---- */

struct care_plan_in {
	int64_t person_id;
	const char *frequency;      /* one of care_frequencies */
	const char *since;          /* 纳入日期, not after today */
	const char *contact_person; /* 联系人; NULL: an open plan keeps its own */
	const char *reason;         /* 纳入原因; NULL: an open plan keeps its own */
};
/* Puts a person on the list, or changes his open plan: 0 and *id; VE_INVALID with fe (人员编号,
 * 联系频次, 纳入日期, 联系人, 纳入原因); VE_DB. A plan is one period: once a contact is recorded
 * under it, its 联系频次 and 纳入日期 are fixed (the plan is ended and a new one opened instead);
 * a person whose plan ended is put back with a new plan from a day not before its end. */
int care_plan_save(struct db *db, const struct principal *by, const struct care_plan_in *in,
		   int64_t *id, struct field_errors *fe, char *err, size_t errlen);
/* Takes plan id off the list from day on (停止日期): VE_INVALID with fe; VE_NOTFOUND. */
int care_plan_end(struct db *db, const struct principal *by, int64_t id, const char *on,
		  struct field_errors *fe, char *err, size_t errlen);

struct care_contact_in {
	const char *on;      /* 联系日期: not before the 纳入日期, not after today */
	const char *method;  /* one of care_methods */
	const char *by_name; /* 联系人 */
	const char *note;
};
/* A contact made under plan id: 0 and *contact_id; VE_INVALID with fe (联系日期, 联系方式,
 * 联系人, 备注); VE_CONFLICT for an ended plan; VE_NOTFOUND outside scope. */
int care_contact_add(struct db *db, const struct principal *by, int64_t plan_id,
		     const struct care_contact_in *in, int64_t *contact_id,
		     struct field_errors *fe, char *err, size_t errlen);
/* Deletes a contact recorded in error: 0; VE_NOTFOUND outside scope. */
int care_contact_delete(struct db *db, const struct principal *by, int64_t contact_id,
			char *err, size_t errlen);

/* The list in by's scope: overdue only (the job's flag) or all on it now; newest first.
 * {"total","items":[{"id","person_id","name","region_code","frequency","since",
 * "contact_person","last_contact","due_on","overdue","ended_on"}]} */
int care_plan_list(struct db *db, const struct principal *by, int overdue_only, int64_t page,
		   int64_t per_page, json_t **out);
/* One plan: {"id","person_id","name","region_code","months","frequency","since",
 * "contact_person","reason","ended_on","due_on" (as of today),"overdue","contacts":[{"id",
 * "contacted_on","method","by_name","note"}]}. VE_NOTFOUND outside scope. */
int care_plan_get(struct db *db, const struct principal *by, int64_t id, json_t **out);
/* The plans flagged overdue in by's scope (the navigation's count). */
int care_overdue_count(struct db *db, const struct principal *by, int64_t *n);

/* ---- visits ---- */

struct care_visit_in {
	int64_t person_id;
	const char *kind;        /* one of care_visit_kinds; a campaign's visit: its holiday's */
	int64_t campaign_id;     /* 0: none; else the person must be on its list */
	const char *on;          /* 走访日期: not after today; in a campaign's dates */
	const char *visitors;    /* 走访人员 */
	const char *money;       /* 慰问金 in 元 ("500", "1,000.50"), "" for none */
	const char *goods;       /* 慰问品 */
	const char *note;
};
/* Records a visit (id 0) or corrects visit id: 0 and *out_id; VE_INVALID with fe (人员编号
 * — also "not in your street" —, 类别, 走访日期, 走访人员, 慰问金, 慰问品, 备注, 慰问活动);
 * VE_NOTFOUND (a correction of a visit outside scope). */
int care_visit_save(struct db *db, const struct principal *by, int64_t id,
		    const struct care_visit_in *in, int64_t *out_id, struct field_errors *fe,
		    char *err, size_t errlen);
/* Deletes a visit recorded in error. VE_NOTFOUND outside scope. */
int care_visit_delete(struct db *db, const struct principal *by, int64_t id, char *err,
		      size_t errlen);
/* Visits in by's scope, newest first: kind (NULL: all), year (0: all), person (0: all).
 * {"total","items":[{"id","person_id","name","kind","campaign_id","visited_on","visitors",
 * "money","goods","note"}]} (money in 分). */
struct care_visit_filter {
	const char *kind;
	int year;
	int64_t person_id, page, per_page;
};
int care_visit_list(struct db *db, const struct principal *by, const struct care_visit_filter *f,
		    json_t **out);
/* One visit as in the list. VE_NOTFOUND outside scope. */
int care_visit_get(struct db *db, const struct principal *by, int64_t id, json_t **out);

/* ---- campaigns ---- */

struct care_campaign_in {
	const char *title;
	const char *holiday;    /* 春节 or 八一 */
	const char *starts_on, *ends_on;
	uint32_t categories;    /* bits of care_holiday_categories' categories (1 << category) */
	const char *street;     /* a street's code, "" for all of by's scope */
};
/* Creates a campaign and its list (在册 people of the categories in the street, within by's
 * scope): 0 and *id; VE_INVALID with fe (名称, 节日, 开始日期, 结束日期, 人员类别, 街道 — also
 * when nobody matches). The year is the start's. */
int care_campaign_create(struct db *db, const struct principal *by,
			 const struct care_campaign_in *in, int64_t *id, struct field_errors *fe,
			 char *err, size_t errlen);
/* The campaigns by sees (those over his street or the whole district; year 0: all), newest
 * first, each with its counts in his scope: [{"id","title","holiday","year","starts_on",
 * "ends_on","region_code","listed","visited","due"}]. */
int care_campaign_list(struct db *db, const struct principal *by, int year, json_t **out);
/* One campaign with the people of its list in by's scope: who: "due", "visited" or "all";
 * {"id","title","holiday","kind","year","starts_on","ends_on","region_code","categories",
 * "listed","visited","due","total","people":[{"person_id","name","region_code","visited_on",
 * "visit_id"}]} (one page). VE_NOTFOUND when by does not see it. */
int care_campaign_get(struct db *db, const struct principal *by, int64_t id, const char *who,
		      int64_t page, int64_t per_page, json_t **out);

/* ---- 光荣牌 ---- */

/* Records (or corrects) the day a 光荣牌 was hung at person's home: VE_INVALID with fe (人员编号,
 * 悬挂日期, 备注). */
int care_plaque_set(struct db *db, const struct principal *by, int64_t person_id, const char *on,
		    const char *note, struct field_errors *fe, char *err, size_t errlen);
/* The plaques in by's scope, newest first: {"total","items":[{"person_id","name",
 * "region_code","hung_on","note"}]}. */
int care_plaque_list(struct db *db, const struct principal *by, int64_t page, int64_t per_page,
		     json_t **out);

/* ---- people to choose from, and many records at once ---- */

/* Up to limit people in by's scope (在册), by category bits (0: any) and street ("": all), in
 * id order from after_id: [{"id","name","region_code"}]. */
int care_people(struct db *db, const struct principal *by, uint32_t categories,
		const char *street, int64_t after_id, int64_t limit, json_t **out);

/* One record of many (care_record_many): a plan, a contact (under the plan of person_id),
 * a visit or a plaque. */
enum care_record_kind { CARE_REC_PLAN, CARE_REC_CONTACT, CARE_REC_VISIT, CARE_REC_PLAQUE };
struct care_record {
	enum care_record_kind kind;
	struct care_plan_in plan;
	struct care_contact_in contact; /* person: plan.person_id */
	struct care_visit_in visit;
	const char *plaque_on;          /* person: plan.person_id */
};
/* Saves n records, all or none, in one transaction, each checked as on its own (the demo, a
 * ledger): 0; the first refusal as "第 N 条 字段：原因" in err. */
int care_record_many(struct db *db, const struct principal *by, const struct care_record *recs,
		     size_t n, char *err, size_t errlen);

/* ---- the daily job ---- */

/* Marks, as of day, the plans (on the list on day) whose next contact was due before it
 * and clears the others; *flagged: the plans marked now. In the caller's transaction. */
int care_flag_overdue(struct db *db, const char *day, int64_t *changed, int64_t *flagged);
extern const struct job care_overdue_job;

/* ---- statistics (areas/figure.h) ---- */

extern const struct figure_set care_figures;

/* ---- permissions and the area ---- */

extern const struct perm perm_care_read, perm_care_manage;
#define PERM_CARE_READ (&perm_care_read)
#define PERM_CARE_MANAGE (&perm_care_manage)
extern const struct area care_area;

#endif
