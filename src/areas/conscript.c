/* conscript.c - 义务兵优待: the recruitment office's list into the registry, and each
 * conscript's allowance and enlistment bonus granted from the rule tables. */
#include "conscript.h"
#include "audit.h"
#include "benefit.h"
#include "entitlement.h"
#include "io/sheet.h"
#include "sealed.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/idcard.h"
#include "lib/mem.h"
#include "lib/money.h"
#include "lib/str.h"
#include "lib/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows written between commits when the good rows are kept. */
#define BATCH_ROWS 500
/* The largest amount of one entitlement payment (the entitlements table's bound). */
#define GRANT_MAX_FEN 100000000

void conscript_init(const struct crypto_keys *k)
{
	sealed_init(k);
}

/* The family's phone is sealed to its row (sealed.h): column and person. */
#define FAMILY_PHONE_COLUMN "conscripts.family_phone_enc"

int conscript_seal_upgrade(struct db *db, long *n_rows, char *err, size_t errlen)
{
	*n_rows = 0;
	if (db_tx_begin(db, 0) != 0)
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	struct db_stmt *st = db_q(db,
				  "SELECT person_id, family_phone_enc FROM conscripts WHERE "
				  "family_phone_enc IS NOT NULL ORDER BY person_id",
				  "");
	int rc = st ? 0 : VE_DB;
	char phone[64];
	while (rc == 0 && db_step(st) == DB_ROW) {
		int64_t id = db_int(st, 0);
		size_t len, sealed_len;
		const unsigned char *blob = db_blob(st, 1, &len);
		unsigned char *sealed;
		if (sealed_open_either(FAMILY_PHONE_COLUMN, id, blob, len, phone, sizeof(phone)) !=
		    0) {
			rc = err_set(err, errlen, VE_CRYPTO,
				     "义务兵（人员 %lld）家属电话无法解密（密钥文件与数据库不符？）",
				     (long long)id);
			break;
		}
		sealed_seal(FAMILY_PHONE_COLUMN, id, phone, &sealed, &sealed_len);
		rc = db_run(db, "UPDATE conscripts SET family_phone_enc = ? WHERE person_id = ?",
			    "bi", (const void *)sealed, sealed_len, id);
		free(sealed);
		(*n_rows)++;
	}
	mem_wipe(phone, sizeof(phone));
	db_done(st);
	rc = db_tx_end(db, 0, rc);
	return rc == VE_DB ? err_set(err, errlen, VE_DB, "升级失败") : rc;
}

const char *const conscript_columns[CONSCRIPT_COLUMNS] = {
	"姓名", "身份证号", "入伍时间", "学历",         "大学生情况", "艰苦地区", "立功受奖",
	"街道", "社区",     "家属姓名", "家属联系电话", "开户行",     "银行账号",
};
enum {
	COL_NAME,
	COL_ID,
	COL_ENLISTED,
	COL_EDUCATION,
	COL_COLLEGE,
	COL_HARDSHIP,
	COL_MERIT,
	COL_STREET,
	COL_COMMUNITY,
	COL_FAMILY_NAME,
	COL_FAMILY_PHONE,
	COL_BANK_NAME,
	COL_ACCOUNT,
};
/* Columns the header must have: the ones whose cells must be filled. */
static const int required_columns[] = {COL_NAME,        COL_ID,        COL_ENLISTED, COL_EDUCATION,
				       COL_FAMILY_NAME, COL_BANK_NAME, COL_ACCOUNT};

static const char *const educations[] = {"高中及以下", "大专", "本科", "研究生"};
static const char *const colleges[] = {"在校生", "毕业生", "新生"};
static const char *const hardships[] = {"艰苦地区", "进藏进疆"};
#define MERIT_ITEM "立功"
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- checking a row ---- */

/* v without surrounding spaces, into out; "" for NULL. -1 when it does not fit. */
static int trimmed(const char *v, char *out, size_t size)
{
	out[0] = '\0';
	if (!v)
		return 0;
	while (*v == ' ')
		v++;
	size_t n = strlen(v);
	while (n && v[n - 1] == ' ')
		n--;
	if (n >= size)
		return -1;
	memcpy(out, v, n);
	out[n] = '\0';
	return 0;
}

static int one_of(const char *v, const char *const *choices, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v, choices[i]) == 0)
			return (int)i;
	return -1;
}

/* The date of a spreadsheet's day number (days since 1899-12-30), as YYYY-MM-DD. */
static void serial_date(int64_t serial, char out[11])
{
	/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm). */
	int64_t z = serial - 25569 + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);
	snprintf(out, 11, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
}

