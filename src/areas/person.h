/* person.h - the registry of people (人员信息库): who they are, their identities,
 * family, status and the history of every change.
 *
 * 身份证号, 联系电话, 银行账号 and disability data are stored only encrypted
 * (SM4 + HMAC-SM3), found by blind index, and shown masked; the full values
 * are read only through person_reveal(), which is audited. Every read and
 * write takes the caller's data scope: a person outside it does not exist. */
#ifndef VETS_PERSON_H
#define VETS_PERSON_H

#include "areas/area.h"
#include <jansson.h>
#include <stdint.h>

#include "areas/account.h"
#include "db/db.h"
#include "lib/crypto.h"
#include "lib/field_errors.h"

/* The identities a person may hold (人员类别). */
enum category {
	CAT_VETERAN,         /* 退役军人 */
	CAT_DISABLED,        /* 残疾军人 */
	CAT_MARTYR_FAMILY,   /* 烈士遗属 */
	CAT_DUTY_FAMILY,     /* 因公牺牲军人遗属 */
	CAT_ILLNESS_FAMILY,  /* 病故军人遗属 */
	CAT_DEMOBILIZED,     /* 在乡复员军人 */
	CAT_SICK_RETURNED,   /* 带病回乡退役军人 */
	CAT_WAR,             /* 参战退役军人 */
	CAT_TEST,            /* 参试退役军人 */
	CAT_RURAL_60,        /* 年满60周岁农村籍退役士兵 */
	CAT_MARTYR_CHILD,    /* 烈士子女 */
	CAT_ACTIVE,          /* 现役军人 */
	CAT_MILITARY_FAMILY, /* 军人家属 */
	CAT__COUNT
};

/* The Chinese name of a category; the category named name, or -1. */
const char *category_title(enum category c);
int category_parse(const char *name);

/* The registry's other vocabularies, each defined once here: the form's choices, the
 * filters, the demo and the checks all read them through person_vocabulary. */
enum person_vocab {
	PERSON_STATUSES,   /* 在册, 中止, 取消, 迁出, 死亡 */
	PERSON_RELATIONS,  /* 配偶, 父母, 子女, 兄弟姐妹: what a relative is to the person */
	PERSON_PLACEMENTS, /* 安置方式: 逐月领取退役金, 自主就业, 安排工作, 退休, 供养, 转业, 复员 */
	PERSON_NATURES,    /* 残疾性质: 因战, 因公, 因病 (also the causes a funeral grant
			    * distinguishes, see entitlement.h) */
	PERSON_VOCABS
};
/* The names of vocabulary v into *names; returns how many there are. */
int person_vocabulary(enum person_vocab v, const char *const **names);
/* The names of vocabulary v joined with 、 into out (for messages: "配偶、父母、…"). */
void person_vocab_text(enum person_vocab v, char *out, size_t size);
/* The index of name in vocabulary v, or -1. */
int person_vocab_find(enum person_vocab v, const char *name);
/* The disability grades (残疾等级): 1 (the most severe) to 10. */
#define PERSON_GRADE_MIN 1
#define PERSON_GRADE_MAX 10
/* How grade reads on a form ("一级" … "十级"); "" outside the range. */
const char *person_grade_title(int grade);

/* 1 when v is a phone number the registry accepts: an 11-digit mobile number (1[3-9]…),
 * a fixed line with its area code (0…, one dash allowed), or a local 7- or 8-digit one. */
int person_phone_valid(const char *v);

/* The fields of a person, in the import format's column order: one table drives the
 * parsing, the checks, the comparison, the history, the export and the form. */
