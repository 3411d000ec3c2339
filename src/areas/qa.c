/* qa.c - 智能问答: entries and their checks, the sheet import, the cached matcher and the
 * questions visitors left. */
#include "qa.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/sheet.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/mem.h"
#include "lib/qa_index.h"
#include "lib/str.h"
#include "lib/utf8.h"

const struct perm perm_qa_read = {"qa.read", "查看智能问答知识库",
				  ROLE_BIT(CLERK) | ROLE_BIT(LEADER)};
const struct perm perm_qa_manage = {"qa.manage", "维护智能问答知识库，处理群众留下的问题",
				    ROLE_BIT(CLERK)};

/* ---- checks ---- */

/* Phrasings as one text, alternatives separated by "；", each trimmed, empty ones dropped. */
static char *phrasings_tidy(const char *s)
{
	struct buf b;
	buf_init(&b, 4 * QA_PHRASINGS_MAX + 64);
	const char *p = s ? s : "";
	while (*p) {
		size_t n = 0;
		while (p[n] && p[n] != ';' && p[n] != '\n' && strncmp(p + n, "；", 3) != 0)
			n++;
		char *one = xstrndup(p, n);
		str_tidy(one, STR_TIDY_COLLAPSE);
		if (*one) {
			if (b.len)
				buf_puts(&b, "；");
			buf_puts(&b, one);
		}
		free(one);
		p += n;
		if (strncmp(p, "；", 3) == 0)
			p += 3;
		else if (*p)
			p++;
	}
	return buf_detach(&b, NULL);
}

/* A checked entry, its texts owned. */
struct entry_in {
	char *code, *question, *answer, *phrasings;
};

static void entry_in_free(struct entry_in *e)
{
	free(e->code);
	free(e->question);
	free(e->answer);
	free(e->phrasings);
}

static int too_long(const char *s, size_t max_chars)
{
	size_t n = strlen(s);
	return !utf8_valid(s, n) || utf8_count(s, n) > max_chars;
}

/* Checks in into *o (always filled, to free); each fault added to fe. */
static void check_entry(const struct qa_input *in, struct entry_in *o, struct field_errors *fe)
{
	o->code = xstrdup(in->code ? in->code : "");
	o->question = xstrdup(in->question ? in->question : "");
	o->answer = xstrdup(in->answer ? in->answer : "");
	str_tidy(o->code, STR_TIDY_REMOVE);
	str_tidy(o->question, STR_TIDY_COLLAPSE);
	str_tidy(o->answer, STR_TIDY_KEEP);
	o->phrasings = phrasings_tidy(in->phrasings);
	if (!*o->code)
		field_errors_add(fe, "编号", "请填写编号");
	else if (too_long(o->code, QA_CODE_MAX) || !str_is_printable(o->code, strlen(o->code), 0))
		field_errors_add(fe, "编号", "编号最多 %d 个字符，且不能含有控制字符", QA_CODE_MAX);
	if (!*o->question)
		field_errors_add(fe, "问题", "请填写问题");
	else if (too_long(o->question, QA_QUESTION_MAX) ||
		 !str_is_printable(o->question, strlen(o->question), 0))
		field_errors_add(fe, "问题", "问题最多 %d 个字，且不能含有控制字符",
				 QA_QUESTION_MAX);
	if (!*o->answer)
		field_errors_add(fe, "答案", "请填写答案");
	else if (too_long(o->answer, QA_ANSWER_MAX) ||
		 !str_is_printable(o->answer, strlen(o->answer), 1))
		field_errors_add(fe, "答案", "答案最多 %d 个字，且不能含有控制字符", QA_ANSWER_MAX);
	if (too_long(o->phrasings, QA_PHRASINGS_MAX) ||
	    !str_is_printable(o->phrasings, strlen(o->phrasings), 0))
		field_errors_add(fe, "相似问法", "相似问法合计最多 %d 个字，且不能含有控制字符",
				 QA_PHRASINGS_MAX);
}

static int qa_bump(struct db *db)
{
	return db_run(db, "UPDATE qa_version SET version = version + 1 WHERE id = 1", "") ? VE_DB
											  : 0;
}

static const char *signer(const struct principal *by)
{
	return *by->display_name ? by->display_name : by->username;
}

