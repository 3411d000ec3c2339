/* test_outbox.c - areas/outbox: the retry schedule and the JSON line a gateway gets (pure);
 * and on a real SQLite file: a queued message is saved with its change or not at all,
 * its phone sealed to its row; the public list shows text and state, never the phone;
 * the sender sends to a file, records a command's or a URL's failure with its reason
 * (and kills a command past its time limit) and tries it again only when due; a message claimed by
 * a sender that died is sent once its lease has passed; 重发 makes a failed message due at once,
 * audited.
 *
 * The store tests run on SQLite, and again on PostgreSQL when VETS_TEST_PG names a test
 * cluster (tests/pg.sh start DIR): a database of its own, dropped after.
 *
 * "Now" is 2026-12-15 08:00 Beijing time (VETS_FAKE_NOW). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "areas/account.h"
#include "areas/outbox.h"
#include "areas/scope.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/idcard.h"

#include "fixture.h"

/* ---- pure rules ---- */

static void test_backoff(void **state)
{
	(void)state;
	/* after the n-th failed attempt: 1 min, 5 min, 30 min, 2 h, 6 h, then given up */
	static const int64_t want[] = {-1, 60, 300, 1800, 7200, 21600, -1, -1};
	for (int n = 0; n < (int)(sizeof(want) / sizeof(want[0])); n++)
		if (outbox_backoff(n) != want[n])
			fail_msg("after attempt %d: %lld, want %lld", n,
				 (long long)outbox_backoff(n), (long long)want[n]);
	assert_int_equal(OUTBOX_MAX_ATTEMPTS, 6);
	assert_int_equal(outbox_backoff(-3), -1);
}

