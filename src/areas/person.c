/* person.c - the registry of people: validation, encrypted storage, history, scope. */
#include "person.h"
#include "person_seal.h"
#include "audit.h"
#include "region.h"
#include "io/sheet.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/idcard.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Room for one exported cell (the longest field is the 500-character note). */
#define SHEET_CELL 1600

void person_init(const struct crypto_keys *k)
{
	person_seal_init(k);
}

static const char *const category_titles[CAT__COUNT] = {
	[CAT_VETERAN] = "退役军人",
	[CAT_DISABLED] = "残疾军人",
	[CAT_MARTYR_FAMILY] = "烈士遗属",
	[CAT_DUTY_FAMILY] = "因公牺牲军人遗属",
	[CAT_ILLNESS_FAMILY] = "病故军人遗属",
	[CAT_DEMOBILIZED] = "在乡复员军人",
	[CAT_SICK_RETURNED] = "带病回乡退役军人",
	[CAT_WAR] = "参战退役军人",
	[CAT_TEST] = "参试退役军人",
	[CAT_RURAL_60] = "年满60周岁农村籍退役士兵",
	[CAT_MARTYR_CHILD] = "烈士子女",
	[CAT_ACTIVE] = "现役军人",
	[CAT_MILITARY_FAMILY] = "军人家属",
};

/* Categories whose holders served: their rows carry 入伍/退役时间 and 安置方式. */
#define SERVICE_CATEGORIES                                                                         \
	((1u << CAT_VETERAN) | (1u << CAT_DISABLED) | (1u << CAT_DEMOBILIZED) |                    \
	 (1u << CAT_SICK_RETURNED) | (1u << CAT_WAR) | (1u << CAT_TEST) | (1u << CAT_RURAL_60) |   \
	 (1u << CAT_ACTIVE))

static const char *const placements[] = {"逐月领取退役金", "自主就业", "安排工作", "退休",
					 "供养",           "转业",     "复员"};
static const char *const natures[] = {"因战", "因公", "因病"};

const char *category_title(enum category c)
{
	return (unsigned)c < CAT__COUNT ? category_titles[c] : "";
}

int category_parse(const char *name)
{
	for (int c = 0; c < CAT__COUNT; c++)
		if (strcmp(category_titles[c], name) == 0)
			return c;
	return -1;
}

const char *const person_columns[15] = {"姓名",     "身份证号", "人员类别", "联系电话", "街道",
					"社区",     "住址",     "入伍时间", "退役时间", "安置方式",
					"残疾等级", "残疾性质", "开户银行", "银行账号", "备注"};

/* A person in plain values: what is compared, stored and shown. */
struct record {
	char name[4 * 50 + 1];
	struct idcard card;
	char phone[24], street[13], community[13], address[4 * 200 + 1];
	char enlisted[11], discharged[11], placement[32];
	int grade;
	char nature[8];
	char bank_name[4 * 60 + 1], account[32], note[4 * 500 + 1];
	uint32_t categories;
	char region[13];
	int64_t created_by;
};

static void add_error(struct person_errors *e, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_error(struct person_errors *e, const char *field, const char *fmt, ...)
{
	if (e->n >= (int)(sizeof(e->items) / sizeof(e->items[0])))
		return;
	e->items[e->n].field = field;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->items[e->n].message, sizeof(e->items[0].message), fmt, ap);
	va_end(ap);
	utf8_scrub(e->items[e->n].message);
	e->n++;
}

/* ---- parsing text into a record ---- */

static int text_field(struct person_errors *e, const char *field, const char *v, size_t max_chars,
		      int allow_newlines, char *out, size_t size)
{
	size_t n = strlen(v);
	if (!utf8_valid(v, n) || !str_is_printable(v, n, allow_newlines))
		return add_error(e, field, "含有无效字符"), -1;
	if (utf8_count(v, n) > max_chars || n >= size)
		return add_error(e, field, "不能超过 %zu 个字符", max_chars), -1;
	memcpy(out, v, n + 1);
	return 0;
}

static int today_int(void)
{
	time_t t = (time_t)(clock_now() + 8 * 3600);
	struct tm tm;
	gmtime_r(&t, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* "YYYY-MM" or "YYYY-MM-DD", a real date not in the future. */
static int parse_month_or_date(struct person_errors *e, const char *field, const char *v,
			       char out[11])
{
	int64_t t;
	char full[11];
	size_t n = strlen(v);
	if (n == 7)
		snprintf(full, sizeof(full), "%s-01", v);
	else if (n == 10)
		memcpy(full, v, 11);
	if ((n != 7 && n != 10) || clock_parse_date(full, &t) != 0)
		return add_error(e, field, "应为 YYYY-MM 或 YYYY-MM-DD 格式的有效日期"), -1;
	if (t > clock_now())
		return add_error(e, field, "不能晚于今天"), -1;
	memcpy(out, v, n + 1);
	return 0;
}

static int parse_categories(struct person_errors *e, const char *v, uint32_t *out)
{
	char buf[512];
	if (strlen(v) >= sizeof(buf))
		return add_error(e, "人员类别", "过长"), -1;
	str_copy(buf, v, sizeof(buf));
	/* Separators: 、 ; ；(each replaced by a NUL). */
	static const char *const seps[] = {"、", ";", "；"};
	for (size_t s = 0; s < 3; s++)
		for (char *p = strstr(buf, seps[s]); p; p = strstr(p, seps[s]))
			memset(p, '\x01', strlen(seps[s]));
	uint32_t set = 0;
	char *save = NULL; /* strtok_r: imports and requests parse in several threads at once */
	for (char *tok = strtok_r(buf, "\x01", &save); tok; tok = strtok_r(NULL, "\x01", &save)) {
		while (*tok == ' ')
			tok++;
		size_t n = strlen(tok);
		while (n && tok[n - 1] == ' ')
			tok[--n] = '\0';
		if (!n)
			continue;
		int c = category_parse(tok);
		if (c < 0)
			return add_error(e, "人员类别", "未知的人员类别：%.60s", tok), -1;
		set |= 1u << c;
	}
	if (!set)
		return add_error(e, "人员类别", "请至少填写一个人员类别"), -1;
	*out = set;
	return 0;
}

static int parse_phone(struct person_errors *e, const char *v, char out[24])
{
	size_t n = strlen(v), digits = 0, dashes = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] >= '0' && v[i] <= '9')
			digits++;
		else if (v[i] == '-' && i > 0 && i + 1 < n)
			dashes++;
		else
			return add_error(e, "联系电话", "应为 11 位手机号或固定电话"), -1;
	}
	int mobile = n == 11 && digits == 11 && v[0] == '1' && v[1] >= '3';
	int fixed = v[0] == '0' && digits >= 10 && digits <= 12 && dashes <= 1;
	int local = digits >= 7 && digits <= 8 && dashes == 0 && v[0] != '0' && v[0] != '1';
	if (!mobile && !fixed && !local)
		return add_error(e, "联系电话", "应为 11 位手机号或固定电话"), -1;
	memcpy(out, v, n + 1);
	return 0;
}

static int parse_choice(struct person_errors *e, const char *field, const char *v,
			const char *const *choices, size_t n, char *out, size_t size)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v, choices[i]) == 0)
			return str_copy(out, v, size), 0;
	return add_error(e, field, "取值无效：%.40s", v), -1;
}

static void parse_region(struct db *db, const struct person_text *t, struct record *r,
			 struct person_errors *e)
{
	if (t->street) {
		r->street[0] = '\0';
		if (*t->street && region_find(db, NULL, t->street, r->street) != 0)
			add_error(e, "街道", "本区没有名为“%.40s”的街道", t->street);
	}
	if (t->community) {
		r->community[0] = '\0';
		if (*t->community && !r->street[0])
			add_error(e, "社区", "填写社区时须同时填写街道");
		else if (*t->community &&
			 region_find(db, r->street, t->community, r->community) != 0)
			add_error(e, "社区", "街道下没有名为“%.40s”的社区", t->community);
	} else if (strncmp(r->community, r->street, strlen(r->street)) != 0 || !r->street[0]) {
		r->community[0] = '\0'; /* a new street leaves the old community behind */
	}
}

/* Applies the given fields of t over r (existing values or zeros), checking each. */
static void parse_text(struct db *db, const struct person_text *t, struct record *r,
		       struct person_errors *e)
{
	char why[160];
	if (t->name)
		text_field(e, "姓名", t->name, 50, 0, r->name, sizeof(r->name));
	if (t->id_number && idcard_parse(t->id_number, today_int(), &r->card, why, sizeof(why)))
		add_error(e, "身份证号", "%s", why);
	if (t->categories)
		parse_categories(e, t->categories, &r->categories);
	if (t->phone && (r->phone[0] = '\0', *t->phone))
		parse_phone(e, t->phone, r->phone);
	parse_region(db, t, r, e);
	if (t->address)
		text_field(e, "住址", t->address, 200, 0, r->address, sizeof(r->address));
	if (t->enlisted && (r->enlisted[0] = '\0', *t->enlisted))
		parse_month_or_date(e, "入伍时间", t->enlisted, r->enlisted);
	if (t->discharged && (r->discharged[0] = '\0', *t->discharged))
		parse_month_or_date(e, "退役时间", t->discharged, r->discharged);
	if (t->placement && (r->placement[0] = '\0', *t->placement))
		parse_choice(e, "安置方式", t->placement, placements, 7, r->placement,
			     sizeof(r->placement));
	if (t->disability_grade && (r->grade = 0, *t->disability_grade)) {
		int64_t g;
		if (str_to_i64(t->disability_grade, strlen(t->disability_grade), 1, 10, &g) != 0)
			add_error(e, "残疾等级", "应为 1 到 10 之间的整数（1 级最重）");
		else
			r->grade = (int)g;
	}
	if (t->disability_nature && (r->nature[0] = '\0', *t->disability_nature))
		parse_choice(e, "残疾性质", t->disability_nature, natures, 3, r->nature,
			     sizeof(r->nature));
	if (t->bank_name)
		text_field(e, "开户银行", t->bank_name, 60, 0, r->bank_name, sizeof(r->bank_name));
	if (t->bank_account && (r->account[0] = '\0', *t->bank_account)) {
		size_t n = strlen(t->bank_account);
		if (n < 12 || n > 30 || strspn(t->bank_account, "0123456789") != n)
			add_error(e, "银行账号", "应为 12 到 30 位数字");
		else
			memcpy(r->account, t->bank_account, n + 1);
	}
	if (t->note)
		text_field(e, "备注", t->note, 500, 1, r->note, sizeof(r->note));
	/* Kept disability data goes with the 残疾军人 identity when that is dropped. */
	if (!(r->categories & (1u << CAT_DISABLED)) && !t->disability_grade &&
	    !t->disability_nature) {
		r->grade = 0;
		r->nature[0] = '\0';
	}
}

