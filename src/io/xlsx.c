/* xlsx.c - streaming first-sheet reader (minizip, expat) and writer (libxlsxwriter) of xlsx. */
#include "io/sheet.h"
#include "lib/buf.h"
#include "lib/err.h"
#include "lib/mem.h"
#include "lib/utf8.h"

#include <expat.h>
#include <minizip/unzip.h>
#include <xlsxwriter.h>
#include <zlib.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MIB (1024ull * 1024)

enum {
	ZIP_CHUNK = 64 * 1024,
	RATIO_MAX = 200,
	SST_BYTES_MAX = 64 * 1024 * 1024,
	SST_COUNT_MAX = 2000000,
	ROW_BYTES_MAX = SHEET_COLUMNS_MAX * (SHEET_CELL_MAX + 1),
	PART_NAME_MAX = 256,
	REL_ID_MAX = 64,
	ERR_MAX = 320,
	EXCEL_CELL_CHARS_MAX = 32767,
};

static const unsigned long long ENTRY_MAX = 512 * MIB;
static const unsigned long long RATIO_FLOOR = 1 * MIB;
static const uint32_t SST_OVERSIZE = 0x80000000u; /* marks a shared string over SHEET_CELL_MAX */

static const char NOT_XLSX[] = "文件不是有效的 xlsx 工作簿";

enum cell_type { CELL_NUMBER, CELL_SHARED, CELL_INLINE, CELL_STR, CELL_BOOL, CELL_ERROR };

/* The zip entry being read, with what its central directory claims. */
struct entry {
	const char *name;
	unsigned long long declared;   /* uncompressed size */
	unsigned long long compressed; /* compressed size */
	unsigned long long inflated;   /* bytes actually read so far */
	int open;
};

struct xlsx_reader {
	unzFile zip;
	unsigned long long file_size;
	struct entry ent;
	char chunk[ZIP_CHUNK];
	XML_Parser active; /* the parser whose handlers are running */
	int failed;        /* once set, xlsx_next repeats the saved error */
	char error[ERR_MAX];

	/* workbook.xml and its relationships */
	char sheet_rel[REL_ID_MAX];
	char sheet_part[PART_NAME_MAX];
	char sst_part[PART_NAME_MAX];

	/* shared strings: NUL-terminated texts in sst_text, starting at sst_offs[i] */
	struct buf sst_text;
	uint32_t *sst_offs;
	size_t sst_n, sst_cap;
	int in_si, in_t, in_rph;
	size_t si_start;
	int si_oversize;

	/* the worksheet */
	XML_Parser sheet;
	char sheet_name[PART_NAME_MAX];
	int suspended, final_fed, sheet_done, row_ready;
	int in_sheet_data, in_row, in_cell, in_v;
	enum cell_type type;
	long row_number;  /* of the row being built or ready */
	long last_number; /* of the last row handed out */
	struct buf data;  /* the row's cells, each NUL-terminated */
	size_t n;
	size_t starts[SHEET_COLUMNS_MAX];
	size_t lens[SHEET_COLUMNS_MAX];
	const char *cells[SHEET_COLUMNS_MAX];
};

static int fail(struct xlsx_reader *r, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Records the first error (later ones are consequences) and returns its code. */
static int fail(struct xlsx_reader *r, int code, const char *fmt, ...)
{
	if (!r->failed) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(r->error, sizeof(r->error), fmt, ap);
		va_end(ap);
		r->failed = code;
	}
	return r->failed;
}

/* As fail, from inside an expat handler: also aborts the parse. */
#define fail_xml(r, ...)                                                                           \
	do {                                                                                       \
		fail(r, __VA_ARGS__);                                                              \
		XML_StopParser((r)->active, XML_FALSE);                                            \
	} while (0)

/* ---- zip entries, checked against zip bombs ---- */

/* 1 when inflated bytes from compressed ones pass the size or ratio limits. */
static int too_big(unsigned long long inflated, unsigned long long compressed)
{
	if (inflated > ENTRY_MAX)
		return 1;
	return inflated > RATIO_FLOOR && inflated / RATIO_MAX > compressed;
}

