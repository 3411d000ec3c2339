/* docx.c - the .docx writer: WordprocessingML parts built in capped buffers, zipped by minizip. */
#define _GNU_SOURCE /* renameat2 */
#include "docx.h"
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <minizip/zip.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "lib/err.h"
#include "lib/mem.h"

#define DOCX_MAX (16u * 1024 * 1024) /* the whole document: body and charts */
#define TWIPS_PER_MM 56.6929
#define EMU_PER_MM 36000L

const struct docx_page docx_a4 = {210, 297, 25, 25, 25, 25};
const struct docx_page docx_a4_official = {210, 297, 37, 26, 35, 28};

/* The fonts, sizes (half-points) and line spacing (twips) of a look. */
struct look {
	const char *body_font; /* East Asian font of the text; Latin text is in Times New Roman */
	int body_sz;
	int line; /* line spacing: exact twips when exact, else 240ths of a line */
	int exact;
	int after; /* space after a paragraph, twips */
	int title_sz, title_line;
	const char *heading_font[3];
	int heading_sz[3];
	int heading_bold[3];
	int heading_indent; /* headings indented two characters, as a government document's are */
	const char *table_font;
	int table_sz, note_sz, footer_sz, chart_pt;
};

static const struct look look_plain = {
	.body_font = "宋体",
	.body_sz = 24,
	.line = 360,
	.exact = 0,
	.after = 60,
	.title_sz = 44,
	.title_line = 0,
	.heading_font = {"黑体", "黑体", "宋体"},
	.heading_sz = {32, 28, 24},
	.heading_bold = {0, 0, 1},
	.heading_indent = 0,
	.table_font = "宋体",
	.table_sz = 24,
	.note_sz = 21,
	.footer_sz = 21,
	.chart_pt = 10,
};

static const struct look look_official = {
	.body_font = "仿宋",
	.body_sz = 32,
	.line = 560,
	.exact = 1,
	.after = 0,
	.title_sz = 44,
	.title_line = 700,
	.heading_font = {"黑体", "楷体", "仿宋"},
	.heading_sz = {32, 32, 32},
	.heading_bold = {0, 0, 1},
	.heading_indent = 1,
	.table_font = "仿宋",
	.table_sz = 24,
	.note_sz = 28,
	.footer_sz = 28,
	.chart_pt = 10,
};

/* The Chinese fonts the looks use, with the names Word knows them by on other systems. */
static const char *const font_names[][2] = {
	{"宋体", "SimSun"},
	{"仿宋", "FangSong"},
	{"黑体", "SimHei"},
	{"楷体", "KaiTi"},
};

struct chart {
	struct buf xml;
};

struct docx {
	struct docx_page page;
	const struct look *look;
	char *title; /* the title in the properties, or NULL */
	struct buf body;
	size_t table_cols;    /* 0 outside a table */
	int widths[32];       /* twips of each column of the table begun */
	int break_pending;    /* docx_page_break: the next paragraph starts a page */
	const char *invalid;  /* the first misuse of the blocks, a Chinese message */
	struct chart *charts; /* word/charts/chart1.xml … */
	size_t n_charts;
	size_t charts_len; /* the bytes of all charts */
};

/* The length of the UTF-8 sequence at s (1-4), or 0 when it is not valid. */
static size_t utf8_seq(const unsigned char *s)
{
	size_t n = s[0] < 0x80                             ? 1
		   : (s[0] & 0xE0) == 0xC0 && s[0] >= 0xC2 ? 2
		   : (s[0] & 0xF0) == 0xE0                 ? 3
		   : (s[0] & 0xF8) == 0xF0 && s[0] <= 0xF4 ? 4
							   : 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if (n == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0)))
		return 0; /* overlong, or a surrogate */
	if (n == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90)))
		return 0;
	return n;
}

/* docx_xml_escape of the n bytes at s (which are followed by a NUL somewhere: a sequence is
 * never read past it). */
static int escape_n(struct buf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	int rc = 0;
	while (p < end && !rc) {
		size_t n = utf8_seq(p);
		if (n == 0 || n > (size_t)(end - p)) {
			p++;
			continue;
		}
		if (n == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] >= 0xBE) {
			/* U+FFFE and U+FFFF: not characters XML 1.0 allows */
		} else if (n > 1) {
			rc = buf_append(b, p, n);
		} else if (*p == '&') {
			rc = buf_puts(b, "&amp;");
		} else if (*p == '<') {
			rc = buf_puts(b, "&lt;");
		} else if (*p == '>') {
			rc = buf_puts(b, "&gt;");
		} else if (*p == '"') {
			rc = buf_puts(b, "&quot;");
		} else if (*p == '\'') {
			rc = buf_puts(b, "&apos;");
		} else if (*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r') {
			rc = *p == 0x7f ? 0 : buf_putc(b, (char)*p);
		}
		p += n;
	}
	return rc ? -1 : 0;
}

int docx_xml_escape(struct buf *b, const char *s)
{
	s = s ? s : "";
	return escape_n(b, s, strlen(s));
}

static struct docx *new_doc(const struct docx_page *page, const struct look *look,
			    const char *title)
{
	struct docx *d = xcalloc(1, sizeof(*d));
	d->page = *page;
	d->look = look;
	d->title = title ? xstrdup(title) : NULL;
	buf_init(&d->body, DOCX_MAX);
	return d;
}

struct docx *docx_new(const struct docx_page *page)
{
	return new_doc(page ? page : &docx_a4, &look_plain, NULL);
}

