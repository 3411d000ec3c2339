/* person.c - the registry of people: its vocabularies and field table, validation,
 * encrypted storage, history and scope. Lists and exports are person_search.c's, family
 * links person_family.c's, status changes person_status.c's. */
#include "person.h"
#include "person_record.h"
#include "person_seal.h"
#include "audit.h"
#include "region.h"
#include "sealed.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/idcard.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/utf8.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void person_init(const struct crypto_keys *k)
{
	person_seal_init(k);
}

/* ---- vocabularies ---- */

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

static const char *const statuses[] = {"在册", "中止", "取消", "迁出", "死亡"};
static const char *const relations[] = {"配偶", "父母", "子女", "兄弟姐妹"};
static const char *const placements[] = {"逐月领取退役金", "自主就业", "安排工作", "退休",
					 "供养",           "转业",     "复员"};
static const char *const natures[] = {"因战", "因公", "因病"};

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))
static const struct {
	const char *const *names;
	int n;
} vocabularies[PERSON_VOCABS] = {
	[PERSON_STATUSES] = {statuses, N_OF(statuses)},
	[PERSON_RELATIONS] = {relations, N_OF(relations)},
	[PERSON_PLACEMENTS] = {placements, N_OF(placements)},
	[PERSON_NATURES] = {natures, N_OF(natures)},
};

static const char *const grade_titles[PERSON_GRADE_MAX] = {
	"一级", "二级", "三级", "四级", "五级", "六级", "七级", "八级", "九级", "十级"};

const char *person_grade_title(int grade)
{
	return grade >= PERSON_GRADE_MIN && grade <= PERSON_GRADE_MAX ? grade_titles[grade - 1] : "";
}

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

int person_vocabulary(enum person_vocab v, const char *const **names)
{
	if ((unsigned)v >= PERSON_VOCABS) {
		*names = NULL;
		return 0;
	}
	*names = vocabularies[v].names;
	return vocabularies[v].n;
}

void person_vocab_text(enum person_vocab v, char *out, size_t size)
{
	const char *const *names;
	int n = person_vocabulary(v, &names);
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < n && used < size; i++)
		used += (size_t)snprintf(out + used, size - used, "%s%s", i ? "、" : "", names[i]);
}

