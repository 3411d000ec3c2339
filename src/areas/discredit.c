/* discredit.c - the 失信 list: keeping it, importing it, and asking whether a person is
 * on it (by the blind index of the ID number). */
#include "discredit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "areas/application.h"
#include "areas/calendar.h"
#include "areas/sealed.h"
#include "io/sheet.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/idcard.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/utf8.h"

#define ID_COLUMN "discredits.id_enc"
#define ID_BIDX "discredits.id_bidx"

static void bidx_of(const char *number, char out[2 * SM3_LEN + 1])
{
	unsigned char key[SM3_LEN];
	sealed_index_key(ID_BIDX, key);
	sealed_index(key, number, out);
	mem_wipe(key, sizeof(key));
}

int discredit_listed(struct db *db, const char *id_number, const char *day, int *listed)
{
	char bidx[2 * SM3_LEN + 1];
	bidx_of(id_number, bidx);
	int64_t n = 0;
	int rc =
		db_int_query(db, &n, 0,
			     "SELECT count(*) FROM discredits WHERE id_bidx = ? AND listed_on <= ? "
			     "AND (until_on IS NULL OR until_on >= ?)",
			     "sss", bidx, day, day);
	*listed = n > 0;
	return rc ? VE_DB : 0;
}

static int today_ymd(void)
{
	const char *t = clock_today_text();
	return atoi(t) * 10000 + atoi(t + 5) * 100 + atoi(t + 8);
}

static void check_date(const char *v, const char *field, int required, struct field_errors *fe)
{
	int64_t t;
	if (!v || !*v) {
		if (required)
			field_errors_add(fe, field, "请填写%s", field);
		return;
	}
	if (strlen(v) != 10 || clock_parse_date(v, &t) != 0)
		field_errors_add(fe, field, "日期应为 YYYY-MM-DD，如 2026-01-15");
}

/* The input checked into fe, with the ID number normalised into number and the name
 * tidied into name. */
static void check(const struct discredit_input *in, char name[160], char number[24],
		  const char **listed_on, struct field_errors *fe)
{
	str_copy(name, in->name ? in->name : "", 160);
	str_tidy(name, STR_TIDY_COLLAPSE);
	size_t n = utf8_count(name, strlen(name));
	if (n == 0 || n > 50)
		field_errors_add(fe, "姓名", "请填写姓名（最多 50 个字）");
	str_copy(number, in->id_number ? in->id_number : "", 24);
	str_tidy(number, STR_TIDY_REMOVE);
	struct idcard card;
	char why[160];
	if (!*number)
		field_errors_add(fe, "身份证号", "请填写身份证号");
	else if (idcard_parse(number, today_ymd(), &card, why, sizeof(why)) != 0)
		field_errors_add(fe, "身份证号", "%s", why);
	else
		str_copy(number, card.number, 24);
	const char *reason = in->reason ? in->reason : "";
	size_t r = utf8_count(reason, strlen(reason));
	if (r < 2 || r > 200)
		field_errors_add(fe, "失信原因", "请写明失信原因（2 至 200 个字）");
	*listed_on = in->listed_on && *in->listed_on ? in->listed_on : clock_today_text();
	check_date(*listed_on, "列入日期", 1, fe);
	check_date(in->until_on, "截止日期", 0, fe);
	if (!field_errors_has(fe, "列入日期") && !field_errors_has(fe, "截止日期") &&
	    in->until_on && *in->until_on && strcmp(in->until_on, *listed_on) < 0)
		field_errors_add(fe, "截止日期", "截止日期不能早于列入日期");
}

static int add_in_tx(struct db *db, const struct principal *by, const struct discredit_input *in,
		     struct field_errors *fe, int64_t *id, int audit, char *err, size_t errlen)
{
	char name[160], number[24], bidx[2 * SM3_LEN + 1], mask[19], listed[11];
	const char *listed_on;
	check(in, name, number, &listed_on, fe);
	if (fe->n)
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	str_copy(listed, listed_on, sizeof(listed));
	bidx_of(number, bidx);
	idcard_mask(number, mask);
	int rc =
		db_run(db,
		       "INSERT INTO discredits (region_code, name, id_bidx, id_mask, reason, "
		       "listed_on, until_on, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, "
		       "nullif(?, ''), ?, nullif(?, 0)) ON CONFLICT (id_bidx) DO UPDATE SET name = "
		       "excluded.name, reason = excluded.reason, listed_on = excluded.listed_on, "
		       "until_on = excluded.until_on",
		       "sssssssii", by->region_code, name, bidx, mask, in->reason, listed,
		       in->until_on ? in->until_on : "", clock_now(), by->user_id);
	if (!rc)
		rc = db_int_query(db, id, 0, "SELECT id FROM discredits WHERE id_bidx = ?", "s",
				  bidx);
	unsigned char *enc = NULL;
	size_t len = 0;
	if (!rc) {
		sealed_seal(ID_COLUMN, *id, number, &enc, &len);
		rc = db_run(db, "UPDATE discredits SET id_enc = ? WHERE id = ?", "bi",
			    (const void *)enc, len, *id);
		free(enc);
	}
	mem_wipe(number, sizeof(number));
	char detail[400];
	snprintf(detail, sizeof(detail), "%s（%s）：%s，%s 起%s%s", name, mask, in->reason, listed,
		 in->until_on && *in->until_on ? "至 " : "", in->until_on ? in->until_on : "");
	if (!rc && audit)
		rc = account_audit(db, by, "discredit.add", "discredit", *id, detail);
	return rc;
}

static int may_manage(const struct principal *by, char *err, size_t errlen)
{
	if (perm_allows(by->roles, PERM_DISCREDIT_MANAGE))
		return 0;
	return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限",
		       perm_title(PERM_DISCREDIT_MANAGE));
}

