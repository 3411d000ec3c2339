/* person_import.h - the registry's import of people from .csv and .xlsx files (SPEC §3.3),
 * shared by the command line and the web. */
#ifndef VETS_PERSON_IMPORT_H
#define VETS_PERSON_IMPORT_H

#include "areas/account.h"
#include "db/db.h"
#include "io/sheet.h"

#include <jansson.h>
#include <stdint.h>

/* The last column of a rejected-rows file: why the row was refused. Import ignores a
 * column of this name, so that the file, its rows fixed, is imported again as it is. */
#define PERSON_IMPORT_REASON_COLUMN "错误原因"

struct import_counts {
	long added, changed, unchanged, rejected, empty;
	/* Rows refused because their 身份证号 is registered outside the importer's scope:
	 * counted, never named (not in rejected, not reported row by row). */
	long out_of_scope;
	/* A CSV's text encoding, for people ("UTF-8", "GB18030（GBK）"); NULL for an .xlsx. */
	const char *encoding;
	/* A real import's record (person_import_people), once it has committed; else 0. */
	int64_t import_id;
};

enum import_mode {
	IMPORT_KEEP_GOOD,      /* keep the good rows, report the bad ones */
	IMPORT_ALL_OR_NOTHING, /* keep nothing when a row is bad */
	IMPORT_DRY_RUN,        /* check and count everything, keep nothing (a preview): in a
				* read transaction, so that writers go on meanwhile */
};

struct import_sink {
	/* A refused row (row 1 is the header) or, with row 0, the whole file. field may be NULL. */
	void (*reject)(void *ctx, long row, const char *field, const char *message);
	/* Rows done so far, every 1,000 rows; may be NULL. */
	void (*progress)(void *ctx, long rows);
	void *ctx;
	/* The header row as read, once it is good, with the index of its
	 * PERSON_IMPORT_REASON_COLUMN (-1 when none); may be NULL. */
	void (*header)(void *ctx, const struct sheet_row *h, int reason_col);
	/* A refused row as read (after the reject calls of its fields), with every reason
	 * ("字段：原因；…"); may be NULL. Rows refused as out of scope never come here. */
	void (*rejected_row)(void *ctx, const struct sheet_row *row, int reason_col,
			     const char *reasons);
	/* The file's name as its owner knows it (an upload's), for the audit and the import's
	 * record; NULL or "": path's own. */
	const char *name;
};

/* Imports the people in path as by. A row whose 身份证号 is registered updates
 * that person; importing the same file twice changes nothing the second time.
 * A file of more than max_rows rows (0: no limit) is refused whole (VE_LIMIT).
 * IMPORT_KEEP_GOOD commits in short transactions (a few hundred rows, about 50 ms)
 * and lets other writers in between; IMPORT_DRY_RUN only reads, from one snapshot,
 * and counts a 身份证号 repeated in the file as the real import would (an update of
 * the row before); IMPORT_ALL_OR_NOTHING is one transaction.
 * Rows whose 身份证号 is registered outside by's scope are only counted (out_of_scope)
 * and recorded as by's hits of the day; past the day's limit the import stops
 * (VE_QUOTA, reported as row 0 with PERSON_SCOPE_LIMIT_MESSAGE).
 * Returns 0 with *n; VE_INVALID when the file can't be read (bad header, bad
 * encoding, a cell too large…: reported, nothing kept) or, in
 * IMPORT_ALL_OR_NOTHING, when a row was refused; VE_LIMIT; VE_QUOTA; VE_DB. After an error
 * in IMPORT_KEEP_GOOD the slices committed before it stay. An import that changed
 * something is audited once more as a whole ("person.import"). A real import is
 * recorded (n->import_id) with the people it added or changed: person_import_people. */
int person_import(struct db *db, const struct principal *by, const char *path,
		  enum import_mode mode, long max_rows, const struct import_sink *sink,
		  struct import_counts *n);

/* The rules of the import's columns, in person_fields order, for the template's
 * 填写说明 sheet and the import page: [{"column","required","rule"}]. The vocabularies
 * come from their areas; 街道 lists the streets in by's scope. 0 or VE_DB. */
int person_import_rules(struct db *db, const struct principal *by, json_t **out);
/* General notes of the import (one sentence each): [text]. */
json_t *person_import_notes(void);
/* Writes the import's template at path (.csv or .xlsx, by its extension): the header
 * (the import's columns) and one example row of a fictional person that imports as it
 * is in by's scope (the GB 11643 standard's own example number); an .xlsx gets the rules
 * as a second sheet, "填写说明". 0, or VE_IO / VE_DB with err filled. */
int person_import_template(struct db *db, const struct principal *by, const char *path,
			   char *err, size_t errlen);

/* How many people a page of person_import_people lists. */
#define PERSON_IMPORT_PAGE 100
/* Import id of by (one of by's own imports) with the people it added or changed that
 * are in by's scope, page by page: {"id","file","started_at","added","changed","total",
 * "items":[{"id","name","id_number"(masked),"street","community","status","outcome"}]}.
 * VE_NOTFOUND for an import that is not by's; VE_DB. */
int person_import_people(struct db *db, const struct principal *by, int64_t import_id,
			 int64_t page, json_t **out);

#endif
