/* test_sheet.c - CSV and XLSX tests: input tables, round trips, hand-made zips, zip bombs. */
#include "io/sheet.h"
#include "lib/buf.h"
#include "lib/err.h"

#include <minizip/zip.h>
#include <zlib.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#define MIB (1024 * 1024)

/* ---- helpers ---- */

/* Appends every row as "<number>[cell][cell];" to out (an empty row is "<number>;"). */
static int dump_rows(int (*next)(void *, struct sheet_row *, char *, size_t), void *reader,
		     struct buf *out, char *err, size_t errlen)
{
	struct sheet_row row;
	int rc;
	while ((rc = next(reader, &row, err, errlen)) == 1) {
		buf_printf(out, "%ld", row.number);
		for (size_t i = 0; i < row.n; i++) {
			assert_int_equal(strlen(row.cells[i]), row.lens[i]);
			buf_printf(out, "[%s]", row.cells[i]);
		}
		buf_putc(out, ';');
	}
	return rc;
}

static int csv_next_any(void *r, struct sheet_row *row, char *err, size_t errlen)
{
	return csv_next(r, row, err, errlen);
}

static int xlsx_next_any(void *r, struct sheet_row *row, char *err, size_t errlen)
{
	return xlsx_next(r, row, err, errlen);
}

/* Reads CSV bytes; returns csv_next's last code and the dump of the rows before it. */
static int read_csv(const char *data, size_t len, struct buf *out, char *err, size_t errlen)
{
	FILE *fp = fmemopen((void *)(uintptr_t)data, len ? len : 1, "rb");
	assert_non_null(fp);
	if (len == 0)
		fgetc(fp); /* fmemopen refuses size 0: consume the one byte instead */
	struct csv_reader *r = csv_reader_new(fp);
	int rc = dump_rows(csv_next_any, r, out, err, errlen);
	if (rc != 0) {
		char again[512];
		assert_int_equal(csv_next(r, NULL, again, sizeof(again)), rc);
		assert_string_equal(again, err);
	}
	csv_reader_free(r);
	fclose(fp);
	return rc;
}

/* Opens and reads a whole xlsx; the open error comes back as -code. */
static int read_xlsx(const char *path, struct buf *out, char *err, size_t errlen)
{
	struct xlsx_reader *r = xlsx_reader_open(path, err, errlen);
	if (!r)
		return -1000;
	int rc = dump_rows(xlsx_next_any, r, out, err, errlen);
	xlsx_reader_free(r);
	return rc;
}

static char *temp_path(const char *suffix)
{
	static int seq;
	char *p = malloc(128);
	snprintf(p, 128, "/tmp/test_sheet_%ld_%d%s", (long)getpid(), seq++, suffix);
	return p;
}

/* ---- CSV table ---- */

struct csv_case {
	const char *name;
	const char *input;
	size_t len;       /* strlen(input) when 0 */
	const char *want; /* dump of the rows read, before any error */
	int rc;           /* 0, -VE_INVALID or -VE_LIMIT */
	const char *msg;  /* a part of the error message */
	const char *msg2; /* another part (the row number) */
};

#define OK(n, in, want)                                                                            \
	{                                                                                          \
		n, in, 0, want, 0, NULL, NULL                                                      \
	}
#define BAD(n, in, want, rc, msg, row)                                                             \
	{                                                                                          \
		n, in, 0, want, rc, msg, row                                                       \
	}

/* A UTF-8 file with another encoding's bytes; bytes that are text in neither. */
static const char MIXED_MSG[] = "不是有效的 UTF-8 编码：文件前面的行是 UTF-8";
static const char NEITHER_MSG[] = "既不是有效的 UTF-8 编码，也不是有效的 GB18030（GBK）编码";

