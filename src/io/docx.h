/* docx.h - a small writer of Word documents (.docx, Office Open XML), for the documents the
 * bureau prints and hands out: the 办事指南 and 一次性告知书 of the service catalogue and the
 * annual report.
 *
 * A document is built in memory, top to bottom, from a few blocks — a title, headings
 * (levels 1-3), paragraphs, small right-aligned notes, tables of text cells, bar charts and
 * page breaks — then written as one zip file (minizip). Every text passed in is UTF-8 and is
 * XML-escaped here (docx_xml_escape): callers never escape. A line break in a text ("\n") is a
 * line break in the document, a tab a tab. Characters XML 1.0 does not allow (other control
 * characters) are dropped, and so are bytes that are not valid UTF-8 (dropped, not replaced).
 *
 * Two looks:
 * - plain (docx_new): A4 with 25 mm margins unless told, text in 宋体 小四 (12 pt), headings
 *   in 黑体, the title in bold 宋体 at 22 pt — the service catalogue's documents;
 * - official (docx_new_official): the layout of a government document (GB/T 9704): A4
 *   portrait, margins 上 37 mm, 下 35 mm, 左 28 mm, 右 26 mm; text in 仿宋 三号 (16 pt) on
 *   28 pt lines with the first line indented two characters; level-1 headings in 黑体, level-2
 *   in 楷体, both 三号; the title in bold 宋体 二号 (22 pt) — the annual report.
 * Fonts are named as Word and WPS on Chinese Windows name them (宋体, 仿宋, 黑体, 楷体), with
 * the English names (SimSun, FangSong, SimHei, KaiTi) as alternates in the font table and
 * w:hint="eastAsia", so that Chinese text takes the East Asian font; LibreOffice substitutes
 * what it has (Noto CJK here). Both looks number the pages in the footer ("— 1 —").
 *
 * Memory: everything is kept in buffers with a cap (16 MiB for the whole document): past it
 * every further block is refused and docx_save fails with VE_LIMIT. A misuse of the blocks (a
 * table left open, a chart of too many bars) is remembered and makes docx_save fail with
 * VE_INVALID and a Chinese message. Out of memory aborts, as everywhere (lib/mem.h).
 *
 *	struct docx *d = docx_new_official("2023年法治政府建设工作报告");
 *	docx_title(d, "2023年法治政府建设工作报告");
 *	docx_note(d, "某某区退役军人事务局　2024年1月10日");
 *	docx_heading(d, 1, "一、主要举措和成效");
 *	docx_paragraph(d, "全年发放优抚金 11,047 人次……", DOCX_INDENT);
 *	const char *head[] = {"指标", "数值"}, *cells[] = {"优抚金发放", "11,047 人次"};
 *	docx_table(d, 2, head, 1, cells);
 *	const char *months[] = {"1月", "2月"}; double n[] = {900, 912};
 *	docx_bar_chart(d, "优抚金发放人次（按月）", 2, months, n, 0);
 *	char err[256];
 *	int rc = docx_save_to(d, "report.docx", 0, err, sizeof(err));
 *	docx_free(d);
 */
#ifndef VETS_DOCX_H
#define VETS_DOCX_H

#include <stddef.h>

#include "lib/buf.h"

struct docx;

/* The page: size and margins in millimetres. */
struct docx_page {
	double width_mm, height_mm;                  /* A4: 210 x 297 */
	double top_mm, right_mm, bottom_mm, left_mm; /* margins */
};
/* A4 portrait, 25 mm margins. */
extern const struct docx_page docx_a4;
/* A4 portrait with a government document's margins: 37 mm top, 26 right, 35 bottom, 28 left. */
extern const struct docx_page docx_a4_official;

/* How a paragraph or a table row is set (or'ed together). */
enum {
	DOCX_BOLD = 1,   /* bold text (a table's header row) */
	DOCX_CENTER = 2, /* centred */
	DOCX_RIGHT = 4,  /* right-aligned */
	DOCX_INDENT = 8, /* first line indented by two characters, as Chinese prose is */
};