struct docx *docx_new_official(const char *title)
{
	return new_doc(&docx_a4_official, &look_official, title);
}

void docx_free(struct docx *d)
{
	if (!d)
		return;
	buf_free(&d->body);
	for (size_t i = 0; i < d->n_charts; i++)
		buf_free(&d->charts[i].xml);
	free(d->charts);
	free(d->title);
	free(d);
}

static int twips(double mm)
{
	return (int)(mm * TWIPS_PER_MM + 0.5);
}

static int text_width(const struct docx *d)
{
	return twips(d->page.width_mm - d->page.left_mm - d->page.right_mm);
}

/* Remembers the first misuse; docx_save reports it. */
static void misuse(struct docx *d, const char *message)
{
	if (!d->invalid)
		d->invalid = message;
}

/* A block other than a table's rows may start: not inside a table. */
static int block_may_start(struct docx *d)
{
	if (!d->table_cols)
		return 1;
	misuse(d, "表格尚未结束时插入了其他内容");
	return 0;
}

/* The text as one run: "\n" (or "\r\n", "\r") a line break, "\t" a tab, bold when asked.
 * w:hint tells Word that characters both Latin and Chinese fonts hold (quotes, dashes, …)
 * are set in the Chinese font. */
static void runs(struct buf *b, const char *text, int bold)
{
	const char *p = text ? text : "";
	buf_puts(b, "<w:r><w:rPr><w:rFonts w:hint=\"eastAsia\"/>");
	if (bold)
		buf_puts(b, "<w:b/><w:bCs/>");
	buf_puts(b, "</w:rPr>");
	for (;;) {
		size_t n = strcspn(p, "\r\n\t");
		if (n) {
			buf_puts(b, "<w:t xml:space=\"preserve\">");
			escape_n(b, p, n);
			buf_puts(b, "</w:t>");
		}
		p += n;
		if (!*p)
			break;
		if (*p == '\t') {
			buf_puts(b, "<w:tab/>");
		} else {
			buf_puts(b, "<w:br/>");
			if (p[0] == '\r' && p[1] == '\n')
				p++;
		}
		p++;
	}
	buf_puts(b, "</w:r>");
}

/* The start of a paragraph's properties: its style and a page break before it when one was
 * asked for. The caller adds the rest and closes </w:pPr>. */
static void para_begin(struct docx *d, const char *style)
{
	struct buf *b = &d->body;
	buf_puts(b, "<w:p><w:pPr>");
	if (style)
		buf_printf(b, "<w:pStyle w:val=\"%s\"/>", style);
	if (d->break_pending)
		buf_puts(b, "<w:pageBreakBefore/>");
	d->break_pending = 0;
}

static void para(struct docx *d, const char *style, const char *text, unsigned flags)
{
	if (!block_may_start(d))
		return;
	struct buf *b = &d->body;
	para_begin(d, style);
	if (flags & DOCX_INDENT)
		buf_printf(b, "<w:ind w:firstLineChars=\"200\" w:firstLine=\"%d\"/>",
			   d->look->body_sz * 20);
	if (flags & DOCX_CENTER)
		buf_puts(b, "<w:jc w:val=\"center\"/>");
	else if (flags & DOCX_RIGHT)
		buf_puts(b, "<w:jc w:val=\"right\"/>");
	buf_puts(b, "</w:pPr>");
	runs(b, text, (flags & DOCX_BOLD) != 0);
	buf_puts(b, "</w:p>");
}

void docx_title(struct docx *d, const char *text)
{
	if (!d->title && text)
		d->title = xstrdup(text);
	para(d, "Title", text, 0);
}

void docx_heading(struct docx *d, int level, const char *text)
{
	static const char *const styles[] = {"Heading1", "Heading2", "Heading3"};
	para(d, styles[level < 1 ? 0 : level > 3 ? 2 : level - 1], text, 0);
}

void docx_paragraph(struct docx *d, const char *text, unsigned flags)
{
	para(d, NULL, text, flags);
}

void docx_note(struct docx *d, const char *text)
{
	para(d, "Note", text, 0);
}

/* A page break asked for before a block that is not a paragraph (a table): a paragraph of
 * its own. */