enum person_field_kind {
	PERSON_KIND_TEXT,       /* free text of at most max_chars characters */
	PERSON_KIND_ID,         /* 身份证号 (lib/idcard.h) */
	PERSON_KIND_CATEGORIES, /* categories joined with 、 ; or ； */
	PERSON_KIND_PHONE,      /* a mobile or fixed-line number */
	PERSON_KIND_REGION,     /* a street or community, by name */
	PERSON_KIND_DATE,       /* YYYY-MM or YYYY-MM-DD, not in the future */
	PERSON_KIND_CHOICE,     /* one of a vocabulary (vocab) */
	PERSON_KIND_GRADE,      /* PERSON_GRADE_MIN..PERSON_GRADE_MAX */
	PERSON_KIND_ACCOUNT,    /* a bank account: 12 to 30 digits */
};
/* How a field shows where full values are not allowed. */
enum person_mask {
	PERSON_MASK_NONE,    /* as it is */
	PERSON_MASK_ID,      /* idcard_mask */
	PERSON_MASK_PHONE,   /* sealed_mask_phone */
	PERSON_MASK_ACCOUNT, /* sealed_mask_account */
	PERSON_MASK_HIDDEN,  /* the history says it changed, not to what */
};
#define PERSON_FIELDS 15
struct person_field {
	const char *label; /* the Chinese name: column, history line, error's field */
	const char *name;  /* the form's and the API's parameter */
	enum person_field_kind kind;
	int sealed;            /* stored only encrypted (sealed.h) */
	enum person_mask mask;
	int required;          /* must not be empty */
	int identity;          /* kept on the identity rows: a change rewrites them */
	size_t max_chars;      /* PERSON_KIND_TEXT: the most characters */
	int multiline;         /* PERSON_KIND_TEXT: newlines allowed */
	enum person_vocab vocab; /* PERSON_KIND_CHOICE */
	size_t text;           /* offsetof(struct person_text, the field) */
	size_t value, size;    /* where person.c keeps the plain value, and its room */
};
extern const struct person_field person_fields[PERSON_FIELDS];
/* The labels of person_fields in order: the import's and the export's header row. */
void person_column_labels(const char *out[PERSON_FIELDS]);

/* Keeps a copy of the data keys and derives the registry's blind-index keys (one per
 * field). Call once at start, before threads. */
void person_init(const struct crypto_keys *keys);

/* The sealed columns; each value is bound to its column and person (sealed_open). */
#define PERSON_SEALED_ID "persons.id_enc"
#define PERSON_SEALED_PHONE "persons.phone_enc"
#define PERSON_SEALED_ACCOUNT "persons.account_enc"
#define PERSON_SEALED_DISABILITY "person_identities.disability_enc"

/* 1 when the registry's rows were written by an older vets (one blind-index key for all
 * fields, values not bound to their place) and person_seal_upgrade has yet to run;
 * -1 when the store cannot be read. */
int person_seal_upgrade_pending(struct db *db);
/* Re-indexes and re-seals every person of an older vets in the current form, in one
 * transaction, and records that in settings ("registry.seal"). Values already in the
 * current form are kept, so it may run again. *n_rows: the people rewritten. Returns 0;
 * VE_CRYPTO with err filled (nothing changed) when a value opens under neither form (a
 * key file that is not this database's); VE_DB. */
int person_seal_upgrade(struct db *db, long *n_rows, char *err, size_t errlen);
/* 1 when some people lack the blind indexes of their ID number's last four characters and
 * first six digits (a store written before migration 0015) and person_id_parts_upgrade has
 * yet to run; -1 when the store cannot be read. */
int person_id_parts_pending(struct db *db);
/* Indexes the parts of every person's ID number, in one transaction, and records that in
 * settings ("registry.id_parts"; person_seal_upgrade sets it too). Values sealed in either
 * form open. *n_rows: the people indexed. 0; VE_CRYPTO with err filled (nothing changed)
 * when a number does not open; VE_DB. */
int person_id_parts_upgrade(struct db *db, long *n_rows, char *err, size_t errlen);

/* A person as text, the way a form, an API call or an import row gives it.
 * NULL means "not given" (an update keeps the old value); "" clears an optional field. */
