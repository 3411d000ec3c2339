/* sheet.c - CSV or XLSX by the file's extension, and the formula guard of exported cells. */
#include "sheet.h"
#include "lib/err.h"
#include "lib/mem.h"

#include "lib/utf8.h"

#include <assert.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct sheet_reader {
	FILE *fp; /* CSV */
	struct csv_reader *csv;
	struct xlsx_reader *xlsx;
};

struct sheet_writer {
	FILE *fp; /* CSV */
	struct xlsx_writer *xlsx;
};

static int has_extension(const char *path, const char *ext)
{
	size_t n = strlen(path), e = strlen(ext);
	return n > e && strcasecmp(path + n - e, ext) == 0;
}

struct sheet_reader *sheet_open(const char *path, char *err, size_t errlen)
{
	struct sheet_reader *r = xcalloc(1, sizeof(*r));
	if (has_extension(path, ".csv")) {
		r->fp = fopen(path, "rb");
		if (!r->fp) {
			err_set(err, errlen, VE_IO, "无法读取文件 %s：%s", path, strerror(errno));
			free(r);
			return NULL;
		}
		r->csv = csv_reader_new(r->fp);
		return r;
	}
	if (has_extension(path, ".xlsx")) {
		r->xlsx = xlsx_reader_open(path, err, errlen);
		if (r->xlsx)
			return r;
	} else {
		err_set(err, errlen, VE_INVALID, "只能导入 .csv 或 .xlsx 文件：%s", path);
	}
	free(r);
	return NULL;
}

int sheet_next(struct sheet_reader *r, struct sheet_row *row, char *err, size_t errlen)
{
	return r->csv ? csv_next(r->csv, row, err, errlen) : xlsx_next(r->xlsx, row, err, errlen);
}

const char *sheet_encoding(const struct sheet_reader *r)
{
	return r->csv ? csv_encoding(r->csv) : NULL;
}

void sheet_close(struct sheet_reader *r)
{
	if (!r)
		return;
	csv_reader_free(r->csv);
	xlsx_reader_free(r->xlsx);
	if (r->fp)
		fclose(r->fp);
	free(r);
}

struct sheet_writer *sheet_create(const char *path, const char *sheet_name, char *err,
				  size_t errlen)
{
	struct sheet_writer *w = xcalloc(1, sizeof(*w));
	if (has_extension(path, ".csv")) {
		w->fp = fopen(path, "wb");
		if (w->fp && csv_write_bom(w->fp) == 0)
			return w;
		err_set(err, errlen, VE_IO, "无法写入文件 %s：%s", path, strerror(errno));
		if (w->fp)
			fclose(w->fp);
	} else if (has_extension(path, ".xlsx")) {
		w->xlsx = xlsx_writer_open(path, sheet_name, err, errlen);
		if (w->xlsx)
			return w;
	} else {
		err_set(err, errlen, VE_INVALID, "只能导出为 .csv 或 .xlsx 文件：%s", path);
	}
	free(w);
	return NULL;
}

int sheet_write_row(struct sheet_writer *w, const char *const *cells, size_t n)
{
	return w->fp ? csv_write_row(w->fp, cells, n) : xlsx_write_row(w->xlsx, cells, n);
}

int sheet_finish(struct sheet_writer *w, char *err, size_t errlen)
{
	int rc = 0;
	if (w->fp) {
		if (fflush(w->fp) != 0 || ferror(w->fp))
			rc = err_set(err, errlen, VE_IO, "写入文件失败：%s", strerror(errno));
		if (fclose(w->fp) != 0 && rc == 0)
			rc = err_set(err, errlen, VE_IO, "写入文件失败：%s", strerror(errno));
	} else {
		rc = xlsx_writer_close(w->xlsx, err, errlen);
	}
	free(w);
	return rc;
}

const char *sheet_guard(const char *cell, char *buf, size_t size)
{
	if (!strchr("=+-@\t\r'", cell[0]) || cell[0] == '\0')
		return cell;
	size_t n = strlen(cell);
	assert(n + 2 <= size);
	buf[0] = '\'';
	memcpy(buf + 1, cell, n + 1);
	return buf;
}

const char *sheet_unguard(const char *cell)
{
	return cell[0] == '\'' ? cell + 1 : cell;
}

int sheet_columns(const struct sheet_row *h, const char *const *names, size_t n, unsigned needed,
		  int unknown_ok, int *col, char *why, size_t size)
{
	for (size_t k = 0; k < n; k++)
		col[k] = -1;
	for (size_t i = 0; i < h->n; i++) {
		size_t k = 0;
		while (k < n && strcmp(h->cells[i], names[k]) != 0)
			k++;
		if (k < n)
			col[k] = (int)i;
		else if (!unknown_ok && h->cells[i][0]) {
			snprintf(why, size, "未知的列：%.60s", h->cells[i]);
			utf8_scrub(why);
			return -1;
		}
	}
	for (size_t k = 0; k < n; k++)
		if ((needed >> k & 1u) && col[k] < 0)
			return snprintf(why, size, "缺少列：%s", names[k]), -1;
	return 0;
}

const char *sheet_cell(const struct sheet_row *r, int col)
{
	return col >= 0 && (size_t)col < r->n ? sheet_unguard(r->cells[col]) : "";
}