int person_vocab_find(enum person_vocab v, const char *name)
{
	const char *const *names;
	int n = person_vocabulary(v, &names);
	for (int i = 0; name && i < n; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

/* ---- the field table ---- */

#define TEXT_OF(field) offsetof(struct person_text, field)
#define VALUE_OF(field) offsetof(struct person_record, field)
#define SIZE_OF(field) sizeof(((struct person_record *)0)->field)
const struct person_field person_fields[PERSON_FIELDS] = {
	{.label = "姓名", .name = "name", .kind = PERSON_KIND_TEXT, .required = 1,
	 .max_chars = 50, .text = TEXT_OF(name), .value = VALUE_OF(name), .size = SIZE_OF(name)},
	{.label = "身份证号", .name = "id_number", .kind = PERSON_KIND_ID, .sealed = 1,
	 .mask = PERSON_MASK_ID, .required = 1, .text = TEXT_OF(id_number),
	 .value = VALUE_OF(card.number), .size = SIZE_OF(card.number)},
	{.label = "人员类别", .name = "categories", .kind = PERSON_KIND_CATEGORIES,
	 .required = 1, .identity = 1, .text = TEXT_OF(categories),
	 .value = VALUE_OF(categories), .size = SIZE_OF(categories)},
	{.label = "联系电话", .name = "phone", .kind = PERSON_KIND_PHONE, .sealed = 1,
	 .mask = PERSON_MASK_PHONE, .text = TEXT_OF(phone), .value = VALUE_OF(phone),
	 .size = SIZE_OF(phone)},
	{.label = "街道", .name = "street", .kind = PERSON_KIND_REGION, .text = TEXT_OF(street),
	 .value = VALUE_OF(street), .size = SIZE_OF(street)},
	{.label = "社区", .name = "community", .kind = PERSON_KIND_REGION,
	 .text = TEXT_OF(community), .value = VALUE_OF(community), .size = SIZE_OF(community)},
	{.label = "住址", .name = "address", .kind = PERSON_KIND_TEXT, .max_chars = 200,
	 .text = TEXT_OF(address), .value = VALUE_OF(address), .size = SIZE_OF(address)},
	{.label = "入伍时间", .name = "enlisted", .kind = PERSON_KIND_DATE, .identity = 1,
	 .text = TEXT_OF(enlisted), .value = VALUE_OF(enlisted), .size = SIZE_OF(enlisted)},
	{.label = "退役时间", .name = "discharged", .kind = PERSON_KIND_DATE, .identity = 1,
	 .text = TEXT_OF(discharged), .value = VALUE_OF(discharged),
	 .size = SIZE_OF(discharged)},
	{.label = "安置方式", .name = "placement", .kind = PERSON_KIND_CHOICE, .identity = 1,
	 .vocab = PERSON_PLACEMENTS, .text = TEXT_OF(placement), .value = VALUE_OF(placement),
	 .size = SIZE_OF(placement)},
	{.label = "残疾等级", .name = "disability_grade", .kind = PERSON_KIND_GRADE,
	 .sealed = 1, .mask = PERSON_MASK_HIDDEN, .identity = 1,
	 .text = TEXT_OF(disability_grade), .value = VALUE_OF(grade), .size = SIZE_OF(grade)},
	{.label = "残疾性质", .name = "disability_nature", .kind = PERSON_KIND_CHOICE,
	 .sealed = 1, .mask = PERSON_MASK_HIDDEN, .identity = 1, .vocab = PERSON_NATURES,
	 .text = TEXT_OF(disability_nature), .value = VALUE_OF(nature), .size = SIZE_OF(nature)},
	{.label = "开户银行", .name = "bank_name", .kind = PERSON_KIND_TEXT, .max_chars = 60,
	 .text = TEXT_OF(bank_name), .value = VALUE_OF(bank_name), .size = SIZE_OF(bank_name)},
	{.label = "银行账号", .name = "bank_account", .kind = PERSON_KIND_ACCOUNT, .sealed = 1,
	 .mask = PERSON_MASK_ACCOUNT, .text = TEXT_OF(bank_account), .value = VALUE_OF(account),
	 .size = SIZE_OF(account)},
	{.label = "备注", .name = "note", .kind = PERSON_KIND_TEXT, .max_chars = 500,
	 .multiline = 1, .text = TEXT_OF(note), .value = VALUE_OF(note), .size = SIZE_OF(note)},
};

void person_column_labels(const char *out[PERSON_FIELDS])
{
	for (int i = 0; i < PERSON_FIELDS; i++)
		out[i] = person_fields[i].label;
}

/* Field i's text as t gives it (NULL: not given). */
static const char *given(const struct person_text *t, int i)
{
	return *(const char *const *)((const char *)t + person_fields[i].text);
}

/* Field i's plain value in r, for the fields kept as text. */
static char *text_value(struct person_record *r, int i)
{
	return (char *)r + person_fields[i].value;
}

static const char *text_value_of(const struct person_record *r, int i)
{
	return (const char *)r + person_fields[i].value;
}

/* ---- what people type ---- */

/* How field i is tidied before it is checked: spaces around every value go (full-width
 * ones too); inside a one-line text (a name, an address) each run of spaces becomes one;
 * numbers typed in groups ("6222 0212 …", "138 1234 5678") lose them. */
static enum str_tidy_inner tidy_inner(int i)
{
	const struct person_field *f = &person_fields[i];
	switch (f->kind) {
	case PERSON_KIND_TEXT:
		return f->multiline ? STR_TIDY_KEEP : STR_TIDY_COLLAPSE;
	case PERSON_KIND_ID:
	case PERSON_KIND_PHONE:
	case PERSON_KIND_ACCOUNT:
		return STR_TIDY_REMOVE;
	default:
		return STR_TIDY_COLLAPSE;
	}
}

/* t's given fields tidied into *out, each a copy that tidy_free frees. */
static void tidy_text(const struct person_text *t, struct person_text *out)
{
	*out = *t;
	for (int i = 0; i < PERSON_FIELDS; i++) {
		const char *v = given(t, i);
		if (!v)
			continue;
		char *copy = xstrdup(v);
		str_tidy(copy, tidy_inner(i));
		*(const char **)((char *)out + person_fields[i].text) = copy;
	}
}

static void tidy_free(struct person_text *t)
{
	for (int i = 0; i < PERSON_FIELDS; i++) {
		char *v = *(char **)((char *)t + person_fields[i].text);
		if (v)
			mem_wipe(v, strlen(v));
		free(v);
	}
}

/* ---- parsing text into a record ---- */

int person_text_field(struct field_errors *e, const char *field, const char *v,
		      size_t max_chars, int allow_newlines, char *out, size_t size)
{
	size_t n = strlen(v);
	if (!utf8_valid(v, n) || !str_is_printable(v, n, allow_newlines))
		return field_errors_add(e, field, "含有无效字符"), -1;
	if (utf8_count(v, n) > max_chars || n >= size)
		return field_errors_add(e, field, "不能超过 %zu 个字符", max_chars), -1;
	memcpy(out, v, n + 1);
	return 0;
}

int person_today(void)
{
	time_t t = (time_t)(clock_now() + 8 * 3600);
	struct tm tm;
	gmtime_r(&t, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

int person_age_of(const char *birth)
{
	int today = person_today();
	int y = atoi(birth), m = atoi(birth + 5), d = atoi(birth + 8);
	int age = today / 10000 - y;
	if (today % 10000 < m * 100 + d)
		age--;
	return age;
}

/* "YYYY-MM" or "YYYY-MM-DD", a real date not in the future. */
static int parse_month_or_date(struct field_errors *e, const char *field, const char *v,
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
		return field_errors_add(e, field, "应为 YYYY-MM 或 YYYY-MM-DD 格式的有效日期"), -1;
	if (t > clock_now())
		return field_errors_add(e, field, "不能晚于今天"), -1;
	memcpy(out, v, n + 1);
	return 0;
}

static int parse_categories(struct field_errors *e, const char *field, const char *v,
			    uint32_t *out)
{
	char buf[512];
	if (strlen(v) >= sizeof(buf))
		return field_errors_add(e, field, "过长"), -1;
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
			return field_errors_add(e, field, "未知的人员类别：%.60s", tok), -1;
		set |= 1u << c;
	}
	if (!set)
		return field_errors_add(e, field, "请至少填写一个人员类别"), -1;
	*out = set;
	return 0;
}

int person_phone_valid(const char *v)
{
	size_t n = strlen(v), digits = 0, dashes = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] >= '0' && v[i] <= '9')
			digits++;
		else if (v[i] == '-' && i > 0 && i + 1 < n)
			dashes++;
		else
			return 0;
	}
	int mobile = n == 11 && digits == 11 && v[0] == '1' && v[1] >= '3';
	int fixed = v[0] == '0' && digits >= 10 && digits <= 12 && dashes <= 1;
	int local = digits >= 7 && digits <= 8 && dashes == 0 && v[0] != '0' && v[0] != '1';
	return mobile || fixed || local;
}

