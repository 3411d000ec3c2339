/* service.h - the service catalogue (事项) of the counter (退役军人服务一件事).
 *
 * An item has a code (事项编码, unique), a name, its legal basis, the conditions of
 * acceptance, a promised time limit in working days (1-365; the due date of an application
 * is calendar_due of its acceptance day and this limit), the fee, where, when and how it is
 * handled, the office answering for it and its materials in order, each essential (必要) or
 * one the applicant may hand in later under 容缺受理 (可容缺). A bundle (一件事) is an item
 * whose members are other items, in order (a bundle is never a member). An item allows
 * 容缺受理 when at least one of its materials is 可容缺.
 *
 * The catalogue is the district's reference data (no region_code, no scope): every business
 * role reads it (service.read); clerks keep it (service.manage), by form or by importing a
 * sheet (vets service import). Every change is audited. The 办事指南 and the 一次性告知书 print
 * from it, as pages and as .docx (service_docx). */
#ifndef VETS_SERVICE_H
#define VETS_SERVICE_H

#include "areas/area.h"
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "areas/account.h"
#include "db/db.h"
#include "lib/field_errors.h"

/* ---- limits ---- */
#define SERVICE_MAX_MATERIALS 64
#define SERVICE_CODE_MAX 30     /* bytes: letters, digits, '-', '_', '.' */
#define SERVICE_NAME_MAX 40     /* characters of an item's or a material's name */
#define SERVICE_TEXT_MAX 1000   /* characters of 法定依据, 受理条件 */
#define SERVICE_SHORT_MAX 200   /* characters of 收费标准, 办理地点, 办理方式, 办理时间, 咨询电话, 实施主体, 材料说明 */
#define SERVICE_MAX_MEMBERS 64  /* items of one bundle */

/* ---- for other areas (applications): one item and its materials ---- */
struct service_material {
	char name[128];
	int essential; /* 1 必要, 0 可容缺 */
};
struct service_item {
	int64_t id;
	char code[32], name[128];
	int time_limit_days;
	size_t n_materials;
	struct service_material materials[SERVICE_MAX_MATERIALS];
};
/* The item with code (or id when code is NULL) into *out: id, code, name, time_limit_days
 * and its materials (name, essential) in order. 0, VE_NOTFOUND when none, VE_DB. */
int service_item_get(struct db *db, const char *code, int64_t id, struct service_item *out);

/* ---- reading (service.read) ---- */

/* The catalogue, by code: q (may be NULL or "") narrows it to the items whose code or name
 * contains it; bundles_only lists the bundles only.
 * {"total","rongque" (items allowing 容缺受理 among those listed),"items":[{"id","code",
 * "name","time_limit_days","is_bundle","materials" (count),"optional" (可容缺 count),
 * "rongque" (bool),"bundles" (names of the bundles it belongs to, "、" between)}]}. */
int service_list(struct db *db, const char *q, int bundles_only, json_t **out);

/* One item by key (its code, or its id written in digits when no item has that code): every
 * field ("id","code","name","legal_basis","conditions","time_limit_days","fee","place","how",
 * "hours","phone","department","is_bundle","rongque","updated_at" (YYYY-MM-DD HH:MM),
 * "updated_name"), "materials":[{"name","essential","note","position"}], "optional":[names
 * of the 可容缺 ones], "bundles":[{"id","code","name"}] (those it belongs to) and, for a
 * bundle, "members":[{"id","code","name","time_limit_days","rongque","materials":[…]}].
 * 0, VE_NOTFOUND, VE_DB. */
int service_get(struct db *db, const char *key, json_t **out);

/* ---- keeping it (service.manage) ---- */

/* An item as typed in the form or sent to the API. Texts are tidied (spaces around go).
 * essential and optional are the materials, one per line, "名称" or "名称｜说明" (also '|');
 * members the codes of a bundle's items, separated by spaces, commas, "、" or lines (empty:
 * not a bundle). */
struct service_input {
	const char *code, *name, *legal_basis, *conditions, *time_limit_days, *fee, *place, *how,
		*hours, *phone, *department, *essential, *optional, *members;
};
/* Creates (id 0) or replaces item id with in: 0 and *out_id; VE_INVALID with fe naming the
 * field (事项编码, 事项名称, 承诺时限, 必要材料, 包含事项, …); VE_EXISTS (the code is another
 * item's: fe on 事项编码); VE_NOTFOUND. One transaction, audited service.create /
 * service.update; nothing written when nothing changed. */
int service_save(struct db *db, const struct principal *by, int64_t id,
		 const struct service_input *in, struct field_errors *fe, int64_t *out_id);

/* What an import did. */
struct service_import_result {
	int rows;      /* material rows read */
	int items;     /* items in the file */
	int added;     /* new items */
	int changed;   /* items whose fields, materials or bundles changed */
	int unchanged; /* items already as the file has them */
};
/* Imports path (.csv, or the first sheet of an .xlsx): one row per material, columns found by
 * their header in any order: 事项编码, 事项名称, 承诺时限, 法定依据, 材料名称, 材料必要 (是/否)
 * required; 受理条件, 收费标准, 办理地点, 办理方式, 办理时间, 咨询电话, 实施主体, 材料说明, 所属一件事
 * optional (another header is refused). The rows of one item repeat its fields (the first
 * non-empty cell of a field counts; two different values are refused). 材料名称 may be empty
 * only on an item's one row (an item without materials, e.g. a bundle). 所属一件事 names the
 * code(s) of the bundle(s) an item belongs to (、 or ; between), items of the file or of the
 * catalogue; the members' order is the file's. An item of the file gets exactly the file's
 * fields, materials and bundles; items not in the file stay as they are. The whole file is one
 * transaction: a bad row is VE_INVALID with "第 N 行 字段：原因" in err and nothing saved.
 * Audited service.import (the file's name — shown_name, the name it was uploaded as, or
 * path's last part when NULL — and the counts). Importing the same file twice changes
 * nothing. */
int service_import(struct db *db, const struct principal *by, const char *path,
		   const char *shown_name, struct service_import_result *r, char *err,
		   size_t errlen);
/* A catalogue in force before it was typed into the system: every item listed after day
 * ('YYYY-MM-DD', not after today) is dated as listed on day, at 00:00 Asia/Shanghai; items
 * listed earlier keep their date. *items gets how many moved. One transaction, audited
 * service.dated (the day and the count). VE_INVALID for a bad day. */
int service_catalogue_dated(struct db *db, const struct principal *by, const char *day,
			    int *items, char *err, size_t errlen);

/* ---- printing ---- */

/* The two documents an item prints. */
enum service_doc { SERVICE_GUIDE, SERVICE_NOTICE };
/* Writes the .docx of doc for item (as service_get gives it) to path: the 办事指南 (every
 * field and the materials) or the 一次性告知书 (the materials, which may be supplied later under
 * 容缺受理, the time limit, where and when, blanks for the applicant's name and the date).
 * 0, or VE_IO / VE_LIMIT with err filled. */
int service_docx(const json_t *item, enum service_doc doc, const char *path, char *err,
		 size_t errlen);
/* The file name of doc for item, e.g. "办事指南-退役报到.docx". */
void service_docx_name(const json_t *item, enum service_doc doc, char *out, size_t size);

/* ---- permissions and the area ---- */

extern const struct perm perm_service_read, perm_service_manage;
#define PERM_SERVICE_READ (&perm_service_read)
#define PERM_SERVICE_MANAGE (&perm_service_manage)
extern const struct area service_area;

#endif