static struct csv_case csv_cases[] = {
	OK("csv_bom", "\xEF\xBB\xBF姓名,年龄\r\n张三,30\r\n", "1[姓名][年龄];2[张三][30];"),
	OK("csv_bom_only", "\xEF\xBB\xBF", ""),
	OK("csv_empty_file", "", ""),
	OK("csv_crlf", "a,b\r\nc,d\r\n", "1[a][b];2[c][d];"),
	OK("csv_lf", "a,b\nc,d\n", "1[a][b];2[c][d];"),
	OK("csv_bare_cr", "a\rb\r", "1[a];2[b];"),
	OK("csv_no_final_newline", "a,b\r\nc,d", "1[a][b];2[c][d];"),
	OK("csv_quoted_comma", "\"a,b\",c\n", "1[a,b][c];"),
	OK("csv_doubled_quotes", "\"say \"\"hi\"\"\",\"\"\"\"\n", "1[say \"hi\"][\"];"),
	OK("csv_quoted_newlines", "\"x\r\ny\",z\n\"p\nq\"\nlast\n",
	   "1[x\r\ny][z];2[p\nq];3[last];"),
	OK("csv_quoted_at_eof", "a,\"b\"", "1[a][b];"),
	OK("csv_empty_lines", "a\n\nb\r\n\r\n\nc", "1[a];2;3[b];4;5;6[c];"),
	OK("csv_empty_trailing_cells", "a,,\n,,\n", "1[a][][];2[][][];"),
	OK("csv_lone_empty_quoted", "\"\"\r\n", "1[];"),
	OK("csv_spaces_kept", " a , b \n", "1[ a ][ b ];"),
	OK("csv_chinese", "姓名,身份证号\n王小明,11010119900307123X\n",
	   "1[姓名][身份证号];2[王小明][11010119900307123X];"),
	OK("csv_emoji_4byte", "😀,€\n", "1[😀][€];"),
	/* GB18030 (GBK): Excel's "CSV" on Chinese Windows */
	OK("csv_gbk", "\xD5\xC5\xC8\xFD,30\n", "1[张三][30];"),
	OK("csv_gbk_header", "\xD0\xD5\xC3\xFB,\xC4\xEA\xC1\xE4\r\n\xD5\xC5\xC8\xFD,30\r\n",
	   "1[姓名][年龄];2[张三][30];"),
	OK("csv_gb18030_four_bytes", "\x94\x39\xFC\x36,\xD5\xC5\n", "1[😀][张];"),
	OK("csv_gbk_after_ascii_rows", "a\nb\n\xD0\xD5\xC3\xFB\n", "1[a];2[b];3[姓名];"),
	OK("csv_gbk_quoted", "\"\xD5\xC5,\xC8\xFD\"\n", "1[张,三];"),
	/* not UTF-8 at its first line: read as GB18030, where C0 AF is a character */
	OK("csv_overlong_utf8", "\xC0\xAF\n", "1[蜡];"),
	BAD("csv_utf8_then_gbk", "姓名\n\xD5\xC5\xC8\xFD\n", "1[姓名];", -VE_INVALID, MIXED_MSG,
	    "第 2 行"),
	BAD("csv_bom_then_gbk", "\xEF\xBB\xBF\xD5\xC5\xC8\xFD\n", "", -VE_INVALID, MIXED_MSG,
	    "第 1 行"),
	BAD("csv_gbk_then_neither", "\xD5\xC5\n\x80\x80\n", "1[张];", -VE_INVALID, NEITHER_MSG,
	    "第 2 行"),
	BAD("csv_gbk_bad_mid_row", "\xD5\xC5\n\xC8\xFD,\xFF\xFF\n", "1[张];", -VE_INVALID,
	    NEITHER_MSG, "第 2 行"),
	BAD("csv_gbk_cut_at_end", "\xD5\xC5\xC8", "", -VE_INVALID, NEITHER_MSG, "第 1 行"),
	{"csv_nul", "a,b\nc\0d\n", 9, "1[a][b];", -VE_INVALID, "NUL", "第 2 行"},
	BAD("csv_unterminated_quote", "a\n\"abc\ndef", "1[a];", -VE_INVALID, "引号未闭合",
	    "第 2 行"),
	BAD("csv_stray_quote", "ab\"c,d\n", "", -VE_INVALID, "引号", "第 1 行"),
	BAD("csv_text_after_quote", "x\n\"a\"b,c\n", "1[x];", -VE_INVALID, "引号", "第 2 行"),
	BAD("csv_row_number_after_quoted_newline", "\"a\nb\nc\"\n\"x\"y\n", "1[a\nb\nc];",
	    -VE_INVALID, "引号", "第 2 行"),
};

static void run_csv_case(void **state)
{
	const struct csv_case *tc = *state;
	struct buf out;
	char err[512] = "";
	buf_init(&out, MIB);
	size_t len = tc->len ? tc->len : strlen(tc->input);
	int rc = read_csv(tc->input, len, &out, err, sizeof(err));
	assert_string_equal(buf_cstr(&out), tc->want);
	assert_int_equal(rc, tc->rc);
	if (tc->msg)
		assert_non_null(strstr(err, tc->msg));
	if (tc->msg2)
		assert_non_null(strstr(err, tc->msg2));
	buf_free(&out);
}

/* Expects reading data to fail with code after rows_before rows, naming the row. */
static void expect_csv_error(const char *data, size_t len, int code, const char *msg)
{
	struct buf out;
	char err[512] = "";
	buf_init(&out, 64 * MIB);
	assert_int_equal(read_csv(data, len, &out, err, sizeof(err)), code);
	assert_non_null(strstr(err, msg));
	buf_free(&out);
}

