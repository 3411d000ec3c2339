/* migrate.c - numbered schema migrations, embedded in the program and applied in order. */
#include "db.h"
#include "lib/asset.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/mem.h"

#include <stdlib.h>
#include <string.h>

#define MIGRATION_DIR "src/db/migrations/"

static int by_path(const void *a, const void *b)
{
	const struct embedded_file *const *x = a, *const *y = b;
	return strcmp((*x)->path, (*y)->path);
}

static int apply(struct db *db, const struct embedded_file *f, const char *name, char *err,
		 size_t errlen)
{
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
	if (db_exec(db, (const char *)f->data) != 0 ||
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
	if (db_exec(db,
		    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
		    "name TEXT NOT NULL, applied_at INTEGER NOT NULL)") != 0)
		return err_set(err, errlen, VE_DB, "无法创建迁移表：%s", db_errmsg(db));
	size_t n = 0;
	for (const struct embedded_file *f = embedded_files; f->path; f++)
		n++;
	const struct embedded_file **list = xcalloc(n, sizeof(*list));
	size_t k = 0;
	for (const struct embedded_file *f = embedded_files; f->path; f++)
		if (strncmp(f->path, MIGRATION_DIR, strlen(MIGRATION_DIR)) == 0)
			list[k++] = f;
	qsort(list, k, sizeof(*list), by_path);
	int rc = 0;
	for (size_t i = 0; i < k && rc == 0; i++)
		rc = apply(db, list[i], list[i]->path + strlen(MIGRATION_DIR), err, errlen);
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