static void parse_enlisted(const char *v, struct conscript_facts *f, struct field_errors *e)
{
	char s[32];
	int64_t t, serial;
	if (trimmed(v, s, sizeof(s)) != 0 || !s[0]) {
		if (s[0] || (v && *v))
			field_errors_add(e, "入伍时间", "应为 YYYY-MM-DD 格式的有效日期");
		else
			field_errors_add(e, "入伍时间", "请填写入伍时间");
		return;
	}
	/* A date cell of a spreadsheet comes as its day number: 36526 is 2000-01-01. */
	if (str_to_i64(s, strlen(s), 36526, 73415, &serial) == 0)
		serial_date(serial, s);
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || clock_parse_date(s, &t) != 0) {
		field_errors_add(e, "入伍时间", "应为 YYYY-MM-DD 格式的有效日期");
		return;
	}
	int year = atoi(s), month = atoi(s + 5);
	if (year < 2000 || year > 2100) {
		field_errors_add(e, "入伍时间", "应在 2000 年至 2100 年之间");
		return;
	}
	memcpy(f->enlisted, s, 11);
	f->year = year;
	f->month = month;
}

static void parse_choice(const char *field, const char *v, const char *const *choices, size_t n,
			 int required, const char *accepted, char *out, size_t size,
			 struct field_errors *e)
{
	char s[64];
	if (trimmed(v, s, sizeof(s)) != 0)
		s[0] = '\x01'; /* too long: no choice is */
	if (!s[0]) {
		if (required)
			field_errors_add(e, field, "请填写%s（%s）", field, accepted);
		return;
	}
	int k = one_of(s, choices, n);
	if (k < 0)
		return field_errors_add(e, field, "应为 %s%s", accepted, required ? "" : " 或不填");
	str_copy(out, choices[k], size);
}

static void parse_text(const char *field, const char *v, size_t max_chars, int required, char *out,
		       size_t size, struct field_errors *e)
{
	char s[4 * 500 + 1];
	if (trimmed(v, s, sizeof(s)) != 0 || utf8_count(s, strlen(s)) > max_chars ||
	    strlen(s) >= size)
		return field_errors_add(e, field, "不能超过 %zu 个字符", max_chars);
	if (!utf8_valid(s, strlen(s)) || !str_is_printable(s, strlen(s), 0))
		return field_errors_add(e, field, "含有无效字符");
	if (required && !s[0])
		return field_errors_add(e, field, "请填写%s", field);
	memcpy(out, s, strlen(s) + 1);
}

/* An 11-digit mobile number or a fixed line, as the registry accepts a phone. */
static void parse_phone(const char *v, char out[24], struct field_errors *e)
{
	char s[32];
	if (trimmed(v, s, sizeof(s)) != 0)
		return field_errors_add(e, "家属联系电话", "应为 11 位手机号或固定电话");
	if (!s[0])
		return;
	if (!person_phone_valid(s))
		return field_errors_add(e, "家属联系电话", "应为 11 位手机号或固定电话");
	memcpy(out, s, strlen(s) + 1);
}

int conscript_parse(const struct conscript_text *t, struct conscript_facts *f,
		    struct field_errors *e)
{
	int before = e->n;
	memset(f, 0, sizeof(*f));
	parse_enlisted(t->enlisted, f, e);
	/* 高中 is taken for 高中及以下, the way lists often write it. */
	char education[64];
	if (trimmed(t->education, education, sizeof(education)) == 0 &&
	    strcmp(education, "高中") == 0)
		str_copy(f->education, "高中及以下", sizeof(f->education));
	else
		parse_choice("学历", t->education, educations, N_OF(educations), 1,
			     "高中及以下、大专、本科 或 研究生", f->education, sizeof(f->education),
			     e);
	parse_choice("大学生情况", t->college, colleges, N_OF(colleges), 0, "在校生、毕业生、新生",
		     f->college, sizeof(f->college), e);
	if (strcmp(f->college, "毕业生") == 0 && strcmp(f->education, "高中及以下") == 0)
		field_errors_add(e, "大学生情况", "毕业生的学历应为大专、本科或研究生");
	parse_choice("艰苦地区", t->hardship, hardships, N_OF(hardships), 0, "艰苦地区、进藏进疆",
		     f->hardship, sizeof(f->hardship), e);
	parse_text("立功受奖", t->merit, 100, 0, f->merit, sizeof(f->merit), e);
	parse_text("家属姓名", t->family_name, 50, 1, f->family_name, sizeof(f->family_name), e);
	parse_phone(t->family_phone, f->family_phone, e);
	if (!t->bank_name || !*t->bank_name)
		field_errors_add(e, "开户行", "请填写家属账户的开户行");
	if (!t->bank_account || !*t->bank_account)
		field_errors_add(e, "银行账号", "请填写家属的银行账号（优待金打入此账户）");
	return e->n > before ? VE_INVALID : 0;
}

/* ---- the rules ---- */

