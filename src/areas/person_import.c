/* person_import.c - reading people from a sheet into the registry, row by row. */
#include "person_import.h"
#include "person.h"
#include "region.h"
#include "scope.h"
#include "io/sheet.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_COLUMNS PERSON_FIELDS
/* A slice of a real import: it commits after this many rows or this long, whichever
 * comes first, and lets waiting writers (logins, edits) in before the next. */
#define SLICE_ROWS 500
#define SLICE_USEC 50000

/* Maps the header to person_fields, *reason_col to the PERSON_IMPORT_REASON_COLUMN (a
 * rejected-rows file's, ignored) or -1; -1 (reported) on an unknown, repeated or missing
 * column. */
static int map_header(const struct sheet_row *h, int col[N_COLUMNS], int *reason_col,
		      const struct import_sink *s)
{
	char why[160];
	for (int k = 0; k < N_COLUMNS; k++)
		col[k] = -1;
	*reason_col = -1;
	for (size_t i = 0; i < h->n; i++) {
		int found = -1;
		if (strcmp(h->cells[i], PERSON_IMPORT_REASON_COLUMN) == 0) {
			if (*reason_col < 0)
				*reason_col = (int)i;
			continue;
		}
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
	int reason_col;    /* the header's PERSON_IMPORT_REASON_COLUMN, or -1 */
	int64_t import_id; /* a real import's record */
	int committed;     /* a real import's slice was committed */
};

/* Tells the sink about a refused row: every reason of errs, "字段：原因" joined by "；". */
static void reject_row(struct run *x, const struct sheet_row *row, const struct field_errors *errs)
{
	if (!x->s->rejected_row)
		return;
	char reasons[2048] = "";
	size_t used = 0;
	for (int i = 0; i < errs->n && used < sizeof(reasons); i++)
		used += (size_t)snprintf(reasons + used, sizeof(reasons) - used, "%s%s%s%s",
					 i ? "；" : "", errs->items[i].field ? errs->items[i].field : "",
					 errs->items[i].field ? "：" : "", errs->items[i].message);
	utf8_scrub(reasons);
	x->s->rejected_row(x->s->ctx, row, x->reason_col, reasons);
}

/* Records person id as added or changed by this import, in its transaction. */
static int record_person(struct run *x, int64_t id, enum person_outcome outcome)
{
	return db_run(x->db,
		      "INSERT INTO person_import_people (import_id, person_id, outcome) "
		      "VALUES (?, ?, ?) ON CONFLICT (import_id, person_id) DO NOTHING",
		      "iis", x->import_id, id, outcome == PERSON_ADDED ? "added" : "changed")
		       ? VE_DB
		       : 0;
}

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
		reject_row(x, row, &errs);
		x->n->rejected++;
		return 0;
	}
	if (rc)
		return rc;
	if (!dry && outcome != PERSON_UNCHANGED && (rc = record_person(x, id, outcome)) != 0)
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

/* The file name of path, without its directory. */
static const char *base_name(const char *path)
{
	const char *base = strrchr(path, '/');
	return base ? base + 1 : path;
}

static int audit_import(struct db *db, const struct principal *by, const char *path,
			const struct import_counts *n, int64_t import_id)
{
	char detail[400];
	snprintf(detail, sizeof(detail),
		 "导入 %.100s：新增 %ld，更新 %ld，未变化 %ld，拒绝 %ld，不在本辖区 %ld（导入记录 %lld）",
		 base_name(path), n->added, n->changed, n->unchanged, n->rejected,
		 n->out_of_scope, (long long)import_id);
	struct audit_actor who = account_actor(by);
	return audit_write(db, &who, "person.import", "persons", "ok", detail) ? VE_DB : 0;
}

/* Ends a slice of a real import and begins the next, letting waiting writers in. The
 * import copies the log into the database itself, every CHECKPOINT_ROWS rows: after
 * each slice, as SQLite would do on its own, the copy and its fsync cost more than the
 * slice. */
