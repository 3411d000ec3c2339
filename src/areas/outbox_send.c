/* outbox_send.c - the sender: claims due messages in a short transaction, hands each to
 * the bureau's gateway (a command, a URL or a file) with no transaction held, and records
 * the result in another short one; and the thread of vets serve that does so. */
#define _GNU_SOURCE /* pipe2 */
#include "outbox.h"
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "areas/sealed.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/utf8.h"

extern char **environ;

/* ---- pure rules ---- */

int64_t outbox_backoff(int attempts)
{
	static const int64_t delays[OUTBOX_MAX_ATTEMPTS - 1] = {60, 5 * 60, 30 * 60, 2 * 3600,
								6 * 3600};
	if (attempts < 1 || attempts >= OUTBOX_MAX_ATTEMPTS)
		return -1;
	return delays[attempts - 1];
}

int outbox_json_line(const char *phone, const char *text, int64_t id, char **out)
{
	*out = NULL;
	if (!phone || !text || !utf8_valid(text, strlen(text)) || !utf8_valid(phone, strlen(phone)))
		return VE_INVALID;
	json_t *o = json_pack("{s:s,s:s,s:I}", "phone", phone, "text", text, "id", (json_int_t)id);
	if (!o)
		return VE_INVALID;
	/* Compact, keys in the order given, non-ASCII kept as UTF-8: every control
	 * character (a newline too) is escaped, so the line ends only at its "\n". */
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!s)
		return VE_INVALID;
	size_t n = strlen(s);
	*out = xmalloc(n + 2);
	memcpy(*out, s, n);
	(*out)[n] = '\n';
	(*out)[n + 1] = '\0';
	free(s);
	return 0;
}

/* ---- where messages go ---- */

static struct {
	char *command, *url, *file;
	char title[600];
} gateway;

static char *dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

/* "网址 " and url as staff may see it: a password in it ("https://user:secret@host/…")
 * shown as "***". */
static void url_title(const char *url, char *out, size_t size)
{
	const char *host = strstr(url, "://"), *at = host ? strchr(host + 3, '@') : NULL,
		   *slash = host ? strchr(host + 3, '/') : NULL;
	if (at && (!slash || at < slash))
		snprintf(out, size, "网址 %.*s***%s", (int)(host + 3 - url), url, at);
	else
		snprintf(out, size, "网址 %s", url);
}

void outbox_sender_set(const struct outbox_sender *s)
{
	free(gateway.command);
	free(gateway.url);
	free(gateway.file);
	gateway.command = dup_or_null(s->command);
	gateway.url = gateway.command ? NULL : dup_or_null(s->url);
	gateway.file = gateway.command || gateway.url ? NULL : dup_or_null(s->file);
	if (gateway.command)
		snprintf(gateway.title, sizeof(gateway.title), "命令 %s", gateway.command);
	else if (gateway.url)
		url_title(gateway.url, gateway.title, sizeof(gateway.title));
	else if (gateway.file)
		snprintf(gateway.title, sizeof(gateway.title), "文件 %s", gateway.file);
	else
		gateway.title[0] = '\0';
	if (gateway.url)
		curl_global_init(CURL_GLOBAL_DEFAULT);
}

void outbox_sender_from_env(struct outbox_sender *s)
{
	if (!s->command)
		s->command = getenv("VETS_SMS_COMMAND");
	if (!s->url)
		s->url = getenv("VETS_SMS_URL");
	if (!s->file)
		s->file = getenv("VETS_SMS_FILE");
}

const char *outbox_sender_title(void)
{
	return gateway.title[0] ? gateway.title : NULL;
}

/* Keeps the first line of what a gateway said, cut to fit, as the error. */
static void first_line(const char *said, char *out, size_t size)
{
	size_t n = strcspn(said, "\r\n");
	if (n >= size)
		n = size - 1;
	memcpy(out, said, n);
	out[n] = '\0';
	utf8_scrub(out);
}

enum said_read { SAID_END, SAID_READ, SAID_QUIET };

/* Waits up to ms for the command's output on fd and appends it to said (up to size - 1
 * bytes in all): SAID_READ when something was read, SAID_QUIET when nothing came in ms,
 * SAID_END at the end of the pipe. */
