/* person_import.c - reading people from a sheet into the registry, row by row. */
#include "person_import.h"
#include "person.h"
#include "io/sheet.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/mem.h"
#include "lib/str.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_COLUMNS PERSON_FIELDS
/* A slice of a real import: it commits after this many rows or this long, whichever
 * comes first, and lets waiting writers (logins, edits) in before the next. */
#define SLICE_ROWS 500
#define SLICE_USEC 50000

/* Maps the header to person_fields; -1 (reported) on an unknown, repeated or missing column. */
static int map_header(const struct sheet_row *h, int col[N_COLUMNS], const struct import_sink *s)
{
	char why[160];
	for (int k = 0; k < N_COLUMNS; k++)
		col[k] = -1;
	for (size_t i = 0; i < h->n; i++) {
		int found = -1;
		for (int k = 0; k < N_COLUMNS; k++)
			if (strcmp(h->cells[i], person_fields[k].label) == 0)
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
			snprintf(why, sizeof(why), "缺少必填列：%s", person_fields[k].label);
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

/* ---- a preview's memory of the file: the 身份证号 seen, and the day's new hits ---- */

/* The 身份证号 of the good rows so far (the first 64 bits of the blind index, never 0)
 * with a hash of their row: a number met again is an update of that row (or no change). */
struct seen {
	uint64_t *keys, *rows;
	size_t cap, n;
};

static uint64_t key_of(const char *bidx)
{
	uint64_t k = 0;
	for (int i = 0; i < 16 && bidx[i]; i++)
		k = k << 4 | (uint64_t)(bidx[i] <= '9' ? bidx[i] - '0' : (bidx[i] | 32) - 'a' + 10);
	return k ? k : 1;
}

static uint64_t row_hash(const struct sheet_row *r)
{
	uint64_t h = 14695981039346656037ull;
	for (size_t i = 0; i < r->n; i++)
		for (size_t j = 0; j <= r->lens[i]; j++) /* the NUL separates cells */
			h = (h ^ (unsigned char)r->cells[i][j]) * 1099511628211ull;
	return h;
}

static void seen_grow(struct seen *s);

/* Puts key with row; 1 (and *before, the earlier row's hash) when it was there. */
static int seen_put(struct seen *s, uint64_t key, uint64_t row, uint64_t *before)
{
	if (2 * (s->n + 1) > s->cap)
		seen_grow(s);
	size_t i = (size_t)(key * 0x9e3779b97f4a7c15ull) & (s->cap - 1);
	for (; s->keys[i]; i = (i + 1) & (s->cap - 1))
		if (s->keys[i] == key) {
			*before = s->rows[i];
			s->rows[i] = row;
			return 1;
		}
	s->keys[i] = key;
	s->rows[i] = row;
	s->n++;
	return 0;
}

static void seen_grow(struct seen *s)
{
	struct seen bigger = {xcalloc(s->cap ? 2 * s->cap : 1024, sizeof(uint64_t)),
			      xcalloc(s->cap ? 2 * s->cap : 1024, sizeof(uint64_t)),
			      s->cap ? 2 * s->cap : 1024, 0};
	uint64_t ignored;
	for (size_t i = 0; i < s->cap; i++)
		if (s->keys[i])
			seen_put(&bigger, s->keys[i], s->rows[i], &ignored);
	free(s->keys);
	free(s->rows);
	*s = bigger;
}

/* One import's state. */
struct run {
	struct db *db;
	const struct principal *by;
	enum import_mode mode;
	const struct import_sink *s;
	struct import_counts *n;
	struct seen seen;    /* a preview's */
	int64_t hits_before; /* a preview's: by's hits of the day when it began */
	char (*hits)[2 * SM3_LEN + 1]; /* a preview's new hits, at most PERSON_SCOPE_HITS_MAX + 1 */
	int n_hits;
};

/* A preview's row refused as out of scope: a new hit of the day unless known. */
static int preview_hit(struct run *x, const char *bidx)
{
	for (int i = 0; i < x->n_hits; i++)
		if (strcmp(x->hits[i], bidx) == 0)
			return 0;
	int known = 0;
	if (person_scope_hit_known(x->db, x->by, bidx, &known) != 0)
		return VE_DB;
	if (known)
		return 0;
	str_copy(x->hits[x->n_hits++], bidx, sizeof(x->hits[0]));
	if (x->hits_before + x->n_hits > PERSON_SCOPE_HITS_MAX)
		return x->s->reject(x->s->ctx, 0, NULL, PERSON_SCOPE_LIMIT_MESSAGE), VE_QUOTA;
	return 0;
}

static int import_row(struct run *x, const struct sheet_row *row, const int col[N_COLUMNS])
{
	struct person_text t = {
		cell(row, col, 0),  cell(row, col, 1),  cell(row, col, 2),  cell(row, col, 3),
		cell(row, col, 4),  cell(row, col, 5),  cell(row, col, 6),  cell(row, col, 7),
		cell(row, col, 8),  cell(row, col, 9),  cell(row, col, 10), cell(row, col, 11),
		cell(row, col, 12), cell(row, col, 13), cell(row, col, 14),
	};
	struct field_errors errs;
	struct person_save_info info;
	enum person_outcome outcome;
	int64_t id;
	int dry = x->mode == IMPORT_DRY_RUN;
	int rc = person_save_ex(x->db, x->by, &t,
				PERSON_UPDATE_EXISTING | PERSON_IN_TX | (dry ? PERSON_CHECK_ONLY : 0),
				&id, &outcome, &errs, &info);
	if (rc == VE_QUOTA)
		return x->s->reject(x->s->ctx, 0, NULL, PERSON_SCOPE_LIMIT_MESSAGE), rc;
	if (rc == VE_INVALID && info.out_of_scope) {
		x->n->out_of_scope++;
		return dry ? preview_hit(x, info.id_bidx) : 0;
	}
	if (rc == VE_INVALID || rc == VE_NOTFOUND) {
		for (int i = 0; i < errs.n; i++)
			x->s->reject(x->s->ctx, row->number, errs.items[i].field,
				     errs.items[i].message);
		x->n->rejected++;
		return 0;
	}
	if (rc)
		return rc;
	uint64_t before;
	/* The snapshot does not hold the rows before this one: the memory does. */
	if (dry && seen_put(&x->seen, key_of(info.id_bidx), row_hash(row), &before))
		outcome = before == row_hash(row) ? PERSON_UNCHANGED : PERSON_CHANGED;
	if (outcome == PERSON_ADDED)
		x->n->added++;
	else if (outcome == PERSON_CHANGED)
		x->n->changed++;
	else
		x->n->unchanged++;
	return 0;
}

static int audit_import(struct db *db, const struct principal *by, const char *path,
			const struct import_counts *n)
{
	const char *base = strrchr(path, '/');
	char detail[400];
	snprintf(detail, sizeof(detail),
		 "导入 %.100s：新增 %ld，更新 %ld，未变化 %ld，拒绝 %ld，不在本辖区 %ld",
		 base ? base + 1 : path, n->added, n->changed, n->unchanged, n->rejected,
		 n->out_of_scope);
	struct audit_actor who = account_actor(by);
	return audit_write(db, &who, "person.import", "persons", "ok", detail) ? VE_DB : 0;
}

/* Ends a slice of a real import and begins the next, letting waiting writers in. The
 * import copies the log into the database itself, every CHECKPOINT_ROWS rows: after
 * each slice, as SQLite would do on its own, the copy and its fsync cost more than the
 * slice. */
#define CHECKPOINT_ROWS 20000
static int next_slice(struct db *db, long rows, long *checkpointed)
{
	if (db_commit(db) != 0)
		return VE_DB;
	if (rows - *checkpointed >= CHECKPOINT_ROWS) {
		db_checkpoint(db);
		*checkpointed = rows;
	}
	db_yield();
	return db_begin(db) != 0 ? VE_DB : 0;
}

/* Reads and imports every row after the header, inside an open transaction. */
static int import_rows(struct run *x, struct sheet_reader *in, const int col[N_COLUMNS],
		       long max_rows)
{
	struct sheet_row row;
	char err[512];
	long in_slice = 0, seen = 0, checkpointed = 0;
	int64_t slice_start = clock_usec();
	int rc;
	while ((rc = sheet_next(in, &row, err, sizeof(err))) == 1) {
		if (max_rows && row.number - 1 > max_rows) {
			snprintf(err, sizeof(err),
				 "文件超过 %ld 行，超出每次导入的上限；请分成几个文件导入",
				 max_rows);
			x->s->reject(x->s->ctx, 0, NULL, err);
			return VE_LIMIT;
		}
		if (row.n == 0 || (row.n == 1 && !row.cells[0][0])) {
			x->n->empty++;
			continue;
		}
		if ((rc = import_row(x, &row, col)) != 0)
			return rc;
		if (++seen % 1000 == 0 && x->s->progress)
			x->s->progress(x->s->ctx, seen);
		if (x->mode == IMPORT_KEEP_GOOD &&
		    (++in_slice >= SLICE_ROWS || clock_usec() - slice_start >= SLICE_USEC)) {
			if ((rc = next_slice(x->db, seen, &checkpointed)) != 0)
				return rc;
			in_slice = 0;
			slice_start = clock_usec();
		}
	}
	if (rc != 0) {
		/* The reader's error (bad encoding, a cell too large): the file can't be read. */
		x->s->reject(x->s->ctx, 0, NULL, err);
		return VE_INVALID;
	}
	return 0;
}

/* A preview: every row checked against one snapshot in a read transaction, then the
 * day's new out-of-scope hits recorded in a short write of their own. */
static int preview(struct run *x, struct sheet_reader *in, const int col[N_COLUMNS],
		   long max_rows)
{
	if (db_begin_read(x->db) != 0)
		return VE_DB;
	int rc = person_scope_hits_today(x->db, x->by, &x->hits_before);
	if (rc == 0 && x->hits_before >= PERSON_SCOPE_HITS_MAX)
		rc = VE_QUOTA, x->s->reject(x->s->ctx, 0, NULL, PERSON_SCOPE_LIMIT_MESSAGE);
	if (rc == 0)
		rc = import_rows(x, in, col, max_rows);
	db_rollback(x->db);
	if (x->n_hits && person_scope_hits_add(x->db, x->by, (const void *)x->hits, x->n_hits,
					       0) != 0 && rc == 0)
		rc = VE_DB;
	return rc;
}

/* A real import, in one transaction (IMPORT_ALL_OR_NOTHING) or in slices. */
static int import(struct run *x, struct sheet_reader *in, const int col[N_COLUMNS],
		  long max_rows, const char *path)
{
	db_autocheckpoint(x->db, 0);
	if (db_begin(x->db) != 0)
		return db_autocheckpoint(x->db, 1), VE_DB;
	int rc = import_rows(x, in, col, max_rows);
	if (rc == 0 && x->mode == IMPORT_ALL_OR_NOTHING && x->n->rejected)
		rc = VE_INVALID;
	/* The rows' own records say what changed; this says it came from one file. */
	if (rc == 0 && x->n->added + x->n->changed)
		rc = audit_import(x->db, x->by, path, x->n);
	/* Stopped at the day's limit: the rows before it stay, as do the refusal's records. */
	if ((rc == 0 || (rc == VE_QUOTA && x->mode == IMPORT_KEEP_GOOD)) && db_commit(x->db) != 0)
		rc = VE_DB;
	if (rc)
		db_rollback(x->db);
	db_autocheckpoint(x->db, 1);
	db_checkpoint(x->db);
	return rc;
}

int person_import(struct db *db, const struct principal *by, const char *path,
		  enum import_mode mode, long max_rows, const struct import_sink *s,
		  struct import_counts *n)
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
	struct run x = {db, by, mode, s, n, {0}, 0, NULL, 0};
	if (rc == 0 && mode == IMPORT_DRY_RUN) {
		x.hits = xcalloc(PERSON_SCOPE_HITS_MAX + 1, sizeof(x.hits[0]));
		rc = preview(&x, in, col, max_rows);
	} else if (rc == 0) {
		rc = import(&x, in, col, max_rows, path);
	}
	free(x.seen.keys);
	free(x.seen.rows);
	free(x.hits);
	sheet_close(in);
	return rc;
}
