/* outbox.c - the messages to applicants and petitioners: queueing, the public list of
 * one subject's messages, the staff list and 重发. The sender is in outbox_send.c. */
#include "outbox.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "areas/audit.h"
#include "areas/scope.h"
#include "areas/sealed.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/idcard.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/utf8.h"

const char *const outbox_filters[OUTBOX_N_FILTERS] = {"waiting", "sent", "failed", "all"};

/* The state a filter shows, or NULL for all. */
static const char *filter_state(const char *filter)
{
	if (!filter || strcmp(filter, "all") == 0)
		return NULL;
	if (strcmp(filter, "sent") == 0)
		return OUTBOX_SENT;
	if (strcmp(filter, "failed") == 0)
		return OUTBOX_FAILED;
	return OUTBOX_WAITING;
}

const char *outbox_filter_title(const char *filter)
{
	const char *state = filter_state(filter);
	return state ? state : "全部";
}

static int subject_valid(const char *subject)
{
	return subject && (strcmp(subject, "application") == 0 || strcmp(subject, "petition") == 0);
}

/* ---- queueing ---- */

int outbox_text_sensitive(const char *text, const char *phone)
{
	if (phone && strlen(phone) >= 7 && strstr(text, phone))
		return 1;
	for (const char *p = text; *p; p++) {
		size_t n = 0;
		while (n < 17 && p[n] >= '0' && p[n] <= '9')
			n++;
		char check = n == 17 ? idcard_check_char(p) : '?';
		if (n == 17 && (p[17] == check || (p[17] == 'x' && check == 'X')))
			return 1;
	}
	return 0;
}

int outbox_queue(struct db *db, const char *region_code, const char *subject, int64_t subject_id,
		 const char *phone, const char *text)
{
	if (!phone || !*phone)
		return 0;
	size_t len = text ? strlen(text) : 0;
	if (!subject_valid(subject) || len == 0 || !utf8_valid(text, len) ||
	    utf8_count(text, len) > OUTBOX_TEXT_MAX || outbox_text_sensitive(text, phone))
		return VE_INVALID;
	int64_t now = clock_now();
	char mask[24];
	sealed_mask_phone(phone, mask);
	int rc = db_run(
		db,
		"INSERT INTO sms_outbox (region_code, subject, subject_id, phone_mask, text, "
		"queued_at, next_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		"ssissii", region_code ? region_code : "", subject, subject_id, mask, text, now,
		now);
	if (rc)
		return VE_DB;
	int64_t id = db_last_id(db);
	unsigned char *enc;
	size_t enc_len;
	sealed_seal("sms_outbox.phone_enc", id, phone, &enc, &enc_len);
	rc = db_run(db, "UPDATE sms_outbox SET phone_enc = ? WHERE id = ?", "bi", (const void *)enc,
		    enc_len, id);
	free(enc);
	if (rc)
		return VE_DB;
	outbox_sender_wake();
	return 0;
}

/* ---- reading ---- */

static void minute_text(int64_t t, char out[17])
{
	if (t > 0)
		clock_local_minute(t, out);
	else
		out[0] = '\0';
}

int outbox_queue_sealed(struct db *db, const char *region_code, const char *subject,
			int64_t subject_id, const char *column, const void *blob, size_t len,
			const char *text)
{
	char phone[64] = "";
	if (blob && len)
		sealed_open(column, subject_id, blob, len, phone, sizeof(phone));
	int rc = outbox_queue(db, region_code, subject, subject_id, phone, text);
	mem_wipe(phone, sizeof(phone));
	return rc;
}

int outbox_of(struct db *db, const char *subject, int64_t subject_id, json_t **out)
{
	*out = json_array();
	struct db_stmt *st = db_q(db,
				  "SELECT queued_at, text, state FROM sms_outbox WHERE subject = ? "
				  "AND subject_id = ? ORDER BY queued_at, id",
				  "si", subject ? subject : "", subject_id);
	if (!st)
		return VE_DB;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		char at[17];
		minute_text(db_int(st, 0), at);
		json_array_append_new(*out, json_pack("{s:s,s:s,s:s}", "queued_at", at, "text",
						      db_text(st, 1), "state", db_text(st, 2)));
	}
	db_done(st);
	return rc == DB_DONE ? 0 : VE_DB;
}