static int has_error(const struct person_errors *e, const char *field)
{
	for (int i = 0; i < e->n; i++)
		if (strcmp(e->items[i].field, field) == 0)
			return 1;
	return 0;
}

/* Rules across fields, once all are known. A field already refused is not
 * reported twice. */
static void check_record(const struct record *r, struct person_errors *e)
{
	if (!r->name[0] && !has_error(e, "姓名"))
		add_error(e, "姓名", "请填写姓名");
	if (!r->card.number[0] && !has_error(e, "身份证号"))
		add_error(e, "身份证号", "请填写身份证号");
	if (!r->categories && !has_error(e, "人员类别"))
		add_error(e, "人员类别", "请至少填写一个人员类别");
	int disabled = (r->categories & (1u << CAT_DISABLED)) != 0;
	if (disabled && (!r->grade || !r->nature[0]))
		add_error(e, "残疾等级", "残疾军人须填写残疾等级和残疾性质");
	if (!disabled && (r->grade || r->nature[0]))
		add_error(e, "残疾等级", "只有残疾军人填写残疾等级和残疾性质");
	if (r->enlisted[0] && r->discharged[0] && strcmp(r->discharged, r->enlisted) < 0)
		add_error(e, "退役时间", "不能早于入伍时间");
	if ((r->categories & (1u << CAT_DEMOBILIZED)) && r->enlisted[0] &&
	    strcmp(r->enlisted, "1954-10-31") > 0)
		add_error(e, "入伍时间", "在乡复员军人应于 1954 年 10 月 31 日前入伍");
}

/* ---- sealing and masking ---- */

/* The plain text of a sealed column into out (size bytes); "" when NULL or unreadable. */
static void open_column(struct db_stmt *st, int col, const char *column, int64_t person_id,
			char *out, size_t size)
{
	size_t len;
	const void *blob = db_blob(st, col, &len);
	person_open_value(column, person_id, blob, len, out, size);
}

/* Keeps the first keep_head and last keep_tail characters of an ASCII value. */
static void mask(const char *v, size_t keep_head, size_t keep_tail, char *out, size_t size)
{
	size_t n = strlen(v), k = 0;
	for (size_t i = 0; i < n && k + 1 < size; i++)
		out[k++] = i < keep_head || i + keep_tail >= n ? v[i] : '*';
	out[k] = '\0';
}

static void mask_phone(const char *v, char out[24])
{
	mask(v, 3, 4, out, 24);
}

static void mask_account(const char *v, char out[32])
{
	mask(v, 0, 4, out, 32);
}

/* ---- reading and writing records ---- */

static void district_code(struct db *db, char out[13])
{
	out[0] = '\0';
	struct db_stmt *st = db_q(db, "SELECT code FROM orgs WHERE parent_id IS NULL", "");
	if (st && db_step(st) == DB_ROW)
		str_copy(out, db_text(st, 0), 13);
	db_done(st);
}

#define RECORD_COLUMNS                                                                             \
	"name, id_enc, phone_enc, coalesce(street_code, ''), coalesce(community_code, ''), "       \
	"coalesce(address, ''), coalesce(bank_name, ''), account_enc, coalesce(note, ''), "        \
	"region_code, coalesce(created_by, 0)"

/* Reads person id into r (decrypted). VE_NOTFOUND when there is none. */
static int load_record(struct db *db, int64_t id, struct record *r)
{
	memset(r, 0, sizeof(*r));
	struct db_stmt *st =
		db_q(db, "SELECT " RECORD_COLUMNS " FROM persons WHERE id = ?", "i", id);
	if (!st)
		return VE_DB;
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return VE_NOTFOUND;
	}
	char number[32], why[160];
	str_copy(r->name, db_text(st, 0), sizeof(r->name));
	open_column(st, 1, PERSON_SEALED_ID, id, number, sizeof(number));
	open_column(st, 2, PERSON_SEALED_PHONE, id, r->phone, sizeof(r->phone));
	str_copy(r->street, db_text(st, 3), sizeof(r->street));
	str_copy(r->community, db_text(st, 4), sizeof(r->community));
	str_copy(r->address, db_text(st, 5), sizeof(r->address));
	str_copy(r->bank_name, db_text(st, 6), sizeof(r->bank_name));
	open_column(st, 7, PERSON_SEALED_ACCOUNT, id, r->account, sizeof(r->account));
	str_copy(r->note, db_text(st, 8), sizeof(r->note));
	str_copy(r->region, db_text(st, 9), sizeof(r->region));
	r->created_by = db_int(st, 10);
	db_done(st);
	/* The stored number was checked when it was written; today is no bound on it now. */
	idcard_parse(number, 99991231, &r->card, why, sizeof(why));
	st = db_q(db,
		  "SELECT category, coalesce(enlisted, ''), coalesce(discharged, ''), "
		  "coalesce(placement, ''), disability_enc FROM person_identities WHERE person_id "
		  "= ?",
		  "i", id);
	while (st && db_step(st) == DB_ROW) {
		int c = category_parse(db_text(st, 0));
		if (c < 0)
			continue;
		r->categories |= 1u << c;
		if (!r->enlisted[0])
			str_copy(r->enlisted, db_text(st, 1), sizeof(r->enlisted));
		if (!r->discharged[0])
			str_copy(r->discharged, db_text(st, 2), sizeof(r->discharged));
		if (!r->placement[0])
			str_copy(r->placement, db_text(st, 3), sizeof(r->placement));
		if (c == CAT_DISABLED) {
			char dis[32];
			open_column(st, 4, PERSON_SEALED_DISABILITY, id, dis, sizeof(dis));
			char *bar = strchr(dis, '|');
			if (bar) {
				*bar = '\0';
				r->grade = atoi(dis);
				str_copy(r->nature, bar + 1, sizeof(r->nature));
			}
		}
	}
	db_done(st);
	return 0;
}

static void categories_text(uint32_t set, char *out, size_t size)
{
	out[0] = '\0';
	size_t len = 0;
	for (int c = 0; c < CAT__COUNT; c++)
		if (set & (1u << c))
			len += (size_t)snprintf(out + len, len < size ? size - len : 0, "%s%s",
						len ? "、" : "", category_titles[c]);
}

/* One line of the change history: the field's name and how it looks before and after. */
struct change {
	const char *field;
	char before[200], after[200];
};

static void region_label(struct db *db, const char *code, char *out, size_t size)
{
	region_name(db, code, out, size);
}

/* How field i of r reads in the history (masked where sensitive). */
static void field_view(struct db *db, const struct record *r, int i, char *out, size_t size)
{
	char buf[64];
	out[0] = '\0';
	switch (i) {
	case 0:
		str_copy(out, r->name, size);
		break;
	case 1:
		idcard_mask(r->card.number, buf), str_copy(out, buf, size);
		break;
	case 2:
		categories_text(r->categories, out, size);
		break;
	case 3:
		mask_phone(r->phone, buf), str_copy(out, buf, size);
		break;
	case 4:
		region_label(db, r->street, out, size);
		break;
	case 5:
		region_label(db, r->community, out, size);
		break;
	case 6:
		str_copy(out, r->address, size);
		break;
	case 7:
		str_copy(out, r->enlisted, size);
		break;
	case 8:
		str_copy(out, r->discharged, size);
		break;
	case 9:
		str_copy(out, r->placement, size);
		break;
	case 10:
		if (r->grade)
			snprintf(out, size, "%d 级", r->grade);
		break;
	case 11:
		str_copy(out, r->nature, size);
		break;
	case 12:
		str_copy(out, r->bank_name, size);
		break;
	case 13:
		mask_account(r->account, buf), str_copy(out, buf, size);
		break;
	case 14:
		str_copy(out, r->note, size);
		break;
	}
}

/* Fields whose values are sensitive: the history says that they changed, not to what. */
/* The index of 银行账号 in person_columns. */
#define FIELD_ACCOUNT 13

static int field_is_secret(int i)
{
	return i == 10 || i == 11;
}

/* Compares plain values (so a changed phone with the same mask still counts). */
static int field_differs(const struct record *a, const struct record *b, int i)
{
	switch (i) {
	case 0:
		return strcmp(a->name, b->name) != 0;
	case 1:
		return strcmp(a->card.number, b->card.number) != 0;
	case 2:
		return a->categories != b->categories;
	case 3:
		return strcmp(a->phone, b->phone) != 0;
	case 4:
		return strcmp(a->street, b->street) != 0;
	case 5:
		return strcmp(a->community, b->community) != 0;
	case 6:
		return strcmp(a->address, b->address) != 0;
	case 7:
		return strcmp(a->enlisted, b->enlisted) != 0;
	case 8:
		return strcmp(a->discharged, b->discharged) != 0;
	case 9:
		return strcmp(a->placement, b->placement) != 0;
	case 10:
		return a->grade != b->grade;
	case 11:
		return strcmp(a->nature, b->nature) != 0;
	case 12:
		return strcmp(a->bank_name, b->bank_name) != 0;
	case 13:
		return strcmp(a->account, b->account) != 0;
	case 14:
		return strcmp(a->note, b->note) != 0;
	}
	return 0;
}

