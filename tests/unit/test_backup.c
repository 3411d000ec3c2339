/* test_backup.c - the backup area on a real SQLite file: a backup and its manifest, verify
 * with the right and a wrong key, a changed byte, a restore into a new file and over one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "areas/audit.h"
#include "areas/backup.h"
#include "lib/err.h"

#include "fixture.h"

struct fixture {
	struct test_store store;
	struct crypto_keys keys; /* the fixture's: every byte 7 */
	char file[160], manifest[200];
};

static const struct audit_actor tester = {0, "tester", "cli", ""};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (test_district_open(&f->store, "backup"))
		return -1;
	memset(&f->keys, 7, sizeof(f->keys));
	snprintf(f->file, sizeof(f->file), "%s/b.vbk", f->store.dir);
	backup_manifest_path(f->file, f->manifest, sizeof(f->manifest));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	if (test_store_close(&f->store))
		return -1;
	free(f);
	return 0;
}

static int64_t count(struct db *db, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(db_int_query(db, &n, -1, sql, ""), 0);
	return n;
}

/* A backup holds what the store held, says so in its manifest, and verifies. */
static void test_backup_and_verify(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->store.db;
	assert_int_equal(audit_event(db, &tester, "test.event", "x", "ok", "before the backup"), 0);
	int64_t head = count(db, "SELECT max(seq) FROM audit_log");
	int64_t records = count(db, "SELECT count(*) FROM audit_log");
	struct backup_info info;
	char err[1024] = "";
	assert_int_equal(backup_make(db, f->store.path, f->file, &f->keys, &info, err, sizeof(err)), 0);
	assert_int_equal(info.head_seq, head);
	assert_int_equal(info.audit_records, records);
	assert_string_equal(info.backend, "sqlite");
	struct stat st;
	assert_int_equal(stat(f->file, &st), 0);
	assert_int_equal(info.size, st.st_size);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* The backup is audited after its snapshot. */
	assert_int_equal(count(db, "SELECT count(*) FROM audit_log WHERE action = 'backup.create'"), 1);
	assert_int_equal(count(db, "SELECT max(seq) FROM audit_log"), head + 1);

	json_t *m = json_load_file(f->manifest, 0, NULL);
	assert_non_null(m);
	assert_string_equal(json_string_value(json_object_get(m, "format")), "vets-backup");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(m, "tables"), "audit_log")),
			 records);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(m, "audit"), "last_seq")),
			 head);
	json_decref(m);

	/* Never over an existing one. */
	assert_int_equal(backup_make(db, f->store.path, f->file, &f->keys, &info, err, sizeof(err)),
			 VE_EXISTS);
	assert_non_null(strstr(err, "已存在"));

	struct backup_info v;
	assert_int_equal(backup_verify(f->file, &f->keys, NULL, &v, err, sizeof(err)), 0);
	assert_int_equal(v.head_seq, head);

	struct crypto_keys other;
	memset(&other, 8, sizeof(other));
	assert_int_equal(backup_verify(f->file, &other, NULL, &v, err, sizeof(err)), VE_CRYPTO);
	assert_non_null(strstr(err, "密钥文件与备份不符"));
	assert_non_null(strstr(err, info.fingerprint));
	audit_init(&f->keys);
}

static void test_changed_byte(void **state)
{
	struct fixture *f = *state;
	struct backup_info info;
	char err[1024] = "";
	assert_int_equal(
		backup_make(f->store.db, f->store.path, f->file, &f->keys, &info, err, sizeof(err)), 0);
	FILE *fp = fopen(f->file, "r+b");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, info.size / 2, SEEK_SET), 0);
	int c = fgetc(fp);
	assert_int_equal(fseek(fp, info.size / 2, SEEK_SET), 0);
	fputc(c ^ 1, fp);
	fclose(fp);
	assert_int_equal(backup_verify(f->file, &f->keys, NULL, &info, err, sizeof(err)), VE_CRYPTO);
	assert_non_null(strstr(err, "SM3"));
}