int conscript_rules_load(struct db *db, int year, struct conscript_rules *r)
{
	memset(r, 0, sizeof(*r));
	r->year = year;
	struct db_stmt *st =
		db_q(db,
		     "SELECT kind, item, amount_fen FROM conscript_rules WHERE year = ? "
		     "ORDER BY kind, item",
		     "i", (int64_t)year);
	if (!st)
		return VE_DB;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && r->n < (int)N_OF(r->items)) {
		str_copy(r->items[r->n].kind, db_text(st, 0), sizeof(r->items[0].kind));
		str_copy(r->items[r->n].item, db_text(st, 1), sizeof(r->items[0].item));
		r->items[r->n].amount_fen = db_int(st, 2);
		r->n++;
	}
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return VE_DB;
	int64_t approved = 0;
	if (db_int_query(db, &approved, 0,
			 "SELECT count(*) FROM conscript_rule_approvals WHERE year = ?", "i",
			 (int64_t)year))
		return VE_DB;
	r->approved = approved > 0;
	return 0;
}

/* The amount of rule kind/item, or -1 when there is none. */
static int64_t rule_amount(const struct conscript_rules *r, const char *kind, const char *item)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->items[i].kind, kind) == 0 && strcmp(r->items[i].item, item) == 0)
			return r->items[i].amount_fen;
	return -1;
}

/* Appends printf text at *used in out (size bytes), never past its end. */
static void append(char *out, size_t size, size_t *used, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *out, size_t size, size_t *used, const char *fmt, ...)
{
	if (*used >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out + *used, size - *used, fmt, ap);
	va_end(ap);
	if (n > 0)
		*used += (size_t)n < size - *used ? (size_t)n : size - *used - 1;
}

/* The yearly allowance of f under r: 基数 plus each 增发 that applies, with the text of
 * the sum; a missing rule or a total past GRANT_MAX_FEN goes into e. */
static void compute_allowance(const struct conscript_rules *r, const struct conscript_facts *f,
			      struct conscript_award *a, struct field_errors *e)
{
	char yuan[32];
	int64_t base = rule_amount(r, "基数", "基数");
	if (base < 0)
		field_errors_add(e, "优待规则", "%d 年没有设置义务兵家庭优待金的基数", f->year);
	const char *supplements[3];
	size_t n_sup = 0;
	if (f->college[0])
		supplements[n_sup++] = f->college;
	if (f->hardship[0])
		supplements[n_sup++] = f->hardship;
	if (f->merit[0])
		supplements[n_sup++] = MERIT_ITEM;
	int64_t total = base > 0 ? base : 0;
	size_t used = 0;
	money_format_grouped(base, yuan);
	append(a->allowance_text, sizeof(a->allowance_text), &used, "基数 %s", yuan);
	for (size_t i = 0; i < n_sup; i++) {
		int64_t amount = rule_amount(r, "增发", supplements[i]);
		if (amount < 0) {
			field_errors_add(e, "优待规则",
					 "%d 年没有设置“%s”的增发标准（不发放的请设为 0）", f->year,
					 supplements[i]);
			continue;
		}
		total += amount;
		money_format_grouped(amount, yuan);
		append(a->allowance_text, sizeof(a->allowance_text), &used, " + %s %s",
		       supplements[i], yuan);
	}
	money_format_grouped(total, yuan);
	append(a->allowance_text, sizeof(a->allowance_text), &used, " = %s 元/年（%d年标准）", yuan,
	       f->year);
	if (total > GRANT_MAX_FEN)
		field_errors_add(e, "优待规则", "%d 年的优待金合计超过 100 万元，请检查规则", f->year);
	a->allowance_fen = total;
}

/* The one-off bonus of f's education under r (高中 stands for 高中及以下 in older
 * tables), with its text; a missing rule goes into e. */
static void compute_bonus(const struct conscript_rules *r, const struct conscript_facts *f,
			  struct conscript_award *a, struct field_errors *e)
{
	char yuan[32];
	int64_t bonus = rule_amount(r, "奖励金", f->education);
	if (bonus < 0 && strcmp(f->education, "高中及以下") == 0)
		bonus = rule_amount(r, "奖励金", "高中");
	if (bonus < 0)
		field_errors_add(e, "优待规则", "%d 年没有设置学历为“%s”的一次性入伍奖励金",
				 f->year, f->education);
	a->bonus_fen = bonus > 0 ? bonus : 0;
	money_format_grouped(a->bonus_fen, yuan);
	snprintf(a->bonus_text, sizeof(a->bonus_text), "学历 %s：%s 元（%d年标准）", f->education,
		 yuan, f->year);
}

int conscript_compute(const struct conscript_rules *r, const struct conscript_facts *f,
		      struct conscript_award *a, struct field_errors *e)
{
	int before = e->n;
	memset(a, 0, sizeof(*a));
	/* Two years of service: the month of enlistment and the 23 after it. */
	int start = f->year * 12 + f->month - 1;
	if (f->year < 2000 || f->year > 2100 || f->month < 1 || f->month > 12)
		start = 2000 * 12; /* not from conscript_parse: the year's rules are missing anyway */
	month_format(start, a->start_month);
	month_format(start + 23, a->end_month);
	if (r->n == 0) {
		field_errors_add(e, "优待规则", "%d 年还没有设置义务兵优待规则（基数、增发、奖励金）",
				 f->year);
		return VE_INVALID;
	}
	if (!r->approved) {
		field_errors_add(e, "优待规则", "%d 年的义务兵优待规则尚未经第二人审批，暂不能核定",
				 f->year);
		return VE_INVALID;
	}
	compute_allowance(r, f, a, e);
	compute_bonus(r, f, a, e);
	return e->n > before ? VE_INVALID : 0;
}

