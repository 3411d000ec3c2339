/* fuzz_csv.c - libFuzzer target: reads every row of fuzzed CSV bytes, checking the row contract. */
#include "io/sheet.h"
#include "lib/err.h"
#include "lib/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts unless the row keeps the promises of sheet.h. */
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
	if (size == 0)
		return 0;
	FILE *fp = fmemopen((void *)(uintptr_t)data, size, "rb");
	if (!fp)
		return 0;
	struct csv_reader *r = csv_reader_new(fp);
	struct sheet_row row;
	char err[256];
	long prev = 0;
	int rc;
	while ((rc = csv_next(r, &row, err, sizeof(err))) == 1) {
		check_row(&row, prev);
		prev = row.number;
	}
	if (rc != 0 && rc != -VE_INVALID && rc != -VE_LIMIT)
		abort();
	if (rc != 0 && csv_next(r, &row, err, sizeof(err)) != rc)
		abort();
	csv_reader_free(r);
	fclose(fp);
	return 0;
}
