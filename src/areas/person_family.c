/* person_family.c - family links between people of the registry (配偶, 父母, 子女,
 * 兄弟姐妹), stored in both directions. */
#include "person.h"
#include "person_record.h"
#include "person_seal.h"
#include "lib/err.h"
#include "lib/idcard.h"
#include "lib/mem.h"
#include "lib/str.h"

#include <stdio.h>
#include <string.h>

/* What the person is to a relative who is relation i to them, by index in PERSON_RELATIONS
 * (配偶, 父母, 子女, 兄弟姐妹): a parent's child, a child's parent. */
static const int inverse_of[] = {0, 2, 1, 3};

/* The name of relation rel (an index in PERSON_RELATIONS). */
static const char *relation_name(int rel)
{
	const char *const *names;
	int n = person_vocabulary(PERSON_RELATIONS, &names);
	return rel >= 0 && rel < n ? names[rel] : "";
}

#define FIELD_RELATIVE "亲属身份证号"

/* The refusal of relation, which is none of PERSON_RELATIONS; with ask, none given (NULL
 * or "") is asked for (the form's answer). */
static void relation_refused(struct field_errors *e, const char *relation, int ask)
{
	char names[96];
	person_vocab_text(PERSON_RELATIONS, names, sizeof(names));
	if (!ask || (relation && *relation))
		field_errors_add(e, "关系", "应为 %s 之一", names);
	else
		field_errors_add(e, "关系", "请选择亲属关系");
}