static enum said_read read_said(int fd, int ms, char *said, size_t *n_said, size_t size)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	if (poll(&p, 1, ms) <= 0)
		return SAID_QUIET;
	char buf[256];
	ssize_t k = read(fd, buf, sizeof(buf));
	for (ssize_t j = 0; j < k && *n_said < size - 1; j++)
		said[(*n_said)++] = buf[j];
	return k > 0 ? SAID_READ : SAID_END;
}

/* Runs the command with line on stdin: 0 when it exits 0, else 1 with why in err. */
static int send_command(const char *line, char *err, size_t errlen)
{
	int in[2], outp[2];
	if (pipe2(in, O_CLOEXEC) != 0)
		return snprintf(err, errlen, "无法启动发送命令：%s", strerror(errno)), 1;
	if (pipe2(outp, O_CLOEXEC) != 0) {
		close(in[0]);
		close(in[1]);
		return snprintf(err, errlen, "无法启动发送命令：%s", strerror(errno)), 1;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 2);
	posix_spawnattr_t at;
	posix_spawnattr_init(&at);
	sigset_t none, def;
	sigemptyset(&none);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGTERM);
	sigaddset(&def, SIGINT);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setpgroup(&at, 0); /* its own group: a time-out kills all it started */
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
					      POSIX_SPAWN_SETPGROUP);
	char *argv[] = {"sh", "-c", gateway.command, NULL};
	pid_t pid;
	int rc = posix_spawn(&pid, "/bin/sh", &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(in[0]);
	close(outp[1]);
	if (rc != 0) {
		close(in[1]);
		close(outp[0]);
		return snprintf(err, errlen, "无法启动发送命令：%s", strerror(rc)), 1;
	}
	/* The line is short (a pipe holds far more): written at once, then end of input. */
	ssize_t w = write(in[1], line, strlen(line));
	(void)w;
	close(in[1]);
	char said[512];
	size_t n_said = 0;
	int64_t deadline = clock_usec() + (int64_t)OUTBOX_SEND_SECONDS * 1000000;
	int open_out = 1, status = 0, done = 0, timed_out = 0;
	while (!done) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid) {
			done = 1;
			break;
		}
		int64_t left = deadline - clock_usec();
		if (left <= 0) {
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			timed_out = done = 1;
			break;
		}
		if (open_out)
			open_out = read_said(outp[0], left > 200000 ? 200 : (int)(left / 1000) + 1,
					     said, &n_said, sizeof(said)) != SAID_END;
		else
			usleep(20000);
	}
	/* what it wrote just before it ended is still in the pipe: read it (a program it left
	 * running may hold the pipe open: a tenth of a second of silence ends the wait) */
	while (open_out && !timed_out &&
	       read_said(outp[0], 100, said, &n_said, sizeof(said)) == SAID_READ)
		;
	close(outp[0]);
	said[n_said] = '\0';
	if (timed_out)
		return snprintf(err, errlen, "发送命令 %d 秒内未完成，已终止", OUTBOX_SEND_SECONDS),
		       1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	char first[200];
	first_line(said, first, sizeof(first));
	if (WIFEXITED(status))
		snprintf(err, errlen, "发送命令退出码 %d%s%s", WEXITSTATUS(status),
			 first[0] ? "：" : "", first);
	else
		snprintf(err, errlen, "发送命令被信号 %d 终止", WTERMSIG(status));
	return 1;
}

static size_t curl_discard(char *p, size_t size, size_t n, void *arg)
{
	char *said = arg;
	size_t have = strlen(said), room = 200 - 1 - have, k = size * n < room ? size * n : room;
	memcpy(said + have, p, k);
	said[have + k] = '\0';
	return size * n;
}

/* POSTs line to the URL: 0 on a 2xx answer, else 1 with why in err. */
static int send_url(const char *line, char *err, size_t errlen)
{
	CURL *c = curl_easy_init();
	if (!c)
		return snprintf(err, errlen, "无法发起网络请求"), 1;
	char said[200] = "";
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_URL, gateway.url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, line);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(line) - 1); /* no final "\n" */
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)OUTBOX_SEND_SECONDS);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, curl_discard);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, (void *)said);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	CURLcode rc = curl_easy_perform(c);
	long code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK)
		return snprintf(err, errlen, "网关无法连接：%s", curl_easy_strerror(rc)), 1;
	if (code >= 200 && code < 300)
		return 0;
	char first[160];
	first_line(said, first, sizeof(first));
	snprintf(err, errlen, "网关答复 HTTP %ld%s%s", code, first[0] ? "：" : "", first);
	return 1;
}