static int write_identities(struct db *db, int64_t id, const struct record *r)
{
	int rc = db_run(db, "DELETE FROM person_identities WHERE person_id = ?", "i", id);
	for (int c = 0; c < CAT__COUNT && rc == 0; c++) {
		if (!(r->categories & (1u << c)))
			continue;
		int service = (SERVICE_CATEGORIES >> c) & 1;
		unsigned char *dis = NULL;
		size_t dis_len = 0;
		if (c == CAT_DISABLED) {
			char v[32];
			snprintf(v, sizeof(v), "%d|%s", r->grade, r->nature);
			person_seal_value(PERSON_SEALED_DISABILITY, id, v, &dis, &dis_len);
		}
		/* A NULL blob binds SQL NULL. */
		rc = db_run(
			db,
			"INSERT INTO person_identities (person_id, region_code, category, "
			"enlisted, "
			"discharged, placement, disability_enc) VALUES (?, ?, ?, nullif(?, ''), "
			"nullif(?, ''), nullif(?, ''), ?)",
			"isssssb", id, r->region, category_titles[c], service ? r->enlisted : "",
			service ? r->discharged : "", service ? r->placement : "",
			(const void *)dis, dis_len);
		free(dis);
	}
	return rc;
}

/* Inserts a new person from r with the sealed columns empty; *id set. */
static int insert_person(struct db *db, const struct principal *by, int64_t *id,
			 const struct record *r, const char *id_bidx, const char *phone_bidx,
			 const char *id_mask, const char *phone_mask, const char *account_mask)
{
	char birth[11];
	snprintf(birth, sizeof(birth), "%04d-%02d-%02d", r->card.year, r->card.month, r->card.day);
	int64_t now = clock_now();
	/* id_enc is NOT NULL: an empty blob until write_person seals into the row. */
	int rc = db_run(
		db,
		"INSERT INTO persons (region_code, name, id_enc, id_bidx, id_mask, sex, birth_date, "
		"phone_bidx, phone_mask, street_code, community_code, address, bank_name, "
		"account_mask, note, created_at, created_by, updated_at, updated_by) VALUES (?, ?, "
		"?, ?, ?, ?, ?, nullif(?, ''), nullif(?, ''), nullif(?, ''), nullif(?, ''), "
		"nullif(?, ''), nullif(?, ''), nullif(?, ''), nullif(?, ''), ?, nullif(?, 0), ?, "
		"nullif(?, 0))",
		"ssbssssssssssssiiii", r->region, r->name, (const void *)"", (size_t)0, id_bidx,
		id_mask, r->card.male ? "男" : "女", birth, r->phone[0] ? phone_bidx : "",
		phone_mask, r->street, r->community, r->address, r->bank_name, account_mask, r->note,
		now, by->user_id, now, by->user_id);
	if (rc == 0)
		*id = db_last_id(db);
	return rc;
}

/* Inserts (id == 0, *id set) or rewrites person *id from r. A new row is inserted with
 * its sealed columns empty and sealed once its id is known (see person_seal_value); that second
 * write touches no indexed column. */
static int write_person(struct db *db, const struct principal *by, int64_t *id,
			const struct record *r)
{
	char id_bidx[2 * SM3_LEN + 1], phone_bidx[2 * SM3_LEN + 1], id_mask[19], phone_mask[24],
		account_mask[32];
	unsigned char *id_enc = NULL, *phone_enc = NULL, *account_enc = NULL;
	size_t id_len, phone_len, account_len;
	person_index_id(r->card.number, id_bidx);
	person_index_phone(r->phone, phone_bidx);
	idcard_mask(r->card.number, id_mask);
	mask_phone(r->phone, phone_mask);
	mask_account(r->account, account_mask);
	int is_new = *id == 0;
	int rc = is_new ? insert_person(db, by, id, r, id_bidx, phone_bidx, id_mask, phone_mask,
					account_mask)
			: 0;
	if (rc)
		return rc;
	person_seal_value(PERSON_SEALED_ID, *id, r->card.number, &id_enc, &id_len);
	person_seal_value(PERSON_SEALED_PHONE, *id, r->phone, &phone_enc, &phone_len);
	person_seal_value(PERSON_SEALED_ACCOUNT, *id, r->account, &account_enc, &account_len);
	if (is_new)
		rc = db_run(db,
			    "UPDATE persons SET id_enc = ?, phone_enc = ?, account_enc = ? WHERE id = "
			    "?",
			    "bbbi", (const void *)id_enc, id_len, (const void *)phone_enc, phone_len,
			    (const void *)account_enc, account_len, *id);
	else
		rc = db_run(
			db,
			"UPDATE persons SET region_code = ?, name = ?, id_enc = ?, phone_enc = ?, "
			"phone_bidx = nullif(?, ''), phone_mask = nullif(?, ''), "
			"street_code = nullif(?, ''), community_code = nullif(?, ''), "
			"address = nullif(?, ''), bank_name = nullif(?, ''), account_enc = ?, "
			"account_mask = nullif(?, ''), note = nullif(?, ''), updated_at = ?, "
			"updated_by = nullif(?, 0) WHERE id = ?",
			"ssbbssssssbssiii", r->region, r->name, (const void *)id_enc, id_len,
			(const void *)phone_enc, phone_len, r->phone[0] ? phone_bidx : "", phone_mask,
			r->street, r->community, r->address, r->bank_name, (const void *)account_enc,
			account_len, account_mask, r->note, clock_now(), by->user_id, *id);
	free(id_enc);
	free(phone_enc);
	free(account_enc);
	return rc;
}

static int write_history(struct db *db, const struct principal *by, int64_t id,
			 const struct record *before, const struct record *after, char *changed,
			 size_t changed_size)
{
	int64_t now = clock_now();
	size_t used = 0;
	changed[0] = '\0';
	for (int i = 0; i < 15; i++) {
		if (!field_differs(before, after, i))
			continue;
		char old_view[sizeof(before->note)], new_view[sizeof(before->note)];
		if (field_is_secret(i)) {
			str_copy(old_view, before->grade || before->nature[0] ? "（已登记）" : "",
				 sizeof(old_view));
			str_copy(new_view, "（已修改）", sizeof(new_view));
		} else {
			field_view(db, before, i, old_view, sizeof(old_view));
			field_view(db, after, i, new_view, sizeof(new_view));
		}
		/* The account it replaced, sealed: a batch generated before the change still
		 * pays into it (payment.c, AS_OF_MARK). */
		unsigned char *old_enc = NULL;
		size_t old_len = 0;
		if (i == FIELD_ACCOUNT)
			person_seal_value(PERSON_SEALED_ACCOUNT, id, before->account, &old_enc,
					  &old_len);
		int rc = db_run(
			db,
			"INSERT INTO person_history (person_id, region_code, at, user_id, "
			"username, field, old_value, new_value, old_enc) VALUES (?, ?, ?, "
			"nullif(?, 0), ?, ?, ?, ?, ?)",
			"isiissssb", id, after->region, now, by->user_id, by->username,
			person_columns[i], old_view, new_view, (const void *)old_enc, old_len);
		free(old_enc);
		if (rc)
			return rc;
		used += (size_t)snprintf(changed + used,
					 used < changed_size ? changed_size - used : 0, "%s%s",
					 used ? "、" : "", person_columns[i]);
	}
	return 0;
}

/* Finds the person with r's 身份证号: *id (0 when none) and the stored record in *old. */
static int find_by_number(struct db *db, const struct record *r, int64_t *id, struct record *old)
{
	char bidx[2 * SM3_LEN + 1];
	person_index_id(r->card.number, bidx);
	int64_t found = 0;
	if (db_int_query(db, &found, 0, "SELECT id FROM persons WHERE id_bidx = ?", "s", bidx) != 0)
		return VE_DB;
	*id = found;
	return found ? load_record(db, found, old) : 0;
}

/* The one refusal of a person outside the caller's scope, whatever the reason (a street
 * chosen outside it, or a 身份证号 registered outside it): the answer must not tell
 * which, or a station could learn who is registered in other streets. */
#define OUT_OF_SCOPE_FIELD "街道"
#define OUT_OF_SCOPE_MESSAGE "只能登记和修改本辖区的人员，该人员不在本辖区；如需办理，请联系区局"

/* Sets r->region from its community, else street, else the district, and refuses
 * a region outside by's scope (a station registers only its own street's people). */
static void place_record(struct db *db, const struct principal *by, struct record *r,
			 struct person_errors *e)
{
	char district[13];
	district_code(db, district);
	str_copy(r->region,
		 r->community[0] ? r->community
		 : r->street[0]  ? r->street
				 : district,
		 sizeof(r->region));
	if (!scope_covers_region(&by->scope, by->region_code, r->region, by->user_id))
		add_error(e, OUT_OF_SCOPE_FIELD, "%s", OUT_OF_SCOPE_MESSAGE);
}

/* Writes r as person *id (0: new) over old, with history and audit. */
static int store(struct db *db, const struct principal *by, int64_t *id, const struct record *old,
		 struct record *r, enum person_outcome *outcome)
{
	char changed[400] = "";
	int is_new = *id == 0;
	int rc = write_person(db, by, id, r);
	if (rc == 0 && !is_new)
		rc = write_history(db, by, *id, old, r, changed, sizeof(changed));
	if (rc == 0 &&
	    (is_new || field_differs(old, r, 2) || field_differs(old, r, 7) ||
	     field_differs(old, r, 8) || field_differs(old, r, 9) || field_differs(old, r, 10) ||
	     field_differs(old, r, 11) || strcmp(old->region, r->region) != 0))
		rc = write_identities(db, *id, r);
	if (rc == 0) {
		char detail[480];
		snprintf(detail, sizeof(detail), is_new ? "新增人员" : "修改：%s", changed);
		rc = account_audit(db, by, is_new ? "person.create" : "person.update", "person",
				   *id, detail);
	}
	*outcome = is_new ? PERSON_ADDED : PERSON_CHANGED;
	return rc;
}