/* Reads a file of rows "张三,<k>" in GB18030, 12,000 of them (more than one read's worth,
 * so that characters are cut at the reads' ends), after ascii bytes of ASCII rows. */
static void check_gbk_rows(size_t ascii)
{
	struct buf in, out;
	buf_init(&in, 4 * MIB);
	buf_init(&out, 4 * MIB);
	long first = 1;
	for (size_t left = ascii; left > 0; first++) {
		size_t line = left > 1000 ? 1000 : left;
		for (size_t i = 0; i + 1 < line; i++)
			buf_putc(&in, 'x');
		buf_putc(&in, '\n');
		left -= line;
	}
	for (int k = 0; k < 12000; k++)
		buf_printf(&in, "\xD5\xC5\xC8\xFD,%d\n", k);
	FILE *fp = fmemopen(in.data, in.len, "rb");
	struct csv_reader *r = csv_reader_new(fp);
	assert_string_equal(csv_encoding(r), "UTF-8");
	struct sheet_row row;
	char err[256], want[32];
	long n = 0;
	int rc;
	while ((rc = csv_next(r, &row, err, sizeof(err))) == 1) {
		if (row.number < first)
			continue;
		snprintf(want, sizeof(want), "%ld", n++);
		assert_int_equal(row.n, 2);
		assert_string_equal(row.cells[0], "张三");
		assert_string_equal(row.cells[1], want);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(n, 12000);
	assert_string_equal(csv_encoding(r), "GB18030（GBK）");
	csv_reader_free(r);
	fclose(fp);
	buf_free(&in);
	buf_free(&out);
}

static void test_csv_gbk_across_reads(void **state)
{
	(void)state;
	check_gbk_rows(0);
	/* the first character other than ASCII at, or cut by, the end of the first read */
	for (size_t ascii = 65532; ascii <= 65537; ascii++)
		check_gbk_rows(ascii);
}

static void test_csv_encoding_named(void **state)
{
	(void)state;
	static const struct {
		const char *in, *enc;
	} cases[] = {
		{"a,b\n", "UTF-8"},
		{"\xEF\xBB\xBF\xD5\xC5", "UTF-8"},
		{"姓名\n", "UTF-8"},
		{"\xD0\xD5\xC3\xFB\n", "GB18030（GBK）"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		FILE *fp = fmemopen((void *)(uintptr_t)cases[i].in, strlen(cases[i].in), "rb");
		struct csv_reader *r = csv_reader_new(fp);
		struct sheet_row row;
		char err[256];
		while (csv_next(r, &row, err, sizeof(err)) == 1)
			;
		assert_string_equal(csv_encoding(r), cases[i].enc);
		csv_reader_free(r);
		fclose(fp);
	}
}

static void test_csv_cell_limit(void **state)
{
	size_t n = 40 * 1024;
	char *data = malloc(n + 16);
	memcpy(data, "ok\n", 3);
	memset(data + 3, 'x', n);
	memcpy(data + 3 + n, "\n", 1);
	expect_csv_error(data, n + 4, -VE_LIMIT, "第 2 行");
	data[3] = '"';
	expect_csv_error(data, n + 4, -VE_LIMIT, "32 KB");

	/* exactly SHEET_CELL_MAX bytes is fine */
	struct buf out;
	char err[256];
	buf_init(&out, MIB);
	FILE *fp = fmemopen(data + 3, SHEET_CELL_MAX, "rb");
	memset(data + 3, 'y', SHEET_CELL_MAX);
	struct csv_reader *r = csv_reader_new(fp);
	struct sheet_row row;
	assert_int_equal(csv_next(r, &row, err, sizeof(err)), 1);
	assert_int_equal(row.n, 1);
	assert_int_equal(row.lens[0], SHEET_CELL_MAX);
	assert_int_equal(csv_next(r, &row, err, sizeof(err)), 0);
	csv_reader_free(r);
	fclose(fp);
	buf_free(&out);
	free(data);
}

static void test_csv_column_limit(void **state)
{
	struct buf in, out;
	char err[256];
	buf_init(&in, MIB);
	buf_init(&out, MIB);
	for (int i = 0; i < SHEET_COLUMNS_MAX; i++)
		buf_puts(&in, i ? ",c" : "c");
	buf_puts(&in, "\r\n");
	size_t ok_len = in.len;
	for (int i = 0; i < SHEET_COLUMNS_MAX; i++)
		buf_puts(&in, "c,");
	buf_puts(&in, "c\r\n");
	assert_int_equal(read_csv(in.data, ok_len, &out, err, sizeof(err)), 0);
	expect_csv_error(in.data, in.len, -VE_LIMIT, "第 2 行");
	expect_csv_error(in.data, in.len, -VE_LIMIT, "列数");
	buf_free(&in);
	buf_free(&out);
}

static void test_csv_row_limit(void **state)
{
	size_t n = (size_t)SHEET_ROWS_MAX + 1;
	char *data = malloc(n);
	memset(data, '\n', n);
	expect_csv_error(data, n, -VE_LIMIT, "第 2000001 行");

	FILE *fp = fmemopen(data, n - 1, "rb");
	struct csv_reader *r = csv_reader_new(fp);
	struct sheet_row row;
	char err[256];
	long rows = 0;
	while (csv_next(r, &row, err, sizeof(err)) == 1)
		rows++;
	assert_int_equal(rows, SHEET_ROWS_MAX);
	csv_reader_free(r);
	fclose(fp);
	free(data);
}

/* ---- round trips ---- */

static const char *const pieces[] = {
	"a",        "张三", ",",  "\"", "\r\n", "\n", "\r", " ", "x y", "110101199003071234",
	"=SUM(A1)", "😀",    "\t", "'",  "0",    "",
};

static uint32_t next_random(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 16;
}

/* Fills cells[0..*n) with pseudo-random texts glued from pieces (storage in store). */
static void random_row(uint32_t *seed, char store[][64], const char *cells[], size_t *n)
{
	*n = next_random(seed) % 7;
	for (size_t i = 0; i < *n; i++) {
		store[i][0] = '\0';
		size_t parts = next_random(seed) % 5;
		for (size_t k = 0; k < parts; k++)
			strcat(store[i],
			       pieces[next_random(seed) % (sizeof(pieces) / sizeof(*pieces))]);
		cells[i] = store[i];
	}
}

static void test_csv_round_trip(void **state)
{
	enum { ROWS = 500 };
	uint32_t seed = 42;
	char store[8][64];
	const char *cells[8];
	size_t n;
	FILE *fp = tmpfile();
	assert_int_equal(csv_write_bom(fp), 0);
	for (int i = 0; i < ROWS; i++) {
		random_row(&seed, store, cells, &n);
		assert_int_equal(csv_write_row(fp, cells, n), 0);
	}
	rewind(fp);
	seed = 42;
	struct csv_reader *r = csv_reader_new(fp);
	struct sheet_row row;
	char err[256];
	for (int i = 0; i < ROWS; i++) {
		random_row(&seed, store, cells, &n);
		assert_int_equal(csv_next(r, &row, err, sizeof(err)), 1);
		assert_int_equal(row.number, i + 1);
		assert_int_equal(row.n, n);
		for (size_t k = 0; k < n; k++)
			assert_string_equal(row.cells[k], cells[k]);
	}
	assert_int_equal(csv_next(r, &row, err, sizeof(err)), 0);
	csv_reader_free(r);
	fclose(fp);
}

static void test_csv_writer_quoting(void **state)
{
	const char *cells[] = {"plain", "a,b", "say \"hi\"", "l1\nl2", " pad", "pad ", "", "中文"};
	char out[256] = "";
	FILE *fp = fmemopen(out, sizeof(out) - 1, "wb");
	assert_int_equal(csv_write_row(fp, cells, 8), 0);
	assert_int_equal(csv_write_row(fp, NULL, 0), 0);
	const char *lone[] = {""};
	assert_int_equal(csv_write_row(fp, lone, 1), 0);
	fclose(fp);
	assert_string_equal(
		out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"l1\nl2\",\" pad\",\"pad \",,中文\r\n"
		     "\r\n\"\"\r\n");
}

static void test_xlsx_round_trip(void **state)
{
	enum { ROWS = 300 };
	char *path = temp_path(".xlsx");
	char err[512];
	uint32_t seed = 7;
	char store[8][64];
	const char *cells[8];
	size_t n;
	struct xlsx_writer *w = xlsx_writer_open(path, "名单", err, sizeof(err));
	assert_non_null(w);
	const char *first[] = {"姓名", "=HYPERLINK(\"x\")", "+1", "@a", "-2"};
	assert_int_equal(xlsx_write_row(w, first, 5), 0);
	for (int i = 1; i < ROWS; i++) {
		random_row(&seed, store, cells, &n);
		for (size_t k = 0; k < n; k++)
			if (strchr(cells[k], '\r')) /* XML reads a stored CR back as LF */
				cells[k] = "cr";
		assert_int_equal(xlsx_write_row(w, cells, n), 0);
	}
	assert_int_equal(xlsx_writer_close(w, err, sizeof(err)), 0);

	struct xlsx_reader *r = xlsx_reader_open(path, err, sizeof(err));
	assert_non_null(r);
	struct sheet_row row;
	assert_int_equal(xlsx_next(r, &row, err, sizeof(err)), 1);
	assert_int_equal(row.n, 5);
	for (size_t k = 0; k < 5; k++)
		assert_string_equal(row.cells[k], first[k]);
	seed = 7;
	for (int i = 1; i < ROWS; i++) {
		random_row(&seed, store, cells, &n);
		assert_int_equal(xlsx_next(r, &row, err, sizeof(err)), 1);
		assert_int_equal(row.number, i + 1);
		assert_int_equal(row.n, n);
		for (size_t k = 0; k < n; k++)
			assert_string_equal(row.cells[k], strchr(cells[k], '\r') ? "cr" : cells[k]);
	}
	assert_int_equal(xlsx_next(r, &row, err, sizeof(err)), 0);
	xlsx_reader_free(r);
	unlink(path);
	free(path);
}

static void test_xlsx_writer_limits(void **state)
{
	char *path = temp_path(".xlsx");
	char err[512];
	struct xlsx_writer *w = xlsx_writer_open(path, "S", err, sizeof(err));
	assert_non_null(w);
	size_t n = 32768;
	char *big = malloc(n * 3 + 1);
	memset(big, 'x', n);
	big[n] = '\0';
	const char *cells[] = {big};
	assert_int_equal(xlsx_write_row(w, cells, 1), VE_INVALID);
	big[n - 1] = '\0';
	assert_int_equal(xlsx_write_row(w, cells, 1), 0);
	for (size_t i = 0; i < n; i++) /* 32767 characters of 3 bytes each are fine too */
		memcpy(big + i * 3, "中", 3);
	big[(n - 1) * 3] = '\0';
	assert_int_equal(xlsx_write_row(w, cells, 1), 0);
	assert_int_equal(xlsx_writer_close(w, err, sizeof(err)), 0);
	free(big);
	unlink(path);
	free(path);
	assert_null(xlsx_writer_open("/tmp/x.xlsx", "bad[name]", err, sizeof(err)));
	assert_non_null(strstr(err, "工作表名称"));
}

/* ---- hand-made workbooks ---- */

struct part {
	const char *name;
	const char *text;
};

/* Writes a zip holding the parts (NULL-terminated list) at deflate level 6. */
static void make_zip(const char *path, const struct part *parts)
{
	zipFile z = zipOpen64(path, APPEND_STATUS_CREATE);
	assert_non_null(z);
	for (; parts->name; parts++) {
		zip_fileinfo info = {0};
		assert_int_equal(zipOpenNewFileInZip64(z, parts->name, &info, NULL, 0, NULL, 0,
						       NULL, Z_DEFLATED, 6, 0),
				 ZIP_OK);
		assert_int_equal(zipWriteInFileInZip(z, parts->text, (unsigned)strlen(parts->text)),
				 ZIP_OK);
		assert_int_equal(zipCloseFileInZip(z), ZIP_OK);
	}
	assert_int_equal(zipClose(z, NULL), ZIP_OK);
}

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define WORKBOOK                                                                                   \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook " NS                                  \
	" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"        \
	"<sheets><sheet name=\"表\" sheetId=\"1\" r:id=\"rId3\"/>"                                \
	"<sheet name=\"other\" sheetId=\"2\" r:id=\"rId1\"/></sheets></workbook>"
#define RELS                                                                                       \
	"<?xml version=\"1.0\"?><Relationships "                                                   \
	"xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"                  \
	"<Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"        \
	"<Relationship Id=\"rId2\" Type=\"x/sharedStrings\" Target=\"/xl/strings.xml\"/>"          \
	"<Relationship Id=\"rId3\" Type=\"x/worksheet\" Target=\"worksheets/first.xml\"/>"         \
	"</Relationships>"
#define SST                                                                                        \
	"<?xml version=\"1.0\"?><sst " NS " count=\"4\" uniqueCount=\"4\">"                        \
	"<si><t>姓名</t></si>"                                                                   \
	"<si><r><t>张</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">三 </t></r>"            \
	"<rPh sb=\"0\" eb=\"1\"><t>ZHANG</t></rPh></si>"                                           \
	"<si><t>a&amp;b&lt;c_x000D_d</t></si><si/></sst>"
#define SHEET(rows)                                                                                \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet " NS "><dimension ref=\"A1\"/>"      \
	"<sheetData>" rows "</sheetData><mergeCells count=\"0\"/></worksheet>"

struct xlsx_case {
	const char *name;
	const char *sheet; /* xl/worksheets/first.xml, with the workbook, rels and shared strings */
	const char *want;
	int rc; /* 0, -VE_INVALID or -VE_LIMIT from xlsx_next, or -1000 when open fails */
	const char *msg;
};

static struct xlsx_case xlsx_cases[] = {
	{"xlsx_shared_and_inline",
	 SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
	       "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c></row>"
	       "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>内联</t></is></c>"
	       "<c r=\"B2\" t=\"inlineStr\"><is><r><t>富</t></r><r><t>文本</t></r></is></c>"
	       "<c r=\"C2\"><v>3.25</v></c><c r=\"D2\" t=\"n\"><v>44927</v></c>"
	       "<c r=\"E2\" t=\"b\"><v>1</v></c><c r=\"F2\" t=\"b\"><v>0</v></c>"
	       "<c r=\"G2\" t=\"str\"><v>s</v></c><c r=\"H2\" s=\"3\"/></row>"),
	 "1[姓名][张三 ][a&b<c\rd][];2[内联][富文本][3.25][44927][TRUE][FALSE][s][];", 0, NULL},
	{"xlsx_row_and_column_gaps",
	 SHEET("<row r=\"3\"><c r=\"C3\" t=\"inlineStr\"><is><t>c</t></is></c>"
	       "<c r=\"E3\"><v>5</v></c></row><row r=\"4\"/><row r=\"6\" spans=\"1:2\">"
	       "<c r=\"BL6\"><v>64</v></c></row><row><c><v>1</v></c><c><v>2</v></c></row>"),
	 "1;2;3[][][c][][5];4;5;6[][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][]"
	 "[][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][64];7[1][2];",
	 0, NULL},
	{"xlsx_empty_sheet", SHEET(""), "", 0, NULL},
	{"xlsx_formula",
	 SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\">"
	       "<c r=\"A2\"><f>A1+1</f><v>2</v></c></row>"),
	 "1[1];", -VE_INVALID, "第 2 行含有公式，请将公式转为数值后再导入"},
	{"xlsx_shared_formula",
	 SHEET("<row r=\"5\"><c r=\"B5\"><f t=\"shared\" si=\"0\"/></c></row>"), "", -VE_INVALID,
	 "第 5 行含有公式"}, /* refused before the gap rows before it */
	{"xlsx_error_value", SHEET("<row r=\"1\"><c r=\"B1\" t=\"e\"><v>#DIV/0!</v></c></row>"), "",
	 -VE_INVALID, "第 1 行 B 列是错误值 #DIV/0!"},
	{"xlsx_shared_index_out_of_range",
	 SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>4</v></c></row>"), "", -VE_INVALID,
	 "共享字符串"},
	{"xlsx_column_65", SHEET("<row r=\"2\"><c r=\"BM2\"><v>1</v></c></row>"), "", -VE_LIMIT,
	 "第 2 行"},
	{"xlsx_rows_out_of_order", SHEET("<row r=\"5\"/><row r=\"3\"/>"), "1;2;3;4;5;", -VE_INVALID,
	 "行号"},
	{"xlsx_columns_out_of_order",
	 SHEET("<row r=\"1\"><c r=\"C1\"><v>1</v></c><c r=\"A1\"><v>1</v></c></row>"), "",
	 -VE_INVALID, "单元格位置"},
	{"xlsx_bad_bool", SHEET("<row><c t=\"b\"><v>yes</v></c></row>"), "", -VE_INVALID, "布尔"},
	{"xlsx_row_over_limit", SHEET("<row r=\"2000001\"/>"), "", -VE_INVALID, "行号"},
	{"xlsx_broken_xml", SHEET("<row r=\"1\"><c><v>1</v></row>"), "", -VE_INVALID, "XML"},
	{"xlsx_doctype_entities",
	 "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\">"
	 "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
	 "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&c;</t></is></c></row>"
	 "</sheetData></worksheet>",
	 "", -VE_INVALID, "DOCTYPE"},
};