static void flush_break(struct docx *d)
{
	if (d->break_pending)
		buf_puts(&d->body, "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
	d->break_pending = 0;
}

void docx_page_break(struct docx *d)
{
	if (block_may_start(d))
		d->break_pending = 1;
}

void docx_table_begin(struct docx *d, size_t n_cols, const int *widths_pct)
{
	if (!block_may_start(d))
		return;
	if (n_cols < 1)
		n_cols = 1;
	if (n_cols > 32)
		n_cols = 32;
	flush_break(d);
	d->table_cols = n_cols;
	int total = text_width(d);
	struct buf *b = &d->body;
	buf_printf(b,
		   "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"%d\" "
		   "w:type=\"dxa\"/><w:jc w:val=\"center\"/><w:tblBorders>",
		   total);
	static const char *const sides[] = {"top", "left", "bottom", "right", "insideH", "insideV"};
	for (size_t i = 0; i < 6; i++)
		buf_printf(b,
			   "<w:%s w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>",
			   sides[i]);
	buf_puts(b,
		 "</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"80\" "
		 "w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>"
		 "<w:tblGrid>");
	for (size_t i = 0; i < n_cols; i++) {
		int pct = widths_pct ? widths_pct[i] : (int)(100 / n_cols);
		d->widths[i] = total * pct / 100;
		buf_printf(b, "<w:gridCol w:w=\"%d\"/>", d->widths[i]);
	}
	buf_puts(b, "</w:tblGrid>");
}

void docx_table_row(struct docx *d, const char *const *cells, unsigned flags)
{
	if (!d->table_cols)
		return;
	struct buf *b = &d->body;
	buf_puts(b, "<w:tr><w:trPr><w:cantSplit/>");
	if (flags & DOCX_BOLD)
		buf_puts(b, "<w:tblHeader/>");
	buf_puts(b, "</w:trPr>");
	for (size_t i = 0; i < d->table_cols; i++) {
		buf_printf(b, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>", d->widths[i]);
		if (flags & DOCX_BOLD)
			buf_puts(b, "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E7E6E6\"/>");
		buf_puts(b, "<w:vAlign w:val=\"center\"/></w:tcPr><w:p><w:pPr>"
			    "<w:pStyle w:val=\"TableText\"/>");
		if (flags & (DOCX_CENTER | DOCX_RIGHT))
			buf_printf(b, "<w:jc w:val=\"%s\"/>",
				   flags & DOCX_CENTER ? "center" : "right");
		buf_puts(b, "</w:pPr>");
		runs(b, cells && cells[i] ? cells[i] : "", (flags & DOCX_BOLD) != 0);
		buf_puts(b, "</w:p></w:tc>");
	}
	buf_puts(b, "</w:tr>");
}

void docx_table_end(struct docx *d)
{
	if (!d->table_cols)
		return;
	/* A paragraph after the table: Word needs one between two tables and at the end. */
	buf_puts(&d->body, "</w:tbl><w:p><w:pPr><w:pStyle w:val=\"TableText\"/></w:pPr></w:p>");
	d->table_cols = 0;
}

/* How wide text is set, in half-width characters (a Chinese character is two), counting its
 * longest line only and at most cap. */
static size_t text_columns(const char *s, size_t cap)
{
	size_t best = 0, line = 0;
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == '\n') {
			line = 0;
			continue;
		}
		if ((*p & 0xC0) == 0x80)
			continue; /* a continuation byte: its character was counted */
		line += *p < 0x80 ? 1 : 2;
		if (line > best)
			best = line;
		if (best >= cap)
			return cap;
	}
	return best;
}

void docx_table(struct docx *d, size_t n_cols, const char *const *header, size_t n_rows,
		const char *const *cells)
{
	if (n_cols < 1 || n_cols > 32) {
		misuse(d, "表格的列数应为 1 至 32");
		return;
	}
	if (!block_may_start(d))
		return;
	/* Each column as wide as its widest text asks, a long text counting as 40 characters
	 * (it wraps), and no column under 6% of the width (less when there are
	 * more than 16 columns). */
	size_t want[32], total = 0;
	for (size_t c = 0; c < n_cols; c++) {
		want[c] = header ? text_columns(header[c], 40) : 0;
		for (size_t r = 0; cells && r < n_rows && want[c] < 40; r++) {
			size_t w = text_columns(cells[r * n_cols + c], 40);
			if (w > want[c])
				want[c] = w;
		}
		want[c] += 4; /* the cell's margins, and a character to spare */
		total += want[c];
	}
	int pct[32], left = 100, least = 6 * (int)n_cols <= 100 ? 6 : 100 / (int)n_cols;
	for (size_t c = 0; c < n_cols; c++)
		pct[c] = (int)(want[c] * 100 / total);
	for (size_t c = 0; c < n_cols; c++)
		if (pct[c] < least)
			pct[c] = least;
	for (size_t c = 0; c < n_cols; c++)
		left -= pct[c];
	/* what rounding and the minimum leave or take goes to (or from) the widest column */
	size_t widest = 0;
	for (size_t c = 1; c < n_cols; c++)
		if (pct[c] > pct[widest])
			widest = c;
	pct[widest] += left;
	docx_table_begin(d, n_cols, pct);
	if (header)
		docx_table_row(d, header, DOCX_BOLD | DOCX_CENTER);
	for (size_t r = 0; r < n_rows && !d->body.overflow; r++)
		docx_table_row(d, cells ? cells + r * n_cols : NULL, 0);
	docx_table_end(d);
}

/* ---- charts ---- */

#define C_NS "xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\""
#define A_NS "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\""
#define R_NS "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

/* The text properties of a chart's labels: size in points, Latin and Chinese fonts. */
static void chart_text(struct buf *b, int pt, int bold)
{
	buf_printf(b,
		   "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"%d\" b=\"%d\">"
		   "<a:latin typeface=\"Times New Roman\"/><a:ea typeface=\"宋体\"/></a:defRPr>"
		   "</a:pPr><a:endParaRPr lang=\"zh-CN\"/></a:p></c:txPr>",
		   pt * 100, bold);
}

/* v as the shortest text that reads back as v: 15 significant digits when they do (0.1 stays
 * "0.1"), else 17 (15 digits of the largest double would read back as infinity). */
static const char *number(double v, char *out, size_t size)
{
	snprintf(out, size, "%.15g", v);
	if (strtod(out, NULL) != v)
		snprintf(out, size, "%.17g", v);
	return out;
}

/* The chart part: one series of n bars. Horizontal bars are drawn bottom-up by the
 * applications, so their categories are written last first, to read from the top. */
