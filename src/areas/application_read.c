/* application_read.c - reading applications: one for staff, the queues, the year's
 * figures, the public tracking view, and the brief other areas read. */
#include "application.h"
#include "application_impl.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "areas/calendar.h"
#include "areas/outbox.h"
#include "areas/scope.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"

#define SCOPED SCOPE_REGION_SQL("a.region_code", "a.clerk_id")
#define OPEN_SQL "a.status IN ('" APP_ACCEPTED "', '" APP_PARTIAL "', '" APP_CORRECTING "')"
/* running clocks: 补正中 stands still */
#define RUNNING_SQL "a.status IN ('" APP_ACCEPTED "', '" APP_PARTIAL "')"

static const char *text_or(struct db_stmt *st, int col)
{
	const char *t = db_is_null(st, col) ? NULL : db_text(st, col);
	return t ? t : "";
}

static json_t *text_or_null(struct db_stmt *st, int col)
{
	return db_is_null(st, col) ? json_null() : json_string(db_text(st, col));
}

/* Columns 0-13 of every staff row. */
#define ROW_SQL                                                                                     \
	"SELECT a.id, a.tracking_code, a.status, i.name, a.name, a.id_mask, a.phone_mask, "         \
	"a.accepted_on, a.due, a.supply_by, a.overdue, coalesce(u.display_name, ''), i.code, "      \
	"a.closed_on FROM applications a JOIN service_items i ON i.id = a.item_id LEFT JOIN users " \
	"u ON u.id = a.clerk_id "

static json_t *row_json(struct db_stmt *st, const char *today)
{
	const char *status = db_text(st, 2), *due = db_text(st, 8);
	int running = !strcmp(status, APP_ACCEPTED) || !strcmp(status, APP_PARTIAL);
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id",
			      (json_int_t)db_int(st, 0), "tracking_code", db_text(st, 1), "status",
			      status, "item_name", db_text(st, 3), "name", db_text(st, 4),
			      "id_mask", db_text(st, 5), "phone_mask", db_text(st, 6),
			      "accepted_on", db_text(st, 7), "due", due, "clerk_name",
			      db_text(st, 11), "item_code", db_text(st, 12));
	json_object_set_new(o, "supply_by", text_or_null(st, 9));
	json_object_set_new(o, "closed_on", text_or_null(st, 13));
	json_object_set_new(o, "overdue", json_boolean(running && strcmp(due, today) < 0));
	json_object_set_new(o, "open", json_boolean(application_status_open(status)));
	return o;
}

static json_t *materials_of(struct db *db, int64_t id, json_t *missing)
{
	json_t *list = json_array();
	struct db_stmt *st =
		db_q(db,
		     "SELECT name, essential, handed_in, supplied_on FROM "
		     "application_materials WHERE application_id = ? ORDER BY position",
		     "i", id);
	while (st && db_step(st) == DB_ROW) {
		json_t *o = json_pack("{s:s,s:b,s:b}", "name", db_text(st, 0), "essential",
				      (int)db_int(st, 1), "handed_in", (int)db_int(st, 2));
		json_object_set_new(o, "supplied_on", text_or_null(st, 3));
		if (!db_int(st, 2) && db_is_null(st, 3))
			json_array_append_new(missing, json_string(db_text(st, 0)));
		json_array_append_new(list, o);
	}
	db_done(st);
	return list;
}

static json_t *steps_of(struct db *db, int64_t id, int public_view)
{
	json_t *list = json_array();
	struct db_stmt *st = db_q(db,
				  "SELECT step, on_day, at, by_name, note FROM application_steps "
				  "WHERE application_id = ? ORDER BY id",
				  "i", id);
	while (st && db_step(st) == DB_ROW) {
		json_t *o = json_pack("{s:s,s:s,s:s}", "step", db_text(st, 0), "on_day",
				      db_text(st, 1), "note", db_text(st, 4));
		if (!public_view) {
			char at[17];
			clock_local_minute(db_int(st, 2), at);
			json_object_set_new(o, "at", json_string(at));
			json_object_set_new(o, "by_name", json_string(db_text(st, 3)));
		}
		json_array_append_new(list, o);
	}
	db_done(st);
	return list;
}

