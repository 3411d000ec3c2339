/* track_code.c - the codes a visitor tracks a case by (see track_code.h). */
#include "lib/track_code.h"
#include "lib/crypto.h"
#include "lib/mem.h"

#include <string.h>

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* 16 symbols of 5 bits each into out, grouped by four with dashes. */
static void code_group(const unsigned char sym[16], char out[TRACK_CODE_LEN + 1])
{
	size_t k = 0;
	for (int i = 0; i < 16; i++) {
		if (i && i % 4 == 0)
			out[k++] = '-';
		out[k++] = crockford[sym[i] & 31];
	}
	out[k] = '\0';
}

void track_code_new(char out[TRACK_CODE_LEN + 1])
{
	unsigned char raw[10], sym[16];
	crypto_random(raw, sizeof(raw));
	/* 80 bits, 5 at a time, most significant first */
	for (int i = 0; i < 16; i++) {
		int bit = i * 5, byte = bit / 8, shift = bit % 8;
		unsigned v = (unsigned)raw[byte] << 8 | (byte + 1 < 10 ? raw[byte + 1] : 0);
		sym[i] = (unsigned char)((v >> (11 - shift)) & 31);
	}
	code_group(sym, out);
	mem_wipe(raw, sizeof(raw));
}

/* The value of symbol c as typed (O as 0, I and L as 1), or -1. */
static int code_symbol(char c)
{
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c == 'O')
		c = '0';
	if (c == 'I' || c == 'L')
		c = '1';
	const char *p = c ? strchr(crockford, c) : NULL;
	return p ? (int)(p - crockford) : -1;
}

int track_code_normalize(const char *in, char out[TRACK_CODE_LEN + 1])
{
	unsigned char sym[16];
	int n = 0;
	out[0] = '\0';
	if (!in || strlen(in) > 64)
		return -1;
	for (const char *p = in; *p; p++) {
		if (*p == ' ' || *p == '-' || *p == '\t')
			continue;
		int v = code_symbol(*p);
		if (v < 0 || n == 16)
			return -1;
		sym[n++] = (unsigned char)v;
	}
	if (n != 16)
		return -1;
	code_group(sym, out);
	return 0;
}
