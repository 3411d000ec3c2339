/* docx.h - a small writer of Word documents (.docx, Office Open XML), for the documents the
 * bureau prints and hands out: the 办事指南 and 一次性告知书 of the service catalogue, later the
 * annual report.
 *
 * A document is built in memory, top to bottom, from a few blocks — a title, headings
 * (levels 1-3), paragraphs and tables of text cells — on pages of a given size and margins
 * (A4 portrait with 25 mm margins unless told), then written as one zip file (minizip).
 * Every text passed in is UTF-8 and is XML-escaped here (docx_xml_escape): callers never
 * escape. A line break in a text ("\n") is a line break in the document, a tab a tab.
 * Characters XML 1.0 does not allow (other control characters) are dropped.
 *
 * The text is set in 宋体 (SimSun) for Chinese, headings in 黑体 (SimHei), the title in
 * 小标宋-like bold 宋体 at 22 pt; Word, WPS and LibreOffice open it. No images, no fields.
 *
 *	struct docx *d = docx_new(NULL);
 *	docx_title(d, "办事指南");
 *	docx_heading(d, 1, "一、事项名称");
 *	docx_paragraph(d, "退役报到", 0);
 *	int w[] = {70, 30};
 *	docx_table_begin(d, 2, w);
 *	const char *head[] = {"材料名称", "是否必要"};
 *	docx_table_row(d, head, DOCX_BOLD);
 *	docx_table_end(d);
 *	int rc = docx_save(d, "/tmp/guide.docx", err, sizeof(err));
 *	docx_free(d);
 */
#ifndef VETS_DOCX_H
#define VETS_DOCX_H

#include <stddef.h>

#include "lib/buf.h"

struct docx;

/* The page: size and margins in millimetres. */
struct docx_page {
	double width_mm, height_mm;                      /* A4: 210 x 297 */
	double top_mm, right_mm, bottom_mm, left_mm;     /* margins */
};
/* A4 portrait, 25 mm margins. */
extern const struct docx_page docx_a4;

/* How a paragraph or a table row is set (or'ed together). */
enum {
	DOCX_BOLD = 1,   /* bold text (a table's header row) */
	DOCX_CENTER = 2, /* centred */
	DOCX_RIGHT = 4,  /* right-aligned */
	DOCX_INDENT = 8, /* first line indented by two characters, as Chinese prose is */
};

/* A new, empty document on page (NULL: docx_a4). Never NULL (out of memory aborts). */
struct docx *docx_new(const struct docx_page *page);
/* The document's title: centred, bold, large. */
void docx_title(struct docx *d, const char *text);
/* A heading of level 1 (largest) to 3. */
void docx_heading(struct docx *d, int level, const char *text);
/* A paragraph of text (may be "" for an empty line), set as flags say. */
void docx_paragraph(struct docx *d, const char *text, unsigned flags);
/* Begins a table of n_cols columns (1-32) with full borders, across the text width;
 * widths_pct gives each column's share in percent (NULL: equal shares). */
void docx_table_begin(struct docx *d, size_t n_cols, const int *widths_pct);
/* One row of the table begun: n_cols cells (a NULL cell is empty); DOCX_BOLD for a header
 * row (repeated on each page). */
void docx_table_row(struct docx *d, const char *const *cells, unsigned flags);
/* Ends the table begun. */
void docx_table_end(struct docx *d);
/* Writes the document to path (created or replaced). 0; VE_LIMIT when the document grew
 * past 16 MiB; VE_INVALID when a table was left open; VE_IO with err filled. */
int docx_save(struct docx *d, const char *path, char *err, size_t errlen);
void docx_free(struct docx *d);

/* Appends s to b escaped for XML text and attribute values: & < > " ' as entities, control
 * characters other than tab, LF and CR dropped (XML 1.0 cannot hold them), invalid UTF-8 bytes
 * dropped. 0, or -1 when b is full. */
int docx_xml_escape(struct buf *b, const char *s);

#endif