int conscript_rule_item_check(const char *kind, const char *item, char *err, size_t errlen)
{
	static const char *const supplements[] = {"在校生",   "毕业生",   "新生",
						  "艰苦地区", "进藏进疆", MERIT_ITEM};
	if (!kind)
		kind = "";
	if (strcmp(kind, "基数") == 0) {
		if (item && *item && strcmp(item, "基数") != 0)
			return err_set(err, errlen, VE_INVALID, "基数的项目只能是“基数”");
		return 0;
	}
	if (!item)
		item = "";
	if (strcmp(kind, "增发") == 0)
		return one_of(item, supplements, N_OF(supplements)) >= 0
			       ? 0
			       : err_set(err, errlen, VE_INVALID,
					 "增发的项目应为 在校生、毕业生、新生、艰苦地区、进藏进疆 "
					 "或 立功");
	if (strcmp(kind, "奖励金") == 0)
		return one_of(item, educations, N_OF(educations)) >= 0
			       ? 0
			       : err_set(err, errlen, VE_INVALID,
					 "奖励金的项目应为学历：高中及以下、大专、本科 或 研究生");
	return err_set(err, errlen, VE_INVALID, "类型应为 基数、增发 或 奖励金");
}

/* ---- one row ---- */

/* A person an earlier row of the file registered, and that row. */
struct seen_person {
	int64_t person_id;
	long row;
};

struct run {
	struct db *db;
	const struct principal *by;
	conscript_error_fn on_error;
	void *ctx;
	struct conscript_summary *n;
	struct conscript_rules rules; /* of rules.year; year 0: none loaded */
	/* People done by earlier rows of the file: a person twice is refused. */
	struct seen_person *seen;
	size_t n_seen, cap_seen;
	int changed; /* something was written */
};

/* What one row did, applied to the summary only when the row is kept. */
struct row_result {
	enum person_outcome person;
	int record_changed;
	long granted, kept, kept_differ;
	int64_t allowance_fen, bonus_fen;
};

static void report(struct run *x, long row, const struct field_errors *e)
{
	for (int i = 0; i < e->n; i++)
		x->on_error(x->ctx, row, e->items[i].field, e->items[i].message);
}

/* The identities person number holds now (in by's scope), with 现役军人 added, into out;
 * just 现役军人 for someone not registered. */
static int categories_with_active(struct run *x, const char *number, char *out, size_t size)
{
	str_copy(out, "现役军人", size);
	struct idcard card;
	char why[160];
	if (!number || idcard_parse(number, 99991231, &card, why, sizeof(why)) != 0)
		return 0; /* person_save says what is wrong with it */
	struct person_filter f = {.q = card.number, .page = 1, .per_page = 1};
	json_t *list;
	if (person_list(x->db, x->by, &f, &list) != 0)
		return VE_DB;
	json_t *cats =
		json_object_get(json_array_get(json_object_get(list, "items"), 0), "categories");
	size_t i, used = strlen(out);
	json_t *c;
	json_array_foreach(cats, i, c)
	{
		const char *name = json_string_value(c);
		if (name && strcmp(name, "现役军人") != 0)
			append(out, size, &used, "、%s", name);
	}
	json_decref(list);
	return 0;
}

static int seen_row(const struct run *x, int64_t person_id)
{
	for (size_t i = 0; i < x->n_seen; i++)
		if (x->seen[i].person_id == person_id)
			return (int)x->seen[i].row;
	return 0;
}

static void remember(struct run *x, int64_t person_id, long row)
{
	if (x->n_seen == x->cap_seen) {
		x->cap_seen = x->cap_seen ? 2 * x->cap_seen : 64;
		x->seen = xrealloc(x->seen, x->cap_seen * sizeof(*x->seen));
	}
	x->seen[x->n_seen].person_id = person_id;
	x->seen[x->n_seen].row = row;
	x->n_seen++;
}

static int audit_person(struct run *x, const char *action, int64_t person_id, const char *detail)
{
	char object[48];
	snprintf(object, sizeof(object), "person:%lld", (long long)person_id);
	struct audit_actor who = account_actor(x->by);
	return audit_write(x->db, &who, action, object, "ok", detail) ? VE_DB : 0;
}

/* The fields of a conscript's record that an import compares, in this order. */
#define RECORD_FIELDS 7
static const char *const record_names[RECORD_FIELDS] = {
	"入伍时间", "学历", "大学生情况", "艰苦地区", "立功受奖", "家属姓名", "家属联系电话"};

/* What is stored for person_id: the person's region, and, when a record exists (*found),
 * its values in record_names order (the phone opened) and whether it is filed under that
 * region. 0 or VE_DB. */