#define CHECKPOINT_ROWS 20000
static int next_slice(struct run *x, long rows, long *checkpointed)
{
	struct db *db = x->db;
	if (db_commit(db) != 0)
		return VE_DB;
	x->committed = 1;
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
			if ((rc = next_slice(x, seen, &checkpointed)) != 0)
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
	int rc = db_run(x->db,
			"INSERT INTO person_imports (user_id, user_name, region_code, file, "
			"started_at) VALUES (?, ?, ?, ?, ?)",
			"isssi", x->by->user_id, x->by->username,
			x->by->region_code,
			base_name(x->s->name && x->s->name[0] ? x->s->name : path), clock_now())
			 ? VE_DB
			 : 0;
	x->import_id = db_last_id(x->db);
	if (rc == 0)
		rc = import_rows(x, in, col, max_rows);
	if (rc == 0 && x->mode == IMPORT_ALL_OR_NOTHING && x->n->rejected)
		rc = VE_INVALID;
	/* The rows' own records say what changed; this says it came from one file. */
	if (rc == 0 && x->n->added + x->n->changed)
		rc = audit_import(x->db, x->by, x->s->name && x->s->name[0] ? x->s->name : path,
				  x->n, x->import_id);
	/* Stopped at the day's limit: the rows before it stay, as do the refusal's records. */
	int keep = rc == 0 || (rc == VE_QUOTA && x->mode == IMPORT_KEEP_GOOD);
	if (keep && db_commit(x->db) != 0)
		rc = VE_DB, keep = 0;
	if (keep)
		x->committed = 1;
	else
		db_rollback(x->db);
	x->n->import_id = x->committed ? x->import_id : 0;
	db_autocheckpoint(x->db, 1);
	db_checkpoint(x->db);
	return rc;
}

/* The whole file read once before an import in slices writes anything: a file that can't
 * be read (a line in another encoding, a cell too large) is refused whole, as the
 * import's contract says, however long the rows before the bad line take to save. */
static int readable(const char *path, char *err, size_t errlen)
{
	struct sheet_reader *in = sheet_open(path, err, errlen);
	if (!in)
		return -1;
	struct sheet_row row;
	int rc;
	while ((rc = sheet_next(in, &row, err, errlen)) == 1)
		;
	sheet_close(in);
	return rc == 0 ? 0 : -1;
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
	int col[N_COLUMNS], reason_col = -1;
	int rc = sheet_next(in, &header, err, sizeof(err));
	if (rc != 1) {
		s->reject(s->ctx, 0, NULL, rc == 0 ? "文件是空的：第一行应为表头" : err);
		rc = VE_INVALID;
	} else {
		rc = map_header(&header, col, &reason_col, s) == 0 ? 0 : VE_INVALID;
	}
	if (rc == 0 && s->header)
		s->header(s->ctx, &header, reason_col);
	struct run x = {db, by, mode, s, n, {0}, 0, NULL, 0, reason_col, 0, 0};
	if (rc == 0 && mode == IMPORT_DRY_RUN) {
		x.hits = xcalloc(PERSON_SCOPE_HITS_MAX + 1, sizeof(x.hits[0]));
		rc = preview(&x, in, col, max_rows);
	} else if (rc == 0 && mode == IMPORT_KEEP_GOOD && readable(path, err, sizeof(err)) != 0) {
		s->reject(s->ctx, 0, NULL, err);
		rc = VE_INVALID;
	} else if (rc == 0) {
		rc = import(&x, in, col, max_rows, path);
	}
	free(x.seen.keys);
	free(x.seen.rows);
	free(x.hits);
	n->encoding = sheet_encoding(in);
	sheet_close(in);
	return rc;
}

/* ---- the template and its rules ---- */

/* The streets in by's scope, each with its first community in scope: [{"name","community"}]. */
static int streets_in_scope(struct db *db, const struct principal *by, json_t **out)
{
	json_t *tree;
	if (region_tree(db, &tree) != 0)
		return VE_DB;
	*out = json_array();
	size_t i, j;
	json_t *street, *community;
	json_array_foreach(tree, i, street) {
		const char *code = json_string_value(json_object_get(street, "code"));
		const char *first = "";
		json_array_foreach(json_object_get(street, "communities"), j, community) {
			const char *c = json_string_value(json_object_get(community, "code"));
			if (scope_covers_region(&by->scope, by->region_code, c, by->user_id)) {
				first = json_string_value(json_object_get(community, "name"));
				break;
			}
		}
		if (first[0] || scope_covers_region(&by->scope, by->region_code, code, by->user_id))
			json_array_append_new(*out, json_pack("{s:O,s:s}", "name",
							      json_object_get(street, "name"),
							      "community", first));
	}
	json_decref(tree);
	return 0;
}

