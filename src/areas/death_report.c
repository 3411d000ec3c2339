/* death_report.c - a station's report of a death, its certificate, the bureau's check. */
#include "death_report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "areas/audit.h"
#include "areas/entitlement.h"
#include "areas/scope.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/err.h"
#include "lib/field_errors.h"
#include "lib/log.h"
#include "lib/str.h"
#include "lib/utf8.h"

static char files_dir[512] = "vets.db.files";

void death_report_set_files_dir(const char *dir)
{
	str_copy(files_dir, dir, sizeof(files_dir));
}

const char *death_report_file_type(const void *data, size_t len)
{
	const unsigned char *b = data;
	if (len >= 5 && memcmp(b, "%PDF-", 5) == 0)
		return "application/pdf";
	if (len >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
		return "image/jpeg";
	if (len >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	return NULL;
}

/* The path of file id into out[600]. */
static void file_path(const char *id, char out[600])
{
	snprintf(out, 600, "%s/%s", files_dir, id);
}

/* Writes data to a new file named by a fresh random id (into id[33]), 0600, in the files
 * directory (made 0700 if missing). 0, or -1 with nothing left behind. */
static int store_file(const void *data, size_t len, char id[33])
{
	unsigned char raw[16];
	char path[600];
	if (mkdir(files_dir, 0700) != 0 && errno != EEXIST) {
		log_error("files.dir_failed", "dir=%s error=%s", files_dir, strerror(errno));
		return -1;
	}
	crypto_random(raw, sizeof(raw));
	crypto_hex(raw, sizeof(raw), id);
	file_path(id, path);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int ok = fd >= 0 && write(fd, data, len) == (ssize_t)len && fsync(fd) == 0;
	if (fd >= 0 && close(fd) != 0)
		ok = 0;
	if (!ok) {
		log_error("files.write_failed", "dir=%s error=%s", files_dir, strerror(errno));
		unlink(path);
	}
	return ok ? 0 : -1;
}

/* The person's region and name when in by's scope; VE_NOTFOUND otherwise. */
static int person_in_scope(struct db *db, const struct principal *by, int64_t id, char region[16],
			   char status[16])
{
	struct db_stmt *st =
		db_q(db,
		     "SELECT region_code, status FROM persons p WHERE id = ? AND " SCOPE_REGION_SQL(
			     "p.region_code", "p.created_by"),
		     "i" SCOPE_REGION_FMT, id, SCOPE_REGION_ARGS(&by->scope, by->region_code));
	if (!st)
		return VE_DB;
	int found = db_step(st) == DB_ROW;
	if (found) {
		str_copy(region, db_text(st, 0), 16);
		str_copy(status, db_text(st, 1), 16);
	}
	db_done(st);
	return found ? 0 : VE_NOTFOUND;
}

static const char *signer(const struct principal *by)
{
	return by->display_name[0] ? by->display_name : by->username;
}

static int audit(struct db *db, const struct principal *by, const char *action, int64_t id,
		 const char *detail)
{
	return account_audit(db, by, action, "death_report", id, detail);
}

/* Checks a report's fields (not the file) into e. */
static void check_fields(const struct death_report_new *r, const char *status,
			 struct field_errors *e)
{
	int64_t t;
	size_t i = 0;
	if (strcmp(status, "死亡") == 0)
		field_errors_add(e, "人员", "该人员已登记死亡，无需上报");
	if (!r->date || !*r->date)
		field_errors_add(e, "死亡日期", "请填写死亡日期");
	else if (strlen(r->date) != 10 || clock_parse_date(r->date, &t) != 0)
		field_errors_add(e, "死亡日期", "应为 YYYY-MM-DD 格式的有效日期");
	else if (strcmp(r->date, clock_today_text()) > 0)
		field_errors_add(e, "死亡日期", "不能晚于今天");
	while (i < ENTITLEMENT_N_DEATH_CAUSES &&
	       (!r->cause || strcmp(r->cause, entitlement_death_causes[i]) != 0))
		i++;
	if (!r->cause || !*r->cause)
		field_errors_add(e, "死亡原因", "请选择死亡原因");
	else if (i == ENTITLEMENT_N_DEATH_CAUSES)
		field_errors_add(e, "死亡原因", "应为 因病、因战、因公 或 其他");
	const char *note = r->note ? r->note : "";
	if (utf8_count(note, strlen(note)) > 200 || !str_is_printable(note, strlen(note), 1))
		field_errors_add(e, "说明", "应为不超过 200 个字的文字");
}

/* The certificate's type, or an error on 死亡证明. */
static const char *check_file(const struct death_report_new *r, struct field_errors *e)
{
	if (!r->file || r->file_len == 0) {
		field_errors_add(e, "死亡证明", "请上传死亡证明（PDF、JPG 或 PNG 文件）");
		return NULL;
	}
	if (r->file_len > DEATH_REPORT_FILE_MAX) {
		field_errors_add(e, "死亡证明",
				 "文件不能超过 5 MB，请降低扫描分辨率或压缩后重新上传");
		return NULL;
	}
	const char *type = death_report_file_type(r->file, r->file_len);
	if (!type)
		field_errors_add(
			e, "死亡证明",
			"只接受 PDF、JPG 或 PNG 文件：所传文件的内容不是这几种格式（与文件名无关）");
	return type;
}

static int submit(struct db *db, const struct principal *by, const struct death_report_new *r,
		  const char *type, const char *file_id, int64_t *id, struct field_errors *e)
{
	char region[16], status[16], hash[65], name[256];
	unsigned char digest[SM3_LEN];
	int rc = person_in_scope(db, by, r->person_id, region, status);
	if (rc)
		return rc;
	check_fields(r, status, e);
	if (e->n)
		return VE_INVALID;
	crypto_sm3(r->file, r->file_len, digest);
	crypto_hex(digest, sizeof(digest), hash);
	str_copy(name, r->file_name && *r->file_name ? r->file_name : "死亡证明", sizeof(name));
	utf8_scrub(name);
	rc = db_run(
		db,
		"INSERT INTO death_reports (person_id, region_code, death_date, cause, note, "
		"file_id, file_type, file_size, file_sm3, file_name, submitted_at, submitted_by, "
		"submitted_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"issssssissiis", r->person_id, region, r->date, r->cause, r->note ? r->note : "",
		file_id, type, (int64_t)r->file_len, hash, name, clock_now(), by->user_id,
		signer(by));
	if (rc == VE_EXISTS) {
		field_errors_add(e, "人员", "该人员已有一份死亡上报在等待区局核查，请勿重复上报");
		return VE_EXISTS;
	}
	if (rc)
		return rc;
	*id = db_last_id(db);
	char detail[400];
	snprintf(detail, sizeof(detail),
		 "上报 person:%lld %s 死亡（%s），死亡证明 %s %lld 字节 SM3 %.16s…",
		 (long long)r->person_id, r->date, r->cause, type, (long long)r->file_len, hash);
	return audit(db, by, "death_report.submit", *id, detail);
}

int death_report_submit(struct db *db, const struct principal *by, const struct death_report_new *r,
			int64_t *id, struct field_errors *e)
{
	char file_id[33], path[600];
	field_errors_clear(e);
	if (!perm_allows(by->roles, PERM_DEATH_REPORT_SUBMIT))
		return VE_DENIED;
	const char *type = check_file(r, e);
	/* Someone outside the scope: not found, whatever the file, and no file is written
	 * (submit checks the scope again, in the transaction). */
	char region[16], status[16];
	int rc = person_in_scope(db, by, r->person_id, region, status);
	if (rc) {
		field_errors_clear(e);
		return rc;
	}
	if (!type) { /* the other fields are checked too, so that one answer lists them all */
		check_fields(r, status, e);
		return VE_INVALID;
	}
	if (store_file(r->file, r->file_len, file_id) != 0)
		return VE_DB;
	rc = db_tx_begin(db, 0);
	if (rc == 0)
		rc = db_tx_end(db, 0, submit(db, by, r, type, file_id, id, e));
	if (rc) {
		file_path(file_id, path);
		unlink(path);
	}
	return rc;
}

/* ---- reading ---- */

#define REPORT_SELECT                                                                               \
	"SELECT r.id, r.person_id, p.name, p.id_mask, coalesce(s.name, ''), r.death_date, "         \
	"r.cause, r.note, r.status, r.file_type, r.file_size, r.file_name, r.submitted_name, "      \
	"r.submitted_at, coalesce(r.checked_name, ''), coalesce(r.checked_at, 0), "                 \
	"coalesce(r.return_reason, ''), r.submitted_by FROM death_reports r JOIN persons p ON "     \
	"p.id = r.person_id LEFT JOIN regions s ON s.code = p.street_code WHERE " SCOPE_REGION_SQL( \
		"p.region_code", "p.created_by")

static json_t *report_json(struct db_stmt *st)
{
	json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s}", "id",
			      (json_int_t)db_int(st, 0), "person_id", (json_int_t)db_int(st, 1),
			      "name", db_text(st, 2), "id_number", db_text(st, 3), "street",
			      db_text(st, 4), "death_date", db_text(st, 5), "cause", db_text(st, 6),
			      "note", db_text(st, 7), "status", db_text(st, 8), "file_type",
			      db_text(st, 9), "file_size", (json_int_t)db_int(st, 10), "file_name",
			      db_text(st, 11), "submitted_name", db_text(st, 12));
	char when[20];
	clock_local_minute(db_int(st, 13), when);
	json_object_set_new(o, "submitted_at", json_string(when));
	json_object_set_new(o, "checked_name", json_string(db_text(st, 14)));
	if (db_int(st, 15))
		clock_local_minute(db_int(st, 15), when);
	json_object_set_new(o, "checked_at", json_string(db_int(st, 15) ? when : ""));
	json_object_set_new(o, "return_reason", json_string(db_text(st, 16)));
	json_object_set_new(o, "submitted_by", json_integer(db_int(st, 17)));
	json_object_set_new(o, "is_image", json_boolean(strncmp(db_text(st, 9), "image/", 6) == 0));
	return o;
}

