/* service.c - the service catalogue: items, their materials, bundles (一件事); reading,
 * the form's save, the sheet import and the printed documents. */
#include "service.h"
#include <stdio.h>
#include <string.h>
#include "lib/err.h"
#include "lib/str.h"

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

/* ---- permissions and the area ---- */

const struct perm perm_service_read = {"service.read", "查看服务事项目录", ROLE_BUSINESS};
const struct perm perm_service_manage = {"service.manage", "维护服务事项目录（新建、修改、导入）",
					 ROLE_BIT(CLERK)};
static const struct perm *const perms[] = {PERM_SERVICE_READ, PERM_SERVICE_MANAGE, NULL};
static const struct audit_title audit_titles[] = {
	{"service.create", "新建服务事项"},
	{"service.update", "修改服务事项"},
	{"service.import", "导入服务事项目录"},
	{NULL, NULL},
};
const struct area service_area = {.name = "service", .perms = perms, .audit_titles = audit_titles};