static void chart_xml(struct buf *b, const struct look *look, const char *title, size_t n,
		      const char *const *labels, const double *values, int horizontal)
{
	int integers = 1;
	for (size_t i = 0; i < n; i++)
		if (isfinite(values[i]) &&
		    (values[i] != floor(values[i]) || fabs(values[i]) >= 1e15))
			integers = 0;
	const char *format = integers ? "#,##0" : "General";
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		    "<c:chartSpace " C_NS " " A_NS " " R_NS "><c:lang val=\"zh-CN\"/>"
		    "<c:roundedCorners val=\"0\"/><c:chart>");
	if (title && *title) {
		buf_printf(b,
			   "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr>"
			   "<a:defRPr sz=\"%d\" b=\"1\"/></a:pPr><a:r><a:rPr lang=\"zh-CN\" "
			   "sz=\"%d\" b=\"1\"><a:latin typeface=\"Times New Roman\"/><a:ea "
			   "typeface=\"黑体\"/></a:rPr><a:t>",
			   (look->chart_pt + 2) * 100, (look->chart_pt + 2) * 100);
		docx_xml_escape(b, title);
		buf_puts(b, "</a:t></a:r></a:p></c:rich></c:tx><c:overlay val=\"0\"/></c:title>"
			    "<c:autoTitleDeleted val=\"0\"/>");
	} else {
		buf_puts(b, "<c:autoTitleDeleted val=\"1\"/>");
	}
	buf_printf(b,
		   "<c:plotArea><c:layout/><c:barChart><c:barDir val=\"%s\"/>"
		   "<c:grouping val=\"clustered\"/><c:varyColors val=\"0\"/><c:ser>"
		   "<c:idx val=\"0\"/><c:order val=\"0\"/><c:tx><c:v>",
		   horizontal ? "bar" : "col");
	docx_xml_escape(b, title && *title ? title : "数值");
	buf_puts(b, "</c:v></c:tx><c:spPr><a:solidFill><a:srgbClr val=\"2F5597\"/></a:solidFill>"
		    "</c:spPr><c:invertIfNegative val=\"0\"/><c:dLbls>");
	buf_printf(b,
		   "<c:numFmt formatCode=\"%s\" sourceLinked=\"0\"/><c:spPr><a:noFill/><a:ln>"
		   "<a:noFill/></a:ln></c:spPr>",
		   format);
	chart_text(b, look->chart_pt - 1, 0);
	buf_printf(b,
		   "<c:dLblPos val=\"outEnd\"/><c:showLegendKey val=\"0\"/><c:showVal val=\"1\"/>"
		   "<c:showCatName val=\"0\"/><c:showSerName val=\"0\"/><c:showPercent val=\"0\"/>"
		   "<c:showBubbleSize val=\"0\"/></c:dLbls><c:cat><c:strRef>"
		   "<c:f>Sheet1!$A$2:$A$%zu</c:f><c:strCache><c:ptCount val=\"%zu\"/>",
		   n + 1, n);
	for (size_t k = 0; k < n; k++) {
		size_t i = horizontal ? n - 1 - k : k;
		buf_printf(b, "<c:pt idx=\"%zu\"><c:v>", k);
		docx_xml_escape(b, labels ? labels[i] : NULL);
		buf_puts(b, "</c:v></c:pt>");
	}
	buf_printf(b,
		   "</c:strCache></c:strRef></c:cat><c:val><c:numRef><c:f>Sheet1!$B$2:$B$%zu</c:f>"
		   "<c:numCache><c:formatCode>%s</c:formatCode><c:ptCount val=\"%zu\"/>",
		   n + 1, format, n);
	char num[40];
	for (size_t k = 0; k < n; k++) {
		size_t i = horizontal ? n - 1 - k : k;
		if (isfinite(values[i]))
			buf_printf(b, "<c:pt idx=\"%zu\"><c:v>%s</c:v></c:pt>", k,
				   number(values[i], num, sizeof(num)));
	}
	buf_printf(b,
		   "</c:numCache></c:numRef></c:val></c:ser><c:gapWidth val=\"60\"/>"
		   "<c:axId val=\"50010\"/><c:axId val=\"50020\"/></c:barChart>"
		   "<c:catAx><c:axId val=\"50010\"/><c:scaling><c:orientation val=\"minMax\"/>"
		   "</c:scaling><c:delete val=\"0\"/><c:axPos val=\"%s\"/>"
		   "<c:numFmt formatCode=\"General\" sourceLinked=\"0\"/><c:majorTickMark "
		   "val=\"none\"/><c:minorTickMark val=\"none\"/><c:tickLblPos val=\"low\"/>",
		   horizontal ? "l" : "b");
	chart_text(b, look->chart_pt, 0);
	buf_printf(b,
		   "<c:crossAx val=\"50020\"/><c:crosses val=\"autoZero\"/><c:auto val=\"1\"/>"
		   "<c:lblAlgn val=\"ctr\"/><c:lblOffset val=\"100\"/><c:noMultiLvlLbl val=\"0\"/>"
		   "</c:catAx><c:valAx><c:axId val=\"50020\"/><c:scaling><c:orientation "
		   "val=\"minMax\"/></c:scaling><c:delete val=\"0\"/><c:axPos val=\"%s\"/>"
		   "<c:majorGridlines><c:spPr><a:ln w=\"6350\"><a:solidFill><a:srgbClr "
		   "val=\"D9D9D9\"/></a:solidFill></a:ln></c:spPr></c:majorGridlines>"
		   "<c:numFmt formatCode=\"%s\" sourceLinked=\"0\"/><c:majorTickMark val=\"none\"/>"
		   "<c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/>",
		   horizontal ? "b" : "l", format);
	chart_text(b, look->chart_pt - 1, 0);
	buf_puts(b,
		 "<c:crossAx val=\"50010\"/><c:crosses val=\"autoZero\"/>"
		 "<c:crossBetween val=\"between\"/></c:valAx><c:spPr><a:noFill/></c:spPr>"
		 "</c:plotArea><c:plotVisOnly val=\"1\"/><c:dispBlanksAs val=\"gap\"/></c:chart>"
		 "<c:spPr><a:solidFill><a:srgbClr val=\"FFFFFF\"/></a:solidFill><a:ln><a:noFill/>"
		 "</a:ln></c:spPr>");
	chart_text(b, look->chart_pt, 0);
	buf_puts(b, "</c:chartSpace>");
}