/* What a cell of field k must hold, for people. */
static void rule_text(const struct person_field *f, json_t *streets, char *out, size_t size)
{
	char list[1024] = "";
	size_t used = 0, i;
	json_t *street;
	switch (f->kind) {
	case PERSON_KIND_TEXT:
		snprintf(out, size, "文字，不超过 %zu 个字%s", f->max_chars,
			 f->multiline ? "，可以换行" : "");
		return;
	case PERSON_KIND_ID:
		snprintf(out, size, "18 位公民身份号码（GB 11643），末位校验码须正确，末位 x 按 X "
				    "处理；请将此列设为文本格式，以免 Excel 改为科学计数法");
		return;
	case PERSON_KIND_CATEGORIES:
		for (int c = 0; c < CAT__COUNT && used < sizeof(list); c++)
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
						 c ? "、" : "", category_title((enum category)c));
		snprintf(out, size, "一个或多个，用“、”或“;”分隔：%s", list);
		return;
	case PERSON_KIND_PHONE:
		snprintf(out, size, "11 位手机号，或带区号的固定电话（如 027-88886666）");
		return;
	case PERSON_KIND_REGION:
		if (strcmp(f->name, "community") == 0) {
			snprintf(out, size, "所填街道下的社区名称（须同时填写街道）");
			return;
		}
		json_array_foreach(streets, i, street) {
			if (used < sizeof(list))
				used += (size_t)snprintf(
					list + used, sizeof(list) - used, "%s%s", i ? "、" : "",
					json_string_value(json_object_get(street, "name")));
		}
		snprintf(out, size, "本辖区街道名称：%s", list[0] ? list : "（尚未设置街道）");
		return;
	case PERSON_KIND_DATE:
		snprintf(out, size, "年月（如 2003-12）或日期（如 2003-12-01），不能晚于今天%s",
			 strcmp(f->name, "discharged") == 0 ? "，不能早于入伍时间" : "");
		return;
	case PERSON_KIND_CHOICE:
		person_vocab_text(f->vocab, list, sizeof(list));
		snprintf(out, size, "以下之一：%s", list);
		return;
	case PERSON_KIND_GRADE:
		snprintf(out, size, "%d 到 %d 的数字（%d 级最重）", PERSON_GRADE_MIN,
			 PERSON_GRADE_MAX, PERSON_GRADE_MIN);
		return;
	case PERSON_KIND_ACCOUNT:
		snprintf(out, size, "12 到 30 位数字；请将此列设为文本格式");
		return;
	}
	out[0] = '\0';
}

/* Whether field f must be filled, for people. */
static void required_text(const struct person_field *f, char *out, size_t size)
{
	if (f->required)
		snprintf(out, size, "必填");
	else if (f->kind == PERSON_KIND_GRADE ||
		 (f->kind == PERSON_KIND_CHOICE && f->vocab == PERSON_NATURES))
		snprintf(out, size, "人员类别含“%s”时必填", category_title(CAT_DISABLED));
	else
		snprintf(out, size, "选填");
}

static json_t *rules_of(json_t *streets)
{
	json_t *rules = json_array();
	char required[128], rule[1600];
	for (int k = 0; k < N_COLUMNS; k++) {
		required_text(&person_fields[k], required, sizeof(required));
		rule_text(&person_fields[k], streets, rule, sizeof(rule));
		json_array_append_new(rules, json_pack("{s:s,s:s,s:s}", "column",
						       person_fields[k].label, "required", required,
						       "rule", rule));
	}
	return rules;
}

int person_import_rules(struct db *db, const struct principal *by, json_t **out)
{
	json_t *streets;
	if (streets_in_scope(db, by, &streets) != 0)
		return VE_DB;
	*out = rules_of(streets);
	json_decref(streets);
	return 0;
}

