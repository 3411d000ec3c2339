/* fixture.h - the database every unit test that needs one starts from: a fresh directory
 * under /tmp holding one SQLite file, opened (and, by test_store_open, migrated to the
 * current schema). test_store_close closes it and removes the directory with whatever the
 * test wrote there (the -wal/-shm files, imported CSV files). */
#ifndef VETS_TEST_FIXTURE_H
#define VETS_TEST_FIXTURE_H

struct db;

struct test_store {
	char dir[64], path[96];
	struct db *db;
};

/* A migrated database in a new directory /tmp/vets-<name>-XXXXXX. 0, or -1 with the reason
 * on stderr. */
int test_store_open(struct test_store *s, const char *name);
/* The same without the migration: an empty database for tests of the db layer itself. */
int test_store_open_empty(struct test_store *s, const char *name);
/* test_store_open for the areas' tests: the audit and registry keys set to a fixed test
 * value, the database migrated, and the district's root organisation 420199 (示范区退役军人事务局)
 * made. 0, or -1 with the reason on stderr. */
int test_district_open(struct test_store *s, const char *name);
/* Closes the database and removes the directory. 0, or -1 if something was left. */
int test_store_close(struct test_store *s);

#endif