/* The relationship id of chart i (0-based) in word/_rels/document.xml.rels; rId1-rId9 are
 * the fixed parts'. */
static size_t chart_rid(size_t i)
{
	return 10 + i;
}

void docx_bar_chart(struct docx *d, const char *title, size_t n, const char *const *labels,
		    const double *values, int horizontal)
{
	if (!block_may_start(d))
		return;
	if (n == 0 || !values) {
		if (title && *title)
			para(d, NULL, title, DOCX_CENTER | DOCX_BOLD);
		para(d, NULL, "（无数据）", DOCX_CENTER);
		return;
	}
	if (n > DOCX_CHART_MAX_BARS) {
		misuse(d, "图表的数据项过多");
		return;
	}
	if (d->n_charts >= DOCX_MAX_CHARTS) {
		misuse(d, "文档中的图表过多");
		return;
	}
	size_t used = d->body.len + d->charts_len;
	if (used >= DOCX_MAX) {
		d->body.overflow = 1;
		return;
	}
	struct chart c;
	buf_init(&c.xml, DOCX_MAX - used);
	chart_xml(&c.xml, d->look, title, n, labels, values, horizontal);
	if (c.xml.overflow) {
		buf_free(&c.xml);
		d->body.overflow = 1;
		return;
	}
	d->charts = xrealloc(d->charts, (d->n_charts + 1) * sizeof(*d->charts));
	d->charts[d->n_charts++] = c;
	d->charts_len += c.xml.len;

	/* Across the text width; columns 8 cm high, horizontal bars by their number. */
	long width = (long)((d->page.width_mm - d->page.left_mm - d->page.right_mm) * EMU_PER_MM);
	long height_mm = horizontal ? 25 + 8 * (long)n : 80;
	if (height_mm > 200)
		height_mm = 200;
	struct buf *b = &d->body;
	para_begin(d, "Chart");
	buf_printf(b,
		   "</w:pPr><w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" "
		   "distR=\"0\"><wp:extent cx=\"%ld\" cy=\"%ld\"/><wp:effectExtent l=\"0\" t=\"0\" "
		   "r=\"0\" b=\"0\"/><wp:docPr id=\"%zu\" name=\"图表 %zu\" descr=\"",
		   width, height_mm * EMU_PER_MM, d->n_charts, d->n_charts);
	docx_xml_escape(b, title);
	buf_printf(b,
		   "\"/><wp:cNvGraphicFramePr/><a:graphic " A_NS "><a:graphicData "
		   "uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\"><c:chart " C_NS
		   " r:id=\"rId%zu\"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
		   "</w:p>",
		   chart_rid(d->n_charts - 1));
}

/* ---- the package ---- */

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
#define WP_NS "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\""
#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define CT_WML "application/vnd.openxmlformats-officedocument.wordprocessingml."

static void content_types(const struct docx *d, struct buf *b)
{
	buf_puts(b, XML_DECL
		 "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
		 "content-types\"><Default Extension=\"rels\" ContentType=\"application/"
		 "vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" "
		 "ContentType=\"application/xml\"/>"
		 "<Override PartName=\"/word/document.xml\" ContentType=\"" CT_WML
		 "document.main+xml\"/>"
		 "<Override PartName=\"/word/styles.xml\" ContentType=\"" CT_WML "styles+xml\"/>"
		 "<Override PartName=\"/word/settings.xml\" ContentType=\"" CT_WML
		 "settings+xml\"/>"
		 "<Override PartName=\"/word/fontTable.xml\" ContentType=\"" CT_WML
		 "fontTable+xml\"/>"
		 "<Override PartName=\"/word/footer1.xml\" ContentType=\"" CT_WML "footer+xml\"/>"
		 "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/"
		 "vnd.openxmlformats-package.core-properties+xml\"/>"
		 "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/"
		 "vnd.openxmlformats-officedocument.extended-properties+xml\"/>");
	for (size_t i = 0; i < d->n_charts; i++)
		buf_printf(
			b,
			"<Override PartName=\"/word/charts/chart%zu.xml\" ContentType=\"application/"
			"vnd.openxmlformats-officedocument.drawingml.chart+xml\"/>",
			i + 1);
	buf_puts(b, "</Types>");
}

static const char package_rels[] = XML_DECL
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"" REL_NS "officeDocument\" Target=\"word/document.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/"
	"relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"" REL_NS "extended-properties\" "
	"Target=\"docProps/app.xml\"/></Relationships>";

