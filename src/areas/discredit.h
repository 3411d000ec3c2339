/* discredit.h - the 失信 list: people who may not use 容缺受理 at the counter.
 *
 * Staff keep it (discredit.manage): one by one or by importing a sheet (CSV or XLSX,
 * columns 姓名, 身份证号, 失信原因, 列入日期, 截止日期 — the last may be empty: until removed).
 * A person is found by the blind index of the ID number (sealed to its row, masked in
 * lists); the list is the district's, whoever keeps it. Every change is audited. */
#ifndef VETS_DISCREDIT_H
#define VETS_DISCREDIT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "areas/account.h"
#include "db/db.h"
#include "lib/field_errors.h"

/* 1 into *listed when id_number (normalised) is listed on day (listed_on <= day and no
 * until_on before it). 0, or VE_DB. */
int discredit_listed(struct db *db, const char *id_number, const char *day, int *listed);

struct discredit_input {
	const char *name, *id_number, *reason, *listed_on, *until_on; /* listed_on "": today */
};
/* Lists a person (or replaces the listing of the same ID number): 0 and *id; VE_INVALID
 * with fe (姓名, 身份证号, 失信原因, 列入日期, 截止日期). In its own transaction unless in_tx. */
int discredit_add(struct db *db, const struct principal *by, const struct discredit_input *in,
		  int in_tx, struct field_errors *fe, int64_t *id, char *err, size_t errlen);
/* Removes listing id: 0, VE_NOTFOUND. */
int discredit_remove(struct db *db, const struct principal *by, int64_t id, char *err,
		     size_t errlen);
/* The list: {"total","items":[{"id","name","id_mask","reason","listed_on","until_on"}]}. */
int discredit_list(struct db *db, const struct principal *by, json_t **out);
/* Imports the sheet at path (.xlsx by its name, else CSV): every row or none; err names
 * the first bad row and field ("第 3 行 身份证号：…"). *count rows listed. */
int discredit_import(struct db *db, const struct principal *by, const char *path,
		     const char *filename, int64_t *count, char *err, size_t errlen);

#endif
