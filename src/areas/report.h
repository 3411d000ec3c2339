/* report.h - the annual report (SPEC §2.11), drafted from the records.
 *
 * The report of a year has the bureau's four parts: 一、主要举措和成效, 二、存在的不足和问题,
 * 三、党政主要负责人履行推进法治建设第一责任人职责情况, 四、下一年度主要安排. Staff write the text
 * (report_save keeps every version: who, when); in it {key} stands for the value of the
 * figure or rate key of the registry (areas/figure.h), so that every number printed is a
 * figure with its definition and the list of the rows it counts. Until a leader finalises
 * the report its figures are live; report_finalise freezes them with the day. A finalised
 * report shows its frozen figures; when a record of the year is corrected afterwards, the
 * figure computed now is shown beside the frozen one, marked as a correction — never
 * silently replaced.
 *
 * A report read by someone whose data scope is a street (or narrowed to a street) has that
 * street's live figures: only the district's report is finalised. */
#ifndef VETS_REPORT_H
#define VETS_REPORT_H

#include "areas/area.h"
#include <jansson.h>
#include <stdint.h>

#include "areas/account.h"
#include "db/db.h"
#include "lib/field_errors.h"

/* The four parts of the text, in order. */
#define REPORT_PARTS 4
extern const char *const report_part_titles[REPORT_PARTS];
extern const char *const report_part_keys[REPORT_PARTS]; /* achievements, shortcomings, duties, plans */

/* The text as typed: each part at most REPORT_PART_MAX characters, all four at most
 * REPORT_TEXT_MAX (so that with its annex it fits a portal article, ARTICLE_BODY_MAX). */
#define REPORT_PART_MAX 20000
#define REPORT_TEXT_MAX 24000
struct report_text {
	const char *part[REPORT_PARTS];
};

/* The report of year as by sees it, narrowed to street (a street code in by's scope, or
 * NULL/"" for by's whole scope):
 * {"year","title","scope":"全区"|street name,"street","as_of","status":"草稿"|"已定稿",
 *  "version" (0: the default text),"written_name","written_at",
 *  "finalised_on","finalised_name","article_id" (when finalised),"corrections" (their number),
 *  "figures":[{"key","name","value","unit","definition","area","list_href",
 *              "shown" (as printed: "11,047", "100%"), "frozen" (1 when read from the
 *              finalised report), "current","current_shown","corrected" (when it differs)}],
 *  "sections":[{"title","text" (plain, figures written in, a line a paragraph),
 *               "paragraphs":[{"text" (its line),"parts":[{"text"} | {"key","shown","name",
 *                              "href","corrected","current_shown","added"}]}]}],
 *  "charts":[{"key","title","unit","horizontal","labels","values"}]}
 * Rates are fractions 0-1 in "value" (null when the denominator is 0); counts integers.
 * 0, VE_INVALID (year, street: err), VE_NOTFOUND (street outside by's scope), VE_DENIED, VE_DB. */
int report_build(struct db *db, const struct principal *by, int year, const char *street,
		 json_t **out, char *err, size_t errlen);

/* The reader whose figures a report shows: by, or by narrowed to street (a street code in
 * his scope; NULL or "": by himself) into *who, the street's name into name ("" for none).
 * 0, VE_INVALID (not a street code: err) or VE_NOTFOUND (no such street in his scope). */
int report_reader(struct db *db, const struct principal *by, const char *street,
		  struct principal *who, char name[128], char *err, size_t errlen);

/* One section of a report: {"title","text","paragraphs":[{"parts":[...]}]} as report_build
 * describes, a paragraph per line of text that is not blank (its ends trimmed), each {key}
 * replaced by the "shown" value of the entry of figures (report_build's) with that key, or
 * "—" when there is none. A paragraph's parts, joined, are its "text", a line of the
 * section's "text". text is valid
 * UTF-8 (report_save refuses any other). */
json_t *report_section(const char *title, const char *text, json_t *figures);

/* Saves the text of year as its next version (by holds report.write, district-wide; the
 * year is not finalised): 0 and *version; VE_INVALID with fe (a part too long, a {key}
 * that is no figure: the field is the part's title), VE_CONFLICT (finalised), VE_DENIED, VE_DB. */
int report_save(struct db *db, const struct principal *by, int year, const struct report_text *t,
		int64_t *version, struct field_errors *fe, char *err, size_t errlen);

/* The text of year's version (0: the newest; the default draft when none was saved) as
 * {"year","version","written_name","written_at", <part key>: text...}. 0, VE_NOTFOUND, VE_DB. */
int report_text_get(struct db *db, int year, int64_t version, json_t **out);
/* Every saved version of year, newest first: [{"version","written_name","written_at","chars"}]. */
int report_versions(struct db *db, int year, json_t **out);

/* Finalises year's report (by holds report.finalise, district-wide; the year is over): the
 * newest text and every figure as it stands now are frozen with today's date. 0, VE_CONFLICT
 * (already finalised, or the year not over: err), VE_DENIED, VE_DB. */
int report_finalise(struct db *db, const struct principal *by, int year, char *err, size_t errlen);

/* Publishes the finalised report of year on the portal's 信息公开 (an article by by, who
 * holds article.manage): 0 and *article_id; VE_CONFLICT (not finalised, or published
 * already), VE_DENIED, VE_DB. The article is made as a draft, kept with the report, then
 * published: a publication cut short is finished by the next call, never made twice. */
int report_publish(struct db *db, const struct principal *by, int year, int64_t *article_id,
		   char *err, size_t errlen);

/* The report of report_build as a Word document at path (replace: over an existing file).
 * 0, or -1 with err. */
int report_write_docx(struct db *db, const struct principal *by, const json_t *report,
		      const char *path, int replace, char *err, size_t errlen);

/* ---- what the area declares (area.h) ---- */

/* reading the report (its figures within one's own data scope) */
extern const struct perm perm_report_read;
#define PERM_REPORT_READ (&perm_report_read)
/* writing the report's text */
extern const struct perm perm_report_write;
#define PERM_REPORT_WRITE (&perm_report_write)
/* finalising the report: its figures frozen */
extern const struct perm perm_report_finalise;
#define PERM_REPORT_FINALISE (&perm_report_finalise)

extern const struct area report_area;

#endif