/* Opens the named entry. 0, VE_NOTFOUND when absent (no error recorded), or an error. */
static int entry_open(struct xlsx_reader *r, const char *name)
{
	unz_file_info64 info;
	if (unzLocateFile(r->zip, name, 1) != UNZ_OK)
		return VE_NOTFOUND;
	if (unzGetCurrentFileInfo64(r->zip, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK)
		return fail(r, VE_INVALID, "%s", NOT_XLSX);
	if (info.flag & 1)
		return fail(r, VE_INVALID, "工作簿已加密，请取消密码保护后再导入");
	if (info.compression_method != 0 && info.compression_method != Z_DEFLATED)
		return fail(r, VE_INVALID, "%s（不支持的压缩方式）", NOT_XLSX);
	if (info.compressed_size > r->file_size ||
	    too_big(info.uncompressed_size, info.compressed_size))
		return fail(r, VE_LIMIT, "工作簿中的 %s 解压后过大（可能是压缩炸弹），拒绝导入",
			    name);
	if (unzOpenCurrentFile(r->zip) != UNZ_OK)
		return fail(r, VE_INVALID, "%s（无法读取 %s）", NOT_XLSX, name);
	r->ent = (struct entry){name, info.uncompressed_size, info.compressed_size, 0, 1};
	return 0;
}

/* Reads up to ZIP_CHUNK inflated bytes into r->chunk, counting them against the
 * limits (the central directory may lie). The count, 0 at the end, or -1 on error. */
static int entry_read(struct xlsx_reader *r)
{
	int got = unzReadCurrentFile(r->zip, r->chunk, sizeof(r->chunk));
	if (got < 0) {
		fail(r, VE_INVALID, "工作簿已损坏（%s 解压失败）", r->ent.name);
		return -1;
	}
	r->ent.inflated += (unsigned long long)got;
	if (r->ent.inflated > r->ent.declared || too_big(r->ent.inflated, r->ent.compressed)) {
		fail(r, VE_LIMIT, "工作簿中的 %s 解压后过大（可能是压缩炸弹），拒绝导入",
		     r->ent.name);
		return -1;
	}
	return got;
}

/* Closes the open entry; refuses a checksum mismatch when it was read to the end. */
static int entry_close(struct xlsx_reader *r)
{
	if (!r->ent.open)
		return 0;
	r->ent.open = 0;
	if (unzCloseCurrentFile(r->zip) == UNZ_CRCERROR)
		return fail(r, VE_INVALID, "工作簿已损坏（%s 校验和不符）", r->ent.name);
	return 0;
}

/* ---- XML plumbing ---- */

static const char *local_name(const char *name)
{
	const char *colon = strrchr(name, ':');
	return colon ? colon + 1 : name;
}

/* The value of the attribute whose local name is want (prefixed only when
 * prefixed is set), or NULL. */
static const char *attr(const XML_Char **atts, const char *want, int prefixed)
{
	for (size_t i = 0; atts[i] && atts[i + 1]; i += 2) {
		int has_prefix = strchr(atts[i], ':') != NULL;
		if (has_prefix == prefixed && strcmp(local_name(atts[i]), want) == 0)
			return atts[i + 1];
	}
	return NULL;
}

static void XMLCALL refuse_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
				   const XML_Char *pubid, int has_internal_subset)
{
	struct xlsx_reader *r = ud;
	fail_xml(r, VE_INVALID, "%s（含有 DOCTYPE 声明，拒绝导入）", NOT_XLSX);
}

static void XMLCALL refuse_entity(void *ud, const XML_Char *name, int is_param,
				  const XML_Char *value, int value_len, const XML_Char *base,
				  const XML_Char *sysid, const XML_Char *pubid,
				  const XML_Char *notation)
{
	struct xlsx_reader *r = ud;
	fail_xml(r, VE_INVALID, "%s（含有实体声明，拒绝导入）", NOT_XLSX);
}

