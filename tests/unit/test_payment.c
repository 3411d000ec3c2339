/* test_payment.c - the worked cases of SPEC §2.2 and §2.3, each with its exact amounts,
 * on a real SQLite file: a new entitlement mid-year, a death with funeral sums, a
 * suspension and its resumption, a lapse of the annual verification, a standard raised
 * from 8月1日 and entered in October with back pay, a failed bank line paid again,
 * recovery after a late death report, a conscript's family allowance with supplements;
 * and the three-person rule, the unique keys, the return file's refusals.
 *
 * "Today" is 2026-12-15 (VETS_FAKE_NOW). The yearly amounts are chosen so that the
 * month shares are not all equal: 12,345.67 元 a year is 1,028.80 or 1,028.81 a month
 * (months 1, 3, 5, 8, 10 get 1,028.80), adding up to the year exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "areas/account.h"
#include "areas/audit.h"
#include "areas/benefit.h"
#include "areas/conscript.h"
#include "areas/entitlement.h"
#include "areas/payment.h"
#include "areas/recovery.h"
#include "areas/person.h"
#include "areas/region.h"
#include "lib/err.h"
#include "lib/idcard.h"

#include "fixture.h"

struct fixture {
	struct test_store store;
	struct principal cli, clerk, reviewer, approver;
};

static struct principal person_acting(const struct principal *base, int64_t id, const char *name)
{
	struct principal p = *base;
	p.user_id = id;
	snprintf(p.username, sizeof(p.username), "%s", name);
	return p;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256] = "";
	if (test_district_open(&f->store, "payment"))
		return -1;
	account_cli_principal(&f->cli);
	struct region_entry regions[] = {
		{"420199", "示范区", "", 1},
		{"420199001", "东湖街道", "420199", 2},
		{"420199002", "长青街道", "420199", 3},
	};
	if (region_store(f->store.db, &f->cli, regions, 3, err, sizeof(err)))
		return fprintf(stderr, "%s\n", err), -1;
	f->clerk = person_acting(&f->cli, 101, "clerk1");
	f->reviewer = person_acting(&f->cli, 102, "reviewer1");
	f->approver = person_acting(&f->cli, 103, "approver1");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	if (test_store_close(&f->store))
		return -1;
	free(f);
	return 0;
}

/* ---- building the world ---- */

static int64_t add_person(struct fixture *f, int seq, const char *name, const char *categories,
			  const char *grade, const char *nature)
{
	char id[19];
	snprintf(id, sizeof(id), "42010619600101%03d", seq);
	id[17] = idcard_check_char(id);
	id[18] = '\0';
	char account[24];
	snprintf(account, sizeof(account), "62220200000000%05d", seq);
	struct person_text t = {.name = name,
				.id_number = id,
				.categories = categories,
				.street = "东湖街道",
				.disability_grade = grade,
				.disability_nature = nature,
				.bank_name = "工商银行示范支行",
				.bank_account = account};
	int64_t pid = 0;
	enum person_outcome out;
	struct field_errors errs = {0};
	int rc = person_save(f->store.db, &f->cli, &t, 0, 0, &pid, &out, &errs);
	if (rc)
		fail_msg("person %s: %d %s %s", name, rc, errs.n ? errs.items[0].field : "",
			 errs.n ? errs.items[0].message : "");
	return pid;
}

/* Proposes a standard as the clerk and approves it as the reviewer; its id. */
static int64_t standard(struct fixture *f, const char *benefit, const char *category,
			const char *grade, const char *nature, const char *from, const char *yuan)
{
	struct standard_text t = {benefit, category, grade, nature, from, yuan, "0", "测试"};
	int64_t id;
	char err[256] = "";
	if (benefit_standard_propose(f->store.db, &f->clerk, &t, 0, &id, NULL, err, sizeof(err)))
		fail_msg("propose: %s", err);
	if (benefit_standard_decide(f->store.db, &f->reviewer, id, 1, err, sizeof(err)))
		fail_msg("approve: %s", err);
	return id;
}

static int64_t grant(struct fixture *f, int64_t person, const char *benefit, const char *start,
		     const char *end, int64_t amount, const char *how)
{
	struct entitlement_grant g = {person, benefit, start, end, amount, how};
	int64_t id;
	char err[256] = "";
	if (entitlement_grant(f->store.db, &f->clerk, &g, 0, &id, err, sizeof(err)))
		fail_msg("grant %s: %s", benefit, err);
	return id;
}

/* Generates, reviews and approves a batch; its id (0 when nothing was due). */
static int64_t pay(struct fixture *f, const char *period, const char *benefit)
{
	struct pay_result r;
	char err[300] = "";
	int rc = pay_generate(f->store.db, &f->clerk, period, benefit, &r, NULL, err, sizeof(err));
	if (rc == VE_INVALID && r.nothing_due)
		return 0;
	if (rc)
		fail_msg("generate %s %s: %s", period, benefit, err);
	if (pay_review(f->store.db, &f->reviewer, r.batch_id, err, sizeof(err)) ||
	    pay_approve(f->store.db, &f->approver, r.batch_id, err, sizeof(err)))
		fail_msg("sign %s: %s", period, err);
	return r.batch_id;
}

