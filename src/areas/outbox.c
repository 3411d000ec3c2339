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

int outbox_queue(struct db *db, const char *region_code, const char *subject, int64_t subject_id,
		 const char *phone, const char *text)
{
	if (!phone || !*phone)
		return 0;
	size_t len = text ? strlen(text) : 0;
	if (!subject_valid(subject) || len == 0 || !utf8_valid(text, len) ||
	    utf8_count(text, len) > OUTBOX_TEXT_MAX)
		return VE_INVALID;
	int64_t now = clock_now();
	int rc = db_run(db,
			"INSERT INTO sms_outbox (region_code, subject, subject_id, text, queued_at, "
			"next_at) VALUES (?, ?, ?, ?, ?, ?)",
			"ssisii", region_code ? region_code : "", subject, subject_id, text, now, now);
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

/* ---- permissions and the area ---- */

const struct perm perm_outbox_read = {"outbox.read", "查看短信发送情况",
				      ROLE_BIT(CLERK) | ROLE_BIT(LEADER) | ROLE_BIT(STATION)};
const struct perm perm_outbox_retry = {"outbox.retry", "重发短信", ROLE_BIT(CLERK)};
static const struct perm *const perms[] = {PERM_OUTBOX_READ, PERM_OUTBOX_RETRY, NULL};
static const struct audit_title audit_titles[] = {
	{"outbox.retry", "重发短信"},
	{NULL, NULL},
};
const struct area outbox_area = {.name = "outbox", .perms = perms, .audit_titles = audit_titles};