/* A parser with r as user data that refuses DOCTYPEs and entity declarations. */
static XML_Parser parser_new(struct xlsx_reader *r, XML_StartElementHandler start,
			     XML_EndElementHandler end, XML_CharacterDataHandler text)
{
	XML_Parser p = XML_ParserCreate(NULL);
	if (!p)
		abort();
	XML_SetUserData(p, r);
	XML_SetElementHandler(p, start, end);
	XML_SetCharacterDataHandler(p, text);
	XML_SetStartDoctypeDeclHandler(p, refuse_doctype);
	XML_SetEntityDeclHandler(p, refuse_entity);
	return p;
}

/* Records expat's error for the part (unless a handler recorded one) and returns it. */
static int xml_failed(struct xlsx_reader *r, XML_Parser p, const char *part)
{
	return fail(r, VE_INVALID, "%s（%s 不是有效的 XML：第 %lu 行，%s）", NOT_XLSX, part,
		    (unsigned long)XML_GetCurrentLineNumber(p),
		    XML_ErrorString(XML_GetErrorCode(p)));
}

/* Parses a whole part with p. 0, VE_NOTFOUND when the part is absent, or an error. */
static int parse_part(struct xlsx_reader *r, const char *name, XML_Parser p)
{
	int rc = entry_open(r, name);
	if (rc)
		return rc;
	r->active = p;
	for (;;) {
		int got = entry_read(r);
		if (got < 0)
			return r->failed;
		if (XML_Parse(p, r->chunk, got, got == 0) != XML_STATUS_OK)
			return xml_failed(r, p, name);
		if (got == 0)
			break;
	}
	return entry_close(r);
}

/* ---- workbook.xml and its relationships: where the first sheet lives ---- */

static void XMLCALL workbook_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_reader *r = ud;
	if (r->sheet_rel[0] || strcmp(local_name(name), "sheet") != 0)
		return;
	const char *id = attr(atts, "id", 1);
	if (id && strlen(id) < sizeof(r->sheet_rel))
		strcpy(r->sheet_rel, id);
}

/* Sets part to the zip name of a relationship target relative to xl/. */
static void set_part(char *part, const char *target)
{
	int n = target[0] == '/' ? snprintf(part, PART_NAME_MAX, "%s", target + 1)
				 : snprintf(part, PART_NAME_MAX, "xl/%s", target);
	if (n < 0 || n >= PART_NAME_MAX)
		part[0] = '\0';
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_reader *r = ud;
	if (strcmp(local_name(name), "Relationship") != 0)
		return;
	const char *id = attr(atts, "Id", 0), *target = attr(atts, "Target", 0);
	const char *type = attr(atts, "Type", 0);
	if (!id || !target)
		return;
	if (r->sheet_rel[0] && !r->sheet_part[0] && strcmp(id, r->sheet_rel) == 0)
		set_part(r->sheet_part, target);
	if (type && ends_with(type, "/sharedStrings") && !r->sst_part[0])
		set_part(r->sst_part, target);
}

static void XMLCALL ignore_end(void *ud, const XML_Char *name)
{
}

static void XMLCALL ignore_text(void *ud, const XML_Char *s, int len)
{
}

/* Fills sheet_part and sst_part from the workbook, with the usual names as fallbacks. */
static int find_parts(struct xlsx_reader *r)
{
	XML_Parser p = parser_new(r, workbook_start, ignore_end, ignore_text);
	int rc = parse_part(r, "xl/workbook.xml", p);
	XML_ParserFree(p);
	if (rc && rc != VE_NOTFOUND)
		return rc;
	p = parser_new(r, rels_start, ignore_end, ignore_text);
	rc = parse_part(r, "xl/_rels/workbook.xml.rels", p);
	XML_ParserFree(p);
	if (rc && rc != VE_NOTFOUND)
		return rc;
	if (!r->sst_part[0])
		strcpy(r->sst_part, "xl/sharedStrings.xml");
	return 0;
}