static int differs(const struct record *a, const struct record *b)
{
	for (int i = 0; i < 15; i++)
		if (field_differs(a, b, i))
			return 1;
	return 0;
}

/* Stores r over old (person id, 0 for new) unless nothing changed, in a
 * transaction of its own unless the caller holds one. */
static int commit_record(struct db *db, const struct principal *by, int in_tx, int64_t *id,
			 const struct record *old, struct record *r, enum person_outcome *outcome)
{
	if (*id && !differs(old, r)) {
		*outcome = PERSON_UNCHANGED;
		return 0;
	}
	if (!in_tx && db_begin(db) != 0)
		return VE_DB;
	int rc = store(db, by, id, old, r, outcome);
	if (in_tx)
		return rc;
	if (rc == 0 && db_commit(db) == 0)
		return 0;
	db_rollback(db);
	return rc ? rc : VE_DB;
}

/* What a save would do, without writing: added, changed or unchanged. */
static enum person_outcome would_do(int64_t id, const struct record *old, const struct record *r)
{
	return !id ? PERSON_ADDED : differs(old, r) ? PERSON_CHANGED : PERSON_UNCHANGED;
}

/* The refusal of a 身份证号 registered outside by's scope (all other fields good):
 * recorded as a hit of the day (in the caller's transaction when in_tx) and audited,
 * unless check_only. */
static int refuse_out_of_scope(struct db *db, const struct principal *by, int flags,
			       struct person_save_info *info, struct person_errors *e)
{
	add_error(e, OUT_OF_SCOPE_FIELD, "%s", OUT_OF_SCOPE_MESSAGE);
	info->out_of_scope = 1;
	if (flags & PERSON_CHECK_ONLY)
		return VE_INVALID;
	int rc = person_scope_hits_add(db, by, &info->id_bidx, 1, flags & PERSON_IN_TX);
	return rc ? rc : VE_INVALID;
}

/* Past the day's limit of out-of-scope hits, a user registers no one new (a hit and a
 * new person get the same answer): VE_LIMIT, audited, with errs filled. */
static int refuse_past_limit(struct db *db, const struct principal *by, int in_tx,
			     struct person_errors *e)
{
	e->n = 0;
	add_error(e, "身份证号", "%s", PERSON_SCOPE_LIMIT_MESSAGE);
	struct audit_actor who = account_actor(by);
	int rc = db_tx_begin(db, in_tx);
	if (rc == 0)
		rc = audit_write(db, &who, "person.scope_limit", "persons", "denied",
				 "今日不在本辖区的身份证号已达上限，拒绝登记") ? VE_DB : 0;
	rc = db_tx_end(db, in_tx, rc);
	return rc ? rc : VE_LIMIT;
}

int person_save_ex(struct db *db, const struct principal *by, const struct person_text *t,
		   int flags, int64_t *id, enum person_outcome *outcome,
		   struct person_errors *errs, struct person_save_info *info)
{
	static struct record zero;
	struct record *r = xcalloc(1, sizeof(*r)), *old = xcalloc(1, sizeof(*old));
	char why[160];
	int rc = 0, hit = 0;
	errs->n = 0;
	*id = 0;
	memset(info, 0, sizeof(*info));
	if (t->id_number &&
	    idcard_parse(t->id_number, today_int(), &r->card, why, sizeof(why)) == 0) {
		person_index_id(r->card.number, info->id_bidx);
		int64_t found = 0;
		rc = find_by_number(db, r, &found, old);
		if (rc)
			goto out;
		/* Outside the scope, the person is not looked at: every field is checked as
		 * for a new one, and only then is the save refused, as any other save
		 * outside the scope is. */
		hit = found && !scope_covers_region(&by->scope, by->region_code, old->region,
						    old->created_by);
		if (found && !hit && !(flags & PERSON_UPDATE_EXISTING)) {
			add_error(errs, "身份证号", "该身份证号已登记（人员编号 %lld）",
				  (long long)found);
			rc = VE_EXISTS;
			goto out;
		}
		if (found && !hit)
			*id = found;
		*r = *id ? *old : zero;
	}
	parse_text(db, t, r, errs);
	check_record(r, errs);
	place_record(db, by, r, errs);
	int limited = 0;
	if (!errs->n && !*id && !(flags & PERSON_CHECK_ONLY))
		rc = person_scope_hits_past_limit(db, by, &limited);
	if (rc)
		goto out;
	if (errs->n)
		rc = VE_INVALID;
	else if (limited)
		rc = refuse_past_limit(db, by, flags & PERSON_IN_TX, errs);
	else if (hit)
		rc = refuse_out_of_scope(db, by, flags, info, errs);
	else if (flags & PERSON_CHECK_ONLY)
		*outcome = would_do(*id, old, r);
	else
		rc = commit_record(db, by, flags & PERSON_IN_TX, id, old, r, outcome);
out:
	mem_wipe(r, sizeof(*r));
	mem_wipe(old, sizeof(*old));
	free(r);
	free(old);
	return rc;
}

int person_save(struct db *db, const struct principal *by, const struct person_text *t,
		int update_existing, int in_tx, int64_t *id, enum person_outcome *outcome,
		struct person_errors *errs)
{
	struct person_save_info info;
	return person_save_ex(db, by, t,
			      (update_existing ? PERSON_UPDATE_EXISTING : 0) |
				      (in_tx ? PERSON_IN_TX : 0),
			      id, outcome, errs, &info);
}

/* ---- out-of-scope hits of the day ---- */

int person_scope_hits_today(struct db *db, const struct principal *by, int64_t *n)
{
	return db_int_query(db, n, 0,
			    "SELECT count(*) FROM person_scope_hits WHERE user_id = ? AND day = ?",
			    "is", by->user_id, clock_today_text());
}

int person_scope_hits_past_limit(struct db *db, const struct principal *by, int *past)
{
	int64_t n = 0;
	int rc = person_scope_hits_today(db, by, &n);
	*past = rc == 0 && n >= PERSON_SCOPE_HITS_MAX;
	return rc;
}

int person_scope_hit_known(struct db *db, const struct principal *by, const char *bidx,
			   int *known)
{
	int64_t n = 0;
	int rc = db_int_query(db, &n, 0,
			      "SELECT count(*) FROM person_scope_hits WHERE user_id = ? AND "
			      "day = ? AND id_bidx = ?",
			      "iss", by->user_id, clock_today_text(), bidx);
	*known = n > 0;
	return rc;
}

int person_scope_hits_add(struct db *db, const struct principal *by,
			  const char (*bidx)[2 * SM3_LEN + 1], int n, int in_tx)
{
	int rc = db_tx_begin(db, in_tx);
	char day[11];
	str_copy(day, clock_today_text(), sizeof(day));
	for (int i = 0; rc == 0 && i < n; i++)
		rc = db_run(db,
			    "INSERT INTO person_scope_hits (user_id, day, id_bidx, at) VALUES "
			    "(?, ?, ?, ?) ON CONFLICT DO NOTHING",
			    "issi", by->user_id, day, bidx[i], clock_now());
	int64_t today = 0;
	if (rc == 0)
		rc = person_scope_hits_today(db, by, &today);
	if (rc == 0) {
		char detail[160];
		snprintf(detail, sizeof(detail), "%d 个身份证号已在其他辖区登记，拒绝（今日共 %lld 个）",
			 n, (long long)today);
		struct audit_actor who = account_actor(by);
		rc = audit_write(db, &who, "person.out_of_scope", "persons", "denied", detail)
			     ? VE_DB
			     : 0;
	}
	return db_tx_end(db, in_tx, rc);
}

int person_update(struct db *db, const struct principal *by, int64_t id,
		  const struct person_text *t, enum person_outcome *outcome,
		  struct person_errors *errs)
{
	struct record *r = xcalloc(1, sizeof(*r)), *old = xcalloc(1, sizeof(*old));
	errs->n = 0;
	int rc = load_record(db, id, old);
	if (rc == 0 &&
	    !scope_covers_region(&by->scope, by->region_code, old->region, old->created_by))
		rc = VE_NOTFOUND;
	if (rc == 0) {
		*r = *old;
		struct person_text keep_number = *t;
		keep_number.id_number = NULL;
		if (t->id_number && strcmp(t->id_number, old->card.number) != 0)
			add_error(errs, "身份证号",
				  "身份证号不能修改；如登记有误，请注销后重新登记");
		parse_text(db, &keep_number, r, errs);
		check_record(r, errs);
		place_record(db, by, r, errs);
		rc = errs->n ? VE_INVALID : commit_record(db, by, 0, &id, old, r, outcome);
	}
	mem_wipe(r, sizeof(*r));
	mem_wipe(old, sizeof(*old));
	free(r);
	free(old);
	return rc;
}

/* ---- reading ---- */

int person_may_reveal(const struct principal *by)
{
	return perm_allows(by->roles, PERM_PERSON_REVEAL);
}

/* The birth date (YYYY-MM-DD) of someone who turns years old today. */
static void born_years_ago(int years, char out[11])
{
	unsigned today = (unsigned)today_int();
	unsigned y = (today / 10000 - (unsigned)years) % 10000, md = today % 10000;
	if (md == 229)
		md = 228;
	snprintf(out, 11, "%04u-%02u-%02u", y, md / 100 % 100, md % 100);
}

static int age_of(const char *birth)
{
	int today = today_int();
	int y = atoi(birth), m = atoi(birth + 5), d = atoi(birth + 8);
	int age = today / 10000 - y;
	if (today % 10000 < m * 100 + d)
		age--;
	return age;
}

/* The filters of a list, bound as LIST_FMT / LIST_ARGS. The lead term is the one
 * that picks the rows through an index: a street or community as an indexed equality,
 * part of a name as a look-up of its first two characters in person_name_grams
 * (whose rows come in person order), or nothing (LEAD_ANY binds its value and ignores
 * it), so that one argument list fits every variant. */
