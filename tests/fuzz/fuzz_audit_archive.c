/* fuzz_audit_archive.c - libFuzzer target: verifies fuzzed bytes as an audit archive under the
 * fixed audit key of the seeds, checking the contract of audit_archive_verify_bytes. The seeds
 * in corpus/audit_archive were made with the key file whose fields are the bytes 0x11, 0x22,
 * 0x33 and 0x44 repeated (see fixed_keys), so that mutations reach the record and trailer
 * checks. */
#include "areas/audit.h"
#include "areas/audit_archive.h"
#include "fixed_keys.h"
#include "lib/err.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int is_hex64(const char *s)
{
	if (strlen(s) != 2 * SM3_LEN)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		struct crypto_keys keys;
		fixed_keys(&keys);
		audit_init(&keys);
		ready = 1;
	}
	struct audit_archive_info a;
	char err[512] = "";
	int rc = audit_archive_verify_bytes(data, size, "fuzz.jsonl", &a, err, sizeof(err));
	if (rc != 0) {
		if (rc != VE_CRYPTO || !err[0])
			abort();
		return 0;
	}
	/* verified: the SM3 of the bytes, both ends as the header and trailer said */
	unsigned char md[SM3_LEN];
	char hex[2 * SM3_LEN + 1];
	crypto_sm3(data, size, md);
	crypto_hex(md, SM3_LEN, hex);
	if (strcmp(hex, a.file_sm3) != 0 || a.first_seq < 1 || a.last_seq < a.first_seq ||
	    a.records != a.last_seq - a.first_seq + 1 || !is_hex64(a.last_hash) || a.in_database)
		abort();
	/* a verified archive ends with its trailer's newline */
	if (size == 0 || data[size - 1] != '\n')
		abort();
	return 0;
}
