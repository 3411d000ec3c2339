/* csv.c - streaming RFC 4180 CSV reader and writer for the registry's import and export.
 *
 * The reader takes UTF-8 (with or without BOM) and GB18030, the superset of GBK that
 * Excel on Chinese Windows saves "CSV" in. Which one is decided once, by the first line
 * holding a byte outside ASCII (in an import, the header: its column names are Chinese):
 * valid UTF-8 there makes the file UTF-8, anything else GB18030, decoded by iconv as it
 * is read. A later line that is not text in that encoding is refused with its row
 * number: a file mixing both is never read as garbled text. */
#include "io/sheet.h"
#include "lib/buf.h"
#include "lib/err.h"
#include "lib/mem.h"
#include "lib/utf8.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

enum {
	READ_CHUNK = 64 * 1024,
	/* GB18030 to UTF-8 grows at most by half (2 bytes to 3): a raw chunk always fits */
	DECODED_MAX = 2 * READ_CHUNK,
	/* every cell of a full row, each followed by its NUL */
	ROW_BYTES_MAX = SHEET_COLUMNS_MAX * (SHEET_CELL_MAX + 1),
	ERR_MAX = 256,
};

enum field_state {
	FIELD_START, /* nothing of the current field read yet */
	UNQUOTED,    /* inside a field that did not start with a quote */
	QUOTED,      /* inside a quoted field */
	QUOTE_SEEN,  /* a quote inside a quoted field: closing, or the first of a pair */
	AFTER_CLOSE, /* a quoted field closed: only a comma or a line end may follow */
};

enum text_encoding {
	ENC_ASCII,   /* nothing outside ASCII read yet: either encoding reads it alike */
	ENC_UTF8,
	ENC_GB18030,
};

struct csv_reader {
	FILE *fp;
	unsigned char raw[READ_CHUNK]; /* bytes read, not yet decoded (a cut sequence) */
	size_t raw_len;
	unsigned char chunk[DECODED_MAX]; /* decoded UTF-8 */
	size_t pos, len;
	int eof;
	int bom_checked;
	enum text_encoding enc;
	iconv_t cd;      /* GB18030 to UTF-8, once decided */
	int undecodable; /* the bytes after the decoded ones are not text in enc */
	int skip_lf; /* the last record ended in CR: a following LF belongs to it */
	long number; /* the current record's row number */
	int failed;  /* once set, csv_next repeats the saved error */
	char error[ERR_MAX];
	struct buf data; /* the row's cells, each NUL-terminated */
	size_t n;
	size_t starts[SHEET_COLUMNS_MAX];
	size_t lens[SHEET_COLUMNS_MAX];
	const char *cells[SHEET_COLUMNS_MAX];
};

struct csv_reader *csv_reader_new(FILE *fp)
{
	struct csv_reader *r = xcalloc(1, sizeof(*r));
	r->fp = fp;
	r->cd = (iconv_t)-1;
	buf_init(&r->data, ROW_BYTES_MAX);
	return r;
}

const char *csv_encoding(const struct csv_reader *r)
{
	return r->enc == ENC_GB18030 ? "GB18030（GBK）" : "UTF-8";
}

void csv_reader_free(struct csv_reader *r)
{
	if (!r)
		return;
	buf_free(&r->data);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	free(r);
}

/* The length of p[0..n) without an incomplete UTF-8 sequence at its end. */
static size_t utf8_whole(const unsigned char *p, size_t n)
{
	for (size_t back = 1; back <= 3 && back <= n; back++) {
		unsigned char c = p[n - back];
		if ((c & 0xC0) == 0x80)
			continue; /* a continuation byte: look further back */
		size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		return need > back ? n - back : n;
	}
	return n;
}

/* Decides the encoding from the first line of raw that holds a byte outside ASCII:
 * UTF-8 when that line is valid UTF-8 (a sequence cut by the chunk's end is judged
 * by the bytes there), else GB18030. Stays ENC_ASCII while there is no such byte. */