#define FROM_PERSONS "persons p"
#define FROM_GRAMS "person_name_grams g CROSS JOIN persons p ON p.id = g.person_id"
#define LEAD_ANY "(? IS NULL OR 1)"
#define LEAD_STREET "p.street_code = ?"
#define LEAD_COMMUNITY "p.community_code = ?"
#define LEAD_NAME "g.gram = ?"
#define LIST_WHERE(lead)                                                                           \
	" WHERE " lead " AND " SCOPE_REGION_SQL(                                                   \
		"p.region_code",                                                                   \
		"p.created_by") " AND (? = '' OR p.id_bidx = ? OR p.phone_bidx = ? OR "            \
				"instr(p.name, ?) > 0) AND "                                       \
				"(? = '' OR EXISTS (SELECT 1 FROM person_identities i WHERE "      \
				"i.person_id = p.id AND "                                          \
				"i.category = ?)) AND (? = '' OR p.street_code = ?) AND (? = '' "  \
				"OR "                                                              \
				"p.community_code = ?) AND (? = '' OR p.status = ?) AND (? = '' "  \
				"OR p.birth_date <= ?) "                                           \
				"AND (? = '' OR p.birth_date > ?)"
#define LIST_FROM(from, lead)                                                                      \
	" FROM " from " LEFT JOIN regions s ON s.code = p.street_code "                            \
	"LEFT JOIN regions c ON c.code = p.community_code" LIST_WHERE(lead)
#define LIST_SELECT(from, lead)                                                                    \
	"SELECT p.id, p.name, p.id_mask, p.sex, p.birth_date, coalesce(s.name, ''), "              \
	"coalesce(c.name, ''), p.status, (SELECT group_concat(category, '、') FROM "              \
	"person_identities i WHERE i.person_id = p.id)" LIST_FROM(from, lead)
#define LIST_PAGE " LIMIT ? OFFSET ?"
/* The statements of one query, by lead term (see list_lead). order(id) is the query's
 * end given the id column: the grams' person_id, which comes in order, for a name. */
enum { LEAD_BY_NOTHING, LEAD_BY_STREET, LEAD_BY_COMMUNITY, LEAD_BY_NAME, LEADS };
#define BY_LEAD(prefix, order)                                                                     \
	{                                                                                          \
		prefix(FROM_PERSONS, LEAD_ANY) order("p.id"),                                      \
			prefix(FROM_PERSONS, LEAD_STREET) order("p.id"),                           \
			prefix(FROM_PERSONS, LEAD_COMMUNITY) order("p.id"),                        \
			prefix(FROM_GRAMS, LEAD_NAME) order("g.person_id")                         \
	}
#define BY_ID(id) " ORDER BY " id LIST_PAGE
#define BY_ID_DESC(id) " ORDER BY " id " DESC" LIST_PAGE
#define BY_NAME(id) " ORDER BY p.name, " id LIST_PAGE
#define BY_NAME_DESC(id) " ORDER BY p.name DESC, " id LIST_PAGE
/* By age in whole years as of today (bound before the page), then by id: an order by
 * birth date would tell whose birthday comes first, and so narrow the birth date. */
#define AGE_SQL "((? - CAST(replace(p.birth_date, '-', '') AS INTEGER)) / 10000)"
#define BY_AGE(id) " ORDER BY " AGE_SQL ", " id LIST_PAGE
#define BY_AGE_DESC(id) " ORDER BY " AGE_SQL " DESC, " id LIST_PAGE
#define UNORDERED(id) ""
#define IN_ORDER(id) " ORDER BY " id

static const struct {
	const char *name, *sql[LEADS];
	int binds_today; /* the order binds today (YYYYMMDD) before the page */
} list_orders[] = {
	{"id", BY_LEAD(LIST_SELECT, BY_ID), 0},
	{"-id", BY_LEAD(LIST_SELECT, BY_ID_DESC), 0},
	{"name", BY_LEAD(LIST_SELECT, BY_NAME), 0},
	{"-name", BY_LEAD(LIST_SELECT, BY_NAME_DESC), 0},
	{"age", BY_LEAD(LIST_SELECT, BY_AGE), 1},
	{"-age", BY_LEAD(LIST_SELECT, BY_AGE_DESC), 1},
};
/* The count needs no region names: no joins. */
#define COUNT_PREFIX(from, lead) "SELECT count(*) FROM " from LIST_WHERE(lead)
static const char *const count_sql[LEADS] = BY_LEAD(COUNT_PREFIX, UNORDERED);
#define EXPORT_PREFIX(from, lead) "SELECT p.id" LIST_FROM(from, lead)
static const char *const export_sql[LEADS] = BY_LEAD(EXPORT_PREFIX, IN_ORDER);
/* A list filtered by no more than scope, street, community and status is counted from
 * the kept counts (person_counts) instead; not for 仅本人, which counts by owner. */
#define KEPT_COUNT_SQL                                                                             \
	"SELECT coalesce(sum(n), 0) FROM person_counts p WHERE " SCOPE_REGION_SQL(                 \
		"p.region_code", "0") " AND (? = '' OR p.street_code = ?) AND (? = '' OR "         \
				      "p.community_code = ?) AND (? = '' OR p.status = ?)"

/* The bound values of LIST_FROM's conditions, computed from f and by's scope. */
struct list_args {
	char q_name[160], q_bidx[2 * SM3_LEN + 1], q_phone[2 * SM3_LEN + 1];
	char born_before[11], born_after[11], gram[16];
	const char *q, *category, *street, *community, *status;
	int lead;               /* LEAD_BY_* */
	const char *lead_value; /* bound to the lead term */
};

/* The first two characters of a name query: its key in person_name_grams. */
static void first_gram(const char *q, char out[16])
{
	size_t n = 0;
	for (int chars = 0; q[n] && chars < 2; chars++)
		do
			n++;
		while (((unsigned char)q[n] & 0xC0) == 0x80);
	snprintf(out, 16, "%.*s", (int)n, q);
}

/* Picks the lead term: a community filter, else part of a name, else a street filter,
 * else the street or community a station's scope stops at (the scope condition alone
 * is no index range). */
static void list_lead(const struct principal *by, struct list_args *a)
{
	size_t own = strlen(by->region_code);
	int regional = by->scope.kind == SCOPE_ORG_TREE || by->scope.kind == SCOPE_ORG;
	a->lead = LEAD_BY_NOTHING;
	a->lead_value = "";
	if (a->community[0]) {
		a->lead = LEAD_BY_COMMUNITY;
		a->lead_value = a->community;
	} else if (a->q_name[0]) {
		first_gram(a->q_name, a->gram);
		a->lead = LEAD_BY_NAME;
		a->lead_value = a->gram;
	} else if (a->street[0]) {
		a->lead = LEAD_BY_STREET;
		a->lead_value = a->street;
	} else if (regional && (own == 9 || own == 12)) {
		a->lead = own == 9 ? LEAD_BY_STREET : LEAD_BY_COMMUNITY;
		a->lead_value = by->region_code;
	}
}

static void list_args(const struct principal *by, const struct person_filter *f,
		      struct list_args *a)
{
	memset(a, 0, sizeof(*a));
	a->q = f->q ? f->q : "";
	a->category = f->category ? f->category : "";
	a->street = f->street ? f->street : "";
	a->community = f->community ? f->community : "";
	a->status = f->status ? f->status : "";
	struct idcard card;
	char why[160];
	/* A whole ID or phone number is found by its blind index; anything else by name. */
	if (idcard_parse(a->q, 99991231, &card, why, sizeof(why)) == 0)
		person_index_id(card.number, a->q_bidx);
	else if (strlen(a->q) >= 7 && strspn(a->q, "0123456789-") == strlen(a->q))
		person_index_phone(a->q, a->q_phone);
	else
		str_copy(a->q_name, a->q, sizeof(a->q_name));
	if (f->age_min > 0)
		born_years_ago(f->age_min, a->born_before);
	if (f->age_max > 0)
		born_years_ago(f->age_max + 1, a->born_after);
	list_lead(by, a);
}

/* 1 when a's count can come from the kept counts (see KEPT_COUNT_SQL). */
static int count_is_kept(const struct principal *by, const struct list_args *a)
{
	return !a->q[0] && !a->category[0] && !a->born_before[0] && !a->born_after[0] &&
	       by->scope.kind != SCOPE_SELF;
}

#define LIST_FMT "s" SCOPE_REGION_FMT "ssssssssssssssss"
#define LIST_ARGS(by, a)                                                                           \
	(a)->lead_value, SCOPE_REGION_ARGS(&(by)->scope, (by)->region_code), (a)->q, (a)->q_bidx,  \
		(a)->q_phone, (a)->q_name[0] ? (a)->q_name : "\x01", (a)->category, (a)->category, \
		(a)->street, (a)->street, (a)->community, (a)->community, (a)->status,             \
		(a)->status, (a)->born_before, (a)->born_before, (a)->born_after, (a)->born_after
#define KEPT_COUNT_FMT SCOPE_REGION_FMT "ssssss"
#define KEPT_COUNT_ARGS(by, a)                                                                     \
	SCOPE_REGION_ARGS(&(by)->scope, (by)->region_code), (a)->street, (a)->street,              \
		(a)->community, (a)->community, (a)->status, (a)->status

static json_t *list_item(struct db_stmt *st)
{
	json_t *cats = json_array();
	const char *list = db_text(st, 8);
	char buf[512];
	str_copy(buf, list ? list : "", sizeof(buf));
	for (char *p = buf, *next; p && *p; p = next) {
		next = strstr(p, "、");
		if (next) {
			*next = '\0';
			next += strlen("、");
		}
		json_array_append_new(cats, json_string(p));
	}
	/* Age, never the birth date: beside the masked number it would complete it. */
	return json_pack("{s:I,s:s,s:s,s:s,s:i,s:o,s:s,s:s,s:s}", "id", (json_int_t)db_int(st, 0),
			 "name", db_text(st, 1), "id_number", db_text(st, 2), "sex",
			 db_text(st, 3), "age", age_of(db_text(st, 4)), "categories", cats,
			 "street", db_text(st, 5), "community", db_text(st, 6), "status",
			 db_text(st, 7));
}

