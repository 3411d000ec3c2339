/* service.c - the service catalogue: items, their materials, bundles (一件事); reading,
 * the form's save, the sheet import and the printed documents. */
#include "service.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "areas/audit.h"
#include "io/docx.h"
#include "io/sheet.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/utf8.h"

/* ---- for other areas ---- */

static int materials_into(struct db *db, struct service_item *out)
{
	struct db_stmt *st = db_q(db, "SELECT name, essential FROM service_materials WHERE item_id = ? "
				  "ORDER BY position, id", "i", out->id);
	if (!st)
		return VE_DB;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && out->n_materials < SERVICE_MAX_MATERIALS) {
		struct service_material *m = &out->materials[out->n_materials++];
		str_copy(m->name, db_text(st, 0), sizeof(m->name));
		m->essential = db_int(st, 1) != 0;
	}
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : VE_DB;
}

int service_item_get(struct db *db, const char *code, int64_t id, struct service_item *out)
{
	memset(out, 0, sizeof(*out));
	struct db_stmt *st = code ? db_q(db, "SELECT id, code, name, time_limit_days FROM service_items "
					 "WHERE code = ?", "s", code)
				  : db_q(db, "SELECT id, code, name, time_limit_days FROM service_items "
					 "WHERE id = ?", "i", id);
	if (!st)
		return VE_DB;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_int(st, 0);
		str_copy(out->code, db_text(st, 1), sizeof(out->code));
		str_copy(out->name, db_text(st, 2), sizeof(out->name));
		out->time_limit_days = (int)db_int(st, 3);
	}
	db_done(st);
	if (rc == DB_DONE)
		return VE_NOTFOUND;
	if (rc != DB_ROW)
		return VE_DB;
	return materials_into(db, out);
}

/* ---- the fields of an item: one table for the form, the import, the checks and the store ---- */

enum {
	F_CODE, F_NAME, F_LEGAL, F_COND, F_LIMIT, F_FEE, F_PLACE, F_HOW, F_HOURS, F_PHONE, F_DEPT,
	N_FIELDS
};
static const struct {
	const char *label, *column; /* as forms and sheets show it; the table's column */
	int max, lines;             /* characters; newlines allowed */
} fields[N_FIELDS] = {
	{"事项编码", "code", SERVICE_CODE_MAX, 0},     {"事项名称", "name", SERVICE_NAME_MAX, 0},
	{"法定依据", "legal_basis", SERVICE_TEXT_MAX, 1}, {"受理条件", "conditions", SERVICE_TEXT_MAX, 1},
	{"承诺时限", "time_limit_days", 3, 0},         {"收费标准", "fee", SERVICE_SHORT_MAX, 0},
	{"办理地点", "place", SERVICE_SHORT_MAX, 0},    {"办理方式", "how", SERVICE_SHORT_MAX, 0},
	{"办理时间", "hours", SERVICE_SHORT_MAX, 0},    {"咨询电话", "phone", SERVICE_SHORT_MAX, 0},
	{"实施主体", "department", SERVICE_SHORT_MAX, 0},
};

struct material {
	char *name, *note;
	int essential;
};

/* An item as it is to be stored: tidied texts (owned), its materials in order. */
struct item_data {
	char *f[N_FIELDS];
	int limit;
	int n_mat;
	struct material mat[SERVICE_MAX_MATERIALS];
};

static void item_data_free(struct item_data *d)
{
	for (int i = 0; i < N_FIELDS; i++)
		free(d->f[i]);
	for (int i = 0; i < d->n_mat; i++) {
		free(d->mat[i].name);
		free(d->mat[i].note);
	}
	memset(d, 0, sizeof(*d));
}

static char *tidy_dup(const char *s, int lines)
{
	char *t = xstrdup(s ? s : "");
	str_tidy(t, lines ? STR_TIDY_KEEP : STR_TIDY_COLLAPSE);
	return t;
}

