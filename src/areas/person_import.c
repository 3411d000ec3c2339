/* person_import.c - reading people from a sheet into the registry, row by row. */
#include "person_import.h"
#include "person.h"
#include "io/sheet.h"
#include "lib/err.h"

#include <stdio.h>
#include <string.h>

#define N_COLUMNS 15
/* Rows written between commits: large transactions, a bounded journal. */
#define BATCH_ROWS 20000

/* Maps the header to person_columns; -1 (reported) on an unknown, repeated or missing column. */
static int map_header(const struct sheet_row *h, int col[N_COLUMNS], const struct import_sink *s)
{
	char why[160];
	for (int k = 0; k < N_COLUMNS; k++)
		col[k] = -1;
	for (size_t i = 0; i < h->n; i++) {
		int found = -1;
		for (int k = 0; k < N_COLUMNS; k++)
			if (strcmp(h->cells[i], person_columns[k]) == 0)
				found = k;
		if (found < 0 && h->cells[i][0]) {
			snprintf(why, sizeof(why), "未知的列：%.60s", h->cells[i]);
			return s->reject(s->ctx, h->number, NULL, why), -1;
		}
		if (found >= 0 && col[found] >= 0) {
			snprintf(why, sizeof(why), "列重复：%s", h->cells[i]);
			return s->reject(s->ctx, h->number, NULL, why), -1;
		}
		if (found >= 0)
			col[found] = (int)i;
	}
	for (int k = 0; k < 3; k++)
		if (col[k] < 0) {
			snprintf(why, sizeof(why), "缺少必填列：%s", person_columns[k]);
			return s->reject(s->ctx, h->number, NULL, why), -1;
		}
	return 0;
}

/* The cell of column k, NULL when the file has no such column (the value is kept). */
static const char *cell(const struct sheet_row *r, const int col[N_COLUMNS], int k)
{
	if (col[k] < 0)
		return NULL;
	return (size_t)col[k] < r->n ? sheet_unguard(r->cells[col[k]]) : "";
}

static int import_row(struct db *db, const struct principal *by, const struct sheet_row *row,
		      const int col[N_COLUMNS], const struct import_sink *s,
		      struct import_counts *n)
{
	struct person_text t = {
		cell(row, col, 0),  cell(row, col, 1),  cell(row, col, 2),  cell(row, col, 3),
		cell(row, col, 4),  cell(row, col, 5),  cell(row, col, 6),  cell(row, col, 7),
		cell(row, col, 8),  cell(row, col, 9),  cell(row, col, 10), cell(row, col, 11),
		cell(row, col, 12), cell(row, col, 13), cell(row, col, 14),
	};
	struct person_errors errs;
	enum person_outcome outcome;
	int64_t id;
	int rc = person_save(db, by, &t, 1, 1, &id, &outcome, &errs);
	if (rc == VE_INVALID || rc == VE_NOTFOUND) {
		for (int i = 0; i < errs.n; i++)
			s->reject(s->ctx, row->number, errs.items[i].field, errs.items[i].message);
		n->rejected++;
		return 0;
	}
	if (rc)
		return rc;
	if (outcome == PERSON_ADDED)
		n->added++;
	else if (outcome == PERSON_CHANGED)
		n->changed++;
	else
		n->unchanged++;
	return 0;
}

static int audit_import(struct db *db, const struct principal *by, const char *path,
			const struct import_counts *n)
{
	const char *base = strrchr(path, '/');
	char detail[400];
	snprintf(detail, sizeof(detail), "导入 %.100s：新增 %ld，更新 %ld，未变化 %ld，拒绝 %ld",
		 base ? base + 1 : path, n->added, n->changed, n->unchanged, n->rejected);
	struct audit_actor who = account_actor(by);
	return audit_write(db, &who, "person.import", "persons", "ok", detail) ? VE_DB : 0;
}

/* Reads and imports every row after the header, inside an open transaction. */
static int import_rows(struct db *db, const struct principal *by, struct sheet_reader *in,
		       const int col[N_COLUMNS], enum import_mode mode, const struct import_sink *s,
		       struct import_counts *n)
{
	struct sheet_row row;
	char err[512];
	long since_commit = 0, seen = 0;
	int rc;
	while ((rc = sheet_next(in, &row, err, sizeof(err))) == 1) {
		if (row.n == 0 || (row.n == 1 && !row.cells[0][0])) {
			n->empty++;
			continue;
		}
		if ((rc = import_row(db, by, &row, col, s, n)) != 0)
			return rc;
		if (s->progress && ++seen % 1000 == 0)
			s->progress(s->ctx, seen);
		if (mode == IMPORT_KEEP_GOOD && ++since_commit == BATCH_ROWS) {
			since_commit = 0;
			if (db_commit(db) != 0 || db_begin(db) != 0)
				return VE_DB;
		}
	}
	if (rc != 0) {
		/* The reader's error (bad encoding, a cell too large): the file can't be read. */
		s->reject(s->ctx, 0, NULL, err);
		return VE_INVALID;
	}
	return 0;
}

int person_import(struct db *db, const struct principal *by, const char *path,
		  enum import_mode mode, const struct import_sink *s, struct import_counts *n)
{
	char err[512];
	memset(n, 0, sizeof(*n));
	struct sheet_reader *in = sheet_open(path, err, sizeof(err));
	if (!in)
		return s->reject(s->ctx, 0, NULL, err), VE_INVALID;
	struct sheet_row header;
	int col[N_COLUMNS];
	int rc = sheet_next(in, &header, err, sizeof(err));
	if (rc != 1) {
		s->reject(s->ctx, 0, NULL, rc == 0 ? "文件是空的：第一行应为表头" : err);
		rc = VE_INVALID;
	} else {
		rc = map_header(&header, col, s) == 0 ? 0 : VE_INVALID;
	}
	if (rc == 0 && db_begin(db) != 0)
		rc = VE_DB;
	else if (rc == 0) {
		rc = import_rows(db, by, in, col, mode, s, n);
		if (rc == 0 && mode == IMPORT_ALL_OR_NOTHING && n->rejected)
			rc = VE_INVALID;
		/* The rows' own records say what changed; this says it came from one file. */
		if (rc == 0 && mode != IMPORT_DRY_RUN && n->added + n->changed)
			rc = audit_import(db, by, path, n);
		if (rc == 0 && mode != IMPORT_DRY_RUN && db_commit(db) != 0)
			rc = VE_DB;
		if (rc || mode == IMPORT_DRY_RUN)
			db_rollback(db);
	}
	sheet_close(in);
	return rc;
}