/* ---- text fixes shared by shared strings and cells ---- */

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The code point of an OOXML escape "_xHHHH_" at s (n bytes available), or -1. */
static long escape_at(const char *s, size_t n)
{
	if (n < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_')
		return -1;
	long cp = 0;
	for (int i = 2; i < 6; i++) {
		int h = hex_value(s[i]);
		if (h < 0)
			return -1;
		cp = cp * 16 + h;
	}
	if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	return cp;
}

static size_t put_utf8(char *out, long cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	out[0] = (char)(0xE0 | (cp >> 12));
	out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[2] = (char)(0x80 | (cp & 0x3F));
	return 3;
}

/* Decodes Excel's "_xHHHH_" escapes (e.g. _x000D_ for CR) in place in b from
 * offset start on. The text only shrinks. */
static void unescape_from(struct buf *b, size_t start)
{
	if (!b->data || !memchr(b->data + start, '_', b->len - start))
		return;
	size_t out = start;
	for (size_t in = start; in < b->len;) {
		long cp = escape_at(b->data + in, b->len - in);
		if (cp < 0) {
			b->data[out++] = b->data[in++];
			continue;
		}
		out += put_utf8(b->data + out, cp);
		in += 7;
	}
	b->len = out;
	b->data[out] = '\0';
}

static void truncate_buf(struct buf *b, size_t len)
{
	b->len = len;
	if (b->data)
		b->data[len] = '\0';
}

/* ---- shared strings ---- */

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_reader *r = ud;
	const char *local = local_name(name);
	if (strcmp(local, "si") == 0) {
		if (r->sst_n >= SST_COUNT_MAX)
			fail_xml(r, VE_LIMIT, "共享字符串超过 %d 个，拒绝导入", SST_COUNT_MAX);
		r->in_si = 1;
		r->in_rph = 0;
		r->si_oversize = 0;
		r->si_start = r->sst_text.len;
	} else if (r->in_si && strcmp(local, "rPh") == 0) {
		r->in_rph++;
	} else if (r->in_si && strcmp(local, "t") == 0) {
		r->in_t = 1;
	}
}

static void sst_push(struct xlsx_reader *r)
{
	uint32_t off = (uint32_t)r->si_start;
	if (r->failed)
		return;
	if (r->si_oversize) {
		truncate_buf(&r->sst_text, r->si_start);
		off |= SST_OVERSIZE;
	} else {
		unescape_from(&r->sst_text, r->si_start);
	}
	if (buf_putc(&r->sst_text, '\0') < 0) {
		fail_xml(r, VE_LIMIT, "共享字符串总量超过 64 MB，拒绝导入");
		return;
	}
	if (r->sst_n == r->sst_cap) {
		r->sst_cap = r->sst_cap ? r->sst_cap * 2 : 1024;
		r->sst_offs = xrealloc(r->sst_offs, r->sst_cap * sizeof(*r->sst_offs));
	}
	r->sst_offs[r->sst_n++] = off;
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
	struct xlsx_reader *r = ud;
	const char *local = local_name(name);
	if (strcmp(local, "si") == 0 && r->in_si) {
		r->in_si = 0;
		sst_push(r);
	} else if (strcmp(local, "rPh") == 0 && r->in_rph > 0) {
		r->in_rph--;
	} else if (strcmp(local, "t") == 0) {
		r->in_t = 0;
	}
}

static void XMLCALL sst_text(void *ud, const XML_Char *s, int len)
{
	struct xlsx_reader *r = ud;
	if (!r->in_si || !r->in_t || r->in_rph || r->si_oversize)
		return;
	if (r->sst_text.len - r->si_start + (size_t)len > SHEET_CELL_MAX * 2) {
		r->si_oversize = 1; /* escapes may shrink it: decided exactly in sst_push */
		return;
	}
	if (buf_append(&r->sst_text, s, (size_t)len) < 0)
		fail_xml(r, VE_LIMIT, "共享字符串总量超过 64 MB，拒绝导入");
}

static int read_shared_strings(struct xlsx_reader *r)
{
	buf_init(&r->sst_text, (size_t)SST_BYTES_MAX + SST_COUNT_MAX);
	XML_Parser p = parser_new(r, sst_start, sst_end, sst_text);
	int rc = parse_part(r, r->sst_part, p);
	XML_ParserFree(p);
	return rc == VE_NOTFOUND ? 0 : rc;
}

/* The shared string at index i: its text, or NULL when it is over SHEET_CELL_MAX. */
static const char *sst_get(const struct xlsx_reader *r, size_t i, size_t *len)
{
	uint32_t off = r->sst_offs[i];
	if (off & SST_OVERSIZE)
		return NULL;
	const char *s = r->sst_text.data + off;
	*len = strlen(s);
	return *len > SHEET_CELL_MAX ? NULL : s;
}