static void test_restore(void **state)
{
	struct fixture *f = *state;
	struct backup_info info;
	char err[1024] = "", target[200];
	assert_int_equal(
		backup_make(f->store.db, f->store.path, f->file, &f->keys, &info, err, sizeof(err)), 0);
	snprintf(target, sizeof(target), "%s/restored.db", f->store.dir);
	assert_int_equal(backup_restore(f->file, target, 0, &f->keys, NULL, &info, err, sizeof(err)), 0);
	struct db *r = NULL;
	assert_int_equal(db_open(&r, target, err, sizeof(err)), 0);
	/* The backup's records and the restore's own. */
	assert_int_equal(count(r, "SELECT count(*) FROM audit_log"), info.audit_records + 1);
	assert_int_equal(count(r, "SELECT count(*) FROM audit_log WHERE action = 'backup.restore'"), 1);
	int64_t n = 0, bad = 0;
	assert_int_equal(audit_verify(r, &n, &bad, err, sizeof(err)), 0);
	db_close(r);

	assert_int_equal(backup_restore(f->file, target, 0, &f->keys, NULL, &info, err, sizeof(err)),
			 VE_EXISTS);
	assert_int_equal(backup_restore(f->file, target, 1, &f->keys, NULL, &info, err, sizeof(err)), 0);
	assert_int_equal(db_open(&r, target, err, sizeof(err)), 0);
	assert_int_equal(count(r, "SELECT count(*) FROM audit_log WHERE action = 'backup.restore'"), 1);
	db_close(r);
	char side[220];
	snprintf(side, sizeof(side), "%s.manifest.json", f->file);
	unlink(side);
	assert_int_equal(backup_verify(f->file, &f->keys, NULL, &info, err, sizeof(err)), VE_INVALID);
	assert_non_null(strstr(err, "找不到备份清单"));
}

/* Rewrites the manifest's tables.<table> as n (a JSON integer), keeping everything else. */
static void set_count(const char *manifest, const char *table, json_int_t n)
{
	json_t *m = json_load_file(manifest, 0, NULL);
	assert_non_null(m);
	json_object_set_new(json_object_get(m, "tables"), table, json_integer(n));
	assert_int_equal(json_dump_file(m, manifest, JSON_INDENT(2)), 0);
	json_decref(m);
}

/* A manifest edited without the key fails its MAC; counts that would overflow are refused
 * as they are read (UBSan would report the sum). */
static void test_manifest_mac(void **state)
{
	struct fixture *f = *state;
	struct backup_info info;
	char err[1024] = "";
	assert_int_equal(
		backup_make(f->store.db, f->store.path, f->file, &f->keys, &info, err, sizeof(err)), 0);
	json_t *m = json_load_file(f->manifest, 0, NULL);
	assert_non_null(m);
	assert_int_equal(strlen(json_string_value(json_object_get(m, "mac"))), 64);
	json_int_t users = json_integer_value(json_object_get(json_object_get(m, "tables"), "users"));
	json_decref(m);
	/* Reformatted but the same content: still good. */
	set_count(f->manifest, "users", users);
	assert_int_equal(backup_verify(f->file, &f->keys, NULL, &info, err, sizeof(err)), 0);
	set_count(f->manifest, "users", users + 1);
	assert_int_equal(backup_verify(f->file, &f->keys, NULL, &info, err, sizeof(err)), VE_CRYPTO);
	assert_non_null(strstr(err, "备份清单的校验码不符"));
	set_count(f->manifest, "users", INT64_MAX);
	set_count(f->manifest, "orgs", INT64_MAX);
	assert_int_equal(backup_verify(f->file, &f->keys, NULL, &info, err, sizeof(err)), VE_INVALID);
	assert_non_null(strstr(err, "的行数不是 0 到"));
	set_count(f->manifest, "orgs", -1);
	assert_int_equal(backup_verify(f->file, &f->keys, NULL, &info, err, sizeof(err)), VE_INVALID);
}

/* A backup is not restored over itself, and a path SQLite can't open is refused by name. */
static void test_refused_at_once(void **state)
{
	struct fixture *f = *state;
	struct backup_info info;
	char err[1024] = "";
	assert_int_equal(
		backup_make(f->store.db, f->store.path, f->file, &f->keys, &info, err, sizeof(err)), 0);
	assert_int_equal(backup_restore(f->file, f->file, 1, &f->keys, NULL, &info, err, sizeof(err)),
			 VE_INVALID);
	assert_non_null(strstr(err, "就是备份文件"));
	assert_int_equal(backup_restore(f->file, f->manifest, 1, &f->keys, NULL, &info, err, sizeof(err)),
			 VE_INVALID);
	assert_int_equal(backup_verify(f->file, &f->keys, NULL, &info, err, sizeof(err)), 0);
	char longer[700];
	snprintf(longer, sizeof(longer), "%s/%0600d.vbk", f->store.dir, 0);
	assert_int_equal(
		backup_make(f->store.db, f->store.path, longer, &f->keys, &info, err, sizeof(err)),
		VE_INVALID);
	assert_non_null(strstr(err, "路径太长"));
	assert_int_equal(backup_restore(f->file, longer, 0, &f->keys, NULL, &info, err, sizeof(err)),
			 VE_INVALID);
	assert_non_null(strstr(err, "路径太长"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_backup_and_verify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore, setup, teardown),
		cmocka_unit_test_setup_teardown(test_manifest_mac, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_at_once, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
