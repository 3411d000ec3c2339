/* person_import.c - importing people on the web: upload, preview (a dry run), confirm.
 *
 * The uploaded file waits in a private directory of this server process under
 * a random token and the uploader's id; only that user can confirm it. */
#include "handlers.h"
#include "areas/person_import.h"
#include "io/sheet.h"
#include "lib/crypto.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/str.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SHOWN_REJECTIONS 200

static char upload_dir[64];
static pthread_once_t upload_once = PTHREAD_ONCE_INIT;

static void make_upload_dir(void)
{
	str_copy(upload_dir, "/tmp/vets-uploads-XXXXXX", sizeof(upload_dir));
	if (!mkdtemp(upload_dir)) {
		log_error("cannot create the upload directory: %s", strerror(errno));
		upload_dir[0] = '\0';
	}
}

/* Uploads hold personal data in plain text: one not confirmed within this time is deleted. */
#define UPLOAD_KEEP_SECONDS 3600

/* Deletes uploads older than UPLOAD_KEEP_SECONDS (anyone's: they are expired). */
static void sweep_uploads(void)
{
	DIR *dir = opendir(upload_dir);
	struct dirent *e;
	time_t now = time(NULL);
	while (dir && (e = readdir(dir))) {
		char path[512];
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", upload_dir, e->d_name);
		if (stat(path, &st) == 0 && now - st.st_mtime > UPLOAD_KEEP_SECONDS)
			unlink(path);
	}
	if (dir)
		closedir(dir);
}

/* The path of upload token of user with extension ext into out[256]. */
static void upload_path(const struct request *req, const char *token, const char *ext,
			char out[256])
{
	snprintf(out, 256, "%s/%lld-%s%s", upload_dir, (long long)req->user.user_id, token, ext);
}

/* Finds the upload of token (either extension) of this user. 0 when found. */
static int find_upload(const struct request *req, const char *token, char path[256])
{
	static const char *const exts[] = {".csv", ".xlsx"};
	pthread_once(&upload_once, make_upload_dir);
	sweep_uploads();
	for (size_t i = 0; i < 2; i++) {
		upload_path(req, token, exts[i], path);
		if (access(path, R_OK) == 0)
			return 0;
	}
	return -1;
}

struct rejections {
	json_t *list;
	long total;
};

static void collect(void *ctx, long row, const char *field, const char *message)
{
	struct rejections *r = ctx;
	r->total++;
	if (json_array_size(r->list) < SHOWN_REJECTIONS)
		json_array_append_new(r->list,
				      json_pack("{s:I,s:s,s:s}", "row", (json_int_t)row, "field",
						field ? field : "", "message", message));
}

static int import_page(struct request *req, struct reply *rep, int status, json_t *preview,
		       const char *error)
{
	json_t *page = json_object();
	if (preview)
		json_object_set_new(page, "preview", preview);
	if (error)
		json_object_set_new(page, "error", json_string(error));
	return reply_page(req, rep, status, "persons/import", "导入人员", page);
}

int handle_import_form(struct request *req, struct reply *rep)
{
	return import_page(req, rep, 200, NULL, NULL);
}

/* Saves the uploaded file under a fresh token; the extension must be .csv or .xlsx. */
static int save_upload(struct request *req, const struct multipart_part *file, char token[65],
		       char *why, size_t size)
{
	const char *ext = NULL;
	size_t n = strlen(file->filename);
	if (n > 4 && strcasecmp(file->filename + n - 4, ".csv") == 0)
		ext = ".csv";
	else if (n > 5 && strcasecmp(file->filename + n - 5, ".xlsx") == 0)
		ext = ".xlsx";
	if (!ext)
		return snprintf(why, size, "只能导入 .csv 或 .xlsx 文件"), -1;
	pthread_once(&upload_once, make_upload_dir);
	sweep_uploads();
	unsigned char raw[32];
	crypto_random(raw, sizeof(raw));
	crypto_hex(raw, sizeof(raw), token);
	char path[256];
	upload_path(req, token, ext, path);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	int ok = fd >= 0 && write(fd, file->data, file->len) == (ssize_t)file->len;
	if (fd >= 0 && close(fd) != 0)
		ok = 0;
	if (!ok) {
		unlink(path);
		return snprintf(why, size, "无法保存上传的文件，请稍后再试"), -1;
	}
	return 0;
}