/* ---- the worksheet ---- */

/* Writes the spreadsheet name of 0-based column col ("A", "AB"). */
static const char *column_name(size_t col, char out[8])
{
	char tmp[8];
	size_t n = 0;
	for (col++; col > 0 && n < sizeof(tmp) - 1; col = (col - 1) / 26)
		tmp[n++] = (char)('A' + (col - 1) % 26);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
	return out;
}

/* The 0-based column of a cell reference like "C7", or -1 when it has no letters. */
static long column_of(const char *ref)
{
	long col = 0;
	size_t i = 0;
	for (; ref[i] >= 'A' && ref[i] <= 'Z'; i++) {
		col = col * 26 + (ref[i] - 'A' + 1);
		if (col > SHEET_COLUMNS_MAX * 100)
			return SHEET_COLUMNS_MAX * 100;
	}
	return i == 0 ? -1 : col - 1;
}

/* Parses a positive decimal below limit; -1 when s is not one. */
static long parse_count(const char *s, size_t len, long limit)
{
	long v = 0;
	if (len == 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
		if (v >= limit)
			return -1;
	}
	return v;
}

/* Closes the current cell after checking its encoding; starts the next one. */
static void cell_end(struct xlsx_reader *r)
{
	size_t start = r->starts[r->n];
	size_t len = r->data.len - start;
	char col[8];
	if (len > SHEET_CELL_MAX) {
		fail_xml(r, VE_LIMIT, "第 %ld 行 %s 列：单元格内容超过 32 KB", r->row_number,
			 column_name(r->n, col));
		return;
	}
	if (len > 0 && !utf8_valid(r->data.data + start, len)) {
		fail_xml(r, VE_INVALID, "第 %ld 行 %s 列：含有无效的字符", r->row_number,
			 column_name(r->n, col));
		return;
	}
	if (buf_putc(&r->data, '\0') < 0) {
		fail_xml(r, VE_LIMIT, "第 %ld 行内容过长", r->row_number);
		return;
	}
	r->lens[r->n++] = len;
	if (r->n < SHEET_COLUMNS_MAX)
		r->starts[r->n] = r->data.len;
}

static void row_start(struct xlsx_reader *r, const XML_Char **atts)
{
	const char *num = attr(atts, "r", 0);
	long number = r->row_number + 1;
	if (num) {
		number = parse_count(num, strlen(num), (long)SHEET_ROWS_MAX + 1);
		if (number <= r->row_number) {
			fail_xml(r, VE_INVALID, "%s（第 %ld 行之后的行号“%s”无效）", NOT_XLSX,
				 r->row_number, num);
			return;
		}
	}
	if (number > SHEET_ROWS_MAX) {
		fail_xml(r, VE_LIMIT, "行数超过上限（最多 %d 行）", SHEET_ROWS_MAX);
		return;
	}
	r->row_number = number;
	r->in_row = 1;
	r->n = 0;
	r->starts[0] = 0;
	truncate_buf(&r->data, 0);
}

static int type_of(const char *t, enum cell_type *type)
{
	static const struct {
		const char *name;
		enum cell_type type;
	} types[] = {{"n", CELL_NUMBER}, {"s", CELL_SHARED}, {"inlineStr", CELL_INLINE},
		     {"str", CELL_STR},  {"b", CELL_BOOL},   {"e", CELL_ERROR},
		     {"d", CELL_STR}};
	if (!t) {
		*type = CELL_NUMBER;
		return 0;
	}
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strcmp(t, types[i].name) == 0) {
			*type = types[i].type;
			return 0;
		}
	}
	return -1;
}