json_t *person_family_json(struct db *db, const struct principal *by, int64_t id)
{
	json_t *list = json_array();
	struct db_stmt *st =
		db_q(db,
		     "SELECT f.relation, p.id, p.name FROM family_links f JOIN persons p "
		     "ON p.id = f.relative_id WHERE f.person_id = ? AND " SCOPE_REGION_SQL(
			     "p.region_code", "p.created_by") " ORDER BY f.id",
		     "i" SCOPE_REGION_FMT, id, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	while (st && db_step(st) == DB_ROW)
		json_array_append_new(list,
				      json_pack("{s:s,s:I,s:s}", "relation", db_text(st, 0), "id",
						(json_int_t)db_int(st, 1), "name", db_text(st, 2)));
	db_done(st);
	return list;
}

/* Persons person_id and relative_id into p and r when both are in by's scope;
 * VE_NOTFOUND otherwise; VE_DB. */
static int pair_in_scope(struct db *db, const struct principal *by, int64_t person_id,
			 int64_t relative_id, struct person_brief *p, struct person_brief *r)
{
	int rc = person_brief_in_scope(db, by, person_id, p);
	return rc ? rc : person_brief_in_scope(db, by, relative_id, r);
}

/* Links p to r (r is relation rel to p) in both directions, with history and audit. */
static int link_pair(struct db *db, const struct principal *by, const struct person_brief *p,
		     const struct person_brief *r, int rel, struct field_errors *e)
{
	int64_t linked = 0;
	if (p->id == r->id)
		return field_errors_add(e, FIELD_RELATIVE, "不能与本人建立家庭关系"), VE_INVALID;
	if (db_int_query(db, &linked, 0,
			 "SELECT count(*) FROM family_links WHERE (person_id = ? AND relative_id = "
			 "?) OR (person_id = ? AND relative_id = ?)",
			 "iiii", p->id, r->id, r->id, p->id) != 0)
		return VE_DB;
	if (linked) {
		field_errors_add(e, FIELD_RELATIVE, "已登记与%s的家庭关系，如需更改请先解除", r->name);
		return VE_EXISTS;
	}
	int rc = db_run(db,
			"INSERT INTO family_links (person_id, relative_id, relation, region_code) "
			"VALUES (?, ?, ?, ?), (?, ?, ?, ?)",
			"iissiiss", p->id, r->id, relation_name(rel), p->region, r->id, p->id,
			relation_name(inverse_of[rel]), r->region);
	char line[4 * 50 + 64];
	snprintf(line, sizeof(line), "%s：%s", relation_name(rel), r->name);
	if (rc == 0)
		rc = person_history_line(db, by, p, "家庭成员", "", line);
	snprintf(line, sizeof(line), "%s：%s", relation_name(inverse_of[rel]), p->name);
	if (rc == 0)
		rc = person_history_line(db, by, r, "家庭成员", "", line);
	if (rc == 0) {
		snprintf(line, sizeof(line), "登记家庭关系：人员 %lld 是本人的%s", (long long)r->id,
			 relation_name(rel));
		rc = account_audit(db, by, "person.link", "person", p->id, line);
	}
	return rc;
}

int person_link(struct db *db, const struct principal *by, int64_t person_id, int64_t relative_id,
		const char *relation, int in_tx, struct field_errors *errs)
{
	struct person_brief p, r;
	field_errors_clear(errs);
	int rc = db_tx_begin(db, in_tx);
	if (rc)
		return rc;
	rc = pair_in_scope(db, by, person_id, relative_id, &p, &r);
	int rel = person_vocab_find(PERSON_RELATIONS, relation);
	if (rc == 0 && rel < 0) {
		relation_refused(errs, relation, 0);
		rc = VE_INVALID;
	}
	if (rc == 0)
		rc = link_pair(db, by, &p, &r, rel, errs);
	return db_tx_end(db, in_tx, rc);
}

/* The person in by's scope whose 身份证号 is number, through the blind index; a number
 * registered outside the scope names no one. Problems go into e. */
static int relative_by_number(struct db *db, const struct principal *by, const char *number,
			      struct person_brief *r, struct field_errors *e)
{
	struct idcard card;
	char why[160], bidx[2 * SM3_LEN + 1];
	int64_t id = 0;
	if (!number || !*number)
		return field_errors_add(e, FIELD_RELATIVE, "请填写亲属的身份证号"), VE_INVALID;
	if (idcard_parse(number, person_today(), &card, why, sizeof(why)) != 0)
		return field_errors_add(e, FIELD_RELATIVE, "%s", why), VE_INVALID;
	person_index_id(card.number, bidx);
	mem_wipe(&card, sizeof(card));
	if (db_int_query(db, &id, 0, "SELECT id FROM persons WHERE id_bidx = ?", "s", bidx) != 0)
		return VE_DB;
	int rc = id ? person_brief_in_scope(db, by, id, r) : VE_NOTFOUND;
	if (rc == VE_NOTFOUND) {
		field_errors_add(e, FIELD_RELATIVE, "本辖区未登记该身份证号的人员，请先登记该亲属");
		rc = VE_INVALID;
	}
	return rc;
}

/* Counts a valid 身份证号 given for a relative against by's daily allowance of searches by
 * whole numbers (audit_full_search, before the link's own transaction); VE_QUOTA with the
 * field's error past it. A number that does not parse is left to relative_by_number. */
static int relative_lookup_allowed(struct db *db, const struct principal *by, const char *number,
				   int in_tx, struct field_errors *e)
{
	struct idcard card;
	char why[160], term[19];
	if (!number || idcard_parse(number, person_today(), &card, why, sizeof(why)) != 0)
		return 0;
	idcard_mask(card.number, term);
	mem_wipe(&card, sizeof(card));
	int rc = person_audit_full_search(db, by, "身份证号", term, in_tx);
	if (rc == VE_QUOTA)
		field_errors_add(e, FIELD_RELATIVE, "今天按完整身份证号或电话号码查询已达 %d 次上限，请明天再试",
			  PERSON_FULL_SEARCHES_PER_DAY);
	return rc;
}

int person_link_number(struct db *db, const struct principal *by, int64_t person_id,
		       const char *number, const char *relation, int in_tx,
		       struct field_errors *errs)
{
	struct person_brief p, r;
	field_errors_clear(errs);
	/* Whether a number is registered is the answer a search gives: it counts as one,
	 * audited even when the link is refused. */
	int rc = relative_lookup_allowed(db, by, number, in_tx, errs);
	if (rc)
		return rc;
	rc = db_tx_begin(db, in_tx);
	if (rc)
		return rc;
	rc = person_brief_in_scope(db, by, person_id, &p);
	int rel = person_vocab_find(PERSON_RELATIONS, relation);
	if (rc == 0 && rel < 0)
		relation_refused(errs, relation, 1);
	if (rc == 0) {
		rc = relative_by_number(db, by, number, &r, errs);
		if (rc == 0 && errs->n)
			rc = VE_INVALID;
	}
	if (rc == 0)
		rc = link_pair(db, by, &p, &r, rel, errs);
	return db_tx_end(db, in_tx, rc);
}

int person_unlink(struct db *db, const struct principal *by, int64_t person_id, int64_t relative_id,
		  int in_tx)
{
	struct person_brief p = {0}, r = {0};
	char relation[16] = "", inverse[16] = "";
	int rc = db_tx_begin(db, in_tx);
	if (rc)
		return rc;
	rc = pair_in_scope(db, by, person_id, relative_id, &p, &r);
	struct db_stmt *st = rc ? NULL
				: db_q(db,
				       "SELECT person_id, relation FROM family_links WHERE "
				       "(person_id = ? AND relative_id = ?) OR (person_id = ? AND "
				       "relative_id = ?)",
				       "iiii", p.id, r.id, r.id, p.id);
	while (st && db_step(st) == DB_ROW)
		str_copy(db_int(st, 0) == p.id ? relation : inverse, db_text(st, 1), 16);
	db_done(st);
	if (rc == 0 && !relation[0] && !inverse[0])
		rc = VE_NOTFOUND;
	if (rc == 0)
		rc = db_run(db,
			    "DELETE FROM family_links WHERE (person_id = ? AND relative_id = ?) OR "
			    "(person_id = ? AND relative_id = ?)",
			    "iiii", p.id, r.id, r.id, p.id);
	char line[4 * 50 + 64];
	snprintf(line, sizeof(line), "%s：%s", relation[0] ? relation : "亲属", r.name);
	if (rc == 0)
		rc = person_history_line(db, by, &p, "家庭成员", line, "");
	snprintf(line, sizeof(line), "%s：%s", inverse[0] ? inverse : "亲属", p.name);
	if (rc == 0)
		rc = person_history_line(db, by, &r, "家庭成员", line, "");
	if (rc == 0) {
		snprintf(line, sizeof(line), "解除家庭关系：人员 %lld（%s）", (long long)r.id,
			 relation[0] ? relation : inverse);
		rc = account_audit(db, by, "person.unlink", "person", p.id, line);
	}
	return db_tx_end(db, in_tx, rc);
}
