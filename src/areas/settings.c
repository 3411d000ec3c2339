/* settings.c - the settings table: get, set and walk named values. */
#include "settings.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"

#include <string.h>

int settings_get(struct db *db, const char *key, char *out, size_t size)
{
	if (size)
		out[0] = '\0';
	struct db_stmt *st = db_q(db, "SELECT value FROM settings WHERE key = ?", "s", key);
	if (!st)
		return VE_DB;
	int step = db_step(st), rc = VE_DB;
	if (step == DB_ROW) {
		str_copy(out, db_text(st, 0), size);
		rc = 0;
	} else if (step == DB_DONE) {
		rc = VE_NOTFOUND;
	}
	db_done(st);
	return rc;
}

int settings_set(struct db *db, const char *key, const char *value, int64_t by_user, int in_tx)
{
	int rc = db_tx_begin(db, in_tx);
	if (rc)
		return rc;
	static const char sql[] =
		"INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?) "
		"ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
		"updated_at = excluded.updated_at, updated_by = excluded.updated_by";
	rc = by_user ? db_run(db, sql, "ssii", key, value, clock_now(), by_user)
		     : db_run(db, sql, "ssin", key, value, clock_now());
	return db_tx_end(db, in_tx, rc ? VE_DB : 0);
}

int settings_set_default(struct db *db, const char *key, const char *value)
{
	return db_run(db,
		      "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
		      "ON CONFLICT (key) DO NOTHING",
		      "ssi", key, value, clock_now())
		       ? VE_DB
		       : 0;
}

int settings_each(struct db *db, const char *prefix, settings_fn fn, void *ctx)
{
	/* A prefix match without LIKE, whose wildcards '_' and '%' a key may hold. */
	struct db_stmt *st = db_q(db,
				  "SELECT key, value FROM settings WHERE substr(key, 1, ?) = ? "
				  "ORDER BY key",
				  "is", (int64_t)strlen(prefix), prefix);
	if (!st)
		return VE_DB;
	int rc = 0, step;
	while (rc == 0 && (step = db_step(st)) == DB_ROW)
		rc = fn(ctx, db_text(st, 0), db_text(st, 1));
	if (rc == 0 && step != DB_DONE)
		rc = VE_DB;
	db_done(st);
	return rc;
}

int settings_is(struct db *db, const char *key, const char *value, int *is)
{
	int64_t n = 0;
	*is = 0;
	if (db_int_query(db, &n, 0, "SELECT count(*) FROM settings WHERE key = ? AND value = ?",
			 "ss", key, value) != 0)
		return VE_DB;
	*is = n != 0;
	return 0;
}

/* ---- the area ---- */

const struct area settings_area = {
	.name = "settings",
};