/* Marks every pending line of a batch paid (as a return file with no failure would). */
static void settle(struct fixture *f, int64_t batch)
{
	assert_int_equal(db_run(f->store.db,
				"UPDATE pay_lines SET status = '已发' WHERE batch_id = ?", "i",
				batch),
			 0);
}

/* The amount of person's line of kind for month in any batch (-1: none, live lines). */
static int64_t line(struct fixture *f, int64_t person, const char *month, const char *kind)
{
	int64_t v = -1;
	assert_int_equal(db_int_query(f->store.db, &v, -1,
				      "SELECT sum(amount_fen) FROM pay_lines WHERE person_id = ? "
				      "AND month = ? AND kind = ? AND status <> '失败' HAVING "
				      "count(*) > 0",
				      "iss", person, month, kind),
			 0);
	return v;
}

static int64_t count_lines(struct fixture *f, int64_t person)
{
	int64_t v = 0;
	db_int_query(f->store.db, &v, 0, "SELECT count(*) FROM pay_lines WHERE person_id = ?", "i",
		     person);
	return v;
}

static void months(struct fixture *f, int from, int to, const char *benefit)
{
	for (int m = from; m <= to; m++) {
		char period[8];
		snprintf(period, sizeof(period), "2026-%02d", m);
		int64_t b = pay(f, period, benefit);
		if (b)
			settle(f, b);
	}
}

/* ---- the worked cases ---- */

static void test_month_shares(void **state)
{
	static const int64_t want[12] = {102880, 102881, 102880, 102881, 102880, 102881,
					 102881, 102880, 102881, 102880, 102881, 102881};
	int64_t sum = 0;
	for (int k = 1; k <= 12; k++) {
		assert_int_equal(benefit_month_share(1234567, k), want[k - 1]);
		sum += want[k - 1];
	}
	assert_int_equal(sum, 1234567);
	/* the largest yearly standard allowed, no overflow */
	int64_t big = 0;
	for (int k = 1; k <= 12; k++)
		big += benefit_month_share(200000000, k);
	assert_int_equal(big, 200000000);
}

/* Confirmed in September from June: the first batch pays June to September. */
static void test_new_entitlement_mid_year(void **state)
{
	struct fixture *f = *state;
	standard(f, "残疾抚恤金", "", "1", "因战", "2026-01-01", "12345.67");
	int64_t other = add_person(f, 11, "周一", "残疾军人", "1", "因战");
	grant(f, other, "DISABILITY", "2026-01", NULL, 0, NULL);
	months(f, 1, 8, "DISABILITY");
	int64_t p = add_person(f, 12, "吴二", "残疾军人", "1", "因战");
	int64_t n = 0;
	assert_int_equal(entitlement_propose(f->store.db, &f->clerk, 0, &n), 0);
	assert_int_equal(n, 1);
	int64_t ent = 0;
	db_int_query(f->store.db, &ent, 0, "SELECT id FROM entitlements WHERE person_id = ?", "i",
		     p);
	char err[256];
	assert_int_equal(
		entitlement_confirm(f->store.db, &f->reviewer, ent, "2026-06", 0, err, sizeof(err)),
		0);
	int64_t b = pay(f, "2026-09", "DISABILITY");
	assert_int_equal(line(f, p, "2026-06", "regular"), 102881);
	assert_int_equal(line(f, p, "2026-07", "regular"), 102881);
	assert_int_equal(line(f, p, "2026-08", "regular"), 102880);
	assert_int_equal(line(f, p, "2026-09", "regular"), 102881);
	assert_int_equal(line(f, p, "2026-05", "regular"), -1);
	int64_t amount = 0;
	db_int_query(f->store.db, &amount, 0, "SELECT amount_fen FROM pay_batches WHERE id = ?",
		     "i", b);
	assert_int_equal(amount, 411523 + 102881); /* hers and the other's September */
}

/* 定期抚恤金: paid to the death month, then six months once (any cause); 残疾抚恤金:
 * twelve months once only for a death from illness. */
