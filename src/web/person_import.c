/* person_import.c - importing people on the web: upload, preview (a dry run), confirm.
 *
 * The uploaded file waits in a private directory of this server process under
 * a random token and the uploader's id; only that user can confirm it.
 *
 * A small file is checked and imported inside its request. A large one runs in
 * a thread of its own (a job, keyed by the same token and user), and the
 * browser waits on a progress page that polls /persons/import/status; the job
 * keeps its counts and the first rejections. Every preview writes all its
 * rejected rows to a CSV beside the upload, which is what
 * /persons/import/rejected sends: the file is never checked again for it.
 *
 * A preview only reads (a read transaction) and an import commits in short
 * slices (person_import), so neither stops logins and edits; jobs run side by
 * side, at most JOBS_ACTIVE_MAX in all and one per user; finished ones are kept
 * JOB_KEEP_SECONDS, at most JOBS_KEPT_MAX in all. Rows and bytes per upload are
 * capped by the uploader's reach (upload_caps), and a user holds one upload at a
 * time: a new one deletes the older ones (and their rejected rows). */
#include "web/route.h"
#include "web/flash.h"
#include "areas/person.h"
#include "areas/person_import.h"
#include "io/sheet.h"
#include "lib/crypto.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/utf8.h"

#include <minizip/unzip.h>

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
		log_error("import.upload_dir_failed", "error=%s", strerror(errno));
		upload_dir[0] = '\0';
	}
}

/* Uploads hold personal data in plain text: one not confirmed within this time is deleted
 * (so are the rejected rows of a preview or an import). */
#define UPLOAD_KEEP_SECONDS 1800

/* What one upload may hold. A station imports its street, the district office the
 * district: a file far larger than the uploader's reach is a mistake or an attack. */
struct upload_caps {
	long rows;                   /* data rows after the header */
	long long bytes;             /* the uploaded file */
	unsigned long long inflated; /* an .xlsx's parts, unpacked */
	int mb;                      /* bytes in MB, for the form */
};

static const struct upload_caps STATION_CAPS = {20000, 5LL << 20, 60ULL << 20, 5};
/* The route's body limit (the table at the end of this file) is the district's byte cap. */
static const struct upload_caps DISTRICT_CAPS = {300000, 50LL << 20, 600ULL << 20, 50};

/* The caps of p: a user whose region is narrower than the district (a street's or a
 * community's station) gets the station's. */
static const struct upload_caps *upload_caps(const struct principal *p)
{
	int district = strlen(p->region_code) <= 6 && !(p->roles & (1u << ROLE_STATION));
	return district ? &DISTRICT_CAPS : &STATION_CAPS;
}

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

/* The name the upload token was sent under (kept beside it by save_upload) into out;
 * "" when it is gone. */