struct person_text {
	const char *name, *id_number, *categories, *phone, *street, *community, *address;
	const char *enlisted, *discharged, *placement, *disability_grade, *disability_nature;
	const char *bank_name, *bank_account, *note;
};

/* Field-level errors (lib/field_errors.h): field is the Chinese column name, e.g. "身份证号". */
/* What a save did. */
enum person_outcome { PERSON_ADDED, PERSON_CHANGED, PERSON_UNCHANGED };

/* Checks t and creates the person, or updates the one with the same 身份证号
 * (when update_existing; else VE_EXISTS), writing a history line for each changed
 * field and an audit record, inside the caller's transaction when in_tx, else in
 * its own. Street and community are names, resolved against the regions. Returns
 * 0 with *id and *outcome; VE_INVALID with errs filled; VE_NOTFOUND when the
 * existing person is outside by's scope (reported as "无权修改该人员"); VE_DB. */
int person_save(struct db *db, const struct principal *by, const struct person_text *t,
		int update_existing, int in_tx, int64_t *id, enum person_outcome *outcome,
		struct field_errors *errs);
/* person_save with flags, and what it found out in *info. */
enum {
	PERSON_UPDATE_EXISTING = 1, /* a registered 身份证号 updates that person */
	PERSON_IN_TX = 2,           /* inside the caller's transaction */
	PERSON_CHECK_ONLY = 4,      /* check and say what would happen, write nothing (a
				     * preview: a read transaction is enough) */
};
struct person_save_info {
	char id_bidx[2 * SM3_LEN + 1]; /* the 身份证号's blind index, "" when it did not parse */
	int out_of_scope;              /* refused: the 身份证号 is registered outside the scope */
	/* refused as a duplicate (VE_EXISTS) of a person in the caller's scope: who, the name
	 * masked ("张*"), for a link to that person's page; 0 and "" otherwise. */
	int64_t existing_id;
	char existing_name[64];
};
/* A 身份证号 already registered in the caller's scope (without PERSON_UPDATE_EXISTING) is
 * VE_EXISTS naming that person in info. One registered outside the scope is refused
 * (VE_INVALID, field 身份证号, PERSON_ELSEWHERE_MESSAGE: no name, no street) only after every
 * field has been checked, and (unless PERSON_CHECK_ONLY) recorded as a hit of the day and
 * audited: a station learns no more than that the number is registered, as a failed save
 * would tell it anyway, and at most PERSON_SCOPE_HITS_MAX times a day. Once a user has
 * hit PERSON_SCOPE_HITS_MAX such numbers in a day, any save that would register someone
 * new is VE_QUOTA (audited; errs holds PERSON_SCOPE_LIMIT_MESSAGE) until the next day. */
int person_save_ex(struct db *db, const struct principal *by, const struct person_text *t,
		   int flags, int64_t *id, enum person_outcome *outcome,
		   struct field_errors *errs, struct person_save_info *info);

#define PERSON_ELSEWHERE_MESSAGE                                                           \
	"该身份证号已在其他辖区登记，不能在此重复登记；如需办理，请联系区局"
#define PERSON_SCOPE_HITS_MAX 20
#define PERSON_SCOPE_LIMIT_MESSAGE                                                         \
	"今日登记的身份证号中不在本辖区的已达上限，今日不能再登记新的人员；如需办理，请联系区局"
/* The distinct out-of-scope 身份证号 by has hit today into *n. 0 or VE_DB. */
int person_scope_hits_today(struct db *db, const struct principal *by, int64_t *n);
/* *past = 1 when by has reached the day's limit. 0 or VE_DB. */
int person_scope_hits_past_limit(struct db *db, const struct principal *by, int *past);
/* *known = 1 when bidx is already among by's hits of today. 0 or VE_DB. */
int person_scope_hit_known(struct db *db, const struct principal *by, const char *bidx,
			   int *known);
/* Records n hits (blind indexes) of by today, with one audit record, inside the caller's
 * transaction when in_tx, else in its own. 0 or VE_DB. */