static int load_stored(struct run *x, int64_t person_id, char region[16],
		       char old[RECORD_FIELDS][4 * 100 + 1], int *found, int *same_region)
{
	*found = *same_region = 0;
	region[0] = '\0';
	struct db_stmt *st =
		db_q(x->db, "SELECT region_code FROM persons WHERE id = ?", "i", person_id);
	if (!st)
		return VE_DB;
	if (db_step(st) == DB_ROW)
		str_copy(region, db_text(st, 0), 16);
	db_done(st);
	st = db_q(x->db,
		  "SELECT enlisted_on, education, college, hardship, merit, family_name, "
		  "family_phone_enc, region_code FROM conscripts WHERE person_id = ?",
		  "i", person_id);
	if (!st)
		return VE_DB;
	if (db_step(st) == DB_ROW) {
		*found = 1;
		for (int i = 0; i < RECORD_FIELDS - 1; i++)
			str_copy(old[i], db_text(st, i), sizeof(old[i]));
		size_t len;
		const unsigned char *blob = db_blob(st, 6, &len);
		sealed_open(FAMILY_PHONE_COLUMN, person_id, blob, len, old[6], sizeof(old[6]));
		*same_region = strcmp(db_text(st, 7), region) == 0;
	}
	db_done(st);
	return 0;
}

/* The audit detail of a new record of f. */
static void describe_new(const struct conscript_facts *f, char *detail, size_t size)
{
	size_t used = 0;
	append(detail, size, &used, "登记入伍信息：%s 入伍，学历%s", f->enlisted, f->education);
	if (f->college[0])
		append(detail, size, &used, "，%s", f->college);
	if (f->hardship[0])
		append(detail, size, &used, "，%s", f->hardship);
	if (f->merit[0])
		append(detail, size, &used, "，立功受奖");
}

/* The audit detail of a change from old to f (the fields that differ, else the region);
 * 0 when nothing differs and the region is the same. */
static int describe_change(const struct conscript_facts *f, char old[RECORD_FIELDS][4 * 100 + 1],
			   int same_region, char *detail, size_t size)
{
	const char *now_values[RECORD_FIELDS] = {f->enlisted, f->education,   f->college,
						 f->hardship, f->merit,       f->family_name,
						 f->family_phone};
	size_t used = 0;
	int changed = 0;
	append(detail, size, &used, "修改入伍信息：");
	for (int i = 0; i < RECORD_FIELDS; i++) {
		if (strcmp(old[i], now_values[i]) == 0)
			continue;
		append(detail, size, &used, "%s%s", changed ? "、" : "", record_names[i]);
		changed = 1;
	}
	if (!changed && same_region)
		return 0;
	if (!changed)
		append(detail, size, &used, "所属区划");
	return 1;
}

/* Inserts (!found) or rewrites person_id's record from f under region. 0 or VE_DB. */
static int write_record(struct run *x, int64_t person_id, const struct conscript_facts *f,
			const char *region, int found)
{
	unsigned char *phone_enc = NULL;
	size_t phone_len = 0;
	char phone_mask[24];
	sealed_seal(FAMILY_PHONE_COLUMN, person_id, f->family_phone, &phone_enc, &phone_len);
	sealed_mask_phone(f->family_phone, phone_mask);
	int64_t now = clock_now();
	int rc;
	if (found)
		rc = db_run(
			x->db,
			"UPDATE conscripts SET region_code = ?, enlisted_on = ?, education = ?, "
			"college = ?, hardship = ?, merit = ?, family_name = ?, "
			"family_phone_enc = ?, family_phone_mask = nullif(?, ''), "
			"updated_at = ?, updated_by = nullif(?, 0) WHERE person_id = ?",
			"sssssssbsiii", region, f->enlisted, f->education, f->college, f->hardship,
			f->merit, f->family_name, (const void *)phone_enc, phone_len, phone_mask,
			now, x->by->user_id, person_id);
	else
		rc = db_run(x->db,
			    "INSERT INTO conscripts (person_id, region_code, enlisted_on, "
			    "education, college, hardship, merit, family_name, family_phone_enc, "
			    "family_phone_mask, created_at, created_by, updated_at, updated_by) "
			    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, nullif(?, ''), ?, nullif(?, 0), ?, "
			    "nullif(?, 0))",
			    "isssssssbsiiii", person_id, region, f->enlisted, f->education,
			    f->college, f->hardship, f->merit, f->family_name,
			    (const void *)phone_enc, phone_len, phone_mask, now, x->by->user_id,
			    now, x->by->user_id);
	free(phone_enc);
	return rc ? VE_DB : 0;
}