int death_report_list(struct db *db, const struct principal *by, const char *status, json_t **out)
{
	const char *s = status ? status : "";
	struct db_stmt *st =
		db_q(db,
		     REPORT_SELECT " AND (? = '' OR r.status = ?) ORDER BY r.status <> "
				   "'待核查', r.id DESC LIMIT 200",
		     SCOPE_REGION_FMT "ss", SCOPE_REGION_ARGS(&by->scope, by->region_code), s, s);
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, report_json(st));
	db_done(st);
	*out = json_pack("{s:I,s:o}", "total", (json_int_t)json_array_size(items), "items", items);
	return 0;
}

int death_report_pending(struct db *db, const struct principal *by, int64_t *n)
{
	return db_int_query(
		db, n, 0,
		"SELECT count(*) FROM death_reports r JOIN persons p ON p.id = r.person_id WHERE r.status = '待核查' AND " SCOPE_REGION_SQL(
			"p.region_code", "p.created_by"),
		SCOPE_REGION_FMT, SCOPE_REGION_ARGS(&by->scope, by->region_code));
}

int death_report_get(struct db *db, const struct principal *by, int64_t id, json_t **out)
{
	struct db_stmt *st = db_q(db, REPORT_SELECT " AND r.id = ?", SCOPE_REGION_FMT "i",
				  SCOPE_REGION_ARGS(&by->scope, by->region_code), id);
	if (!st)
		return VE_DB;
	int found = db_step(st) == DB_ROW;
	if (found)
		*out = report_json(st);
	db_done(st);
	return found ? 0 : VE_NOTFOUND;
}