static void document_rels(const struct docx *d, struct buf *b)
{
	buf_puts(b, XML_DECL
		 "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
		 "relationships\">"
		 "<Relationship Id=\"rId1\" Type=\"" REL_NS "styles\" Target=\"styles.xml\"/>"
		 "<Relationship Id=\"rId2\" Type=\"" REL_NS "settings\" Target=\"settings.xml\"/>"
		 "<Relationship Id=\"rId3\" Type=\"" REL_NS "fontTable\" Target=\"fontTable.xml\"/>"
		 "<Relationship Id=\"rId4\" Type=\"" REL_NS "footer\" Target=\"footer1.xml\"/>");
	for (size_t i = 0; i < d->n_charts; i++)
		buf_printf(b,
			   "<Relationship Id=\"rId%zu\" Type=\"" REL_NS "chart\" "
			   "Target=\"charts/chart%zu.xml\"/>",
			   chart_rid(i), i + 1);
	buf_puts(b, "</Relationships>");
}

static void core_xml(const struct docx *d, struct buf *b)
{
	buf_puts(b, XML_DECL
		 "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/"
		 "2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
		 "xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/"
		 "XMLSchema-instance\"><dc:title>");
	docx_xml_escape(b, d->title);
	buf_puts(b, "</dc:title><dc:language>zh-CN</dc:language></cp:coreProperties>");
}

static const char app_xml[] =
	XML_DECL "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/"
		 "extended-properties\"><Application>vets</Application></Properties>";

static const char settings_xml[] =
	XML_DECL "<w:settings " W_NS "><w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"420\"/>"
		 "<w:characterSpacingControl w:val=\"compressPunctuation\"/><w:compat>"
		 "<w:doNotExpandShiftReturn/><w:compatSetting "
		 "w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" "
		 "w:val=\"15\"/></w:compat></w:settings>";

/* The font table: each Chinese font with its English name as an alternate and the GB2312
 * character set, so that an application lacking the font substitutes a Chinese one. */
static void font_table(struct buf *b)
{
	buf_puts(b, XML_DECL "<w:fonts " W_NS ">");
	for (size_t i = 0; i < sizeof(font_names) / sizeof(font_names[0]); i++)
		buf_printf(
			b,
			"<w:font w:name=\"%s\"><w:altName w:val=\"%s\"/><w:charset w:val=\"86\"/>"
			"<w:family w:val=\"auto\"/><w:pitch w:val=\"variable\"/></w:font>",
			font_names[i][0], font_names[i][1]);
	buf_puts(b, "<w:font w:name=\"Times New Roman\"><w:charset w:val=\"00\"/><w:family "
		    "w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font></w:fonts>");
}

/* rFonts: Latin text in Times New Roman, Chinese in ea. */
static void fonts(struct buf *b, const char *ea)
{
	buf_printf(b,
		   "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" "
		   "w:eastAsia=\"%s\" w:cs=\"Times New Roman\" w:hint=\"eastAsia\"/>",
		   ea);
}