json_t *person_import_notes(void)
{
	return json_pack(
		"[s,s,s,s,s]",
		"第一行为表头，列名须与模板一致；列的顺序可以调整，不用的选填列可以删去，"
		"不能有其他列（“" PERSON_IMPORT_REASON_COLUMN "”列除外，导入时忽略）。",
		"每行一人。身份证号已登记的人员按该行更新；同一文件重复导入不会重复登记。",
		"模板中的示例行“张示例”是虚构的人员（身份证号取自 GB 11643 标准的示例），"
		"请删除或改为真实人员后再导入。",
		"CSV 文件用 UTF-8 或 GBK（GB18030）编码保存均可，系统自动识别并在预览中注明；"
		"也可以直接上传 .xlsx 工作簿（读取第一个工作表）。",
		"被拒绝的行可以下载：文件保留原来的各列，末尾的“" PERSON_IMPORT_REASON_COLUMN
		"”列写明原因；改正后可直接再次导入。");
}

/* The example row's cells, for a fictional person in by's scope. */
static void example_row(json_t *streets, const char *cells[N_COLUMNS])
{
	const char *const *placements;
	person_vocabulary(PERSON_PLACEMENTS, &placements);
	json_t *street = json_array_get(streets, 0);
	const char *values[N_COLUMNS] = {
		"张示例",
		"11010519491231002X", /* GB 11643's own example */
		category_title(CAT_VETERAN),
		"13800138000",
		street ? json_string_value(json_object_get(street, "name")) : "",
		street ? json_string_value(json_object_get(street, "community")) : "",
		"示例路 1 号",
		"1968-03",
		"1973-12",
		placements[0],
		"",
		"",
		"示例银行",
		"6222000000000000",
		"示例行：虚构的人员，导入前请删除本行或改为真实人员",
	};
	memcpy(cells, values, sizeof(values));
}

static int write_xlsx_template(const char *path, json_t *streets, const char *header[N_COLUMNS],
			       const char *example[N_COLUMNS], char *err, size_t errlen)
{
	struct xlsx_writer *w = xlsx_writer_open(path, "人员名单", err, errlen);
	if (!w)
		return VE_IO;
	int rc = 0;
	/* The columns of long numbers are text: Excel would turn them into 4.2E+17. */
	for (int k = 0; k < N_COLUMNS && rc == 0; k++) {
		enum person_field_kind kind = person_fields[k].kind;
		rc = xlsx_writer_column(w, k, k == 0 ? 10 : kind == PERSON_KIND_ID ? 21 : 14,
					kind == PERSON_KIND_ID || kind == PERSON_KIND_PHONE ||
						kind == PERSON_KIND_ACCOUNT ||
						kind == PERSON_KIND_DATE);
	}
	if (rc == 0)
		rc = xlsx_write_row(w, header, N_COLUMNS);
	if (rc == 0)
		rc = xlsx_write_row(w, example, N_COLUMNS);
	if (rc == 0)
		rc = xlsx_writer_add_sheet(w, "填写说明", err, errlen);
	if (rc == 0)
		rc = xlsx_writer_column(w, 0, 12, 0) || xlsx_writer_column(w, 1, 22, 0) ||
		     xlsx_writer_column(w, 2, 100, 0);
	static const char *const rules_header[3] = {"列名", "是否必填", "填写要求"};
	if (rc == 0)
		rc = xlsx_write_row(w, rules_header, 3);
	json_t *rules = rules_of(streets), *notes = person_import_notes(), *r;
	size_t i;
	json_array_foreach(rules, i, r) {
		const char *cells[3] = {json_string_value(json_object_get(r, "column")),
					json_string_value(json_object_get(r, "required")),
					json_string_value(json_object_get(r, "rule"))};
		if (rc == 0)
			rc = xlsx_write_row(w, cells, 3);
	}
	static const char *const notes_header[1] = {"说明"};
	const char *blank[1] = {""};
	if (rc == 0)
		rc = xlsx_write_row(w, blank, 1) || xlsx_write_row(w, notes_header, 1);
	json_array_foreach(notes, i, r) {
		const char *cells[1] = {json_string_value(r)};
		if (rc == 0)
			rc = xlsx_write_row(w, cells, 1);
	}
	json_decref(rules);
	json_decref(notes);
	if (rc && !err[0])
		err_set(err, errlen, VE_IO, "无法写入模板");
	int closed = xlsx_writer_close(w, err, errlen);
	return rc ? VE_IO : closed;
}