/* The bureau's region: the caller's org's, or the root org's for the command line. */
static void region_of(struct db *db, const struct principal *by, char region[16])
{
	region[0] = '\0';
	struct db_stmt *st =
		by->org_id
			? db_q(db, "SELECT region_code FROM orgs WHERE id = ?", "i", by->org_id)
			: db_q(db,
			       "SELECT region_code FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1",
			       "");
	if (st && db_step(st) == DB_ROW && !db_is_null(st, 0))
		str_copy(region, db_text(st, 0), 16);
	db_done(st);
}

static int code_taken(struct db *db, const char *code, int64_t except, int64_t *id)
{
	int64_t found = 0;
	if (db_int_query(db, &found, 0, "SELECT id FROM qa_entries WHERE code = ?", "s", code))
		return -1;
	if (id)
		*id = found;
	return found && found != except;
}

/* In the caller's transaction. */
static int save_in_tx(struct db *db, const struct principal *by, int64_t id,
		      const struct entry_in *e, struct field_errors *fe, int64_t *out_id)
{
	int creating = id == 0;
	int taken = code_taken(db, e->code, id, NULL);
	if (taken < 0)
		return VE_DB;
	if (taken) {
		field_errors_add(fe, "编号", "编号“%s”已被另一条目使用", e->code);
		return VE_EXISTS;
	}
	int64_t now = clock_now();
	char detail[300];
	if (id) {
		if (db_run(db,
			   "UPDATE qa_entries SET code = ?, question = ?, answer = ?, phrasings = ?, "
			   "updated_at = ?, updated_by = ? WHERE id = ?",
			   "ssssisi", e->code, e->question, e->answer, e->phrasings, now,
			   signer(by), id))
			return VE_DB;
		if (db_changes(db) == 0)
			return VE_NOTFOUND;
	} else {
		char region[16];
		region_of(db, by, region);
		if (db_run(db,
			   "INSERT INTO qa_entries (code, region_code, question, answer, phrasings, published, "
			   "created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)",
			   "sssssiis", e->code, region, e->question, e->answer, e->phrasings, now,
			   now, signer(by)))
			return VE_DB;
		if (code_taken(db, e->code, 0, &id) < 0 || !id)
			return VE_DB;
	}
	snprintf(detail, sizeof(detail), "%s %.200s", e->code, e->question);
	utf8_scrub(detail);
	int rc = account_audit(db, by, creating ? "qa.create" : "qa.update", "qa", id, detail);
	if (!rc)
		rc = qa_bump(db);
	*out_id = id;
	return rc;
}

int qa_entry_save(struct db *db, const struct principal *by, int64_t id, const struct qa_input *in,
		  struct field_errors *fe, int64_t *out_id)
{
	*out_id = 0;
	if (!perm_allows(by->roles, PERM_QA_MANAGE))
		return VE_DENIED;
	struct entry_in e;
	check_entry(in, &e, fe);
	if (fe->n) {
		entry_in_free(&e);
		return VE_INVALID;
	}
	if (db_tx_begin(db, 0)) {
		entry_in_free(&e);
		return VE_DB;
	}
	int64_t got = 0;
	int rc = save_in_tx(db, by, id, &e, fe, &got);
	rc = db_tx_end(db, 0, rc);
	entry_in_free(&e);
	if (!rc)
		*out_id = got;
	return rc;
}

int qa_entry_delete(struct db *db, const struct principal *by, int64_t id)
{
	if (!perm_allows(by->roles, PERM_QA_MANAGE))
		return VE_DENIED;
	json_t *e = NULL;
	int rc = qa_entry_get(db, id, &e);
	if (rc)
		return rc;
	char detail[300];
	snprintf(detail, sizeof(detail), "%s %.200s", json_string_value(json_object_get(e, "code")),
		 json_string_value(json_object_get(e, "question")));
	utf8_scrub(detail);
	json_decref(e);
	if (db_tx_begin(db, 0))
		return VE_DB;
	rc = db_run(db, "UPDATE qa_questions SET entry_id = NULL WHERE entry_id = ?", "i", id)
		     ? VE_DB
		     : 0;
	if (!rc && db_run(db, "DELETE FROM qa_entries WHERE id = ?", "i", id))
		rc = VE_DB;
	if (!rc && db_changes(db) == 0)
		rc = VE_NOTFOUND;
	if (!rc)
		rc = account_audit(db, by, "qa.delete", "qa", id, detail);
	if (!rc)
		rc = qa_bump(db);
	return db_tx_end(db, 0, rc);
}