static void test_death_with_funeral_sums(void **state)
{
	struct fixture *f = *state;
	standard(f, "定期抚恤金", "烈士遗属", "", "", "2026-01-01", "24000");
	standard(f, "残疾抚恤金", "", "1", "因战", "2026-01-01", "12345.67");
	int64_t widow = add_person(f, 21, "郑三", "烈士遗属", NULL, NULL);
	int64_t sick = add_person(f, 22, "王四", "残疾军人", "1", "因战");
	int64_t fallen = add_person(f, 23, "冯五", "残疾军人", "1", "因战");
	grant(f, widow, "SURVIVOR", "2026-01", NULL, 0, NULL);
	grant(f, sick, "DISABILITY", "2026-01", NULL, 0, NULL);
	grant(f, fallen, "DISABILITY", "2026-01", NULL, 0, NULL);
	months(f, 1, 2, "SURVIVOR");
	months(f, 1, 2, "DISABILITY");
	char err[256];
	assert_int_equal(entitlement_record_death(f->store.db, &f->clerk, widow, "2026-03-10",
						  "其他", 0, NULL, err, sizeof(err)),
			 0);
	assert_int_equal(entitlement_record_death(f->store.db, &f->clerk, sick, "2026-03-02",
						  "因病", 0, NULL, err, sizeof(err)),
			 0);
	assert_int_equal(entitlement_record_death(f->store.db, &f->clerk, fallen, "2026-03-05",
						  "因战", 0, NULL, err, sizeof(err)),
			 0);
	months(f, 3, 6, "SURVIVOR");
	months(f, 3, 6, "DISABILITY");
	assert_int_equal(line(f, widow, "2026-03", "regular"), 200000); /* the death month */
	assert_int_equal(line(f, widow, "2026-04", "regular"), -1);
	assert_int_equal(line(f, widow, "2026-04", "funeral"), 1200000); /* 6 × 2,000.00 */
	assert_int_equal(count_lines(f, widow), 4);
	assert_int_equal(line(f, sick, "2026-03", "regular"), 102880);
	assert_int_equal(line(f, sick, "2026-04", "funeral"), 1234567); /* 12 months */
	assert_int_equal(line(f, fallen, "2026-04", "funeral"), -1);
	assert_int_equal(count_lines(f, fallen), 3);
}

/* Suspended from March, resumed from June: March to May are never paid. */
static void test_suspension_and_resumption(void **state)
{
	struct fixture *f = *state;
	standard(f, "定期生活补助", "在乡复员军人", "", "", "2026-01-01", "6000");
	int64_t p = add_person(f, 31, "陈六", "在乡复员军人", NULL, NULL);
	int64_t ent = grant(f, p, "LIVING", "2026-01", NULL, 0, NULL);
	months(f, 1, 2, "LIVING");
	char err[256];
	/* not back into months already paid */
	assert_int_equal(entitlement_suspend(f->store.db, &f->clerk, ent, "2026-02", "服刑", 0, err,
					     sizeof(err)),
			 VE_CONFLICT);
	assert_int_equal(entitlement_suspend(f->store.db, &f->clerk, ent, "2026-03", "服刑期间", 0,
					     err, sizeof(err)),
			 0);
	months(f, 3, 5, "LIVING");
	assert_int_equal(
		entitlement_resume(f->store.db, &f->clerk, ent, "2026-06", 0, err, sizeof(err)), 0);
	months(f, 6, 7, "LIVING");
	assert_int_equal(line(f, p, "2026-02", "regular"), 50000);
	for (int m = 3; m <= 5; m++) {
		char month[8];
		snprintf(month, sizeof(month), "2026-%02d", m);
		assert_int_equal(line(f, p, month, "regular"), -1);
	}
	assert_int_equal(line(f, p, "2026-06", "regular"), 50000);
	assert_int_equal(count_lines(f, p), 4); /* Jan, Feb, Jun, Jul: nothing paid back */
}

/* Notified 2026-03-01, not verified by the 60th day (04-30): suspended from May;
 * verified 2026-08-10: paid again from September, May to August never. */
static void test_verification_lapse(void **state)
{
	struct fixture *f = *state;
	standard(f, "定期生活补助", "在乡复员军人", "", "", "2026-01-01", "6000");
	int64_t p = add_person(f, 41, "褚七", "在乡复员军人", NULL, NULL);
	int64_t q = add_person(f, 42, "卫八", "在乡复员军人", NULL, NULL);
	grant(f, p, "LIVING", "2026-01", NULL, 0, NULL);
	grant(f, q, "LIVING", "2026-01", NULL, 0, NULL);
	char err[256];
	assert_int_equal(verification_notify(f->store.db, &f->clerk, p, 2026, "2026-03-01", 0, err,
					     sizeof(err)),
			 0);
	assert_int_equal(verification_notify(f->store.db, &f->clerk, q, 2026, "2026-03-01", 0, err,
					     sizeof(err)),
			 0);
	assert_int_equal(verification_record(f->store.db, &f->clerk, q, 2026, "2026-04-20", 0, err,
					     sizeof(err)),
			 0);
	json_t *list;
	assert_int_equal(verification_unverified(f->store.db, &f->clerk, 2026, &list), 0);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
	months(f, 1, 8, "LIVING");
	assert_int_equal(line(f, p, "2026-04", "regular"), 50000);
	assert_int_equal(line(f, p, "2026-05", "regular"), -1);
	assert_int_equal(line(f, q, "2026-05", "regular"), 50000);
	assert_int_equal(verification_record(f->store.db, &f->clerk, p, 2026, "2026-08-10", 0, err,
					     sizeof(err)),
			 0);
	months(f, 9, 10, "LIVING");
	assert_int_equal(line(f, p, "2026-08", "regular"), -1);
	assert_int_equal(line(f, p, "2026-09", "regular"), 50000);
	assert_int_equal(count_lines(f, p), 6); /* Jan-Apr, Sep, Oct */
	assert_int_equal(count_lines(f, q), 10);
}

