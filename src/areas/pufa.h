/* pufa.h - 普法: law popularisation — events (on the fixed days 清明, 八一, 9.30 烈士纪念日,
 * 12·4 国家宪法日 and others), brochures handed out, study sessions, the yearly law exam
 * per staff member and the 普法责任清单 documents.
 *
 * Events, brochures and sessions are recorded by clerks and stations (pufa.manage) and
 * belong to the recorder's region; the exam rows are pufa.admin's within the recorder's scope
 * (an account or a row outside it: refused as not found), the 责任清单 and the excellent mark
 * are the district's (pufa.admin of the whole district). An exam row is one per staff member
 * and year — an account of the
 * system or a member named with his organisation —: 应考 (should sit it), 参考 (sat it, only
 * when 应考) and the score (0-100, only when 参考); recording the same member and year again
 * corrects the row. A score is excellent when it reaches the year's mark (pufa_marks: a
 * mark per year, a year without its own: PUFA_EXCELLENT_DEFAULT), so that changing a year's
 * mark changes that year's 优秀 and no other year's (2023's 优秀率 stays what the annual
 * report took). Every change is audited; a record outside the
 * reader's scope is "not found" — but the 责任清单, the bureau's documents, which every
 * reader of 普法 reads (a station included) and only the bureau's clerks write.
 *
 * The year's figures (pufa_figures): pufa_events, brochures (copies), exam_should, exam_took,
 * exam_excellent, exam_participation_rate (参考率 = took ÷ should) and exam_excellence_rate (优秀率 = excellent ÷
 * took). */
#ifndef VETS_PUFA_H
#define VETS_PUFA_H

#include "areas/area.h"
#include <jansson.h>
#include <stdint.h>

#include "areas/account.h"
#include "db/db.h"
#include "lib/field_errors.h"

#define PUFA_EXCELLENT_DEFAULT 90

enum pufa_record { PUFA_EVENT, PUFA_BROCHURE, PUFA_SESSION, PUFA_EXAM, PUFA_DUTY, PUFA_N_RECORDS };
/* "events", "brochures", "sessions", "exams", "duties" (the pages' and the JSON's names). */
extern const char *const pufa_record_names[PUFA_N_RECORDS];
/* 普法活动, 宣传资料发放, 学法活动, 年度学法考试, 普法责任清单 */
extern const char *const pufa_record_titles[PUFA_N_RECORDS];

#define PUFA_N_EVENT_KINDS 6
/* 清明祭英烈, 八一建军节, 烈士纪念日（9·30）, 国家宪法日（12·4）, 宪法宣传周, 其他主题活动 */
extern const char *const pufa_event_kinds[PUFA_N_EVENT_KINDS];

/* A record as typed; each kind reads its own fields (the Chinese names are the fields the
 * errors name):
 *   PUFA_EVENT     on 活动日期, kind 活动类型, who 普法对象, count 参加人数
 *   PUFA_BROCHURE  on 发放日期, title 资料名称, count 份数, who 发放对象
 *   PUFA_SESSION   on 学习日期, title 学习内容, count 参学人数
 *   PUFA_EXAM      year 年度, user_id 人员 (an account) or staff_name 姓名 and org_name 单位,
 *                  should 应考, took 参考, score 成绩
 *   PUFA_DUTY      year 年度, title 标题, body 内容 (Markdown)
 * Dates are YYYY-MM-DD, from 1950 and not after today; counts whole numbers, not negative (copies
 * at least 1); years 1950 to this year. */
struct pufa_in {
	const char *on, *kind, *title, *who, *count, *year;
	int64_t user_id;
	const char *staff_name, *org_name;
	int should, took;
	const char *score;
	const char *body;
};

/* Records one (an exam row: records or corrects the member's row of the year): 0 and *id;
 * VE_INVALID with fe (nothing saved), VE_DENIED, VE_DB. in_tx: the caller holds the
 * transaction. */
int pufa_save(struct db *db, const struct principal *by, enum pufa_record rec,
	      const struct pufa_in *in, int in_tx, int64_t *id, struct field_errors *fe, char *err,
	      size_t errlen);
/* Corrects record id of rec (not an exam row: recording the member again corrects it), in
 * by's scope, with the fields of a new one: 0; VE_INVALID with fe, VE_NOTFOUND, VE_DENIED. */
int pufa_correct(struct db *db, const struct principal *by, enum pufa_record rec, int64_t id,
		 const struct pufa_in *in, struct field_errors *fe, char *err, size_t errlen);
/* The fields of record id of rec (not an exam row) as a form shows them: {"on","kind",
 * "title","who","count","year","body"} (texts). VE_NOTFOUND outside by's scope. */
int pufa_get(struct db *db, const struct principal *by, enum pufa_record rec, int64_t id,
	     json_t **out);
/* Deletes record id of rec (in by's scope): 0, VE_NOTFOUND, VE_DENIED, VE_DB. */
int pufa_delete(struct db *db, const struct principal *by, enum pufa_record rec, int64_t id,
		char *err, size_t errlen);

/* The year's records in by's scope: {"year","mark","events":[{"id","held_on","kind",
 * "audience","people"}],"brochures":[{"id","handed_on","title","copies","recipient"}],
 * "sessions":[{"id","held_on","topic","attendance"}],"exams":[{"id","staff_name",
 * "org_name","user_id","should","took","score"|null,"excellent"}],"duties":[{"id","title"}],
 * "copies","people"} by day (exams by organisation and name). VE_INVALID outside 1950-2100. */
int pufa_year(struct db *db, const struct principal *by, int year, json_t **out);
/* One 责任清单 document: {"id","year","title","body","tree" (lib/markdown.h),"created_name"}. */
int pufa_duty_get(struct db *db, const struct principal *by, int64_t id, json_t **out);
/* The accounts an exam row by by may name: [{"id","name","org"}], enabled ones whose region
 * is in by's scope, by organisation. */
int pufa_staff(struct db *db, const struct principal *by, json_t **out);

/* The excellent mark of year: its own, else PUFA_EXCELLENT_DEFAULT (*own 0; own may be
 * NULL). 0 or VE_DB. */
int pufa_excellent_mark(struct db *db, int year, int *mark, int *own);
/* The years with a mark of their own: [{"year","mark"}], newest first. 0 or VE_DB. */
int pufa_marks(struct db *db, json_t **out);
/* Sets the excellent mark of year (字段 年度, 1950 to this year) to value, a whole number
 * 1-100 (字段 优秀分数线): pufa.admin of the whole district. Only that year's figures change. */
int pufa_set_excellent_mark(struct db *db, const struct principal *by, const char *year,
			    const char *value, struct field_errors *fe, char *err, size_t errlen);

extern const struct figure_set pufa_figures;

extern const struct perm perm_pufa_read, perm_pufa_manage, perm_pufa_admin;
#define PERM_PUFA_READ (&perm_pufa_read)
#define PERM_PUFA_MANAGE (&perm_pufa_manage)
#define PERM_PUFA_ADMIN (&perm_pufa_admin)
extern const struct area pufa_area;

/* 1 when by may set the district's 普法 settings and documents (the excellent mark, the
 * 责任清单): pufa.admin over the whole district. */
int pufa_district_admin(const struct principal *by);

#endif