static int code_valid(const char *c)
{
	size_t n = strlen(c);
	return n >= 1 && n <= SERVICE_CODE_MAX &&
	       strspn(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") == n;
}

/* Checks one text of a field or a material: printable, within max characters. */
static int text_ok(const char *t, int max, int lines)
{
	size_t n = strlen(t);
	return utf8_valid(t, n) && str_is_printable(t, n, lines) && (int)utf8_count(t, n) <= max;
}

/* Checks d's fields (not its materials) into fe; sets d->limit. */
static void check_fields(struct item_data *d, struct field_errors *fe)
{
	if (!d->f[F_CODE][0])
		field_errors_add(fe, fields[F_CODE].label, "请填写事项编码");
	else if (!code_valid(d->f[F_CODE]))
		field_errors_add(fe, fields[F_CODE].label,
				 "事项编码只能由字母、数字和 - _ . 组成，最多 %d 个字符", SERVICE_CODE_MAX);
	if (!d->f[F_NAME][0])
		field_errors_add(fe, fields[F_NAME].label, "请填写事项名称");
	int64_t limit = 0;
	const char *l = d->f[F_LIMIT];
	if (!l[0])
		field_errors_add(fe, fields[F_LIMIT].label, "请填写承诺时限（工作日）");
	else if (str_to_i64(l, strlen(l), 1, 365, &limit) != 0)
		field_errors_add(fe, fields[F_LIMIT].label, "承诺时限应为 1 至 365 之间的整数（工作日）");
	d->limit = (int)limit;
	for (int i = 0; i < N_FIELDS; i++)
		if (i != F_CODE && i != F_LIMIT && !text_ok(d->f[i], fields[i].max, fields[i].lines))
			field_errors_add(fe, fields[i].label, "%s最多 %d 个字，且不能含有控制字符",
					 fields[i].label, fields[i].max);
}

/* Adds a material to d: 0, or 1 with an error on field in fe. */
static int add_material(struct item_data *d, const char *name, const char *note, int essential,
			const char *field, struct field_errors *fe)
{
	char *n = tidy_dup(name, 0), *t = tidy_dup(note, 0);
	const char *why = NULL;
	if (!n[0])
		why = "材料名称不能为空";
	else if (!text_ok(n, SERVICE_NAME_MAX, 0))
		why = "材料名称最多 40 个字，且不能含有控制字符";
	else if (!text_ok(t, SERVICE_SHORT_MAX, 0))
		why = "材料说明最多 200 个字，且不能含有控制字符";
	else if (d->n_mat >= SERVICE_MAX_MATERIALS)
		why = "一个事项最多 64 项材料";
	int dup = 0;
	for (int i = 0; !why && i < d->n_mat; i++)
		if (strcmp(d->mat[i].name, n) == 0)
			why = "材料重复", dup = 1;
	if (why) {
		/* the name is named only when it is a valid one, listed twice */
		field_errors_add(fe, field, "%s%s%s", why, dup ? "：" : "", dup ? n : "");
		free(n);
		free(t);
		return 1;
	}
	d->mat[d->n_mat++] = (struct material){n, t, essential};
	return 0;
}

/* ---- the store ---- */

static int64_t id_of_code(struct db *db, const char *code)
{
	int64_t id = 0;
	if (db_int_query(db, &id, 0, "SELECT id FROM service_items WHERE code = ?", "s", code))
		return -1;
	return id;
}

/* 1 when item id's stored fields are d's (code included). */
static int fields_same(struct db *db, int64_t id, const struct item_data *d)
{
	struct db_stmt *st = db_q(db, "SELECT code, name, legal_basis, conditions, time_limit_days, "
				  "fee, place, how, hours, phone, department FROM service_items "
				  "WHERE id = ?", "i", id);
	if (!st || db_step(st) != DB_ROW) {
		db_done(st);
		return 0;
	}
	int same = 1;
	for (int i = 0; i < N_FIELDS && same; i++)
		same = i == F_LIMIT ? db_int(st, i) == d->limit
				    : strcmp(db_text(st, i) ? db_text(st, i) : "", d->f[i]) == 0;
	db_done(st);
	return same;
}

/* 1 when item id's stored materials are d's, in order. */
static int materials_same(struct db *db, int64_t id, const struct item_data *d)
{
	struct db_stmt *st = db_q(db, "SELECT name, essential, note FROM service_materials WHERE "
				  "item_id = ? ORDER BY position, id", "i", id);
	if (!st)
		return 0;
	int i = 0, same = 1;
	while (same && db_step(st) == DB_ROW) {
		same = i < d->n_mat && strcmp(db_text(st, 0), d->mat[i].name) == 0 &&
		       db_int(st, 1) == d->mat[i].essential &&
		       strcmp(db_text(st, 2), d->mat[i].note) == 0;
		i++;
	}
	db_done(st);
	return same && i == d->n_mat;
}

static const char *signer(const struct principal *by)
{
	return by->display_name[0] ? by->display_name : by->username;
}

/* Writes d as item *id (0: a new one, *id set): its fields and materials, only what differs.
 * *changed 1 when something was written. In the caller's transaction. */
static int write_item(struct db *db, const struct principal *by, int64_t *id,
		      const struct item_data *d, int *changed)
{
	int64_t now = clock_now();
	*changed = 0;
	int rc = 0;
	if (!*id) {
		rc = db_run(db, "INSERT INTO service_items (code, name, legal_basis, conditions, "
			    "time_limit_days, fee, place, how, hours, phone, department, created_at, "
			    "updated_at, updated_by, updated_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
			    "?, ?, ?, ?, ?)", "ssssissssssiiis", d->f[F_CODE], d->f[F_NAME],
			    d->f[F_LEGAL], d->f[F_COND], (int64_t)d->limit, d->f[F_FEE], d->f[F_PLACE],
			    d->f[F_HOW], d->f[F_HOURS], d->f[F_PHONE], d->f[F_DEPT], now, now,
			    by->user_id, signer(by));
		if (rc)
			return rc;
		*id = db_last_id(db);
		*changed = 1;
	} else if (!fields_same(db, *id, d)) {
		rc = db_run(db, "UPDATE service_items SET code = ?, name = ?, legal_basis = ?, "
			    "conditions = ?, time_limit_days = ?, fee = ?, place = ?, how = ?, hours = ?, "
			    "phone = ?, department = ?, updated_at = ?, updated_by = ?, updated_name = ? "
			    "WHERE id = ?", "ssssissssssiisi", d->f[F_CODE], d->f[F_NAME], d->f[F_LEGAL],
			    d->f[F_COND], (int64_t)d->limit, d->f[F_FEE], d->f[F_PLACE], d->f[F_HOW],
			    d->f[F_HOURS], d->f[F_PHONE], d->f[F_DEPT], now, by->user_id, signer(by), *id);
		if (rc)
			return rc;
		*changed = 1;
	}
	if (materials_same(db, *id, d))
		return 0;
	rc = db_run(db, "DELETE FROM service_materials WHERE item_id = ?", "i", *id);
	for (int i = 0; !rc && i < d->n_mat; i++)
		rc = db_run(db, "INSERT INTO service_materials (item_id, name, essential, note, position) "
			    "VALUES (?, ?, ?, ?, ?)", "isisi", *id, d->mat[i].name,
			    (int64_t)d->mat[i].essential, d->mat[i].note, (int64_t)(i + 1));
	if (!rc && !*changed)
		rc = db_run(db, "UPDATE service_items SET updated_at = ?, updated_by = ?, "
			    "updated_name = ? WHERE id = ?", "iisi", now, by->user_id, signer(by), *id);
	*changed = 1;
	return rc;
}

/* Sets is_bundle from the members each item has; then refuses a bundle inside a bundle:
 * VE_INVALID with the codes of the inner bundle and of the one it was put in. */
static int bundles_settle(struct db *db, char inner[32], char outer[32])
{
	int rc = db_run(db, "UPDATE service_items SET is_bundle = CASE WHEN EXISTS (SELECT 1 FROM "
			"service_bundle_items b WHERE b.bundle_id = service_items.id) THEN 1 ELSE 0 END "
			"WHERE is_bundle <> CASE WHEN EXISTS (SELECT 1 FROM service_bundle_items b WHERE "
			"b.bundle_id = service_items.id) THEN 1 ELSE 0 END", "");
	if (rc)
		return VE_DB;
	struct db_stmt *st = db_q(db, "SELECT i.code, b.code FROM service_bundle_items x JOIN "
				  "service_bundle_items y ON y.item_id = x.bundle_id JOIN service_items "
				  "i ON i.id = x.bundle_id JOIN service_items b ON b.id = y.bundle_id "
				  "ORDER BY i.code, b.code", "");
	if (!st)
		return VE_DB;
	rc = db_step(st);
	if (rc == DB_ROW) {
		str_copy(inner, db_text(st, 0), 32);
		str_copy(outer, db_text(st, 1), 32);
	}
	db_done(st);
	return rc == DB_ROW ? VE_INVALID : rc == DB_DONE ? 0 : VE_DB;
}

/* ---- reading ---- */

static const char *text_or(struct db_stmt *st, int col)
{
	const char *t = db_text(st, col);
	return t ? t : "";
}

int service_list(struct db *db, const char *q, int bundles_only, json_t **out)
{
	char term[200];
	str_copy(term, q ? q : "", sizeof(term));
	str_tidy(term, STR_TIDY_COLLAPSE);
	struct db_stmt *st = db_q(
		db,
		"SELECT i.id, i.code, i.name, i.time_limit_days, i.is_bundle, (SELECT count(*) FROM "
		"service_materials m WHERE m.item_id = i.id), (SELECT count(*) FROM service_materials "
		"m WHERE m.item_id = i.id AND m.essential = 0), (SELECT group_concat(b.name, '、') FROM "
		"service_bundle_items x JOIN service_items b ON b.id = x.bundle_id WHERE x.item_id = "
		"i.id) FROM service_items i WHERE (? = '' OR instr(i.code, ?) > 0 OR instr(i.name, ?) > "
		"0) AND (? = 0 OR i.is_bundle <> 0) ORDER BY i.code, i.id",
		"sssi", term, term, term, (int64_t)(bundles_only != 0));
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	int rc, rongque = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		int opt = (int)db_int(st, 6);
		rongque += opt > 0;
		json_array_append_new(
			items, json_pack("{s:I,s:s,s:s,s:i,s:b,s:i,s:i,s:b,s:s}", "id",
					 (json_int_t)db_int(st, 0), "code", text_or(st, 1), "name",
					 text_or(st, 2), "time_limit_days", (int)db_int(st, 3),
					 "is_bundle", db_int(st, 4) != 0, "materials", (int)db_int(st, 5),
					 "optional", opt, "rongque", opt > 0, "bundles", text_or(st, 7)));
	}
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(items);
		return VE_DB;
	}
	*out = json_pack("{s:I,s:i,s:o}", "total", (json_int_t)json_array_size(items), "rongque",
			 rongque, "items", items);
	return 0;
}