/* 12,345.67 a year from January; in October a new standard of 12,960.00 (1,080.00 a
 * month) from 8月1日 is approved: October's batch pays October at the new rate and
 * the differences for August (1,080.00 - 1,028.80) and September (- 1,028.81). */
static void test_standard_raised_with_back_pay(void **state)
{
	struct fixture *f = *state;
	standard(f, "残疾抚恤金", "", "1", "因战", "2026-01-01", "12345.67");
	int64_t p = add_person(f, 51, "蒋九", "残疾军人", "1", "因战");
	grant(f, p, "DISABILITY", "2026-01", NULL, 0, NULL);
	months(f, 1, 9, "DISABILITY");
	standard(f, "残疾抚恤金", "", "1", "因战", "2026-08-01", "12960");
	int64_t oct = pay(f, "2026-10", "DISABILITY");
	assert_int_equal(line(f, p, "2026-10", "regular"), 108000);
	assert_int_equal(line(f, p, "2026-08", "backpay"), 5120);
	assert_int_equal(line(f, p, "2026-09", "backpay"), 5119);
	int64_t lines = 0, amount = 0;
	db_int_query(f->store.db, &lines, 0, "SELECT lines FROM pay_batches WHERE id = ?", "i",
		     oct);
	db_int_query(f->store.db, &amount, 0, "SELECT amount_fen FROM pay_batches WHERE id = ?",
		     "i", oct);
	assert_int_equal(lines, 3);
	assert_int_equal(amount, 108000 + 5120 + 5119);
	settle(f, oct);
	pay(f, "2026-11", "DISABILITY");
	assert_int_equal(line(f, p, "2026-08", "backpay"), 5120); /* once only */
	assert_int_equal(line(f, p, "2026-11", "regular"), 108000);
}

/* A return file fails one line; the next batch pays it again, with its own month. */
static void test_failed_line_reissued(void **state)
{
	struct fixture *f = *state;
	standard(f, "定期生活补助", "在乡复员军人", "", "", "2026-01-01", "6000");
	int64_t p = add_person(f, 61, "沈十", "在乡复员军人", NULL, NULL);
	int64_t q = add_person(f, 62, "韩十一", "在乡复员军人", NULL, NULL);
	grant(f, p, "LIVING", "2026-01", NULL, 0, NULL);
	grant(f, q, "LIVING", "2026-01", NULL, 0, NULL);
	int64_t jan = pay(f, "2026-01", "LIVING");
	int64_t lp = 0, lq = 0;
	db_int_query(f->store.db, &lp, 0, "SELECT id FROM pay_lines WHERE person_id = ?", "i", p);
	db_int_query(f->store.db, &lq, 0, "SELECT id FROM pay_lines WHERE person_id = ?", "i", q);
	char path[128], err[300];
	snprintf(path, sizeof(path), "%s/return.csv", f->store.dir);
	FILE *fp = fopen(path, "w");
	fprintf(fp,
		"流水号,户名,金额,结果,失败原因\n%lld,沈十,500.00,失败,账户已销户\n%lld,韩十一,500."
		"00,"
		"成功,\n",
		(long long)lp, (long long)lq);
	fclose(fp);
	int64_t paid, failed;
	assert_int_equal(pay_reconcile(f->store.db, &f->clerk, jan, path, NULL, NULL, &paid,
				       &failed, err, sizeof(err)),
			 0);
	assert_int_equal(paid, 1);
	assert_int_equal(failed, 1);
	int64_t feb = pay(f, "2026-02", "LIVING");
	int64_t reissued = 0, reissue_amount = 0;
	db_int_query(f->store.db, &reissued, 0,
		     "SELECT count(*) FROM pay_lines WHERE batch_id = ? AND reissue_of = ? AND "
		     "month = '2026-01'",
		     "ii", feb, lp);
	db_int_query(f->store.db, &reissue_amount, 0,
		     "SELECT amount_fen FROM pay_lines WHERE reissue_of = ?", "i", lp);
	assert_int_equal(reissued, 1);
	assert_int_equal(reissue_amount, 50000);
	assert_int_equal(line(f, p, "2026-02", "regular"), 50000);
	assert_int_equal(line(f, q, "2026-01", "regular"), 50000);
	/* the database itself refuses a second live line for a paid month */
	assert_int_equal(db_run(f->store.db,
				"INSERT INTO pay_lines (batch_id, entitlement_id, person_id, "
				"benefit_code, month, kind, amount_fen, region_code) SELECT ?, "
				"entitlement_id, person_id, benefit_code, month, kind, amount_fen, "
				"region_code FROM pay_lines WHERE id = ?",
				"ii", feb, lq),
			 VE_EXISTS);
}