/* The columns (of death_reports r and persons p) of report id, whose person is in by's
 * scope: a statement, or NULL. */
#define REPORT_IN_SCOPE(db, by, id, columns)                                                       \
	db_q((db),                                                                                 \
	     "SELECT " columns " FROM death_reports r JOIN persons p ON p.id = r.person_id WHERE " \
	     "r.id = ? AND " SCOPE_REGION_SQL("p.region_code", "p.created_by"),                    \
	     "i" SCOPE_REGION_FMT, (int64_t)(id),                                                  \
	     SCOPE_REGION_ARGS(&(by)->scope, (by)->region_code))

/* Reads file path fully into *data; 0 or -1. */
static int read_file(const char *path, size_t expect, void **data, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	char *buf = malloc(expect ? expect : 1);
	size_t n = 0;
	ssize_t got = 1;
	while (buf && n < expect && (got = read(fd, buf + n, expect - n)) > 0)
		n += (size_t)got;
	char extra;
	int more = read(fd, &extra, 1) > 0;
	close(fd);
	if (!buf || n != expect || more) {
		free(buf);
		return -1;
	}
	*data = buf;
	*len = n;
	return 0;
}

int death_report_certificate(struct db *db, const struct principal *by, int64_t id, void **data,
			     size_t *len, char type[32], char *name, size_t name_size)
{
	char file_id[65] = "", hash[65] = "", path[600], got[65];
	int64_t size = 0;
	struct db_stmt *st =
		REPORT_IN_SCOPE(db, by, id, "file_id, file_type, file_size, file_sm3, file_name");
	if (!st)
		return VE_DB;
	if (db_step(st) == DB_ROW) {
		str_copy(file_id, db_text(st, 0), sizeof(file_id));
		str_copy(type, db_text(st, 1), 32);
		size = db_int(st, 2);
		str_copy(hash, db_text(st, 3), sizeof(hash));
		str_copy(name, db_text(st, 4), name_size);
	}
	db_done(st);
	if (!file_id[0])
		return VE_NOTFOUND;
	unsigned char digest[SM3_LEN];
	file_path(file_id, path);
	if (read_file(path, (size_t)size, data, len) != 0) {
		log_error("files.missing", "death_report=%lld file=%s", (long long)id, file_id);
		return VE_DB;
	}
	crypto_sm3(*data, *len, digest);
	crypto_hex(digest, sizeof(digest), got);
	if (strcmp(got, hash) != 0) {
		log_error("files.changed", "death_report=%lld file=%s", (long long)id, file_id);
		free(*data);
		*data = NULL;
		return VE_DB;
	}
	struct audit_actor who = account_actor(by);
	char object[48];
	snprintf(object, sizeof(object), "death_report:%lld", (long long)id);
	if (audit_event(db, &who, "death_report.view", object, "ok", "查看死亡证明") != 0) {
		free(*data);
		*data = NULL;
		return VE_DB;
	}
	return 0;
}

