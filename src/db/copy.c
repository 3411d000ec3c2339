/* copy.c - a whole database from one store to another (vets db copy), any backend to
 * any: the rows as they are, keys and the audit chain included. */
#include "backend.h"
#include "lib/buf.h"
#include "lib/err.h"
#include "lib/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tables the destination's triggers fill as the rows they follow arrive. */
static const char *const kept_by_triggers[] = {"person_name_grams", "person_counts"};

static int is_kept_by_triggers(const char *table)
{
	for (size_t i = 0; i < sizeof(kept_by_triggers) / sizeof(kept_by_triggers[0]); i++)
		if (strcmp(table, kept_by_triggers[i]) == 0)
			return 1;
	return 0;
}

struct tables {
	char **name;
	size_t n;
};

static void tables_free(struct tables *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->name[i]);
	free(t->name);
}

/* db's tables in creation order, but schema_migrations (each store keeps its own). */
static int tables_of(struct db *db, struct tables *t)
{
	struct db_stmt *st = db_q(db, db->ops->tables_sql, "");
	if (!st)
		return VE_DB;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *name = db_text(st, 0);
		if (strcmp(name, "schema_migrations") == 0)
			continue;
		t->name = xrealloc(t->name, (t->n + 1) * sizeof(*t->name));
		t->name[t->n++] = xstrdup(name);
	}
	db_done(st);
	return rc == DB_DONE ? 0 : VE_DB;
}

/* head, table and tail as one SQL text ("SELECT count(*) FROM " table): table
 * names come from the schema, never from input. The caller frees. */
static char *text_for(const char *head, const char *table, const char *tail)
{
	size_t n = strlen(head) + strlen(table) + strlen(tail) + 1;
	char *sql = xmalloc(n);
	snprintf(sql, n, "%s%s%s", head, table, tail);
	return sql;
}

static int64_t rows_of(struct db *db, const char *table)
{
	char *sql = text_for("SELECT count(*) FROM ", table, "");
	struct db_stmt *st = db_q_built(db, sql, 0, NULL);
	int64_t n = st && db_step(st) == DB_ROW ? db_int(st, 0) : -1;
	db_done(st);
	free(sql);
	return n;
}

static int delete_all(struct db *db, const char *table)
{
	char *sql = text_for("DELETE FROM ", table, "");
	struct db_stmt *st = db_q_built(db, sql, 0, NULL);
	int rc = st ? db_step(st) : VE_DB;
	db_done(st);
	free(sql);
	return rc == DB_DONE || rc == DB_ROW ? 0 : VE_DB;
}

/* "INSERT INTO table VALUES (?, ?, …)" for n columns. */
static char *insert_for(const char *table, int n)
{
	struct buf b;
	buf_init(&b, BUF_DEFAULT_MAX);
	buf_printf(&b, "INSERT INTO %s VALUES (", table);
	for (int i = 0; i < n; i++)
		buf_puts(&b, i ? ", ?" : "?");
	buf_putc(&b, ')');
	return buf_detach(&b, NULL);
}

/* The value of col in st's current row, as it is bound again. */
static struct db_value value_at(struct db_stmt *st, int col)
{
	struct db_value v = {.type = 'n'};
	switch (db_column_kind(st, col)) {
	case DB_INT:
		v.type = 'i';
		v.i = db_int(st, col);
		break;
	case DB_TEXT:
		v.type = 't';
		v.p = db_text(st, col);
		break;
	case DB_BLOB:
		v.type = 'b';
		v.p = db_blob(st, col, &v.len);
		break;
	}
	return v;
}

/* Copies table's rows from src into dst (in dst's open transaction). The insert's text
 * is kept in *kept so that its address names one statement in dst's cache until the
 * copy ends. */
static int copy_table(struct db *src, struct db *dst, const char *table, int64_t *rows,
		      char **kept)
{
	char *select = text_for("SELECT * FROM ", table, " ORDER BY 1");
	struct db_stmt *st = db_q_built(src, select, 0, NULL);
	int rc = st ? 0 : VE_DB;
	*rows = 0;
	while (rc == 0 && (rc = db_step(st)) == DB_ROW) {
		int n = db_column_count(st);
		if (n > DB_MAX_PARAMS) {
			rc = VE_INVALID;
			break;
		}
		if (!*kept)
			*kept = insert_for(table, n);
		struct db_value v[DB_MAX_PARAMS];
		for (int i = 0; i < n; i++)
			v[i] = value_at(st, i);
		struct db_stmt *ins = dst->ops->query(dst, *kept, 1, n, v);
		rc = ins ? db_step(ins) : VE_DB;
		db_done(ins);
		rc = rc == DB_DONE ? 0 : rc ? rc : VE_DB;
		++*rows;
	}
	db_done(st);
	free(select);
	return rc == DB_DONE ? 0 : rc;
}

struct plan {
	struct tables t;
	int *order;  /* indexes into t: seeded tables, then the others, then kept by triggers */
	int *seeded; /* per table of t: the migrations put rows in it (benefit types, calendar) */
	char **kept; /* per table of t: its insert's text */
};

/* Which tables the migrations themselves fill: those with rows in a fresh store. */
static int mark_seeded(struct plan *p)
{
	struct db *fresh;
	char err[256];
	if (db_open(&fresh, ":memory:", err, sizeof(err)) != 0)
		return VE_DB;
	int rc = db_migrate(fresh, err, sizeof(err));
	for (size_t i = 0; rc == 0 && i < p->t.n; i++)
		p->seeded[i] = !is_kept_by_triggers(p->t.name[i]) &&
			       db_has_table(fresh, p->t.name[i]) == 1 && rows_of(fresh, p->t.name[i]) > 0;
	db_close(fresh);
	return rc;
}