static void test_json_line(void **state)
{
	(void)state;
	static const struct {
		const char *phone, *text;
		int64_t id;
		const char *line;
	} cases[] = {
		{"13800001111", "您的申请已受理", 7,
		 "{\"phone\":\"13800001111\",\"text\":\"您的申请已受理\",\"id\":7}\n"},
		/* quotes, backslashes, newlines, tabs and other control characters are escaped:
		 * the only newline is the line's end */
		{"138", "a\"b\\c\nd\te\r\x01", 12,
		 "{\"phone\":\"138\",\"text\":\"a\\\"b\\\\c\\nd\\te\\r\\u0001\",\"id\":12}\n"},
		{"", "", 0, "{\"phone\":\"\",\"text\":\"\",\"id\":0}\n"},
		{"1", "x", INT64_C(9007199254740993),
		 "{\"phone\":\"1\",\"text\":\"x\",\"id\":9007199254740993}\n"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *line = NULL;
		assert_int_equal(
			outbox_json_line(cases[i].phone, cases[i].text, cases[i].id, &line), 0);
		if (strcmp(line, cases[i].line) != 0)
			fail_msg("case %zu: %s want %s", i, line, cases[i].line);
		free(line);
	}
	char *line = (char *)"unchanged";
	assert_int_equal(outbox_json_line("138", "\xff\xfe", 1, &line), VE_INVALID);
	assert_null(line);
	assert_int_equal(outbox_json_line(NULL, "x", 1, &line), VE_INVALID);
}

static void test_sender_title(void **state)
{
	(void)state;
	struct outbox_sender s = {.url = "https://bureau:s3cret@sms.example.cn/send?x=1"};
	outbox_sender_set(&s);
	assert_string_equal(outbox_sender_title(), "网址 https://***@sms.example.cn/send?x=1");
	s.url = "http://sms.example.cn/a@b";
	outbox_sender_set(&s);
	assert_string_equal(outbox_sender_title(), "网址 http://sms.example.cn/a@b");
	s = (struct outbox_sender){.command = "/usr/local/bin/sms", .file = "/tmp/x"};
	outbox_sender_set(&s);
	assert_string_equal(outbox_sender_title(), "命令 /usr/local/bin/sms");
	s = (struct outbox_sender){0};
	outbox_sender_set(&s);
	assert_null(outbox_sender_title());
}

static void test_sensitive(void **state)
{
	(void)state;
	const char *body = "42010619800101001";
	char id[19], wrong[19], text[128];
	char check = idcard_check_char(body);
	snprintf(id, sizeof(id), "%s%c", body, check);
	snprintf(wrong, sizeof(wrong), "%s%c", body, check == '1' ? '2' : '1');
	snprintf(text, sizeof(text), "您的身份证号 %s 已登记", id);
	assert_int_equal(outbox_text_sensitive(text, "13800001111"), 1);
	/* a wrong check character, or 16 digits: not an ID number */
	snprintf(text, sizeof(text), "编号 %s 已受理", wrong);
	assert_int_equal(outbox_text_sensitive(text, ""), 0);
	assert_int_equal(outbox_text_sensitive("编号 4201061980010100 已受理", ""), 0);
	assert_int_equal(outbox_text_sensitive("请致电 13800001111 咨询", "13800001111"), 1);
	assert_int_equal(outbox_text_sensitive("查询码 7K3M-9QXD-2B4F-HT8W", "13800001111"), 0);
	assert_int_equal(outbox_text_sensitive("x", NULL), 0);
}

/* ---- on a store ---- */

struct fixture {
	struct test_store store; /* the temp dir (the sink's), and the SQLite store */
	struct db *db;           /* the store the test works on: SQLite's or pg */
	struct db *pg;           /* the PostgreSQL store, or NULL */
	char pg_name[64], sink[128];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (test_district_open(&f->store, "outbox"))
		return -1;
	f->db = f->store.db;
	snprintf(f->sink, sizeof(f->sink), "%s/sms.jsonl", f->store.dir);
	*state = f;
	return 0;
}

/* Runs sql on the test cluster's database name. */
static int pg_run(const char *name, const char *sql, struct db **keep)
{
	char uri[256], err[256];
	struct db *db;
	snprintf(uri, sizeof(uri), "postgresql:///%s?host=%s&user=postgres", name,
		 getenv("VETS_TEST_PG"));
	if (db_open(&db, uri, err, sizeof(err)))
		return fprintf(stderr, "%s\n", err), -1;
	int rc = sql ? db_exec(db, sql) : 0;
	if (keep && !rc)
		*keep = db;
	else
		db_close(db);
	return rc ? -1 : 0;
}

/* setup, with the store a new PostgreSQL database (the sink still in the temp dir). */
static int setup_pg(void **state)
{
	if (setup(state))
		return -1;
	struct fixture *f = *state;
	char sql[160], err[256] = "";
	snprintf(f->pg_name, sizeof(f->pg_name), "vets_outbox_%d", (int)getpid());
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", f->pg_name);
	if (pg_run("postgres", sql, NULL))
		return -1;
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", f->pg_name);
	if (pg_run("postgres", sql, NULL) || pg_run(f->pg_name, NULL, &f->pg))
		return -1;
	if (db_migrate(f->pg, err, sizeof(err)) ||
	    account_org_ensure_root(f->pg, "420199", "示范区退役军人事务局", err, sizeof(err)))
		return fprintf(stderr, "%s\n", err), -1;
	f->db = f->pg;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	struct outbox_sender none = {0};
	outbox_sender_set(&none);
	int rc = 0;
	if (f->pg) {
		char sql[160];
		db_close(f->pg);
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", f->pg_name);
		rc = pg_run("postgres", sql, NULL);
	}
	if (test_store_close(&f->store))
		rc = -1;
	free(f);
	return rc;
}

static int64_t count(struct db *db, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(db_int_query(db, &n, -1, sql, ""), 0);
	return n;
}

/* Queues one message in a transaction of its own. */
static void queue(struct db *db, int64_t subject_id, const char *phone, const char *text)
{
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(outbox_queue(db, "420199001", "application", subject_id, phone, text), 0);
	assert_int_equal(db_commit(db), 0);
}

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *fp = fopen(path, "r");
	size_t n = fp ? fread(buf, 1, sizeof(buf) - 1, fp) : 0;
	if (fp)
		fclose(fp);
	buf[n] = '\0';
	return buf;
}

