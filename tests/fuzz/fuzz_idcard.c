/* fuzz_idcard.c - libFuzzer target: idcard_parse on arbitrary strings; whatever it accepts
 * must be a well-formed number with a right check character and a real date. */
#include "lib/err.h"
#include "lib/idcard.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define TODAY 20261128

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int days_in_month(int y, int m)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return mdays[m - 1] + (m == 2 && leap);
}

/* Aborts unless id is consistent with the accepted input s. */
static void check_accepted(const char *s, const struct idcard *id)
{
	if (strlen(id->number) != 18 || idcard_check_char(id->number) != id->number[17])
		abort();
	if (strncmp(id->number, s, 17) != 0 || strlen(s) != 18 || strncmp(id->region, s, 6) != 0)
		abort();
	if (id->year < 1900 || id->month < 1 || id->month > 12 || id->day < 1 ||
	    id->day > days_in_month(id->year, id->month))
		abort();
	if (id->year * 10000 + id->month * 100 + id->day > TODAY || id->male != (s[16] - '0') % 2)
		abort();
	char mask[19];
	idcard_mask(id->number, mask);
	if (strlen(mask) != 18 || memcmp(mask, s, 6) != 0 || memcmp(mask + 14, id->number + 14, 4))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	struct idcard id;
	char err[256] = "";
	int rc = idcard_parse(s, TODAY, &id, err, sizeof(err));
	if (rc == 0)
		check_accepted(s, &id);
	else if (rc != VE_INVALID || strncmp(err, "身份证号", strlen("身份证号")) != 0)
		abort();
	char mask[19];
	idcard_mask(s, mask);
	if (strlen(mask) > 18)
		abort();
	(void)idcard_check_char(s);
	free(s);
	return 0;
}