static void run_xlsx_case(void **state)
{
	const struct xlsx_case *tc = *state;
	char *path = temp_path(".xlsx");
	const struct part parts[] = {
		{"[Content_Types].xml", "<Types/>"},
		{"xl/workbook.xml", WORKBOOK},
		{"xl/_rels/workbook.xml.rels", RELS},
		{"xl/strings.xml", SST},
		{"xl/worksheets/sheet1.xml", SHEET("<row><c><v>wrong sheet</v></c></row>")},
		{"xl/worksheets/first.xml", tc->sheet},
		{NULL, NULL},
	};
	make_zip(path, parts);
	struct buf out;
	char err[512] = "";
	buf_init(&out, MIB);
	int rc = read_xlsx(path, &out, err, sizeof(err));
	assert_string_equal(buf_cstr(&out), tc->want);
	assert_int_equal(rc, tc->rc);
	if (tc->msg)
		assert_non_null(strstr(err, tc->msg));
	buf_free(&out);
	unlink(path);
	free(path);
}

/* Reads a workbook made of parts; expects xlsx_reader_open to fail with msg. */
static void expect_open_error(const struct part *parts, const char *msg)
{
	char *path = temp_path(".xlsx");
	char err[512] = "";
	make_zip(path, parts);
	assert_null(xlsx_reader_open(path, err, sizeof(err)));
	assert_non_null(strstr(err, msg));
	unlink(path);
	free(path);
}