/* The steps by may take now on an application in status (with missing materials). */
static json_t *actions_of(const struct principal *by, const char *status, size_t missing)
{
	json_t *list = json_array();
	if (!perm_allows(by->roles, PERM_APPLICATION_HANDLE))
		return list;
	int running = !strcmp(status, APP_ACCEPTED) || !strcmp(status, APP_PARTIAL);
	int allowed[STEP__COUNT] = {
		[STEP_CORRECT] = running,
		[STEP_RESUME] = !strcmp(status, APP_CORRECTING),
		[STEP_SUPPLY] = missing > 0 && application_status_open(status),
		[STEP_CLOSE] = running && missing == 0,
		[STEP_REFUSE] = application_status_open(status),
		[STEP_RETURN] = application_status_open(status),
	};
	for (int k = 0; k < STEP__COUNT; k++)
		if (allowed[k])
			json_array_append_new(list, json_pack("{s:s,s:s}", "name",
							      application_step_name(k), "title",
							      application_step_title(k)));
	return list;
}

int application_get(struct db *db, const struct principal *by, int64_t id, json_t **out)
{
	struct db_stmt *st = db_q(
		db,
		"SELECT a.id, a.tracking_code, a.status, i.name, a.name, a.id_mask, a.phone_mask, "
		"a.accepted_on, a.due, a.supply_by, a.overdue, coalesce(u.display_name, ''), i.code, "
		"a.closed_on, a.promise, a.weekends_only, a.paused_on, a.paused_days, o.name, "
		"a.time_limit_days FROM applications a JOIN service_items i ON i.id = a.item_id LEFT "
		"JOIN users u ON u.id = a.clerk_id JOIN orgs o ON o.id = a.org_id WHERE a.id = ? AND " SCOPED,
		"i" SCOPE_REGION_FMT, id, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return VE_NOTFOUND;
	}
	char today[11];
	str_copy(today, clock_today_text(), sizeof(today));
	json_t *o = row_json(st, today);
	json_object_set_new(o, "promise", json_boolean(db_int(st, 14)));
	json_object_set_new(o, "weekends_only", json_boolean(db_int(st, 15)));
	json_object_set_new(o, "paused_on", text_or_null(st, 16));
	json_object_set_new(o, "paused_days", json_integer(db_int(st, 17)));
	json_object_set_new(o, "org_name", json_string(db_text(st, 18)));
	json_object_set_new(o, "time_limit_days", json_integer(db_int(st, 19)));
	db_done(st);
	json_t *missing = json_array();
	json_object_set_new(o, "materials", materials_of(db, id, missing));
	json_object_set_new(o, "steps", steps_of(db, id, 0));
	json_object_set_new(o, "actions",
			    actions_of(by, json_string_value(json_object_get(o, "status")),
				       json_array_size(missing)));
	json_object_set_new(o, "missing", missing);
	*out = o;
	return 0;
}

/* The queues: one statement each, so that each walks its index (the due days in order; the
 * status is tested on the row, "|| ''" keeping the status index out of the overdue and near
 * queues). Followed by the scope, the status and year filters and the order. */
/* SCOPE_REGION_SQL's condition, bound the same way, spelled as CASEs: PostgreSQL's generic
 * plan of a prepared statement (used after its fifth run) took "? = 0 OR …" for a filter that
 * keeps one row in a thousand, read every overdue application and sorted them (2 requests a
 * second for 100,000); with CASEs it walks applications_due and stops at the page's end. */
#define SCOPED_CASE                                                                                 \
	"(CASE WHEN ? = 0 THEN TRUE WHEN ? IN (1, 2) THEN substr(a.region_code, 1, length(?)) = ? " \
	"WHEN ? = 3 THEN a.clerk_id = ? ELSE FALSE END)"