int person_scope_hits_add(struct db *db, const struct principal *by,
			  const char (*bidx)[2 * SM3_LEN + 1], int n, int in_tx);

/* Updates person id (in by's scope) from t: fields left NULL keep their values.
 * 身份证号 cannot change here. Same results as person_save. */
int person_update(struct db *db, const struct principal *by, int64_t id,
		  const struct person_text *t, enum person_outcome *outcome,
		  struct field_errors *errs);

struct person_filter {
	/* part of a name, or a whole 身份证号 or phone number (which alone decides then), or
	 * the last four characters ("123X") or first six digits of a 身份证号; spaces around
	 * it are ignored */
	const char *q;
	const char *category;           /* a category's Chinese name */
	const char *street, *community; /* region codes */
	const char *status;
	int age_min, age_max; /* 0 = open */
	const char *sort;     /* "name", "-name", "age", "-age", "id" (default), "-id" */
	int64_t page, per_page;
};
/* How many searches by a whole 身份证号 or phone number one user may make a day (Beijing
 * time): each confirms or refutes a guess at a masked number's hidden digits. */
#define PERSON_FULL_SEARCHES_PER_DAY 200

/* When f searches by a whole 身份证号 or phone number, which confirms or refutes a guess
 * at a masked number: counts it against by's allowance for today and audits it
 * ("person.search_full", the number masked). A search by a part of a 身份证号 is audited
 * ("person.search_part") and not counted: the part is what lists show of every masked
 * number. Returns 0 (also for any other filter);
 * VE_QUOTA past PERSON_FULL_SEARCHES_PER_DAY, audited with result "refused"; VE_DB.
 * Call it before person_list for a user's search (not for the program's own look-ups). */
int person_search_audit(struct db *db, const struct principal *by, const struct person_filter *f);
/* People in by's scope matching f: {"total":N,"items":[{"id","name","id_number"(masked),
 * "sex","age","categories":[…],"street","community","status"}],"matched"}, matched saying
 * what the term matched ("身份证号后四位为 1234 的人员"; "" without one). No birth date: the
 * masked number hides exactly the birth date. */
int person_list(struct db *db, const struct principal *by, const struct person_filter *f,
		json_t **out);
/* One person in scope, masked (age, no birth date), with identities, family and history;
 * VE_NOTFOUND otherwise. */
int person_get(struct db *db, const struct principal *by, int64_t id, json_t **out);
/* The full 身份证号, birth date, phone, account and disability data of person id, for a
 * role that needs them; the read is audited ("person.view_full"). VE_NOTFOUND outside scope. */
int person_reveal(struct db *db, const struct principal *by, int64_t id, json_t **out);
/* The disability grade (1-10) and nature of person id, decrypted, for deciding
 * which standard pays them; not a view (no audit). VE_NOTFOUND when none. */
int person_disability(struct db *db, int64_t id, int *grade, char nature[16]);
/* 1 when by's roles may see full sensitive data (PERM_PERSON_REVEAL). */
int person_may_reveal(const struct principal *by);

/* Changes person id's status (在册, 中止, 取消, 迁出, 死亡) as of date (YYYY-MM-DD, a real
 * date from the birth date up to today) for reason (1–60 characters), with a history
 * line and an audit record, inside the caller's transaction when in_tx, else in its
 * own. VE_NOTFOUND when id is outside by's scope; VE_INVALID with errs filled (fields
 * 状态, 变更日期, 变更原因; the current status again is refused); VE_DB. */
int person_set_status(struct db *db, const struct principal *by, int64_t id, const char *status,
		      const char *date, const char *reason, int in_tx, struct field_errors *errs);
/* Corrects the date and reason of person id's current status (a recorded death whose
 * date was wrong), with a history line and an audit record; transactions, scope and
 * errors (变更日期, 变更原因) as person_set_status. */
int person_restate_status(struct db *db, const struct principal *by, int64_t id, const char *date,
			  const char *reason, int in_tx, struct field_errors *errs);