static void test_xlsx_fallback_sheet1(void **state)
{
	char *path = temp_path(".xlsx");
	const struct part parts[] = {
		{"xl/worksheets/sheet1.xml",
		 SHEET("<row><c t=\"inlineStr\"><is><t>x</t></is></c></row>")},
		{NULL, NULL},
	};
	make_zip(path, parts);
	struct buf out;
	char err[512] = "";
	buf_init(&out, MIB);
	assert_int_equal(read_xlsx(path, &out, err, sizeof(err)), 0);
	assert_string_equal(buf_cstr(&out), "1[x];");
	buf_free(&out);
	unlink(path);
	free(path);
}

static void test_xlsx_not_a_workbook(void **state)
{
	char *path = temp_path(".xlsx");
	char err[512] = "";
	FILE *fp = fopen(path, "wb");
	fputs("姓名,年龄\r\n张三,30\r\n", fp);
	fclose(fp);
	assert_null(xlsx_reader_open(path, err, sizeof(err)));
	assert_string_equal(err, "文件不是有效的 xlsx 工作簿");
	assert_null(xlsx_reader_open("/nonexistent/x.xlsx", err, sizeof(err)));
	assert_string_equal(err, "文件不是有效的 xlsx 工作簿");
	unlink(path);
	free(path);

	const struct part no_sheet[] = {
		{"[Content_Types].xml", "<Types/>"}, {"xl/workbook.xml", WORKBOOK}, {NULL, NULL}};
	expect_open_error(no_sheet, "找不到工作表");
	const struct part bad_sst[] = {{"xl/sharedStrings.xml", "<sst><si><t>x</si></sst>"},
				       {"xl/worksheets/sheet1.xml", SHEET("")},
				       {NULL, NULL}};
	expect_open_error(bad_sst, "XML");
	const struct part doctype_sst[] = {
		{"xl/sharedStrings.xml", "<!DOCTYPE sst SYSTEM \"http://x/y.dtd\"><sst/>"},
		{"xl/worksheets/sheet1.xml", SHEET("")},
		{NULL, NULL}};
	expect_open_error(doctype_sst, "DOCTYPE");
}