/* A whole ID or phone number names at most a few people: found through the blind
 * indexes alone (both indexed, so SQLite unions two index lookups), whatever the
 * other filters say. */
#define EXACT_SQL                                                                                  \
	"SELECT p.id, p.name, p.id_mask, p.sex, p.birth_date, coalesce(s.name, ''), "              \
	"coalesce(c.name, ''), p.status, (SELECT group_concat(category, '、') FROM "              \
	"person_identities i WHERE i.person_id = p.id) FROM persons p "                            \
	"LEFT JOIN regions s ON s.code = p.street_code LEFT JOIN regions c ON c.code = "           \
	"p.community_code WHERE (p.id_bidx = ? OR p.phone_bidx = ?) AND " SCOPE_REGION_SQL(        \
		"p.region_code", "p.created_by") " ORDER BY p.id LIMIT 200"

/* Runs st (NULL: a failed prepare) to its end: the list items, or NULL on an error. */
static json_t *list_items(struct db_stmt *st)
{
	if (!st)
		return NULL;
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, list_item(st));
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(items);
		return NULL;
	}
	return items;
}

static int exact_list(struct db *db, const struct principal *by, const struct list_args *a,
		      json_t **out)
{
	json_t *items = list_items(db_q(db, EXACT_SQL, "ss" SCOPE_REGION_FMT, a->q_bidx, a->q_phone,
					SCOPE_REGION_ARGS(&by->scope, by->region_code)));
	if (!items)
		return VE_DB;
	*out = json_pack("{s:I,s:o}", "total", (json_int_t)json_array_size(items), "items", items);
	return 0;
}

/* The search term of a, masked as lists show it: a whole number is never written down. */
static void masked_term(const struct list_args *a, char out[160])
{
	struct idcard card;
	char why[160];
	if (a->q_bidx[0] && idcard_parse(a->q, 99991231, &card, why, sizeof(why)) == 0)
		idcard_mask(card.number, out);
	else if (a->q_phone[0])
		mask(a->q, 3, 4, out, 160);
	else
		str_copy(out, a->q, 160);
	mem_wipe(&card, sizeof(card));
}

/* Epoch seconds of today's midnight, Beijing time. */
static int64_t today_start(void)
{
	int64_t local = clock_now() + 8 * 3600;
	return local - local % 86400 - 8 * 3600;
}

/* Counts a look-up by a whole number (what: "身份证号" or "电话号码", term: masked) against
 * by's daily allowance and audits it: 0, or VE_LIMIT past PERSON_FULL_SEARCHES_PER_DAY
 * (audited as refused), or VE_DB. The count and the record are one write transaction
 * (the caller's when in_tx), so concurrent searches cannot overrun the allowance. */
static int audit_full_search(struct db *db, const struct principal *by, const char *what,
			     const char *term, int in_tx)
{
	char detail[256];
	int64_t done = 0;
	if (!in_tx && db_begin(db) != 0)
		return VE_DB;
	int rc = db_int_query(db, &done, 0,
			      "SELECT count(*) FROM audit_log WHERE action = 'person.search_full' "
			      "AND actor_id = ? AND at >= ? AND result = 'ok'",
			      "ii", by->user_id, today_start())
		     ? VE_DB
		     : 0;
	if (rc == 0 && done >= PERSON_FULL_SEARCHES_PER_DAY) {
		struct audit_actor who = account_actor(by);
		snprintf(detail, sizeof(detail), "按完整%s查询（%s）：今日已达 %d 次上限，已拒绝",
			 what, term, PERSON_FULL_SEARCHES_PER_DAY);
		rc = audit_write(db, &who, "person.search_full", "persons", "refused", detail)
			     ? VE_DB
			     : VE_LIMIT;
	} else if (rc == 0) {
		snprintf(detail, sizeof(detail), "按完整%s查询：%s（今日第 %lld 次）", what, term,
			 (long long)done + 1);
		rc = account_audit(db, by, "person.search_full", "persons", 0, detail);
	}
	if (in_tx)
		return rc;
	if ((rc == 0 || rc == VE_LIMIT) && db_commit(db) == 0)
		return rc;
	db_rollback(db);
	return VE_DB;
}

int person_search_audit(struct db *db, const struct principal *by, const struct person_filter *f)
{
	struct list_args a;
	char term[160];
	list_args(by, f, &a);
	if (!a.q_bidx[0] && !a.q_phone[0])
		return 0;
	masked_term(&a, term);
	return audit_full_search(db, by, a.q_bidx[0] ? "身份证号" : "电话号码", term, 0);
}

int person_list(struct db *db, const struct principal *by, const struct person_filter *f,
		json_t **out)
{
	struct list_args a;
	list_args(by, f, &a);
	if (a.q_bidx[0] || a.q_phone[0])
		return exact_list(db, by, &a, out);
	int lead = a.lead;
	size_t order = 0;
	for (size_t i = 0; f->sort && i < sizeof(list_orders) / sizeof(list_orders[0]); i++)
		if (strcmp(f->sort, list_orders[i].name) == 0)
			order = i;
	const char *sql = list_orders[order].sql[lead];
	int64_t per_page = f->per_page < 1 ? 20 : f->per_page > 200 ? 200 : f->per_page;
	int64_t page = f->page < 1 ? 1 : f->page;
	int64_t total = 0;
	if (count_is_kept(by, &a)
		    ? db_int_query(db, &total, 0, KEPT_COUNT_SQL, KEPT_COUNT_FMT,
				   KEPT_COUNT_ARGS(by, &a))
		    : db_int_query(db, &total, 0, count_sql[lead], LIST_FMT, LIST_ARGS(by, &a)))
		return VE_DB;
	json_t *items = list_items(
		list_orders[order].binds_today
			? db_q(db, sql, LIST_FMT "iii", LIST_ARGS(by, &a), (int64_t)today_int(),
			       per_page, (page - 1) * per_page)
			: db_q(db, sql, LIST_FMT "ii", LIST_ARGS(by, &a), per_page,
			       (page - 1) * per_page));
	if (!items)
		return VE_DB;
	*out = json_pack("{s:I,s:o}", "total", (json_int_t)total, "items", items);
	return 0;
}

/* Loads person id if in by's scope. */
static int load_in_scope(struct db *db, const struct principal *by, int64_t id, struct record *r)
{
	int rc = load_record(db, id, r);
	if (rc == 0 && !scope_covers_region(&by->scope, by->region_code, r->region, r->created_by))
		rc = VE_NOTFOUND;
	return rc;
}

static json_t *family_json(struct db *db, const struct principal *by, int64_t id)
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

static json_t *history_json(struct db *db, int64_t id)
{
	json_t *list = json_array();
	struct db_stmt *st =
		db_q(db,
		     "SELECT h.at, coalesce(u.display_name, h.username), h.field, h.old_value, "
		     "h.new_value FROM person_history h LEFT JOIN users u ON u.id = h.user_id "
		     "WHERE h.person_id = ? ORDER BY h.id DESC LIMIT 100",
		     "i", id);
	while (st && db_step(st) == DB_ROW) {
		char at[17];
		clock_local_minute(db_int(st, 0), at);
		json_array_append_new(list,
				      json_pack("{s:s,s:s,s:s,s:s,s:s}", "at", at, "by",
						db_text(st, 1), "field", db_text(st, 2), "old",
						db_text(st, 3), "new", db_text(st, 4)));
	}
	db_done(st);
	return list;
}

int person_get(struct db *db, const struct principal *by, int64_t id, json_t **out)
{
	struct record *r = xcalloc(1, sizeof(*r));
	int rc = load_in_scope(db, by, id, r);
	if (rc == 0) {
		char id_mask[19], phone[24], account[32], street[64], community[64], cats[512],
			birth[11], status[16] = "", status_date[11] = "",
				   status_reason[4 * 200 + 1] = "";
		idcard_mask(r->card.number, id_mask);
		mask_phone(r->phone, phone);
		mask_account(r->account, account);
		region_name(db, r->street, street, sizeof(street));
		region_name(db, r->community, community, sizeof(community));
		categories_text(r->categories, cats, sizeof(cats));
		snprintf(birth, sizeof(birth), "%04d-%02d-%02d", r->card.year, r->card.month,
			 r->card.day);
		struct db_stmt *st = db_q(db,
					  "SELECT status, coalesce(status_date, ''), "
					  "coalesce(status_reason, '') FROM persons WHERE id = ?",
					  "i", id);
		if (st && db_step(st) == DB_ROW) {
			str_copy(status, db_text(st, 0), sizeof(status));
			str_copy(status_date, db_text(st, 1), sizeof(status_date));
			str_copy(status_reason, db_text(st, 2), sizeof(status_reason));
		}
		db_done(st);
		json_t *list = json_array();
		for (int c = 0; c < CAT__COUNT; c++)
			if (r->categories & (1u << c))
				json_array_append_new(list, json_string(category_titles[c]));
		/* Age, not the birth date (person_reveal gives that): see person_list. */
		*out = json_pack(
			"{s:I,s:s,s:s,s:s,s:i,s:o,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:s,"
			"s:s,s:s,s:s,s:s,s:s}",
			"id", (json_int_t)id, "name", r->name, "id_number", id_mask, "sex",
			r->card.male ? "男" : "女", "age", age_of(birth),
			"categories", list, "categories_text", cats, "phone", phone, "street",
			street, "community", community, "address", r->address, "enlisted",
			r->enlisted, "discharged", r->discharged, "placement", r->placement,
			"disabled", (r->categories & (1u << CAT_DISABLED)) != 0, "bank_name",
			r->bank_name, "bank_account", account, "note", r->note, "status", status,
			"status_date", status_date, "status_reason", status_reason, "region_code",
			r->region);
		json_object_set_new(*out, "family", family_json(db, by, id));
		json_object_set_new(*out, "history", history_json(db, id));
	}
	mem_wipe(r, sizeof(*r));
	free(r);
	return rc;
}