static json_t *phrasing_list(const char *s)
{
	json_t *a = json_array();
	const char *p = s;
	while (*p) {
		const char *end = strstr(p, "；");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n)
			json_array_append_new(a, json_stringn(p, n));
		p += n;
		if (end)
			p += 3;
	}
	return a;
}

static int entry_where(struct db *db, const char *where_code, int64_t id, json_t **out)
{
	struct db_stmt *st =
		where_code
			? db_q(db,
			       "SELECT id, code, question, answer, phrasings, updated_at, updated_by "
			       "FROM qa_entries WHERE code = ?",
			       "s", where_code)
			: db_q(db,
			       "SELECT id, code, question, answer, phrasings, updated_at, updated_by "
			       "FROM qa_entries WHERE id = ?",
			       "i", id);
	if (!st)
		return VE_DB;
	int rc = VE_NOTFOUND;
	if (db_step(st) == DB_ROW) {
		*out = json_pack("{s:I,s:s,s:s,s:s,s:o,s:s,s:I,s:s}", "id",
				 (json_int_t)db_int(st, 0), "code", db_text(st, 1), "question",
				 db_text(st, 2), "answer", db_text(st, 3), "phrasings",
				 phrasing_list(db_text(st, 4)), "phrasings_text", db_text(st, 4),
				 "updated_at", (json_int_t)db_int(st, 5), "updated_by",
				 db_text(st, 6));
		rc = 0;
	}
	db_done(st);
	return rc;
}

int qa_entry_get(struct db *db, int64_t id, json_t **out)
{
	return entry_where(db, NULL, id, out);
}

int qa_entry_by_code(struct db *db, const char *code, json_t **out)
{
	return entry_where(db, code ? code : "", 0, out);
}

int qa_entry_list(struct db *db, const char *q, json_t **out)
{
	struct db_stmt *st =
		db_q(db,
		     "SELECT id, code, question, phrasings, updated_at, updated_by FROM qa_entries "
		     "ORDER BY code, id",
		     "");
	if (!st)
		return VE_DB;
	json_t *list = json_array();
	int stepped;
	while ((stepped = db_step(st)) == DB_ROW) {
		const char *code = db_text(st, 1), *question = db_text(st, 2), *ph = db_text(st, 3);
		if (q && *q && !strstr(code, q) && !strstr(question, q) && !strstr(ph, q))
			continue;
		json_t *phl = phrasing_list(ph);
		json_array_append_new(list, json_pack("{s:I,s:s,s:s,s:I,s:I,s:s}", "id",
						      (json_int_t)db_int(st, 0), "code", code,
						      "question", question, "n_phrasings",
						      (json_int_t)json_array_size(phl),
						      "updated_at", (json_int_t)db_int(st, 4),
						      "updated_by", db_text(st, 5)));
		json_decref(phl);
	}
	db_done(st);
	if (stepped != DB_DONE) {
		json_decref(list);
		return VE_DB;
	}
	*out = list;
	return 0;
}

/* ---- import ---- */

enum col { C_CODE, C_QUESTION, C_ANSWER, C_PHRASINGS, N_COLS };
static const char *const headers[N_COLS] = {"编号", "问题", "答案", "相似问法"};