/* Writes a zip whose one worksheet is zeros_mib MiB of zeros at level 9. */
static void make_zero_bomb(const char *path, size_t zeros_mib)
{
	char *zeros = calloc(1, MIB);
	zipFile z = zipOpen64(path, APPEND_STATUS_CREATE);
	zip_fileinfo info = {0};
	assert_int_equal(zipOpenNewFileInZip64(z, "xl/worksheets/sheet1.xml", &info, NULL, 0, NULL,
					       0, NULL, Z_DEFLATED, 9, 1),
			 ZIP_OK);
	for (size_t i = 0; i < zeros_mib; i++)
		assert_int_equal(zipWriteInFileInZip(z, zeros, MIB), ZIP_OK);
	assert_int_equal(zipCloseFileInZip(z), ZIP_OK);
	assert_int_equal(zipClose(z, NULL), ZIP_OK);
	free(zeros);
}

static void test_xlsx_zip_bomb(void **state)
{
	char *path = temp_path(".xlsx");
	char err[512] = "";
	make_zero_bomb(path, 600);
	clock_t start = clock();
	assert_null(xlsx_reader_open(path, err, sizeof(err)));
	assert_non_null(strstr(err, "压缩炸弹"));
	assert_true(clock() - start < CLOCKS_PER_SEC / 10);
	unlink(path);
	free(path);
}