static void cell_start(struct xlsx_reader *r, const XML_Char **atts)
{
	const char *ref = attr(atts, "r", 0);
	long col = ref ? column_of(ref) : (long)r->n;
	char name[8];
	if (col < (long)r->n) {
		fail_xml(r, VE_INVALID, "%s（第 %ld 行的单元格位置“%s”无效）", NOT_XLSX,
			 r->row_number, ref ? ref : "");
		return;
	}
	if (col >= SHEET_COLUMNS_MAX) {
		fail_xml(r, VE_LIMIT, "第 %ld 行：列数超过上限（最多 %d 列，即到 %s 列）",
			 r->row_number, SHEET_COLUMNS_MAX,
			 column_name(SHEET_COLUMNS_MAX - 1, name));
		return;
	}
	if (type_of(attr(atts, "t", 0), &r->type) < 0) {
		fail_xml(r, VE_INVALID, "%s（第 %ld 行的单元格类型无效）", NOT_XLSX, r->row_number);
		return;
	}
	while ((long)r->n < col && !r->failed)
		cell_end(r);
	r->in_cell = 1;
}

/* Replaces the current cell's text (from start on) with s. */
static void cell_replace(struct xlsx_reader *r, size_t start, const char *s, size_t len)
{
	truncate_buf(&r->data, start);
	if (buf_append(&r->data, s, len) < 0)
		fail_xml(r, VE_LIMIT, "第 %ld 行内容过长", r->row_number);
}

static void cell_shared(struct xlsx_reader *r, size_t start, size_t len)
{
	long i = parse_count(r->data.data + start, len, (long)r->sst_n);
	size_t slen = 0;
	char col[8];
	if (i < 0) {
		fail_xml(r, VE_INVALID, "%s（第 %ld 行 %s 列引用了不存在的共享字符串）", NOT_XLSX,
			 r->row_number, column_name(r->n, col));
		return;
	}
	const char *s = sst_get(r, (size_t)i, &slen);
	if (!s) {
		fail_xml(r, VE_LIMIT, "第 %ld 行 %s 列：单元格内容超过 32 KB", r->row_number,
			 column_name(r->n, col));
		return;
	}
	cell_replace(r, start, s, slen);
}

/* Turns the collected <v> or <t> text of the cell into its value. */
static void cell_finish(struct xlsx_reader *r)
{
	size_t start = r->starts[r->n];
	size_t len = r->data.len - start;
	const char *v = r->data.data ? r->data.data + start : "";
	char col[8];
	if (len > 0 && r->type == CELL_SHARED)
		cell_shared(r, start, len);
	else if (len > 0 && r->type == CELL_BOOL && (strcmp(v, "0") == 0 || strcmp(v, "1") == 0))
		cell_replace(r, start, v[0] == '1' ? "TRUE" : "FALSE", v[0] == '1' ? 4 : 5);
	else if (len > 0 && r->type == CELL_BOOL)
		fail_xml(r, VE_INVALID, "%s（第 %ld 行 %s 列的布尔值无效）", NOT_XLSX,
			 r->row_number, column_name(r->n, col));
	else if (len > 0 && r->type == CELL_ERROR)
		fail_xml(r, VE_INVALID, "第 %ld 行 %s 列是错误值 %.32s，请修正后再导入",
			 r->row_number, column_name(r->n, col), v);
	else if (r->type == CELL_INLINE || r->type == CELL_STR)
		unescape_from(&r->data, start);
	if (!r->failed)
		cell_end(r);
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_reader *r = ud;
	const char *local = local_name(name);
	if (strcmp(local, "sheetData") == 0) {
		r->in_sheet_data = 1;
	} else if (r->in_sheet_data && !r->in_row && strcmp(local, "row") == 0) {
		row_start(r, atts);
	} else if (r->in_row && !r->in_cell && strcmp(local, "c") == 0) {
		cell_start(r, atts);
	} else if (r->in_cell && strcmp(local, "f") == 0) {
		fail_xml(r, VE_INVALID, "第 %ld 行含有公式，请将公式转为数值后再导入",
			 r->row_number);
	} else if (r->in_cell && strcmp(local, "rPh") == 0) {
		r->in_rph++;
	} else if (r->in_cell && (strcmp(local, "v") == 0 || strcmp(local, "t") == 0)) {
		r->in_v = 1;
	}
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
	struct xlsx_reader *r = ud;
	const char *local = local_name(name);
	if (r->in_cell && (strcmp(local, "v") == 0 || strcmp(local, "t") == 0)) {
		r->in_v = 0;
	} else if (r->in_cell && strcmp(local, "rPh") == 0 && r->in_rph > 0) {
		r->in_rph--;
	} else if (r->in_cell && strcmp(local, "c") == 0) {
		r->in_cell = 0;
		r->in_v = 0;
		r->in_rph = 0;
		cell_finish(r);
	} else if (r->in_row && strcmp(local, "row") == 0) {
		r->in_row = 0;
		r->row_ready = 1;
		XML_StopParser(r->active, XML_TRUE);
	} else if (strcmp(local, "sheetData") == 0) {
		r->in_sheet_data = 0;
	}
}