#define LIST_TAIL                                                                                  \
	" AND " SCOPED_CASE                                                                        \
	" AND (CASE WHEN ? = '' THEN TRUE ELSE a.status = ? END) AND (CASE WHEN "                  \
	"? = '' THEN TRUE ELSE substr(a.accepted_on, 1, 4) = ? END) ORDER BY a.due, a.id LIMIT ?"
#define LIST_FMT SCOPE_REGION_FMT "ssssi"
#define RUNNING_ROW "a.status || '' IN ('" APP_ACCEPTED "', '" APP_PARTIAL "')"
#define OPEN_ROW "a.status || '' IN ('" APP_ACCEPTED "', '" APP_PARTIAL "', '" APP_CORRECTING "')"

static struct db_stmt *list_query(struct db *db, const struct principal *by, const char *queue,
				  const char *today, const char *near, const char *status,
				  const char *year, int64_t limit)
{
#define TAIL_ARGS SCOPE_REGION_ARGS(&by->scope, by->region_code), status, status, year, year, limit
	if (!strcmp(queue, "overdue"))
		return db_q(db, ROW_SQL "WHERE " RUNNING_ROW " AND a.due < ?" LIST_TAIL,
			    "s" LIST_FMT, today, TAIL_ARGS);
	if (!strcmp(queue, "near"))
		return db_q(db,
			    ROW_SQL "WHERE " RUNNING_ROW " AND a.due >= ? AND a.due <= ?" LIST_TAIL,
			    "ss" LIST_FMT, today, near, TAIL_ARGS);
	if (!strcmp(queue, "mine"))
		return db_q(db, ROW_SQL "WHERE " OPEN_ROW " AND a.clerk_id = ?" LIST_TAIL,
			    "i" LIST_FMT, by->user_id, TAIL_ARGS);
	if (!strcmp(queue, "office"))
		return db_q(db, ROW_SQL "WHERE " OPEN_ROW " AND a.org_id = ?" LIST_TAIL,
			    "i" LIST_FMT, by->org_id, TAIL_ARGS);
	return db_q(db, ROW_SQL "WHERE TRUE" LIST_TAIL, LIST_FMT, TAIL_ARGS);
#undef TAIL_ARGS
}

int app_waiting_counts(struct db *db, const struct principal *by, const char *today,
		       const char *near, struct app_waiting *w)
{
	memset(w, 0, sizeof(*w));
	struct db_stmt *st = db_q(
		db,
		"SELECT count(*) FILTER (WHERE " RUNNING_ROW " AND a.due < ?), count(*) FILTER "
		"(WHERE " RUNNING_ROW " AND a.due >= ? AND a.due <= ?), min(a.due) FILTER (WHERE "
		RUNNING_ROW " AND a.due >= ? AND a.due <= ?), count(*) FILTER (WHERE a.status = '"
		APP_PARTIAL "'), min(a.supply_by) FILTER (WHERE a.status = '" APP_PARTIAL "') FROM "
		"applications a WHERE " OPEN_ROW " AND " SCOPED_CASE,
		"sssss" SCOPE_REGION_FMT, today, today, near, today, near,
		SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st || db_step(st) != DB_ROW) {
		db_done(st);
		return VE_DB;
	}
	w->overdue = db_int(st, 0);
	w->near = db_int(st, 1);
	str_copy(w->near_first, db_is_null(st, 2) ? "" : db_text(st, 2), sizeof(w->near_first));
	w->partial = db_int(st, 3);
	str_copy(w->partial_first, db_is_null(st, 4) ? "" : db_text(st, 4),
		 sizeof(w->partial_first));
	db_done(st);
	return 0;
}