/* The most bars of one chart, and the most charts of one document. */
#define DOCX_CHART_MAX_BARS 500
#define DOCX_MAX_CHARTS 200

/* A new, empty document of the plain look on page (NULL: docx_a4). Never NULL. */
struct docx *docx_new(const struct docx_page *page);
/* A new, empty document of the official look on docx_a4_official; title (may be NULL) is the
 * document's title in its properties (File > Properties), not printed: docx_title prints one.
 * Never NULL. */
struct docx *docx_new_official(const char *title);
/* The document's printed title: centred, bold, large. The first one is also the title in the
 * properties when none was given. */
void docx_title(struct docx *d, const char *text);
/* A heading of level 1 (largest) to 3; other levels are taken as the nearest. */
void docx_heading(struct docx *d, int level, const char *text);
/* A paragraph of text (may be "" for an empty line), set as flags say. */
void docx_paragraph(struct docx *d, const char *text, unsigned flags);
/* A small right-aligned line: a date, the issuing unit, a source under a table. */
void docx_note(struct docx *d, const char *text);
/* Begins a table of n_cols columns (1-32) with full borders, across the text width;
 * widths_pct gives each column's share in percent (NULL: equal shares). */
void docx_table_begin(struct docx *d, size_t n_cols, const int *widths_pct);
/* One row of the table begun: n_cols cells (a NULL cell is empty); DOCX_BOLD for a header
 * row (repeated on each page). */
void docx_table_row(struct docx *d, const char *const *cells, unsigned flags);
/* Ends the table begun. */
void docx_table_end(struct docx *d);
/* A whole table in one call: a header row of n_cols cells (NULL: no header row; bold,
 * centred, repeated on each page), then n_rows rows of n_cols cells each, row-major
 * (cells[r * n_cols + c]; a NULL cell is empty). Each column is as wide as its widest text
 * asks (a text past 40 characters wraps), so that a short figure and a long definition share
 * the width sensibly. n_cols must be 1-32. */
void docx_table(struct docx *d, size_t n_cols, const char *const *header, size_t n_rows,
		const char *const *cells);
/* A bar chart, drawn by Word, WPS or LibreOffice from a DrawingML chart part
 * (word/charts/chartN.xml: one series, its category labels and values cached in the part, no
 * embedded workbook), across the text width: n bars (at most DOCX_CHART_MAX_BARS), labels[i]
 * under values[i], each value written on its bar; horizontal bars when horizontal is not 0,
 * columns otherwise. title (may be NULL) is drawn above the bars. A value that is not finite
 * is a gap. With n = 0 there is nothing to draw: the title and "（无数据）" are written as
 * a paragraph instead. */
void docx_bar_chart(struct docx *d, const char *title, size_t n, const char *const *labels,
		    const double *values, int horizontal);
/* What follows starts on a new page. */
void docx_page_break(struct docx *d);
/* Writes the document to path: created, or replacing a file there only when replace is not 0
 * (written to a temporary file in the same directory first, so that a failure leaves no half
 * document and a file there untouched). 0; VE_EXISTS when path exists and replace is 0;
 * VE_LIMIT when the document grew past 16 MiB; VE_INVALID when a block was misused (a table
 * left open, too many bars or charts); VE_IO when it cannot be written. err gets a Chinese
 * message on failure. The document stays as it was: it may be saved again. */
int docx_save_to(struct docx *d, const char *path, int replace, char *err, size_t errlen);
/* docx_save_to(d, path, 1, err, errlen): the service catalogue writes over the temporary file
 * it made. */
int docx_save(struct docx *d, const char *path, char *err, size_t errlen);
/* Frees d; NULL is a no-op. */
void docx_free(struct docx *d);

/* Appends s to b escaped for XML text and attribute values: & < > " ' as entities, control
 * characters other than tab, LF and CR dropped (XML 1.0 cannot hold them), invalid UTF-8 bytes
 * dropped. 0, or -1 when b is full. */
int docx_xml_escape(struct buf *b, const char *s);

#endif