static void XMLCALL sheet_text(void *ud, const XML_Char *s, int len)
{
	struct xlsx_reader *r = ud;
	if (!r->in_v || r->in_rph || r->failed)
		return;
	if (r->data.len - r->starts[r->n] + (size_t)len > SHEET_CELL_MAX * 2) {
		char col[8];
		fail_xml(r, VE_LIMIT, "第 %ld 行 %s 列：单元格内容超过 32 KB", r->row_number,
			 column_name(r->n, col));
		return;
	}
	if (buf_append(&r->data, s, (size_t)len) < 0)
		fail_xml(r, VE_LIMIT, "第 %ld 行内容过长", r->row_number);
}

/* Opens the worksheet part, trying the workbook's first sheet then sheet1.xml. */
static int open_sheet(struct xlsx_reader *r)
{
	int rc = VE_NOTFOUND;
	if (r->sheet_part[0]) {
		snprintf(r->sheet_name, sizeof(r->sheet_name), "%s", r->sheet_part);
		rc = entry_open(r, r->sheet_name);
	}
	if (rc == VE_NOTFOUND) {
		snprintf(r->sheet_name, sizeof(r->sheet_name), "xl/worksheets/sheet1.xml");
		rc = entry_open(r, r->sheet_name);
	}
	if (rc == VE_NOTFOUND)
		return fail(r, VE_INVALID, "%s（找不到工作表）", NOT_XLSX);
	if (rc)
		return rc;
	r->sheet = parser_new(r, sheet_start, sheet_end, sheet_text);
	r->active = r->sheet;
	return 0;
}

static unsigned long long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && st.st_size > 0 ? (unsigned long long)st.st_size : 0;
}

struct xlsx_reader *xlsx_reader_open(const char *path, char *err, size_t errlen)
{
	struct xlsx_reader *r = xcalloc(1, sizeof(*r));
	buf_init(&r->data, ROW_BYTES_MAX);
	buf_init(&r->sst_text, 0);
	r->file_size = file_size(path);
	r->zip = unzOpen64(path);
	if (!r->zip) {
		fail(r, VE_INVALID, "%s", NOT_XLSX);
		goto out;
	}
	if (find_parts(r) || read_shared_strings(r) || open_sheet(r))
		goto out;
	return r;
out:
	err_set(err, errlen, r->failed, "%s", r->error);
	xlsx_reader_free(r);
	return NULL;
}

/* Runs the worksheet parser until a row is complete. 1 with a row, 0 at the end, or an error. */
static int pump(struct xlsx_reader *r)
{
	while (!r->row_ready) {
		enum XML_Status st;
		if (r->sheet_done)
			return 0;
		if (r->suspended) {
			r->suspended = 0;
			st = XML_ResumeParser(r->sheet);
		} else {
			int got = entry_read(r);
			if (got < 0)
				return r->failed;
			r->final_fed = got == 0;
			st = XML_Parse(r->sheet, r->chunk, got, r->final_fed);
		}
		if (st == XML_STATUS_ERROR)
			return xml_failed(r, r->sheet, r->sheet_name);
		if (st == XML_STATUS_SUSPENDED)
			r->suspended = 1;
		else if (r->final_fed)
			r->sheet_done = 1;
	}
	r->row_ready = 0;
	return 1;
}

