/* fuzz_report_text.c - libFuzzer target: the annual report's text as staff type it, made into
 * a section (areas/report.h report_section) with two figures known. Whatever the text, the
 * section's paragraphs joined by newlines are its "text", each paragraph's parts joined are its
 * line and its own "text", no line is blank, and a known {key} never survives as written. (Text that is not UTF-8
 * never gets this far: report_save refuses it.) */
#include "areas/report.h"
#include "lib/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (!utf8_valid(text, strlen(text))) { /* report_save refuses it before it is kept */
		free(text);
		return 0;
	}
	json_t *figures = json_pack("[{s:s,s:s,s:s,s:s},{s:s,s:s,s:s,s:s}]", "key", "holiday_visits",
				    "shown", "1,496", "name", "节日慰问", "list_href", "/care",
				    "key", "job_fairs", "shown", "7", "name", "招聘会", "list_href",
				    "/employment");
	json_t *s = report_section("一、主要举措和成效", text, figures);
	const char *all = json_string_value(json_object_get(s, "text"));
	if (!all || strstr(all, "{holiday_visits}") || strstr(all, "{job_fairs}"))
		abort();
	/* The paragraphs, joined, are the text. */
	size_t i, j, at = 0;
	json_t *para, *part;
	json_array_foreach(json_object_get(s, "paragraphs"), i, para)
	{
		if (i > 0 && all[at++] != '\n')
			abort();
		size_t start = at;
		json_array_foreach(json_object_get(para, "parts"), j, part)
		{
			const char *t = json_string_value(json_object_get(
				part, json_object_get(part, "key") ? "shown" : "text"));
			size_t n = t ? strlen(t) : 0;
			if (!t || strncmp(all + at, t, n) != 0)
				abort();
			at += n;
		}
		if (at == start)
			abort(); /* no blank paragraph */
		const char *line = json_string_value(json_object_get(para, "text"));
		if (!line || strlen(line) != at - start || strncmp(line, all + start, at - start) != 0)
			abort(); /* its own text is its line */
	}
	if (all[at] != '\0')
		abort();
	json_decref(s);
	json_decref(figures);
	free(text);
	return 0;
}