static void upload_name(const struct request *req, const char *token, char out[256])
{
	char path[256];
	upload_path(req, token, ".name", path);
	out[0] = '\0';
	int fd = open(path, O_RDONLY | O_NOFOLLOW);
	if (fd < 0)
		return;
	ssize_t got = read(fd, out, 255);
	close(fd);
	out[got > 0 ? got : 0] = '\0';
	utf8_scrub(out);
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

/* ---- the rejected rows' file: the upload's header and refused rows as they were, with
 * PERSON_IMPORT_REASON_COLUMN last (the upload's own such column left out), as .csv or,
 * for an .xlsx upload, .xlsx: fixed, it is imported again as it is ---- */

struct rejected_file {
	char path[256];         /* "" when none is kept */
	struct sheet_writer *w; /* open from the header on, NULL when it could not be */
	int skip;               /* the upload's own reason column, or -1 */
	size_t width;           /* the header's cells */
};

/* The rejected rows' file of upload token (uploaded at upload, for its extension). */
static void rejected_path(const struct request *req, const char *token, const char *upload,
			  char out[256])
{
	size_t n = strlen(upload);
	int xlsx = n > 5 && strcmp(upload + n - 5, ".xlsx") == 0;
	upload_path(req, token, xlsx ? ".rejected.xlsx" : ".rejected.csv", out);
}

/* Writes the cells of row (but skip), at least width of them, then last. A cell a
 * spreadsheet would run as a formula gets the guard import removes; one that already
 * starts with the guard is the upload's own and is kept, so each cell reads back as the
 * same value. */
static void rejected_write(struct rejected_file *f, const struct sheet_row *row, const char *last)
{
	size_t n = row->n > f->width ? row->n : f->width, k = 0;
	const char **cells = xcalloc(n + 1, sizeof(*cells));
	char **owned = xcalloc(n + 1, sizeof(*owned));
	for (size_t i = 0; i < n; i++) {
		if ((int)i == f->skip)
			continue;
		const char *c = i < row->n ? row->cells[i] : "";
		if (c[0] && c[0] != '\'' && strchr("=+-@\t\r", c[0])) {
			size_t len = strlen(c) + 2;
			owned[i] = xmalloc(len);
			c = sheet_guard(c, owned[i], len);
		}
		cells[k++] = c;
	}
	cells[k++] = last;
	if (sheet_write_row(f->w, cells, k) != 0) {
		char err[200];
		sheet_finish(f->w, err, sizeof(err));
		f->w = NULL;
		unlink(f->path);
	}
	for (size_t i = 0; i < n; i++)
		free(owned[i]);
	free(owned);
	free(cells);
}

static void rejected_header(struct rejected_file *f, const struct sheet_row *h, int reason_col)
{
	char err[300];
	if (!f->path[0])
		return;
	unlink(f->path);
	f->w = sheet_create(f->path, "被拒绝的行", err, sizeof(err));
	f->skip = reason_col;
	f->width = h->n;
	if (f->w)
		rejected_write(f, h, PERSON_IMPORT_REASON_COLUMN);
}

static void rejected_row(struct rejected_file *f, const struct sheet_row *row, const char *reasons)
{
	if (f->w)
		rejected_write(f, row, reasons);
}

/* Finishes the file; one that can't be finished is removed. */
static void rejected_finish(struct rejected_file *f)
{
	char err[300];
	if (f->w && sheet_finish(f->w, err, sizeof(err)) != 0)
		unlink(f->path);
	f->w = NULL;
}

struct rejections {
	struct rejected_file file;
	json_t *list;
	long total;
	char fatal[300]; /* why the whole file was refused (a rejection of row 0), or "" */
};

static void collect(void *ctx, long row, const char *field, const char *message)
{
	struct rejections *r = ctx;
	r->total++;
	if (row == 0 && !r->fatal[0])
		str_copy(r->fatal, message, sizeof(r->fatal));
	if (json_array_size(r->list) < SHOWN_REJECTIONS)
		json_array_append_new(r->list,
				      json_pack("{s:I,s:s,s:s}", "row", (json_int_t)row, "field",
						field ? field : "", "message", message));
}

static void collect_header(void *ctx, const struct sheet_row *h, int reason_col)
{
	rejected_header(&((struct rejections *)ctx)->file, h, reason_col);
}

static void collect_row(void *ctx, const struct sheet_row *row, int reason_col, const char *reasons)
{
	rejected_row(&((struct rejections *)ctx)->file, row, reasons);
}

/* The import page with a preview (or, with result set, an import's result). */
static int import_page_with(struct request *req, struct reply *rep, int status, json_t *preview,
			    int result, const char *error)
{
	/* Never empty: {{#with page}} renders nothing for an empty object (the bare form). */
	const struct upload_caps *caps = upload_caps(&req->user);
	json_t *page = json_pack("{s:i,s:I}", "upload_mb", caps->mb, "upload_rows",
				 (json_int_t)caps->rows);
	if (preview)
		json_object_set_new(page, result ? "result" : "preview", preview);
	/* The form: the rules of the columns beside the templates. */
	json_t *rules = NULL;
	struct db *db = preview ? NULL : db_thread();
	if (db && person_import_rules(db, &req->user, &rules) == 0) {
		json_object_set_new(page, "rules", rules);
		json_object_set_new(page, "notes", person_import_notes());
	}
	if (error)
		json_object_set_new(page, "error", json_string(error));
	return reply_page(req, rep, status, "persons/import", "导入人员", page);
}

static int import_page(struct request *req, struct reply *rep, int status, json_t *preview,
		       const char *error)
{
	return import_page_with(req, rep, status, preview, 0, error);
}

/* The page data of a finished preview or import: counts and the first rejections. */
static json_t *preview_json(const char *file, const char *token, const struct import_counts *n,
			    json_t *rejections, long total)
{
	json_t *o = json_pack(
		"{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:o,s:b,s:I,s:I}", "file", file, "token", token, "added",
		(json_int_t)n->added, "changed", (json_int_t)n->changed, "unchanged",
		(json_int_t)n->unchanged, "rejected", (json_int_t)n->rejected, "out_of_scope",
		(json_int_t)n->out_of_scope, "rejections", rejections, "more",
		total > SHOWN_REJECTIONS, "shown", (json_int_t)SHOWN_REJECTIONS, "import_id",
		(json_int_t)n->import_id);
	if (n->encoding)
		json_object_set_new(o, "encoding", json_string(n->encoding));
	return o;
}

/* The upload form: empty, or with why the last upload was refused (flash.h). */
static int handle_import_form(struct request *req, struct reply *rep)
{
	struct field_errors e;
	const char *why = NULL;
	form_restore(req, &e, &why, NULL);
	return import_page(req, rep, 200, NULL, why);
}

/* A refused upload: back to the form's GET with why (a refresh sends nothing again). */
static int upload_refused(struct request *req, struct reply *rep, int status, const char *why)
{
	if (reply_form_refused(req, rep, "/persons/import", NULL, why, NULL) == 0)
		return 0;
	return import_page(req, rep, status, NULL, why);
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
	/* Its name, for the import's record and the result page (confirmed in another request). */
	upload_path(req, token, ".name", path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd >= 0) {
		size_t len = strlen(file->filename) < 255 ? strlen(file->filename) : 255;
		ok = write(fd, file->filename, len) == (ssize_t)len;
		close(fd);
	}
	return 0;
}

/* ---- jobs: a large file's preview or import in a thread of its own ---- */

/* A CSV of at least this many lines, an XLSX of at least this many bytes, runs as a job. */
#define INLINE_MAX_ROWS 2000
#define INLINE_MAX_XLSX_BYTES (64 * 1024)
#define JOBS_ACTIVE_MAX 2 /* queued or running, all users together */
#define JOBS_KEPT_MAX 64  /* records, finished ones included */
#define JOBS_KEPT_PER_USER 4
#define JOB_KEEP_SECONDS 1800 /* a finished job's result is kept this long */

enum job_kind { JOB_PREVIEW, JOB_IMPORT };
enum job_state { JOB_QUEUED, JOB_RUNNING, JOB_DONE, JOB_FAILED };

struct import_job {
	struct import_job *next;
	char token[65];
	int64_t user_id;
	enum job_kind kind;
	/* Under jobs_lock: */
	enum job_state state;
	long done;       /* rows read so far */
	time_t finished; /* when the state left JOB_RUNNING */
	int joinable;    /* thread still to be joined */
	pthread_t thread;
	/* Set before the thread starts; read-only after: */
	long total;    /* an estimate of the rows (lines of a CSV), 0 when unknown */
	long max_rows; /* the uploader's cap */
	char *file; /* the name the file was uploaded under */
	char path[256];
	struct principal by;
	/* The thread's until the state is JOB_DONE or JOB_FAILED; read-only after: */
	struct import_counts n;
	json_t *rejections; /* the first SHOWN_REJECTIONS */
	long rejected_total;
	struct rejected_file rejected_file;
	char fatal[300]; /* why the file could not be read (a rejection of row 0), or "" */
	int rc;
	char error[512];
};

static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct import_job *jobs;
static int jobs_stopping;

static int job_active(const struct import_job *j)
{
	return j->state == JOB_QUEUED || j->state == JOB_RUNNING;
}

static void job_free(struct import_job *j)
{
	json_decref(j->rejections);
	free(j->file);
	mem_wipe(&j->by, sizeof(j->by));
	free(j);
}

static void job_reject(void *ctx, long row, const char *field, const char *message)
{
	struct import_job *j = ctx;
	j->rejected_total++;
	if (row == 0 && !j->fatal[0])
		str_copy(j->fatal, message, sizeof(j->fatal));
	if (json_array_size(j->rejections) < SHOWN_REJECTIONS)
		json_array_append_new(j->rejections,
				      json_pack("{s:I,s:s,s:s}", "row", (json_int_t)row, "field",
						field ? field : "", "message", message));
}

static void job_header(void *ctx, const struct sheet_row *h, int reason_col)
{
	rejected_header(&((struct import_job *)ctx)->rejected_file, h, reason_col);
}

static void job_rejected_row(void *ctx, const struct sheet_row *row, int reason_col,
			     const char *reasons)
{
	rejected_row(&((struct import_job *)ctx)->rejected_file, row, reasons);
}

static void job_progress(void *ctx, long rows)
{
	struct import_job *j = ctx;
	pthread_mutex_lock(&jobs_lock);
	j->done = rows;
	pthread_mutex_unlock(&jobs_lock);
}

/* Runs the import of job j in the calling thread, on a connection of its own. */
static int job_import(struct import_job *j)
{
	struct db *db = db_thread();
	if (!db)
		return VE_DB;
	struct import_sink sink = {job_reject, job_progress, j, job_header, job_rejected_row, j->file};
	int rc = person_import(db, &j->by, j->path,
			       j->kind == JOB_PREVIEW ? IMPORT_DRY_RUN : IMPORT_KEEP_GOOD,
			       j->max_rows, &sink, &j->n);
	rejected_finish(&j->rejected_file);
	db_thread_close();
	return rc;
}

static void *job_run(void *arg)
{
	struct import_job *j = arg;
	pthread_mutex_lock(&jobs_lock);
	int stopping = jobs_stopping;
	if (!stopping)
		j->state = JOB_RUNNING;
	pthread_mutex_unlock(&jobs_lock);
	int rc = stopping ? VE_CONFLICT : job_import(j);
	/* The reader's error (bad encoding mid-way…) comes after the rows' own. */
	const char *reason = j->fatal[0] ? j->fatal
					 : json_string_value(json_object_get(
						   json_array_get(j->rejections, 0), "message"));
	if (stopping)
		snprintf(j->error, sizeof(j->error), "服务器正在停止，文件未处理，请稍后重新上传");
	else if (rc && j->kind == JOB_PREVIEW)
		snprintf(j->error, sizeof(j->error), "文件无法导入：%s",
			 reason ? reason : err_message(rc));
	else if (rc)
		snprintf(j->error, sizeof(j->error),
			 "导入中断：%s。导入分批提交，中断前已提交的行已写入；"
			 "修正后可重新上传，已登记的人员不会重复登记",
			 reason && (rc == VE_INVALID || rc == VE_LIMIT || rc == VE_QUOTA) ? reason
									: err_message(rc));
	utf8_scrub(j->error); /* a reason cut in the middle of a character */
	/* A confirmed file is done with; so is one that can't be read. */
	if (rc || j->kind == JOB_IMPORT)
		unlink(j->path);
	/* (The name beside it goes with the upload's other files.) */
	if (rc)
		log_warn("import.failed", "job=%.8s user_id=%lld error=%s", j->token,
			 (long long)j->user_id, err_name(rc));
	pthread_mutex_lock(&jobs_lock);
	j->rc = rc;
	j->done = j->n.added + j->n.changed + j->n.unchanged + j->n.rejected;
	j->state = rc ? JOB_FAILED : JOB_DONE;
	j->finished = time(NULL);
	pthread_mutex_unlock(&jobs_lock);
	return NULL;
}

/* Unlinks and frees the finished job *at, joining its thread (which takes no lock
 * any more). Under jobs_lock. */
static void job_drop(struct import_job **at)
{
	struct import_job *j = *at;
	if (j->joinable)
		pthread_join(j->thread, NULL);
	*at = j->next;
	job_free(j);
}

/* Joins the finished jobs' threads, frees the expired records. Under jobs_lock. */
static void jobs_sweep(void)
{
	time_t now = time(NULL);
	for (struct import_job **at = &jobs; *at;) {
		struct import_job *j = *at;
		if (job_active(j)) {
			at = &j->next;
			continue;
		}
		if (j->joinable) {
			pthread_join(j->thread, NULL);
			j->joinable = 0;
		}
		if (now - j->finished > JOB_KEEP_SECONDS || now < j->finished)
			job_drop(at);
		else
			at = &j->next;
	}
}

/* The job of token of this user, or NULL. Under jobs_lock. */
static struct import_job **job_find(int64_t user_id, const char *token)
{
	for (struct import_job **at = &jobs; *at; at = &(*at)->next)
		if ((*at)->user_id == user_id && strcmp((*at)->token, token) == 0)
			return at;
	return NULL;
}

/* Frees the oldest finished record (of user_id, or anyone's when user_id is 0). Under jobs_lock. */
static void jobs_evict_oldest(int64_t user_id)
{
	struct import_job **oldest = NULL;
	for (struct import_job **at = &jobs; *at; at = &(*at)->next)
		if (!job_active(*at) && (!user_id || (*at)->user_id == user_id) &&
		    (!oldest || (*at)->finished < (*oldest)->finished))
			oldest = at;
	if (oldest)
		job_drop(oldest);
}

/* Makes room for one more record of user uid, replacing the finished *old (of the same
 * upload, its preview) if any: kept records in all, kept_mine of uid's. Under jobs_lock. */
static void jobs_make_room(int64_t uid, struct import_job **old, int kept, int kept_mine)
{
	if (old) {
		job_drop(old);
		kept--, kept_mine--;
	}
	for (; kept_mine >= JOBS_KEPT_PER_USER; kept_mine--, kept--)
		jobs_evict_oldest(uid);
	for (; kept >= JOBS_KEPT_MAX; kept--)
		jobs_evict_oldest(0);
}

/* Keeps the result of an import done inside its request as a finished job of the
 * upload token, so that the request answers with a redirect to its result page, as a
 * job's does. Takes rejections. 0, or -1 (none kept: the server is stopping). */
static int job_keep(const struct request *req, const char *token, const char *file,
		    const struct import_counts *n, json_t *rejections, long rejected_total)
{
	int64_t uid = req->user.user_id;
	pthread_mutex_lock(&jobs_lock);
	jobs_sweep();
	int kept = 0, kept_mine = 0;
	for (struct import_job *j = jobs; j; j = j->next) {
		kept++;
		kept_mine += j->user_id == uid;
	}
	struct import_job **old = job_find(uid, token);
	if (jobs_stopping || (old && job_active(*old))) {
		pthread_mutex_unlock(&jobs_lock);
		json_decref(rejections);
		return -1;
	}
	jobs_make_room(uid, old, kept, kept_mine);
	struct import_job *j = xcalloc(1, sizeof(*j));
	str_copy(j->token, token, sizeof(j->token));
	j->user_id = uid;
	j->kind = JOB_IMPORT;
	j->state = JOB_DONE;
	j->file = xstrdup(file);
	j->n = *n;
	j->rejections = rejections;
	j->rejected_total = rejected_total;
	j->done = n->added + n->changed + n->unchanged + n->rejected;
	j->finished = time(NULL);
	j->next = jobs;
	jobs = j;
	pthread_mutex_unlock(&jobs_lock);
	return 0;
}

/* Starts the job kind on the upload token (at path, uploaded as file) of the caller.
 * Returns 0, or an HTTP status (409, 429, 503) with why filled. */
static int job_start(const struct request *req, const char *token, const char *path,
		     const char *file, enum job_kind kind, long total, long max_rows, char *why,
		     size_t size)
{
	int64_t uid = req->user.user_id;
	pthread_mutex_lock(&jobs_lock);
	jobs_sweep();
	int active = 0, mine = 0, kept = 0, kept_mine = 0, status = 0;
	for (struct import_job *j = jobs; j; j = j->next) {
		active += job_active(j);
		mine += job_active(j) && j->user_id == uid;
		kept++;
		kept_mine += j->user_id == uid;
	}
	struct import_job **old = job_find(uid, token);
	if (jobs_stopping)
		status = 503, snprintf(why, size, "服务器正在停止，请稍后再试");
	else if (old && job_active(*old))
		status = 409, snprintf(why, size, "该文件正在处理中，请等待处理完成");
	else if (mine)
		status = 409, snprintf(why, size, "您已有一个导入正在进行，请等待其完成后再提交");
	else if (active >= JOBS_ACTIVE_MAX)
		status = 429, snprintf(why, size, "正在进行的导入过多，请稍后再试");
	if (status) {
		pthread_mutex_unlock(&jobs_lock);
		return status;
	}
	jobs_make_room(uid, old, kept, kept_mine);
	struct import_job *j = xcalloc(1, sizeof(*j));
	str_copy(j->token, token, sizeof(j->token));
	j->user_id = uid;
	j->kind = kind;
	j->state = JOB_QUEUED;
	j->total = total;
	j->max_rows = max_rows;
	j->file = xstrdup(file);
	str_copy(j->path, path, sizeof(j->path));
	rejected_path(req, token, path, j->rejected_file.path);
	j->by = req->user;
	mem_wipe(j->by.csrf, sizeof(j->by.csrf));
	j->rejections = json_array();
	if (pthread_create(&j->thread, NULL, job_run, j) != 0) {
		pthread_mutex_unlock(&jobs_lock);
		job_free(j);
		snprintf(why, size, "系统繁忙，请稍后再试");
		return 503;
	}
	j->joinable = 1;
	j->next = jobs;
	jobs = j;
	pthread_mutex_unlock(&jobs_lock);
	return 0;
}

/* Waits for the import jobs still queued or running (a queued one is not started)
 * and frees them all: called once the server takes no more requests. */
static void jobs_stop(void)
{
	pthread_mutex_lock(&jobs_lock);
	jobs_stopping = 1;
	int active = 0;
	for (struct import_job *j = jobs; j; j = j->next)
		active += job_active(j);
	pthread_mutex_unlock(&jobs_lock);
	if (active)
		log_info("import.wait", "jobs=%d", active);
	/* No request adds a job any more, and the jobs change no links: join without
	 * the lock, which the running ones still take. */
	for (struct import_job *j = jobs; j; j = j->next)
		if (j->joinable) {
			pthread_join(j->thread, NULL);
			j->joinable = 0;
		}
	pthread_mutex_lock(&jobs_lock);
	while (jobs)
		job_drop(&jobs);
	pthread_mutex_unlock(&jobs_lock);
}

/* 1 when the file at path is large enough to run as a job; *rows gets the
 * number of lines after the header of a CSV (0 for an XLSX: unknown). */
static int runs_as_job(const char *path, long *rows)
{
	*rows = 0;
	size_t n = strlen(path);
	if (n > 5 && strcmp(path + n - 5, ".xlsx") == 0) {
		struct stat st;
		return stat(path, &st) == 0 && st.st_size >= INLINE_MAX_XLSX_BYTES;
	}
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	char chunk[65536];
	ssize_t got;
	long lines = 0;
	char last = '\n';
	while ((got = read(fd, chunk, sizeof(chunk))) > 0) {
		for (const char *p = chunk; (p = memchr(p, '\n', (size_t)(chunk + got - p))); p++)
			lines++;
		last = chunk[got - 1];
	}
	close(fd);
	lines += last != '\n';
	*rows = lines > 1 ? lines - 1 : 0;
	return lines >= INLINE_MAX_ROWS;
}

/* A redirect to the progress page of token. */
static int to_progress(struct reply *rep, const char *token)
{
	char location[128];
	snprintf(location, sizeof(location), "/persons/import/progress?token=%s", token);
	return reply_redirect(rep, location);
}

/* ---- the pages ---- */

/* Deletes the caller's uploads and rejected rows other than those of keep and of a job
 * still running: a user holds one upload at a time. */
static void drop_old_uploads(const struct request *req, const char *keep)
{
	char prefix[32];
	int len = snprintf(prefix, sizeof(prefix), "%lld-", (long long)req->user.user_id);
	DIR *dir = opendir(upload_dir);
	struct dirent *e;
	pthread_mutex_lock(&jobs_lock);
	while (dir && (e = readdir(dir))) {
		const char *token = e->d_name + len;
		if (strncmp(e->d_name, prefix, (size_t)len) != 0 || strlen(token) < 64 ||
		    strncmp(token, keep, 64) == 0)
			continue;
		char t[65], path[512];
		str_copy(t, token, sizeof(t));
		struct import_job **j = job_find(req->user.user_id, t);
		if (j && job_active(*j))
			continue;
		snprintf(path, sizeof(path), "%s/%s", upload_dir, e->d_name);
		unlink(path);
	}
	pthread_mutex_unlock(&jobs_lock);
	if (dir)
		closedir(dir);
}

/* 1 when the parts of the .xlsx at path unpack to more than cap bytes. The sizes are
 * those the zip declares: the reader refuses a part that unpacks to more than its
 * declared size. A file that is not a zip is left to the reader to refuse. */
static int xlsx_too_big(const char *path, unsigned long long cap)
{
	size_t n = strlen(path);
	if (n < 5 || strcmp(path + n - 5, ".xlsx") != 0)
		return 0;
	unzFile z = unzOpen64(path);
	if (!z)
		return 0;
	unsigned long long total = 0;
	for (int rc = unzGoToFirstFile(z); rc == UNZ_OK && total <= cap;
	     rc = unzGoToNextFile(z)) {
		unz_file_info64 info;
		if (unzGetCurrentFileInfo64(z, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK)
			break;
		total += info.uncompressed_size;
	}
	unzClose(z);
	return total > cap;
}

/* Refuses an upload over the caller's caps (the file at path is deleted): a status
 * (413) with why, or 0. */
static int over_caps(const struct request *req, const char *path, long rows, char *why,
		     size_t size)
{
	const struct upload_caps *caps = upload_caps(&req->user);
	int status = 0;
	if (rows > caps->rows) {
		status = 413;
		snprintf(why, size, "文件超过 %ld 行，超出每次导入的上限；请分成几个文件导入",
			 caps->rows);
	} else if (xlsx_too_big(path, caps->inflated)) {
		status = 413;
		snprintf(why, size,
			 "工作簿解压后超过 %llu MB，超出每次导入的上限；请分成几个文件导入",
			 caps->inflated >> 20);
	}
	if (status)
		unlink(path);
	return status;
}

static int handle_import_upload(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const struct multipart_part *file = params_file(req, "file");
	const struct upload_caps *caps = upload_caps(&req->user);
	char token[65], why[300], path[256];
	if (file->len > (size_t)caps->bytes) {
		snprintf(why, sizeof(why), "文件超过 %d MB，超出每次导入的上限；请分成几个文件导入",
			 caps->mb);
		return upload_refused(req, rep, 413, why);
	}
	int past = 0;
	if (person_scope_hits_past_limit(db, &req->user, &past) != 0)
		return reply_area_error(req, rep, VE_DB, NULL);
	if (past)
		return upload_refused(req, rep, 429, PERSON_SCOPE_LIMIT_MESSAGE);
	if (save_upload(req, file, token, why, sizeof(why)) != 0)
		return upload_refused(req, rep, 400, why);
	drop_old_uploads(req, token);
	find_upload(req, token, path);
	long rows;
	int job = runs_as_job(path, &rows);
	int status = over_caps(req, path, rows, why, sizeof(why));
	if (status)
		return upload_refused(req, rep, status, why);
	if (job) {
		status = job_start(req, token, path, file->filename, JOB_PREVIEW, rows, caps->rows,
				   why, sizeof(why));
		if (status) {
			unlink(path);
			return upload_refused(req, rep, status, why);
		}
		return to_progress(rep, token);
	}
	struct rejections r = {{"", NULL, -1, 0}, json_array(), 0, ""};
	rejected_path(req, token, path, r.file.path);
	struct import_sink sink = {collect, NULL, &r, collect_header, collect_row, file->filename};
	struct import_counts n;
	int rc = person_import(db, &req->user, path, IMPORT_DRY_RUN, caps->rows, &sink, &n);
	rejected_finish(&r.file);
	if (rc) {
		unlink(path);
		const char *reason =
			r.fatal[0] ? r.fatal
				   : json_string_value(
					     json_object_get(json_array_get(r.list, 0), "message"));
		char message[400];
		snprintf(message, sizeof(message), "文件无法导入：%s",
			 reason ? reason : err_message(rc));
		utf8_scrub(message);
		status = http_status_of(rc);
		json_decref(r.list);
		return upload_refused(req, rep, status, message);
	}
	return import_page(req, rep, 200, preview_json(file->filename, token, &n, r.list, r.total),
			   NULL);
}

static int handle_import_confirm(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const char *token = params_text(req, "token");
	long max_rows = upload_caps(&req->user)->rows;
	/* A job of this upload still running (its preview, or this very import sent twice). */
	pthread_mutex_lock(&jobs_lock);
	struct import_job **j = job_find(req->user.user_id, token);
	int busy = j && job_active(*j);
	pthread_mutex_unlock(&jobs_lock);
	char path[256], why[200], file[256];
	long rows;
	int status = busy ? 409 : find_upload(req, token, path) != 0 ? 404 : 0;
	upload_name(req, token, file);
	if (!status && runs_as_job(path, &rows)) {
		status = job_start(req, token, path, file, JOB_IMPORT, rows, max_rows, why,
				   sizeof(why));
		return status ? upload_refused(req, rep, status, why) : to_progress(rep, token);
	}
	if (status == 409)
		return upload_refused(req, rep, 409, "该文件正在处理中，请等待处理完成");
	if (status == 404)
		return upload_refused(req, rep, 404, "上传的文件已过期，请重新选择文件");
	struct rejections r = {{"", NULL, -1, 0}, json_array(), 0, ""};
	rejected_path(req, token, path, r.file.path);
	struct import_sink sink = {collect, NULL, &r, collect_header, collect_row, file};
	struct import_counts n;
	int rc = person_import(db, &req->user, path, IMPORT_KEEP_GOOD, max_rows, &sink, &n);
	rejected_finish(&r.file);
	status = http_status_of(rc);
	unlink(path);
	if (rc) {
		json_decref(r.list);
		return upload_refused(req, rep, status,
				      status == 429 ? PERSON_SCOPE_LIMIT_MESSAGE
						    : "导入失败，未提交的行已撤销；请修正后重新上传");
	}
	/* The result page, as a large file's: counts, the rejected rows, this import's people. */
	if (job_keep(req, token, file, &n, r.list, r.total) == 0)
		return to_progress(rep, token);
	char message[300];
	snprintf(message, sizeof(message),
		 "导入完成：新增 %ld 人，更新 %ld 人，未变化 %ld 人，拒绝 %ld 行", n.added,
		 n.changed, n.unchanged, n.rejected);
	reply_flash(rep, "ok", message);
	return reply_redirect(rep, "/persons");
}

/* What a request may see of a job, copied under the lock. */
struct job_view {
	enum job_kind kind;
	enum job_state state;
	long done, total;
	char *file;
	/* finished: */
	struct import_counts n;
	json_t *rejections; /* a copy */
	long rejected_total;
	int rc;
	char error[512];
};

/* Copies the caller's job of token into *v. 0, or -1 when there is none. */
static int job_look(const struct request *req, const char *token, struct job_view *v)
{
	memset(v, 0, sizeof(*v));
	pthread_mutex_lock(&jobs_lock);
	jobs_sweep();
	struct import_job **at = job_find(req->user.user_id, token);
	if (at) {
		struct import_job *j = *at;
		v->kind = j->kind;
		v->state = j->state;
		v->done = j->done;
		v->total = j->total;
		v->file = xstrdup(j->file);
		if (!job_active(j)) {
			v->n = j->n;
			v->rejections = json_deep_copy(j->rejections);
			v->rejected_total = j->rejected_total;
			v->rc = j->rc;
			str_copy(v->error, j->error, sizeof(v->error));
		}
	}
	pthread_mutex_unlock(&jobs_lock);
	return at ? 0 : -1;
}

static const char *const state_names[] = {"queued", "running", "done", "failed"};

static int handle_import_progress(struct request *req, struct reply *rep)
{
	const char *token = params_text(req, "token");
	struct job_view v;
	if (job_look(req, token, &v) != 0)
		return import_page(req, rep, 404, NULL, "导入记录已过期，请重新选择文件");
	int rc;
	if (v.state == JOB_FAILED) {
		json_decref(v.rejections);
		rc = import_page(req, rep, http_status_of(v.rc), NULL, v.error);
	} else if (v.state == JOB_DONE) {
		rc = import_page_with(
			req, rep, 200,
			preview_json(v.file, token, &v.n, v.rejections, v.rejected_total),
			v.kind == JOB_IMPORT, NULL);
	} else {
		json_t *page =
			json_pack("{s:s,s:s,s:s,s:b,s:I,s:I}", "token", token, "file", v.file,
				  "kind", v.kind == JOB_IMPORT ? "import" : "preview", "queued",
				  v.state == JOB_QUEUED, "done", (json_int_t)v.done, "total",
				  (json_int_t)v.total);
		rc = reply_page(req, rep, 200, "persons/import_progress", "导入人员", page);
	}
	free(v.file);
	return rc;
}

static int handle_import_status(struct request *req, struct reply *rep)
{
	struct job_view v;
	if (job_look(req, params_text(req, "token"), &v) != 0)
		return reply_error(req, rep, 404, "not_found", "导入记录已过期，请重新选择文件");
	json_decref(v.rejections);
	free(v.file);
	return reply_json(rep, 200,
			  json_pack("{s:s,s:s,s:I,s:I}", "state", state_names[v.state], "kind",
				    v.kind == JOB_IMPORT ? "import" : "preview", "done",
				    (json_int_t)v.done, "total", (json_int_t)v.total));
}

/* Answers with the file at path as an attachment named name, of type; -1 (nothing
 * answered) when it can't be read. */
static int send_file(struct request *req, struct reply *rep, const char *path, const char *type,
		     const char *name)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	buf_reset(&rep->body);
	char chunk[65536];
	ssize_t got;
	int too_big = 0;
	while (!too_big && (got = read(fd, chunk, sizeof(chunk))) > 0)
		too_big = buf_append(&rep->body, chunk, (size_t)got) != 0;
	close(fd);
	if (too_big) {
		buf_reset(&rep->body);
		return reply_area_error(req, rep, VE_LIMIT, NULL), 0;
	}
	rep->status = 200;
	rep->content_type = type;
	snprintf(rep->disposition, sizeof(rep->disposition), "attachment; filename=\"%s\"", name);
	return 0;
}

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define CSV_TYPE "text/csv; charset=utf-8"

static int handle_import_rejected(struct request *req, struct reply *rep)
{
	const char *token = params_text(req, "token");
	struct job_view v;
	int job = job_look(req, token, &v) == 0;
	json_decref(v.rejections);
	free(v.file);
	if (job && (v.state == JOB_QUEUED || v.state == JOB_RUNNING))
		return reply_error(req, rep, 409, "conflict", "文件正在处理中，请处理完成后再下载");
	/* The preview (or the import) wrote its rejected rows as it went: the file is
	 * never checked again for them. */
	char path[256];
	pthread_once(&upload_once, make_upload_dir);
	sweep_uploads();
	upload_path(req, token, ".rejected.csv", path);
	if (send_file(req, rep, path, CSV_TYPE, "rejected.csv") == 0)
		return 0;
	upload_path(req, token, ".rejected.xlsx", path);
	if (send_file(req, rep, path, XLSX_TYPE, "rejected.xlsx") == 0)
		return 0;
	return reply_error(req, rep, 404, "not_found", "被拒绝的行已过期，请重新上传文件预览");
}

/* The import's template, .csv or .xlsx: written for the caller (the example row in its
 * scope), sent, removed. */
static int send_template(struct request *req, struct reply *rep, const char *ext)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	pthread_once(&upload_once, make_upload_dir);
	unsigned char raw[16];
	char hex[33], path[256], err[300];
	crypto_random(raw, sizeof(raw));
	crypto_hex(raw, sizeof(raw), hex);
	snprintf(path, sizeof(path), "%s/template-%s%s", upload_dir, hex, ext);
	int rc = person_import_template(db, &req->user, path, err, sizeof(err));
	int xlsx = strcmp(ext, ".xlsx") == 0;
	if (rc == 0 && send_file(req, rep, path, xlsx ? XLSX_TYPE : CSV_TYPE,
				 xlsx ? "import-template.xlsx" : "import-template.csv") != 0)
		rc = VE_IO;
	unlink(path);
	if (rc) {
		log_error("import.template_failed", "error=%s", err);
		return reply_area_error(req, rep, rc, NULL);
	}
	return 0;
}