static int parse_phone(struct field_errors *e, const char *field, const char *v, char out[24])
{
	if (!person_phone_valid(v) || strlen(v) >= 24)
		return field_errors_add(e, field, "应为 11 位手机号或固定电话"), -1;
	memcpy(out, v, strlen(v) + 1);
	return 0;
}

static int parse_choice(struct field_errors *e, const char *field, const char *v,
			enum person_vocab vocab, char *out, size_t size)
{
	if (person_vocab_find(vocab, v) >= 0)
		return str_copy(out, v, size), 0;
	return field_errors_add(e, field, "取值无效：%.40s", v), -1;
}

static int parse_grade(struct field_errors *e, const char *field, const char *v, int *out)
{
	int64_t g;
	if (str_to_i64(v, strlen(v), PERSON_GRADE_MIN, PERSON_GRADE_MAX, &g) != 0)
		return field_errors_add(e, field, "应为 1 到 10 之间的整数（1 级最重）"), -1;
	*out = (int)g;
	return 0;
}

static int parse_account(struct field_errors *e, const char *field, const char *v, char out[32])
{
	size_t n = strlen(v);
	if (n < 12 || n > 30 || strspn(v, "0123456789") != n)
		return field_errors_add(e, field, "应为 12 到 30 位数字"), -1;
	memcpy(out, v, n + 1);
	return 0;
}

static void parse_region(struct db *db, const struct person_text *t, struct person_record *r,
			 struct field_errors *e)
{
	if (t->street) {
		r->street[0] = '\0';
		if (*t->street && region_find(db, NULL, t->street, r->street) != 0)
			field_errors_add(e, "街道", "本区没有名为“%.40s”的街道", t->street);
	}
	if (t->community) {
		r->community[0] = '\0';
		if (*t->community && !r->street[0])
			field_errors_add(e, "社区", "填写社区时须同时填写街道");
		else if (*t->community &&
			 region_find(db, r->street, t->community, r->community) != 0)
			field_errors_add(e, "社区", "街道下没有名为“%.40s”的社区", t->community);
	} else if (strncmp(r->community, r->street, strlen(r->street)) != 0 || !r->street[0]) {
		r->community[0] = '\0'; /* a new street leaves the old community behind */
	}
}

/* Empties field i of r (what an empty cell or input means for an optional field). */
static void clear_field(struct person_record *r, int i)
{
	if (person_fields[i].kind == PERSON_KIND_GRADE)
		r->grade = 0;
	else if (person_fields[i].kind != PERSON_KIND_CATEGORIES)
		text_value(r, i)[0] = '\0';
}

/* Checks v (not empty) as field i into r. */
static void parse_field(struct person_record *r, int i, const char *v, struct field_errors *e)
{
	const struct person_field *f = &person_fields[i];
	char why[160];
	switch (f->kind) {
	case PERSON_KIND_TEXT:
		person_text_field(e, f->label, v, f->max_chars, f->multiline, text_value(r, i),
				  f->size);
		break;
	case PERSON_KIND_ID:
		if (idcard_parse(v, person_today(), &r->card, why, sizeof(why)) != 0)
			field_errors_add(e, f->label, "%s", why);
		break;
	case PERSON_KIND_CATEGORIES:
		parse_categories(e, f->label, v, &r->categories);
		break;
	case PERSON_KIND_PHONE:
		parse_phone(e, f->label, v, text_value(r, i));
		break;
	case PERSON_KIND_DATE:
		parse_month_or_date(e, f->label, v, text_value(r, i));
		break;
	case PERSON_KIND_CHOICE:
		parse_choice(e, f->label, v, f->vocab, text_value(r, i), f->size);
		break;
	case PERSON_KIND_GRADE:
		parse_grade(e, f->label, v, &r->grade);
		break;
	case PERSON_KIND_ACCOUNT:
		parse_account(e, f->label, v, text_value(r, i));
		break;
	case PERSON_KIND_REGION: /* both at once: parse_region */
		break;
	}
}

/* Applies the given fields of t over r (existing values or zeros), checking each in the
 * table's order. The 身份证号 and the categories are checked even when empty (they are
 * required and have no "empty" value); an empty optional field clears it. */
static void parse_text(struct db *db, const struct person_text *t, struct person_record *r,
		       struct field_errors *e)
{
	int regions_done = 0;
	for (int i = 0; i < PERSON_FIELDS; i++) {
		enum person_field_kind kind = person_fields[i].kind;
		const char *v = given(t, i);
		if (kind == PERSON_KIND_REGION) {
			if (!regions_done++)
				parse_region(db, t, r, e);
			continue;
		}
		if (!v)
			continue;
		if (kind != PERSON_KIND_ID && kind != PERSON_KIND_CATEGORIES) {
			clear_field(r, i);
			if (!*v)
				continue;
		}
		parse_field(r, i, v, e);
	}
	/* Kept disability data goes with the 残疾军人 identity when that is dropped. */
	if (!(r->categories & (1u << CAT_DISABLED)) && !t->disability_grade &&
	    !t->disability_nature) {
		r->grade = 0;
		r->nature[0] = '\0';
	}
}