/* Paid to April; in May a death on 2026-02-20 is reported: March and April are to
 * be recovered, and nothing more is paid. */
static void test_recovery_after_late_death(void **state)
{
	struct fixture *f = *state;
	standard(f, "定期生活补助", "在乡复员军人", "", "", "2026-01-01", "6000");
	int64_t p = add_person(f, 71, "杨十二", "在乡复员军人", NULL, NULL);
	int64_t q = add_person(f, 72, "朱十三", "在乡复员军人", NULL, NULL);
	grant(f, p, "LIVING", "2026-01", NULL, 0, NULL);
	grant(f, q, "LIVING", "2026-01", NULL, 0, NULL);
	months(f, 1, 4, "LIVING");
	char err[256];
	assert_int_equal(entitlement_record_death(f->store.db, &f->clerk, p, "2026-02-20", "因病",
						  0, NULL, err, sizeof(err)),
			 0);
	json_t *r;
	assert_int_equal(recovery_lines(f->store.db, &f->clerk, &r), 0);
	json_t *items = json_object_get(r, "items");
	assert_int_equal(json_array_size(items), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "month")),
			    "2026-03");
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "month")),
			    "2026-04");
	assert_int_equal(json_integer_value(json_object_get(r, "total_fen")), 100000);
	json_decref(r);
	months(f, 5, 5, "LIVING");
	assert_int_equal(line(f, p, "2026-05", "regular"), -1);
	assert_int_equal(line(f, q, "2026-05", "regular"), 50000);
}

/* 2026: 基数 28,000.00 + 毕业生 5,000.00 + 艰苦地区 2,000.00 = 35,000.00 a year of
 * service, paid in the first month of each year from enlistment (2026-09, 2027-09);
 * the bonus for 本科 10,000.00 once. */
static void test_conscript_allowance(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *kind, *item;
		int64_t fen;
	} rules[] = {
		{"基数", "基数", 2800000},     {"增发", "在校生", 300000},
		{"增发", "毕业生", 500000},    {"增发", "新生", 200000},
		{"增发", "艰苦地区", 200000},  {"增发", "进藏进疆", 400000},
		{"增发", "立功", 300000},      {"奖励金", "高中及以下", 500000},
		{"奖励金", "大专", 800000},    {"奖励金", "本科", 1000000},
		{"奖励金", "研究生", 1200000},
	};
	char err[256];
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		assert_int_equal(conscript_rule_set(f->store.db, &f->clerk, 2026, rules[i].kind,
						    rules[i].item, rules[i].fen, 0, NULL, err,
						    sizeof(err)),
				 0);
	struct conscript_rules r;
	assert_int_equal(conscript_rules_approve(f->store.db, &f->clerk, 2026, err, sizeof(err)),
			 VE_DENIED); /* who set them may not approve them */
	assert_int_equal(conscript_rules_load(f->store.db, 2026, &r), 0);
	assert_false(r.approved);
	assert_int_equal(conscript_rules_approve(f->store.db, &f->reviewer, 2026, err, sizeof(err)),
			 0);
	assert_int_equal(conscript_rules_load(f->store.db, 2026, &r), 0);
	assert_true(r.approved);
	struct conscript_text t = {.enlisted = "2026-09-05",
				   .education = "本科",
				   .college = "毕业生",
				   .hardship = "艰苦地区",
				   .family_name = "秦父",
				   .family_phone = "13900000001",
				   .bank_name = "工商银行示范支行",
				   .bank_account = "6222020000000000081"};
	struct conscript_facts facts;
	struct conscript_award award;
	struct field_errors e = {0};
	assert_int_equal(conscript_parse(&t, &facts, &e), 0);
	assert_int_equal(conscript_compute(&r, &facts, &award, &e), 0);
	assert_int_equal(award.allowance_fen, 3500000);
	assert_int_equal(award.bonus_fen, 1000000);
	assert_string_equal(award.start_month, "2026-09");
	assert_string_equal(award.end_month, "2028-08");
	int64_t p = add_person(f, 81, "秦十四", "现役军人", NULL, NULL);
	grant(f, p, "CONSCRIPT", award.start_month, award.end_month, award.allowance_fen,
	      award.allowance_text);
	grant(f, p, "ENLIST_BONUS", award.start_month, award.start_month, award.bonus_fen,
	      award.bonus_text);
	assert_int_equal(pay(f, "2026-08", "CONSCRIPT"), 0); /* not yet due */
	int64_t sep = pay(f, "2026-09", "CONSCRIPT");
	assert_true(sep > 0);
	assert_int_equal(line(f, p, "2026-09", "regular"), 3500000);
	assert_int_equal(pay(f, "2026-10", "CONSCRIPT"), 0);
	assert_true(pay(f, "2026-09", "ENLIST_BONUS") > 0);
	assert_int_equal(line(f, p, "2026-09", "regular"), 3500000 + 1000000);
	assert_int_equal(pay(f, "2026-10", "ENLIST_BONUS"), 0); /* once */
	json_t *lines;
	struct pay_line_filter lf = {.batch_id = sep};
	assert_int_equal(pay_line_list(f->store.db, &f->clerk, &lf, &lines), 0);
	const char *how = json_string_value(
		json_object_get(json_array_get(json_object_get(lines, "items"), 0), "computation"));
	assert_non_null(strstr(how, "35,000.00"));
	json_decref(lines);
}