static void size(struct buf *b, int half_points)
{
	buf_printf(b, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>", half_points, half_points);
}

static void paragraph_style(struct buf *b, const char *id, const char *name, int custom)
{
	buf_printf(b,
		   "<w:style w:type=\"paragraph\"%s w:styleId=\"%s\"><w:name w:val=\"%s\"/>"
		   "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/>%s",
		   custom ? " w:customStyle=\"1\"" : "", id, name, "<w:qFormat/>");
}

static void styles_xml(const struct look *lk, struct buf *b)
{
	buf_puts(b, XML_DECL "<w:styles " W_NS "><w:docDefaults><w:rPrDefault><w:rPr>");
	fonts(b, lk->body_font);
	size(b, lk->body_sz);
	buf_printf(b,
		   "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr>"
		   "</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:before=\"0\" w:after=\"%d\" "
		   "w:line=\"%d\" w:lineRule=\"%s\"/><w:jc w:val=\"both\"/></w:pPr></w:pPrDefault>"
		   "</w:docDefaults>",
		   lk->after, lk->line, lk->exact ? "exact" : "auto");
	buf_puts(b, "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
		    "<w:name w:val=\"Normal\"/><w:qFormat/></w:style>");

	paragraph_style(b, "Title", "Title", 0);
	buf_puts(b, "<w:pPr><w:keepNext/><w:spacing w:before=\"240\" w:after=\"360\"");
	if (lk->title_line)
		buf_printf(b, " w:line=\"%d\" w:lineRule=\"exact\"", lk->title_line);
	buf_puts(b, "/><w:jc w:val=\"center\"/></w:pPr><w:rPr>");
	fonts(b, "宋体");
	buf_puts(b, "<w:b/><w:bCs/>");
	size(b, lk->title_sz);
	buf_puts(b, "</w:rPr></w:style>");

	for (int i = 0; i < 3; i++) {
		char id[16], name[16];
		snprintf(id, sizeof(id), "Heading%d", i + 1);
		snprintf(name, sizeof(name), "heading %d", i + 1);
		paragraph_style(b, id, name, 0);
		buf_puts(b, "<w:pPr><w:keepNext/><w:keepLines/>");
		if (!lk->exact)
			buf_printf(b, "<w:spacing w:before=\"%d\" w:after=\"120\"/>", 240 - 60 * i);
		if (lk->heading_indent)
			buf_printf(b, "<w:ind w:firstLineChars=\"200\" w:firstLine=\"%d\"/>",
				   lk->heading_sz[i] * 20);
		buf_printf(b, "<w:jc w:val=\"left\"/><w:outlineLvl w:val=\"%d\"/></w:pPr><w:rPr>",
			   i);
		fonts(b, lk->heading_font[i]);
		if (lk->heading_bold[i])
			buf_puts(b, "<w:b/><w:bCs/>");
		size(b, lk->heading_sz[i]);
		buf_puts(b, "</w:rPr></w:style>");
	}

	paragraph_style(b, "Note", "Note", 1);
	buf_puts(b, "<w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" "
		    "w:lineRule=\"auto\"/><w:jc w:val=\"right\"/></w:pPr><w:rPr>");
	size(b, lk->note_sz);
	buf_puts(b, "</w:rPr></w:style>");

	/* Table text: single lines, whatever the body's spacing. */
	paragraph_style(b, "TableText", "Table Text", 1);
	buf_puts(b, "<w:pPr><w:spacing w:before=\"40\" w:after=\"40\" w:line=\"240\" "
		    "w:lineRule=\"auto\"/><w:jc w:val=\"left\"/></w:pPr><w:rPr>");
	fonts(b, lk->table_font);
	size(b, lk->table_sz);
	buf_puts(b, "</w:rPr></w:style>");

	/* A chart's paragraph: a line as high as the drawing (an exact spacing would cut it). */
	paragraph_style(b, "Chart", "Chart", 1);
	buf_puts(b,
		 "<w:pPr><w:keepLines/><w:spacing w:before=\"120\" w:after=\"120\" "
		 "w:line=\"240\" w:lineRule=\"auto\"/><w:jc w:val=\"center\"/></w:pPr></w:style>");

	paragraph_style(b, "Footer", "footer", 0);
	buf_puts(b, "<w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" "
		    "w:lineRule=\"auto\"/><w:jc w:val=\"center\"/></w:pPr><w:rPr>");
	fonts(b, "宋体");
	size(b, lk->footer_sz);
	buf_puts(b, "</w:rPr></w:style>");

	buf_puts(b,
		 "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\">"
		 "<w:name w:val=\"Normal Table\"/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/>"
		 "<w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" "
		 "w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" "
		 "w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
		 "<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/>"
		 "<w:basedOn w:val=\"TableNormal\"/></w:style></w:styles>");
}

/* The footer: the page number between dashes, as government documents number pages. */
static const char footer_xml[] =
	XML_DECL "<w:ftr " W_NS "><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>"
		 "<w:r><w:t xml:space=\"preserve\">— </w:t></w:r>"
		 "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
		 "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
		 "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r>"
		 "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
		 "<w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>";

/* The head of word/document.xml; the body follows, then document_tail. */
static const char document_head[] = XML_DECL "<w:document " W_NS " " R_NS " " WP_NS "><w:body>";

static void document_tail(const struct docx *d, struct buf *b)
{
	buf_printf(b,
		   "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId4\"/>"
		   "<w:pgSz w:w=\"%d\" w:h=\"%d\"/><w:pgMar w:top=\"%d\" w:right=\"%d\" "
		   "w:bottom=\"%d\" w:left=\"%d\" w:header=\"851\" w:footer=\"%d\" w:gutter=\"0\"/>"
		   "<w:cols w:space=\"425\"/></w:sectPr></w:body></w:document>",
		   twips(d->page.width_mm), twips(d->page.height_mm), twips(d->page.top_mm),
		   twips(d->page.right_mm), twips(d->page.bottom_mm), twips(d->page.left_mm),
		   d->look == &look_official ? 1587 : 567);
}

/* Adds one part of n_pieces pieces to the zip. 0 or -1. */
static int add_entry(zipFile zf, const char *name, const char *const *data, const size_t *len,
		     size_t n_pieces)
{
	zip_fileinfo zi;
	memset(&zi, 0, sizeof(zi));
	zi.tmz_date.tm_year = 2024; /* a fixed stamp: the same document gives the same bytes */
	zi.tmz_date.tm_mday = 1;
	if (zipOpenNewFileInZip(zf, name, &zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED,
				Z_DEFAULT_COMPRESSION) != ZIP_OK)
		return -1;
	int bad = 0;
	for (size_t i = 0; i < n_pieces && !bad; i++)
		if (len[i])
			bad = zipWriteInFileInZip(zf, data[i], (unsigned)len[i]) != ZIP_OK;
	if (zipCloseFileInZip(zf) != ZIP_OK)
		bad = 1;
	return bad ? -1 : 0;
}

static int add_text(zipFile zf, const char *name, const char *text, size_t len)
{
	return add_entry(zf, name, &text, &len, 1);
}

static int add_buf(zipFile zf, const char *name, struct buf *b)
{
	return add_text(zf, name, buf_cstr(b), b->len);
}

/* Writes the package to the file at tmp. 0, VE_LIMIT or VE_IO. */
static int write_zip(struct docx *d, const char *tmp)
{
	struct buf types, rels, core, styles, fonts_b, tail;
	buf_init(&types, 1024 * 1024);
	buf_init(&rels, 1024 * 1024);
	buf_init(&core, 1024 * 1024);
	buf_init(&styles, 1024 * 1024);
	buf_init(&fonts_b, 64 * 1024);
	buf_init(&tail, 4096);
	content_types(d, &types);
	document_rels(d, &rels);
	core_xml(d, &core);
	styles_xml(d->look, &styles);
	font_table(&fonts_b);
	document_tail(d, &tail);
	int rc = 0;
	if (types.overflow || rels.overflow || core.overflow || styles.overflow ||
	    fonts_b.overflow || tail.overflow)
		rc = VE_LIMIT;
	zipFile zf = rc ? NULL : zipOpen(tmp, APPEND_STATUS_CREATE);
	if (!rc && !zf)
		rc = VE_IO;
	if (zf) {
		const char *doc[] = {document_head, buf_cstr(&d->body), buf_cstr(&tail)};
		size_t doc_len[] = {strlen(document_head), d->body.len, tail.len};
		int bad = add_buf(zf, "[Content_Types].xml", &types) ||
			  add_text(zf, "_rels/.rels", package_rels, strlen(package_rels)) ||
			  add_buf(zf, "docProps/core.xml", &core) ||
			  add_text(zf, "docProps/app.xml", app_xml, strlen(app_xml)) ||
			  add_buf(zf, "word/_rels/document.xml.rels", &rels) ||
			  add_entry(zf, "word/document.xml", doc, doc_len, 3) ||
			  add_buf(zf, "word/styles.xml", &styles) ||
			  add_text(zf, "word/settings.xml", settings_xml, strlen(settings_xml)) ||
			  add_buf(zf, "word/fontTable.xml", &fonts_b) ||
			  add_text(zf, "word/footer1.xml", footer_xml, strlen(footer_xml));
		for (size_t i = 0; i < d->n_charts && !bad; i++) {
			char name[64];
			snprintf(name, sizeof(name), "word/charts/chart%zu.xml", i + 1);
			bad = add_buf(zf, name, &d->charts[i].xml);
		}
		if (zipClose(zf, NULL) != ZIP_OK)
			bad = 1;
		if (bad)
			rc = VE_IO;
	}
	buf_free(&types);
	buf_free(&rels);
	buf_free(&core);
	buf_free(&styles);
	buf_free(&fonts_b);
	buf_free(&tail);
	return rc;
}

/* Why a file could not be written, in Chinese. */
static const char *io_reason(int e)
{
	switch (e) {
	case ENOENT:
	case ENOTDIR:
		return "目录不存在";
	case EACCES:
	case EPERM:
		return "没有写入权限";
	case EROFS:
		return "文件系统只读";
	case ENOSPC:
	case EDQUOT:
		return "磁盘空间不足";
	case ENAMETOOLONG:
		return "路径过长";
	case EISDIR:
		return "该路径是一个目录";
	default:
		return "写入失败";
	}
}

/* Creates an empty file of a name not taken, next to path (path.tmp-PID-N), into tmp. 0, or
 * -1 with errno set. */
static int make_temp(const char *path, char *tmp, size_t size)
{
	static atomic_uint counter;
	for (int tries = 0; tries < 100; tries++) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		int n = snprintf(tmp, size, "%s.tmp-%ld-%u-%ld", path, (long)getpid(),
				 atomic_fetch_add(&counter, 1), (long)ts.tv_nsec);
		if (n < 0 || (size_t)n >= size) {
			errno = ENAMETOOLONG;
			return -1;
		}
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0) {
			close(fd);
			return 0;
		}
		if (errno != EEXIST)
			return -1;
	}
	return -1;
}

