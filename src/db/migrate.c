/* migrate.c - numbered schema migrations, embedded in the program and applied in order.
 *
 * A migration is NNNN_name.sql, written once for both backends (backend.h turns its
 * column types into each backend's own); what must differ (triggers, functions one
 * backend lacks) goes into NNNN_name.sqlite.sql and NNNN_name.pg.sql beside it,
 * which run after the common file in the same transaction under the same version. */
#include "backend.h"
#include "lib/asset.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/mem.h"

#include <stdlib.h>
#include <string.h>

#define MIGRATION_DIR "src/db/migrations/"

static const char *const suffixes[] = {".sqlite.sql", ".pg.sql"};

/* The backend-only suffix of a migration file's path, or NULL for a common file. */
static const char *suffix_of(const char *path)
{
	size_t n = strlen(path);
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t k = strlen(suffixes[i]);
		if (n > k && strcmp(path + n - k, suffixes[i]) == 0)
			return suffixes[i];
	}
	return NULL;
}

/* By version, the common file before the backend's own. */
static int by_version(const void *a, const void *b)
{
	const struct embedded_file *const *x = a, *const *y = b;
	const char *px = (*x)->path + strlen(MIGRATION_DIR), *py = (*y)->path + strlen(MIGRATION_DIR);
	long long vx = atoll(px), vy = atoll(py);
	if (vx != vy)
		return vx < vy ? -1 : 1;
	int sx = suffix_of(px) != NULL, sy = suffix_of(py) != NULL;
	return sx != sy ? sx - sy : strcmp(px, py);
}

/* Runs one file of a migration in the open transaction. */
static int run_file(struct db *db, const struct embedded_file *f)
{
	char *text = db->ops->migration_sql((const char *)f->data);
	int rc = db_exec(db, text);
	free(text);
	return rc;
}

/* Applies the migration whose files are list[0..n) (one version), unless it was. */
static int apply(struct db *db, const struct embedded_file **list, size_t n, char *err,
		 size_t errlen)
{
	const char *name = list[0]->path + strlen(MIGRATION_DIR);
	int64_t version = atoll(name);
	int64_t done = 0;
	if (db_int_query(db, &done, 0, "SELECT count(*) FROM schema_migrations WHERE version = ?",
			 "i", version) != 0)
		return err_set(err, errlen, VE_DB, "读取迁移记录失败：%s", db_errmsg(db));
	if (done)
		return 0;
	if (db_begin(db) != 0)
		return err_set(err, errlen, VE_DB, "无法开始事务：%s", db_errmsg(db));
	/* Again under the write lock: another process opening the same database may
	 * have applied it meanwhile. */
	if (db_int_query(db, &done, 0, "SELECT count(*) FROM schema_migrations WHERE version = ?",
			 "i", version) != 0 ||
	    done) {
		db_rollback(db);
		return done ? 0 : err_set(err, errlen, VE_DB, "读取迁移记录失败：%s", db_errmsg(db));
	}
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = run_file(db, list[i]);
	if (rc != 0 ||
	    db_run(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		   "isi", version, name, clock_now()) != 0) {
		err_set(err, errlen, VE_DB, "迁移 %s 失败：%s", name, db_errmsg(db));
		db_rollback(db);
		return VE_DB;
	}
	if (db_commit(db) != 0)
		return err_set(err, errlen, VE_DB, "迁移 %s 提交失败：%s", name, db_errmsg(db));
	return 0;
}

int db_migrate(struct db *db, char *err, size_t errlen)
{
	/* Asked first: a role that may use the tables but not create any (the service's
	 * own, on PostgreSQL) is refused even CREATE TABLE IF NOT EXISTS. */
	int has = db_has_table(db, "schema_migrations");
	char *create = db->ops->migration_sql(
		"CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
		"name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
	int made = has == 1 ? 0 : has < 0 ? VE_DB : db_exec(db, create);
	free(create);
	if (made != 0)
		return err_set(err, errlen, VE_DB, "无法创建迁移表：%s", db_errmsg(db));
	size_t n = 0;
	for (const struct embedded_file *f = embedded_files; f->path; f++)
		n++;
	const struct embedded_file **list = xcalloc(n, sizeof(*list));
	size_t k = 0;
	for (const struct embedded_file *f = embedded_files; f->path; f++) {
		if (strncmp(f->path, MIGRATION_DIR, strlen(MIGRATION_DIR)) != 0)
			continue;
		const char *suffix = suffix_of(f->path);
		if (!suffix || strcmp(suffix, db->ops->migration_suffix) == 0)
			list[k++] = f;
	}
	qsort(list, k, sizeof(*list), by_version);
	int rc = 0;
	for (size_t i = 0, j; i < k && rc == 0; i = j) {
		for (j = i + 1; j < k && atoll(list[j]->path + strlen(MIGRATION_DIR)) ==
					 atoll(list[i]->path + strlen(MIGRATION_DIR));
		     j++)
			;
		rc = apply(db, list + i, j - i, err, errlen);
	}
	free(list);
	return rc;
}

int db_schema_version(struct db *db, int64_t *version)
{
	*version = 0;
	return db_int_query(db, version, 0, "SELECT max(version) FROM schema_migrations", "")
		       ? VE_DB
		       : 0;
}