/* 1 when field i of r holds nothing. */
static int field_empty(const struct person_record *r, int i)
{
	switch (person_fields[i].kind) {
	case PERSON_KIND_CATEGORIES:
		return r->categories == 0;
	case PERSON_KIND_GRADE:
		return r->grade == 0;
	default:
		return text_value_of(r, i)[0] == '\0';
	}
}

/* Rules across fields, once all are known. A field already refused is not
 * reported twice. */
static void check_record(const struct person_record *r, struct field_errors *e)
{
	for (int i = 0; i < PERSON_FIELDS; i++) {
		const struct person_field *f = &person_fields[i];
		if (!f->required || !field_empty(r, i) || field_errors_has(e, f->label))
			continue;
		if (f->kind == PERSON_KIND_CATEGORIES)
			field_errors_add(e, f->label, "请至少填写一个人员类别");
		else
			field_errors_add(e, f->label, "请填写%s", f->label);
	}
	int disabled = (r->categories & (1u << CAT_DISABLED)) != 0;
	if (disabled && (!r->grade || !r->nature[0]))
		field_errors_add(e, "残疾等级", "残疾军人须填写残疾等级和残疾性质");
	if (!disabled && (r->grade || r->nature[0]))
		field_errors_add(e, "残疾等级", "只有残疾军人填写残疾等级和残疾性质");
	if (r->enlisted[0] && r->discharged[0] && strcmp(r->discharged, r->enlisted) < 0)
		field_errors_add(e, "退役时间", "不能早于入伍时间");
	if ((r->categories & (1u << CAT_DEMOBILIZED)) && r->enlisted[0] &&
	    strcmp(r->enlisted, "1954-10-31") > 0)
		field_errors_add(e, "入伍时间", "在乡复员军人应于 1954 年 10 月 31 日前入伍");
}

void person_record_parse(struct db *db, const struct person_text *t, struct person_record *r,
			 struct field_errors *e)
{
	parse_text(db, t, r, e);
	check_record(r, e);
}

/* ---- reading and writing records ---- */

/* The plain text of a sealed column into out (size bytes); "" when NULL or unreadable. */
static void open_column(struct db_stmt *st, int col, const char *column, int64_t person_id,
			char *out, size_t size)
{
	size_t len;
	const void *blob = db_blob(st, col, &len);
	sealed_open(column, person_id, blob, len, out, size);
}

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

/* Person id's identities into r: the categories, the service dates and placement (of
 * the first identity that has them, in the order of the categories' names), the
 * disability data (opened). */