/* Writes the enlistment and the family's contact of person_id unless they are as stored. */
static int store_record(struct run *x, int64_t person_id, const struct conscript_facts *f,
			int *changed)
{
	char region[16], old[RECORD_FIELDS][4 * 100 + 1], detail[400] = "";
	int found, same_region;
	*changed = 0;
	int rc = load_stored(x, person_id, region, old, &found, &same_region);
	if (rc)
		return rc;
	if (found)
		*changed = describe_change(f, old, same_region, detail, sizeof(detail));
	else
		describe_new(f, detail, sizeof(detail));
	mem_wipe(old, sizeof(old));
	if (found && !*changed)
		return 0;
	*changed = 1;
	rc = write_record(x, person_id, f, region, found);
	if (rc == 0)
		rc = audit_person(x, "conscript.record", person_id, detail);
	return rc ? VE_DB : 0;
}

/* Grants benefit to person_id unless it was granted already. */
static int grant(struct run *x, int64_t person_id, const char *benefit, const char *start,
		 const char *end, int64_t amount_fen, const char *computation,
		 struct row_result *res, struct field_errors *e)
{
	if (amount_fen <= 0)
		return 0; /* the rule is 0: nothing to pay */
	struct entitlement_filter f = {
		.benefit = benefit, .status = "", .person_id = person_id, .page = 1, .per_page = 1};
	json_t *list;
	if (entitlement_list(x->db, x->by, &f, &list) != 0)
		return VE_DB;
	json_t *had = json_array_get(json_object_get(list, "items"), 0);
	if (json_integer_value(json_object_get(list, "total")) > 0 || had) {
		res->kept++;
		const char *had_start = json_string_value(json_object_get(had, "start_month"));
		if (json_integer_value(json_object_get(had, "amount_fen")) != amount_fen ||
		    !had_start || strcmp(had_start, start) != 0)
			res->kept_differ++;
		json_decref(list);
		return 0;
	}
	json_decref(list);
	struct entitlement_grant g = {person_id, benefit, start, end, amount_fen, computation};
	char err[256] = "";
	int64_t id;
	int rc = entitlement_grant(x->db, x->by, &g, 1, &id, err, sizeof(err));
	if (rc == VE_EXISTS) {
		res->kept++;
		return 0;
	}
	if (rc == VE_INVALID || rc == VE_NOTFOUND || rc == VE_CONFLICT) {
		field_errors_add(e, "待遇资格", "%s", err[0] ? err : err_message(rc));
		return 0;
	}
	if (rc)
		return rc;
	res->granted++;
	if (strcmp(benefit, "ENLIST_BONUS") == 0)
		res->bonus_fen += amount_fen;
	else
		res->allowance_fen += amount_fen;
	return 0;
}

static const char *cell(const struct sheet_row *r, const int col[CONSCRIPT_COLUMNS], int k)
{
	if (col[k] < 0 || (size_t)col[k] >= r->n)
		return NULL;
	const char *v = sheet_unguard(r->cells[col[k]]);
	return *v ? v : NULL;
}

/* The rows's own checks and the award; e collects the reasons. */
static int check_row(struct run *x, const struct conscript_text *t, struct conscript_facts *f,
		     struct conscript_award *a, struct field_errors *e)
{
	if (conscript_parse(t, f, e) != 0)
		return 0;
	if (x->rules.year != f->year && conscript_rules_load(x->db, f->year, &x->rules) != 0) {
		x->rules.year = 0;
		return VE_DB;
	}
	conscript_compute(&x->rules, f, a, e);
	return 0;
}

/* Registers or updates the row's person (t, with categories) in the registry inside the
 * row's savepoint: *person_id and *outcome. The registry's refusals go into e under the
 * list's column names, as does a person already on an earlier row. 0 or VE_DB. */
static int register_person(struct run *x, const struct conscript_text *t,
			   const struct conscript_facts *f, const char *categories,
			   int64_t *person_id, enum person_outcome *outcome, struct field_errors *e)
{
	struct field_errors pe = {0};
	/* Fields refused already are not handed on, so that no reason is given twice. Empty
	 * optional cells keep what the registry holds. */
	struct person_text p = {
		.name = t->name ? t->name : "",
		.id_number = t->id_number ? t->id_number : "",
		.categories = categories,
		.street = t->street,
		.community = t->community,
		.enlisted = field_errors_has(e, "入伍时间") ? NULL : f->enlisted,
		.bank_name = t->bank_name,
		.bank_account = t->bank_account,
	};
	int rc = person_save(x->db, x->by, &p, 1, 1, person_id, outcome, &pe);
	if (rc == VE_INVALID || rc == VE_NOTFOUND) {
		/* The registry calls the bank's column 开户银行; the list calls it 开户行. */
		for (int i = 0; i < pe.n; i++)
			field_errors_add(e,
					 strcmp(pe.items[i].field, "开户银行") == 0
						 ? "开户行"
						 : pe.items[i].field,
					 "%s", pe.items[i].message);
		rc = 0;
	} else if (rc == 0 && seen_row(x, *person_id)) {
		field_errors_add(e, "身份证号", "与第 %d 行是同一人", seen_row(x, *person_id));
	}
	return rc;
}

