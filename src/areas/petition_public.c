/* petition_public.c - what the portal shows of petitions: the published replies of the
 * 区长信箱, and to a writer holding its tracking code, the course of their own message
 * (petition.h, "the public side"). Nothing here returns a writer's name, ID, phone or
 * address, nor the desk's notes. */
#include "petition.h"
#include "petition_internal.h"
#include "lib/err.h"

#include <string.h>

/* The office that answers for a petition: the one it was assigned to, else the registering one. */
#define OFFICE_SQL "coalesce(a.name, o.name, '')"
/* The published: few among many, found through petitions_published (a range on published_on,
 * which both backends' planners take; "IS NOT NULL" made SQLite's count scan the table). */
#define PUBLISHED_WHERE                                                                            \
	" WHERE p.published_on > '' AND p.consent <> 0 AND p.source = '" PETITION_MAILBOX "'"
#define PUBLISHED_FROM                                                                             \
	" FROM petitions p LEFT JOIN orgs a ON a.id = p.assigned_org_id LEFT JOIN orgs o ON o.id " \
	"= p.org_id" PUBLISHED_WHERE
#define PUBLISHED_COLUMNS                                                                          \
	"SELECT p.id, p.code, p.received_on, coalesce(p.replied_on, ''), p.published_on, "          \
	"p.public_question, p.public_reply, " OFFICE_SQL

static json_t *published_row(struct db_stmt *st)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)db_int(st, 0),
			 "code", db_text(st, 1), "received_on", db_text(st, 2), "replied_on",
			 db_text(st, 3), "published_on", db_text(st, 4), "question",
			 db_text(st, 5), "reply", db_text(st, 6), "office", db_text(st, 7));
}

int petition_published(struct db *db, int64_t offset, int64_t limit, json_t **out,
		       int64_t *total)
{
	*out = NULL;
	*total = 0;
	if (db_int_query(db, total, 0, "SELECT count(*) FROM petitions p" PUBLISHED_WHERE, "") != 0)
		return VE_DB;
	struct db_stmt *st = db_q(db,
				  PUBLISHED_COLUMNS PUBLISHED_FROM
				  " ORDER BY p.published_on DESC, p.id DESC LIMIT ? OFFSET ?",
				  "ii", limit, offset);
	if (!st)
		return VE_DB;
	json_t *list = json_array();
	int stepped;
	while ((stepped = db_step(st)) == DB_ROW)
		json_array_append_new(list, published_row(st));
	db_done(st);
	if (stepped != DB_DONE) { /* never a list cut short as if it were whole */
		json_decref(list);
		return VE_DB;
	}
	*out = list;
	return 0;
}

int petition_published_one(struct db *db, int64_t id, json_t **out)
{
	*out = NULL;
	struct db_stmt *st = db_q(db, PUBLISHED_COLUMNS PUBLISHED_FROM " AND p.id = ?", "i", id);
	if (!st)
		return VE_DB;
	if (db_step(st) == DB_ROW)
		*out = published_row(st);
	db_done(st);
	return *out ? 0 : VE_NOTFOUND;
}

/* The steps of petition id, each {"step" (its Chinese title),"on_day"}, oldest first. */
static int steps_of(struct db *db, int64_t id, json_t **out)
{
	struct db_stmt *st = db_q(
		db, "SELECT step, on_day FROM petition_steps WHERE petition_id = ? ORDER BY id", "i",
		id);
	if (!st)
		return VE_DB;
	json_t *list = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(list,
				      json_pack("{s:s,s:s}", "step", petition_step_title(db_text(st, 0)),
						"on_day", db_text(st, 1)));
	db_done(st);
	*out = list;
	return 0;
}

int petition_mailbox_track(struct db *db, const char *code, json_t **out)
{
	*out = NULL;
	char normal[TRACK_CODE_LEN + 1];
	if (track_code_normalize(code, normal) != 0)
		return VE_NOTFOUND;
	struct db_stmt *st = db_q(
		db,
		"SELECT p.id, p.subject, p.received_on, p.status, p.decide_by, coalesce(p.due_on, ''), "
		"coalesce(p.closed_on, ''), coalesce(p.replied_on, ''), p.reply_text, " OFFICE_SQL
		", p.published_on IS NOT NULL FROM petitions p LEFT JOIN orgs a ON a.id = "
		"p.assigned_org_id LEFT JOIN orgs o ON o.id = p.org_id WHERE p.track_code = ?",
		"s", normal);
	if (!st)
		return VE_DB;
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return VE_NOTFOUND;
	}
	int64_t id = db_int(st, 0);
	json_t *t = json_pack(
		"{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "code", normal, "subject",
		db_text(st, 1), "received_on", db_text(st, 2), "status", db_text(st, 3), "decide_by",
		db_text(st, 4), "due_on", db_text(st, 5), "closed_on", db_text(st, 6), "replied_on",
		db_text(st, 7), "reply", db_text(st, 8), "office", db_text(st, 9), "published",
		(int)db_int(st, 10));
	db_done(st);
	json_t *steps = NULL;
	int rc = steps_of(db, id, &steps);
	if (rc) {
		json_decref(t);
		return rc;
	}
	json_object_set_new(t, "steps", steps);
	*out = t;
	return 0;
}