static void decide(struct csv_reader *r)
{
	const unsigned char *p = r->raw;
	size_t n = r->raw_len, i = 0;
	while (i < n && p[i] < 0x80)
		i++;
	if (i == n)
		return;
	size_t j = i;
	while (j < n && p[j] != '\n' && p[j] != '\r')
		j++;
	size_t whole = j == n && !r->eof ? utf8_whole(p + i, j - i) : j - i;
	if (whole == 0)
		return; /* only the start of a character so far: decided on the next read */
	if (utf8_valid((const char *)p + i, whole)) {
		r->enc = ENC_UTF8;
		return;
	}
	r->enc = ENC_GB18030;
	r->cd = iconv_open("UTF-8", "GB18030");
}

/* Decodes r->raw into r->chunk (empty before), keeping a sequence cut by the end of
 * raw for the next read. 0, or -1 when the bytes after those decoded are not text. */
static int decode(struct csv_reader *r)
{
	if (r->enc != ENC_GB18030) {
		/* undecided: only the ASCII before the first other byte */
		size_t n = 0;
		if (r->enc == ENC_UTF8)
			n = r->raw_len;
		else
			while (n < r->raw_len && r->raw[n] < 0x80)
				n++;
		memcpy(r->chunk, r->raw, n);
		memmove(r->raw, r->raw + n, r->raw_len - n);
		r->len = n;
		r->raw_len -= n;
		return 0;
	}
	if (r->cd == (iconv_t)-1)
		return -1;
	char *in = (char *)r->raw, *out = (char *)r->chunk;
	size_t in_left = r->raw_len, out_left = sizeof(r->chunk);
	size_t rc = iconv(r->cd, &in, &in_left, &out, &out_left);
	int bad = rc == (size_t)-1 && errno != EINVAL; /* EINVAL: cut at the end */
	r->len = sizeof(r->chunk) - out_left;
	memmove(r->raw, in, in_left);
	r->raw_len = in_left;
	return bad ? -1 : 0;
}

/* Drops a UTF-8 byte order mark at the very start of the input: the file is UTF-8. */
static void skip_bom(struct csv_reader *r)
{
	static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
	r->bom_checked = 1;
	if (r->raw_len >= sizeof(bom) && memcmp(r->raw, bom, sizeof(bom)) == 0) {
		memmove(r->raw, r->raw + sizeof(bom), r->raw_len - sizeof(bom));
		r->raw_len -= sizeof(bom);
		r->enc = ENC_UTF8;
	}
}

/* Refills the chunk when it is used up. 1 when bytes are available, 0 at EOF, -1 when
 * the next bytes are not text in the file's encoding. */
static int fill(struct csv_reader *r)
{
	if (r->pos < r->len)
		return 1;
	if (r->undecodable)
		return -1;
	r->pos = r->len = 0;
	while (r->len == 0) {
		if (r->eof)
			return r->raw_len ? (r->undecodable = 1, -1) : 0;
		/* fread fills the buffer unless the input ends: a BOM or a line is seen whole */
		size_t got = fread(r->raw + r->raw_len, 1, sizeof(r->raw) - r->raw_len, r->fp);
		r->raw_len += got;
		if (got == 0 || ferror(r->fp))
			r->eof = 1;
		if (!r->bom_checked)
			skip_bom(r);
		if (r->enc == ENC_ASCII)
			decide(r);
		if (r->raw_len && decode(r) != 0) {
			r->undecodable = 1;
			return r->len > 0 ? 1 : -1;
		}
	}
	return 1;
}

/* A file's refusals for its encoding, after "第 N 行：". */
#define NOT_UTF8                                                                                   \
	"不是有效的 UTF-8 编码：文件前面的行是 UTF-8，此行混入了其他编码（如 GBK）的文字；"        \
	"请将整个文件另存为“CSV UTF-8”后再导入"