/* ---- staff ---- */

static int may(const struct principal *by, const struct perm *p, char *err, size_t errlen)
{
	if (perm_allows(by->roles, p))
		return 0;
	return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限", perm_title(p));
}

/* The rows in scope (owner: none, so 仅本人 sees none): of one state (bind it first), or
 * all. Two texts, not "(? IS NULL OR state = ?)", so that each finds its rows by an index. */
#define IN_SCOPE SCOPE_REGION_SQL("o.region_code", "0")
#define OF_STATE "FROM sms_outbox o WHERE o.state = ? AND " IN_SCOPE
#define OF_ALL "FROM sms_outbox o WHERE " IN_SCOPE
#define SCOPE_OF(by) SCOPE_REGION_ARGS(&(by)->scope, (by)->region_code)
#define ROW_COLUMNS                                                                                \
	"SELECT o.id, o.subject, o.subject_id, o.phone_mask, o.text, o.state, o.attempts, "        \
	"o.last_error, o.queued_at, o.last_try_at, o.sent_at, o.next_at "
#define NEWEST " ORDER BY o.queued_at DESC, o.id DESC LIMIT ? OFFSET ?"

static const char *subject_title(const char *subject)
{
	return strcmp(subject, "petition") == 0 ? "信访件" : "受理件";
}

static json_t *row_json(struct db_stmt *st)
{
	int64_t id = db_int(st, 0), sid = db_int(st, 2);
	const char *subject = db_text(st, 1);
	char link[64], queued[17], tried[17], sent[17], next[17];
	snprintf(link, sizeof(link), "/%s/%lld",
		 strcmp(subject, "petition") == 0 ? "petitions" : "applications", (long long)sid);
	minute_text(db_int(st, 8), queued);
	minute_text(db_int(st, 9), tried);
	minute_text(db_int(st, 10), sent);
	minute_text(db_int(st, 11), next);
	const char *last_error = db_text(st, 7);
	return json_pack("{s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:s}", "id",
			 (json_int_t)id, "subject", subject, "subject_id", (json_int_t)sid,
			 "subject_title", subject_title(subject), "link", link, "phone_mask",
			 db_text(st, 3), "text", db_text(st, 4), "state", db_text(st, 5),
			 "attempts", (json_int_t)db_int(st, 6), "last_error",
			 last_error ? last_error : "", "queued_at", queued, "last_try_at", tried,
			 "sent_at", sent, "next_at",
			 strcmp(db_text(st, 5), OUTBOX_WAITING) == 0 ? next : "");
}

int outbox_list(struct db *db, const struct principal *by, const struct outbox_filter *f,
		json_t **out)
{
	*out = NULL;
	const char *state = filter_state(f ? f->filter : NULL);
	int64_t per = f && f->per_page > 0 && f->per_page <= 200 ? f->per_page : 50;
	int64_t page = f && f->page > 0 ? f->page : 1, total = 0, failed = 0;
	struct db_stmt *st;
	int rc = state ? db_int_query(db, &total, 0, "SELECT count(*) " OF_STATE,
				      "s" SCOPE_REGION_FMT, state, SCOPE_OF(by))
		       : db_int_query(db, &total, 0, "SELECT count(*) " OF_ALL, SCOPE_REGION_FMT,
				      SCOPE_OF(by));
	if (rc || outbox_failed_count(db, by, &failed))
		return VE_DB;
	if (state)
		st = db_q(db, ROW_COLUMNS OF_STATE NEWEST, "s" SCOPE_REGION_FMT "ii", state,
			  SCOPE_OF(by), per, (page - 1) * per);
	else
		st = db_q(db, ROW_COLUMNS OF_ALL NEWEST, SCOPE_REGION_FMT "ii", SCOPE_OF(by), per,
			  (page - 1) * per);
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, row_json(st));
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(items);
		return VE_DB;
	}
	const char *sender = outbox_sender_title();
	*out = json_pack("{s:I,s:I,s:o,s:I,s:I,s:o}", "total", (json_int_t)total, "failed",
			 (json_int_t)failed, "sender", sender ? json_string(sender) : json_null(),
			 "page", (json_int_t)page, "per_page", (json_int_t)per, "items", items);
	return 0;
}