int discredit_add(struct db *db, const struct principal *by, const struct discredit_input *in,
		  int in_tx, struct field_errors *fe, int64_t *id, char *err, size_t errlen)
{
	*id = 0;
	if (may_manage(by, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, in_tx))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	int rc = add_in_tx(db, by, in, fe, id, 1, err, errlen);
	int ended = db_tx_end(db, in_tx, rc);
	return ended && !rc ? err_set(err, errlen, VE_DB, "保存失败，请稍后再试") : ended;
}

int discredit_remove(struct db *db, const struct principal *by, int64_t id, char *err,
		     size_t errlen)
{
	if (may_manage(by, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	char detail[200] = "";
	struct db_stmt *st = db_q(db, "SELECT name, id_mask FROM discredits WHERE id = ?", "i", id);
	int rc = !st ? VE_DB : db_step(st) == DB_ROW ? 0 : VE_NOTFOUND;
	if (!rc)
		snprintf(detail, sizeof(detail), "%s（%s）", db_text(st, 0), db_text(st, 1));
	db_done(st);
	if (!rc)
		rc = db_run(db, "DELETE FROM discredits WHERE id = ?", "i", id);
	if (!rc)
		rc = account_audit(db, by, "discredit.remove", "discredit", id, detail);
	if (rc == VE_NOTFOUND)
		err_set(err, errlen, rc, "失信名单中没有该记录");
	int ended = db_tx_end(db, 0, rc);
	return ended && !rc ? err_set(err, errlen, VE_DB, "保存失败，请稍后再试") : ended;
}

int discredit_list(struct db *db, const struct principal *by, json_t **out)
{
	(void)by;
	struct db_stmt *st = db_q(db,
				  "SELECT id, name, id_mask, reason, listed_on, until_on FROM "
				  "discredits ORDER BY listed_on DESC, id DESC",
				  "");
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	while (db_step(st) == DB_ROW) {
		json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)db_int(st, 0),
				      "name", db_text(st, 1), "id_mask", db_text(st, 2), "reason",
				      db_text(st, 3), "listed_on", db_text(st, 4));
		json_object_set_new(o, "until_on",
				    db_is_null(st, 5) ? json_null() : json_string(db_text(st, 5)));
		json_array_append_new(items, o);
	}
	db_done(st);
	*out = json_pack("{s:I,s:o}", "total", (json_int_t)json_array_size(items), "items", items);
	return 0;
}

/* A date cell as read: an .xlsx date cell comes as its serial day number (days since
 * 1899-12-30), turned into YYYY-MM-DD in out; any other text is left as it is. */
static const char *sheet_date(const char *cell, char out[11])
{
	size_t n = strlen(cell);
	if (n == 0 || n > 6 || strspn(cell, "0123456789") != n)
		return cell;
	long serial = strtol(cell, NULL, 10);
	if (serial < 1 || serial > 2958465)
		return cell;
	calendar_day_text((int32_t)(serial - 25569), out);
	return out;
}

static const char *const columns[] = {"姓名", "身份证号", "失信原因", "列入日期", "截止日期"};

static int import_rows(struct db *db, const struct principal *by, struct sheet_reader *in,
		       const int col[5], int64_t *count, char *err, size_t errlen)
{
	struct sheet_row row;
	int r;
	while ((r = sheet_next(in, &row, err, errlen)) == 1) {
		if (row.n == 0)
			continue;
		char listed[11], until[11];
		struct discredit_input d = {
			sheet_cell(&row, col[0]), sheet_cell(&row, col[1]),
			sheet_cell(&row, col[2]), sheet_date(sheet_cell(&row, col[3]), listed),
			col[4] >= 0 ? sheet_date(sheet_cell(&row, col[4]), until) : ""};
		struct field_errors fe = {0};
		int64_t id;
		char why[300];
		int rc = add_in_tx(db, by, &d, &fe, &id, 0, why, sizeof(why));
		if (rc == VE_INVALID)
			return err_set(err, errlen, VE_INVALID, "第 %ld 行 %s：%s", row.number,
				       fe.n ? fe.items[0].field : "",
				       fe.n ? fe.items[0].message : why);
		if (rc)
			return rc;
		(*count)++;
	}
	return r < 0 ? VE_INVALID : 0;
}

int discredit_import(struct db *db, const struct principal *by, const char *path,
		     const char *filename, int64_t *count, char *err, size_t errlen)
{
	*count = 0;
	(void)filename;
	if (may_manage(by, err, errlen))
		return VE_DENIED;
	struct sheet_reader *in = sheet_open(path, err, errlen);
	if (!in)
		return VE_INVALID;
	struct sheet_row header;
	int col[5];
	char why[200];
	int rc = sheet_next(in, &header, err, errlen);
	if (rc != 1)
		rc = rc == 0 ? err_set(err, errlen, VE_INVALID, "文件是空的：第一行应为表头")
			     : VE_INVALID;
	else if (sheet_columns(&header, columns, 5, 0x0f, 1, col, why, sizeof(why)) != 0)
		rc = err_set(err, errlen, VE_INVALID, "%s", why);
	else
		rc = 0;
	if (!rc && db_tx_begin(db, 0))
		rc = err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	else if (!rc) {
		rc = import_rows(db, by, in, col, count, err, errlen);
		char detail[200];
		snprintf(detail, sizeof(detail), "导入失信名单 %lld 人", (long long)*count);
		if (!rc)
			rc = account_audit(db, by, "discredit.import", "discredit", 0, detail);
		int ended = db_tx_end(db, 0, rc);
		rc = ended && !rc ? err_set(err, errlen, VE_DB, "导入失败，未导入任何一行") : ended;
	}
	sheet_close(in);
	return rc;
}