static void report(char *err, size_t errlen, int *n_errors, long row, const char *field,
		   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void report(char *err, size_t errlen, int *n_errors, long row, const char *field,
		   const char *fmt, ...)
{
	char msg[256], line[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (row)
		snprintf(line, sizeof(line), "%s第 %ld 行 %s：%s", *n_errors ? "\n" : "", row,
			 field, msg);
	else
		snprintf(line, sizeof(line), "%s%s：%s", *n_errors ? "\n" : "", field, msg);
	size_t have = strlen(err);
	if (have + strlen(line) + 1 < errlen)
		memcpy(err + have, line, strlen(line) + 1);
	(*n_errors)++;
}

/* Writes one checked row: added, updated or left. In the caller's transaction. */
static int write_row(struct db *db, const struct principal *by, const struct entry_in *e,
		     struct qa_import_result *res)
{
	struct db_stmt *st =
		db_q(db, "SELECT id, question, answer, phrasings FROM qa_entries WHERE code = ?",
		     "s", e->code);
	if (!st)
		return VE_DB;
	int64_t id = 0;
	int same = 0;
	if (db_step(st) == DB_ROW) {
		id = db_int(st, 0);
		same = strcmp(db_text(st, 1), e->question) == 0 &&
		       strcmp(db_text(st, 2), e->answer) == 0 &&
		       strcmp(db_text(st, 3), e->phrasings) == 0;
	}
	db_done(st);
	if (id && same) {
		res->unchanged++;
		return 0;
	}
	int64_t now = clock_now();
	if (id) {
		res->updated++;
		return db_run(db,
			      "UPDATE qa_entries SET question = ?, answer = ?, phrasings = ?, updated_at = ?, "
			      "updated_by = ? WHERE id = ?",
			      "sssisi", e->question, e->answer, e->phrasings, now, signer(by), id)
			       ? VE_DB
			       : 0;
	}
	char region[16];
	region_of(db, by, region);
	res->added++;
	return db_run(db,
		      "INSERT INTO qa_entries (code, region_code, question, answer, phrasings, published, "
		      "created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)",
		      "sssssiis", e->code, region, e->question, e->answer, e->phrasings, now, now,
		      signer(by))
		       ? VE_DB
		       : 0;
}

/* The codes met so far in a file: an open-addressing hash set, so a file of n rows is checked
 * in time linear in n. */
struct seen {
	char **slots;
	size_t n, cap; /* cap: a power of two, kept at least twice n */
};

static uint64_t code_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* 1 when code was met before, else 0 after noting it. */
static int seen_add(struct seen *s, const char *code)
{
	if (2 * (s->n + 1) > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		char **slots = xcalloc(cap, sizeof(*slots));
		for (size_t i = 0; i < s->cap; i++)
			if (s->slots[i]) {
				size_t j = code_hash(s->slots[i]) & (cap - 1);
				while (slots[j])
					j = (j + 1) & (cap - 1);
				slots[j] = s->slots[i];
			}
		free(s->slots);
		s->slots = slots;
		s->cap = cap;
	}
	size_t j = code_hash(code) & (s->cap - 1);
	for (; s->slots[j]; j = (j + 1) & (s->cap - 1))
		if (strcmp(s->slots[j], code) == 0)
			return 1;
	s->slots[j] = xstrdup(code);
	s->n++;
	return 0;
}

static void seen_free(struct seen *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->slots[i]);
	free(s->slots);
}

/* Checks every row (cells: N_COLS a row; numbers: each row's line in the file, or NULL for
 * i + 2), reporting each error: 0, or VE_INVALID. Touches no store. */
static int check_rows(const char *const *cells, const long *numbers, size_t n,
		      struct qa_import_result *res, char *err, size_t errlen)
{
	int n_errors = 0;
	struct seen seen = {0};
	for (size_t i = 0; i < n; i++) {
		const char *const *row = cells + i * N_COLS;
		long number = numbers ? numbers[i] : (long)i + 2;
		struct qa_input in = {row[C_CODE], row[C_QUESTION], row[C_ANSWER], row[C_PHRASINGS]};
		struct field_errors fe;
		field_errors_clear(&fe);
		struct entry_in e;
		check_entry(&in, &e, &fe);
		res->rows++;
		if (fe.n) {
			for (int k = 0; k < fe.n; k++)
				report(err, errlen, &n_errors, number, fe.items[k].field, "%s",
				       fe.items[k].message);
		} else if (seen_add(&seen, e.code)) {
			report(err, errlen, &n_errors, number, "编号", "编号“%s”在文件中重复",
			       e.code);
		}
		entry_in_free(&e);
	}
	seen_free(&seen);
	return n_errors ? VE_INVALID : 0;
}

/* Writes rows that check_rows passed. In the caller's transaction: 0, or a store error. */
static int write_rows(struct db *db, const struct principal *by, const char *const *cells,
		      size_t n, struct qa_import_result *res)
{
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		const char *const *row = cells + i * N_COLS;
		struct qa_input in = {row[C_CODE], row[C_QUESTION], row[C_ANSWER], row[C_PHRASINGS]};
		struct field_errors fe;
		field_errors_clear(&fe);
		struct entry_in e;
		check_entry(&in, &e, &fe);
		rc = fe.n ? VE_INVALID : write_row(db, by, &e, res);
		entry_in_free(&e);
	}
	return rc;
}

