/* report_docx.c - the annual report as a Word document (report.h, io/docx.h). */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "areas/figure.h"
#include "io/docx.h"
#include "lib/err.h"

static const char *text_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* The charts of the report, after its first part's figures. */
static void charts(struct docx *d, const json_t *report)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(report, "charts"), i, c)
	{
		json_t *labels = json_object_get(c, "labels"), *values = json_object_get(c, "values");
		size_t n = json_array_size(values);
		if (n == 0 || n > 64 || json_array_size(labels) != n)
			continue;
		const char *names[64];
		double v[64];
		for (size_t k = 0; k < n; k++) {
			names[k] = json_string_value(json_array_get(labels, k));
			v[k] = (double)json_integer_value(json_array_get(values, k));
		}
		docx_bar_chart(d, text_of(c, "title"), n, names, v,
			       json_is_true(json_object_get(c, "horizontal")));
	}
}

/* The sections: a heading each, a paragraph per line of its text; the charts after the
 * first (the year's measures and results), whose figures they draw. */
static void sections(struct docx *d, const json_t *report)
{
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(report, "sections"), i, s)
	{
		docx_heading(d, 1, text_of(s, "title"));
		size_t k;
		json_t *para;
		json_array_foreach(json_object_get(s, "paragraphs"), k, para)
			docx_paragraph(d, text_of(para, "text"), DOCX_INDENT);
		if (i == 0)
			charts(d, report);
	}
}

/* The annex: every figure with its value, unit and definition. */
static void annex(struct docx *d, const json_t *report)
{
	char heading[120];
	snprintf(heading, sizeof(heading), "附件：统计数字及口径（截至 %s）",
		 json_is_true(json_object_get(report, "frozen")) ? text_of(report, "finalised_on")
								 : text_of(report, "as_of"));
	docx_heading(d, 1, heading);
	static const int widths[] = {22, 14, 8, 56};
	docx_table_begin(d, 4, widths);
	const char *head[] = {"统计项", "数值", "单位", "口径（统计哪些记录）"};
	docx_table_row(d, head, DOCX_BOLD);
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(report, "figures"), i, f)
	{
		char value[96];
		if (json_is_true(json_object_get(f, "corrected")))
			snprintf(value, sizeof(value), "%s（更正后 %s）", text_of(f, "shown"),
				 text_of(f, "current_shown"));
		else if (json_is_true(json_object_get(f, "added")))
			snprintf(value, sizeof(value), "%s（定稿后新增）", text_of(f, "shown"));
		else
			snprintf(value, sizeof(value), "%s", text_of(f, "shown"));
		const char *cells[] = {text_of(f, "name"), value, text_of(f, "unit"),
				       text_of(f, "definition")};
		docx_table_row(d, cells, 0);
	}
	docx_table_end(d);
}

int report_write_docx(struct db *db, const struct principal *by, const json_t *report,
		      const char *path, int replace, char *err, size_t errlen)
{
	(void)db;
	(void)by;
	struct docx *d = docx_new_official(text_of(report, "title"));
	docx_title(d, text_of(report, "title"));
	char status[200];
	if (json_is_true(json_object_get(report, "frozen")))
		snprintf(status, sizeof(status), "%s定稿（%s）", text_of(report, "finalised_on"),
			 text_of(report, "finalised_name"));
	else
		snprintf(status, sizeof(status), "草稿，数字截至 %s", text_of(report, "as_of"));
	docx_note(d, status);
	sections(d, report);
	docx_page_break(d);
	annex(d, report);
	int rc = docx_save_to(d, path, replace, err, errlen);
	docx_free(d);
	return rc ? -1 : 0;
}
