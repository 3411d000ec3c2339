/* benefit.h - what the bureau pays (SPEC §2.2, §2.3): benefit types, their
 * standards and the 义务兵优待 rule tables, all as data.
 *
 * A standard is a yearly amount in 分 (national + 地方增发) for one benefit, one
 * person category ('' = any) and, for graded benefits (残疾抚恤金), one grade
 * (1-10) and nature (因战, 因公, 因病). It is in force from the first day of a month
 * until a later standard of the same key, and only once a second person has
 * approved it. A month's amount is the month's share of the yearly amount:
 * floor(Y * k / 12) - floor(Y * (k - 1) / 12) for month k of the year, so the
 * twelve months add up to Y exactly, to the fen. */
#ifndef VETS_BENEFIT_H
#define VETS_BENEFIT_H

#include "areas/area.h"
#include <jansson.h>
#include <stdint.h>

#include "areas/account.h"
#include "db/db.h"
#include "lib/field_errors.h"

/* Called for each rejected row of an import: row number and Chinese reason. */
typedef void (*benefit_error_fn)(void *ctx, long row, const char *reason);

/* The month's share (month 1-12) of a yearly amount. */
int64_t benefit_month_share(int64_t yearly_fen, int month);

/* All benefit types: [{"code","name","cycle","cycle_title","basis","categories",
 * "funeral_months","funeral_cause","standards":N approved (of any date),"pending":N
 * awaiting approval}]. */
int benefit_types(struct db *db, json_t **out);
/* 1 when code names a benefit type. */
int benefit_exists(struct db *db, const char *code);
/* The benefit type named by its code (DISABILITY) or name (残疾抚恤金). */
struct benefit_info {
	char code[32], name[64], cycle[16], basis[16];
};
/* 0 and *b, or VE_NOTFOUND (or VE_DB). */
int benefit_find(struct db *db, const char *code_or_name, struct benefit_info *b);
/* An amount of 分 as JSON text in 元 ("1234.56"). */
json_t *benefit_money_json(int64_t fen);

/* A standard as text, the way a form or an import row gives it. Amounts in 元 per year. */
struct standard_text {
	const char *benefit;  /* code (DISABILITY) or name (残疾抚恤金) */
	const char *category; /* "" or NULL: any */
	const char *grade;    /* "" or 1-10 (一级…十级 accepted) */
	const char *nature;
	const char *effective_from; /* YYYY-MM-01 */
	const char *national, *local;
	const char *note;
};
/* A refusal that names one field (its Chinese label, as the form shows it, e.g.
 * "生效日期"): added to fe when fe is not NULL (a form marks the field), else written to
 * err as one line "生效日期：应为…" (a command line, an import row). Returns VE_INVALID.
 * The benefit areas report every field's error this way; nobody parses it back. */
int benefit_field_error(struct field_errors *fe, char *err, size_t errlen, const char *field,
			const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Proposes a standard (status 待审核), checked; audited. demo marks a made-up
 * figure. 0 and *id; VE_INVALID with the first bad field in fe (benefit_field_error;
 * err stays as it was when fe is given) or, when no one field is at fault, with err;
 * VE_DENIED, VE_DB with err. */
int benefit_standard_propose(struct db *db, const struct principal *by,
			     const struct standard_text *t, int demo, int64_t *id,
			     struct field_errors *fe, char *err, size_t errlen);
/* Approves (approve = 1) or rejects a proposal: never by the person who proposed
 * it (VE_DENIED). Approval puts it in force, replacing an earlier approved
 * standard of the same key and date. Audited. VE_NOTFOUND, VE_CONFLICT (decided already). */
int benefit_standard_decide(struct db *db, const struct principal *by, int64_t id, int approve,
			    char *err, size_t errlen);
/* Standards of a benefit (code; NULL all), newest first: [{"id","benefit","benefit_name",
 * "category","grade","nature","effective_from","national_fen","local_fen","yearly_fen",
 * "national","local","yearly" (元 text),"note","demo","status","proposed_name","decided_name"}]. */
int benefit_standard_list(struct db *db, const char *code, json_t **out);
/* Imports standards from .csv/.xlsx with the columns 待遇, 人员类别, 残疾等级, 残疾性质,
 * 生效日期, 国家标准（元/年）, 地方增发（元/年）, 说明: every row checked first; any
 * bad row is reported through on_error and nothing changes (VE_INVALID); else all
 * are proposed in one transaction (*n of them), each still needing approval. */
int benefit_standard_import(struct db *db, const struct principal *by, const char *path,
			    benefit_error_fn on_error, void *ctx, long *n, char *err,
			    size_t errlen);

/* The 义务兵 rule tables. kind: 基数 (item 基数), 增发 (在校生, 毕业生, 新生, 艰苦地区,
 * 进藏进疆, 立功), 奖励金 (item: 学历, e.g. 高中, 大专, 本科, 研究生). Sets (or replaces)
 * one rule for year; audited. A bad 年度, 类型, 项目 or 金额 is VE_INVALID through fe
 * (benefit_field_error); VE_DENIED, VE_DB with err. */
int conscript_rule_set(struct db *db, const struct principal *by, int year, const char *kind,
		       const char *item, int64_t amount_fen, int demo, struct field_errors *fe,
		       char *err, size_t errlen);
/* Rules of year (0: all): [{"year","kind","item","amount_fen","amount","demo"}]. */
int conscript_rule_list(struct db *db, int year, json_t **out);
/* Approves year's rule table as it stands, by someone (PERM_STANDARD_APPROVE, a real
 * account) who set none of its rules: only then do imports use it. Setting a rule
 * withdraws the approval. Audited. VE_DENIED, VE_INVALID (no 基数 for the year). */
int conscript_rules_approve(struct db *db, const struct principal *by, int year, char *err,
			    size_t errlen);
/* The approval of year's table: {"approved":bool,"approved_name"}. */
int conscript_rules_approval(struct db *db, int year, json_t **out);

/* ---- vocabularies ---- */

/* A standard's 残疾性质 and 残疾等级 are the registry's (person.h: PERSON_NATURES,
 * person_grade_title, PERSON_GRADE_MIN..PERSON_GRADE_MAX). */

/* ---- what the area declares (area.h) ---- */

/* standards, entitlements, batches and their lines */
extern const struct perm perm_benefit_read;
#define PERM_BENEFIT_READ (&perm_benefit_read)
/* propose standards and 义务兵 rules, import them */
extern const struct perm perm_standard_write;
#define PERM_STANDARD_WRITE (&perm_standard_write)
/* approve or reject a proposed standard (not one's own) */
extern const struct perm perm_standard_approve;
#define PERM_STANDARD_APPROVE (&perm_standard_approve)
extern const struct area benefit_area;

#endif