/* ---- the rules around batches ---- */

static void test_three_people_and_no_second_generation(void **state)
{
	struct fixture *f = *state;
	standard(f, "定期生活补助", "在乡复员军人", "", "", "2026-01-01", "6000");
	int64_t p = add_person(f, 91, "尤十五", "在乡复员军人", NULL, NULL);
	grant(f, p, "LIVING", "2026-01", NULL, 0, NULL);
	struct pay_result r;
	char err[300] = "";
	assert_int_equal(pay_generate(f->store.db, &f->clerk, "2026-01", "LIVING", &r, NULL, err,
				      sizeof(err)),
			 0);
	assert_int_equal(r.lines, 1);
	assert_int_equal(r.amount_fen, 50000);
	assert_int_equal(pay_generate(f->store.db, &f->clerk, "2026-01", "LIVING", &r, NULL, err,
				      sizeof(err)),
			 VE_EXISTS);
	assert_int_equal(pay_approve(f->store.db, &f->approver, 1, err, sizeof(err)), VE_CONFLICT);
	assert_int_equal(pay_review(f->store.db, &f->clerk, 1, err, sizeof(err)), VE_DENIED);
	char path[128];
	snprintf(path, sizeof(path), "%s/bank.csv", f->store.dir);
	assert_int_equal(pay_bank_file(f->store.db, &f->clerk, 1, path, err, sizeof(err)),
			 VE_CONFLICT);
	assert_int_equal(access(path, F_OK), -1); /* an unapproved batch has no bank file */
	assert_int_equal(pay_review(f->store.db, &f->reviewer, 1, err, sizeof(err)), 0);
	assert_int_equal(pay_approve(f->store.db, &f->reviewer, 1, err, sizeof(err)), VE_DENIED);
	assert_int_equal(pay_approve(f->store.db, &f->clerk, 1, err, sizeof(err)), VE_DENIED);
	assert_int_equal(pay_approve(f->store.db, &f->approver, 1, err, sizeof(err)), 0);
	assert_int_equal(pay_bank_file(f->store.db, &f->clerk, 1, path, err, sizeof(err)), 0);
	FILE *fp = fopen(path, "r");
	char text[512] = "";
	size_t n = fread(text, 1, sizeof(text) - 1, fp);
	fclose(fp);
	text[n] = '\0';
	assert_non_null(strstr(text, "流水号,户名,账号,开户行,金额,摘要"));
	assert_non_null(strstr(text, "尤十五,6222020000000000091,工商银行示范支行,500.00"));
	/* a standard is never approved by its proposer */
	struct standard_text t = {"定期生活补助", "在乡复员军人", "", "",
				  "2027-01-01",   "6600",         "", ""};
	int64_t id;
	assert_int_equal(benefit_standard_propose(f->store.db, &f->clerk, &t, 0, &id, NULL, err,
						  sizeof(err)),
			 0);
	assert_int_equal(benefit_standard_decide(f->store.db, &f->clerk, id, 1, err, sizeof(err)),
			 VE_DENIED);
}

/* Sent back by the reviewer, a batch leaves no line behind and the same period then
 * generates the same lines again, a late confirmation's catch-up months included. */
