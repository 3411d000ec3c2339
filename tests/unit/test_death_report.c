/* test_death_report.c - areas/death_report: a certificate's kind is told by its first
 * bytes, whatever it is called. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "areas/death_report.h"

static const struct {
	const char *bytes;
	size_t len;
	const char *type; /* NULL: refused */
} cases[] = {
	{"%PDF-1.7\n...", 12, "application/pdf"},
	{"%PDF-", 5, "application/pdf"},
	{"%PDF", 4, NULL},      /* cut short */
	{" %PDF-1.4", 9, NULL}, /* not at the start */
	{"\xFF\xD8\xFF\xE0\0\x10JFIF", 10, "image/jpeg"},
	{"\xFF\xD8\xFF", 3, "image/jpeg"},
	{"\xFF\xD8", 2, NULL},
	{"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, "image/png"},
	{"\x89PNG\r\n\x1a", 7, NULL},   /* the signature's last byte missing */
	{"\x89PNG\n\n\x1a\n", 8, NULL}, /* line ends translated: damaged in transfer */
	{"GIF89a", 6, NULL},
	{"PK\x03\x04", 4, NULL}, /* a .docx or .zip */
	{"<html><body>%PDF-", 17, NULL},
	{"这是一段文字", 18, NULL},
	{"", 0, NULL},
};

static void test_file_type(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = death_report_file_type(cases[i].bytes, cases[i].len);
		if (!cases[i].type)
			assert_null(got);
		else
			assert_string_equal(got, cases[i].type);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_type),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