/* Counts a kept row that did res in the summary. */
static void tally(struct run *x, const struct row_result *res)
{
	struct conscript_summary *n = x->n;
	n->rows++;
	int wrote = res->person != PERSON_UNCHANGED || res->record_changed || res->granted;
	if (res->person == PERSON_ADDED)
		n->added++;
	else if (wrote)
		n->changed++;
	else
		n->unchanged++;
	n->granted += res->granted;
	n->kept += res->kept;
	n->kept_differ += res->kept_differ;
	n->allowance_fen += res->allowance_fen;
	n->bonus_fen += res->bonus_fen;
	x->changed |= wrote;
}

static int import_row(struct run *x, const struct sheet_row *row, const int col[CONSCRIPT_COLUMNS])
{
	struct conscript_text t = {
		cell(row, col, COL_NAME),         cell(row, col, COL_ID),
		cell(row, col, COL_ENLISTED),     cell(row, col, COL_EDUCATION),
		cell(row, col, COL_COLLEGE),      cell(row, col, COL_HARDSHIP),
		cell(row, col, COL_MERIT),        cell(row, col, COL_STREET),
		cell(row, col, COL_COMMUNITY),    cell(row, col, COL_FAMILY_NAME),
		cell(row, col, COL_FAMILY_PHONE), cell(row, col, COL_BANK_NAME),
		cell(row, col, COL_ACCOUNT),
	};
	struct conscript_facts f;
	struct conscript_award a = {0};
	struct field_errors e = {0};
	struct row_result res = {0};
	char categories[512];
	int rc = check_row(x, &t, &f, &a, &e);
	if (rc == 0)
		rc = categories_with_active(x, t.id_number, categories, sizeof(categories));
	if (rc)
		return rc;
	if (db_exec(x->db, "SAVEPOINT conscript_row") != 0)
		return VE_DB;
	int64_t person_id = 0;
	rc = register_person(x, &t, &f, categories, &person_id, &res.person, &e);
	if (rc == 0 && e.n == 0)
		rc = store_record(x, person_id, &f, &res.record_changed);
	if (rc == 0 && e.n == 0)
		rc = grant(x, person_id, "CONSCRIPT", a.start_month, a.end_month, a.allowance_fen,
			   a.allowance_text, &res, &e);
	if (rc == 0 && e.n == 0)
		rc = grant(x, person_id, "ENLIST_BONUS", a.start_month, a.start_month, a.bonus_fen,
			   a.bonus_text, &res, &e);
	if (rc == 0 && e.n) {
		/* The row leaves nothing behind: not the person, not half of its grants. */
		if (db_exec(x->db, "ROLLBACK TO conscript_row") != 0)
			rc = VE_DB;
		report(x, row->number, &e);
		x->n->rejected++;
	}
	if (rc == 0 && db_exec(x->db, "RELEASE conscript_row") != 0)
		rc = VE_DB;
	mem_wipe(&f, sizeof(f));
	if (rc || e.n)
		return rc;
	remember(x, person_id, row->number);
	tally(x, &res);
	return 0;
}


/* ---- the file ---- */

/* Maps the header to conscript_columns; -1 with err on an unknown, repeated or missing column. */
static int map_header(const struct sheet_row *h, int col[CONSCRIPT_COLUMNS], char *err,
		      size_t errlen)
{
	for (int k = 0; k < CONSCRIPT_COLUMNS; k++)
		col[k] = -1;
	for (size_t i = 0; i < h->n; i++) {
		char name[64];
		if (trimmed(h->cells[i], name, sizeof(name)) != 0)
			name[0] = '\x01';
		int found = one_of(name, conscript_columns, CONSCRIPT_COLUMNS);
		if (found < 0 && strcmp(name, "开户银行") == 0) /* the registry's name for it */
			found = COL_BANK_NAME;
		if (found < 0 && h->cells[i][0])
			return err_set(err, errlen, VE_INVALID,
				       "第 %ld 行（表头）：未知的列：%.60s", h->number,
				       h->cells[i]);
		if (found >= 0 && col[found] >= 0)
			return err_set(err, errlen, VE_INVALID, "第 %ld 行（表头）：列重复：%s",
				       h->number, conscript_columns[found]);
		if (found >= 0)
			col[found] = (int)i;
	}
	for (size_t k = 0; k < N_OF(required_columns); k++)
		if (col[required_columns[k]] < 0)
			return err_set(err, errlen, VE_INVALID, "第 %ld 行（表头）：缺少必填列：%s",
				       h->number, conscript_columns[required_columns[k]]);
	return 0;
}

