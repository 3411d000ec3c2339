/* fixed_keys.h - what the fuzz targets of sealed formats (a backup manifest, an audit archive)
 * share: the key file their seeds were made with, whose fields are the bytes 0x11, 0x22, 0x33
 * and 0x44 repeated, so that mutations reach the checks behind the MACs; and undefined
 * behaviour as a crash however a target is run (make test also sets it). */
#ifndef VETS_FUZZ_FIXED_KEYS_H
#define VETS_FUZZ_FIXED_KEYS_H

#include "lib/crypto.h"

#include <string.h>

const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

static void fixed_keys(struct crypto_keys *k)
{
	memset(k, 0, sizeof(*k));
	memset(k->data_key, 0x11, sizeof(k->data_key));
	memset(k->mac_key, 0x22, sizeof(k->mac_key));
	memset(k->index_key, 0x33, sizeof(k->index_key));
	memset(k->audit_key, 0x44, sizeof(k->audit_key));
	crypto_keys_derive(k);
}

#endif
