/* person_status.c - a person's status (在册, 中止, 取消, 迁出, 死亡) and its changes. */
#include "person.h"
#include "person_record.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"

#include <stdio.h>
#include <string.h>

/* A status reason's length in characters: person_get shows up to 199 bytes of it. */
#define REASON_MAX 200

/* The refusal of a status that is none of PERSON_STATUSES. */
static void status_refused(struct field_errors *e)
{
	char names[96];
	person_vocab_text(PERSON_STATUSES, names, sizeof(names));
	field_errors_add(e, "状态", "应为 %s 之一", names);
}

/* Checks a status change of p; each problem goes into e. */
static void check_status(const struct person_brief *p, const char *status, const char *date,
			 const char *reason, struct field_errors *e)
{
	int64_t t;
	char text[4 * REASON_MAX + 1];
	if (!status || !*status)
		field_errors_add(e, "状态", "请选择新的状态");
	else if (person_vocab_find(PERSON_STATUSES, status) < 0)
		status_refused(e);
	else if (strcmp(status, p->status) == 0)
		field_errors_add(e, "状态", "该人员当前已是“%s”状态，无需变更", p->status);
	if (!date || !*date)
		field_errors_add(e, "变更日期", "请填写变更日期");
	else if (clock_parse_date(date, &t) != 0)
		field_errors_add(e, "变更日期", "应为 YYYY-MM-DD 格式的有效日期");
	else if (t > clock_now())
		field_errors_add(e, "变更日期", "不能晚于今天");
	else if (strncmp(date, p->birth, 4) < 0) /* the year only: a refusal must not date a birth */
		field_errors_add(e, "变更日期", "不能早于出生日期所在的年份");
	if (!reason || !reason[strspn(reason, " \t\r\n")])
		field_errors_add(e, "变更原因", "请填写变更原因");
	else
		person_text_field(e, "变更原因", reason, REASON_MAX, 0, text, sizeof(text));
}

static int write_status(struct db *db, const struct principal *by, const struct person_brief *p,
			const char *status, const char *date, const char *reason)
{
	char detail[4 * REASON_MAX + 128];
	int rc = db_run(db,
			"UPDATE persons SET status = ?, status_date = ?, status_reason = ?, "
			"updated_at = ?, updated_by = nullif(?, 0) WHERE id = ?",
			"sssiii", status, date, reason, clock_now(), by->user_id, p->id);
	snprintf(detail, sizeof(detail), "%s（%s，%s）", status, date, reason);
	if (rc == 0)
		rc = person_history_line(db, by, p, "状态", p->status, detail);
	snprintf(detail, sizeof(detail), "状态 %s → %s（%s，%s）", p->status, status, date, reason);
	return rc ? rc : account_audit(db, by, "person.status", "person", p->id, detail);
}

int person_set_status(struct db *db, const struct principal *by, int64_t id, const char *status,
		      const char *date, const char *reason, int in_tx, struct field_errors *errs)
{
	struct person_brief p;
	field_errors_clear(errs);
	int rc = db_tx_begin(db, in_tx);
	if (rc)
		return rc;
	rc = person_brief_in_scope(db, by, id, &p);
	if (rc == 0) {
		check_status(&p, status, date, reason, errs);
		if (errs->n)
			rc = VE_INVALID;
	}
	if (rc == 0)
		rc = write_status(db, by, &p, status, date, reason);
	return db_tx_end(db, in_tx, rc);
}

int person_restate_status(struct db *db, const struct principal *by, int64_t id, const char *date,
			  const char *reason, int in_tx, struct field_errors *errs)
{
	struct person_brief p = {0};
	char old[4 * REASON_MAX + 64], detail[4 * REASON_MAX + 128];
	field_errors_clear(errs);
	int rc = db_tx_begin(db, in_tx);
	if (rc)
		return rc;
	rc = person_brief_in_scope(db, by, id, &p);
	if (rc == 0) { /* the checks of a change, but the status stays */
		struct field_errors all = {0};
		check_status(&p, "", date, reason, &all);
		for (int i = 0; i < all.n; i++)
			if (strcmp(all.items[i].field, "状态") != 0)
				field_errors_add(errs, all.items[i].field, "%s",
						 all.items[i].message);
		rc = errs->n ? VE_INVALID : 0;
	}
	struct db_stmt *st = rc ? NULL
				: db_q(db, "SELECT coalesce(status_date, '') FROM persons WHERE id = ?",
				       "i", id);
	snprintf(old, sizeof(old), "%s", p.status);
	if (st && db_step(st) == DB_ROW)
		snprintf(old, sizeof(old), "%s（%s）", p.status, db_text(st, 0));
	db_done(st);
	if (rc == 0)
		rc = db_run(db,
			    "UPDATE persons SET status_date = ?, status_reason = ?, updated_at = ?, "
			    "updated_by = nullif(?, 0) WHERE id = ?",
			    "ssiii", date, reason, clock_now(), by->user_id, id);
	snprintf(detail, sizeof(detail), "%s（%s，%s）", p.status, date, reason);
	if (rc == 0)
		rc = person_history_line(db, by, &p, "状态", old, detail);
	snprintf(detail, sizeof(detail), "更正状态日期 %s → %s（%s）", old, date, reason);
	if (rc == 0)
		rc = account_audit(db, by, "person.status", "person", id, detail);
	return db_tx_end(db, in_tx, rc);
}
