/* region.c - the district's streets and communities, and their import. */
#include "region.h"
#include "io/sheet.h"
#include "lib/err.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *level_of(const char *code)
{
	size_t n = strlen(code);
	return n == 6 ? "district" : n == 9 ? "street" : n == 12 ? "community" : NULL;
}

static int digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

/* Finds the three columns in the header row; -1 (reported) when one is missing or unknown. */
static int read_header(const struct sheet_row *h, int col[3], region_error_fn on_error, void *ctx)
{
	static const char *const names[3] = {"区划代码", "名称", "上级区划代码"};
	char why[160];
	if (sheet_columns(h, names, 3, 3u, 0, col, why, sizeof(why)) == 0)
		return 0;
	on_error(ctx, h->number, why);
	return -1;
}

/* Checks one row's own content; the reason goes into why. */
static int check_row(const struct region_entry *r, const char *district, char *why, size_t size)
{
	const char *level = level_of(r->code);
	if (!digits(r->code) || !level)
		return snprintf(why, size, "区划代码应为 6、9 或 12 位数字：%s", r->code), -1;
	if (strncmp(r->code, district, 6) != 0)
		return snprintf(why, size, "区划代码 %s 不属于本区（%s）", r->code, district), -1;
	if (!r->name[0] || !utf8_valid(r->name, strlen(r->name)) ||
	    !str_is_printable(r->name, strlen(r->name), 0))
		return snprintf(why, size, "名称无效"), -1;
	size_t want = strlen(r->code) == 12 ? 9 : strlen(r->code) == 9 ? 6 : 0;
	if (want && (strlen(r->parent) != want || strncmp(r->code, r->parent, want) != 0))
		return snprintf(why, size, "上级区划代码应为 %s 的前 %zu 位", r->code, want), -1;
	if (!want && r->parent[0])
		return snprintf(why, size, "区（县）不应有上级区划代码"), -1;
	return 0;
}

/* Reads every row; returns the rows (malloc'd) or NULL after reporting errors. */
static struct region_entry *read_rows(struct sheet_reader *in, const char *district, long *count,
				      region_error_fn on_error, void *ctx, char *err, size_t errlen)
{
	struct sheet_row row;
	int col[3], bad = 0, rc;
	if ((rc = sheet_next(in, &row, err, errlen)) != 1) {
		if (rc == 0)
			err_set(err, errlen, VE_INVALID, "文件是空的：第一行应为表头");
		return NULL;
	}
	if (read_header(&row, col, on_error, ctx) != 0)
		return err_set(err, errlen, VE_INVALID, "表头有误"), NULL;
	size_t cap = 64, n = 0;
	struct region_entry *rows = xmalloc(cap * sizeof(*rows));
	while ((rc = sheet_next(in, &row, err, errlen)) == 1) {
		if (row.n == 0)
			continue;
		if (n == cap)
			rows = xrealloc(rows, (cap *= 2) * sizeof(*rows));
		struct region_entry *r = &rows[n++];
		r->row = row.number;
		str_copy(r->code, sheet_cell(&row, col[0]), sizeof(r->code));
		str_copy(r->name, sheet_cell(&row, col[1]), sizeof(r->name));
		str_copy(r->parent, sheet_cell(&row, col[2]), sizeof(r->parent));
		char why[160];
		if (strlen(sheet_cell(&row, col[0])) >= sizeof(r->code) ||
		    strlen(sheet_cell(&row, col[1])) >= sizeof(r->name))
			snprintf(why, sizeof(why), "区划代码或名称过长");
		else if (check_row(r, district, why, sizeof(why)) == 0)
			continue;
		on_error(ctx, r->row, why);
		bad++;
	}
	*count = (long)n;
	if (rc != 0 || bad) {
		if (rc == 0)
			err_set(err, errlen, VE_INVALID, "%d 行有误，未导入任何区划", bad);
		free(rows);
		return NULL;
	}
	return rows;
}

static int by_length(const void *a, const void *b)
{
	const struct region_entry *x = a, *y = b;
	size_t lx = strlen(x->code), ly = strlen(y->code);
	return lx != ly ? (lx < ly ? -1 : 1) : strcmp(x->code, y->code);
}

static int write_rows(struct db *db, struct region_entry *rows, long n, char *err, size_t errlen)
{
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "无法开始事务");
	int rc = 0;
	for (long i = 0; i < n && rc == 0; i++) {
		struct region_entry *r = &rows[i];
		/* The stored name is named by its table: beside excluded a bare column is
		 * ambiguous in PostgreSQL. */
		rc = db_run(db,
			    "INSERT INTO regions (code, name, parent_code, level, region_code) "
			    "VALUES (?, ?, nullif(?, ''), ?, ?) ON CONFLICT (code) DO UPDATE SET "
			    "name = excluded.name WHERE regions.name <> excluded.name",
			    "sssss", r->code, r->name, r->parent, level_of(r->code), r->code);
		if (rc)
			rc = err_set(err, errlen, VE_INVALID, "第 %ld 行：上级区划 %s 不存在",
				     r->row, r->parent);
	}
	if (db_tx_end(db, 0, rc) == 0)
		return 0;
	return rc ? rc : err_set(err, errlen, VE_DB, "保存区划失败");
}

/* Each street and community gets its service station organisation. */
static int ensure_stations(struct db *db, const struct principal *by, struct region_entry *rows,
			   long n, char *err, size_t errlen)
{
	for (long i = 0; i < n; i++) {
		struct region_entry *r = &rows[i];
		const char *level = level_of(r->code);
		int64_t id;
		if (strcmp(level, "district") == 0 || account_org_find(db, r->code, &id) == 0)
			continue;
		char name[128];
		snprintf(name, sizeof(name), "%s退役军人服务站", r->name);
		int rc = account_org_create(db, by, r->parent, r->code, name,
					    strcmp(level, "street") == 0 ? "street" : "community",
					    &id, err, errlen);
		if (rc)
			return rc;
	}
	return 0;
}