/* Moves tmp to path: over a file there only when replace. 0, or -1 with errno set. */
static int move_into_place(const char *tmp, const char *path, int replace)
{
	if (replace)
		return rename(tmp, path);
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* a file system without RENAME_NOREPLACE: a hard link is as exclusive */
	if (link(tmp, path) != 0)
		return -1;
	unlink(tmp);
	return 0;
}

int docx_save_to(struct docx *d, const char *path, int replace, char *err, size_t errlen)
{
	if (d->table_cols)
		return err_set(err, errlen, VE_INVALID, "文档中的表格未结束");
	if (d->invalid)
		return err_set(err, errlen, VE_INVALID, "%s", d->invalid);
	if (d->body.overflow || d->body.len + d->charts_len > DOCX_MAX)
		return err_set(err, errlen, VE_LIMIT, "文档过大（超过 16 MiB）");
	/* a page break asked for last: an empty page, as asked */
	flush_break(d);
	if (d->body.overflow)
		return err_set(err, errlen, VE_LIMIT, "文档过大（超过 16 MiB）");
	struct stat st;
	if (!replace && lstat(path, &st) == 0)
		return err_set(err, errlen, VE_EXISTS, "文件已存在：%s", path);
	size_t size = strlen(path) + 64;
	char *tmp = xmalloc(size);
	if (make_temp(path, tmp, size) != 0) {
		int e = errno;
		free(tmp);
		return err_set(err, errlen, VE_IO, "无法写入文档文件 %s：%s", path, io_reason(e));
	}
	int rc = write_zip(d, tmp);
	int e = errno;
	if (rc == VE_LIMIT) {
		err_set(err, errlen, VE_LIMIT, "文档过大（超过 16 MiB）");
	} else if (rc) {
		err_set(err, errlen, VE_IO, "无法写入文档文件 %s：%s", path, io_reason(e));
	} else if (move_into_place(tmp, path, replace) != 0) {
		e = errno;
		rc = e == EEXIST ? VE_EXISTS : VE_IO;
		if (rc == VE_EXISTS)
			err_set(err, errlen, rc, "文件已存在：%s", path);
		else
			err_set(err, errlen, rc, "无法写入文档文件 %s：%s", path, io_reason(e));
	}
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}

int docx_save(struct docx *d, const char *path, char *err, size_t errlen)
{
	return docx_save_to(d, path, 1, err, errlen);
}