#define NOT_GB18030                                                                                \
	"既不是有效的 UTF-8 编码，也不是有效的 GB18030（GBK）编码；"                               \
	"请检查此行的文字，或将文件另存为“CSV UTF-8”后再导入"

/* Records the error so that later calls return it again; returns code. */
static int fail(struct csv_reader *r, int code, const char *msg)
{
	r->failed = code;
	snprintf(r->error, sizeof(r->error), "第 %ld 行：%s", r->number, msg);
	return code;
}

static int cell_append(struct csv_reader *r, const unsigned char *p, size_t n)
{
	if (r->n >= SHEET_COLUMNS_MAX)
		return fail(r, VE_LIMIT, "列数超过上限（最多 64 列）");
	if (r->data.len - r->starts[r->n] + n > SHEET_CELL_MAX)
		return fail(r, VE_LIMIT, "单元格内容超过 32 KB");
	if (buf_append(&r->data, p, n) < 0)
		return fail(r, VE_LIMIT, "行内容过长");
	return 0;
}

/* Closes the current cell: checks its encoding and starts the next one. */
static int cell_end(struct csv_reader *r)
{
	if (r->n >= SHEET_COLUMNS_MAX)
		return fail(r, VE_LIMIT, "列数超过上限（最多 64 列）");
	size_t start = r->starts[r->n];
	size_t len = r->data.len - start;
	if (len > 0 && !utf8_valid(r->data.data + start, len))
		return fail(r, VE_INVALID, NOT_UTF8);
	if (buf_putc(&r->data, '\0') < 0)
		return fail(r, VE_LIMIT, "行内容过长");
	r->lens[r->n] = len;
	r->n++;
	if (r->n < SHEET_COLUMNS_MAX)
		r->starts[r->n] = r->data.len;
	return 0;
}

/* Length of the run of bytes at p[0..n) that are plain cell content in an
 * unquoted field, or in a quoted one. */
static size_t plain_run(const unsigned char *p, size_t n, int quoted)
{
	size_t i = 0;
	if (quoted) {
		while (i < n && p[i] != '"' && p[i] != '\0')
			i++;
		return i;
	}
	while (i < n && p[i] != ',' && p[i] != '"' && p[i] != '\r' && p[i] != '\n' && p[i] != '\0')
		i++;
	return i;
}

static void row_start(struct csv_reader *r)
{
	buf_reset(&r->data);
	r->n = 0;
	r->starts[0] = 0;
}

static void row_finish(struct csv_reader *r, struct sheet_row *row)
{
	for (size_t i = 0; i < r->n; i++)
		r->cells[i] = r->data.data + r->starts[i];
	row->n = r->n;
	row->cells = r->cells;
	row->lens = r->lens;
	row->number = r->number;
}

/* Consumes one byte c at state *st. 1 when it ended the record, 0 to go on, -code on an error. */
static int step(struct csv_reader *r, enum field_state *st, unsigned char c)
{
	if (c == '\0')
		return -fail(r, VE_INVALID, "含有 NUL 字节");
	switch (*st) {
	case QUOTED:
		if (c == '"') {
			*st = QUOTE_SEEN;
			return 0;
		}
		return cell_append(r, &c, 1) ? -r->failed : 0;
	case QUOTE_SEEN:
		if (c == '"') {
			*st = QUOTED;
			return cell_append(r, &c, 1) ? -r->failed : 0;
		}
		*st = AFTER_CLOSE;
		return step(r, st, c);
	case FIELD_START:
		if (c == '"') {
			*st = QUOTED;
			return 0;
		}
		/* fall through */
	case UNQUOTED:
	case AFTER_CLOSE:
		break;
	}
	if (c == '\r' || c == '\n') {
		r->skip_lf = c == '\r';
		if (*st == FIELD_START && r->n == 0)
			return 1; /* an empty line: a row with no cells */
		return cell_end(r) ? -r->failed : 1;
	}
	if (c == ',') {
		*st = FIELD_START;
		return cell_end(r) ? -r->failed : 0;
	}
	if (*st == AFTER_CLOSE)
		return -fail(r, VE_INVALID, "引号外还有多余的内容（引号未正确配对）");
	if (c == '"')
		return -fail(r, VE_INVALID, "未加引号的单元格内出现了引号");
	*st = UNQUOTED;
	return cell_append(r, &c, 1) ? -r->failed : 0;
}

