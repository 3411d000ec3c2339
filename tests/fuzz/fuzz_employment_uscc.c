/* fuzz_employment_uscc.c - libFuzzer target: the 统一社会信用代码 of an organisers' sheet cell,
 * tidied then checked (lib/uscc). What passes is 18 code characters with the right check
 * character; tidying valid UTF-8 (what a sheet hands out) twice changes nothing; the fault
 * text is always made. */
#include "lib/uscc.h"
#include "lib/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	int text = utf8_valid(s, size) && strlen(s) == size;
	size_t n = uscc_tidy(s);
	if (n != strlen(s) || n > size)
		abort();
	char *again = strdup(s);
	if (!again || (text && (uscc_tidy(again) != n || strcmp(again, s) != 0)))
		abort();
	free(again);
	enum uscc_fault f = uscc_check(s);
	if (f == USCC_OK) {
		if (n != USCC_LEN || uscc_check_char(s) != s[17])
			abort();
		for (size_t i = 0; i < n; i++)
			if (!strchr("0123456789ABCDEFGHJKLMNPQRTUWXY", s[i]) ||
			    (i >= 2 && i < 8 && (s[i] < '0' || s[i] > '9')))
				abort();
	}
	char msg[200];
	uscc_fault_text(f, s, msg, sizeof(msg));
	if (!*msg)
		abort();
	free(s);
	return 0;
}
