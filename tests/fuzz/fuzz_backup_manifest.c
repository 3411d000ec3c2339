/* fuzz_backup_manifest.c - libFuzzer target: reads fuzzed bytes as a backup manifest, the text
 * alone and then with the fixed key of the seeds (fingerprint and MAC), checking the contract
 * of backup_manifest_parse. The seeds in corpus/backup_manifest were made with the key file
 * whose fields are the bytes 0x11, 0x22, 0x33 and 0x44 repeated (see fixed_keys). */
#include "areas/backup.h"
#include "fixed_keys.h"
#include "lib/err.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts unless a field is a NUL-terminated string within its size. */
static void check_field(const char *s, size_t size)
{
	if (!memchr(s, '\0', size))
		abort();
}

static void check(int rc, json_t *m, const struct backup_info *i, const char *err, int keyed)
{
	if (rc != 0) {
		if (m || !err[0] || (rc != VE_INVALID && !(keyed && rc == VE_CRYPTO)))
			abort();
		return;
	}
	if (!json_is_object(m) || !json_is_object(json_object_get(m, "tables")))
		abort();
	check_field(i->backend, sizeof(i->backend));
	check_field(i->created_utc, sizeof(i->created_utc));
	check_field(i->created_beijing, sizeof(i->created_beijing));
	check_field(i->vets_version, sizeof(i->vets_version));
	check_field(i->head_hash, sizeof(i->head_hash));
	check_field(i->fingerprint, sizeof(i->fingerprint));
	check_field(i->sm3, sizeof(i->sm3));
	if (i->tables != (int64_t)json_object_size(json_object_get(m, "tables")) || i->rows < 0 ||
	    i->rows > ((int64_t)1 << 50) || i->size < 0 || i->audit_records < 0 || i->head_seq < 0 ||
	    i->schema_version < 0 || i->generation < 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct crypto_keys keys;
	static int ready;
	if (!ready) {
		fixed_keys(&keys);
		ready = 1;
	}
	const char *text = (const char *)data;
	struct backup_info plain, keyed;
	json_t *m = NULL;
	char err[512] = "";
	memset(&plain, 0, sizeof(plain));
	int rc = backup_manifest_parse(text, size, "fuzz.manifest.json", NULL, &m, &plain, err,
				       sizeof(err));
	check(rc, m, &plain, err, 0);
	json_decref(m);
	m = NULL;
	err[0] = '\0';
	memset(&keyed, 0, sizeof(keyed));
	int rk = backup_manifest_parse(text, size, "fuzz.manifest.json", &keys, &m, &keyed, err,
				       sizeof(err));
	check(rk, m, &keyed, err, 1);
	json_decref(m);
	/* the key adds checks, never takes one away: what the text alone refuses stays refused */
	if (rc != 0 && rk == 0)
		abort();
	if (rk == 0 && memcmp(&plain, &keyed, sizeof(plain)) != 0)
		abort();
	return 0;
}