static void test_queue_seals_and_lists(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	queue(db, 5, "13800001111", "您在区退役军人事务局申请的事项已受理，受理编号 A1。");
	queue(db, 5, "13800001111", "事项已办结。");
	queue(db, 6, "", "没有手机号：不排队");
	/* refused, nothing saved: another subject, no text, too long a text */
	assert_int_equal(outbox_queue(db, "", "person", 5, "138", "x"), VE_INVALID);
	assert_int_equal(outbox_queue(db, "", "application", 5, "138", ""), VE_INVALID);
	char longer[OUTBOX_TEXT_MAX * 3 + 4] = "";
	for (int i = 0; i <= OUTBOX_TEXT_MAX; i++)
		strcat(longer, "字");
	assert_int_equal(outbox_queue(db, "", "application", 5, "138", longer), VE_INVALID);
	assert_int_equal(outbox_queue(db, "", "application", 5, "13800001111", "请拨 13800001111"),
			 VE_INVALID);
	/* a rolled-back change leaves no message */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(outbox_queue(db, "", "petition", 9, "13900002222", "信访已受理"), 0);
	db_rollback(db);

	assert_int_equal(count(db, "SELECT count(*) FROM sms_outbox"), 2);
	/* the phone is not in the row as text */
	assert_int_equal(count(db, "SELECT count(*) FROM sms_outbox WHERE instr(CAST(phone_enc AS "
				   "TEXT), '13800001111') > 0 OR instr(text, '13800001111') > 0"),
			 0);
	json_t *list = NULL;
	assert_int_equal(outbox_of(db, "application", 5, &list), 0);
	assert_int_equal(json_array_size(list), 2);
	json_t *first = json_array_get(list, 0);
	assert_string_equal(json_string_value(json_object_get(first, "state")), "待发送");
	assert_string_equal(json_string_value(json_object_get(first, "queued_at")),
			    "2026-12-15 08:00");
	assert_non_null(strstr(json_string_value(json_object_get(first, "text")), "已受理"));
	assert_int_equal(json_object_size(first), 3); /* no phone */
	json_decref(list);
	assert_int_equal(outbox_of(db, "petition", 9, &list), 0);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);

	/* no sender: nothing is claimed, the messages wait */
	struct outbox_round r;
	assert_int_equal(outbox_send_due(db, 10, &r), VE_CONFLICT);
	assert_null(outbox_sender_title());
	assert_int_equal(count(db, "SELECT count(*) FROM sms_outbox WHERE attempts = 0"), 2);
}

static void test_file_sink(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	queue(db, 5, "13800001111", "您的申请已受理。");
	queue(db, 6, "13900002222", "补正材料：\"户口簿\"");
	struct outbox_sender s = {.file = f->sink};
	outbox_sender_set(&s);
	struct outbox_round r;
	assert_int_equal(outbox_send_due(db, 10, &r), 0);
	assert_int_equal(r.claimed, 2);
	assert_int_equal(r.sent, 2);
	assert_string_equal(
		slurp(f->sink),
		"{\"phone\":\"13800001111\",\"text\":\"您的申请已受理。\",\"id\":1}\n"
		"{\"phone\":\"13900002222\",\"text\":\"补正材料：\\\"户口簿\\\"\",\"id\":2}\n");
	/* sent once: a second round finds nothing */
	assert_int_equal(outbox_send_due(db, 10, &r), 0);
	assert_int_equal(r.claimed, 0);
	json_t *list = NULL;
	assert_int_equal(outbox_of(db, "application", 6, &list), 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "state")),
			    "已发送");
	json_decref(list);
}

static void test_command_failure_retry(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	queue(db, 5, "13800001111", "您的申请已受理。");
	char cmd[256];
	/* the command reads its line, says why it fails and exits 3 */
	snprintf(cmd, sizeof(cmd), "cat >> %s.seen; echo 网关拒绝 >&2; exit 3", f->sink);
	struct outbox_sender s = {.command = cmd};
	outbox_sender_set(&s);
	struct outbox_round r;
	assert_int_equal(outbox_send_due(db, 10, &r), 0);
	assert_int_equal(r.retry, 1);
	assert_int_equal(
		count(db,
		      "SELECT count(*) FROM sms_outbox WHERE state = '待发送' AND "
		      "attempts = 1 AND next_at - queued_at BETWEEN 60 AND 62 AND lease_until IS NULL "
		      "AND last_error = '发送命令退出码 3：网关拒绝'"),
		1);
	char seen[160];
	snprintf(seen, sizeof(seen), "%s.seen", f->sink);
	assert_non_null(strstr(slurp(seen), "\"phone\":\"13800001111\""));
	/* not due again for a minute */
	assert_int_equal(outbox_send_due(db, 10, &r), 0);
	assert_int_equal(r.claimed, 0);
	/* the last attempt gives up: 发送失败, shown to staff */
	assert_int_equal(db_run(db, "UPDATE sms_outbox SET attempts = 5, next_at = 0", ""), 0);
	assert_int_equal(outbox_send_due(db, 10, &r), 0);
	assert_int_equal(r.failed, 1);
	struct principal clerk;
	account_cli_principal(&clerk);
	int64_t failed = 0;
	assert_int_equal(outbox_failed_count(db, &clerk, &failed), 0);
	assert_int_equal(failed, 1);
	json_t *list = NULL;
	struct outbox_filter flt = {.filter = "failed"};
	assert_int_equal(outbox_list(db, &clerk, &flt, &list), 0);
	json_t *item = json_array_get(json_object_get(list, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(item, "phone_mask")), "138****1111");
	assert_string_equal(json_string_value(json_object_get(item, "link")), "/applications/5");
	assert_int_equal(json_integer_value(json_object_get(item, "attempts")), 6);
	json_decref(list);

	/* 重发 through a gateway that works now: sent, and audited */
	s = (struct outbox_sender){.file = f->sink};
	outbox_sender_set(&s);
	char err[256] = "";
	assert_int_equal(outbox_retry(db, &clerk, 1, err, sizeof(err)), 0);
	assert_int_equal(outbox_send_due(db, 10, &r), 0);
	assert_int_equal(r.sent, 1);
	assert_int_equal(count(db, "SELECT count(*) FROM audit_log WHERE action = 'outbox.retry'"),
			 1);
	assert_int_equal(outbox_retry(db, &clerk, 1, err, sizeof(err)), VE_CONFLICT);
	assert_non_null(strstr(err, "已发送"));
	assert_int_equal(outbox_retry(db, &clerk, 99, err, sizeof(err)), VE_NOTFOUND);
}

