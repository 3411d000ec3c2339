/* docx.c - the .docx writer: WordprocessingML parts built in a buffer, zipped by minizip. */
#include "docx.h"
#include <minizip/zip.h>
#include <stdlib.h>
#include <string.h>
#include "lib/err.h"
#include "lib/mem.h"

#define DOCX_MAX (16u * 1024 * 1024)
#define TWIPS_PER_MM 56.6929

const struct docx_page docx_a4 = {210, 297, 25, 25, 25, 25};

struct docx {
	struct docx_page page;
	struct buf body;
	size_t table_cols; /* 0 outside a table */
	int widths[32];    /* twips of each column of the table begun */
};

/* The length of the UTF-8 sequence at s (1-4), or 0 when it is not valid. */
static size_t utf8_seq(const unsigned char *s)
{
	size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 && s[0] >= 0xC2 ? 2 :
		   (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 && s[0] <= 0xF4 ? 4 : 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if (n == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0)))
		return 0; /* overlong, or a surrogate */
	if (n == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90)))
		return 0;
	return n;
}

int docx_xml_escape(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	int rc = 0;
	while (*p && !rc) {
		size_t n = utf8_seq(p);
		if (n == 0) {
			p++;
			continue;
		}
		if (n > 1) {
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

struct docx *docx_new(const struct docx_page *page)
{
	struct docx *d = xcalloc(1, sizeof(*d));
	d->page = page ? *page : docx_a4;
	buf_init(&d->body, DOCX_MAX);
	return d;
}

void docx_free(struct docx *d)
{
	if (!d)
		return;
	buf_free(&d->body);
	free(d);
}

static int twips(double mm)
{
	return (int)(mm * TWIPS_PER_MM + 0.5);
}

/* The runs of text: each line a run, "\n" a break, "\t" a tab; bold when asked. */
static void runs(struct buf *b, const char *text, int bold)
{
	const char *p = text ? text : "";
	for (;;) {
		size_t n = strcspn(p, "\n\t");
		buf_puts(b, "<w:r>");
		if (bold)
			buf_puts(b, "<w:rPr><w:b/><w:bCs/></w:rPr>");
		char *piece = xstrndup(p, n);
		buf_puts(b, "<w:t xml:space=\"preserve\">");
		docx_xml_escape(b, piece);
		buf_puts(b, "</w:t>");
		free(piece);
		p += n;
		if (*p == '\t')
			buf_puts(b, "<w:tab/>");
		else if (*p == '\n')
			buf_puts(b, "<w:br/>");
		buf_puts(b, "</w:r>");
		if (!*p)
			break;
		p++;
	}
}

static void para(struct docx *d, const char *style, const char *text, unsigned flags)
{
	struct buf *b = &d->body;
	buf_puts(b, "<w:p><w:pPr>");
	if (style)
		buf_printf(b, "<w:pStyle w:val=\"%s\"/>", style);
	if (flags & DOCX_CENTER)
		buf_puts(b, "<w:jc w:val=\"center\"/>");
	else if (flags & DOCX_RIGHT)
		buf_puts(b, "<w:jc w:val=\"right\"/>");
	if (flags & DOCX_INDENT)
		buf_puts(b, "<w:ind w:firstLineChars=\"200\" w:firstLine=\"480\"/>");
	buf_puts(b, "</w:pPr>");
	runs(b, text, (flags & DOCX_BOLD) != 0);
	buf_puts(b, "</w:p>");
}

void docx_title(struct docx *d, const char *text)
{
	para(d, "Title", text, DOCX_CENTER);
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

static int text_width(const struct docx *d)
{
	return twips(d->page.width_mm - d->page.left_mm - d->page.right_mm);
}

void docx_table_begin(struct docx *d, size_t n_cols, const int *widths_pct)
{
	if (n_cols < 1)
		n_cols = 1;
	if (n_cols > 32)
		n_cols = 32;
	d->table_cols = n_cols;
	int total = text_width(d);
	struct buf *b = &d->body;
	buf_printf(b, "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"%d\" "
		      "w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblBorders>", total);
	static const char *const sides[] = {"top", "left", "bottom", "right", "insideH", "insideV"};
	for (size_t i = 0; i < 6; i++)
		buf_printf(b, "<w:%s w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>",
			   sides[i]);
	buf_puts(b, "</w:tblBorders><w:tblCellMar><w:left w:w=\"80\" w:type=\"dxa\"/><w:right "
		    "w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>");
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
	buf_puts(b, "<w:tr>");
	if (flags & DOCX_BOLD)
		buf_puts(b, "<w:trPr><w:tblHeader/></w:trPr>");
	for (size_t i = 0; i < d->table_cols; i++) {
		buf_printf(b, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/></w:tcPr><w:p>",
			   d->widths[i]);
		if (flags & (DOCX_CENTER | DOCX_RIGHT))
			buf_printf(b, "<w:pPr><w:jc w:val=\"%s\"/></w:pPr>",
				   flags & DOCX_CENTER ? "center" : "right");
		runs(b, cells[i] ? cells[i] : "", (flags & DOCX_BOLD) != 0);
		buf_puts(b, "</w:p></w:tc>");
	}
	buf_puts(b, "</w:tr>");
}

void docx_table_end(struct docx *d)
{
	if (!d->table_cols)
		return;
	/* A paragraph after the table: Word needs one between two tables and at the end. */
	buf_puts(&d->body, "</w:tbl><w:p/>");
	d->table_cols = 0;
}

/* ---- the package ---- */

static const char content_types[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"rels\" "
	"ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Override PartName=\"/word/document.xml\" ContentType=\"application/"
	"vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
	"<Override PartName=\"/word/styles.xml\" ContentType=\"application/"
	"vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
	"</Types>";

static const char package_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";

static const char document_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/styles\" Target=\"styles.xml\"/></Relationships>";

#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
#define FONTS(latin, ea)                                                                           \
	"<w:rFonts w:ascii=\"" latin "\" w:hAnsi=\"" latin "\" w:eastAsia=\"" ea "\" w:cs=\"" latin "\"/>"

static const char styles[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:styles " W_NS ">"
	"<w:docDefaults><w:rPrDefault><w:rPr>" FONTS("Times New Roman", "宋体")
	"<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/>"
	"</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"60\" w:line=\"360\" "
	"w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
	"<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>"
	"</w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/>"
	"<w:basedOn w:val=\"Normal\"/><w:pPr><w:jc w:val=\"center\"/><w:spacing w:before=\"240\" "
	"w:after=\"360\"/></w:pPr><w:rPr>" FONTS("Times New Roman", "宋体")
	"<w:b/><w:bCs/><w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/></w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>"
	"<w:basedOn w:val=\"Normal\"/><w:pPr><w:keepNext/><w:spacing w:before=\"240\" "
	"w:after=\"120\"/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr>" FONTS("Arial", "黑体")
	"<w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/>"
	"<w:basedOn w:val=\"Normal\"/><w:pPr><w:keepNext/><w:spacing w:before=\"180\" "
	"w:after=\"60\"/><w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr>" FONTS("Arial", "黑体")
	"<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Heading3\"><w:name w:val=\"heading 3\"/>"
	"<w:basedOn w:val=\"Normal\"/><w:pPr><w:keepNext/><w:outlineLvl w:val=\"2\"/></w:pPr>"
	"<w:rPr><w:b/><w:bCs/></w:rPr></w:style>"
	"<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/></w:style>"
	"</w:styles>";

static int add_entry(zipFile zf, const char *name, const char *data, size_t len)
{
	zip_fileinfo zi;
	memset(&zi, 0, sizeof(zi));
	zi.tmz_date.tm_year = 2024; /* a fixed stamp: the same document gives the same bytes */
	zi.tmz_date.tm_mday = 1;
	if (zipOpenNewFileInZip(zf, name, &zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED,
				Z_DEFAULT_COMPRESSION) != ZIP_OK)
		return -1;
	int bad = zipWriteInFileInZip(zf, data, (unsigned)len) != ZIP_OK;
	if (zipCloseFileInZip(zf) != ZIP_OK)
		bad = 1;
	return bad ? -1 : 0;
}

static void document_xml(const struct docx *d, struct buf *out)
{
	buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		      "<w:document " W_NS "><w:body>");
	buf_append(out, d->body.data ? d->body.data : "", d->body.len);
	buf_printf(out,
		   "<w:sectPr><w:pgSz w:w=\"%d\" w:h=\"%d\"/><w:pgMar w:top=\"%d\" w:right=\"%d\" "
		   "w:bottom=\"%d\" w:left=\"%d\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>"
		   "</w:sectPr></w:body></w:document>",
		   twips(d->page.width_mm), twips(d->page.height_mm), twips(d->page.top_mm),
		   twips(d->page.right_mm), twips(d->page.bottom_mm), twips(d->page.left_mm));
}

int docx_save(struct docx *d, const char *path, char *err, size_t errlen)
{
	if (d->table_cols)
		return err_set(err, errlen, VE_INVALID, "文档中的表格未结束");
	if (d->body.overflow)
		return err_set(err, errlen, VE_LIMIT, "文档过大");
	struct buf doc;
	buf_init(&doc, DOCX_MAX + 4096);
	document_xml(d, &doc);
	if (doc.overflow) {
		buf_free(&doc);
		return err_set(err, errlen, VE_LIMIT, "文档过大");
	}
	zipFile zf = zipOpen(path, APPEND_STATUS_CREATE);
	if (!zf) {
		buf_free(&doc);
		return err_set(err, errlen, VE_IO, "无法写入文档文件");
	}
	int bad = add_entry(zf, "[Content_Types].xml", content_types, strlen(content_types)) ||
		  add_entry(zf, "_rels/.rels", package_rels, strlen(package_rels)) ||
		  add_entry(zf, "word/_rels/document.xml.rels", document_rels,
			    strlen(document_rels)) ||
		  add_entry(zf, "word/styles.xml", styles, strlen(styles)) ||
		  add_entry(zf, "word/document.xml", doc.data, doc.len);
	if (zipClose(zf, NULL) != ZIP_OK)
		bad = 1;
	buf_free(&doc);
	return bad ? err_set(err, errlen, VE_IO, "无法写入文档文件") : 0;
}