int person_import_template(struct db *db, const struct principal *by, const char *path,
			   char *err, size_t errlen)
{
	json_t *streets;
	err[0] = '\0';
	if (streets_in_scope(db, by, &streets) != 0)
		return err_set(err, errlen, VE_DB, "读取街道失败");
	const char *header[N_COLUMNS], *example[N_COLUMNS];
	person_column_labels(header);
	example_row(streets, example);
	size_t n = strlen(path);
	int rc;
	if (n > 5 && strcmp(path + n - 5, ".xlsx") == 0) {
		rc = write_xlsx_template(path, streets, header, example, err, errlen);
	} else {
		struct sheet_writer *w = sheet_create(path, "人员名单", err, errlen);
		rc = w ? 0 : VE_IO;
		if (w && (sheet_write_row(w, header, N_COLUMNS) ||
			  sheet_write_row(w, example, N_COLUMNS)))
			rc = VE_IO;
		if (w && sheet_finish(w, err, errlen) != 0)
			rc = VE_IO;
	}
	json_decref(streets);
	return rc;
}

/* ---- the people of one import ---- */

#define IMPORT_PEOPLE_FROM                                                                         \
	" FROM person_import_people x JOIN persons p ON p.id = x.person_id WHERE x.import_id = ? " \
	"AND " SCOPE_REGION_SQL("p.region_code", "p.created_by")

int person_import_people(struct db *db, const struct principal *by, int64_t import_id,
			 int64_t page, json_t **out)
{
	struct db_stmt *st = db_q(db,
				  "SELECT file, started_at FROM person_imports WHERE id = ? AND "
				  "user_id = ? AND user_id <> 0",
				  "ii", import_id, by->user_id);
	if (!st)
		return VE_DB;
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		return rc == DB_DONE ? VE_NOTFOUND : VE_DB;
	}
	json_t *o = json_pack("{s:I,s:s,s:I}", "id", (json_int_t)import_id, "file", db_text(st, 0),
			      "started_at", (json_int_t)db_int(st, 1));
	db_done(st);
	int64_t total = 0, added = 0;
	if (db_int_query(db, &total, 0, "SELECT count(*)" IMPORT_PEOPLE_FROM,
			 "i" SCOPE_REGION_FMT, import_id,
			 SCOPE_REGION_ARGS(&by->scope, by->region_code)) ||
	    db_int_query(db, &added, 0, "SELECT count(*)" IMPORT_PEOPLE_FROM " AND x.outcome = 'added'",
			 "i" SCOPE_REGION_FMT, import_id,
			 SCOPE_REGION_ARGS(&by->scope, by->region_code))) {
		json_decref(o);
		return VE_DB;
	}
	if (page < 1)
		page = 1;
	st = db_q(db,
		  "SELECT p.id, p.name, p.id_mask, coalesce(s.name, ''), coalesce(c.name, ''), "
		  "p.status, x.outcome FROM person_import_people x JOIN persons p ON p.id = "
		  "x.person_id LEFT JOIN regions s ON s.code = p.street_code LEFT JOIN regions c "
		  "ON c.code = p.community_code WHERE x.import_id = ? AND " SCOPE_REGION_SQL(
			  "p.region_code", "p.created_by") " ORDER BY x.person_id LIMIT ? OFFSET ?",
		  "i" SCOPE_REGION_FMT "ii", import_id,
		  SCOPE_REGION_ARGS(&by->scope, by->region_code), (int64_t)PERSON_IMPORT_PAGE,
		  (page - 1) * PERSON_IMPORT_PAGE);
	if (!st) {
		json_decref(o);
		return VE_DB;
	}
	json_t *items = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(
			items, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "id",
					 (json_int_t)db_int(st, 0), "name", db_text(st, 1),
					 "id_number", db_text(st, 2), "street", db_text(st, 3),
					 "community", db_text(st, 4), "status", db_text(st, 5),
					 "outcome",
					 strcmp(db_text(st, 6), "added") == 0 ? "新增" : "更新"));
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(items);
		json_decref(o);
		return VE_DB;
	}
	json_object_set_new(o, "total", json_integer(total));
	json_object_set_new(o, "added", json_integer(added));
	json_object_set_new(o, "changed", json_integer(total - added));
	json_object_set_new(o, "page", json_integer(page));
	json_object_set_new(o, "pages", json_integer((total + PERSON_IMPORT_PAGE - 1) / PERSON_IMPORT_PAGE));
	json_object_set_new(o, "items", items);
	*out = o;
	return 0;
}
