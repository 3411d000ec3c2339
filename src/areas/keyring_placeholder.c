/* keyring_placeholder.c - TEMPORARY stand-in for the lead's keyring.c (keyring.h's
 * contract), so that backup builds before it lands on main. Removed when main has it. */
#include "areas/keyring.h"
#include "lib/err.h"

#include <stdio.h>
#include <string.h>

void keyring_fingerprint(const struct crypto_keys *k, char out[KEYRING_FINGERPRINT_HEX + 1])
{
	unsigned char all[4 * SM3_LEN] = {0}, mac[SM3_LEN];
	memcpy(all, k->data_key, sizeof(k->data_key));
	memcpy(all + SM3_LEN, k->mac_key, SM3_LEN);
	memcpy(all + 2 * SM3_LEN, k->index_key, SM3_LEN);
	memcpy(all + 3 * SM3_LEN, k->audit_key, SM3_LEN);
	crypto_hmac_sm3(all, sizeof(all), "vets key fingerprint", 20, mac);
	for (int i = 0; i < KEYRING_FINGERPRINT_HEX / 2; i++)
		snprintf(out + 2 * i, 3, "%02x", mac[i]);
}

int keyring_recorded(struct db *db, int64_t *generation, char fp[KEYRING_FINGERPRINT_HEX + 1])
{
	*generation = 0;
	fp[0] = '\0';
	return 0;
}