/* A gateway on 127.0.0.1 (a port of VETS_TEST_PORTS, else 33000-33999): a child that
 * answers n requests with the statuses given, writing what it got to seen. */
static pid_t gateway(const int *statuses, int n, const char *seen, int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	for (*port = 33000 + getpid() % 900;; (*port)++) {
		a.sin_port = htons((uint16_t)*port);
		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
			break;
		if (*port > 33998)
			fail_msg("no free port for the gateway");
	}
	assert_int_equal(listen(fd, 4), 0);
	pid_t pid = fork();
	if (pid)
		return close(fd), pid;
	FILE *out = fopen(seen, "w");
	for (int i = 0; i < n; i++) {
		int c = accept(fd, NULL, NULL);
		char buf[4096];
		ssize_t k, got = 0;
		/* headers and the short body arrive together or soon after: read until idle */
		struct timeval tv = {0, 300000};
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		while ((k = read(c, buf + got, sizeof(buf) - 1 - (size_t)got)) > 0)
			got += k;
		buf[got] = '\0';
		fprintf(out, "%s\n", buf);
		char answer[128];
		int len = snprintf(
			answer, sizeof(answer),
			"HTTP/1.1 %d X\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbusy",
			statuses[i]);
		ssize_t w = write(c, answer, (size_t)len);
		(void)w;
		close(c);
	}
	fclose(out);
	_exit(0);
}

static void test_url_gateway(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	queue(db, 5, "13800001111", "您的申请已受理。");
	char seen[160], url[64];
	snprintf(seen, sizeof(seen), "%s.http", f->sink);
	int port;
	static const int statuses[] = {503, 204};
	pid_t pid = gateway(statuses, 2, seen, &port);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/sms", port);
	struct outbox_sender s = {.url = url};
	outbox_sender_set(&s);
	struct outbox_round r;
	assert_int_equal(outbox_send_due(db, 10, &r), 0);
	assert_int_equal(r.retry, 1);
	assert_int_equal(count(db,
			       "SELECT count(*) FROM sms_outbox WHERE last_error = '网关答复 HTTP "
			       "503：busy'"),
			 1);
	char err[256];
	struct principal clerk;
	account_cli_principal(&clerk);
	assert_int_equal(outbox_retry(db, &clerk, 1, err, sizeof(err)), 0);
	assert_int_equal(outbox_send_due(db, 10, &r), 0);
	assert_int_equal(r.sent, 1);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	const char *got = slurp(seen);
	assert_non_null(strstr(got, "POST /sms HTTP/1.1"));
	assert_non_null(strstr(got, "Content-Type: application/json"));
	assert_non_null(
		strstr(got, "{\"phone\":\"13800001111\",\"text\":\"您的申请已受理。\",\"id\":1}"));
	assert_int_equal(outbox_retry(db, &clerk, 1, err, sizeof(err)), VE_CONFLICT); /* sent */
	/* nobody listening: the reason says so */
	queue(db, 6, "13900002222", "x");
	assert_int_equal(outbox_send_due(db, 10, &r), 0);
	assert_int_equal(r.retry, 1);
	assert_int_equal(count(db, "SELECT count(*) FROM sms_outbox WHERE last_error LIKE "
				   "'网关无法连接%'"),
			 1);
}

