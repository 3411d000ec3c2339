/* conscript.h - 义务兵优待 (SPEC §2.3): the recruitment office's (征兵办) list of new
 * conscripts, imported into the registry, and for each of them the family allowance
 * (义务兵家庭优待金, paid per year of service) and the one-off enlistment bonus
 * (一次性入伍奖励金), granted as fixed entitlements whose amounts come from the rule
 * tables (conscript_rules, see benefit.h) of the year of enlistment. The payments
 * themselves are made later by the ordinary payment batches (payment.h).
 *
 * The columns of the list are described in docs/CONSCRIPTS.md. */
#ifndef VETS_CONSCRIPT_H
#define VETS_CONSCRIPT_H

#include "areas/area.h"
#include <stdint.h>

#include "areas/account.h"
#include "areas/person.h"
#include "areas/person_import.h"
#include "db/db.h"
#include "lib/crypto.h"

/* Keeps a copy of the data keys (the family's phone is stored sealed). Call once at
 * start, before threads. */
void conscript_init(const struct crypto_keys *keys);
/* Seals every family phone again bound to its row (see person_seal_upgrade), in one
 * transaction; *n_rows of them. VE_CRYPTO (err) when one opens under neither form. */
int conscript_seal_upgrade(struct db *db, long *n_rows, char *err, size_t errlen);

/* The columns of the list, in the documented order. */
#define CONSCRIPT_COLUMNS 13
extern const char *const conscript_columns[CONSCRIPT_COLUMNS];

/* One row as text; NULL or "" is an empty cell. */
struct conscript_text {
	const char *name, *id_number, *enlisted, *education, *college, *hardship, *merit;
	const char *street, *community, *family_name, *family_phone, *bank_name, *bank_account;
};

/* What a row says beyond the registry's fields, checked. */
struct conscript_facts {
	char enlisted[11]; /* YYYY-MM-DD */
	int year, month;
	char education[16]; /* 高中及以下, 大专, 本科, 研究生 */
	char college[16];   /* "", 在校生, 毕业生, 新生 */
	char hardship[16];  /* "", 艰苦地区, 进藏进疆 */
	char merit[4 * 100 + 1];
	char family_name[4 * 50 + 1], family_phone[24];
};

/* Checks the row's own fields (入伍时间, 学历, 大学生情况, 艰苦地区, 立功受奖, 家属姓名,
 * 家属联系电话; 开户行 and 银行账号 must be given) into f. 入伍时间 is YYYY-MM-DD, or the
 * day number a spreadsheet stores for a date cell. The registry's fields (姓名, 身份证号,
 * 街道, 社区, the account's digits) are checked by person_save. Returns 0, or VE_INVALID
 * with e filled (fields are the column names). No database: a pure function. */
int conscript_parse(const struct conscript_text *t, struct conscript_facts *f,
		    struct field_errors *e);

/* The rules of one year, as conscript_rules holds them. */
struct conscript_rules {
	int year, n;
	int approved; /* a second person approved the year's table as it stands */
	struct {
		char kind[16], item[64];
		int64_t amount_fen;
	} items[64];
};
/* Reads the rules of year into r. 0 or VE_DB. */
int conscript_rules_load(struct db *db, int year, struct conscript_rules *r);

/* What a conscript is granted: the allowance per year of service from start_month to
 * end_month (24 months), and the bonus once in start_month, each with how it was found,
 * e.g. "基数 28000.00 + 毕业生 5000.00 + 艰苦地区 2000.00 = 35000.00 元/年（2026年标准）".
 * An amount of 0 (a rule set to 0) means nothing is granted for it. */
struct conscript_award {
	char start_month[8], end_month[8];
	int64_t allowance_fen, bonus_fen;
	char allowance_text[400], bonus_text[200];
};
/* Computes f's award from r (the rules of f->year): 基数 + each 增发 that applies
 * (大学生情况, 艰苦地区, 立功 when 立功受奖 is not empty); the 奖励金 of the education.
 * A missing 基数, 增发 or 奖励金 rule is an error (field 优待规则): a supplement the
 * district does not pay is set to 0, never left out. Returns 0, or VE_INVALID with e
 * filled. No database: a pure function. */
int conscript_compute(const struct conscript_rules *r, const struct conscript_facts *f,
		      struct conscript_award *a, struct field_errors *e);

/* 0 when item is a rule item of kind (基数: 基数; 增发: 在校生, 毕业生, 新生, 艰苦地区,
 * 进藏进疆, 立功; 奖励金: 高中及以下, 大专, 本科, 研究生) that an import can use; else
 * VE_INVALID with a Chinese message in err naming the accepted items. */
int conscript_rule_item_check(const char *kind, const char *item, char *err, size_t errlen);
/* The kinds of rule (基数, 增发, 奖励金), in the order forms list them, and what the items
 * of each are when they are not just named ("学历" for 奖励金, else ""). */
#define CONSCRIPT_N_RULE_KINDS 3
extern const char *const conscript_rule_kinds[CONSCRIPT_N_RULE_KINDS];
extern const char *const conscript_rule_kind_notes[CONSCRIPT_N_RULE_KINDS];
/* The i-th of every rule item, kind by kind in the order above (基数; 增发's; 奖励金's), its
 * kind into *kind (when kind is not NULL); NULL past the last. The names a form offers. */
const char *conscript_rule_item(size_t i, const char **kind);

/* Called for each error of a rejected row: its number (the header is row 1), the field
 * (a column's name, or 优待规则 / 待遇资格) and what is wrong with it. */
typedef void (*conscript_error_fn)(void *ctx, long row, const char *field, const char *message);

struct conscript_summary {
	long rows; /* rows accepted */
	long added, changed,
		unchanged; /* of them, people new to, changed in, or as in the registry */
	long granted;      /* entitlements granted (one row grants up to two) */
	long kept;         /* entitlements found granted already: left as they are */
	long kept_differ;  /* of those, how many the rules would now compute differently */
	long rejected, empty;
	int64_t allowance_fen, bonus_fen; /* yearly allowance and bonuses granted by this import */
};

/* Imports the conscripts of path (.csv or .xlsx) as by. For each row, in one unit
 * with the person: registers the conscript with the identity 现役军人 (keeping the
 * identities they hold; an existing person is updated, with history), records the
 * enlistment and the family's contact, stores the family's account as the person's
 * bank account, and grants CONSCRIPT (from the month of enlistment for 24 months,
 * amount per year) and ENLIST_BONUS (once), each audited. An entitlement already
 * granted is left as it is (counted in kept), so importing the same file twice
 * changes nothing the second time. A rejected row is reported through on_error and
 * leaves nothing behind. mode: IMPORT_KEEP_GOOD keeps the good rows;
 * IMPORT_ALL_OR_NOTHING keeps nothing when a row is rejected (VE_INVALID);
 * IMPORT_DRY_RUN checks and counts everything and keeps nothing. An import that
 * changed something is audited once more as a whole ("conscript.import").
 * Returns 0 with *n; VE_INVALID with err when the file can't be read (bad header,
 * encoding, …: nothing kept); VE_DB with err. */
int conscript_import(struct db *db, const struct principal *by, const char *path,
		     conscript_error_fn on_error, void *ctx, enum import_mode mode,
		     struct conscript_summary *n, char *err, size_t errlen);


/* ---- what the area declares (area.h) ---- */

extern const struct area conscript_area;

#endif
