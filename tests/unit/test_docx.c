/* test_docx.c - io/docx: a document with every block opened again as a zip (every part there,
 * well-formed, the text escaped, the page and fonts of the official look, the charts' values),
 * saving that never overwrites unless asked, Chinese reasons for what cannot be written, misused
 * blocks and the size cap refused, and random bytes as text never giving a broken package. */
#include "io/docx.h"
#include "lib/buf.h"
#include "lib/err.h"
#include "lib/utf8.h"

#include <dirent.h>
#include <expat.h>
#include <minizip/unzip.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <float.h>
#include <math.h>

/* ---- helpers ---- */

/* A fresh directory for one test's files (removed by rm_dir). */
static void temp_dir(char *dir, size_t size)
{
	snprintf(dir, size, "/tmp/vets-test-docx-XXXXXX");
	assert_non_null(mkdtemp(dir));
}

/* The names of the files in dir, sorted, each followed by ";". */
static void dir_names(const char *dir, struct buf *out)
{
	DIR *dp = opendir(dir);
	assert_non_null(dp);
	char *names[64];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(dp)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && n < 64)
			names[n++] = strdup(e->d_name);
	closedir(dp);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(names[j], names[i]) < 0) {
				char *t = names[i];
				names[i] = names[j];
				names[j] = t;
			}
	for (size_t i = 0; i < n; i++) {
		buf_printf(out, "%s;", names[i]);
		free(names[i]);
	}
}