/* Deflates n bytes of c into a raw stream (malloc'd, *out_len bytes). */
static unsigned char *deflate_run(int c, size_t n, size_t *out_len, uLong *crc)
{
	z_stream zs = {0};
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY), Z_OK);
	unsigned char *in = malloc(MIB);
	size_t cap = n / 500 + 4096;
	unsigned char *out = malloc(cap);
	memset(in, c, MIB);
	*crc = crc32(0, Z_NULL, 0);
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	for (size_t done = 0; done < n; done += MIB) {
		size_t chunk = n - done < MIB ? n - done : MIB;
		*crc = crc32(*crc, in, (uInt)chunk);
		zs.next_in = in;
		zs.avail_in = (uInt)chunk;
		assert_int_equal(deflate(&zs, done + chunk == n ? Z_FINISH : Z_NO_FLUSH),
				 done + chunk == n ? Z_STREAM_END : Z_OK);
	}
	*out_len = cap - zs.avail_out;
	deflateEnd(&zs);
	free(in);
	return out;
}

/* An entry whose directory claims under 1 MiB (so no ratio check on the header) while
 * its data inflates to 100 MiB: the reader must stop at the claimed size. */
static void test_xlsx_lying_header(void **state)
{
	char *path = temp_path(".xlsx");
	char err[512] = "";
	size_t len;
	uLong crc;
	unsigned char *raw = deflate_run(' ', 100 * MIB, &len, &crc);
	zipFile z = zipOpen64(path, APPEND_STATUS_CREATE);
	zip_fileinfo info = {0};
	assert_int_equal(zipOpenNewFileInZip2_64(z, "xl/worksheets/sheet1.xml", &info, NULL, 0,
						 NULL, 0, NULL, Z_DEFLATED, 9, 1, 0),
			 ZIP_OK);
	assert_int_equal(zipWriteInFileInZip(z, raw, (unsigned)len), ZIP_OK);
	assert_int_equal(zipCloseFileInZipRaw64(z, 1000 * 1000, crc), ZIP_OK);
	assert_int_equal(zipClose(z, NULL), ZIP_OK);
	free(raw);

	struct buf out;
	buf_init(&out, MIB);
	clock_t start = clock();
	int rc = read_xlsx(path, &out, err, sizeof(err));
	assert_true(rc == -VE_INVALID || rc == -VE_LIMIT || rc == -1000);
	assert_true(clock() - start < CLOCKS_PER_SEC / 2);
	buf_free(&out);
	unlink(path);
	free(path);
}