int handle_import_upload(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const struct multipart_part *file = params_file(req, "file");
	char token[65], why[200], path[256];
	if (save_upload(req, file, token, why, sizeof(why)) != 0)
		return import_page(req, rep, 400, NULL, why);
	find_upload(req, token, path);
	struct rejections r = {json_array(), 0};
	struct import_sink sink = {collect, NULL, &r};
	struct import_counts n;
	int rc = person_import(db, &req->user, path, IMPORT_DRY_RUN, &sink, &n);
	if (rc) {
		unlink(path);
		const char *reason =
			json_string_value(json_object_get(json_array_get(r.list, 0), "message"));
		char message[300];
		snprintf(message, sizeof(message), "文件无法导入：%s",
			 reason ? reason : err_message(rc));
		json_decref(r.list);
		return import_page(req, rep, rc == VE_DB ? 500 : 400, NULL, message);
	}
	json_t *preview = json_pack(
		"{s:s,s:s,s:I,s:I,s:I,s:I,s:o,s:b,s:I}", "file", file->filename, "token", token,
		"added", (json_int_t)n.added, "changed", (json_int_t)n.changed, "unchanged",
		(json_int_t)n.unchanged, "rejected", (json_int_t)n.rejected, "rejections", r.list,
		"more", r.total > SHOWN_REJECTIONS, "shown", (json_int_t)SHOWN_REJECTIONS);
	return import_page(req, rep, 200, preview, NULL);
}

int handle_import_confirm(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char path[256];
	if (find_upload(req, params_text(req, "token"), path) != 0)
		return import_page(req, rep, 404, NULL, "上传的文件已过期，请重新选择文件");
	struct rejections r = {json_array(), 0};
	struct import_sink sink = {collect, NULL, &r};
	struct import_counts n;
	int rc = person_import(db, &req->user, path, IMPORT_KEEP_GOOD, &sink, &n);
	json_decref(r.list);
	unlink(path);
	if (rc)
		return import_page(req, rep, rc == VE_DB ? 500 : 400, NULL,
				   "导入失败，未导入任何一行");
	char message[200];
	snprintf(message, sizeof(message),
		 "导入完成：新增 %ld 人，更新 %ld 人，未变化 %ld 人，拒绝 %ld 行", n.added,
		 n.changed, n.unchanged, n.rejected);
	reply_flash(rep, "ok", message);
	return reply_redirect(rep, "/persons");
}

/* Rejected rows as CSV lines: 行号, 字段, 原因. */
static void rejected_row(void *ctx, long row, const char *field, const char *message)
{
	char number[24], guard_field[128], guard_message[512];
	snprintf(number, sizeof(number), "%ld", row);
	const char *cells[3] = {number,
				sheet_guard(field ? field : "", guard_field, sizeof(guard_field)),
				sheet_guard(message, guard_message, sizeof(guard_message))};
	csv_write_row(ctx, cells, 3);
}

int handle_import_rejected(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char path[256];
	if (find_upload(req, params_text(req, "token"), path) != 0)
		return reply_error(req, rep, 404, "not_found", "上传的文件已过期，请重新选择文件");
	char *csv = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&csv, &len);
	if (!fp)
		return reply_area_error(req, rep, VE_IO, NULL);
	static const char *const header[3] = {"行号", "字段", "原因"};
	csv_write_bom(fp);
	csv_write_row(fp, header, 3);
	struct import_sink sink = {rejected_row, NULL, fp};
	struct import_counts n;
	person_import(db, &req->user, path, IMPORT_DRY_RUN, &sink, &n);
	fclose(fp);
	buf_reset(&rep->body);
	int too_big = buf_append(&rep->body, csv, len) != 0;
	free(csv);
	if (too_big)
		return reply_area_error(req, rep, VE_LIMIT, NULL);
	rep->status = 200;
	rep->content_type = "text/csv; charset=utf-8";
	str_copy(rep->disposition, "attachment; filename=\"rejected.csv\"",
		 sizeof(rep->disposition));
	return 0;
}