static void rm_dir(const char *dir)
{
	DIR *dp = opendir(dir);
	if (!dp)
		return;
	struct dirent *e;
	char path[512];
	while ((e = readdir(dp)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(dp);
	rmdir(dir);
}

/* The part name of the .docx at path as text (freed by the caller; *len its length), or NULL. */
static char *part(const char *path, const char *name, size_t *len)
{
	unzFile z = unzOpen(path);
	if (!z)
		return NULL;
	char *out = NULL;
	unz_file_info info;
	if (unzLocateFile(z, name, 1) == UNZ_OK &&
	    unzGetCurrentFileInfo(z, &info, NULL, 0, NULL, 0, NULL, 0) == UNZ_OK &&
	    unzOpenCurrentFile(z) == UNZ_OK) {
		out = calloc(1, info.uncompressed_size + 1);
		if (unzReadCurrentFile(z, out, (unsigned)info.uncompressed_size) !=
		    (int)info.uncompressed_size) {
			free(out);
			out = NULL;
		} else if (len) {
			*len = info.uncompressed_size;
		}
		unzCloseCurrentFile(z);
	}
	unzClose(z);
	return out;
}

/* The names of the parts of the zip at path, in order, each followed by ";". */
static void part_names(const char *path, struct buf *out)
{
	unzFile z = unzOpen(path);
	assert_non_null(z);
	for (int rc = unzGoToFirstFile(z); rc == UNZ_OK; rc = unzGoToNextFile(z)) {
		char name[256];
		unz_file_info info;
		assert_int_equal(
			unzGetCurrentFileInfo(z, &info, name, sizeof(name), NULL, 0, NULL, 0),
			UNZ_OK);
		buf_printf(out, "%s;", name);
	}
	unzClose(z);
}

/* 1 when the n bytes at xml are a well-formed XML document (expat also refuses bad UTF-8 and
 * characters XML does not allow). */
static int well_formed(const char *xml, size_t n)
{
	XML_Parser p = XML_ParserCreate("UTF-8");
	int ok = XML_Parse(p, xml, (int)n, 1) == XML_STATUS_OK;
	if (!ok)
		fprintf(stderr, "XML error at line %lu col %lu: %s\n",
			(unsigned long)XML_GetCurrentLineNumber(p),
			(unsigned long)XML_GetCurrentColumnNumber(p),
			XML_ErrorString(XML_GetErrorCode(p)));
	XML_ParserFree(p);
	return ok;
}

/* Every part of the package at path is there, well-formed and valid UTF-8; the charts are
 * n_charts parts, each with its content type and relationship. Returns the number of parts. */
static size_t check_package(const char *path, size_t n_charts)
{
	static const char *const fixed[] = {
		"[Content_Types].xml",
		"_rels/.rels",
		"docProps/core.xml",
		"docProps/app.xml",
		"word/_rels/document.xml.rels",
		"word/document.xml",
		"word/styles.xml",
		"word/settings.xml",
		"word/fontTable.xml",
		"word/footer1.xml",
	};
	struct buf names;
	buf_init(&names, 1 << 20);
	part_names(path, &names);
	size_t n_parts = 0;
	for (const char *p = buf_cstr(&names); *p; p++)
		n_parts += *p == ';';
	assert_int_equal(n_parts, 10 + n_charts);
	for (size_t i = 0; i < 10 + n_charts; i++) {
		char name[64];
		if (i < 10)
			snprintf(name, sizeof(name), "%s", fixed[i]);
		else
			snprintf(name, sizeof(name), "word/charts/chart%zu.xml", i - 9);
		size_t len = 0;
		char *xml = part(path, name, &len);
		if (!xml)
			fail_msg("part %s missing", name);
		if (!well_formed(xml, len))
			fail_msg("part %s is not well-formed XML", name);
		assert_true(utf8_valid(xml, len));
		free(xml);
	}
	char *types = part(path, "[Content_Types].xml", NULL);
	char *rels = part(path, "word/_rels/document.xml.rels", NULL);
	for (size_t i = 1; i <= n_charts + 1; i++) {
		char want[128];
		snprintf(want, sizeof(want), "PartName=\"/word/charts/chart%zu.xml\"", i);
		assert_true((strstr(types, want) != NULL) == (i <= n_charts));
		snprintf(want, sizeof(want), "Target=\"charts/chart%zu.xml\"", i);
		assert_true((strstr(rels, want) != NULL) == (i <= n_charts));
	}
	assert_non_null(strstr(types, "/word/footer1.xml"));
	assert_non_null(strstr(types, "core-properties+xml"));
	assert_non_null(strstr(rels, "Target=\"footer1.xml\""));
	free(types);
	free(rels);
	buf_free(&names);
	return n_parts;
}

/* How often needle occurs in s. */
static size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* ---- a document with every block ---- */

#define LONG_ROWS 3000

static void test_every_block(void **state)
{
	(void)state;
	char dir[64], path[128], err[256] = "";
	temp_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/报告.docx", dir);

	struct docx *d = docx_new_official("2023年 <法治> & “政府” 报告");
	docx_title(d, "某区退役军人事务局\n2023年法治政府建设工作报告");
	docx_note(d, "某区退役军人事务局　2024年1月10日");
	docx_heading(d, 1, "一、主要举措和成效");
	docx_heading(d, 2, "（一）优抚");
	docx_heading(d, 3, "1. 三级");
	docx_heading(d, 9, "level 9 is 3");
	docx_paragraph(d, "<b>&\"引号\"'</b> 😀 甲\n乙\t丙\r\n丁", DOCX_INDENT);
	docx_paragraph(d, "", 0);
	docx_paragraph(d, NULL, DOCX_CENTER | DOCX_BOLD);

	/* a long table: the header repeated on each page, every row there */
	static const char *const head[] = {"序号", "指标", "数值", "定义"};
	const char **cells = calloc(LONG_ROWS * 4, sizeof(*cells));
	char(*numbers)[16] = calloc(LONG_ROWS, sizeof(*numbers));
	for (size_t r = 0; r < LONG_ROWS; r++) {
		snprintf(numbers[r], sizeof(numbers[r]), "%zu", r + 1);
		cells[r * 4] = numbers[r];
		cells[r * 4 + 1] = r % 2 ? "优抚金发放" : "a<b";
		cells[r * 4 + 2] = r == 7 ? NULL : "11,047";
		cells[r * 4 + 3] = "当年发放成功的优抚金支付明细，不含义务兵优待金和入伍奖励金。";
	}
	docx_table(d, 4, head, LONG_ROWS, cells);
	docx_table(d, 2, NULL, 0, NULL); /* no header, no rows: an empty table is still a table */

	static const char *const months[] = {"1月", "2月", "3月", "<&>", ""};
	const double values[] = {0, -12.5, 1e300, NAN, -1e300};
	docx_bar_chart(d, "按月 <发放>", 5, months, values, 0);
	docx_page_break(d);
	static const char *const streets[] = {"东湖街道", "西湖街道"};
	const double counts[] = {3200, 2800};
	docx_bar_chart(d, NULL, 2, streets, counts, 1);
	docx_bar_chart(d, "空图表", 0, NULL, NULL, 0);
	docx_bar_chart(d, "also empty", 3, streets, NULL, 1);
	docx_page_break(d);
	docx_paragraph(d, "最后一页", 0);
	docx_page_break(d); /* last: an empty page, as asked */

	assert_int_equal(docx_save_to(d, path, 0, err, sizeof(err)), 0);
	docx_free(d);
	free(cells);
	free(numbers);

	check_package(path, 2);
	size_t len;
	char *xml = part(path, "word/document.xml", &len);
	assert_non_null(xml);
	/* text escaped, breaks and tabs as elements, nothing of the markup left raw */
	assert_non_null(strstr(xml,
			       "&lt;b&gt;&amp;&quot;引号&quot;&apos;&lt;/b&gt; 😀 甲</w:t><w:br/>"
			       "<w:t xml:space=\"preserve\">乙</w:t><w:tab/>"
			       "<w:t xml:space=\"preserve\">丙</w:t><w:br/>"
			       "<w:t xml:space=\"preserve\">丁</w:t>"));
	assert_null(strstr(xml, "<b>"));
	assert_non_null(strstr(xml, "某区退役军人事务局</w:t><w:br/>"));
	assert_non_null(strstr(xml, "<w:pStyle w:val=\"Title\"/>"));
	assert_non_null(strstr(xml, "<w:pStyle w:val=\"Note\"/>"));
	assert_int_equal(count(xml, "<w:pStyle w:val=\"Heading1\"/>"), 1);
	assert_int_equal(count(xml, "<w:pStyle w:val=\"Heading2\"/>"), 1);
	assert_int_equal(count(xml, "<w:pStyle w:val=\"Heading3\"/>"), 2);
	assert_non_null(strstr(xml, "<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/>"));
	/* the tables: a header row and every row of the long one, the empty one */
	assert_int_equal(count(xml, "<w:tbl>"), 2);
	assert_int_equal(count(xml, "<w:tr>"), LONG_ROWS + 1);
	assert_int_equal(count(xml, "<w:tblHeader/>"), 1);
	assert_int_equal(count(xml, "a&lt;b"), LONG_ROWS / 2);
	assert_non_null(strstr(xml, ">3000</w:t>"));
	/* the charts: two drawings, the empty ones as a line of text */
	assert_int_equal(count(xml, "<w:drawing>"), 2);
	assert_non_null(strstr(xml, "r:id=\"rId10\""));
	assert_non_null(strstr(xml, "r:id=\"rId11\""));
	assert_non_null(strstr(xml, "descr=\"按月 &lt;发放&gt;\""));
	assert_int_equal(count(xml, "（无数据）"), 2);
	assert_non_null(strstr(xml, ">空图表</w:t>"));
	/* page breaks: before the paragraph that follows, or a paragraph of its own at the end */
	assert_int_equal(count(xml, "<w:pageBreakBefore/>"), 2);
	assert_int_equal(count(xml, "<w:br w:type=\"page\"/>"), 1);
	/* A4 portrait with a government document's margins (37, 26, 35, 28 mm) */
	assert_non_null(strstr(xml, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
	assert_non_null(
		strstr(xml, "w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1587\""));
	assert_non_null(strstr(xml, "<w:footerReference w:type=\"default\" r:id=\"rId4\"/>"));
	free(xml);

	/* the first chart: columns, every value but the gap, labels escaped */
	xml = part(path, "word/charts/chart1.xml", NULL);
	assert_non_null(xml);
	assert_non_null(strstr(xml, "<c:barDir val=\"col\"/>"));
	assert_non_null(strstr(xml, "<a:t>按月 &lt;发放&gt;</a:t>"));
	assert_non_null(strstr(xml, "<c:ptCount val=\"5\"/><c:pt idx=\"0\"><c:v>1月</c:v></c:pt>"));
	assert_non_null(strstr(xml, "<c:pt idx=\"3\"><c:v>&lt;&amp;&gt;</c:v></c:pt>"));
	assert_non_null(strstr(xml, "<c:pt idx=\"4\"><c:v></c:v></c:pt>"));
	assert_non_null(strstr(xml, "<c:pt idx=\"0\"><c:v>0</c:v></c:pt>"));
	assert_non_null(strstr(xml, "<c:pt idx=\"1\"><c:v>-12.5</c:v></c:pt>"));
	assert_non_null(strstr(xml, "<c:pt idx=\"2\"><c:v>1e+300</c:v></c:pt>"));
	assert_null(strstr(xml, "<c:pt idx=\"3\"><c:v>nan"));
	assert_null(strstr(xml, "<c:pt idx=\"3\"><c:v>-"));
	assert_non_null(strstr(xml, "<c:pt idx=\"4\"><c:v>-1e+300</c:v></c:pt>"));
	assert_non_null(strstr(xml, "formatCode=\"General\""));
	assert_null(strstr(xml, "externalData"));
	free(xml);
	/* the second: horizontal bars, the first street on top (written last), whole numbers
	 * grouped, no title */
	xml = part(path, "word/charts/chart2.xml", NULL);
	assert_non_null(xml);
	assert_non_null(strstr(xml, "<c:barDir val=\"bar\"/>"));
	assert_non_null(strstr(xml, "<c:pt idx=\"0\"><c:v>西湖街道</c:v></c:pt><c:pt idx=\"1\">"
				    "<c:v>东湖街道</c:v></c:pt>"));
	assert_non_null(strstr(xml, "<c:pt idx=\"0\"><c:v>2800</c:v></c:pt><c:pt idx=\"1\">"
				    "<c:v>3200</c:v></c:pt>"));
	assert_non_null(strstr(xml, "formatCode=\"#,##0\""));
	assert_non_null(strstr(xml, "<c:autoTitleDeleted val=\"1\"/>"));
	assert_null(strstr(xml, "<c:title>"));
	free(xml);

	/* the fonts: 仿宋 三号 text on exact 28 pt lines, 黑体 and 楷体 headings, East Asian hint
	 */
	xml = part(path, "word/styles.xml", NULL);
	assert_non_null(strstr(xml, "w:eastAsia=\"仿宋\""));
	assert_non_null(strstr(xml, "w:eastAsia=\"黑体\""));
	assert_non_null(strstr(xml, "w:eastAsia=\"楷体\""));
	assert_non_null(strstr(xml, "w:eastAsia=\"宋体\""));
	assert_non_null(strstr(xml, "w:hint=\"eastAsia\""));
	assert_non_null(strstr(xml, "<w:sz w:val=\"32\"/>"));
	assert_non_null(strstr(xml, "w:line=\"560\" w:lineRule=\"exact\""));
	free(xml);
	xml = part(path, "word/fontTable.xml", NULL);
	assert_non_null(strstr(xml, "<w:font w:name=\"仿宋\"><w:altName w:val=\"FangSong\"/>"));
	free(xml);
	xml = part(path, "word/footer1.xml", NULL);
	assert_non_null(strstr(xml, " PAGE "));
	free(xml);
	xml = part(path, "docProps/core.xml", NULL);
	assert_non_null(strstr(xml, "<dc:title>2023年 &lt;法治&gt; &amp; “政府” 报告</dc:title>"));
	free(xml);

	/* nothing else left in the directory (the temporary file was renamed) */
	struct buf names;
	buf_init(&names, 4096);
	dir_names(dir, &names);
	assert_string_equal(buf_cstr(&names), "报告.docx;");
	buf_free(&names);
	rm_dir(dir);
}

/* The plain look: 25 mm margins, 宋体 小四; the first printed title is the properties' title;
 * the same document gives the same bytes. */
static void test_plain_look(void **state)
{
	(void)state;
	char dir[64], a[128], b[128], err[256];
	temp_dir(dir, sizeof(dir));
	snprintf(a, sizeof(a), "%s/a.docx", dir);
	snprintf(b, sizeof(b), "%s/b.docx", dir);
	struct docx *d = docx_new(NULL);
	docx_title(d, "办事指南");
	docx_title(d, "第二个标题");
	docx_paragraph(d, "正文", 0);
	docx_note(d, "2024年1月");
	assert_int_equal(docx_save_to(d, a, 0, err, sizeof(err)), 0);
	assert_int_equal(docx_save_to(d, b, 0, err, sizeof(err)), 0);
	docx_free(d);
	check_package(a, 0);
	char *xml = part(a, "word/document.xml", NULL);
	assert_non_null(
		strstr(xml, "w:top=\"1417\" w:right=\"1417\" w:bottom=\"1417\" w:left=\"1417\""));
	free(xml);
	xml = part(a, "word/styles.xml", NULL);
	assert_non_null(strstr(xml, "<w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Times New Roman\" "
				    "w:hAnsi=\"Times New Roman\" w:eastAsia=\"宋体\""));
	assert_null(strstr(xml, "仿宋"));
	free(xml);
	xml = part(a, "docProps/core.xml", NULL);
	assert_non_null(strstr(xml, "<dc:title>办事指南</dc:title>"));
	free(xml);
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	assert_non_null(fa);
	assert_non_null(fb);
	int ca, cb;
	do {
		ca = fgetc(fa);
		cb = fgetc(fb);
		assert_int_equal(ca, cb);
	} while (ca != EOF);
	fclose(fa);
	fclose(fb);
	rm_dir(dir);
}

/* An existing file is kept unless replace is asked; then it is replaced whole. */
static void test_existing_file(void **state)
{
	(void)state;
	char dir[64], path[128], err[256] = "";
	temp_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/report.docx", dir);
	FILE *f = fopen(path, "w");
	fputs("not a report", f);
	fclose(f);
	struct docx *d = docx_new_official("报告");
	docx_paragraph(d, "正文", DOCX_INDENT);
	assert_int_equal(docx_save_to(d, path, 0, err, sizeof(err)), VE_EXISTS);
	assert_non_null(strstr(err, "文件已存在"));
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 12); /* untouched */
	/* a symbolic link there (even a dangling one) counts as a file */
	char link_path[160];
	snprintf(link_path, sizeof(link_path), "%s/link.docx", dir);
	assert_int_equal(symlink("/nonexistent/target.docx", link_path), 0);
	assert_int_equal(docx_save_to(d, link_path, 0, err, sizeof(err)), VE_EXISTS);
	unlink(link_path);
	/* docx_save replaces, as the service catalogue needs */
	err[0] = '\0';
	assert_int_equal(docx_save_to(d, path, 1, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	check_package(path, 0);
	assert_int_equal(docx_save(d, path, err, sizeof(err)), 0);
	check_package(path, 0);
	docx_free(d);
	struct buf names;
	buf_init(&names, 4096);
	dir_names(dir, &names);
	assert_string_equal(buf_cstr(&names), "report.docx;");
	buf_free(&names);
	rm_dir(dir);
}

/* What cannot be written gives VE_IO and a reason in Chinese, and leaves nothing behind. */
static void test_unwritable(void **state)
{
	(void)state;
	char err[256] = "";
	struct docx *d = docx_new_official("报告");
	docx_paragraph(d, "正文", 0);
	assert_int_equal(docx_save_to(d, "/nonexistent-dir-of-vets/报告.docx", 0, err, sizeof(err)),
			 VE_IO);
	assert_non_null(strstr(err, "无法写入文档文件"));
	assert_non_null(strstr(err, "目录不存在"));
	/* a directory that is a file */
	char dir[64], path[160];
	temp_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/file", dir);
	FILE *f = fopen(path, "w");
	fclose(f);
	snprintf(path, sizeof(path), "%s/file/报告.docx", dir);
	assert_int_equal(docx_save_to(d, path, 1, err, sizeof(err)), VE_IO);
	assert_non_null(strstr(err, "目录不存在"));
	/* a directory without write permission (root writes anyway: not checked as root) */
	if (geteuid() != 0) {
		char ro[128];
		snprintf(ro, sizeof(ro), "%s/ro", dir);
		assert_int_equal(mkdir(ro, 0500), 0);
		snprintf(path, sizeof(path), "%s/报告.docx", ro);
		assert_int_equal(docx_save_to(d, path, 0, err, sizeof(err)), VE_IO);
		assert_non_null(strstr(err, "没有写入权限"));
		rmdir(ro);
	}
	/* a directory in the way */
	assert_int_equal(docx_save_to(d, dir, 1, err, sizeof(err)), VE_IO);
	struct stat st;
	assert_int_equal(stat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	struct buf names;
	buf_init(&names, 4096);
	dir_names(dir, &names);
	assert_string_equal(buf_cstr(&names), "file;");
	buf_free(&names);
	docx_free(d);
	rm_dir(dir);
}

/* Misused blocks are remembered and refused at saving, with a Chinese message. */
static void test_misuse(void **state)
{
	(void)state;
	char err[256];
	const double v[] = {1};
	const char *l[] = {"一"};
	struct docx *d = docx_new(NULL);
	docx_table_begin(d, 2, NULL);
	docx_paragraph(d, "inside a table", 0);
	docx_table_end(d);
	assert_int_equal(docx_save_to(d, "/tmp/never-written.docx", 0, err, sizeof(err)),
			 VE_INVALID);
	assert_non_null(strstr(err, "表格尚未结束"));
	docx_free(d);

	d = docx_new(NULL);
	docx_table_begin(d, 2, NULL);
	assert_int_equal(docx_save_to(d, "/tmp/never-written.docx", 0, err, sizeof(err)),
			 VE_INVALID);
	assert_non_null(strstr(err, "表格未结束"));
	docx_free(d);

	d = docx_new(NULL);
	docx_table(d, 33, NULL, 0, NULL);
	assert_int_equal(docx_save_to(d, "/tmp/never-written.docx", 0, err, sizeof(err)),
			 VE_INVALID);
	assert_non_null(strstr(err, "列数"));
	docx_free(d);

	d = docx_new(NULL);
	double *many = calloc(DOCX_CHART_MAX_BARS + 1, sizeof(*many));
	docx_bar_chart(d, "太多", DOCX_CHART_MAX_BARS + 1, NULL, many, 0);
	free(many);
	assert_int_equal(docx_save_to(d, "/tmp/never-written.docx", 0, err, sizeof(err)),
			 VE_INVALID);
	assert_non_null(strstr(err, "数据项过多"));
	docx_free(d);

	d = docx_new(NULL);
	for (int i = 0; i <= DOCX_MAX_CHARTS; i++)
		docx_bar_chart(d, "一", 1, l, v, 0);
	assert_int_equal(docx_save_to(d, "/tmp/never-written.docx", 0, err, sizeof(err)),
			 VE_INVALID);
	assert_non_null(strstr(err, "图表过多"));
	docx_free(d);
	assert_int_equal(access("/tmp/never-written.docx", F_OK), -1);
}

/* Past 16 MiB the document is refused whole, and no file is made. */
static void test_size_cap(void **state)
{
	(void)state;
	char dir[64], path[128], err[256];
	temp_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/big.docx", dir);
	size_t n = 1024 * 1024;
	char *text = malloc(n + 1);
	memset(text, 'x', n);
	text[n] = '\0';
	struct docx *d = docx_new_official("大");
	for (int i = 0; i < 17; i++)
		docx_paragraph(d, text, 0);
	assert_int_equal(docx_save_to(d, path, 0, err, sizeof(err)), VE_LIMIT);
	assert_non_null(strstr(err, "文档过大"));
	docx_free(d);
	/* charts count too */
	d = docx_new_official("大");
	for (int i = 0; i < 15; i++)
		docx_paragraph(d, text, 0);
	const char *labels[] = {text, text};
	const double v[] = {1, 2};
	docx_bar_chart(d, "大", 2, labels, v, 0);
	assert_int_equal(docx_save_to(d, path, 0, err, sizeof(err)), VE_LIMIT);
	docx_free(d);
	free(text);
	assert_int_equal(access(path, F_OK), -1);
	struct buf names;
	buf_init(&names, 4096);
	dir_names(dir, &names);
	assert_string_equal(buf_cstr(&names), "");
	buf_free(&names);
	rm_dir(dir);
}

/* ---- random bytes as text ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

/* A NUL-terminated string of up to max random bytes, leaning on what XML and UTF-8 find hard:
 * markup characters, control characters, pieces of multi-byte sequences, U+FFFE. */
static char *random_text(size_t max)
{
	static const char *const pieces[] = {"<",
					     ">",
					     "&",
					     "\"",
					     "'",
					     "\n",
					     "\r",
					     "\t",
					     "\x01",
					     "\x7f",
					     "\xef\xbf\xbe",
					     "\xef\xbf\xbf",
					     "\xed\xa0\x80",
					     "\xc0\xaf",
					     "\xe4\xb8",
					     "\xf0\x9f\x98\x80",
					     "]]>",
					     "中文",
					     "&amp;",
					     "\xf4\x90\x80\x80",
					     "\xc2\x85"};
	size_t n = rng() % (max + 1);
	char *s = malloc(n * 4 + 1);
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		if (rng() % 3) {
			const char *p = pieces[rng() % (sizeof(pieces) / sizeof(pieces[0]))];
			memcpy(s + len, p, strlen(p) < 4 ? strlen(p) : 4);
			len += strlen(p) < 4 ? strlen(p) : 4;
		} else {
			char c = (char)(rng() % 255 + 1);
			s[len++] = c;
		}
	}
	s[len] = '\0';
	return s;
}

static void test_random_text(void **state)
{
	(void)state;
	char dir[64], path[128], err[256];
	temp_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/random.docx", dir);
	for (int round = 0; round < 60; round++) {
		char *t[16];
		for (int i = 0; i < 16; i++)
			t[i] = random_text(round < 50 ? 40 : 2000);
		struct docx *d = round % 2 ? docx_new_official(t[0]) : docx_new(NULL);
		docx_title(d, t[1]);
		docx_note(d, t[2]);
		docx_heading(d, (int)(rng() % 5), t[3]);
		docx_paragraph(d, t[4], rng() % 16);
		const char *head[] = {t[5], t[6]}, *cells[] = {t[7], t[8], t[9], NULL};
		docx_table(d, 2, head, 2, cells);
		const char *labels[] = {t[10], t[11], t[12]};
		/* any bit pattern: subnormals, NaNs, infinities, huge and tiny numbers */
		uint64_t bits = (uint64_t)rng() << 32 | rng();
		double any;
		memcpy(&any, &bits, sizeof(any));
		const double values[] = {(double)(int32_t)rng(), any,
					 round % 4   ? -1.0 / 3
					 : round % 8 ? INFINITY
						     : -DBL_MAX};
		docx_bar_chart(d, t[13], 3, labels, values, round % 3 == 0);
		docx_page_break(d);
		docx_bar_chart(d, t[14], 0, labels, values, 0);
		docx_paragraph(d, t[15], DOCX_INDENT);
		if (docx_save_to(d, path, 1, err, sizeof(err)) != 0)
			fail_msg("round %d: %s", round, err);
		docx_free(d);
		check_package(path, 1);
		/* every cached value a finite number */
		char *chart = part(path, "word/charts/chart1.xml", NULL);
		const char *p = strstr(chart, "<c:numCache>"),
			   *end = strstr(chart, "</c:numCache>");
		assert_non_null(p);
		while ((p = strstr(p, "<c:v>")) != NULL && p < end) {
			char *stop;
			double v = strtod(p + 5, &stop);
			assert_true(stop > p + 5 && strncmp(stop, "</c:v>", 6) == 0 && isfinite(v));
			p = stop;
		}
		free(chart);
		for (int i = 0; i < 16; i++)
			free(t[i]);
	}
	rm_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_block),   cmocka_unit_test(test_plain_look),
		cmocka_unit_test(test_existing_file), cmocka_unit_test(test_unwritable),
		cmocka_unit_test(test_misuse),        cmocka_unit_test(test_size_cap),
		cmocka_unit_test(test_random_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