static int plan_make(struct plan *p)
{
	size_t k = 0;
	p->order = xcalloc(p->t.n, sizeof(*p->order));
	p->seeded = xcalloc(p->t.n, sizeof(*p->seeded));
	p->kept = xcalloc(p->t.n, sizeof(*p->kept));
	if (mark_seeded(p) != 0)
		return VE_DB;
	for (int pass = 0; pass < 3; pass++)
		for (size_t i = 0; i < p->t.n; i++) {
			int which = is_kept_by_triggers(p->t.name[i]) ? 2 : p->seeded[i] ? 0 : 1;
			if (which == pass)
				p->order[k++] = (int)i;
		}
	return 0;
}

static void plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->t.n; i++)
		free(p->kept[i]);
	free(p->kept);
	free(p->seeded);
	free(p->order);
	tables_free(&p->t);
}

/* Empties what dst holds already: its seeds (triggered 0) or what its triggers made
 * (triggered 1), the newest table first. */
static int empty_tables(struct db *dst, struct plan *p, int triggered)
{
	for (size_t k = p->t.n; k-- > 0;) {
		const char *name = p->t.name[p->order[k]];
		if ((triggered ? is_kept_by_triggers(name) : p->seeded[p->order[k]]) &&
		    rows_of(dst, name) > 0 &&
		    delete_all(dst, name) != 0)
			return VE_DB;
	}
	return 0;
}

/* dst holds no rows but what its migrations seeded and its triggers made. */
static int holds_nothing(struct db *dst, struct plan *p, char *err, size_t errlen)
{
	for (size_t k = 0; k < p->t.n; k++) {
		const char *name = p->t.name[p->order[k]];
		if (!is_kept_by_triggers(name) && !p->seeded[p->order[k]] && rows_of(dst, name) != 0)
			return err_set(err, errlen, VE_INVALID, "目标数据库中已有数据（表 %s）", name);
	}
	return 0;
}

static int copy_all(struct db *src, struct db *dst, struct plan *p,
		    void (*progress)(const char *, int64_t), char *err, size_t errlen)
{
	if (holds_nothing(dst, p, err, errlen) != 0)
		return VE_INVALID;
	if (empty_tables(dst, p, 0) != 0)
		return err_set(err, errlen, VE_DB, "清空目标库的初始数据失败：%s", db_errmsg(dst));
	for (size_t k = 0; k < p->t.n; k++) {
		const char *name = p->t.name[p->order[k]];
		if (is_kept_by_triggers(name) && (k == 0 || !is_kept_by_triggers(p->t.name[p->order[k - 1]])) &&
		    empty_tables(dst, p, 1) != 0)
			return err_set(err, errlen, VE_DB, "清空 %s 失败：%s", name, db_errmsg(dst));
		int64_t rows = 0;
		int rc = copy_table(src, dst, name, &rows, &p->kept[p->order[k]]);
		if (rc == 0)
			rc = dst->ops->copied(dst, name);
		if (rc != 0)
			return err_set(err, errlen, rc == VE_INVALID ? VE_INVALID : VE_DB,
				       "复制表 %s 失败：%s", name,
				       rc == VE_INVALID ? "列数过多" : db_errmsg(dst));
		if (progress)
			progress(name, rows);
	}
	return 0;
}

/* Every table holds as many rows in dst as in src. */
static int same_counts(struct db *src, struct db *dst, struct plan *p, char *err, size_t errlen)
{
	for (size_t i = 0; i < p->t.n; i++) {
		int64_t a = rows_of(src, p->t.name[i]), b = rows_of(dst, p->t.name[i]);
		if (a < 0 || a != b)
			return err_set(err, errlen, VE_DB, "复制后表 %s 的行数不符：源 %lld，目标 %lld",
				       p->t.name[i], (long long)a, (long long)b);
	}
	return 0;
}

int db_copy(struct db *src, struct db *dst, void (*progress)(const char *table, int64_t rows),
	    char *err, size_t errlen)
{
	struct plan p = {0};
	int64_t vs = 0, vd = 0;
	if (db_schema_version(src, &vs) != 0 || db_schema_version(dst, &vd) != 0 || vs != vd)
		return err_set(err, errlen, VE_INVALID, "源库与目标库的结构版本不同（%lld、%lld）",
			       (long long)vs, (long long)vd);
	if (tables_of(src, &p.t) != 0)
		return err_set(err, errlen, VE_DB, "读取源库的表失败：%s", db_errmsg(src));
	if (plan_make(&p) != 0) {
		plan_free(&p);
		return err_set(err, errlen, VE_DB, "无法读取数据库结构");
	}
	int rc = dst->ops->bulk(dst, 1);
	if (rc == 0)
		rc = db_begin_read(src);
	if (rc == 0 && (rc = db_begin(dst)) != 0)
		db_rollback(src);
	if (rc != 0) {
		plan_free(&p);
		return err_set(err, errlen, VE_DB, "无法开始事务：%s", db_errmsg(dst));
	}
	rc = copy_all(src, dst, &p, progress, err, errlen);
	if (rc == 0)
		rc = same_counts(src, dst, &p, err, errlen);
	if (rc == 0 && db_commit(dst) != 0)
		rc = err_set(err, errlen, VE_DB, "提交失败：%s", db_errmsg(dst));
	if (rc != 0)
		db_rollback(dst);
	db_rollback(src);
	dst->ops->bulk(dst, 0);
	plan_free(&p);
	return rc;
}