int person_reveal(struct db *db, const struct principal *by, int64_t id, json_t **out)
{
	if (!person_may_reveal(by))
		return VE_DENIED;
	struct record *r = xcalloc(1, sizeof(*r));
	int rc = load_in_scope(db, by, id, r);
	if (rc == 0 && db_begin(db) == 0) {
		rc = account_audit(db, by, "person.view_full", "person", id,
				   "查看完整身份证号、出生日期、电话、账号、残疾信息");
		if (rc == 0 && db_commit(db) != 0)
			rc = VE_DB;
		if (rc)
			db_rollback(db);
	} else if (rc == 0) {
		rc = VE_DB;
	}
	if (rc == 0) {
		char grade[16] = "", birth[11];
		if (r->grade)
			snprintf(grade, sizeof(grade), "%d 级", r->grade);
		snprintf(birth, sizeof(birth), "%04d-%02d-%02d", r->card.year, r->card.month,
			 r->card.day);
		*out = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "id_number", r->card.number,
				 "birth_date", birth, "phone", r->phone, "bank_account", r->account,
				 "disability_grade", grade, "disability_nature", r->nature);
	}
	mem_wipe(r, sizeof(*r));
	free(r);
	return rc;
}

int person_disability(struct db *db, int64_t person_id, int *grade, char nature[16])
{
	char v[32];
	*grade = 0;
	nature[0] = '\0';
	struct db_stmt *st =
		db_q(db,
		     "SELECT disability_enc FROM person_identities WHERE person_id = ? "
		     "AND disability_enc IS NOT NULL",
		     "i", person_id);
	if (!st)
		return VE_DB;
	int found = db_step(st) == DB_ROW;
	if (found)
		open_column(st, 0, PERSON_SEALED_DISABILITY, person_id, v, sizeof(v));
	db_done(st);
	char *bar = found ? strchr(v, '|') : NULL;
	if (!bar)
		return VE_NOTFOUND;
	*grade = atoi(v);
	str_copy(nature, bar + 1, 16);
	mem_wipe(v, sizeof(v));
	return 0;
}

/* The 15 export cells of r, in person_columns order, into bufs. */
static void export_cells(struct db *db, const struct record *r, int full, char bufs[15][SHEET_CELL],
			 const char *cells[15])
{
	for (int i = 0; i < 15; i++) {
		bufs[i][0] = '\0';
		cells[i] = bufs[i];
	}
	str_copy(bufs[0], r->name, SHEET_CELL);
	if (full)
		str_copy(bufs[1], r->card.number, SHEET_CELL);
	else
		idcard_mask(r->card.number, bufs[1]);
	categories_text(r->categories, bufs[2], SHEET_CELL);
	if (full)
		str_copy(bufs[3], r->phone, SHEET_CELL);
	else
		mask_phone(r->phone, bufs[3]);
	region_name(db, r->street, bufs[4], SHEET_CELL);
	region_name(db, r->community, bufs[5], SHEET_CELL);
	str_copy(bufs[6], r->address, SHEET_CELL);
	str_copy(bufs[7], r->enlisted, SHEET_CELL);
	str_copy(bufs[8], r->discharged, SHEET_CELL);
	str_copy(bufs[9], r->placement, SHEET_CELL);
	if (r->grade)
		snprintf(bufs[10], SHEET_CELL, "%d", r->grade);
	str_copy(bufs[11], r->nature, SHEET_CELL);
	str_copy(bufs[12], r->bank_name, SHEET_CELL);
	if (full)
		str_copy(bufs[13], r->account, SHEET_CELL);
	else
		mask_account(r->account, bufs[13]);
	str_copy(bufs[14], r->note, SHEET_CELL);
}

/* Appends "、label value" (the first without the 、) to out when value is not empty. */
static void describe_term(char *out, size_t size, const char *label, const char *value)
{
	size_t used = strlen(out);
	if (value && *value && used < size)
		snprintf(out + used, size - used, "%s%s %s", used ? "、" : "", label, value);
}

/* f in words for the audit trail, whole numbers masked: "街道 长青街道（420199002）、
 * 状态 在册", or "全部" for no filter. */
static void describe_filter(struct db *db, const struct person_filter *f,
			    const struct list_args *a, char *out, size_t size)
{
	char term[160], name[64], region[96];
	out[0] = '\0';
	masked_term(a, term);
	describe_term(out, size, "关键字", term);
	describe_term(out, size, "人员类别", a->category);
	for (int i = 0; i < 2; i++) {
		const char *code = i ? a->community : a->street;
		if (!*code)
			continue;
		region_name(db, code, name, sizeof(name));
		snprintf(region, sizeof(region), "%s（%s）", name[0] ? name : "未知", code);
		describe_term(out, size, i ? "社区" : "街道", region);
	}
	describe_term(out, size, "状态", a->status);
	if (f->age_min > 0 || f->age_max > 0) {
		char ages[48];
		snprintf(ages, sizeof(ages), "%d–%d 岁", f->age_min, f->age_max > 0 ? f->age_max : 150);
		describe_term(out, size, "年龄", ages);
	}
	if (!out[0])
		str_copy(out, "全部", size);
}

/* The audit record of a full export of n_rows people under f. */
static int audit_export(struct db *db, const struct principal *by, const struct person_filter *f,
			const struct list_args *a, long n_rows)
{
	char filter[1024], detail[1200];
	describe_filter(db, f, a, filter, sizeof(filter));
	snprintf(detail, sizeof(detail), "导出含完整身份证号的人员名单：%ld 人；条件：%s", n_rows,
		 filter);
	if (db_begin(db) != 0)
		return VE_DB;
	if (account_audit(db, by, "person.export_full", "person", 0, detail) == 0 &&
	    db_commit(db) == 0)
		return 0;
	db_rollback(db);
	return VE_DB;
}

int person_export(struct db *db, const struct principal *by, const struct person_filter *f,
		  int full, void (*row)(void *ctx, const char *const *cells), void *ctx)
{
	if (full && !person_may_reveal(by))
		return VE_DENIED;
	struct list_args a;
	list_args(by, f, &a);
	struct db_stmt *st = db_q(db, export_sql[a.lead], LIST_FMT, LIST_ARGS(by, &a));
	if (!st)
		return VE_DB;
	struct record *r = xcalloc(1, sizeof(*r));
	char(*bufs)[SHEET_CELL] = xmalloc(15 * SHEET_CELL);
	const char *cells[15];
	long n_rows = 0;
	int rc;
	/* Each person is read through its own statements while this one is open. */
	while ((rc = db_step(st)) == DB_ROW) {
		if (load_record(db, db_int(st, 0), r) != 0)
			continue;
		export_cells(db, r, full, bufs, cells);
		row(ctx, cells);
		n_rows++;
	}
	db_done(st);
	mem_wipe(r, sizeof(*r));
	mem_wipe(bufs, 15 * SHEET_CELL);
	free(r);
	free(bufs);
	if (rc != DB_DONE)
		return VE_DB;
	/* After the rows, so that the record holds their number; no record, no file. */
	return full ? audit_export(db, by, f, &a, n_rows) : 0;
}

/* ---- status and family ---- */

static const char *const statuses[] = {"在册", "中止", "取消", "迁出", "死亡"};
/* What the relative is to the person; the inverse is what the person is to the relative. */
static const char *const relations[] = {"配偶", "父母", "子女", "兄弟姐妹"};
static const char *const inverse_relations[] = {"配偶", "子女", "父母", "兄弟姐妹"};

#define FIELD_RELATIVE "亲属身份证号"
/* A status reason's length in characters: person_get shows up to 199 bytes of it. */
#define REASON_MAX 200

/* The index of v among names, or -1. */
static int choice_of(const char *v, const char *const *names, int n)
{
	for (int i = 0; v && i < n; i++)
		if (strcmp(v, names[i]) == 0)
			return i;
	return -1;
}

/* What status changes and links need of a person, without decrypting anything. */
struct brief {
	int64_t id;
	char name[4 * 50 + 1], region[13], status[16], birth[11];
};

/* Person id into b when it is in by's scope; VE_NOTFOUND otherwise. */
static int brief_in_scope(struct db *db, const struct principal *by, int64_t id, struct brief *b)
{
	memset(b, 0, sizeof(*b));
	struct db_stmt *st = db_q(db,
				  "SELECT name, region_code, status, birth_date, "
				  "coalesce(created_by, 0) FROM persons WHERE id = ?",
				  "i", id);
	if (!st)
		return VE_DB;
	int rc = VE_NOTFOUND;
	if (db_step(st) == DB_ROW) {
		b->id = id;
		str_copy(b->name, db_text(st, 0), sizeof(b->name));
		str_copy(b->region, db_text(st, 1), sizeof(b->region));
		str_copy(b->status, db_text(st, 2), sizeof(b->status));
		str_copy(b->birth, db_text(st, 3), sizeof(b->birth));
		if (scope_covers_region(&by->scope, by->region_code, b->region, db_int(st, 4)))
			rc = 0;
	}
	db_done(st);
	return rc;
}

static int history_line(struct db *db, const struct principal *by, const struct brief *p,
			const char *field, const char *old_value, const char *new_value)
{
	return db_run(db,
		      "INSERT INTO person_history (person_id, region_code, at, user_id, username, "
		      "field, old_value, new_value) VALUES (?, ?, ?, nullif(?, 0), ?, ?, ?, ?)",
		      "isiissss", p->id, p->region, clock_now(), by->user_id, by->username, field,
		      old_value, new_value);
}