/* Links person_id to relative_id as relation (配偶, 父母, 子女, 兄弟姐妹: what the
 * relative is to the person). Both directions are stored (the relative's row holds the
 * inverse relation), so the link shows on both pages; each gets a history line, and
 * the link an audit record. Transactions as person_set_status. VE_NOTFOUND when either
 * person is outside by's scope; VE_INVALID (a bad relation, a link to oneself) or
 * VE_EXISTS (already linked) with errs filled (fields 关系, 亲属身份证号). */
int person_link(struct db *db, const struct principal *by, int64_t person_id, int64_t relative_id,
		const char *relation, int in_tx, struct field_errors *errs);
/* person_link with the relative given by the full 身份证号 (found through the blind
 * index); a number not registered in by's scope is VE_INVALID (亲属身份证号). The look-up
 * counts as a search by a whole number (audited; VE_QUOTA past the day's allowance). */
int person_link_number(struct db *db, const struct principal *by, int64_t person_id,
		       const char *number, const char *relation, int in_tx,
		       struct field_errors *errs);
/* Removes the link between person_id and relative_id (both directions), with history
 * on both and an audit record. VE_NOTFOUND when either is outside by's scope or they
 * are not linked. Transactions as person_set_status. */
int person_unlink(struct db *db, const struct principal *by, int64_t person_id, int64_t relative_id,
		  int in_tx);

/* Why a full export is made: the form's choices, the last of which (其他) needs the
 * purpose in words. */
#define PERSON_EXPORT_OTHER "其他"
extern const char *const person_export_purposes[];
#define PERSON_EXPORT_N_PURPOSES 4
/* The most characters a purpose in words may have. */
#define PERSON_EXPORT_PURPOSE_MAX 200
/* Checks a full export's purpose (choice one of person_export_purposes; text required
 * for 其他, optional otherwise, at most PERSON_EXPORT_PURPOSE_MAX characters) and writes
 * it as the audit record will name it ("发放核对", "其他：…", "上级报送：…") into out.
 * 0, or VE_INVALID with errs filled (fields 导出用途, 用途说明). */
int person_export_purpose(const char *choice, const char *text, char *out, size_t size,
			  struct field_errors *errs);
/* The filter f as a full export's audit record names it, whole numbers masked
 * ("街道 长青街道（420199002）；状态 在册", "全部"), into out. */
void person_export_describe(struct db *db, const struct principal *by,
			    const struct person_filter *f, char *out, size_t size);
/* Calls row(ctx, cells) with PERSON_FIELDS cells for each person in scope matching f
 * (page ignored), in the import format's column order (person_fields), with sensitive
 * values masked, or in full when purpose is given (from person_export_purpose): that
 * needs PERM_PERSON_EXPORT_FULL (VE_DENIED before any row) and is audited once, after
 * the last row, as "person.export_full" naming the purpose, the filter and the number
 * of people; when that record cannot be written the result is VE_DB and the caller
 * must discard what it wrote. */
int person_export(struct db *db, const struct principal *by, const struct person_filter *f,
		  const char *purpose, void (*row)(void *ctx, const char *const *cells),
		  void *ctx);


/* ---- what the area declares (area.h) ---- */

/* the registry: lists and person pages (masked) */
extern const struct perm perm_person_read;
#define PERM_PERSON_READ (&perm_person_read)
/* register and edit people, import */
extern const struct perm perm_person_write;
#define PERM_PERSON_WRITE (&perm_person_write)
/* see full ID numbers, phones, accounts, disability data (audited) */
extern const struct perm perm_person_reveal;
#define PERM_PERSON_REVEAL (&perm_person_reveal)
/* export lists with full ID numbers, phones, accounts (audited with the purpose) */
extern const struct perm perm_person_export_full;
#define PERM_PERSON_EXPORT_FULL (&perm_person_export_full)
extern const struct area person_area;

#endif