int outbox_failed_count(struct db *db, const struct principal *by, int64_t *n)
{
	return db_int_query(db, n, 0, "SELECT count(*) " OF_STATE, "s" SCOPE_REGION_FMT,
			    OUTBOX_FAILED, SCOPE_OF(by))
		       ? VE_DB
		       : 0;
}

static int retry_in_tx(struct db *db, const struct principal *by, int64_t id, char *err,
		       size_t errlen)
{
	struct db_stmt *st =
		db_q(db,
		     "SELECT o.state, o.subject, o.subject_id, coalesce(o.lease_until, 0) "
		     "FROM sms_outbox o WHERE "
		     "o.id = ? AND " IN_SCOPE,
		     "i" SCOPE_REGION_FMT, id, SCOPE_OF(by));
	if (!st)
		return VE_DB;
	int rc = db_step(st);
	char state[24] = "", detail[160] = "";
	int64_t now = clock_now(), lease = 0;
	if (rc == DB_ROW) {
		str_copy(state, db_text(st, 0), sizeof(state));
		lease = db_int(st, 3);
		snprintf(detail, sizeof(detail), "%s %lld 的短信（第 %lld 号）",
			 subject_title(db_text(st, 1)), (long long)db_int(st, 2), (long long)id);
	}
	db_done(st);
	if (rc == DB_DONE)
		return err_set(err, errlen, VE_NOTFOUND, "没有第 %lld 号短信", (long long)id);
	if (rc != DB_ROW)
		return VE_DB;
	if (strcmp(state, OUTBOX_SENT) == 0)
		return err_set(err, errlen, VE_CONFLICT, "第 %lld 号短信已发送，无需重发",
			       (long long)id);
	/* a sender has it now: sent twice if it were made due again */
	if (lease > now)
		return err_set(err, errlen, VE_CONFLICT,
			       "第 %lld 号短信正在发送，请稍后刷新查看结果", (long long)id);
	if (db_run(db,
		   "UPDATE sms_outbox SET state = '" OUTBOX_WAITING "', next_at = ?, "
		   "lease_until = NULL WHERE id = ?",
		   "ii", now, id))
		return VE_DB;
	return account_audit(db, by, "outbox.retry", "sms", id, detail) ? VE_DB : 0;
}

int outbox_retry(struct db *db, const struct principal *by, int64_t id, char *err, size_t errlen)
{
	if (may(by, PERM_OUTBOX_RETRY, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	int rc = db_tx_end(db, 0, retry_in_tx(db, by, id, err, errlen));
	if (rc == VE_DB && !err[0])
		err_set(err, errlen, VE_DB, "保存失败");
	if (!rc)
		outbox_sender_wake();
	return rc;
}

/* ---- permissions and the area ---- */

const struct perm perm_outbox_read = {"outbox.read", "查看短信发送情况",
				      ROLE_BIT(CLERK) | ROLE_BIT(LEADER) | ROLE_BIT(STATION)};
const struct perm perm_outbox_retry = {"outbox.retry", "重发短信", ROLE_BIT(CLERK)};
static const struct perm *const perms[] = {PERM_OUTBOX_READ, PERM_OUTBOX_RETRY, NULL};
static const struct audit_title audit_titles[] = {
	{"outbox.retry", "重发短信"},
	{NULL, NULL},
};
/* Messages that failed for good in the scope of one who may send them again (the
 * navigation's count). */
static int outbox_todos(struct db *db, const struct principal *by, json_t *list)
{
	int64_t n = 0;
	if (!perm_allows(by->roles, PERM_OUTBOX_RETRY))
		return 0;
	if (outbox_failed_count(db, by, &n))
		return VE_DB;
	if (n > 0)
		json_array_append_new(list, json_pack("{s:s,s:I,s:s,s:s}", "title",
						      "重发发送失败的短信", "count", (json_int_t)n,
						      "href", "/outbox?state=failed", "note",
						      "多次重试仍未送达申请人或信访人"));
	return 0;
}

const struct area outbox_area = {.name = "outbox",
				 .perms = perms,
				 .audit_titles = audit_titles,
				 .todos = outbox_todos};