/* Checks a status change of p; each problem goes into e. */
static void check_status(const struct brief *p, const char *status, const char *date,
			 const char *reason, struct person_errors *e)
{
	int64_t t;
	char text[4 * REASON_MAX + 1];
	if (!status || !*status)
		add_error(e, "状态", "请选择新的状态");
	else if (choice_of(status, statuses, 5) < 0)
		add_error(e, "状态", "应为 在册、中止、取消、迁出、死亡 之一");
	else if (strcmp(status, p->status) == 0)
		add_error(e, "状态", "该人员当前已是“%s”状态，无需变更", p->status);
	if (!date || !*date)
		add_error(e, "变更日期", "请填写变更日期");
	else if (clock_parse_date(date, &t) != 0)
		add_error(e, "变更日期", "应为 YYYY-MM-DD 格式的有效日期");
	else if (t > clock_now())
		add_error(e, "变更日期", "不能晚于今天");
	else if (strncmp(date, p->birth, 4) < 0) /* the year only: a refusal must not date a birth */
		add_error(e, "变更日期", "不能早于出生日期所在的年份");
	if (!reason || !reason[strspn(reason, " \t\r\n")])
		add_error(e, "变更原因", "请填写变更原因");
	else
		text_field(e, "变更原因", reason, REASON_MAX, 0, text, sizeof(text));
}

static int write_status(struct db *db, const struct principal *by, const struct brief *p,
			const char *status, const char *date, const char *reason)
{
	char detail[4 * REASON_MAX + 128];
	int rc = db_run(db,
			"UPDATE persons SET status = ?, status_date = ?, status_reason = ?, "
			"updated_at = ?, updated_by = nullif(?, 0) WHERE id = ?",
			"sssiii", status, date, reason, clock_now(), by->user_id, p->id);
	snprintf(detail, sizeof(detail), "%s（%s，%s）", status, date, reason);
	if (rc == 0)
		rc = history_line(db, by, p, "状态", p->status, detail);
	snprintf(detail, sizeof(detail), "状态 %s → %s（%s，%s）", p->status, status, date, reason);
	return rc ? rc : account_audit(db, by, "person.status", "person", p->id, detail);
}

int person_set_status(struct db *db, const struct principal *by, int64_t id, const char *status,
		      const char *date, const char *reason, int in_tx, struct person_errors *errs)
{
	struct brief p;
	errs->n = 0;
	int rc = db_tx_begin(db, in_tx);
	if (rc)
		return rc;
	rc = brief_in_scope(db, by, id, &p);
	if (rc == 0) {
		check_status(&p, status, date, reason, errs);
		if (errs->n)
			rc = VE_INVALID;
	}
	if (rc == 0)
		rc = write_status(db, by, &p, status, date, reason);
	return db_tx_end(db, in_tx, rc);
}

/* Links p to r (r is relations[rel] to p) in both directions, with history and audit. */
static int link_pair(struct db *db, const struct principal *by, const struct brief *p,
		     const struct brief *r, int rel, struct person_errors *e)
{
	int64_t linked = 0;
	if (p->id == r->id)
		return add_error(e, FIELD_RELATIVE, "不能与本人建立家庭关系"), VE_INVALID;
	if (db_int_query(db, &linked, 0,
			 "SELECT count(*) FROM family_links WHERE (person_id = ? AND relative_id = "
			 "?) OR (person_id = ? AND relative_id = ?)",
			 "iiii", p->id, r->id, r->id, p->id) != 0)
		return VE_DB;
	if (linked) {
		add_error(e, FIELD_RELATIVE, "已登记与%s的家庭关系，如需更改请先解除", r->name);
		return VE_EXISTS;
	}
	int rc = db_run(db,
			"INSERT INTO family_links (person_id, relative_id, relation, region_code) "
			"VALUES (?, ?, ?, ?), (?, ?, ?, ?)",
			"iissiiss", p->id, r->id, relations[rel], p->region, r->id, p->id,
			inverse_relations[rel], r->region);
	char line[4 * 50 + 64];
	snprintf(line, sizeof(line), "%s：%s", relations[rel], r->name);
	if (rc == 0)
		rc = history_line(db, by, p, "家庭成员", "", line);
	snprintf(line, sizeof(line), "%s：%s", inverse_relations[rel], p->name);
	if (rc == 0)
		rc = history_line(db, by, r, "家庭成员", "", line);
	if (rc == 0) {
		snprintf(line, sizeof(line), "登记家庭关系：人员 %lld 是本人的%s", (long long)r->id,
			 relations[rel]);
		rc = account_audit(db, by, "person.link", "person", p->id, line);
	}
	return rc;
}

int person_link(struct db *db, const struct principal *by, int64_t person_id, int64_t relative_id,
		const char *relation, int in_tx, struct person_errors *errs)
{
	struct brief p, r;
	errs->n = 0;
	int rc = db_tx_begin(db, in_tx);
	if (rc)
		return rc;
	rc = brief_in_scope(db, by, person_id, &p);
	if (rc == 0)
		rc = brief_in_scope(db, by, relative_id, &r);
	int rel = choice_of(relation, relations, 4);
	if (rc == 0 && rel < 0) {
		add_error(errs, "关系", "应为 配偶、父母、子女、兄弟姐妹 之一");
		rc = VE_INVALID;
	}
	if (rc == 0)
		rc = link_pair(db, by, &p, &r, rel, errs);
	return db_tx_end(db, in_tx, rc);
}

/* The person in by's scope whose 身份证号 is number, through the blind index; a number
 * registered outside the scope names no one. Problems go into e. */
static int relative_by_number(struct db *db, const struct principal *by, const char *number,
			      struct brief *r, struct person_errors *e)
{
	struct idcard card;
	char why[160], bidx[2 * SM3_LEN + 1];
	int64_t id = 0;
	if (!number || !*number)
		return add_error(e, FIELD_RELATIVE, "请填写亲属的身份证号"), VE_INVALID;
	if (idcard_parse(number, today_int(), &card, why, sizeof(why)) != 0)
		return add_error(e, FIELD_RELATIVE, "%s", why), VE_INVALID;
	person_index_id(card.number, bidx);
	mem_wipe(&card, sizeof(card));
	if (db_int_query(db, &id, 0, "SELECT id FROM persons WHERE id_bidx = ?", "s", bidx) != 0)
		return VE_DB;
	int rc = id ? brief_in_scope(db, by, id, r) : VE_NOTFOUND;
	if (rc == VE_NOTFOUND) {
		add_error(e, FIELD_RELATIVE, "本辖区未登记该身份证号的人员，请先登记该亲属");
		rc = VE_INVALID;
	}
	return rc;
}

/* Counts a valid 身份证号 given for a relative against by's daily allowance of searches by
 * whole numbers (audit_full_search, before the link's own transaction); VE_LIMIT with the
 * field's error past it. A number that does not parse is left to relative_by_number. */
static int relative_lookup_allowed(struct db *db, const struct principal *by, const char *number,
				   int in_tx, struct person_errors *e)
{
	struct idcard card;
	char why[160], term[19];
	if (!number || idcard_parse(number, today_int(), &card, why, sizeof(why)) != 0)
		return 0;
	idcard_mask(card.number, term);
	mem_wipe(&card, sizeof(card));
	int rc = audit_full_search(db, by, "身份证号", term, in_tx);
	if (rc == VE_LIMIT)
		add_error(e, FIELD_RELATIVE, "今天按完整身份证号或电话号码查询已达 %d 次上限，请明天再试",
			  PERSON_FULL_SEARCHES_PER_DAY);
	return rc;
}

int person_link_number(struct db *db, const struct principal *by, int64_t person_id,
		       const char *number, const char *relation, int in_tx,
		       struct person_errors *errs)
{
	struct brief p, r;
	errs->n = 0;
	/* Whether a number is registered is the answer a search gives: it counts as one,
	 * audited even when the link is refused. */
	int rc = relative_lookup_allowed(db, by, number, in_tx, errs);
	if (rc)
		return rc;
	rc = db_tx_begin(db, in_tx);
	if (rc)
		return rc;
	rc = brief_in_scope(db, by, person_id, &p);
	int rel = choice_of(relation, relations, 4);
	if (rc == 0 && rel < 0)
		add_error(errs, "关系",
			  relation && *relation ? "应为 配偶、父母、子女、兄弟姐妹 之一"
						: "请选择亲属关系");
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
	struct brief p = {0}, r = {0};
	char relation[16] = "", inverse[16] = "";
	int rc = db_tx_begin(db, in_tx);
	if (rc)
		return rc;
	rc = brief_in_scope(db, by, person_id, &p);
	if (rc == 0)
		rc = brief_in_scope(db, by, relative_id, &r);
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
		rc = history_line(db, by, &p, "家庭成员", line, "");
	snprintf(line, sizeof(line), "%s：%s", inverse[0] ? inverse : "亲属", p.name);
	if (rc == 0)
		rc = history_line(db, by, &r, "家庭成员", line, "");
	if (rc == 0) {
		snprintf(line, sizeof(line), "解除家庭关系：人员 %lld（%s）", (long long)r.id,
			 relation[0] ? relation : inverse);
		rc = account_audit(db, by, "person.unlink", "person", p.id, line);
	}
	return db_tx_end(db, in_tx, rc);
}

/* ---- the area ---- */

const struct perm perm_person_read = {"person.read", "查看人员信息", ROLE_BUSINESS};
const struct perm perm_person_write = {"person.write", "登记和修改人员", ROLE_BIT(CLERK) | ROLE_BIT(STATION)};
const struct perm perm_person_reveal = {"person.reveal", "查看完整敏感信息", ROLE_BUSINESS};

static const struct perm *const perms[] = {
	PERM_PERSON_READ,
	PERM_PERSON_WRITE,
	PERM_PERSON_REVEAL,
	NULL,
};

static const struct audit_title audit_titles[] = {
	{"person.create", "登记人员"},
	{"person.update", "修改人员信息"},
	{"person.status", "变更人员状态"},
	{"person.link", "登记家庭关系"},
	{"person.view_full", "查看完整信息"},
	{"person.export_full", "导出完整名单"},
	{"person.import", "批量导入人员"},
	{NULL, NULL},
};

const struct area person_area = {
	.name = "person",
	.perms = perms,
	.audit_titles = audit_titles,
};