/* The rows of a file, read whole before any transaction begins. */
struct rows {
	char **cells; /* N_COLS a row, owned */
	long *numbers;
	size_t n, cap;
};

static void rows_free(struct rows *t)
{
	for (size_t i = 0; i < t->n * N_COLS; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->numbers);
}

/* Reads the sheet into t: 0, or an error with its message in err. */
static int read_sheet(struct sheet_reader *in, struct rows *t, char *err, size_t errlen)
{
	struct sheet_row r;
	int map[N_COLS], n_errors = 0, header = 0, got;
	char why[256];
	while ((got = sheet_next(in, &r, why, sizeof(why))) == 1) {
		if (r.n == 0)
			continue;
		if (!header) {
			header = 1;
			for (int c = 0; c < N_COLS; c++) {
				map[c] = -1;
				for (size_t j = 0; j < r.n; j++) {
					char h[64];
					str_copy(h, r.cells[j], sizeof(h));
					str_tidy(h, STR_TIDY_REMOVE);
					if (strcmp(h, headers[c]) == 0)
						map[c] = (int)j;
				}
				if (map[c] < 0 && c != C_PHRASINGS)
					report(err, errlen, &n_errors, r.number, "表头",
					       "缺少列“%s”", headers[c]);
			}
			if (n_errors)
				return VE_INVALID;
			continue;
		}
		int blank = 1;
		for (size_t j = 0; j < r.n && blank; j++)
			blank = r.lens[j] == 0;
		if (blank)
			continue;
		if (t->n >= QA_IMPORT_ROWS_MAX)
			return err_set(err, errlen, VE_LIMIT,
				       "一个文件最多 %d 行条目，请分成几个文件导入",
				       QA_IMPORT_ROWS_MAX);
		if (t->n == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 256;
			t->cells = xrealloc(t->cells, t->cap * N_COLS * sizeof(*t->cells));
			t->numbers = xrealloc(t->numbers, t->cap * sizeof(*t->numbers));
		}
		for (int c = 0; c < N_COLS; c++)
			t->cells[t->n * N_COLS + c] =
				xstrdup(map[c] >= 0 && (size_t)map[c] < r.n ? r.cells[map[c]] : "");
		t->numbers[t->n++] = r.number;
	}
	if (got < 0)
		return err_set(err, errlen, -got, "%s", why);
	if (!header)
		return err_set(err, errlen, VE_INVALID,
			       "文件是空的：第 1 行应为表头（编号, 问题, 答案, 相似问法）");
	if (t->n == 0)
		return err_set(err, errlen, VE_INVALID, "文件只有表头，没有条目");
	return 0;
}

static int finish_import(struct db *db, const struct principal *by, const char *what,
			 struct qa_import_result *r)
{
	if (!r->added && !r->updated)
		return 0;
	char detail[300];
	snprintf(detail, sizeof(detail), "%s：%lld 行，新增 %lld，更新 %lld，未变 %lld", what,
		 (long long)r->rows, (long long)r->added, (long long)r->updated,
		 (long long)r->unchanged);
	utf8_scrub(detail);
	int rc = account_audit(db, by, "qa.import", "qa", 0, detail);
	return rc ? rc : qa_bump(db);
}

/* Checks the rows, then writes them in one transaction begun only now: 0, or an error. */
static int import_rows(struct db *db, const struct principal *by, const char *const *cells,
		       const long *numbers, size_t n, const char *what, struct qa_import_result *r,
		       char *err, size_t errlen)
{
	int rc = check_rows(cells, numbers, n, r, err, errlen);
	if (rc)
		return rc;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	rc = write_rows(db, by, cells, n, r);
	if (rc)
		err_set(err, errlen, rc, "保存失败，请稍后再试");
	else
		rc = finish_import(db, by, what, r);
	int ended = db_tx_end(db, 0, rc);
	if (rc == 0 && ended)
		return err_set(err, errlen, VE_DB, "保存失败，请稍后再试");
	if (ended) {
		struct qa_import_result zero = {.rows = r->rows};
		*r = zero;
	}
	return ended;
}