static int handle_template_csv(struct request *req, struct reply *rep)
{
	return send_template(req, rep, ".csv");
}

static int handle_template_xlsx(struct request *req, struct reply *rep)
{
	return send_template(req, rep, ".xlsx");
}

/* The people one import of the caller added or changed (in the caller's scope). */
static int handle_import_people(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *page;
	int rc = person_import_people(db, &req->user, params_int(req, "import", 0),
				      params_int(req, "page", 1), &page);
	if (rc == VE_NOTFOUND)
		return reply_error(req, rep, 404, "not_found", "没有这次导入的记录");
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	char base[64];
	snprintf(base, sizeof(base), "/persons/import/people?import=%lld&",
		 (long long)params_int(req, "import", 0));
	json_object_set_new(page, "pager",
			    page_pager(params_int(req, "page", 1), PERSON_IMPORT_PAGE,
				       json_integer_value(json_object_get(page, "total")), base));
	return reply_page(req, rep, 200, "persons/import_people", "本次导入的人员", page);
}

/* ---- the routes of importing the registry ---- */

/* An import file: the largest upload of the system. */
#define UPLOAD_MAX (50 * 1024 * 1024)

static const struct param_spec import_upload_params[] = {
	{"file", "导入文件", PK_FILE, 1, 0, UPLOAD_MAX, 0},
	PARAM_END,
};

