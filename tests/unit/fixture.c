/* fixture.c - see fixture.h. */
#include "fixture.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "areas/account.h"
#include "areas/audit.h"
#include "areas/person.h"
#include "db/db.h"
#include "lib/crypto.h"

int test_store_open_empty(struct test_store *s, const char *name)
{
	char err[256] = "";
	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/vets-%s-XXXXXX", name);
	if (!mkdtemp(s->dir)) {
		perror(s->dir);
		s->dir[0] = '\0';
		return -1;
	}
	snprintf(s->path, sizeof(s->path), "%s/t.db", s->dir);
	if (db_open(&s->db, s->path, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", s->path, err);
		return -1;
	}
	return 0;
}

int test_store_open(struct test_store *s, const char *name)
{
	char err[256] = "";
	if (test_store_open_empty(s, name))
		return -1;
	if (db_migrate(s->db, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", s->path, err);
		return -1;
	}
	return 0;
}

int test_store_close(struct test_store *s)
{
	int rc = 0;
	if (s->db)
		db_close(s->db);
	s->db = NULL;
	if (!s->dir[0])
		return 0;
	/* The tests write plain files only, straight into the directory. */
	DIR *d = opendir(s->dir);
	if (!d)
		return -1;
	struct dirent *e;
	char file[sizeof(s->dir) + 256 + 2];
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(file, sizeof(file), "%s/%s", s->dir, e->d_name);
		if (unlink(file))
			rc = -1;
	}
	closedir(d);
	if (rmdir(s->dir))
		rc = -1;
	s->dir[0] = '\0';
	return rc;
}

int test_district_open(struct test_store *s, const char *name)
{
	struct crypto_keys keys;
	char err[256] = "";
	memset(&keys, 7, sizeof(keys));
	audit_init(&keys);
	person_init(&keys);
	if (test_store_open(s, name))
		return -1;
	if (account_org_ensure_root(s->db, "420199", "示范区退役军人事务局", err, sizeof(err)) == 0)
		return 0;
	fprintf(stderr, "%s\n", err);
	return -1;
}