static void test_reject_and_generate_again(void **state)
{
	struct fixture *f = *state;
	standard(f, "定期生活补助", "在乡复员军人", "", "", "2026-01-01", "6000");
	int64_t a = add_person(f, 96, "施十七", "在乡复员军人", NULL, NULL);
	grant(f, a, "LIVING", "2026-01", NULL, 0, NULL);
	months(f, 1, 3, "LIVING");
	int64_t late = add_person(f, 97, "张十八", "在乡复员军人", NULL, NULL);
	grant(f, late, "LIVING", "2026-01", NULL, 0, NULL); /* confirmed in April from January */
	struct pay_result r, again;
	char err[300] = "";
	assert_int_equal(pay_generate(f->store.db, &f->clerk, "2026-04", "LIVING", &r, NULL, err,
				      sizeof(err)),
			 0);
	assert_int_equal(r.lines, 5); /* April for one, January to April for the other */
	assert_int_equal(
		pay_reject(f->store.db, &f->clerk, r.batch_id, "金额有误", err, sizeof(err)),
		VE_DENIED); /* not by its maker */
	assert_int_equal(pay_reject(f->store.db, &f->reviewer, r.batch_id, "", err, sizeof(err)),
			 VE_INVALID);
	int64_t march = 0;
	db_int_query(f->store.db, &march, 0, "SELECT id FROM pay_batches WHERE period = '2026-03'",
		     "");
	assert_int_equal(pay_reject(f->store.db, &f->reviewer, march, "核对", err, sizeof(err)),
			 VE_CONFLICT); /* approved already */
	assert_int_equal(pay_reject(f->store.db, &f->reviewer, r.batch_id, "需核对新增人员", err,
				    sizeof(err)),
			 0);
	int64_t left = -1;
	db_int_query(f->store.db, &left, -1, "SELECT count(*) FROM pay_lines WHERE batch_id = ?",
		     "i", r.batch_id);
	assert_int_equal(left, 0);
	assert_int_equal(pay_generate(f->store.db, &f->clerk, "2026-04", "LIVING", &again, NULL,
				      err, sizeof(err)),
			 0);
	assert_int_equal(again.lines, 5);
	assert_int_equal(again.amount_fen, r.amount_fen);
	assert_int_equal(line(f, late, "2026-01", "regular"), 50000);
	assert_int_equal(count_lines(f, late), 4);
	/* The batch sent back owns nothing, though its old line ids now name the new
	 * batch's lines: the year counts 3 + 5 lines, not 3 + 5 + 5. */
	json_t *batch = NULL, *stats = NULL, *lines = NULL;
	assert_int_equal(pay_batch_get(f->store.db, &f->clerk, r.batch_id, &batch), 0);
	assert_int_equal(json_integer_value(json_object_get(batch, "lines")), 0);
	assert_int_equal(json_integer_value(json_object_get(batch, "amount_fen")), 0);
	assert_int_equal(pay_stats(f->store.db, &f->clerk, 2026, 0, NULL, &stats), 0);
	json_t *living = NULL, *b;
	size_t i;
	json_array_foreach(json_object_get(stats, "benefits"), i, b)
	{
		if (strcmp(json_string_value(json_object_get(b, "code")), "LIVING") == 0)
			living = b;
	}
	assert_non_null(living);
	assert_int_equal(json_integer_value(json_object_get(living, "lines")), 8);
	assert_int_equal(json_integer_value(json_object_get(living, "lines_amount_fen")),
			 3 * 50000 + again.amount_fen);
	assert_int_equal(json_integer_value(json_object_get(living, "pending")), 5);
	struct pay_line_filter lf = {.year = 2026, .benefit = "LIVING"};
	assert_int_equal(pay_line_list(f->store.db, &f->clerk, &lf, &lines), 0);
	assert_int_equal(json_integer_value(json_object_get(lines, "total")), 8);
	struct pay_line_filter bf = {.batch_id = r.batch_id};
	json_decref(lines);
	assert_int_equal(pay_line_list(f->store.db, &f->clerk, &bf, &lines), 0);
	assert_int_equal(json_integer_value(json_object_get(lines, "total")), 0);
	json_decref(lines);
	json_decref(stats);
	json_decref(batch);
}

/* Confirming a proposal is the bureau's second step: not a station (even one holding
 * a checker's role), not the proposer; each refusal audited; then a reviewer. */
static void test_confirmation_is_the_bureaus_second_step(void **state)
{
	struct fixture *f = *state;
	int64_t p = add_person(f, 99, "孔二十", "在乡复员军人", NULL, NULL);
	int64_t n = 0, ent = 0, denied = 0;
	assert_int_equal(entitlement_propose(f->store.db, &f->clerk, 0, &n), 0);
	db_int_query(f->store.db, &ent, 0, "SELECT id FROM entitlements WHERE person_id = ?", "i",
		     p);
	assert_true(ent > 0);
	struct principal station = person_acting(&f->cli, 104, "station1");
	station.roles = 1u << ROLE_STATION | 1u << ROLE_REVIEWER;
	station.scope.kind = SCOPE_ORG;
	strcpy(station.region_code, "420199001");
	char err[256] = "";
	assert_int_equal(
		entitlement_confirm(f->store.db, &station, ent, "2026-06", 0, err, sizeof(err)),
		VE_DENIED);
	assert_non_null(strstr(err, "区局"));
	/* the proposer, though the fixture's clerk holds every role */
	assert_int_equal(
		entitlement_confirm(f->store.db, &f->clerk, ent, "2026-06", 0, err, sizeof(err)),
		VE_DENIED);
	assert_non_null(strstr(err, "两个不同的人"));
	struct principal grantor = station;
	struct entitlement_grant g = {p, "LIVING", "2026-06", NULL, 0, NULL};
	int64_t id = 0;
	assert_int_equal(entitlement_grant(f->store.db, &grantor, &g, 0, &id, err, sizeof(err)),
			 VE_DENIED);
	int64_t confirmed = -1;
	db_int_query(f->store.db, &confirmed, -1,
		     "SELECT count(*) FROM entitlements WHERE id = ? AND confirmed_at IS NOT NULL",
		     "i", ent);
	assert_int_equal(confirmed, 0);
	db_int_query(f->store.db, &denied, 0,
		     "SELECT count(*) FROM audit_log WHERE action = 'entitlement.confirm' AND "
		     "result = 'denied'",
		     "");
	assert_int_equal(denied, 2);
	assert_int_equal(
		entitlement_confirm(f->store.db, &f->reviewer, ent, "2026-06", 0, err, sizeof(err)),
		0);
}