static const struct param_spec import_token_params[] = {
	{"token", "导入批次", PK_TOKEN, 1, 64, 64, 0},
	PARAM_END,
};

static const struct param_spec import_people_params[] = {
	{"import", "导入记录", PK_INT, 1, 1, INT64_MAX, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	PARAM_END,
};

static const struct route routes[] = {
	{"GET", "/persons/import", handle_import_form, PERM_PERSON_WRITE, 0, params_flash, 0},
	{"POST", "/persons/import", handle_import_upload, PERM_PERSON_WRITE, 0, import_upload_params, UPLOAD_MAX + 64 * 1024},
	{"POST", "/persons/import/confirm", handle_import_confirm, PERM_PERSON_WRITE, 0, import_token_params, 0},
	{"GET", "/persons/import/rejected", handle_import_rejected, PERM_PERSON_WRITE, 0, import_token_params, 0},
	{"GET", "/persons/import/progress", handle_import_progress, PERM_PERSON_WRITE, 0, import_token_params, 0},
	{"GET", "/persons/import/status", handle_import_status, PERM_PERSON_WRITE, 0, import_token_params, 0},
	{"GET", "/persons/import/template.csv", handle_template_csv, PERM_PERSON_WRITE, 0, params_none, 0},
	{"GET", "/persons/import/template.xlsx", handle_template_xlsx, PERM_PERSON_WRITE, 0, params_none, 0},
	{"GET", "/persons/import/people", handle_import_people, PERM_PERSON_WRITE, 0, import_people_params, 0},
	{0},
};

const struct web_area person_import_web = {
	.name = "person_import",
	.routes = routes,
	.stop = jobs_stop,
};
