/* sheet.h - rows of text cells read from or written to CSV and XLSX files.
 *
 * The registry's import and export speak to this one shape; csv.c and xlsx.c
 * each implement it for their format. Readers stream: memory stays bounded
 * whatever the file's size. Every cell handed out is valid UTF-8 text. */
#ifndef VETS_SHEET_H
#define VETS_SHEET_H

#include <stddef.h>
#include <stdio.h>

enum {
	SHEET_CELL_MAX = 32 * 1024, /* bytes in one cell */
	SHEET_COLUMNS_MAX = 64,     /* cells in one row */
	SHEET_ROWS_MAX = 2000000,   /* rows in one file, empty ones included */
};

/* One row, valid until the next call on the same reader. Trailing empty cells
 * are kept (n counts them); a row with no cells at all (an empty line) has n == 0. */
struct sheet_row {
	size_t n;
	const char *const *cells; /* NUL-terminated, valid UTF-8 */
	const size_t *lens;
	long number; /* 1-based row number in the file, as a spreadsheet shows it */
};

/* ---- CSV (csv.c): RFC 4180, UTF-8 with or without BOM or GB18030 (GBK), CRLF or
 * LF, quoted fields holding commas, quotes and newlines. The encoding is decided by
 * the first line holding a byte outside ASCII: valid UTF-8 there (or a BOM) makes
 * the file UTF-8, anything else GB18030; cells are handed out as UTF-8 either way ---- */
struct csv_reader;
/* Reads from fp (not closed by the reader). Never fails: errors come from csv_next. */
struct csv_reader *csv_reader_new(FILE *fp);
/* 1 and *row for the next row, 0 at the end, or -VE_INVALID / -VE_LIMIT (negated:
 * VE_INVALID is 1) with a Chinese message naming the row in err (bad quoting,
 * bytes that are not text in the file's encoding, a NUL byte, a cell or row over
 * the limits). After an error the reader only returns it again. */
int csv_next(struct csv_reader *r, struct sheet_row *row, char *err, size_t errlen);
/* The encoding of the rows read so far, for people: "UTF-8" (also while they were all
 * ASCII) or "GB18030（GBK）". */
const char *csv_encoding(const struct csv_reader *r);
void csv_reader_free(struct csv_reader *r);

/* Writes a UTF-8 BOM (so that spreadsheets read the file as UTF-8). */
int csv_write_bom(FILE *fp);
/* Writes one row, quoting cells that need it, ending in CRLF. 0 or VE_IO. */
int csv_write_row(FILE *fp, const char *const *cells, size_t n);

/* ---- XLSX (xlsx.c): the first worksheet of a workbook ---- */
struct xlsx_reader;
/* Opens path as a zip and finds the first worksheet and the shared strings.
 * NULL with a Chinese message in err when it is not a readable workbook (not a
 * zip, no worksheet, encrypted, entries that expand beyond the limits: a zip bomb). */
struct xlsx_reader *xlsx_reader_open(const char *path, char *err, size_t errlen);
/* As csv_next. Numbers come as their text; booleans as "TRUE"/"FALSE"; dates
 * stored as numbers come as the number (the caller decides); a cell holding a
 * formula is refused (VE_INVALID, "第 N 行含有公式"). Rows missing from the sheet
 * (gaps in row numbers) come back as empty rows, so that row numbers stay right. */
int xlsx_next(struct xlsx_reader *r, struct sheet_row *row, char *err, size_t errlen);
void xlsx_reader_free(struct xlsx_reader *r);

struct xlsx_writer;
/* Creates a workbook at path with one sheet named sheet_name, in constant-memory mode. */
struct xlsx_writer *xlsx_writer_open(const char *path, const char *sheet_name, char *err,
				     size_t errlen);
/* Writes one row of text cells (all stored as strings, never as formulas). 0, VE_IO,
 * VE_INVALID (a cell over 32,767 characters) or VE_LIMIT (past Excel's row limit). */
int xlsx_write_row(struct xlsx_writer *w, const char *const *cells, size_t n);
/* Sets the width (in characters) of column col of the current sheet, and with text, its
 * cells' format to text, so that what is typed there (a long number) stays as typed.
 * Before the sheet's first row. 0 or VE_INVALID. */
int xlsx_writer_column(struct xlsx_writer *w, int col, double width, int text);
/* Adds a sheet named sheet_name after the others: the rows written next go there. 0, or
 * VE_INVALID (a name Excel refuses, or one already taken) with err filled. */
int xlsx_writer_add_sheet(struct xlsx_writer *w, const char *sheet_name, char *err, size_t errlen);
/* Finishes and closes the file. 0 or VE_IO (err filled). Frees w in every case. */
int xlsx_writer_close(struct xlsx_writer *w, char *err, size_t errlen);

/* ---- either format (sheet.c), chosen by the file name's extension ---- */
struct sheet_reader;
/* Opens path as .csv or .xlsx (case-insensitive). NULL with a Chinese message in
 * err for another extension or an unreadable file. */
struct sheet_reader *sheet_open(const char *path, char *err, size_t errlen);
/* As csv_next / xlsx_next: 1 and a row, 0 at the end, or a negated error code. */
int sheet_next(struct sheet_reader *r, struct sheet_row *row, char *err, size_t errlen);
void sheet_close(struct sheet_reader *r);
/* The text encoding of a CSV as csv_encoding; NULL for an .xlsx. */
const char *sheet_encoding(const struct sheet_reader *r);

struct sheet_writer;
/* Creates path as .csv (with a BOM) or .xlsx, by its extension. */
struct sheet_writer *sheet_create(const char *path, const char *sheet_name, char *err,
				  size_t errlen);
int sheet_write_row(struct sheet_writer *w, const char *const *cells, size_t n);
/* Finishes the file (0, or VE_IO with err) and frees w. */
int sheet_finish(struct sheet_writer *w, char *err, size_t errlen);

/* Spreadsheets run a cell that starts with = + - @ (or a tab or CR before them)
 * as a formula. Exported cells that start so, or with an apostrophe, get a leading
 * apostrophe (the spreadsheet convention for "this is text"); imported cells lose
 * one leading apostrophe. So text survives a round trip and never runs.
 * sheet_guard returns cell or a pointer into buf (size >= strlen(cell) + 2). */
const char *sheet_guard(const char *cell, char *buf, size_t size);
/* The imported text of a cell: cell without its leading apostrophe, if any. */
const char *sheet_unguard(const char *cell);

/* Finds the columns names[0..n) in the header row h: col[k] receives the column of
 * names[k], or -1. Returns 0, or -1 with a Chinese reason in why when a name of the
 * needed set (bit k for names[k]) is missing, or a cell names no column of names and
 * unknown_ok is 0. */
int sheet_columns(const struct sheet_row *h, const char *const *names, size_t n, unsigned needed,
		  int unknown_ok, int *col, char *why, size_t size);
/* The text of cell col of row r (sheet_unguard'ed), "" when the row has no such cell. */
const char *sheet_cell(const struct sheet_row *r, int col);

#endif