int qa_import(struct db *db, const struct principal *by, const char *path,
	      struct qa_import_result *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	err[0] = '\0';
	if (!perm_allows(by->roles, PERM_QA_MANAGE))
		return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限",
			       perm_title(PERM_QA_MANAGE));
	struct sheet_reader *in = sheet_open(path, err, errlen);
	if (!in)
		return VE_IO;
	struct rows t = {0};
	int rc = read_sheet(in, &t, err, errlen);
	sheet_close(in);
	const char *base = strrchr(path, '/');
	if (!rc)
		rc = import_rows(db, by, (const char *const *)t.cells, t.numbers, t.n,
				 base ? base + 1 : path, r, err, errlen);
	rows_free(&t);
	return rc;
}

int qa_import_rows(struct db *db, const struct principal *by, const char *const *cells, size_t n,
		   struct qa_import_result *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	err[0] = '\0';
	return import_rows(db, by, cells, NULL, n, "程序生成", r, err, errlen);
}

/* ---- the matcher, cached per process ---- */

/* The index of one version of the base, shared by the requests that use it: the last one to
 * let go of a replaced index frees it, so a query never waits for another query. */
struct built {
	struct qa_index *ix;
	int64_t *ids; /* row id of each index position */
	int64_t version;
	int refs; /* under index_lock */
};

static pthread_mutex_t index_lock = PTHREAD_MUTEX_INITIALIZER;
static struct built *index_now;

static void release(struct built *b)
{
	pthread_mutex_lock(&index_lock);
	int last = --b->refs == 0;
	pthread_mutex_unlock(&index_lock);
	if (last) {
		qa_index_free(b->ix);
		free(b->ids);
		free(b);
	}
}

/* An index of the base (outside any lock: two requests may build one at once after a change;
 * the later one to finish is kept). */
static int build(struct db *db, int64_t version, struct built **out)
{
	struct db_stmt *st = db_q(db,
				  "SELECT id, code, question, answer, phrasings FROM qa_entries "
				  "WHERE published <> 0 ORDER BY id",
				  "");
	if (!st)
		return VE_DB;
	struct built *b = xcalloc(1, sizeof(*b));
	b->ix = qa_index_new();
	b->version = version;
	b->refs = 1;
	size_t n = 0, cap = 0;
	int stepped;
	while ((stepped = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			b->ids = xrealloc(b->ids, cap * sizeof(*b->ids));
		}
		b->ids[n++] = db_int(st, 0);
		qa_index_add(b->ix, db_text(st, 1), db_text(st, 2), db_text(st, 3), db_text(st, 4));
	}
	db_done(st);
	if (stepped != DB_DONE) { /* a part of the base: never kept as this version's index */
		qa_index_free(b->ix);
		free(b->ids);
		free(b);
		return VE_DB;
	}
	qa_index_build(b->ix);
	*out = b;
	return 0;
}

/* The index of version, built when the one in hand is of another; the caller releases it. */
static int acquire(struct db *db, int64_t version, struct built **out)
{
	pthread_mutex_lock(&index_lock);
	struct built *b = index_now;
	if (b && b->version == version)
		b->refs++;
	else
		b = NULL;
	pthread_mutex_unlock(&index_lock);
	if (b) {
		*out = b;
		return 0;
	}
	int rc = build(db, version, &b);
	if (rc)
		return rc;
	pthread_mutex_lock(&index_lock);
	struct built *old = index_now;
	index_now = b;
	b->refs++; /* the cache's and the caller's */
	pthread_mutex_unlock(&index_lock);
	if (old)
		release(old);
	*out = b;
	return 0;
}