int application_list(struct db *db, const struct principal *by, const struct application_filter *f,
		     json_t **out)
{
	const char *queue = "office";
	for (int i = 0; f && f->queue && i < APP_N_QUEUES; i++)
		if (!strcmp(f->queue, application_queues[i]))
			queue = application_queues[i];
	const char *status = f && f->status ? f->status : "", *year = f && f->year ? f->year : "";
	int64_t limit = f && f->limit > 0 ? f->limit : APP_LIST_MAX;
	char today[11], near[11] = "";
	str_copy(today, clock_today_text(), sizeof(today));
	if (!strcmp(queue, "near") && calendar_due(db, today, APP_NEAR_DAYS, near, NULL))
		return VE_DB;
	struct db_stmt *st = list_query(db, by, queue, today, near, status, year, limit);
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, row_json(st, today));
	db_done(st);
	*out = json_pack("{s:I,s:I,s:s,s:s,s:o}", "total", (json_int_t)json_array_size(items),
			 "limit", (json_int_t)limit, "queue", queue, "queue_title",
			 application_queue_title(queue), "items", items);
	return 0;
}

/* ---- public ---- */

static int brief_row(struct db_stmt *st, struct application_brief *out)
{
	memset(out, 0, sizeof(*out));
	if (db_step(st) != DB_ROW)
		return VE_NOTFOUND;
	out->id = db_int(st, 0);
	out->item_id = db_int(st, 1);
	out->org_id = db_int(st, 2);
	out->clerk_id = db_int(st, 3);
	str_copy(out->region_code, db_text(st, 4), sizeof(out->region_code));
	str_copy(out->tracking_code, db_text(st, 5), sizeof(out->tracking_code));
	str_copy(out->status, db_text(st, 6), sizeof(out->status));
	str_copy(out->item_name, db_text(st, 7), sizeof(out->item_name));
	str_copy(out->accepted_on, db_text(st, 8), sizeof(out->accepted_on));
	str_copy(out->due, db_text(st, 9), sizeof(out->due));
	str_copy(out->closed_on, text_or(st, 10), sizeof(out->closed_on));
	return 0;
}

#define BRIEF_SQL                                                                                  \
	"SELECT a.id, a.item_id, a.org_id, a.clerk_id, a.region_code, a.tracking_code, a.status, " \
	"i.name, a.accepted_on, a.due, a.closed_on FROM applications a JOIN service_items i ON "   \
	"i.id = a.item_id WHERE "

int application_brief(struct db *db, const struct principal *by, int64_t id,
		      struct application_brief *out)
{
	struct db_stmt *st = db_q(db, BRIEF_SQL "a.id = ? AND " SCOPED, "i" SCOPE_REGION_FMT, id,
				  SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	int rc = brief_row(st, out);
	db_done(st);
	return rc;
}

int application_by_code(struct db *db, const char *tracking_code, struct application_brief *out)
{
	char code[TRACK_CODE_LEN + 1];
	memset(out, 0, sizeof(*out));
	if (track_code_normalize(tracking_code, code) != 0)
		return VE_NOTFOUND;
	struct db_stmt *st = db_q(db, BRIEF_SQL "a.tracking_code = ?", "s", code);
	if (!st)
		return VE_DB;
	int rc = brief_row(st, out);
	db_done(st);
	return rc;
}

int application_track(struct db *db, const char *code, json_t **out)
{
	struct application_brief b;
	int rc = application_by_code(db, code, &b);
	if (rc)
		return rc;
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "tracking_code", b.tracking_code,
			      "item_name", b.item_name, "status", b.status, "accepted_on",
			      b.accepted_on, "due", b.due);
	json_object_set_new(o, "closed_on",
			    b.closed_on[0] ? json_string(b.closed_on) : json_null());
	json_t *missing = json_array(), *mats = materials_of(db, b.id, missing);
	json_decref(mats);
	json_object_set_new(o, "missing", missing);
	struct db_stmt *st = db_q(db, "SELECT supply_by FROM applications WHERE id = ?", "i", b.id);
	if (st && db_step(st) == DB_ROW)
		json_object_set_new(o, "supply_by", text_or_null(st, 0));
	db_done(st);
	json_object_set_new(o, "open", json_boolean(application_status_open(b.status)));
	json_object_set_new(o, "steps", steps_of(db, b.id, 1));
	json_t *messages = NULL;
	if (outbox_of(db, "application", b.id, &messages) != 0 || !messages)
		messages = json_array();
	json_object_set_new(o, "messages", messages);
	*out = o;
	return 0;
}