int region_import(struct db *db, const struct principal *by, const char *path,
		  region_error_fn on_error, void *ctx, long *n_rows, char *err, size_t errlen)
{
	char district[16] = "";
	struct db_stmt *st = db_q(db, "SELECT code FROM orgs WHERE parent_id IS NULL", "");
	if (st && db_step(st) == DB_ROW)
		str_copy(district, db_text(st, 0), sizeof(district));
	db_done(st);
	if (strlen(district) != 6)
		return err_set(err, errlen, VE_CONFLICT, "数据库尚未初始化区局（vets init）");
	struct sheet_reader *in = sheet_open(path, err, errlen);
	if (!in)
		return VE_INVALID;
	*n_rows = 0;
	struct region_entry *rows = read_rows(in, district, n_rows, on_error, ctx, err, errlen);
	sheet_close(in);
	if (!rows)
		return VE_INVALID;
	int rc = region_store(db, by, rows, *n_rows, err, errlen);
	free(rows);
	return rc;
}

int region_store(struct db *db, const struct principal *by, struct region_entry *rows, long n,
		 char *err, size_t errlen)
{
	/* Parents before children, whatever the given order. */
	qsort(rows, (size_t)n, sizeof(*rows), by_length);
	int rc = write_rows(db, rows, n, err, errlen);
	if (rc == 0)
		rc = ensure_stations(db, by, rows, n, err, errlen);
	return rc;
}

int region_find(struct db *db, const char *parent_code, const char *name, char code[13])
{
	struct db_stmt *st =
		parent_code
			? db_q(db, "SELECT code FROM regions WHERE parent_code = ? AND name = ?",
			       "ss", parent_code, name)
			: db_q(db, "SELECT code FROM regions WHERE level = 'street' AND name = ?",
			       "s", name);
	int rc = st && db_step(st) == DB_ROW ? 0 : VE_NOTFOUND;
	if (rc == 0)
		str_copy(code, db_text(st, 0), 13);
	db_done(st);
	return rc;
}

void region_name(struct db *db, const char *code, char *name, size_t size)
{
	name[0] = '\0';
	struct db_stmt *st = db_q(db, "SELECT name FROM regions WHERE code = ?", "s", code);
	if (st && db_step(st) == DB_ROW)
		str_copy(name, db_text(st, 0), size);
	db_done(st);
}

int region_tree(struct db *db, json_t **out)
{
	struct db_stmt *st = db_q(db,
				  "SELECT code, name, level FROM regions WHERE level <> 'district' "
				  "ORDER BY substr(code, 1, 9), length(code), code",
				  "");
	if (!st)
		return VE_DB;
	json_t *streets = json_array(), *current = NULL;
	while (db_step(st) == DB_ROW) {
		json_t *r = json_pack("{s:s,s:s}", "code", db_text(st, 0), "name", db_text(st, 1));
		if (strcmp(db_text(st, 2), "street") == 0) {
			current = r;
			json_object_set_new(r, "communities", json_array());
			json_array_append_new(streets, r);
		} else if (current) {
			json_array_append_new(json_object_get(current, "communities"), r);
		} else {
			json_decref(r);
		}
	}
	db_done(st);
	*out = streets;
	return 0;
}

int region_in_scope(const struct principal *by, const char *code)
{
	if (by->scope.kind == SCOPE_ALL || by->scope.kind == SCOPE_SELF)
		return 1;
	size_t mine = strlen(by->region_code), len = strlen(code);
	if (!mine) /* as SCOPE_REGION_SQL: an empty prefix matches every row */
		return 1;
	/* Under by's region, or (a street) the street by's community lies in. */
	return strncmp(code, by->region_code, mine) == 0 ||
	       (len == 9 && mine > len && strncmp(by->region_code, code, len) == 0);
}

int region_tree_for(struct db *db, const struct principal *by, json_t **out)
{
	json_t *tree = NULL;
	int rc = region_tree(db, &tree);
	if (rc)
		return rc;
	json_t *kept = json_array();
	size_t i;
	json_t *street;
	json_array_foreach(tree, i, street)
	{
		if (!region_in_scope(by, json_string_value(json_object_get(street, "code"))))
			continue;
		json_t *communities = json_object_get(street, "communities");
		for (size_t k = json_array_size(communities); k-- > 0;)
			if (!region_in_scope(by, json_string_value(json_object_get(
							 json_array_get(communities, k), "code"))))
				json_array_remove(communities, k);
		json_array_append(kept, street);
	}
	json_decref(tree);
	*out = kept;
	return 0;
}

json_t *region_street_choices(struct db *db, const struct principal *by, const char *selected)
{
	json_t *tree = NULL, *list = json_array();
	if (region_tree_for(db, by, &tree) != 0)
		return list;
	size_t i;
	json_t *s;
	json_array_foreach(tree, i, s)
	{
		const char *code = json_string_value(json_object_get(s, "code"));
		const char *name = json_string_value(json_object_get(s, "name"));
		int on = selected && code && name &&
			 (strcmp(selected, code) == 0 || strcmp(selected, name) == 0);
		json_array_append_new(list, json_pack("{s:s,s:s,s:b}", "code", code ? code : "",
						      "name", name ? name : "", "selected", on));
	}
	json_decref(tree);
	return list;
}
