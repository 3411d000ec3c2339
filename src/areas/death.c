/* death.c - a recorded death read back and corrected. */
#include "death.h"

#include <stdio.h>
#include <string.h>

#include "areas/entitlement.h"
#include "areas/person.h"
#include "areas/scope.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/field_errors.h"
#include "lib/money.h"
#include "lib/str.h"
#include "lib/utf8.h"

/* A dead person's facts: the registry's status date and reason, the kept cause. */
struct dead {
	char status[16], date[11], reason[801], birth[11], cause[16];
};

/* Person id into d when in by's scope; VE_NOTFOUND otherwise. */
static int load(struct db *db, const struct principal *by, int64_t id, struct dead *d)
{
	memset(d, 0, sizeof(*d));
	struct db_stmt *st = db_q(
		db,
		"SELECT p.status, coalesce(p.status_date, ''), coalesce(p.status_reason, ''), "
		"coalesce(p.birth_date, ''), coalesce((SELECT cause FROM deaths WHERE person_id = "
		"p.id), (SELECT death_cause FROM entitlements WHERE person_id = p.id AND "
		"death_month IS NOT NULL ORDER BY id LIMIT 1), '其他') FROM persons p WHERE p.id "
		"= ? AND " SCOPE_REGION_SQL("p.region_code", "p.created_by"),
		"i" SCOPE_REGION_FMT, id, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	int found = db_step(st) == DB_ROW;
	if (found) {
		str_copy(d->status, db_text(st, 0), sizeof(d->status));
		str_copy(d->date, db_text(st, 1), sizeof(d->date));
		str_copy(d->reason, db_text(st, 2), sizeof(d->reason));
		str_copy(d->birth, db_text(st, 3), sizeof(d->birth));
		str_copy(d->cause, db_text(st, 4), sizeof(d->cause));
	}
	db_done(st);
	return found ? 0 : VE_NOTFOUND;
}

int death_get(struct db *db, const struct principal *by, int64_t person_id, json_t **out)
{
	struct dead d;
	int rc = load(db, by, person_id, &d);
	if (rc == 0 && strcmp(d.status, "死亡") != 0)
		rc = VE_NOTFOUND;
	if (rc == 0)
		*out = json_pack("{s:s,s:s,s:s}", "date", d.date, "cause", d.cause, "reason",
				 d.reason);
	return rc;
}

int death_keep_cause(struct db *db, int64_t person_id, const char *cause)
{
	return db_run(
		db,
		"INSERT INTO deaths (person_id, cause, region_code) SELECT id, ?, region_code "
		"FROM persons WHERE id = ? ON CONFLICT (person_id) DO UPDATE SET cause = "
		"excluded.cause",
		"si", cause, person_id);
}

/* 1 when cause is one of entitlement_death_causes. */
static int known_cause(const char *cause)
{
	for (size_t i = 0; cause && i < ENTITLEMENT_N_DEATH_CAUSES; i++)
		if (strcmp(cause, entitlement_death_causes[i]) == 0)
			return 1;
	return 0;
}

/* Checks correction c of d into e. */
static void check(const struct dead *d, const struct death_correction *c, struct field_errors *e)
{
	int64_t t;
	const char *r = c->reason ? c->reason : "";
	size_t chars = utf8_count(r, strlen(r));
	if (strcmp(d->status, "死亡") != 0)
		field_errors_add(e, "状态", "该人员当前为“%s”，没有登记死亡，无需更正", d->status);
	if (!c->date || !*c->date)
		field_errors_add(e, "死亡日期", "请填写更正后的死亡日期");
	else if (clock_parse_date(c->date, &t) != 0 || strlen(c->date) != 10)
		field_errors_add(e, "死亡日期", "应为 YYYY-MM-DD 格式的有效日期");
	else if (strcmp(c->date, clock_today_text()) > 0)
		field_errors_add(e, "死亡日期", "不能晚于今天");
	else if (strncmp(c->date, d->birth, 4) < 0) /* the year only: no refusal dates a birth */
		field_errors_add(e, "死亡日期", "不能早于出生日期所在的年份");
	if (!c->cause || !*c->cause)
		field_errors_add(e, "死亡原因", "请选择死亡原因");
	else if (!known_cause(c->cause))
		field_errors_add(e, "死亡原因", "应为 因病、因战、因公 或 其他");
	if (!r[strspn(r, " \t\r\n")])
		field_errors_add(e, "更正理由", "请填写更正理由（例如：死亡证明日期有误）");
	else if (chars > 200 || !str_is_printable(r, strlen(r), 0))
		field_errors_add(e, "更正理由", "应为不超过 200 个字的一行文字");
	if (!e->n && strcmp(c->date, d->date) == 0 && strcmp(c->cause, d->cause) == 0)
		field_errors_add(e, "死亡日期",
				 "更正后的死亡日期和死亡原因与现有记录相同（%s，%s），无需更正",
				 d->date, d->cause);
}

/* The benefits person_id's death ended: id, end month, death month. A person holds one
 * benefit of each type, far fewer than ENDED_MAX. */
#define ENDED_MAX 16
struct ended {
	int64_t id;
	char end[8], death[8];
};
/* Fills out and *n. 0, VE_DB, or VE_LIMIT when there are more than ENDED_MAX (nothing
 * is moved then: a correction moves every benefit or none). */
static int ended_by_death(struct db *db, int64_t person_id, struct ended out[ENDED_MAX],
			  size_t *n)
{
	*n = 0;
	struct db_stmt *st =
		db_q(db,
		     "SELECT id, coalesce(end_month, ''), death_month FROM entitlements "
		     "WHERE person_id = ? AND death_month IS NOT NULL ORDER BY id",
		     "i", person_id);
	int rc = st ? 0 : VE_DB;
	while (rc == 0 && (rc = db_step(st)) == DB_ROW) {
		if (*n == ENDED_MAX) {
			rc = VE_LIMIT;
			break;
		}
		out[*n].id = db_int(st, 0);
		str_copy(out[*n].end, db_text(st, 1), sizeof(out[*n].end));
		str_copy(out[*n].death, db_text(st, 2), sizeof(out[*n].death));
		(*n)++;
		rc = 0;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : rc;
}

/* Moves benefit x to death month month and cause: its end follows (unless it had ended
 * before the death), months now owed that no line paid are caught up by the next batch. */
static int move_benefit(struct db *db, const struct principal *by, const struct ended *x,
			const char *month, const char *date, const char *cause, const char *why)
{
	char end[8];
	/* the death set the end unless the benefit had ended before it */
	if (x->end[0] && strcmp(x->end, x->death) < 0 && strcmp(x->end, month) < 0)
		str_copy(end, x->end, sizeof(end));
	else
		str_copy(end, month, sizeof(end));
	int rc = db_run(db,
			"UPDATE entitlements SET end_month = ?, death_month = ?, death_cause = ?, "
			"status_date = ? WHERE id = ?",
			"ssssi", end, month, cause, date, x->id);
	/* Owed again: the months after the old end (and after any line paid for them). */
	if (rc == 0 && x->end[0] && strcmp(end, x->end) > 0)
		rc = db_run(
			db,
			"UPDATE entitlements SET catch_up_from = least(coalesce(catch_up_from, "
			"'9999-12'), (SELECT month_add(greatest(?1, coalesce(max(l.month), '')), 1) "
			"FROM pay_lines l WHERE l.entitlement_id = ?2 AND l.kind = 'regular' AND "
			"l.status <> '失败')) WHERE id = ?2 AND (SELECT month_add(greatest(?1, "
			"coalesce(max(l.month), '')), 1) FROM pay_lines l WHERE l.entitlement_id = ?2 "
			"AND l.kind = 'regular' AND l.status <> '失败') <= ?3",
			"sis", x->end, x->id, end);
	/* A funeral sum paid for a cause it no longer has is owed back: said in the record
	 * (the 追缴 list finds it by the same rule). */
	int64_t owed = 0;
	char yuan[32], note[128] = "";
	if (rc == 0)
		rc = db_int_query(
			db, &owed, 0,
			"SELECT coalesce(sum(l.amount_fen), 0) FROM pay_lines l JOIN "
			"benefit_types t ON t.code = l.benefit_code WHERE l.entitlement_id = "
			"? AND l.kind = 'funeral' AND l.status <> '失败' AND t.funeral_cause "
			"IS NOT NULL AND t.funeral_cause <> ?",
			"is", x->id, cause);
	if (owed) {
		money_format(owed, yuan);
		snprintf(note, sizeof(note),
			 "；已发丧葬抚恤 %s 元按更正后的死亡原因不应发放，须追缴", yuan);
	}
	char detail[700];
	snprintf(detail, sizeof(detail), "更正死亡：死亡月份 %s → %s（%s），待遇发至 %s%s；%s",
		 x->death, month, cause, end, note, why);
	utf8_scrub(detail);
	return rc ? rc : account_audit(db, by, "entitlement.death", "entitlement", x->id, detail);
}

int death_check(struct db *db, const struct principal *by, int64_t person_id,
		const struct death_correction *c, struct field_errors *e)
{
	struct dead d;
	if (!perm_allows(by->roles, PERM_DEATH_CORRECT))
		return VE_DENIED;
	int rc = load(db, by, person_id, &d);
	if (rc == 0)
		check(&d, c, e);
	return rc ? rc : e->n ? VE_INVALID : 0;
}

static int correct(struct db *db, const struct principal *by, int64_t person_id,
		   const struct death_correction *c, struct field_errors *e)
{
	struct dead d;
	int rc = load(db, by, person_id, &d);
	if (rc)
		return rc;
	check(&d, c, e);
	if (e->n)
		return VE_INVALID;
	if (strcmp(c->date, d.date) != 0 &&
	    (rc = person_restate_status(db, by, person_id, c->date, d.reason[0] ? d.reason : "死亡",
					1, e)))
		return rc;
	int m;
	char month[8];
	month_of_date(c->date, &m);
	month_format(m, month);
	struct ended x[ENDED_MAX];
	size_t n;
	rc = ended_by_death(db, person_id, x, &n);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = move_benefit(db, by, &x[i], month, c->date, c->cause, c->reason);
	if (rc == 0)
		rc = death_keep_cause(db, person_id, c->cause);
	char detail[900];
	snprintf(detail, sizeof(detail), "死亡日期 %s → %s；死亡原因 %s → %s；更正理由：%s", d.date,
		 c->date, d.cause, c->cause, c->reason);
	utf8_scrub(detail);
	return rc ? rc : account_audit(db, by, "death.correct", "person", person_id, detail);
}

int death_correct(struct db *db, const struct principal *by, int64_t person_id,
		  const struct death_correction *c, int in_tx, struct field_errors *e)
{
	field_errors_clear(e);
	if (!perm_allows(by->roles, PERM_DEATH_CORRECT))
		return VE_DENIED;
	int rc = db_tx_begin(db, in_tx);
	if (rc)
		return rc;
	return db_tx_end(db, in_tx, correct(db, by, person_id, c, e));
}

/* ---- the area ---- */

/* The bureau corrects what it recorded: a clerk, not a station (whose reports the
 * clerk checks). No second person: like the death itself it is a fact from a
 * certificate, and the money it moves passes the batches' review and approval. */
const struct perm perm_death_correct = {"death.correct", "更正死亡信息", ROLE_BIT(CLERK)};

static const struct perm *const perms[] = {PERM_DEATH_CORRECT, NULL};

static const struct audit_title audit_titles[] = {
	{"death.correct", "更正死亡信息"},
	{NULL, NULL},
};

const struct area death_area = {.name = "death", .perms = perms, .audit_titles = audit_titles};