static void load_identities(struct db *db, int64_t id, struct person_record *r)
{
	struct db_stmt *st = db_q(db,
				  "SELECT category, coalesce(enlisted, ''), coalesce(discharged, ''), "
				  "coalesce(placement, ''), disability_enc FROM person_identities "
				  "WHERE person_id = ? ORDER BY category",
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
}

/* Reads person id into r (decrypted). VE_NOTFOUND when there is none. */
int person_record_load(struct db *db, int64_t id, struct person_record *r)
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
	mem_wipe(number, sizeof(number));
	load_identities(db, id, r);
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

/* Field i's value of r shown with its mask (PERSON_MASK_ID, _PHONE, _ACCOUNT). */
static void show_masked(const struct person_record *r, int i, char *out, size_t size)
{
	char buf[64];
	const char *v = text_value_of(r, i);
	switch (person_fields[i].mask) {
	case PERSON_MASK_ID:
		idcard_mask(v, buf);
		break;
	case PERSON_MASK_PHONE:
		sealed_mask_phone(v, buf);
		break;
	case PERSON_MASK_ACCOUNT:
		sealed_mask_account(v, buf);
		break;
	default:
		str_copy(out, v, size);
		return;
	}
	str_copy(out, buf, size);
}

void person_field_show(struct db *db, const struct person_record *r, int i, int full,
		       int history, char *out, size_t size)
{
	out[0] = '\0';
	switch (person_fields[i].kind) {
	case PERSON_KIND_CATEGORIES:
		categories_text(r->categories, out, size);
		break;
	case PERSON_KIND_REGION:
		region_name(db, text_value_of(r, i), out, size);
		break;
	case PERSON_KIND_GRADE:
		if (r->grade)
			snprintf(out, size, history ? "%d 级" : "%d", r->grade);
		break;
	default:
		if (full)
			str_copy(out, text_value_of(r, i), size);
		else
			show_masked(r, i, out, size);
	}
}

int person_field_differs(const struct person_record *a, const struct person_record *b, int i)
{
	switch (person_fields[i].kind) {
	case PERSON_KIND_CATEGORIES:
		return a->categories != b->categories;
	case PERSON_KIND_GRADE:
		return a->grade != b->grade;
	default:
		return strcmp(text_value_of(a, i), text_value_of(b, i)) != 0;
	}
}

static int write_identities(struct db *db, int64_t id, const struct person_record *r)
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
			sealed_seal(PERSON_SEALED_DISABILITY, id, v, &dis, &dis_len);
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

/* Inserts a new person from r with the sealed columns empty; *id set. The blind indexes
 * of the ID number's parts are computed here (the number never changes afterwards). */
static int insert_person(struct db *db, const struct principal *by, int64_t *id,
			 const struct person_record *r, const char *id_bidx, const char *phone_bidx,
			 const char *id_mask, const char *phone_mask, const char *account_mask)
{
	char birth[11], last4[2 * SM3_LEN + 1], first6[2 * SM3_LEN + 1];
	snprintf(birth, sizeof(birth), "%04d-%02d-%02d", r->card.year, r->card.month, r->card.day);
	person_index_id_parts(r->card.number, last4, first6);
	int64_t now = clock_now();
	/* id_enc is NOT NULL: an empty blob until write_person seals into the row. */
	int rc = db_run(
		db,
		"INSERT INTO persons (region_code, name, id_enc, id_bidx, id_last4_bidx, "
		"id_first6_bidx, id_mask, sex, birth_date, "
		"phone_bidx, phone_mask, street_code, community_code, address, bank_name, "
		"account_mask, note, created_at, created_by, updated_at, updated_by) VALUES (?, ?, "
		"?, ?, ?, ?, ?, ?, ?, nullif(?, ''), nullif(?, ''), nullif(?, ''), nullif(?, ''), "
		"nullif(?, ''), nullif(?, ''), nullif(?, ''), nullif(?, ''), ?, nullif(?, 0), ?, "
		"nullif(?, 0))",
		"ssbssssssssssssssiiii", r->region, r->name, (const void *)"", (size_t)0, id_bidx,
		last4, first6, id_mask, r->card.male ? "男" : "女", birth,
		r->phone[0] ? phone_bidx : "", phone_mask, r->street, r->community, r->address,
		r->bank_name, account_mask, r->note, now, by->user_id, now, by->user_id);
	if (rc == 0)
		*id = db_last_id(db);
	return rc;
}

/* Inserts (id == 0, *id set) or rewrites person *id from r. A new row is inserted with
 * its sealed columns empty and sealed once its id is known (see sealed_seal); that second
 * write touches no indexed column. */
static int write_person(struct db *db, const struct principal *by, int64_t *id,
			const struct person_record *r)
{
	char id_bidx[2 * SM3_LEN + 1], phone_bidx[2 * SM3_LEN + 1], id_mask[19], phone_mask[24],
		account_mask[32];
	unsigned char *id_enc = NULL, *phone_enc = NULL, *account_enc = NULL;
	size_t id_len, phone_len, account_len;
	person_index_id(r->card.number, id_bidx);
	person_index_phone(r->phone, phone_bidx);
	char last4[2 * SM3_LEN + 1], first6[2 * SM3_LEN + 1];
	person_index_id_parts(r->card.number, last4, first6);
	idcard_mask(r->card.number, id_mask);
	sealed_mask_phone(r->phone, phone_mask);
	sealed_mask_account(r->account, account_mask);
	int is_new = *id == 0;
	int rc = is_new ? insert_person(db, by, id, r, id_bidx, phone_bidx, id_mask, phone_mask,
					account_mask)
			: 0;
	if (rc)
		return rc;
	sealed_seal(PERSON_SEALED_ID, *id, r->card.number, &id_enc, &id_len);
	sealed_seal(PERSON_SEALED_PHONE, *id, r->phone, &phone_enc, &phone_len);
	sealed_seal(PERSON_SEALED_ACCOUNT, *id, r->account, &account_enc, &account_len);
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
			"updated_by = nullif(?, 0), id_last4_bidx = ?, id_first6_bidx = ? WHERE id = ?",
			"ssbbssssssbssiissi", r->region, r->name, (const void *)id_enc, id_len,
			(const void *)phone_enc, phone_len, r->phone[0] ? phone_bidx : "", phone_mask,
			r->street, r->community, r->address, r->bank_name, (const void *)account_enc,
			account_len, account_mask, r->note, clock_now(), by->user_id, last4, first6,
			*id);
	free(id_enc);
	free(phone_enc);
	free(account_enc);
	return rc;
}

static int write_history(struct db *db, const struct principal *by, int64_t id,
			 const struct person_record *before, const struct person_record *after, char *changed,
			 size_t changed_size)
{
	int64_t now = clock_now();
	size_t used = 0;
	changed[0] = '\0';
	for (int i = 0; i < PERSON_FIELDS; i++) {
		if (!person_field_differs(before, after, i))
			continue;
		char old_view[sizeof(before->note)], new_view[sizeof(before->note)];
		if (person_fields[i].mask == PERSON_MASK_HIDDEN) {
			str_copy(old_view, before->grade || before->nature[0] ? "（已登记）" : "",
				 sizeof(old_view));
			str_copy(new_view, "（已修改）", sizeof(new_view));
		} else {
			person_field_show(db, before, i, 0, 1, old_view, sizeof(old_view));
			person_field_show(db, after, i, 0, 1, new_view, sizeof(new_view));
		}
		/* The account it replaced, sealed: a batch generated before the change still
		 * pays into it (payment.c, AS_OF_MARK). */
		unsigned char *old_enc = NULL;
		size_t old_len = 0;
		if (person_fields[i].kind == PERSON_KIND_ACCOUNT)
			sealed_seal(PERSON_SEALED_ACCOUNT, id, before->account, &old_enc, &old_len);
		int rc = db_run(
			db,
			"INSERT INTO person_history (person_id, region_code, at, user_id, "
			"username, field, old_value, new_value, old_enc) VALUES (?, ?, ?, "
			"nullif(?, 0), ?, ?, ?, ?, ?)",
			"isiissssb", id, after->region, now, by->user_id, by->username,
			person_fields[i].label, old_view, new_view, (const void *)old_enc, old_len);
		free(old_enc);
		if (rc)
			return rc;
		used += (size_t)snprintf(changed + used,
					 used < changed_size ? changed_size - used : 0, "%s%s",
					 used ? "、" : "", person_fields[i].label);
	}
	return 0;
}