int qa_ask(struct db *db, const char *text, size_t top, int internal, json_t **out)
{
	if (top < 1)
		top = 1;
	if (top > QA_TOP_MAX)
		top = QA_TOP_MAX;
	int64_t version = 0;
	if (db_int_query(db, &version, 0, "SELECT version FROM qa_version WHERE id = 1", ""))
		return VE_DB;
	struct built *b = NULL;
	int rc = acquire(db, version, &b);
	if (rc)
		return rc;
	struct qa_hit hits[QA_TOP_MAX];
	int fallback = 1;
	size_t n = qa_index_ask(b->ix, text, hits, top, &fallback);
	json_t *answers = json_array();
	for (size_t i = 0; i < n; i++) {
		/* three decimals: the same figure for the same question, whatever prints it */
		double score = (double)(long)(hits[i].score * 1000 + 0.5) / 1000;
		json_t *a = json_pack("{s:s,s:s,s:f}", "id", qa_index_code(b->ix, hits[i].entry),
				      "question", qa_index_question(b->ix, hits[i].entry), "score",
				      score);
		if (internal)
			json_object_set_new(a, "entry", json_integer(b->ids[hits[i].entry]));
		json_array_append_new(answers, a);
	}
	release(b);
	*out = json_pack("{s:o,s:b}", "answers", answers, "fallback", fallback);
	return 0;
}

/* ---- questions left by visitors ---- */

int qa_question_leave(struct db *db, const struct audit_actor *who, const char *text, int64_t *id,
		      char *err, size_t errlen)
{
	char *t = xstrdup(text ? text : "");
	str_tidy(t, STR_TIDY_COLLAPSE);
	int rc = 0;
	if (!*t)
		rc = err_set(err, errlen, VE_INVALID, "请填写您的问题");
	else if (too_long(t, QA_ASK_MAX) || !str_is_printable(t, strlen(t), 0))
		rc = err_set(err, errlen, VE_INVALID, "问题最多 %d 个字，且不能含有控制字符",
			     QA_ASK_MAX);
	if (rc) {
		free(t);
		return rc;
	}
	if (db_tx_begin(db, 0)) {
		free(t);
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	}
	rc = db_run(db, "INSERT INTO qa_questions (text, asked_at, status) VALUES (?, ?, ?)", "sis",
		    t, clock_now(), QA_Q_PENDING)
		     ? VE_DB
		     : 0;
	int64_t qid = rc ? 0 : db_last_id(db);
	if (!rc) {
		char object[48], detail[700];
		snprintf(object, sizeof(object), "qa_question:%lld", (long long)qid);
		snprintf(detail, sizeof(detail), "%s", t);
		rc = audit_write(db, who, "qa.question_leave", object, "ok", detail) ? VE_DB : 0;
	}
	rc = db_tx_end(db, 0, rc);
	free(t);
	if (rc)
		return err_set(err, errlen, rc, "保存失败，请稍后再试");
	*id = qid;
	return 0;
}

static json_t *question_row(struct db_stmt *st)
{
	return json_pack("{s:I,s:s,s:I,s:s,s:b,s:o,s:s,s:s}", "id", (json_int_t)db_int(st, 0),
			 "text", db_text(st, 1), "asked_at", (json_int_t)db_int(st, 2), "status",
			 db_text(st, 3), "pending", strcmp(db_text(st, 3), QA_Q_PENDING) == 0,
			 "entry_id", db_is_null(st, 4) ? json_null() : json_integer(db_int(st, 4)),
			 "entry_code", db_is_null(st, 5) ? "" : db_text(st, 5), "handled_by",
			 db_text(st, 6));
}

#define QUESTION_COLS                                                                              \
	"SELECT q.id, q.text, q.asked_at, q.status, q.entry_id, e.code, q.handled_by "             \
	"FROM qa_questions q LEFT JOIN qa_entries e ON e.id = q.entry_id "

int qa_question_list(struct db *db, const char *status, json_t **out)
{
	int all = !status || !*status;
	struct db_stmt *st =
		all ? db_q(db, QUESTION_COLS "ORDER BY q.id DESC LIMIT 500", "")
		    : db_q(db, QUESTION_COLS "WHERE q.status = ? ORDER BY q.id DESC LIMIT 500", "s",
			   status);
	if (!st)
		return VE_DB;
	json_t *list = json_array();
	int stepped;
	while ((stepped = db_step(st)) == DB_ROW)
		json_array_append_new(list, question_row(st));
	db_done(st);
	if (stepped != DB_DONE) {
		json_decref(list);
		return VE_DB;
	}
	*out = list;
	return 0;
}