/* ---- the bureau's check ---- */

struct waiting {
	int64_t person_id, submitted_by;
	char status[16], date[11], cause[16];
};

/* Report id into w if in by's scope and checkable by by. */
static int load_waiting(struct db *db, const struct principal *by, int64_t id, struct waiting *w,
			struct field_errors *e)
{
	memset(w, 0, sizeof(*w));
	if (!perm_allows(by->roles, PERM_DEATH_REPORT_CHECK))
		return VE_DENIED;
	struct db_stmt *st = REPORT_IN_SCOPE(
		db, by, id, "r.person_id, r.submitted_by, r.status, r.death_date, r.cause");
	if (!st)
		return VE_DB;
	int found = db_step(st) == DB_ROW;
	if (found) {
		w->person_id = db_int(st, 0);
		w->submitted_by = db_int(st, 1);
		str_copy(w->status, db_text(st, 2), sizeof(w->status));
		str_copy(w->date, db_text(st, 3), sizeof(w->date));
		str_copy(w->cause, db_text(st, 4), sizeof(w->cause));
	}
	db_done(st);
	if (!found)
		return VE_NOTFOUND;
	if (w->submitted_by == by->user_id) {
		field_errors_add(e, "核查", "上报和核查须由两个不同的人办理：这份上报是您提交的");
		return VE_DENIED;
	}
	if (strcmp(w->status, "待核查") != 0) {
		field_errors_add(e, "核查", "这份上报已经%s，不能再次核查",
				 strcmp(w->status, "已核实") == 0 ? "核实" : "退回");
		return VE_CONFLICT;
	}
	return 0;
}

static int decide(struct db *db, const struct principal *by, int64_t id, const char *status,
		  const char *reason)
{
	return db_run(db,
		      "UPDATE death_reports SET status = ?, checked_at = ?, checked_by = ?, "
		      "checked_name = ?, return_reason = nullif(?, '') WHERE id = ? AND status = "
		      "'待核查'",
		      "siissi", status, clock_now(), by->user_id, signer(by), reason ? reason : "",
		      id);
}