static int audit_import(struct run *x, const char *path)
{
	const char *base = strrchr(path, '/');
	const struct conscript_summary *n = x->n;
	char detail[400], allowance[32], bonus[32];
	money_format_grouped(n->allowance_fen, allowance);
	money_format_grouped(n->bonus_fen, bonus);
	snprintf(detail, sizeof(detail),
		 "导入义务兵名单 %.100s：%ld 人（新增 %ld，更新 %ld，未变化 %ld），核定待遇 %ld "
		 "项（优待金 %s 元/年，奖励金 %s 元），已有待遇 %ld 项，拒绝 %ld 行",
		 base ? base + 1 : path, n->rows, n->added, n->changed, n->unchanged, n->granted,
		 allowance, bonus, n->kept, n->rejected);
	struct audit_actor who = account_actor(x->by);
	return audit_write(x->db, &who, "conscript.import", "conscripts", "ok", detail) ? VE_DB : 0;
}

static int import_rows(struct run *x, struct sheet_reader *in, const int col[CONSCRIPT_COLUMNS],
		       enum import_mode mode, char *err, size_t errlen)
{
	struct sheet_row row;
	long since_commit = 0;
	int rc;
	while ((rc = sheet_next(in, &row, err, errlen)) == 1) {
		int blank = 1;
		for (size_t i = 0; i < row.n && blank; i++)
			blank = !row.cells[i][0];
		if (blank) {
			x->n->empty++;
			continue;
		}
		if ((rc = import_row(x, &row, col)) != 0)
			return err_set(err, errlen, rc, "第 %ld 行：保存失败（%s），导入已撤销",
				       row.number, err_message(rc));
		if (mode == IMPORT_KEEP_GOOD && ++since_commit == BATCH_ROWS) {
			since_commit = 0;
			if (db_commit(x->db) != 0 || db_begin(x->db) != 0)
				return err_set(err, errlen, VE_DB, "提交失败，未提交的行已撤销");
		}
	}
	/* The reader's error (bad encoding, a cell too large): the file can't be read. */
	return rc == 0 ? 0 : VE_INVALID;
}

int conscript_import(struct db *db, const struct principal *by, const char *path,
		     conscript_error_fn on_error, void *ctx, enum import_mode mode,
		     struct conscript_summary *n, char *err, size_t errlen)
{
	memset(n, 0, sizeof(*n));
	struct sheet_reader *in = sheet_open(path, err, errlen);
	if (!in)
		return VE_INVALID;
	struct run *x = xcalloc(1, sizeof(*x));
	*x = (struct run){.db = db, .by = by, .on_error = on_error, .ctx = ctx, .n = n};
	struct sheet_row header;
	int col[CONSCRIPT_COLUMNS];
	int rc = sheet_next(in, &header, err, errlen);
	if (rc != 1)
		rc = rc == 0 ? err_set(err, errlen, VE_INVALID, "文件是空的：第一行应为表头")
			     : VE_INVALID;
	else
		rc = map_header(&header, col, err, errlen);
	if (rc == 0 && db_begin(db) != 0)
		rc = err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	else if (rc == 0) {
		rc = import_rows(x, in, col, mode, err, errlen);
		if (rc == 0 && mode == IMPORT_ALL_OR_NOTHING && n->rejected)
			rc = err_set(err, errlen, VE_INVALID, "有 %ld 行被拒绝，未导入任何一行",
				     n->rejected);
		if (rc == 0 && mode != IMPORT_DRY_RUN && x->changed)
			rc = audit_import(x, path);
		if (rc == 0 && mode != IMPORT_DRY_RUN && db_commit(db) != 0)
			rc = err_set(err, errlen, VE_DB, "提交失败，导入已撤销");
		if (rc || mode == IMPORT_DRY_RUN)
			db_rollback(db);
	}
	sheet_close(in);
	free(x->seen);
	free(x);
	return rc;
}

/* ---- the area ---- */


static const struct audit_title audit_titles[] = {
	{"conscript.rule", "设置义务兵优待规则"},
	{"conscript.rules_approve", "审批义务兵优待规则"},
	{"conscript.import", "导入义务兵名单"},
	{"conscript.record", "登记义务兵入伍信息"},
	{NULL, NULL},
};

const struct area conscript_area = {
	.name = "conscript",
	.audit_titles = audit_titles,
};

/* ---- vocabularies ---- */

const char *const conscript_rule_kinds[CONSCRIPT_N_RULE_KINDS] = {"基数", "增发", "奖励金"};
const char *const conscript_rule_kind_notes[CONSCRIPT_N_RULE_KINDS] = {"", "", "学历"};

const char *conscript_rule_item(size_t i, const char **kind)
{
	static const char *const base[] = {"基数"}, *const merit[] = {MERIT_ITEM};
	static const struct {
		int kind; /* index into conscript_rule_kinds */
		const char *const *names;
		size_t n;
	} groups[] = {
		{0, base, N_OF(base)},
		{1, colleges, N_OF(colleges)},
		{1, hardships, N_OF(hardships)},
		{1, merit, N_OF(merit)},
		{2, educations, N_OF(educations)},
	};
	for (size_t g = 0; g < N_OF(groups); i -= groups[g++].n)
		if (i < groups[g].n) {
			if (kind)
				*kind = conscript_rule_kinds[groups[g].kind];
			return groups[g].names[i];
		}
	return NULL;
}