static void test_xlsx_encrypted(void **state)
{
	char *path = temp_path(".xlsx");
	char err[512] = "";
	const char *text = SHEET("<row><c><v>1</v></c></row>");
	zipFile z = zipOpen64(path, APPEND_STATUS_CREATE);
	zip_fileinfo info = {0};
	uLong crc = crc32(0, (const Bytef *)text, (uInt)strlen(text));
	assert_int_equal(zipOpenNewFileInZip3_64(z, "xl/worksheets/sheet1.xml", &info, NULL, 0,
						 NULL, 0, NULL, Z_DEFLATED, 6, 0, -MAX_WBITS,
						 DEF_MEM_LEVEL, Z_DEFAULT_STRATEGY, "secret", crc,
						 0),
			 ZIP_OK);
	assert_int_equal(zipWriteInFileInZip(z, text, (unsigned)strlen(text)), ZIP_OK);
	assert_int_equal(zipCloseFileInZip(z), ZIP_OK);
	assert_int_equal(zipClose(z, NULL), ZIP_OK);
	assert_null(xlsx_reader_open(path, err, sizeof(err)));
	assert_non_null(strstr(err, "加密"));
	unlink(path);
	free(path);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_csv_gbk_across_reads),
		cmocka_unit_test(test_csv_encoding_named),
		cmocka_unit_test(test_csv_cell_limit),
		cmocka_unit_test(test_csv_column_limit),
		cmocka_unit_test(test_csv_row_limit),
		cmocka_unit_test(test_csv_writer_quoting),
		cmocka_unit_test(test_csv_round_trip),
		cmocka_unit_test(test_xlsx_round_trip),
		cmocka_unit_test(test_xlsx_writer_limits),
		cmocka_unit_test(test_xlsx_fallback_sheet1),
		cmocka_unit_test(test_xlsx_not_a_workbook),
		cmocka_unit_test(test_xlsx_zip_bomb),
		cmocka_unit_test(test_xlsx_lying_header),
		cmocka_unit_test(test_xlsx_encrypted),
	};
	size_t ncsv = sizeof(csv_cases) / sizeof(csv_cases[0]);
	size_t nxlsx = sizeof(xlsx_cases) / sizeof(xlsx_cases[0]);
	size_t nfixed = sizeof(fixed) / sizeof(fixed[0]);
	struct CMUnitTest *tests = calloc(ncsv + nxlsx + nfixed, sizeof(*tests));
	for (size_t i = 0; i < ncsv; i++)
		tests[i] = (struct CMUnitTest){csv_cases[i].name, run_csv_case, NULL, NULL,
					       &csv_cases[i]};
	for (size_t i = 0; i < nxlsx; i++)
		tests[ncsv + i] = (struct CMUnitTest){xlsx_cases[i].name, run_xlsx_case, NULL, NULL,
						      &xlsx_cases[i]};
	memcpy(tests + ncsv + nxlsx, fixed, sizeof(fixed));
	int failed = _cmocka_run_group_tests("sheet", tests, ncsv + nxlsx + nfixed, NULL, NULL);
	free(tests);
	return failed;
}
