/* outbox.h - nobody is left guessing: the messages (SMS) to applicants and petitioners.
 *
 * Every change of an application's or a petition's status queues a message, in
 * Chinese and with nothing sensitive in it, in the transaction of the change
 * (outbox_queue): the change and its message are saved together or not at all. The
 * phone is sealed for its row (sealed.h, "sms_outbox.phone_enc"). A sender the
 * bureau points at its SMS gateway sends them later, never inside a write transaction
 * (a write transaction on SQLite stops every other writer): it claims a few due
 * messages in one short transaction (a lease: a sender that dies leaves them to be
 * claimed again when the lease has passed), sends them with none held, and records
 * each result in another short one. A failed attempt is tried again after a growing
 * delay (outbox_backoff); after the last the message is 发送失败 and waits on the staff
 * page, where a clerk may send it again (重发, audited). The public tracking page lists
 * the same messages, without the phone (outbox_of). Scope: the message's region. */
#ifndef VETS_OUTBOX_H
#define VETS_OUTBOX_H

#include "areas/area.h"
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "areas/account.h"
#include "db/db.h"

/* ---- vocabularies ---- */

#define OUTBOX_WAITING "待发送"
#define OUTBOX_SENT "已发送"
#define OUTBOX_FAILED "发送失败"
/* The staff list's filters: "waiting", "sent", "failed", "all". */
#define OUTBOX_N_FILTERS 4
extern const char *const outbox_filters[OUTBOX_N_FILTERS];
/* 待发送, 已发送, 发送失败, 全部 for a filter (待发送 when unknown). */
const char *outbox_filter_title(const char *filter);

/* The longest text queued, in characters (longer text is refused: VE_INVALID). */
#define OUTBOX_TEXT_MAX 500

/* ---- queueing (for the areas whose changes the messages tell of) ---- */

/* Queues an SMS (text in Chinese, no sensitive data) to phone (plain; the outbox seals
 * it) about subject ("application" or "petition") id, in the caller's transaction. An
 * empty phone queues nothing: 0. VE_INVALID for another subject, an empty or too long
 * text, or a text that holds the phone or an ID number (outbox_text_sensitive); VE_DB. A
 * sender running in this process (outbox_sender_start) is woken to send it once the
 * caller commits. */
int outbox_queue(struct db *db, const char *region_code, const char *subject, int64_t subject_id,
		 const char *phone, const char *text);

/* outbox_queue to the phone sealed in blob (len bytes) for column of subject_id (e.g.
 * "applications.phone_enc"): the area hands over its sealed value, the plain phone lives
 * only here, for the call. Nothing queued for an empty blob: 0. */
int outbox_queue_sealed(struct db *db, const char *region_code, const char *subject,
			int64_t subject_id, const char *column, const void *blob, size_t len,
			const char *text);

/* The messages about subject id, oldest first, as a JSON array of {"queued_at","text",
 * "state"} (state 待发送, 已发送, 发送失败), no phone: for the public tracking page.
 * queued_at is "YYYY-MM-DD HH:MM" (Beijing time). 0 or VE_DB. */
int outbox_of(struct db *db, const char *subject, int64_t subject_id, json_t **out);

/* ---- pure rules (no store) ---- */

/* The attempts a message gets before it is 发送失败: the first and five more. */
#define OUTBOX_MAX_ATTEMPTS 6
/* The delay in seconds before the next attempt after the attempts-th failed one (1:
 * 1 minute, then 5 minutes, 30 minutes, 2 hours, 6 hours), or -1 when attempts has
 * reached OUTBOX_MAX_ATTEMPTS (or is below 1): the message has failed for good. */
int64_t outbox_backoff(int attempts);
/* 1 when text holds what a message must not: phone itself (7 or more characters), or an
 * ID number (17 digits and their check character); 0 otherwise. */
