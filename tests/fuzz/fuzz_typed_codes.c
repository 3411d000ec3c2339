/* fuzz_typed_codes.c - libFuzzer target: what people type where the counter reads a day or a
 * tracking code. The input is split at the first newline: the first part through
 * calendar_day_number (a day accepted is a real day of 1900-9999 and prints back exactly as
 * typed), the rest through track_code_normalize (a code accepted is 19 characters of
 * Crockford base32 in four dashed groups, and normalising it again gives it back). */
#include "areas/application.h"
#include "areas/calendar.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_day(const char *text)
{
	int32_t n;
	if (calendar_day_number(text, &n) != 0)
		return;
	char back[11];
	calendar_day_text(n, back);
	if (strcmp(back, text) != 0 || calendar_weekday(n) < 0 || calendar_weekday(n) > 6)
		abort();
}

static void check_code(const char *text)
{
	char code[TRACK_CODE_LEN + 1], again[TRACK_CODE_LEN + 1];
	if (track_code_normalize(text, code) != 0)
		return;
	if (strlen(code) != TRACK_CODE_LEN)
		abort();
	for (int i = 0; i < TRACK_CODE_LEN; i++) {
		int dash = i % 5 == 4;
		if (dash != (code[i] == '-') ||
		    (!dash && !strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", code[i])))
			abort();
	}
	if (track_code_normalize(code, again) != 0 || strcmp(code, again) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	char *nl = strchr(s, '\n');
	if (nl)
		*nl = '\0';
	check_day(s);
	check_code(nl ? nl + 1 : s);
	free(s);
	return 0;
}