int xlsx_next(struct xlsx_reader *r, struct sheet_row *row, char *err, size_t errlen)
{
	if (r->failed)
		goto out;
	if (r->row_number <= r->last_number) {
		int rc = pump(r);
		if (rc == 0 && entry_close(r) == 0)
			return 0;
		if (r->failed)
			goto out;
	}
	row->cells = r->cells;
	row->lens = r->lens;
	row->number = ++r->last_number;
	row->n = 0;
	if (r->last_number < r->row_number)
		return 1; /* a row missing from the sheet */
	for (size_t i = 0; i < r->n; i++)
		r->cells[i] = r->data.data + r->starts[i];
	row->n = r->n;
	return 1;
out:
	return -err_set(err, errlen, r->failed, "%s", r->error);
}

void xlsx_reader_free(struct xlsx_reader *r)
{
	if (!r)
		return;
	if (r->sheet)
		XML_ParserFree(r->sheet);
	if (r->zip) {
		if (r->ent.open)
			unzCloseCurrentFile(r->zip);
		unzClose(r->zip);
	}
	buf_free(&r->data);
	buf_free(&r->sst_text);
	free(r->sst_offs);
	free(r);
}

/* ---- writer ---- */

struct xlsx_writer {
	lxw_workbook *book;
	lxw_worksheet *sheet;
	lxw_format *blank;
	lxw_format *text; /* "@": what is typed stays text */
	lxw_row_t row;
};

struct xlsx_writer *xlsx_writer_open(const char *path, const char *sheet_name, char *err,
				     size_t errlen)
{
	lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
	lxw_workbook *book = workbook_new_opt(path, &opts);
	if (!book) {
		err_set(err, errlen, VE_IO, "无法创建 xlsx 文件");
		return NULL;
	}
	lxw_worksheet *sheet = workbook_add_worksheet(book, sheet_name);
	if (!sheet) {
		lxw_workbook_free(book);
		err_set(err, errlen, VE_INVALID, "工作表名称“%s”无效",
			sheet_name ? sheet_name : "");
		return NULL;
	}
	struct xlsx_writer *w = xcalloc(1, sizeof(*w));
	w->book = book;
	w->sheet = sheet;
	w->blank = workbook_add_format(book);
	return w;
}

/* Writes one cell as a string; an empty one as a blank cell, so that it keeps its place. */
static int write_cell(struct xlsx_writer *w, lxw_col_t col, const char *s)
{
	size_t len = s ? strlen(s) : 0;
	if (len == 0)
		return worksheet_write_blank(w->sheet, w->row, col, w->blank) ? VE_IO : 0;
	if (!utf8_valid(s, len) || utf8_count(s, len) > EXCEL_CELL_CHARS_MAX)
		return VE_INVALID;
	return worksheet_write_string(w->sheet, w->row, col, s, NULL) ? VE_IO : 0;
}

int xlsx_write_row(struct xlsx_writer *w, const char *const *cells, size_t n)
{
	if (w->row >= LXW_ROW_MAX || n > LXW_COL_MAX)
		return VE_LIMIT;
	for (size_t i = 0; i < n; i++) {
		int rc = write_cell(w, (lxw_col_t)i, cells[i]);
		if (rc)
			return rc;
	}
	w->row++;
	return 0;
}

int xlsx_writer_column(struct xlsx_writer *w, int col, double width, int text)
{
	lxw_format *format = NULL;
	if (text) {
		if (!w->text) {
			w->text = workbook_add_format(w->book);
			format_set_num_format(w->text, "@");
		}
		format = w->text;
	}
	return worksheet_set_column(w->sheet, (lxw_col_t)col, (lxw_col_t)col, width, format)
		       ? VE_INVALID
		       : 0;
}

int xlsx_writer_add_sheet(struct xlsx_writer *w, const char *sheet_name, char *err, size_t errlen)
{
	lxw_worksheet *sheet = workbook_add_worksheet(w->book, sheet_name);
	if (!sheet)
		return err_set(err, errlen, VE_INVALID, "工作表名称“%s”无效", sheet_name);
	w->sheet = sheet;
	w->row = 0;
	return 0;
}

int xlsx_writer_close(struct xlsx_writer *w, char *err, size_t errlen)
{
	lxw_error rc = workbook_close(w->book);
	free(w);
	if (rc != LXW_NO_ERROR)
		return err_set(err, errlen, VE_IO, "写入 xlsx 文件失败：%s", lxw_strerror(rc));
	return 0;
}