/* The materials of item id as [{"name","essential","note","position"}]; *optional counts the
 * 可容缺 ones and names (may be NULL) receives their names. */
static json_t *materials_json(struct db *db, int64_t id, int *optional, json_t *names)
{
	json_t *a = json_array();
	*optional = 0;
	struct db_stmt *st = db_q(db, "SELECT name, essential, note FROM service_materials WHERE "
				  "item_id = ? ORDER BY position, id", "i", id);
	int pos = 0;
	while (st && db_step(st) == DB_ROW) {
		int ess = db_int(st, 1) != 0;
		if (!ess) {
			(*optional)++;
			if (names)
				json_array_append_new(names, json_string(text_or(st, 0)));
		}
		json_array_append_new(a, json_pack("{s:s,s:b,s:s,s:i}", "name", text_or(st, 0),
						   "essential", ess, "note", text_or(st, 2),
						   "position", ++pos));
	}
	db_done(st);
	return a;
}

static json_t *links_json(struct db *db, int64_t id, int members)
{
	json_t *a = json_array();
	struct db_stmt *st =
		members ? db_q(db, "SELECT i.id, i.code, i.name, i.time_limit_days FROM "
			       "service_bundle_items x JOIN service_items i ON i.id = x.item_id WHERE "
			       "x.bundle_id = ? ORDER BY x.position, i.code", "i", id)
			: db_q(db, "SELECT i.id, i.code, i.name, i.time_limit_days FROM "
			       "service_bundle_items x JOIN service_items i ON i.id = x.bundle_id WHERE "
			       "x.item_id = ? ORDER BY i.code", "i", id);
	while (st && db_step(st) == DB_ROW)
		json_array_append_new(a, json_pack("{s:I,s:s,s:s,s:i}", "id",
						   (json_int_t)db_int(st, 0), "code", text_or(st, 1),
						   "name", text_or(st, 2), "time_limit_days",
						   (int)db_int(st, 3)));
	db_done(st);
	if (!members)
		return a;
	size_t i;
	json_t *m;
	json_array_foreach(a, i, m)
	{
		int opt;
		json_t *mats = materials_json(db, json_integer_value(json_object_get(m, "id")), &opt,
					      NULL);
		json_object_set_new(m, "materials", mats);
		json_object_set_new(m, "rongque", json_boolean(opt > 0));
	}
	return a;
}

static int64_t id_of_key(struct db *db, const char *key)
{
	int64_t id = id_of_code(db, key), n;
	if (id == 0 && str_to_i64(key, strlen(key), 1, INT64_MAX, &n) == 0 &&
	    db_int_query(db, &id, 0, "SELECT id FROM service_items WHERE id = ?", "i", n))
		return -1;
	return id;
}

int service_get(struct db *db, const char *key, json_t **out)
{
	int64_t id = id_of_key(db, key ? key : "");
	if (id < 0)
		return VE_DB;
	if (id == 0)
		return VE_NOTFOUND;
	struct db_stmt *st = db_q(db, "SELECT code, name, legal_basis, conditions, time_limit_days, "
				  "fee, place, how, hours, phone, department, is_bundle, updated_at, "
				  "updated_name FROM service_items WHERE id = ?", "i", id);
	if (!st)
		return VE_DB;
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return VE_DB;
	}
	json_t *o = json_pack("{s:I}", "id", (json_int_t)id);
	for (int i = 0; i < N_FIELDS; i++)
		json_object_set_new(o, fields[i].column,
				    i == F_LIMIT ? json_integer(db_int(st, i))
						 : json_string(text_or(st, i)));
	json_object_set_new(o, "is_bundle", json_boolean(db_int(st, 11) != 0));
	char at[17];
	clock_local_minute(db_int(st, 12), at);
	json_object_set_new(o, "updated_at", json_string(at));
	json_object_set_new(o, "updated_name", json_string(text_or(st, 13)));
	db_done(st);
	int opt;
	json_t *names = json_array();
	json_object_set_new(o, "materials", materials_json(db, id, &opt, names));
	json_object_set_new(o, "optional", names);
	json_object_set_new(o, "rongque", json_boolean(opt > 0));
	json_object_set_new(o, "bundles", links_json(db, id, 0));
	json_object_set_new(o, "members", links_json(db, id, 1));
	*out = o;
	return 0;
}

