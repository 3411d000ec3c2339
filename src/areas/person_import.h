/* person_import.h - the registry's import of people from .csv and .xlsx files (SPEC §3.3),
 * shared by the command line and the web. */
#ifndef VETS_PERSON_IMPORT_H
#define VETS_PERSON_IMPORT_H

#include "areas/account.h"
#include "db/db.h"

struct import_counts {
	long added, changed, unchanged, rejected, empty;
};

enum import_mode {
	IMPORT_KEEP_GOOD,      /* keep the good rows, report the bad ones */
	IMPORT_ALL_OR_NOTHING, /* keep nothing when a row is bad */
	IMPORT_DRY_RUN,        /* check and count everything, keep nothing (a preview) */
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
 * Returns 0 with *n; VE_INVALID when the file can't be read (bad header, bad
 * encoding, a cell too large…: reported, nothing kept) or, in
 * IMPORT_ALL_OR_NOTHING, when a row was refused; VE_DB. An import that changed
 * something is audited once more as a whole ("person.import"). */
int person_import(struct db *db, const struct principal *by, const char *path,
		  enum import_mode mode, const struct import_sink *sink, struct import_counts *n);

#endif