/* Appends line to the file: 0, or 1 with why in err. */
static int send_file(const char *line, char *err, size_t errlen)
{
	int fd = open(gateway.file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return snprintf(err, errlen, "无法写入文件 %s：%s", gateway.file, strerror(errno)),
		       1;
	size_t n = strlen(line);
	ssize_t w = write(fd, line, n);
	int bad = w != (ssize_t)n;
	if (close(fd) != 0)
		bad = 1;
	if (bad)
		return snprintf(err, errlen, "写入文件 %s 失败", gateway.file), 1;
	return 0;
}

static int send_one(const char *line, char *err, size_t errlen)
{
	if (gateway.command)
		return send_command(line, err, errlen);
	if (gateway.url)
		return send_url(line, err, errlen);
	return send_file(line, err, errlen);
}

/* ---- one round ---- */

#define ROUND_MAX 16

struct claimed {
	int64_t id;
	int attempts; /* with this one */
	char phone[32];
	char text[OUTBOX_TEXT_MAX * 4 + 1];
};

/* Claims up to max due messages as of now, leased until lease: *n of them into c. */
static int claim(struct db *db, int64_t now, int64_t lease, int max, struct claimed *c, int *n)
{
	*n = 0;
	if (db_begin(db))
		return VE_DB;
	struct db_stmt *st =
		db_q(db,
		     "SELECT id, attempts, phone_enc, text FROM sms_outbox WHERE state = "
		     "'" OUTBOX_WAITING "' AND next_at <= ? AND (lease_until IS NULL OR "
		     "lease_until <= ?) ORDER BY next_at, id LIMIT ?",
		     "iii", now, now, (int64_t)max);
	int rc = st ? 0 : VE_DB;
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		struct claimed *m = &c[(*n)++];
		m->id = db_int(st, 0);
		m->attempts = (int)db_int(st, 1) + 1;
		size_t len = 0;
		const void *blob = db_blob(st, 2, &len);
		sealed_open("sms_outbox.phone_enc", m->id, blob, len, m->phone, sizeof(m->phone));
		str_copy(m->text, db_text(st, 3), sizeof(m->text));
		rc = 0;
		if (*n == max)
			break;
	}
	db_done(st);
	if (rc == DB_DONE)
		rc = 0;
	for (int i = 0; !rc && i < *n; i++)
		rc = db_run(db,
			    "UPDATE sms_outbox SET lease_until = ?, attempts = attempts + 1, "
			    "last_try_at = ? WHERE id = ?",
			    "iii", lease, now, c[i].id)
			     ? VE_DB
			     : 0;
	if (rc || db_commit(db)) {
		db_rollback(db);
		for (int i = 0; i < *n; i++)
			mem_wipe(c[i].phone, sizeof(c[i].phone));
		*n = 0;
		return VE_DB;
	}
	return 0;
}

/* Records what became of m, claimed with lease (a claim that has passed to another
 * sender, or was reset by 重发, is left alone). */
static int record(struct db *db, const struct claimed *m, int64_t lease, int ok, const char *why,
		  struct outbox_round *r)
{
	int64_t now = clock_now(), delay = ok ? 0 : outbox_backoff(m->attempts);
	if (db_begin(db))
		return VE_DB;
	int rc;
	if (ok)
		rc = db_run(
			db,
			"UPDATE sms_outbox SET state = '" OUTBOX_SENT "', sent_at = ?, "
			"lease_until = NULL, last_error = NULL WHERE id = ? AND lease_until = ?",
			"iii", now, m->id, lease);
	else if (delay < 0)
		rc = db_run(db,
			    "UPDATE sms_outbox SET state = '" OUTBOX_FAILED
			    "', lease_until = NULL, "
			    "last_error = ? WHERE id = ? AND lease_until = ?",
			    "sii", why, m->id, lease);
	else
		rc = db_run(db,
			    "UPDATE sms_outbox SET next_at = ?, lease_until = NULL, last_error = ? "
			    "WHERE id = ? AND lease_until = ?",
			    "isii", now + delay, why, m->id, lease);
	if (rc || db_commit(db)) {
		db_rollback(db);
		return VE_DB;
	}
	if (ok)
		r->sent++;
	else if (delay < 0)
		r->failed++;
	else
		r->retry++;
	return 0;
}