int qa_question_get(struct db *db, int64_t id, json_t **out)
{
	struct db_stmt *st = db_q(db, QUESTION_COLS "WHERE q.id = ?", "i", id);
	if (!st)
		return VE_DB;
	int rc = VE_NOTFOUND;
	if (db_step(st) == DB_ROW) {
		*out = question_row(st);
		rc = 0;
	}
	db_done(st);
	return rc;
}

/* Marks question id handled (status, entry) if it is pending. In the caller's transaction. */
static int handle_question(struct db *db, const struct principal *by, int64_t id,
			   const char *status, int64_t entry_id)
{
	json_t *q = NULL;
	int rc = qa_question_get(db, id, &q);
	if (rc)
		return rc;
	int pending = strcmp(json_string_value(json_object_get(q, "status")), QA_Q_PENDING) == 0;
	char detail[700];
	snprintf(detail, sizeof(detail), "%s", json_string_value(json_object_get(q, "text")));
	json_decref(q);
	if (!pending)
		return VE_CONFLICT;
	if (entry_id)
		rc = db_run(
			db,
			"UPDATE qa_questions SET status = ?, entry_id = ?, handled_at = ?, handled_by = ? "
			"WHERE id = ? AND status = ?",
			"siisis", status, entry_id, clock_now(), signer(by), id, QA_Q_PENDING);
	else
		rc = db_run(db,
			    "UPDATE qa_questions SET status = ?, handled_at = ?, handled_by = ? "
			    "WHERE id = ? AND status = ?",
			    "sisis", status, clock_now(), signer(by), id, QA_Q_PENDING);
	if (rc)
		return VE_DB;
	if (db_changes(db) == 0)
		return VE_CONFLICT;
	return account_audit(db, by, entry_id ? "qa.question_convert" : "qa.question_ignore",
			     "qa_question", id, detail);
}

int qa_question_ignore(struct db *db, const struct principal *by, int64_t id)
{
	if (!perm_allows(by->roles, PERM_QA_MANAGE))
		return VE_DENIED;
	if (db_tx_begin(db, 0))
		return VE_DB;
	return db_tx_end(db, 0, handle_question(db, by, id, QA_Q_IGNORED, 0));
}

int qa_question_convert(struct db *db, const struct principal *by, int64_t id,
			const struct qa_input *in, struct field_errors *fe, int64_t *entry_id)
{
	*entry_id = 0;
	if (!perm_allows(by->roles, PERM_QA_MANAGE))
		return VE_DENIED;
	json_t *q = NULL;
	int rc = qa_question_get(db, id, &q);
	if (rc)
		return rc;
	int pending = strcmp(json_string_value(json_object_get(q, "status")), QA_Q_PENDING) == 0;
	json_decref(q);
	if (!pending)
		return VE_CONFLICT;
	struct entry_in e;
	check_entry(in, &e, fe);
	if (fe->n) {
		entry_in_free(&e);
		return VE_INVALID;
	}
	if (db_tx_begin(db, 0)) {
		entry_in_free(&e);
		return VE_DB;
	}
	int64_t got = 0;
	rc = save_in_tx(db, by, 0, &e, fe, &got);
	if (!rc)
		rc = handle_question(db, by, id, QA_Q_CONVERTED, got);
	rc = db_tx_end(db, 0, rc);
	entry_in_free(&e);
	if (!rc)
		*entry_id = got;
	return rc;
}

/* ---- the area ---- */

static const struct perm *const perms[] = {PERM_QA_READ, PERM_QA_MANAGE, NULL};
static const struct audit_title audit_titles[] = {
	{"qa.create", "新建问答条目"},          {"qa.update", "修改问答条目"},
	{"qa.delete", "删除问答条目"},          {"qa.import", "导入问答知识库"},
	{"qa.question_leave", "群众留下问题"},  {"qa.question_convert", "群众问题转为问答条目"},
	{"qa.question_ignore", "忽略群众问题"}, {NULL, NULL},
};
const struct area qa_area = {.name = "qa", .perms = perms, .audit_titles = audit_titles};