/* ---- the form ---- */

/* Reads a textarea of materials into d, one per line, "名称" or "名称｜说明". */
static void parse_materials(struct item_data *d, const char *text, int essential,
			    const char *field, struct field_errors *fe)
{
	char *copy = xstrdup(text ? text : ""), *save = NULL;
	for (char *line = strtok_r(copy, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		char *t = xstrdup(line);
		if (str_tidy(t, STR_TIDY_COLLAPSE) == 0) {
			free(t);
			continue;
		}
		char *note = strstr(t, "｜"), *bar = strchr(t, '|');
		const char *n = "";
		if (note) {
			*note = '\0';
			n = note + strlen("｜");
		} else if (bar) {
			*bar = '\0';
			n = bar + 1;
		}
		add_material(d, t, n, essential, field, fe);
		free(t);
	}
	free(copy);
}

/* The codes of members text (separated by white space, commas, 、 or semicolons), as a
 * JSON array of distinct strings. */
static json_t *split_codes(const char *text)
{
	json_t *a = json_array();
	char *copy = xstrdup(text ? text : "");
	static const char *const seps[] = {"，", "、", "；", "　"};
	for (size_t i = 0; i < sizeof(seps) / sizeof(seps[0]); i++)
		for (char *p; (p = strstr(copy, seps[i]));)
			memset(p, ' ', strlen(seps[i]));
	char *save = NULL;
	for (char *c = strtok_r(copy, " \t\r\n,;", &save); c; c = strtok_r(NULL, " \t\r\n,;", &save)) {
		size_t i;
		json_t *v;
		int dup = 0;
		json_array_foreach(a, i, v) dup |= strcmp(json_string_value(v), c) == 0;
		if (!dup)
			json_array_append_new(a, json_string(c));
	}
	free(copy);
	return a;
}

/* Checks the members of bundle id (0: new) and, when ids is not NULL, their ids in order. */
static void check_members(struct db *db, int64_t id, json_t *codes, int64_t *ids,
			  struct field_errors *fe)
{
	const char *F = "包含事项";
	if (json_array_size(codes) > SERVICE_MAX_MEMBERS)
		field_errors_add(fe, F, "一件事最多包含 %d 个事项", SERVICE_MAX_MEMBERS);
	size_t i;
	json_t *v;
	json_array_foreach(codes, i, v)
	{
		if (i >= SERVICE_MAX_MEMBERS)
			break;
		const char *c = json_string_value(v);
		int64_t m = code_valid(c) ? id_of_code(db, c) : 0, members = 0;
		if (m <= 0) {
			field_errors_add(fe, F, "没有编码为 %.40s 的事项", c);
			continue;
		}
		if (m == id) {
			field_errors_add(fe, F, "一件事不能包含它自己");
			continue;
		}
		db_int_query(db, &members, 0, "SELECT count(*) FROM service_bundle_items WHERE "
			     "bundle_id = ?", "i", m);
		if (members)
			field_errors_add(fe, F, "%.40s 本身是一件事，不能再归入一件事", c);
		ids[i] = m;
	}
	int64_t owners = 0;
	if (id && json_array_size(codes))
		db_int_query(db, &owners, 0, "SELECT count(*) FROM service_bundle_items WHERE "
			     "item_id = ?", "i", id);
	if (owners)
		field_errors_add(fe, F, "本事项已归入其他一件事，不能再包含事项");
}

static int members_same(struct db *db, int64_t id, const int64_t *ids, size_t n)
{
	struct db_stmt *st = db_q(db, "SELECT item_id FROM service_bundle_items WHERE bundle_id = ? "
				  "ORDER BY position, item_id", "i", id);
	size_t i = 0;
	int same = st != NULL;
	while (same && db_step(st) == DB_ROW)
		same = i < n && db_int(st, 0) == ids[i++];
	db_done(st);
	return same && i == n;
}

static int save_in_tx(struct db *db, const struct principal *by, int64_t id, struct item_data *d,
		      json_t *codes, struct field_errors *fe, int64_t *out_id)
{
	if (id && db_int_query(db, out_id, 0, "SELECT id FROM service_items WHERE id = ?", "i", id))
		return VE_DB;
	if (id && !*out_id)
		return VE_NOTFOUND;
	int64_t other = code_valid(d->f[F_CODE]) ? id_of_code(db, d->f[F_CODE]) : 0;
	if (other < 0)
		return VE_DB;
	int64_t ids[SERVICE_MAX_MEMBERS] = {0};
	check_members(db, id, codes, ids, fe);
	if (other && other != id) {
		field_errors_add(fe, fields[F_CODE].label, "编码 %s 已被其他事项使用", d->f[F_CODE]);
		return fe->n == 1 ? VE_EXISTS : VE_INVALID;
	}
	if (fe->n)
		return VE_INVALID;
	int changed = 0;
	*out_id = id;
	int rc = write_item(db, by, out_id, d, &changed);
	size_t n = json_array_size(codes);
	if (!rc && !members_same(db, *out_id, ids, n)) {
		changed = 1;
		rc = db_run(db, "DELETE FROM service_bundle_items WHERE bundle_id = ?", "i", *out_id);
		for (size_t i = 0; !rc && i < n; i++)
			rc = db_run(db, "INSERT INTO service_bundle_items (bundle_id, item_id, position) "
				    "VALUES (?, ?, ?)", "iii", *out_id, ids[i], (int64_t)(i + 1));
	}
	char inner[32] = "", outer[32] = "";
	if (!rc && changed)
		rc = bundles_settle(db, inner, outer);
	if (rc == VE_INVALID)
		field_errors_add(fe, "包含事项", "%s 本身是一件事，不能再归入一件事 %s", inner, outer);
	if (rc || !changed)
		return rc;
	char detail[256];
	snprintf(detail, sizeof(detail), "%s %s，承诺时限 %d 个工作日，材料 %d 项", d->f[F_CODE],
		 d->f[F_NAME], d->limit, d->n_mat);
	return account_audit(db, by, id ? "service.update" : "service.create", "service", *out_id,
			     detail);
}

int service_save(struct db *db, const struct principal *by, int64_t id,
		 const struct service_input *in, struct field_errors *fe, int64_t *out_id)
{
	const char *const texts[N_FIELDS] = {in->code,	   in->name,  in->legal_basis, in->conditions,
					     in->time_limit_days, in->fee,  in->place,       in->how,
					     in->hours,	   in->phone, in->department};
	struct item_data d = {0};
	for (int i = 0; i < N_FIELDS; i++)
		d.f[i] = tidy_dup(texts[i], fields[i].lines);
	check_fields(&d, fe);
	parse_materials(&d, in->essential, 1, "必要材料", fe);
	parse_materials(&d, in->optional, 0, "可容缺材料", fe);
	json_t *codes = split_codes(in->members);
	int rc = fe->n ? VE_INVALID : 0;
	if (!rc && db_tx_begin(db, 0))
		rc = VE_DB;
	else if (!rc)
		rc = db_tx_end(db, 0, save_in_tx(db, by, id, &d, codes, fe, out_id));
	json_decref(codes);
	item_data_free(&d);
	return rc;
}

/* ---- the import ---- */

enum {
	C_CODE, C_NAME, C_LIMIT, C_LEGAL, C_MAT, C_ESS, C_COND, C_FEE, C_PLACE, C_HOW, C_HOURS,
	C_PHONE, C_DEPT, C_NOTE, C_BUNDLE, N_COLS
};
static const char *const col_names[N_COLS] = {
	"事项编码", "事项名称", "承诺时限", "法定依据", "材料名称", "材料必要", "受理条件", "收费标准",
	"办理地点", "办理方式", "办理时间", "咨询电话", "实施主体", "材料说明", "所属一件事"};
/* The item field of a column, or -1 for a material's. */
static const int col_field[N_COLS] = {F_CODE, F_NAME,  F_LIMIT, F_LEGAL, -1,     -1, F_COND, F_FEE,
				      F_PLACE, F_HOW, F_HOURS, F_PHONE, F_DEPT, -1, -1};
#define IMPORT_ROWS_MAX 20000
#define IMPORT_ITEMS_MAX 2000

struct imp_item {
	struct item_data d;
	long row[N_FIELDS]; /* the row a field's value came from (0: none yet) */
	long first_row;
	int rows, empty_row;
	json_t *bundles; /* codes */
};

struct imp {
	struct imp_item *items;
	int n, cap;
	char *err;
	size_t errlen;
};

static int row_error(struct imp *x, long row, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int row_error(struct imp *x, long row, const char *field, const char *fmt, ...)
{
	char why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return err_set(x->err, x->errlen, VE_INVALID, "第 %ld 行 %s：%s，未导入任何数据", row, field,
		       why);
}

/* A new item of the file, with code. */
static struct imp_item *imp_add(struct imp *x, const char *code)
{
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 32;
		x->items = xrealloc(x->items, (size_t)x->cap * sizeof(*x->items));
	}
	struct imp_item *it = &x->items[x->n++];
	memset(it, 0, sizeof(*it));
	for (int i = 0; i < N_FIELDS; i++)
		it->d.f[i] = xstrdup("");
	free(it->d.f[F_CODE]);
	it->d.f[F_CODE] = xstrdup(code);
	it->bundles = json_array();
	return it;
}

static void imp_free(struct imp *x)
{
	for (int i = 0; i < x->n; i++) {
		item_data_free(&x->items[i].d);
		json_decref(x->items[i].bundles);
	}
	free(x->items);
}

static const char *cell_of(const struct sheet_row *r, const int *col, int k)
{
	return col[k] < 0 ? "" : sheet_cell(r, col[k]);
}

static int imp_row(struct imp *x, const struct sheet_row *r, const int *col)
{
	int empty = 1;
	for (size_t i = 0; i < r->n && empty; i++)
		empty = r->cells[i][0] == '\0';
	if (empty)
		return 0;
	char *code = tidy_dup(cell_of(r, col, C_CODE), 0);
	if (!code[0] || !code_valid(code)) {
		free(code);
		return row_error(x, r->number, "事项编码",
				 "应为 1 至 %d 个字母、数字或 - _ .", SERVICE_CODE_MAX);
	}
	struct imp_item *it = NULL;
	for (int i = 0; i < x->n && !it; i++)
		if (strcmp(x->items[i].d.f[F_CODE], code) == 0)
			it = &x->items[i];
	if (!it && x->n >= IMPORT_ITEMS_MAX) {
		free(code);
		return row_error(x, r->number, "事项编码", "一个文件最多 %d 个事项", IMPORT_ITEMS_MAX);
	}
	if (!it) {
		it = imp_add(x, code);
		it->first_row = r->number;
	}
	free(code);
	for (int k = 0; k < N_COLS; k++) {
		int f = col_field[k];
		if (f < 0 || f == F_CODE || col[k] < 0)
			continue;
		char *v = tidy_dup(cell_of(r, col, k), fields[f].lines);
		if (v[0] && it->row[f] && strcmp(v, it->d.f[f]) != 0) {
			free(v);
			return row_error(x, r->number, col_names[k], "与第 %ld 行同一事项的%s不一致",
					 it->row[f], col_names[k]);
		}
		if (v[0] && !it->row[f]) {
			free(it->d.f[f]);
			it->d.f[f] = v;
			it->row[f] = r->number;
		} else {
			free(v);
		}
	}
	json_t *codes = split_codes(cell_of(r, col, C_BUNDLE));
	size_t i;
	json_t *c;
	json_array_foreach(codes, i, c)
	{
		if (!code_valid(json_string_value(c))) {
			json_decref(codes);
			return row_error(x, r->number, "所属一件事", "应为一件事的事项编码，多个用、分隔");
		}
		int dup = 0;
		size_t j;
		json_t *o;
		json_array_foreach(it->bundles, j, o) dup |= json_equal(o, c);
		if (!dup)
			json_array_append(it->bundles, c);
	}
	json_decref(codes);
	char *name = tidy_dup(cell_of(r, col, C_MAT), 0);
	const char *ess = cell_of(r, col, C_ESS);
	int rows = it->rows++;
	if (!name[0] || it->empty_row) {
		free(name);
		if (rows || it->empty_row)
			return row_error(x, r->number, "材料名称",
					 "有多行的事项每行都应填写材料名称（只有不需要材料的事项可留空，且只占一行）");
		it->empty_row = 1;
		return 0;
	}
	char *e = tidy_dup(ess, 0);
	int essential = strcmp(e, "是") == 0 ? 1 : strcmp(e, "否") == 0 ? 0 : -1;
	free(e);
	if (essential < 0) {
		free(name);
		return row_error(x, r->number, "材料必要", "应填 是（必要）或 否（可容缺）");
	}
	struct field_errors fe = {0};
	if (add_material(&it->d, name, cell_of(r, col, C_NOTE), essential, "材料名称", &fe)) {
		free(name);
		return row_error(x, r->number, fe.items[0].field, "%s", fe.items[0].message);
	}
	free(name);
	return 0;
}

/* Reads the file into x: 0, or VE_INVALID / VE_LIMIT with err. */
static int imp_read(struct imp *x, const char *path)
{
	struct sheet_reader *in = sheet_open(path, x->err, x->errlen);
	if (!in)
		return VE_INVALID;
	struct sheet_row row;
	int rc = sheet_next(in, &row, x->err, x->errlen);
	int col[N_COLS];
	char why[200];
	if (rc == 0)
		rc = err_set(x->err, x->errlen, VE_INVALID, "文件是空的：第 1 行应为表头");
	else if (rc < 0)
		rc = -rc;
	else if (sheet_columns(&row, col_names, N_COLS, (1u << 6) - 1, 0, col, why, sizeof(why)))
		rc = err_set(x->err, x->errlen, VE_INVALID, "第 %ld 行 表头：%s，未导入任何数据",
			     row.number, why);
	else
		rc = 0;
	long rows = 0;
	while (rc == 0) {
		int got = sheet_next(in, &row, x->err, x->errlen);
		if (got <= 0) {
			rc = -got;
			break;
		}
		if (++rows > IMPORT_ROWS_MAX)
			rc = err_set(x->err, x->errlen, VE_LIMIT, "一个文件最多 %d 行", IMPORT_ROWS_MAX);
		else
			rc = imp_row(x, &row, col);
	}
	sheet_close(in);
	if (rc == 0 && x->n == 0)
		rc = err_set(x->err, x->errlen, VE_INVALID, "文件中没有事项");
	for (int i = 0; rc == 0 && i < x->n; i++) {
		struct imp_item *it = &x->items[i];
		struct field_errors fe = {0};
		check_fields(&it->d, &fe);
		if (fe.n) {
			int f = 0;
			while (f < N_FIELDS && strcmp(fields[f].label, fe.items[0].field) != 0)
				f++;
			rc = row_error(x, f < N_FIELDS && it->row[f] ? it->row[f] : it->first_row,
				       fe.items[0].field, "%s（事项 %s）", fe.items[0].message,
				       it->d.f[F_CODE]);
		}
	}
	return rc;
}

/* The item's bundles as stored and as the file has them: 1 when the same. */
static int owners_same(struct db *db, int64_t id, const int64_t *bundle_ids, size_t n, long pos)
{
	struct db_stmt *st = db_q(db, "SELECT bundle_id, position FROM service_bundle_items WHERE "
				  "item_id = ?", "i", id);
	size_t seen = 0;
	int same = st != NULL;
	while (same && db_step(st) == DB_ROW) {
		int found = 0;
		for (size_t i = 0; i < n; i++)
			found |= bundle_ids[i] == db_int(st, 0);
		same = found && db_int(st, 1) == pos;
		seen++;
	}
	db_done(st);
	return same && seen == n;
}

/* Writes the items of x; r counts them. In the caller's transaction. */
static int imp_write(struct db *db, const struct principal *by, struct imp *x,
		     struct service_import_result *r)
{
	int64_t *ids = xcalloc((size_t)x->n, sizeof(*ids));
	int *changed = xcalloc((size_t)x->n, sizeof(*changed));
	int rc = 0;
	for (int i = 0; !rc && i < x->n; i++) {
		ids[i] = id_of_code(db, x->items[i].d.f[F_CODE]);
		if (ids[i] < 0)
			rc = VE_DB;
		else if (!ids[i])
			r->added++;
		if (!rc)
			rc = write_item(db, by, &ids[i], &x->items[i].d, &changed[i]);
	}
	for (int i = 0; !rc && i < x->n; i++) {
		struct imp_item *it = &x->items[i];
		size_t n = json_array_size(it->bundles);
		int64_t bids[SERVICE_MAX_MEMBERS];
		if (n > SERVICE_MAX_MEMBERS)
			n = SERVICE_MAX_MEMBERS;
		for (size_t k = 0; !rc && k < n; k++) {
			const char *c = json_string_value(json_array_get(it->bundles, k));
			bids[k] = id_of_code(db, c);
			if (bids[k] < 0)
				rc = VE_DB;
			else if (!bids[k] || bids[k] == ids[i])
				rc = row_error(x, it->first_row, "所属一件事", bids[k] ? "事项 %s 不能归入它自己"
						       : "没有编码为 %s 的事项（一件事应在文件中或已在目录中）",
					       bids[k] ? it->d.f[F_CODE] : c);
		}
		if (rc || owners_same(db, ids[i], bids, n, it->first_row))
			continue;
		changed[i] = 1;
		rc = db_run(db, "DELETE FROM service_bundle_items WHERE item_id = ?", "i", ids[i]);
		for (size_t k = 0; !rc && k < n; k++)
			rc = db_run(db, "INSERT INTO service_bundle_items (bundle_id, item_id, position) "
				    "VALUES (?, ?, ?)", "iii", bids[k], ids[i], (int64_t)it->first_row);
	}
	char inner[32] = "", outer[32] = "";
	if (!rc && (rc = bundles_settle(db, inner, outer)) == VE_INVALID) {
		long row = 0;
		for (int i = 0; i < x->n && !row; i++)
			if (strcmp(x->items[i].d.f[F_CODE], inner) == 0 ||
			    (json_array_size(x->items[i].bundles) &&
			     strcmp(x->items[i].d.f[F_CODE], outer) == 0))
				row = x->items[i].first_row;
		for (int i = 0; i < x->n && !row; i++) {
			size_t k;
			json_t *b;
			json_array_foreach(x->items[i].bundles, k, b)
				if (!row && strcmp(json_string_value(b), inner) == 0)
					row = x->items[i].first_row;
		}
		rc = row_error(x, row, "所属一件事", "%s 本身是一件事，不能再归入一件事 %s", inner, outer);
	}
	for (int i = 0; !rc && i < x->n; i++)
		r->changed += changed[i];
	r->changed -= r->added;
	r->unchanged = x->n - r->added - r->changed;
	free(ids);
	free(changed);
	return rc;
}

int service_import(struct db *db, const struct principal *by, const char *path,
		   const char *shown_name, struct service_import_result *r, char *err,
		   size_t errlen)
{
	memset(r, 0, sizeof(*r));
	struct imp x = {.err = err, .errlen = errlen};
	int rc = imp_read(&x, path);
	for (int i = 0; i < x.n; i++)
		r->rows += x.items[i].d.n_mat;
	r->items = x.n;
	if (!rc && db_tx_begin(db, 0))
		rc = err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	else if (!rc) {
		rc = imp_write(db, by, &x, r);
		if (!rc) {
			const char *base = strrchr(path, '/');
			char name[128], detail[512];
			str_copy(name, shown_name ? shown_name : base ? base + 1 : path, sizeof(name));
			utf8_scrub(name);
			for (char *p = name; *p; p++)
				if ((unsigned char)*p < 0x20 || *p == 0x7f)
					*p = ' ';
			snprintf(detail, sizeof(detail), "文件 %s：%d 个事项 %d 行材料，新增 %d，修改 %d，未变 %d",
				 name, r->items, r->rows, r->added, r->changed, r->unchanged);
			rc = account_audit(db, by, "service.import", "service", 0, detail);
		}
		rc = db_tx_end(db, 0, rc);
		if (rc == VE_DB && !*err)
			err_set(err, errlen, VE_DB, "保存失败，未导入任何数据");
	}
	imp_free(&x);
	return rc;
}

int service_catalogue_dated(struct db *db, const struct principal *by, const char *day,
			    int *items, char *err, size_t errlen)
{
	int64_t t;
	*items = 0;
	if (!day || strlen(day) != 10 || clock_parse_date(day, &t) != 0 ||
	    strcmp(day, clock_today_text()) > 0)
		return err_set(err, errlen, VE_INVALID, "日期：应为今天或以前的 YYYY-MM-DD");
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	int64_t n = 0;
	int rc = db_int_query(db, &n, 0, "SELECT count(*) FROM service_items WHERE created_at > ?",
			      "i", t);
	if (!rc && n > 0)
		rc = db_run(db, "UPDATE service_items SET created_at = ? WHERE created_at > ?", "ii",
			    t, t);
	if (!rc) {
		char detail[96];
		snprintf(detail, sizeof(detail), "目录中 %lld 个事项的列入日期改为 %s（系统上线前已施行）",
			 (long long)n, day);
		rc = account_audit(db, by, "service.dated", "service", 0, detail);
	}
	rc = db_tx_end(db, 0, rc);
	if (rc)
		return err_set(err, errlen, rc, "保存失败");
	*items = (int)n;
	return 0;
}

/* ---- the printed documents ---- */

static const char *jstr(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

/* The materials of item as a table: 序号, 材料名称, 必要 / 可容缺, 说明. */
static void docx_materials(struct docx *d, const json_t *item)
{
	static const int widths[] = {8, 36, 16, 40};
	static const char *const head[] = {"序号", "材料名称", "必要 / 可容缺", "说明"};
	docx_table_begin(d, 4, widths);
	docx_table_row(d, head, DOCX_BOLD);
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(item, "materials"), i, m)
	{
		char no[24];
		snprintf(no, sizeof(no), "%zu", i + 1);
		const char *row[] = {no, jstr(m, "name"),
				     json_is_true(json_object_get(m, "essential")) ? "必要" : "可容缺",
				     jstr(m, "note")};
		docx_table_row(d, row, 0);
	}
	docx_table_end(d);
}

/* The members of a bundle, one paragraph each with its materials. */
static void docx_members(struct docx *d, const json_t *item)
{
	size_t i, k;
	json_t *m, *mat;
	json_array_foreach(json_object_get(item, "members"), i, m)
	{
		struct buf b;
		buf_init(&b, 16 * 1024);
		buf_printf(&b, "%zu. %s（%s，%lld 个工作日）：", i + 1, jstr(m, "name"), jstr(m, "code"),
			   (long long)json_integer_value(json_object_get(m, "time_limit_days")));
		json_array_foreach(json_object_get(m, "materials"), k, mat)
			buf_printf(&b, "%s%s%s", k ? "；" : "", jstr(mat, "name"),
				   json_is_true(json_object_get(mat, "essential")) ? "" : "（可容缺）");
		docx_paragraph(d, buf_cstr(&b), 0);
		buf_free(&b);
	}
}

static void docx_section(struct docx *d, const char *heading, const char *text)
{
	docx_heading(d, 2, heading);
	docx_paragraph(d, text, 0);
}

static void docx_guide(struct docx *d, const json_t *item)
{
	char line[512];
	docx_title(d, "办事指南");
	docx_paragraph(d, jstr(item, "name"), DOCX_CENTER | DOCX_BOLD);
	snprintf(line, sizeof(line), "事项编码：%s", jstr(item, "code"));
	docx_paragraph(d, line, DOCX_RIGHT);
	docx_section(d, "一、事项名称", jstr(item, "name"));
	docx_section(d, "二、法定依据", jstr(item, "legal_basis"));
	docx_section(d, "三、受理条件", jstr(item, "conditions"));
	docx_heading(d, 2, "四、申请材料");
	int bundle = json_is_true(json_object_get(item, "is_bundle"));
	if (json_array_size(json_object_get(item, "materials")))
		docx_materials(d, item);
	else
		docx_paragraph(d, bundle ? "见以下各事项。" : "无需提交材料。", 0);
	if (bundle) {
		docx_paragraph(d, "本“一件事”包含以下事项，一次提交材料、同时办理：", 0);
		docx_members(d, item);
	}
	docx_section(d, "五、容缺受理",
		     json_is_true(json_object_get(item, "rongque"))
			     ? "标“可容缺”的材料未带齐时，申请人书面承诺后可先行受理，在承诺期限内补齐。"
			     : "本事项材料均为必要材料，不适用容缺受理。");
	snprintf(line, sizeof(line), "%lld 个工作日（自受理之日起计算，补正材料期间不计入）",
		 (long long)json_integer_value(json_object_get(item, "time_limit_days")));
	docx_section(d, "六、承诺时限", line);
	docx_section(d, "七、收费标准", jstr(item, "fee"));
	docx_heading(d, 2, "八、办理机构、地点和时间");
	const char *const facts[][2] = {{"实施主体", "department"}, {"办理地点", "place"},
					{"办理时间", "hours"}, {"办理方式", "how"}};
	for (size_t i = 0; i < 4; i++) {
		struct buf b;
		buf_init(&b, 4096);
		buf_printf(&b, "%s：%s", facts[i][0], jstr(item, facts[i][1]));
		docx_paragraph(d, buf_cstr(&b), 0);
		buf_free(&b);
	}
	docx_section(d, "九、咨询电话", jstr(item, "phone"));
}

static void docx_notice(struct docx *d, const json_t *item)
{
	struct buf b;
	buf_init(&b, 64 * 1024);
	docx_title(d, "一次性告知书");
	buf_printf(&b, "事项编码：%s", jstr(item, "code"));
	docx_paragraph(d, buf_cstr(&b), DOCX_RIGHT);
	docx_paragraph(d, "申请人＿＿＿＿＿＿＿＿：", 0);
	buf_reset(&b);
	buf_printf(&b, "您申请办理的“%s”，需要提交以下材料。我们一次性告知如下：", jstr(item, "name"));
	docx_paragraph(d, buf_cstr(&b), DOCX_INDENT);
	if (json_array_size(json_object_get(item, "materials")))
		docx_materials(d, item);
	if (json_is_true(json_object_get(item, "is_bundle")))
		docx_members(d, item);
	if (json_is_true(json_object_get(item, "rongque"))) {
		buf_reset(&b);
		buf_puts(&b, "其中");
		size_t i;
		json_t *n;
		json_array_foreach(json_object_get(item, "optional"), i, n)
			buf_printf(&b, "%s“%s”", i ? "、" : "", json_string_value(n));
		buf_puts(&b, "为可容缺材料：如暂时无法提供，经您书面承诺后可先行受理（容缺受理），请在我们告知的补交期限内补齐；逾期未补齐的，申请终止办理。");
		docx_paragraph(d, buf_cstr(&b), DOCX_INDENT);
	}
	buf_reset(&b);
	buf_printf(&b, "材料齐全、符合法定形式的，我们当场受理，自受理之日起 %lld 个工作日内办结（补正材料期间不计入）。",
		   (long long)json_integer_value(json_object_get(item, "time_limit_days")));
	docx_paragraph(d, buf_cstr(&b), DOCX_INDENT);
	buf_reset(&b);
	buf_printf(&b, "办理地点：%s；办理时间：%s；咨询电话：%s。%s。", jstr(item, "place"),
		   jstr(item, "hours"), jstr(item, "phone"), jstr(item, "fee"));
	docx_paragraph(d, buf_cstr(&b), DOCX_INDENT);
	buf_reset(&b);
	buf_printf(&b, "依据：%s", jstr(item, "legal_basis"));
	docx_paragraph(d, buf_cstr(&b), DOCX_INDENT);
	docx_paragraph(d, "", 0);
	docx_paragraph(d, "经办人：＿＿＿＿＿＿＿＿　　（盖章）", DOCX_RIGHT);
	docx_paragraph(d, "日期：＿＿＿＿年＿＿月＿＿日", DOCX_RIGHT);
	docx_paragraph(d, "", 0);
	docx_paragraph(d, "申请人签收：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日", 0);
	buf_free(&b);
}

int service_docx(const json_t *item, enum service_doc doc, const char *path, char *err,
		 size_t errlen)
{
	struct docx *d = docx_new(NULL);
	if (doc == SERVICE_GUIDE)
		docx_guide(d, item);
	else
		docx_notice(d, item);
	int rc = docx_save(d, path, err, errlen);
	docx_free(d);
	return rc;
}

void service_docx_name(const json_t *item, enum service_doc doc, char *out, size_t size)
{
	snprintf(out, size, "%s-%s.docx", doc == SERVICE_GUIDE ? "办事指南" : "一次性告知书",
		 jstr(item, "code"));
}

/* ---- permissions and the area ---- */

const struct perm perm_service_read = {"service.read", "查看服务事项目录", ROLE_BUSINESS};
const struct perm perm_service_manage = {"service.manage", "维护服务事项目录（新建、修改、导入）",
					 ROLE_BIT(CLERK)};
static const struct perm *const perms[] = {PERM_SERVICE_READ, PERM_SERVICE_MANAGE, NULL};
static const struct audit_title audit_titles[] = {
	{"service.create", "新建服务事项"},
	{"service.update", "修改服务事项"},
	{"service.import", "导入服务事项目录"},
	{"service.dated", "确认服务事项目录的施行日期"},
	{NULL, NULL},
};
const struct area service_area = {.name = "service", .perms = perms, .audit_titles = audit_titles};