int outbox_send_due(struct db *db, int max, struct outbox_round *r)
{
	memset(r, 0, sizeof(*r));
	if (!outbox_sender_title())
		return VE_CONFLICT;
	static struct claimed c[ROUND_MAX];
	static pthread_mutex_t one = PTHREAD_MUTEX_INITIALIZER;
	if (max < 1 || max > ROUND_MAX)
		max = ROUND_MAX;
	pthread_mutex_lock(&one); /* c is shared: one round at a time in a process */
	int64_t now = clock_now(), lease = now + OUTBOX_LEASE_SECONDS;
	int n = 0, rc = claim(db, now, lease, max, c, &n);
	r->claimed = n;
	for (int i = 0; !rc && i < n; i++) {
		char why[400] = "", *line = NULL;
		int failed;
		if (!c[i].phone[0])
			failed = 1, snprintf(why, sizeof(why), "手机号无法解密（密钥不符）");
		else if (outbox_json_line(c[i].phone, c[i].text, c[i].id, &line))
			failed = 1, snprintf(why, sizeof(why), "短信内容不是有效的 UTF-8 文本");
		else
			failed = send_one(line, why, sizeof(why));
		if (line)
			mem_wipe(line, strlen(line));
		free(line);
		mem_wipe(c[i].phone, sizeof(c[i].phone));
		if (failed)
			log_warn("outbox.not_sent", "message=%lld error=%s", (long long)c[i].id, why);
		rc = record(db, &c[i], lease, !failed, why, r);
	}
	for (int i = 0; i < n; i++)
		mem_wipe(c[i].phone, sizeof(c[i].phone));
	pthread_mutex_unlock(&one);
	return rc;
}

/* ---- the thread of vets serve ---- */

#define POLL_SECONDS 5

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int started, stopping, woken;
} sender = {.lock = PTHREAD_MUTEX_INITIALIZER};

void outbox_sender_wake(void)
{
	if (!sender.started)
		return;
	pthread_mutex_lock(&sender.lock);
	sender.woken = 1;
	pthread_cond_signal(&sender.wake);
	pthread_mutex_unlock(&sender.lock);
}

static void *sender_main(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&sender.lock);
		int stop = sender.stopping;
		sender.woken = 0;
		pthread_mutex_unlock(&sender.lock);
		if (stop)
			break;
		struct db *db = db_thread();
		struct outbox_round r = {0};
		/* A full round may have left more: another at once. */
		do {
			if (!db || outbox_send_due(db, ROUND_MAX, &r) != 0)
				break;
			if (r.claimed)
				log_info("outbox.round", "sent=%d retry=%d failed=%d", r.sent, r.retry,
					 r.failed);
		} while (r.claimed == ROUND_MAX && !sender.stopping);
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += POLL_SECONDS;
		pthread_mutex_lock(&sender.lock);
		if (!sender.stopping && !sender.woken)
			pthread_cond_timedwait(&sender.wake, &sender.lock, &until);
		pthread_mutex_unlock(&sender.lock);
	}
	db_thread_close();
	return NULL;
}

int outbox_sender_start(void)
{
	if (!outbox_sender_title() || sender.started)
		return 0;
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&sender.wake, &attr);
	pthread_condattr_destroy(&attr);
	sender.stopping = 0;
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&sender.thread, NULL, sender_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		pthread_cond_destroy(&sender.wake);
		log_error("outbox.sender_failed", "error=%s", "the thread could not be started");
		return -1;
	}
	sender.started = 1;
	return 0;
}

void outbox_sender_stop(void)
{
	if (!sender.started)
		return;
	pthread_mutex_lock(&sender.lock);
	sender.stopping = 1;
	pthread_cond_signal(&sender.wake);
	pthread_mutex_unlock(&sender.lock);
	pthread_join(sender.thread, NULL);
	pthread_cond_destroy(&sender.wake);
	sender.started = 0;
}
