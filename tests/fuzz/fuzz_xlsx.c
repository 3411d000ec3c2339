/* fuzz_xlsx.c - libFuzzer target: opens fuzzed bytes as an xlsx workbook and reads every row. */
#include "io/sheet.h"
#include "lib/err.h"
#include "lib/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static void remove_input(void)
{
	unlink(path);
}

/* Writes the input to this process's temporary file (made once, then reused). */
static int save_input(const uint8_t *data, size_t size)
{
	if (!path[0]) {
		snprintf(path, sizeof(path), "/tmp/fuzz_xlsx_XXXXXX");
		int fd = mkstemp(path);
		if (fd < 0)
			abort();
		close(fd);
		atexit(remove_input);
	}
	FILE *fp = fopen(path, "wb");
	if (!fp)
		abort();
	int ok = fwrite(data, 1, size, fp) == size;
	return fclose(fp) == 0 && ok ? 0 : -1;
}

static void check_row(const struct sheet_row *row, long prev)
{
	if (row->number != prev + 1 || row->n > SHEET_COLUMNS_MAX)
		abort();
	for (size_t i = 0; i < row->n; i++) {
		if (row->lens[i] > SHEET_CELL_MAX || strlen(row->cells[i]) != row->lens[i])
			abort();
		if (row->lens[i] && !utf8_valid(row->cells[i], row->lens[i]))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	if (save_input(data, size) < 0)
		abort();
	struct xlsx_reader *r = xlsx_reader_open(path, err, sizeof(err));
	if (!r)
		return 0;
	struct sheet_row row;
	long prev = 0;
	int rc;
	while ((rc = xlsx_next(r, &row, err, sizeof(err))) == 1) {
		check_row(&row, prev);
		prev = row.number;
	}
	if (rc != 0 && rc != -VE_INVALID && rc != -VE_LIMIT)
		abort();
	xlsx_reader_free(r);
	return 0;
}