static void test_time_limit(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	queue(db, 5, "13800001111", "x");
	struct outbox_sender s = {.command = "sleep 60"};
	outbox_sender_set(&s);
	struct outbox_round r;
	int64_t t0 = clock_usec();
	assert_int_equal(outbox_send_due(db, 10, &r), 0);
	int64_t took = clock_usec() - t0;
	assert_true(took >= OUTBOX_SEND_SECONDS * 1000000LL - 100000);
	assert_true(took < (OUTBOX_SEND_SECONDS + 3) * 1000000LL);
	assert_int_equal(r.retry, 1);
	assert_int_equal(
		count(db, "SELECT count(*) FROM sms_outbox WHERE last_error LIKE '%已终止%'"), 1);
}

static void test_scope(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	queue(db, 5, "13800001111", "东湖街道的"); /* region 420199001 */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(outbox_queue(db, "420199002", "petition", 8, "13900002222", "长青街道的"),
			 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(db_run(db, "UPDATE sms_outbox SET state = '发送失败'", ""), 0);
	struct principal station = {.user_id = 9,
				    .roles = 1u << ROLE_STATION,
				    .scope = {.kind = SCOPE_ORG_TREE, .user_id = 9}};
	strcpy(station.region_code, "420199002");
	json_t *list = NULL;
	assert_int_equal(outbox_list(db, &station, NULL, &list), 0);
	assert_int_equal(json_integer_value(json_object_get(list, "total")), 1);
	json_t *item = json_array_get(json_object_get(list, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(item, "text")), "长青街道的");
	assert_string_equal(json_string_value(json_object_get(item, "link")), "/petitions/8");
	assert_string_equal(json_string_value(json_object_get(item, "subject_title")), "信访件");
	json_decref(list);
	int64_t n = 0;
	assert_int_equal(outbox_failed_count(db, &station, &n), 0);
	assert_int_equal(n, 1);
	/* the other street's message is not there for it; and a station does not 重发 */
	char err[256] = "";
	station.roles |= 1u << ROLE_CLERK;
	assert_int_equal(outbox_retry(db, &station, 1, err, sizeof(err)), VE_NOTFOUND);
	station.roles = 1u << ROLE_STATION;
	assert_int_equal(outbox_retry(db, &station, 2, err, sizeof(err)), VE_DENIED);
}

static void test_lease(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	queue(db, 5, "13800001111", "x");
	/* a sender claimed it and died: the lease holds it until it passes */
	int64_t now = clock_now();
	assert_int_equal(db_run(db, "UPDATE sms_outbox SET lease_until = ?, attempts = 1", "i",
				now + OUTBOX_LEASE_SECONDS),
			 0);
	struct outbox_sender s = {.file = f->sink};
	outbox_sender_set(&s);
	struct outbox_round r;
	assert_int_equal(outbox_send_due(db, 10, &r), 0);
	assert_int_equal(r.claimed, 0);
	/* nor is it made due again by 重发 (it would go twice) */
	struct principal clerk;
	char err[256] = "";
	account_cli_principal(&clerk);
	assert_int_equal(outbox_retry(db, &clerk, 1, err, sizeof(err)), VE_CONFLICT);
	assert_non_null(strstr(err, "正在发送"));
	assert_int_equal(db_run(db, "UPDATE sms_outbox SET lease_until = ?", "i", now - 1), 0);
	assert_int_equal(outbox_send_due(db, 10, &r), 0);
	assert_int_equal(r.sent, 1);
	assert_int_equal(count(db, "SELECT attempts FROM sms_outbox"), 2);
}

#define STORE_TESTS(up)                                                                            \
	cmocka_unit_test_setup_teardown(test_queue_seals_and_lists, up, teardown),                 \
		cmocka_unit_test_setup_teardown(test_file_sink, up, teardown),                     \
		cmocka_unit_test_setup_teardown(test_command_failure_retry, up, teardown),         \
		cmocka_unit_test_setup_teardown(test_url_gateway, up, teardown),                   \
		cmocka_unit_test_setup_teardown(test_time_limit, up, teardown),                    \
		cmocka_unit_test_setup_teardown(test_scope, up, teardown),                         \
		cmocka_unit_test_setup_teardown(test_lease, up, teardown)

int main(void)
{
	setenv("VETS_FAKE_NOW", "1797292800", 1); /* 2026-12-15 08:00 Asia/Shanghai */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_json_line),
		cmocka_unit_test(test_sensitive),
		cmocka_unit_test(test_sender_title),
		STORE_TESTS(setup),
	};
	const struct CMUnitTest pg_tests[] = {STORE_TESTS(setup_pg)};
	const char *pg = getenv("VETS_TEST_PG");
	int failed = cmocka_run_group_tests_name("sqlite", tests, NULL, NULL);
	if (pg && *pg)
		failed += cmocka_run_group_tests_name("postgresql", pg_tests, NULL, NULL);
	return failed;
}