/* Finds the person with r's 身份证号: *id (0 when none) and the stored record in *old. */
static int find_by_number(struct db *db, const struct person_record *r, int64_t *id, struct person_record *old)
{
	char bidx[2 * SM3_LEN + 1];
	person_index_id(r->card.number, bidx);
	int64_t found = 0;
	if (db_int_query(db, &found, 0, "SELECT id FROM persons WHERE id_bidx = ?", "s", bidx) != 0)
		return VE_DB;
	*id = found;
	return found ? person_record_load(db, found, old) : 0;
}

/* The one refusal of a person outside the caller's scope, whatever the reason (a street
 * chosen outside it, or a 身份证号 registered outside it): the answer must not tell
 * which, or a station could learn who is registered in other streets. */
#define OUT_OF_SCOPE_FIELD "街道"
#define OUT_OF_SCOPE_MESSAGE "只能登记和修改本辖区的人员，该人员不在本辖区；如需办理，请联系区局"

/* Sets r->region from its community, else street, else the district, and refuses
 * a region outside by's scope (a station registers only its own street's people). */
static void place_record(struct db *db, const struct principal *by, struct person_record *r,
			 struct field_errors *e)
{
	char district[13];
	district_code(db, district);
	str_copy(r->region,
		 r->community[0] ? r->community
		 : r->street[0]  ? r->street
				 : district,
		 sizeof(r->region));
	if (!scope_covers_region(&by->scope, by->region_code, r->region, by->user_id))
		field_errors_add(e, OUT_OF_SCOPE_FIELD, "%s", OUT_OF_SCOPE_MESSAGE);
}

/* 1 when a field kept on the identity rows, or the region they are filed under, differs. */
static int identity_differs(const struct person_record *a, const struct person_record *b)
{
	for (int i = 0; i < PERSON_FIELDS; i++)
		if (person_fields[i].identity && person_field_differs(a, b, i))
			return 1;
	return strcmp(a->region, b->region) != 0;
}