int outbox_text_sensitive(const char *text, const char *phone);
/* The message as the sender hands it over, one JSON object on one line with a final
 * "\n": {"phone":…,"text":…,"id":N}, every character that JSON must escape escaped
 * (so the line holds no newline but the last). Into out (caller frees); 0, or VE_INVALID
 * for text that is not UTF-8. */
int outbox_json_line(const char *phone, const char *text, int64_t id, char **out);

/* ---- the sender ---- */

/* Where messages go; at most one of the three (the first set wins: command, url, file).
 * command: run by /bin/sh with the JSON line on stdin, exit 0 = sent, killed after
 * OUTBOX_SEND_SECONDS. url: the JSON line POSTed (application/json), a 2xx answer =
 * sent, same time limit. file: the line appended to the file (a sink for tests and for a
 * gateway that reads a spool). */
struct outbox_sender {
	const char *command, *url, *file;
};
#define OUTBOX_SEND_SECONDS 10
/* A claim lasts this long: a message claimed by a sender that died is tried again after. */
#define OUTBOX_LEASE_SECONDS 300
/* Sets where messages go (copies the strings); all NULL: nowhere, they wait. Call once
 * at start, before threads. */
void outbox_sender_set(const struct outbox_sender *s);
/* Reads VETS_SMS_COMMAND, VETS_SMS_URL and VETS_SMS_FILE for what s leaves NULL. */
void outbox_sender_from_env(struct outbox_sender *s);
/* What the sender is, for staff ("命令 …", "网址 …" with a password in it as ***, "文件 …"),
 * or NULL when none is set. */
const char *outbox_sender_title(void);

/* What one round of sending did. */
struct outbox_round {
	int claimed, sent, retry, failed; /* retry: failed, tried again later; failed: given up */
};
/* Sends up to max due messages once (claim, send with no transaction held, record), as
 * of now. VE_CONFLICT when no sender is set (nothing claimed); 0 otherwise (a message
 * that could not be sent counts in r, it is no error); VE_DB. */
int outbox_send_due(struct db *db, int max, struct outbox_round *r);

/* The sender of vets serve: a thread that sends what is due, woken when a message is
 * queued and every few seconds, on its own connection (db_thread). Does nothing (0)
 * when no sender is set. Start once before serving; stop wakes it, lets a message being
 * sent finish, and joins it. Start returns 0, or -1 (logged). */
int outbox_sender_start(void);
void outbox_sender_stop(void);
/* Wakes the sender of this process, if it runs (outbox_queue does). */
void outbox_sender_wake(void);

/* ---- staff ---- */

/* The messages in by's scope, newest first: filter as in outbox_filters (NULL: all).
 * {"total","failed","sender" (outbox_sender_title or null),"items":[{"id","subject",
 * "subject_id","subject_title" (受理件 / 信访件),"link" ("/applications/12"),"phone_mask",
 * "text","state","attempts","last_error","queued_at","last_try_at","sent_at","next_at"}]}.
 * page from 1, per_page up to 200. 0 or VE_DB. */
struct outbox_filter {
	const char *filter;
	int64_t page, per_page;
};
int outbox_list(struct db *db, const struct principal *by, const struct outbox_filter *f,
		json_t **out);
/* The number of 发送失败 messages in by's scope (the menu's count). 0 or VE_DB. */
int outbox_failed_count(struct db *db, const struct principal *by, int64_t *n);
/* 重发: sends message id again at once (待发送, due now; one attempt more), audited
 * "outbox.retry". VE_NOTFOUND outside scope; VE_CONFLICT (err) when it was sent or a sender
 * is sending it now. */
int outbox_retry(struct db *db, const struct principal *by, int64_t id, char *err, size_t errlen);

/* ---- permissions and the area ---- */

extern const struct perm perm_outbox_read, perm_outbox_retry;
#define PERM_OUTBOX_READ (&perm_outbox_read)
#define PERM_OUTBOX_RETRY (&perm_outbox_retry)
extern const struct area outbox_area;

#endif