/* The registry's status moves the benefits with it: 中止 on 2026-03-10 stops April on
 * (March was paid already), 在册 on 2026-05-20 pays again from June; 迁出 on 2026-07-05
 * pays July and nothing after. */
static void test_registry_status_moves_benefits(void **state)
{
	struct fixture *f = *state;
	standard(f, "定期生活补助", "在乡复员军人", "", "", "2026-01-01", "6000");
	int64_t p = add_person(f, 98, "何十九", "在乡复员军人", NULL, NULL);
	grant(f, p, "LIVING", "2026-01", NULL, 0, NULL);
	months(f, 1, 3, "LIVING");
	char err[256];
	assert_int_equal(entitlement_follow_person(f->store.db, &f->clerk, p, "中止", "2026-03-10",
						   0, err, sizeof(err)),
			 0);
	months(f, 4, 5, "LIVING");
	assert_int_equal(entitlement_follow_person(f->store.db, &f->clerk, p, "在册", "2026-05-20",
						   0, err, sizeof(err)),
			 0);
	months(f, 6, 6, "LIVING");
	assert_int_equal(entitlement_follow_person(f->store.db, &f->clerk, p, "迁出", "2026-07-05",
						   0, err, sizeof(err)),
			 0);
	months(f, 7, 8, "LIVING");
	assert_int_equal(line(f, p, "2026-03", "regular"), 50000);
	assert_int_equal(line(f, p, "2026-04", "regular"), -1);
	assert_int_equal(line(f, p, "2026-05", "regular"), -1);
	assert_int_equal(line(f, p, "2026-06", "regular"), 50000);
	assert_int_equal(line(f, p, "2026-07", "regular"), 50000);
	assert_int_equal(line(f, p, "2026-08", "regular"), -1);
	assert_int_equal(count_lines(f, p), 5);
}

static void reject_row(void *ctx, long row, const char *reason)
{
	int *n = ctx;
	(*n)++;
	(void)row;
	(void)reason;
}

static void test_return_file_refusals(void **state)
{
	struct fixture *f = *state;
	standard(f, "定期生活补助", "在乡复员军人", "", "", "2026-01-01", "6000");
	int64_t p = add_person(f, 95, "许十六", "在乡复员军人", NULL, NULL);
	grant(f, p, "LIVING", "2026-01", NULL, 0, NULL);
	int64_t b = pay(f, "2026-01", "LIVING");
	int64_t l = 0;
	db_int_query(f->store.db, &l, 0, "SELECT id FROM pay_lines WHERE batch_id = ?", "i", b);
	char path[128], err[300];
	snprintf(path, sizeof(path), "%s/r.csv", f->store.dir);
	FILE *fp = fopen(path, "w");
	fprintf(fp,
		"流水号,金额,结果,失败原因\n%lld,499.99,成功,\n999999,500.00,成功,\n%lld,500.00,"
		"成功,\n"
		"%lld,500.00,也许,\n",
		(long long)l, (long long)l, (long long)l);
	fclose(fp);
	int bad = 0;
	int64_t paid, failed;
	assert_int_equal(pay_reconcile(f->store.db, &f->clerk, b, path, reject_row, &bad, &paid,
				       &failed, err, sizeof(err)),
			 VE_INVALID);
	/* a wrong amount, an unknown line, a bad result; the line named three times: twice more */
	assert_int_equal(bad, 5);
	int64_t pending = 0;
	db_int_query(f->store.db, &pending, 0,
		     "SELECT count(*) FROM pay_lines WHERE status = '待发'", "");
	assert_int_equal(pending, 1); /* nothing changed */
}

int main(void)
{
	setenv("VETS_FAKE_NOW", "1797292800", 1); /* 2026-12-15 08:00 Asia/Shanghai */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_month_shares),
		cmocka_unit_test_setup_teardown(test_new_entitlement_mid_year, setup, teardown),
		cmocka_unit_test_setup_teardown(test_death_with_funeral_sums, setup, teardown),
		cmocka_unit_test_setup_teardown(test_suspension_and_resumption, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verification_lapse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_standard_raised_with_back_pay, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_failed_line_reissued, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recovery_after_late_death, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conscript_allowance, setup, teardown),
		cmocka_unit_test_setup_teardown(test_three_people_and_no_second_generation, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_return_file_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reject_and_generate_again, setup, teardown),
		cmocka_unit_test_setup_teardown(test_confirmation_is_the_bureaus_second_step, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_registry_status_moves_benefits, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