/* Reads one record into r->data. 1 when a record was read, 0 at EOF before any
 * byte of it, -1 on an error (in r->failed). */
static int read_record(struct csv_reader *r)
{
	enum field_state st = FIELD_START;
	int any = 0, more;
	row_start(r);
	while ((more = fill(r)) > 0) {
		if (r->skip_lf) {
			r->skip_lf = 0;
			if (r->chunk[r->pos] == '\n') {
				r->pos++;
				continue;
			}
		}
		if (!any && r->number >= SHEET_ROWS_MAX) {
			r->number++;
			fail(r, VE_LIMIT, "行数超过上限（最多 2000000 行）");
			return -1;
		}
		if (!any)
			r->number++;
		any = 1;
		if (st == UNQUOTED || st == QUOTED) {
			size_t run = plain_run(r->chunk + r->pos, r->len - r->pos, st == QUOTED);
			if (run > 0) {
				if (cell_append(r, r->chunk + r->pos, run))
					return -1;
				r->pos += run;
				continue;
			}
		}
		int rc = step(r, &st, r->chunk[r->pos++]);
		if (rc != 0)
			return rc < 0 ? -1 : 1;
	}
	if (more < 0) {
		if (!any)
			r->number++; /* the bytes begin the next record */
		fail(r, VE_INVALID, NOT_GB18030);
		return -1;
	}
	if (!any)
		return 0;
	if (st == QUOTED) {
		fail(r, VE_INVALID, "引号未闭合（文件在引号内结束）");
		return -1;
	}
	return cell_end(r) ? -1 : 1;
}

int csv_next(struct csv_reader *r, struct sheet_row *row, char *err, size_t errlen)
{
	if (!r->failed) {
		int rc = read_record(r);
		if (rc >= 0) {
			if (rc == 1)
				row_finish(r, row);
			return rc;
		}
	}
	return -err_set(err, errlen, r->failed, "%s", r->error);
}

int csv_write_bom(FILE *fp)
{
	return fwrite("\xEF\xBB\xBF", 1, 3, fp) == 3 ? 0 : VE_IO;
}

/* 1 when the cell must be quoted to read back as the same text. */
static int needs_quotes(const char *s, size_t len)
{
	if (len > 0 && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t'))
		return 1;
	return strpbrk(s, ",\"\r\n") != NULL;
}

static int write_quoted(FILE *fp, const char *s)
{
	if (fputc('"', fp) == EOF)
		return VE_IO;
	for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
		size_t upto = (size_t)(q - s) + 1;
		if (fwrite(s, 1, upto, fp) != upto || fputc('"', fp) == EOF)
			return VE_IO;
	}
	if (fputs(s, fp) == EOF || fputc('"', fp) == EOF)
		return VE_IO;
	return 0;
}

int csv_write_row(FILE *fp, const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = cells[i] ? cells[i] : "";
		size_t len = strlen(s);
		if (i > 0 && fputc(',', fp) == EOF)
			return VE_IO;
		/* a lone empty cell is written as "" so that it does not read back as an empty line
		 */
		if (needs_quotes(s, len) || (n == 1 && len == 0)) {
			if (write_quoted(fp, s))
				return VE_IO;
		} else if (fwrite(s, 1, len, fp) != len) {
			return VE_IO;
		}
	}
	return fputs("\r\n", fp) == EOF ? VE_IO : 0;
}
