/* person_import.h - the registry's import of people from .csv and .xlsx files (SPEC §3.3),
 * shared by the command line and the web. */
#ifndef VETS_PERSON_IMPORT_H
#define VETS_PERSON_IMPORT_H

#include "areas/account.h"
#include "db/db.h"

struct import_counts {
	long added, changed, unchanged, rejected, empty;
	/* Rows refused because their 身份证号 is registered outside the importer's scope:
	 * counted, never named (not in rejected, not reported row by row). */
	long out_of_scope;
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
 * something is audited once more as a whole ("person.import"). */
int person_import(struct db *db, const struct principal *by, const char *path,
		  enum import_mode mode, long max_rows, const struct import_sink *sink,
		  struct import_counts *n);

#endif