/* Writes r as person *id (0: new) over old, with history and audit. */
static int store(struct db *db, const struct principal *by, int64_t *id, const struct person_record *old,
		 struct person_record *r, enum person_outcome *outcome)
{
	char changed[400] = "";
	int is_new = *id == 0;
	int rc = write_person(db, by, id, r);
	if (rc == 0 && !is_new)
		rc = write_history(db, by, *id, old, r, changed, sizeof(changed));
	if (rc == 0 && (is_new || identity_differs(old, r)))
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

static int differs(const struct person_record *a, const struct person_record *b)
{
	for (int i = 0; i < PERSON_FIELDS; i++)
		if (person_field_differs(a, b, i))
			return 1;
	return 0;
}

/* Stores r over old (person id, 0 for new) unless nothing changed, in a
 * transaction of its own unless the caller holds one (db_tx_begin). */
static int save_record(struct db *db, const struct principal *by, int in_tx, int64_t *id,
			 const struct person_record *old, struct person_record *r, enum person_outcome *outcome)
{
	if (*id && !differs(old, r)) {
		*outcome = PERSON_UNCHANGED;
		return 0;
	}
	int rc = db_tx_begin(db, in_tx);
	if (rc == 0)
		rc = store(db, by, id, old, r, outcome);
	return db_tx_end(db, in_tx, rc);
}

/* What a save would do, without writing: added, changed or unchanged. */
static enum person_outcome would_do(int64_t id, const struct person_record *old, const struct person_record *r)
{
	return !id ? PERSON_ADDED : differs(old, r) ? PERSON_CHANGED : PERSON_UNCHANGED;
}

/* The refusal of a 身份证号 registered outside by's scope (all other fields good):
 * recorded as a hit of the day (in the caller's transaction when in_tx) and audited,
 * unless check_only. */
static int refuse_out_of_scope(struct db *db, const struct principal *by, int flags,
			       struct person_save_info *info, struct field_errors *e)
{
	field_errors_add(e, "身份证号", "%s", PERSON_ELSEWHERE_MESSAGE);
	info->out_of_scope = 1;
	if (flags & PERSON_CHECK_ONLY)
		return VE_INVALID;
	int rc = person_scope_hits_add(db, by, &info->id_bidx, 1, flags & PERSON_IN_TX);
	return rc ? rc : VE_INVALID;
}

/* Past the day's limit of out-of-scope hits, a user registers no one new (a hit and a
 * new person get the same answer): VE_QUOTA, audited, with errs filled. */
static int refuse_past_limit(struct db *db, const struct principal *by, int in_tx,
			     struct field_errors *e)
{
	field_errors_clear(e);
	field_errors_add(e, "身份证号", "%s", PERSON_SCOPE_LIMIT_MESSAGE);
	struct audit_actor who = account_actor(by);
	int rc = db_tx_begin(db, in_tx);
	if (rc == 0)
		rc = audit_write(db, &who, "person.scope_limit", "persons", "denied",
				 "今日不在本辖区的身份证号已达上限，拒绝登记") ? VE_DB : 0;
	rc = db_tx_end(db, in_tx, rc);
	return rc ? rc : VE_QUOTA;
}

/* name with all but its first character masked ("张*", "欧阳**"), into out. */
static void mask_name(const char *name, char *out, size_t size)
{
	size_t n = 0, k = 0;
	if (name[0])
		do
			n++;
		while (((unsigned char)name[n] & 0xC0) == 0x80);
	k = n < size ? n : 0;
	memcpy(out, name, k);
	for (size_t i = n; name[i] && k + 1 < size; i++)
		if (((unsigned char)name[i] & 0xC0) != 0x80 && name[i] != ' ')
			out[k++] = '*';
	out[k] = '\0';
}

/* The person registered with t's 身份证号, when it parses (its blind index into info):
 * in by's scope, *id and r = *old (the stored record) to save over, or VE_EXISTS with
 * errs filled unless flags allow an update; outside it, *hit and r left empty. Outside
 * the scope, the person is not looked at: every field is checked as for a new one, and
 * only then is the save refused, as any other save outside the scope is. 0 or VE_DB. */
static int find_existing(struct db *db, const struct principal *by, const struct person_text *t,
			 int flags, struct person_record *r, struct person_record *old,
			 int64_t *id, int *hit, struct person_save_info *info,
			 struct field_errors *errs)
{
	static const struct person_record zero;
	char why[160];
	if (!t->id_number ||
	    idcard_parse(t->id_number, person_today(), &r->card, why, sizeof(why)) != 0)
		return 0;
	person_index_id(r->card.number, info->id_bidx);
	int64_t found = 0;
	int rc = find_by_number(db, r, &found, old);
	if (rc)
		return rc;
	*hit = found && !scope_covers_region(&by->scope, by->region_code, old->region,
					     old->created_by);
	if (found && !*hit && !(flags & PERSON_UPDATE_EXISTING)) {
		mask_name(old->name, info->existing_name, sizeof(info->existing_name));
		info->existing_id = found;
		field_errors_add(errs, "身份证号",
				 "该身份证号已登记为 %s（人员编号 %lld），不能重复登记；如需修改，请打开该人员",
				 info->existing_name, (long long)found);
		return VE_EXISTS;
	}
	if (found && !*hit)
		*id = found;
	*r = *id ? *old : zero;
	return 0;
}

static int save_tidy(struct db *db, const struct principal *by, const struct person_text *t,
		     int flags, int64_t *id, enum person_outcome *outcome,
		     struct field_errors *errs, struct person_save_info *info)
{
	struct person_record *r = xcalloc(1, sizeof(*r)), *old = xcalloc(1, sizeof(*old));
	int hit = 0;
	field_errors_clear(errs);
	*id = 0;
	memset(info, 0, sizeof(*info));
	int rc = find_existing(db, by, t, flags, r, old, id, &hit, info, errs);
	if (rc)
		goto out;
	person_record_parse(db, t, r, errs);
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
		rc = save_record(db, by, flags & PERSON_IN_TX, id, old, r, outcome);
out:
	mem_wipe(r, sizeof(*r));
	mem_wipe(old, sizeof(*old));
	free(r);
	free(old);
	return rc;
}

int person_save_ex(struct db *db, const struct principal *by, const struct person_text *t,
		   int flags, int64_t *id, enum person_outcome *outcome,
		   struct field_errors *errs, struct person_save_info *info)
{
	struct person_text tidy;
	tidy_text(t, &tidy);
	int rc = save_tidy(db, by, &tidy, flags, id, outcome, errs, info);
	tidy_free(&tidy);
	return rc;
}

int person_save(struct db *db, const struct principal *by, const struct person_text *t,
		int update_existing, int in_tx, int64_t *id, enum person_outcome *outcome,
		struct field_errors *errs)
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

/* 1 when typed is number as stored (a lower-case x is the same X). */
static int same_number(const char *typed, const char *number)
{
	struct idcard card;
	char why[160];
	int same = idcard_parse(typed, 99991231, &card, why, sizeof(why)) == 0 &&
		   strcmp(card.number, number) == 0;
	mem_wipe(&card, sizeof(card));
	return same;
}

static int update_tidy(struct db *db, const struct principal *by, int64_t id,
		       const struct person_text *t, enum person_outcome *outcome,
		       struct field_errors *errs)
{
	struct person_record *r = xcalloc(1, sizeof(*r)), *old = xcalloc(1, sizeof(*old));
	field_errors_clear(errs);
	int rc = person_record_load(db, id, old);
	if (rc == 0 &&
	    !scope_covers_region(&by->scope, by->region_code, old->region, old->created_by))
		rc = VE_NOTFOUND;
	if (rc == 0) {
		*r = *old;
		struct person_text keep_number = *t;
		keep_number.id_number = NULL;
		if (t->id_number && !same_number(t->id_number, old->card.number))
			field_errors_add(errs, "身份证号",
				  "身份证号不能修改；如登记有误，请注销后重新登记");
		person_record_parse(db, &keep_number, r, errs);
		place_record(db, by, r, errs);
		rc = errs->n ? VE_INVALID : save_record(db, by, 0, &id, old, r, outcome);
	}
	mem_wipe(r, sizeof(*r));
	mem_wipe(old, sizeof(*old));
	free(r);
	free(old);
	return rc;
}

int person_update(struct db *db, const struct principal *by, int64_t id,
		  const struct person_text *t, enum person_outcome *outcome,
		  struct field_errors *errs)
{
	struct person_text tidy;
	tidy_text(t, &tidy);
	int rc = update_tidy(db, by, id, &tidy, outcome, errs);
	tidy_free(&tidy);
	return rc;
}

/* ---- reading ---- */

int person_may_reveal(const struct principal *by)
{
	return perm_allows(by->roles, PERM_PERSON_REVEAL);
}

int person_record_in_scope(struct db *db, const struct principal *by, int64_t id, struct person_record *r)
{
	int rc = person_record_load(db, id, r);
	if (rc == 0 && !scope_covers_region(&by->scope, by->region_code, r->region, r->created_by))
		rc = VE_NOTFOUND;
	return rc;
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

/* The fields of r as the person's page and the API show them: masked, regions by name,
 * without the disability data (person_reveal's) and the categories (shown as a list). */
static json_t *shown_fields(struct db *db, const struct person_record *r)
{
	json_t *o = json_object();
	char v[sizeof(r->note)];
	for (int i = 0; i < PERSON_FIELDS; i++) {
		const struct person_field *f = &person_fields[i];
		if (f->kind == PERSON_KIND_CATEGORIES || f->mask == PERSON_MASK_HIDDEN)
			continue;
		person_field_show(db, r, i, 0, 0, v, sizeof(v));
		json_object_set_new(o, f->name, json_string(v));
	}
	return o;
}

/* Person id's status, its date and reason into o. */
static void add_status(struct db *db, int64_t id, json_t *o)
{
	struct db_stmt *st = db_q(db,
				  "SELECT status, coalesce(status_date, ''), "
				  "coalesce(status_reason, '') FROM persons WHERE id = ?",
				  "i", id);
	int found = st && db_step(st) == DB_ROW;
	json_object_set_new(o, "status", json_string(found ? db_text(st, 0) : ""));
	json_object_set_new(o, "status_date", json_string(found ? db_text(st, 1) : ""));
	json_object_set_new(o, "status_reason", json_string(found ? db_text(st, 2) : ""));
	db_done(st);
}

int person_get(struct db *db, const struct principal *by, int64_t id, json_t **out)
{
	struct person_record *r = xcalloc(1, sizeof(*r));
	int rc = person_record_in_scope(db, by, id, r);
	if (rc == 0) {
		char cats[512], birth[11];
		categories_text(r->categories, cats, sizeof(cats));
		snprintf(birth, sizeof(birth), "%04d-%02d-%02d", r->card.year, r->card.month,
			 r->card.day);
		json_t *list = json_array();
		for (int c = 0; c < CAT__COUNT; c++)
			if (r->categories & (1u << c))
				json_array_append_new(list, json_string(category_titles[c]));
		/* Age, not the birth date (person_reveal gives that): see person_list. */
		*out = json_pack("{s:I,s:s,s:i,s:o,s:s,s:b,s:s}", "id", (json_int_t)id, "sex",
				 r->card.male ? "男" : "女", "age", person_age_of(birth),
				 "categories", list, "categories_text", cats, "disabled",
				 (r->categories & (1u << CAT_DISABLED)) != 0, "region_code",
				 r->region);
		json_t *fields = shown_fields(db, r);
		json_object_update(*out, fields);
		json_decref(fields);
		add_status(db, id, *out);
		json_object_set_new(*out, "family", person_family_json(db, by, id));
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
	struct person_record *r = xcalloc(1, sizeof(*r));
	int rc = person_record_in_scope(db, by, id, r);
	if (rc == 0)
		rc = db_tx_begin(db, 0);
	if (rc == 0)
		rc = db_tx_end(db, 0,
			       account_audit(db, by, "person.view_full", "person", id,
					     "查看完整身份证号、出生日期、电话、账号、残疾信息"));
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

/* ---- what status changes and links build on ---- */

int person_brief_in_scope(struct db *db, const struct principal *by, int64_t id, struct person_brief *b)
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

int person_history_line(struct db *db, const struct principal *by, const struct person_brief *p,
			const char *field, const char *old_value, const char *new_value)
{
	return db_run(db,
		      "INSERT INTO person_history (person_id, region_code, at, user_id, username, "
		      "field, old_value, new_value) VALUES (?, ?, ?, nullif(?, 0), ?, ?, ?, ?)",
		      "isiissss", p->id, p->region, clock_now(), by->user_id, by->username, field,
		      old_value, new_value);
}

/* ---- the area ---- */

const struct perm perm_person_read = {"person.read", "查看人员信息", ROLE_BUSINESS};
const struct perm perm_person_write = {"person.write", "登记和修改人员", ROLE_BIT(CLERK) | ROLE_BIT(STATION)};
/* The leader sees figures and masked lists; a named leader may be granted the full view. */
const struct perm perm_person_reveal = {"person.reveal", "查看完整敏感信息",
	ROLE_BIT(CLERK) | ROLE_BIT(REVIEWER) | ROLE_BIT(APPROVER) | ROLE_BIT(STATION) |
	GRANT_BIT(PERSON_FULL)};
/* A list with full values is register work: the bureau's clerks, and a station for its
 * own street (its data scope); reviewers and approvers check one line at a time. */
const struct perm perm_person_export_full = {"person.export_full", "导出完整敏感信息",
	ROLE_BIT(CLERK) | ROLE_BIT(STATION)};

static const struct perm *const perms[] = {
	PERM_PERSON_READ,
	PERM_PERSON_WRITE,
	PERM_PERSON_REVEAL,
	PERM_PERSON_EXPORT_FULL,
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
	{"person.unlink", "解除家庭关系"},
	{"person.search_full", "按完整号码查询"},
	{"person.search_part", "按身份证号部分查询"},
	{"person.out_of_scope", "查询辖区外人员"},
	{"person.scope_limit", "辖区外查询超出当日上限"},
	{"person.seal_upgrade", "人员数据升级"},
	{NULL, NULL},
};

const struct area person_area = {
	.name = "person",
	.perms = perms,
	.audit_titles = audit_titles,
};
