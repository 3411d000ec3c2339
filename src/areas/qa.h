/* qa.h - 智能问答: the curated base of questions and answers (entries, each with its similar
 * phrasings), its import from a sheet, the matching of a visitor's question against it (the
 * in-memory lib/qa_index, rebuilt when the base changes), and the questions visitors left
 * when nothing matched, which staff turn into entries or set aside. */
#ifndef VETS_QA_H
#define VETS_QA_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "areas/account.h"
#include "areas/area.h"
#include "areas/audit.h"
#include "db/db.h"
#include "lib/field_errors.h"

/* Limits, in characters. */
#define QA_CODE_MAX 40
#define QA_QUESTION_MAX 200
#define QA_ANSWER_MAX 4000
#define QA_PHRASINGS_MAX 2000
/* A visitor's question: what is matched, and what is kept when left for staff. */
#define QA_ASK_MAX 200
/* Answers a caller may ask for. */
#define QA_TOP_MAX 20
#define QA_IMPORT_ROWS_MAX 5000 /* entries a file may hold */

/* The statuses of a question left by a visitor. */
#define QA_Q_PENDING "待处理"
#define QA_Q_CONVERTED "已转为条目"
#define QA_Q_IGNORED "已忽略"

/* An entry as typed in the form or a sheet's row. phrasings: alternatives separated by "；",
 * ";" or new lines (stored separated by "；"). */
struct qa_input {
	const char *code, *question, *answer, *phrasings;
};

/* Creates (id 0) or updates entry id. Field errors go to fe under the labels 编号, 问题, 答案,
 * 相似问法. 0 with *out_id; VE_INVALID; VE_EXISTS (the code is taken); VE_NOTFOUND; VE_DENIED;
 * VE_DB. Audited (qa.create / qa.update); the base's version is raised. */
int qa_entry_save(struct db *db, const struct principal *by, int64_t id, const struct qa_input *in,
		  struct field_errors *fe, int64_t *out_id);
/* Deletes entry id (a question turned into it keeps its status, loses the link). Audited. */
int qa_entry_delete(struct db *db, const struct principal *by, int64_t id);
/* One entry: {"id","code","question","answer","phrasings":[…],"phrasings_text","updated_at",
 * "updated_by"}. VE_NOTFOUND. */
int qa_entry_get(struct db *db, int64_t id, json_t **out);
/* The same by 编号. */
int qa_entry_by_code(struct db *db, const char *code, json_t **out);
/* Entries ordered by 编号; q (may be "" or NULL) keeps those whose 编号, question or phrasings
 * hold it. [{"id","code","question","n_phrasings","updated_at"}]. */
int qa_entry_list(struct db *db, const char *q, json_t **out);

/* Loads the base from path (.csv or .xlsx: columns 编号, 问题, 答案, 相似问法 in any order),
 * all rows or none: a new 编号 is added, a known one updated when a value changed.
 * 0 with the counts; VE_INVALID with "第 N 行 字段：原因" lines in err; VE_IO; VE_DENIED. */
struct qa_import_result {
	int64_t rows, added, updated, unchanged;
};
int qa_import(struct db *db, const struct principal *by, const char *path,
	      struct qa_import_result *r, char *err, size_t errlen);
/* The same for n rows in memory (the demo, the benchmark): cells holds n × 4 texts. */
int qa_import_rows(struct db *db, const struct principal *by, const char *const *cells, size_t n,
		   struct qa_import_result *r, char *err, size_t errlen);

/* Matches text against the base as it is now (the index is rebuilt first when the base
 * changed since it was built). OUT: {"answers":[{"id":编号,"question","score"}…] best first, at
 * most top (1..QA_TOP_MAX), near misses included when fallback,"fallback":bool}; with
 * internal (non-zero) each answer also carries "entry" (the row id). VE_DB. */
int qa_ask(struct db *db, const char *text, size_t top, int internal, json_t **out);

/* Keeps a question a visitor left (text, trimmed, 1..QA_ASK_MAX characters), audited as who.
 * 0 with *id; VE_INVALID with the reason in err. */
int qa_question_leave(struct db *db, const struct audit_actor *who, const char *text, int64_t *id,
		      char *err, size_t errlen);
/* Questions left, newest first; status "" for all, else one of the statuses.
 * [{"id","text","asked_at","status","entry_id","entry_code","handled_by"}]. */
int qa_question_list(struct db *db, const char *status, json_t **out);
/* One question left. VE_NOTFOUND. */
int qa_question_get(struct db *db, int64_t id, json_t **out);
/* Sets a pending question aside. VE_CONFLICT when it is not pending. Audited. */
int qa_question_ignore(struct db *db, const struct principal *by, int64_t id);
/* Creates an entry from in and marks the pending question id as turned into it, in one
 * transaction. As qa_entry_save; VE_CONFLICT when the question is not pending. Audited. */
int qa_question_convert(struct db *db, const struct principal *by, int64_t id,
			const struct qa_input *in, struct field_errors *fe, int64_t *entry_id);

extern const struct perm perm_qa_read, perm_qa_manage;
#define PERM_QA_READ (&perm_qa_read)
#define PERM_QA_MANAGE (&perm_qa_manage)
extern const struct area qa_area;

#endif