static int accept(struct db *db, const struct principal *by, int64_t id, struct field_errors *e)
{
	struct waiting w;
	int rc = load_waiting(db, by, id, &w, e);
	if (rc)
		return rc;
	char reason[64];
	snprintf(reason, sizeof(reason), "服务站上报（第 %lld 号），区局核实", (long long)id);
	struct entitlement_status_change c = {
		.status = "死亡", .date = w.date, .reason = reason, .cause = w.cause};
	rc = entitlement_person_status(db, by, w.person_id, &c, 1, e);
	if (rc == 0)
		rc = decide(db, by, id, "已核实", NULL);
	char detail[160];
	snprintf(detail, sizeof(detail), "核实上报：person:%lld %s 死亡（%s）",
		 (long long)w.person_id, w.date, w.cause);
	return rc ? rc : audit(db, by, "death_report.accept", id, detail);
}

int death_report_accept(struct db *db, const struct principal *by, int64_t id,
			struct field_errors *e)
{
	field_errors_clear(e);
	int rc = db_tx_begin(db, 0);
	return rc ? rc : db_tx_end(db, 0, accept(db, by, id, e));
}

static int give_back(struct db *db, const struct principal *by, int64_t id, const char *reason,
		     struct field_errors *e)
{
	struct waiting w;
	const char *r = reason ? reason : "";
	int rc = load_waiting(db, by, id, &w, e);
	if (rc)
		return rc;
	if (!r[strspn(r, " \t\r\n")])
		field_errors_add(e, "退回原因", "请填写退回原因，服务站将看到它");
	else if (utf8_count(r, strlen(r)) > 200 || !str_is_printable(r, strlen(r), 1))
		field_errors_add(e, "退回原因", "应为不超过 200 个字的文字");
	if (e->n)
		return VE_INVALID;
	rc = decide(db, by, id, "已退回", r);
	char detail[900];
	snprintf(detail, sizeof(detail), "退回上报：%s", r);
	utf8_scrub(detail);
	return rc ? rc : audit(db, by, "death_report.return", id, detail);
}

int death_report_return(struct db *db, const struct principal *by, int64_t id, const char *reason,
			struct field_errors *e)
{
	field_errors_clear(e);
	int rc = db_tx_begin(db, 0);
	return rc ? rc : db_tx_end(db, 0, give_back(db, by, id, reason, e));
}

/* ---- vocabularies and the area ---- */

const char *const death_report_statuses[DEATH_REPORT_N_STATUSES] = {"待核查", "已核实", "已退回"};

const struct perm perm_death_report_submit = {"death_report.submit", "上报死亡", ROLE_BIT(STATION)};
const struct perm perm_death_report_read = {"death_report.read", "查看死亡上报",
					    ROLE_BIT(CLERK) | ROLE_BIT(STATION)};
const struct perm perm_death_report_check = {"death_report.check", "核查死亡上报", ROLE_BIT(CLERK)};

static const struct perm *const perms[] = {PERM_DEATH_REPORT_SUBMIT, PERM_DEATH_REPORT_READ,
					   PERM_DEATH_REPORT_CHECK, NULL};

static const struct audit_title audit_titles[] = {
	{"death_report.submit", "上报死亡"},
	{"death_report.view", "查看死亡证明"},
	{"death_report.accept", "核实死亡上报"},
	{"death_report.return", "退回死亡上报"},
	{NULL, NULL},
};

/* The stations' reports waiting for the bureau's check (the navigation's count). */
static int death_report_todos(struct db *db, const struct principal *by, json_t *list)
{
	int64_t n = 0;
	if (!perm_allows(by->roles, PERM_DEATH_REPORT_CHECK))
		return 0;
	if (death_report_pending(db, by, &n))
		return VE_DB;
	if (n > 0)
		json_array_append_new(list, json_pack("{s:s,s:I,s:s,s:s}", "title", "核查死亡上报",
						      "count", (json_int_t)n, "href",
						      "/death-reports?status=%E5%BE%85%E6%A0%B8%E6%9F%A5",
						      "note", "核实后终止待遇并计算丧葬费"));
	return 0;
}

const struct area death_report_area = {.name = "death_report",
				       .perms = perms,
				       .audit_titles = audit_titles,
				       .todos = death_report_todos};
