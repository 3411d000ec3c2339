/* audit_pages.c - the audit administrator's view of the audit trail (page and API). */
#include "web/route.h"
#include "areas/audit.h"
#include "lib/clock.h"
#include "lib/buf.h"
#include "lib/err.h"

#include <stdio.h>
#include <string.h>

#define PER_PAGE 50

/* Reads the filter params into f; dates are whole days in Asia/Shanghai. */
static void read_filter(const struct request *req, struct audit_filter *f)
{
	int64_t t;
	f->actor = params_text(req, "actor");
	f->action = params_text(req, "action");
	f->from = clock_parse_date(params_text(req, "from"), &t) == 0 ? t : 0;
	f->to = clock_parse_date(params_text(req, "to"), &t) == 0 ? t + 86400 : 0;
	f->page = params_int(req, "page", 1);
	f->per_page = params_int(req, "per_page", PER_PAGE);
}

/* 1 for a code point that changes how text around it reads without showing
 * itself: controls (C0, DEL, C1) and Unicode's format characters (Cf: bidi
 * embeddings, overrides and isolates, zero-width characters, the BOM, tags, …). */
static int invisible(uint32_t c)
{
	static const uint32_t ranges[][2] = {
		{0x0000, 0x001F}, {0x007F, 0x009F}, {0x00AD, 0x00AD},   {0x0600, 0x0605},
		{0x061C, 0x061C}, {0x06DD, 0x06DD}, {0x070F, 0x070F},   {0x0890, 0x0891},
		{0x08E2, 0x08E2}, {0x180E, 0x180E}, {0x200B, 0x200F},   {0x2028, 0x202E},
		{0x2060, 0x2064}, {0x2066, 0x206F}, {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},
		{0x110BD, 0x110BD}, {0x110CD, 0x110CD}, {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3},
		{0x1D173, 0x1D17A}, {0xE0001, 0xE0001}, {0xE0020, 0xE007F},
	};
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (c >= ranges[i][0] && c <= ranges[i][1])
			return 1;
	return 0;
}

/* Decodes the UTF-8 sequence at s (valid: the trail holds valid UTF-8) into *c;
 * returns its length. */
static size_t decode(const unsigned char *s, uint32_t *c)
{
	if (s[0] < 0x80)
		return *c = s[0], 1;
	if ((s[0] & 0xE0) == 0xC0 && s[1])
		return *c = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F), 2;
	if ((s[0] & 0xF0) == 0xE0 && s[1] && s[2])
		return *c = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 |
			    (s[2] & 0x3F),
		       3;
	if ((s[0] & 0xF8) == 0xF0 && s[1] && s[2] && s[3])
		return *c = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
			    (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F),
		       4;
	return *c = 0xFFFD, 1;
}

/* A copy of text with every invisible character shown as "<U+202E>", so that a
 * record reads on the page as it is stored. NULL when there is none to show. */
static json_t *visible(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	struct buf out;
	int changed = 0;
	buf_init(&out, 4 * 65536);
	while (*s) {
		uint32_t c;
		size_t n = decode(s, &c);
		if (invisible(c)) {
			buf_printf(&out, "<U+%04X>", (unsigned)c);
			changed = 1;
		} else {
			buf_append(&out, s, n);
		}
		s += n;
	}
	json_t *v = changed ? json_string(buf_cstr(&out)) : NULL;
	buf_free(&out);
	return v;
}

/* Makes the text fields of each item of the list visible (see visible()). */
static void show_invisible(json_t *list)
{
	static const char *const fields[] = {"actor", "ip", "action", "object", "detail"};
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(list, "items"), i, item)
	{
		for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
			const char *text = json_string_value(json_object_get(item, fields[f]));
			json_t *v = text ? visible(text) : NULL;
			if (v)
				json_object_set_new(item, fields[f], v);
		}
	}
}

/* The page of the trail req asks for, into *list (f filled from req): the one call of
 * the page and its API twin. Reading the trail is itself recorded. 0 or VE_DB. */
static int trail_of(struct request *req, struct db *db, struct audit_filter *f, json_t **list)
{
	struct audit_actor who = account_actor(&req->user);
	read_filter(req, f);
	return audit_record_view(db, &who, f) != 0 || audit_list(db, f, list) != 0 ? VE_DB : 0;
}

static int handle_audit(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct audit_filter f;
	json_t *list;
	if (trail_of(req, db, &f, &list) != 0)
		return VE_DB;
	show_invisible(list);
	struct buf base;
	buf_init(&base, 1024);
	buf_puts(&base, "/audit?");
	page_query_add(&base, "actor", f.actor);
	page_query_add(&base, "action", f.action);
	page_query_add(&base, "from", params_text(req, "from"));
	page_query_add(&base, "to", params_text(req, "to"));
	json_int_t total = json_integer_value(json_object_get(list, "total"));
	json_object_set_new(list, "pager", page_pager(f.page, PER_PAGE, total, buf_cstr(&base)));
	buf_free(&base);
	json_object_set_new(list, "filter",
			    json_pack("{s:s,s:s,s:s,s:s}", "actor", f.actor, "action", f.action,
				      "from", params_text(req, "from"), "to",
				      params_text(req, "to")));
	return reply_page(req, rep, 200, "audit/list", "审计日志", list);
}

static int handle_api_audit(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct audit_filter f;
	json_t *list;
	if (trail_of(req, db, &f, &list) != 0)
		return VE_DB;
	return reply_json(rep, 200, list);
}

/* ---- the routes of the audit trail ---- */

static const struct param_spec audit_params[] = {
	{"actor", "操作人", PK_TEXT, 0, 0, 64, 0},
	{"action", "操作", PK_TEXT, 0, 0, 64, 0},
	{"from", "开始日期", PK_DATE, 0, 0, 0, 0},
	{"to", "结束日期", PK_DATE, 0, 0, 0, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	{"per_page", "每页条数", PK_INT, 0, 1, 200, 0},
	PARAM_END,
};

#define PUBLIC ROUTE_PUBLIC
#define API ROUTE_API
#define PW ROUTE_PASSWORD_OPEN

static const struct route routes[] = {
	{"GET", "/audit", handle_audit, PERM_AUDIT_READ, 0, audit_params, 0},
	{"GET", "/api/v1/audit", handle_api_audit, PERM_AUDIT_READ, API, audit_params, 0},
	{0},
};

static const struct nav_item nav[] = {
	{90, "/audit", "审计日志", PERM_AUDIT_READ},
	{0},
};

const struct web_area audit_pages_web = {
	.name = "audit_pages",
	.routes = routes,
	.nav = nav,
};
