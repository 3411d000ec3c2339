/* backup.c - online backups, their manifest, verification and restore (backup.h). */
#define _GNU_SOURCE /* renameat2 */
#include "backup.h"
#include "areas/audit.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/file.h"
#include "lib/mem.h"
#include "lib/str.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef VETS_VERSION
#define VETS_VERSION "dev"
#endif

static const struct audit_actor system_actor = {0, "system", "cli", ""};

void backup_manifest_path(const char *file, char *out, size_t size)
{
	snprintf(out, size, "%s.manifest.json", file);
}

static void hex_of(const unsigned char *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* Size and SM3 of the file at path (read through a mapping, never whole in memory). */
static int file_digest(const char *path, int64_t *size, char sm3[65], char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return err_set(err, errlen, VE_IO, "无法读取 %s：%s", path, strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(err, errlen, VE_INVALID, "%s 不是普通文件", path);
	}
	*size = st.st_size;
	unsigned char md[SM3_LEN];
	if (st.st_size == 0)
		crypto_sm3("", 0, md);
	else {
		void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED) {
			close(fd);
			return err_set(err, errlen, VE_IO, "无法读取 %s：%s", path, strerror(errno));
		}
		madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
		crypto_sm3(p, (size_t)st.st_size, md);
		munmap(p, (size_t)st.st_size);
	}
	close(fd);
	hex_of(md, SM3_LEN, sm3);
	return 0;
}

/* Puts the finished file from at to, never over an existing one: a hard link (the
 * temporary name is removed after), or where the file system has none a rename that
 * refuses to replace. 0, or -1 with errno (EEXIST when to was taken meanwhile). */
static int place(const char *from, const char *to)
{
	if (link(from, to) == 0)
		return 0;
	if (errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS)
		return -1;
	return renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE);
}

/* SQLite's own limit on a database file's full path (its unix VFS): a longer one fails with
 * "unable to open database file". extra: what is appended to path for the longest name used. */
#define PATH_LIMIT 512

static int path_fits(const char *path, size_t extra, char *err, size_t errlen)
{
	size_t len = strlen(path) + extra;
	if (path[0] != '/') {
		char cwd[4096];
		len += getcwd(cwd, sizeof(cwd)) ? strlen(cwd) + 1 : sizeof(cwd);
	}
	if (len >= PATH_LIMIT || strlen(path) >= 2000)
		return err_set(err, errlen, VE_INVALID,
			       "路径太长：%.60s…（连同所在目录约 %zu 字节，最多 %d 字节）：请换一个短些的路径",
			       path, len, PATH_LIMIT - 1 - (int)extra);
	return 0;
}

/* ---- the manifest's MAC ---- */

#define MANIFEST_MAC_LABEL "vets backup manifest v1"

/* HMAC-SM3, under a key derived from the key file's mac_key, of the manifest's content
 * without its "mac" member: compact JSON with the keys sorted, so that the same content gives
 * the same text whatever the layout of the file. hex receives 64 digits. */
static void manifest_mac(json_t *m, const struct crypto_keys *keys, char hex[65])
{
	json_t *copy = json_copy(m);
	json_object_del(copy, "mac");
	char *text = json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(copy);
	unsigned char k[SM3_LEN], md[SM3_LEN];
	crypto_derive_key(keys->mac_key, MANIFEST_MAC_LABEL, k);
	crypto_hmac_sm3(k, sizeof(k), text ? text : "", text ? strlen(text) : 0, md);
	mem_wipe(k, sizeof(k));
	free(text);
	hex_of(md, SM3_LEN, hex);
}

static int manifest_mac_check(json_t *m, const struct crypto_keys *keys, char *err, size_t errlen)
{
	char want[65];
	const char *got = json_string_value(json_object_get(m, "mac"));
	manifest_mac(m, keys, want);
	if (!got || strlen(got) != 64 || !crypto_equal(got, want, 64))
		return err_set(err, errlen, VE_CRYPTO,
			       "备份清单的校验码不符：备份或清单被改动，或密钥文件不是该备份的");
	return 0;
}

/* ---- what a snapshot holds ---- */

struct counting {
	json_t *tables;
	struct backup_info *info;
};

static int count_one(void *ctx, const char *table, int64_t rows)
{
	struct counting *c = ctx;
	json_object_set_new(c->tables, table, json_integer(rows));
	c->info->tables++;
	c->info->rows += rows;
	if (strcmp(table, "audit_log") == 0)
		c->info->audit_records = rows;
	return 0;
}

/* The schema version, every table's rows (into *tables), the audit head and the key's
 * generation, as db's current transaction (or the copy) sees them. */
static int read_state(struct db *db, json_t **tables, struct backup_info *info, char *err,
		      size_t errlen)
{
	struct counting c = {json_object(), info};
	info->tables = info->rows = info->audit_records = 0;
	if (db_has_table(db, "schema_migrations") != 1 || db_has_table(db, "audit_log") != 1 ||
	    db_schema_version(db, &info->schema_version) != 0 || info->schema_version <= 0) {
		json_decref(c.tables);
		return err_set(err, errlen, VE_INVALID, "不是 vets 的数据库（没有 vets 的表）");
	}
	if (db_table_rows(db, count_one, &c) != 0) {
		json_decref(c.tables);
		return err_set(err, errlen, VE_DB, "无法统计各表行数：%s", db_errmsg(db));
	}
	struct db_stmt *st = db_q(db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", "");
	int rc = st ? db_step(st) : VE_DB;
	info->head_seq = 0;
	info->head_hash[0] = '\0';
	if (rc == DB_ROW) {
		info->head_seq = db_int(st, 0);
		str_copy(info->head_hash, db_text(st, 1) ?: "", sizeof(info->head_hash));
	}
	db_done(st);
	char fp[KEYRING_FINGERPRINT_HEX + 1];
	if ((rc != DB_ROW && rc != DB_DONE) || keyring_recorded(db, &info->generation, fp) != 0) {
		json_decref(c.tables);
		return err_set(err, errlen, VE_DB, "无法读取审计链：%s", db_errmsg(db));
	}
	*tables = c.tables;
	return 0;
}

static json_t *manifest_json(const struct backup_info *i, json_t *tables)
{
	return json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:I, s:o, s:{s:I, s:I, s:s}, "
			 "s:{s:s, s:I}, s:{s:I, s:s}}",
			 "format", BACKUP_FORMAT, "version", BACKUP_VERSION, "backend", i->backend,
			 "created_utc", i->created_utc, "created_beijing", i->created_beijing,
			 "vets_version", i->vets_version, "schema_version", (json_int_t)i->schema_version,
			 "tables", tables, "audit", "records", (json_int_t)i->audit_records,
			 "last_seq", (json_int_t)i->head_seq, "last_hash", i->head_hash, "key",
			 "fingerprint", i->fingerprint, "generation", (json_int_t)i->generation, "file",
			 "size", (json_int_t)i->size, "sm3", i->sm3);
}

static int write_manifest(const char *path, json_t *m, char *err, size_t errlen)
{
	char *text = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	int fd = text ? open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644) : -1;
	size_t n = text ? strlen(text) : 0;
	int ok = fd >= 0 && write(fd, text, n) == (ssize_t)n && write(fd, "\n", 1) == 1 &&
		 fsync(fd) == 0;
	int e = errno;
	if (fd >= 0 && close(fd) != 0)
		ok = 0;
	free(text);
	if (!ok)
		return err_set(err, errlen, VE_IO, "无法写入备份清单%s：%s",
			       e == ENOSPC || e == EFBIG ? "（磁盘已满或超出文件大小限制）" : "",
			       strerror(e));
	return 0;
}

static void stamp(struct backup_info *i)
{
	int64_t now = clock_now();
	clock_iso_utc(now, i->created_utc);
	char date[11];
	int64_t bj = now + 8 * 3600;
	clock_date_text(bj, date);
	snprintf(i->created_beijing, sizeof(i->created_beijing), "%s %02d:%02d:%02d", date,
		 (int)(bj % 86400 / 3600), (int)(bj % 3600 / 60), (int)(bj % 60));
	str_copy(i->vets_version, VETS_VERSION, sizeof(i->vets_version));
}

/* Removes a temporary directory of ours and whatever is in it (the copy, its manifest, and
 * anything SQLite put beside them: -journal, -wal, -shm). Nothing when dir is "". */
static void remove_temp(const char *dir)
{
	if (!*dir)
		return;
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL)
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	rmdir(dir);
}

int backup_make(struct db *db, const char *target, const char *file, const struct crypto_keys *keys,
		struct backup_info *out, char *err, size_t errlen)
{
	int64_t started = clock_usec();
	memset(out, 0, sizeof(*out));
	char manifest[4096], dir[4096], data[4200], tmp_manifest[4200];
	struct stat st;
	backup_manifest_path(file, manifest, sizeof(manifest));
	if (lstat(file, &st) == 0)
		return err_set(err, errlen, VE_EXISTS, "备份文件已存在：%s（不会覆盖，请换一个文件名）",
			       file);
	if (lstat(manifest, &st) == 0)
		return err_set(err, errlen, VE_EXISTS, "备份清单已存在：%s（不会覆盖，请换一个文件名）",
			       manifest);
	if (path_fits(file, strlen(".tmp-XXXXXX/manifest.json"), err, errlen))
		return VE_INVALID;
	snprintf(dir, sizeof(dir), "%s.tmp-XXXXXX", file);
	if (!mkdtemp(dir)) {
		char copy[4096];
		str_copy(copy, file, sizeof(copy));
		return err_set(err, errlen, VE_IO, "无法在目录 %s 中写入备份：%s", dirname(copy),
			       strerror(errno));
	}
	snprintf(data, sizeof(data), "%s/data", dir);
	snprintf(tmp_manifest, sizeof(tmp_manifest), "%s/manifest.json", dir);
	str_copy(out->backend, db_backend(db), sizeof(out->backend));
	keyring_fingerprint(keys, out->fingerprint);
	json_t *tables = NULL;
	int rc;
	if (strcmp(out->backend, "sqlite") == 0) {
		stamp(out);
		rc = db_sqlite_backup(db, data, err, errlen);
		/* The counts are the copy's own: it is one snapshot by construction. */
		struct db *copy = NULL;
		if (!rc && (rc = db_open_readonly(&copy, data, err, errlen)) == 0) {
			rc = db_integrity(copy, err, errlen);
			if (!rc)
				rc = read_state(copy, &tables, out, err, errlen);
			db_close(copy);
		}
	} else {
		/* The counts and the dump read one snapshot: this transaction's, exported to
		 * pg_dump, which runs while it stays open. */
		char snapshot[128];
		if (db_snapshot_export(db, snapshot, sizeof(snapshot)) != 0)
			rc = err_set(err, errlen, VE_DB, "无法建立一致的快照：%s", db_errmsg(db));
		else {
			stamp(out);
			rc = read_state(db, &tables, out, err, errlen);
			if (!rc)
				rc = db_pg_dump(target, snapshot, data, err, errlen);
			db_rollback(db);
			if (!rc)
				rc = db_pg_archive_check(data, err, errlen);
		}
	}
	/* The copy holds everyone's records: readable by its owner only. */
	if (!rc && chmod(data, 0600) != 0)
		rc = err_set(err, errlen, VE_IO, "无法设置 %s 的权限：%s", data, strerror(errno));
	if (!rc)
		rc = file_digest(data, &out->size, out->sm3, err, errlen);
	if (!rc) {
		json_t *m = manifest_json(out, tables);
		tables = NULL;
		char mac[65];
		manifest_mac(m, keys, mac);
		json_object_set_new(m, "mac", json_string(mac));
		rc = write_manifest(tmp_manifest, m, err, errlen);
		json_decref(m);
	}
	json_decref(tables);
	/* Into place without replacing anything: link fails when the name was taken meanwhile. */
	if (!rc && place(data, file) != 0)
		rc = err_set(err, errlen, errno == EEXIST ? VE_EXISTS : VE_IO, "无法写入 %s：%s", file,
			     strerror(errno));
	else if (!rc && place(tmp_manifest, manifest) != 0) {
		rc = err_set(err, errlen, errno == EEXIST ? VE_EXISTS : VE_IO, "无法写入 %s：%s",
			     manifest, strerror(errno));
		unlink(file);
	}
	remove_temp(dir);
	if (rc)
		return rc;
	file_sync_parent(file);
	out->millis = (clock_usec() - started) / 1000;
	char detail[512];
	snprintf(detail, sizeof(detail),
		 "备份文件 %s，%" PRId64 " 字节，SM3 %.16s…，审计链截至第 %" PRId64 " 条", file,
		 out->size, out->sm3, out->head_seq);
	if (audit_event(db, &system_actor, "backup.create", file, "ok", detail) != 0)
		return err_set(err, errlen, VE_DB,
			       "备份已写好（%s），但未能记入审计日志：%s", file, db_errmsg(db));
	return 0;
}

/* ---- reading a manifest ---- */

/* More rows than any store of ours holds: a manifest's counts, each and summed, stay below. */
#define BACKUP_MAX_ROWS ((json_int_t)1 << 50)

static int key_matches(const struct backup_info *i, const struct crypto_keys *keys, char *err,
		       size_t errlen);

int backup_manifest_parse(const char *text, size_t len, const char *path,
			  const struct crypto_keys *keys, json_t **m, struct backup_info *i,
			  char *err, size_t errlen)
{
	json_error_t je;
	*m = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	const char *format = NULL, *backend = NULL, *utc = NULL, *bj = NULL, *ver = NULL;
	const char *hash = NULL, *fp = NULL, *sm3 = NULL;
	json_int_t version = 0, schema = 0, records = 0, seq = 0, gen = 0, size = 0;
	json_t *tables = NULL;
	if (!*m || json_unpack(*m, "{s:s, s:I, s:s, s:s, s:s, s:s, s:I, s:o, s:{s:I, s:I, s:s}, "
				   "s:{s:s, s:I}, s:{s:I, s:s}}",
			       "format", &format, "version", &version, "backend", &backend,
			       "created_utc", &utc, "created_beijing", &bj, "vets_version", &ver,
			       "schema_version", &schema, "tables", &tables, "audit", "records",
			       &records, "last_seq", &seq, "last_hash", &hash, "key", "fingerprint",
			       &fp, "generation", &gen, "file", "size", &size, "sm3", &sm3) != 0 ||
	    strcmp(format, BACKUP_FORMAT) != 0 || !json_is_object(tables)) {
		json_decref(*m);
		*m = NULL;
		return err_set(err, errlen, VE_INVALID, "备份清单 %s 无法识别（不是 vets 备份清单或已损坏）",
			       path);
	}
	if (version != BACKUP_VERSION) {
		json_decref(*m);
		*m = NULL;
		return err_set(err, errlen, VE_INVALID,
			       "备份清单的格式版本为 %" JSON_INTEGER_FORMAT "，本程序只认版本 %d", version,
			       BACKUP_VERSION);
	}
	str_copy(i->backend, backend, sizeof(i->backend));
	str_copy(i->created_utc, utc, sizeof(i->created_utc));
	str_copy(i->created_beijing, bj, sizeof(i->created_beijing));
	str_copy(i->vets_version, ver, sizeof(i->vets_version));
	str_copy(i->head_hash, hash, sizeof(i->head_hash));
	str_copy(i->fingerprint, fp, sizeof(i->fingerprint));
	str_copy(i->sm3, sm3, sizeof(i->sm3));
	i->schema_version = schema;
	i->audit_records = records;
	i->head_seq = seq;
	i->generation = gen;
	i->size = size;
	i->tables = (int64_t)json_object_size(tables);
	i->rows = 0;
	const char *k;
	json_t *v;
	/* Counts as a store can hold them: each and their sum bounded, so nothing overflows. */
	json_object_foreach(tables, k, v) {
		json_int_t n = json_integer_value(v);
		if (!json_is_integer(v) || n < 0 || n > BACKUP_MAX_ROWS || i->rows > BACKUP_MAX_ROWS - n) {
			/* k belongs to *m: the message first. */
			err_set(err, errlen, VE_INVALID,
				"备份清单 %s 无法识别：表 %.64s 的行数不是 0 到 %lld 之间的整数，或各表合计超出此数",
				path, k, (long long)BACKUP_MAX_ROWS);
			json_decref(*m);
			*m = NULL;
			return VE_INVALID;
		}
		i->rows += n;
	}
	if (size < 0 || records < 0 || seq < 0 || schema < 0 || gen < 0) {
		json_decref(*m);
		*m = NULL;
		return err_set(err, errlen, VE_INVALID, "备份清单 %s 无法识别：其中有负数", path);
	}
	if (!keys)
		return 0;
	int rc = key_matches(i, keys, err, errlen);
	if (!rc)
		rc = manifest_mac_check(*m, keys, err, errlen);
	if (rc) {
		json_decref(*m);
		*m = NULL;
	}
	return rc;
}

/* The whole of the file at path into a malloc'd buffer (*len bytes, NUL after them). 0, or -1
 * (not readable, not a file, or out of memory). */
static int slurp(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	*text = NULL;
	if (!f)
		return -1;
	for (;;) {
		if (cap - n < 4096) {
			char *more = realloc(buf, cap ? 2 * cap : 8192);
			if (!more)
				break;
			buf = more;
			cap = cap ? 2 * cap : 8192;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	int bad = !buf || ferror(f) || !feof(f);
	fclose(f);
	if (bad) {
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

/* FILE's manifest through backup_manifest_parse (with keys: fingerprint and MAC too). */
static int manifest_read(const char *file, const struct crypto_keys *keys, json_t **m,
			 struct backup_info *i, char *err, size_t errlen)
{
	char path[4096];
	backup_manifest_path(file, path, sizeof(path));
	*m = NULL;
	if (access(path, F_OK) != 0)
		return err_set(err, errlen, VE_INVALID,
			       "找不到备份清单 %s：这不是 vets backup 做的备份，或清单丢失", path);
	char *text;
	size_t len = 0;
	if (slurp(path, &text, &len) != 0)
		return err_set(err, errlen, VE_INVALID, "备份清单 %s 无法识别（不是 vets 备份清单或已损坏）",
			       path);
	int rc = backup_manifest_parse(text, len, path, keys, m, i, err, errlen);
	free(text);
	return rc;
}

static void say(void (*line)(const char *), const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(void (*line)(const char *), const char *fmt, ...)
{
	if (!line)
		return;
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	line(text);
}

/* Checks that the key is the one the backup was made with (by fingerprint). */
static int key_matches(const struct backup_info *i, const struct crypto_keys *keys, char *err,
		       size_t errlen)
{
	char fp[KEYRING_FINGERPRINT_HEX + 1];
	keyring_fingerprint(keys, fp);
	if (strcmp(fp, i->fingerprint) != 0)
		return err_set(err, errlen, VE_CRYPTO,
			       "密钥文件与备份不符：备份所用密钥的指纹为 %s（第 %" PRId64 " 代），"
			       "所给密钥文件的指纹为 %s；请用做备份时的密钥文件（密钥轮换前做的备份用"
			       "当时那一代的密钥文件，轮换后它保留为 密钥文件路径.N）",
			       i->fingerprint, i->generation, fp);
	return 0;
}

/* Checks an opened database against the manifest m: integrity, every table's count (no
 * table more, none less), the audit chain's head and the chain under the keys. */
static int check_store(struct db *db, json_t *m, const struct backup_info *want,
		       void (*line)(const char *), char *err, size_t errlen)
{
	int rc = db_integrity(db, err, errlen);
	if (rc)
		return rc;
	if (strcmp(db_backend(db), "sqlite") == 0)
		say(line, "完整性检查（integrity_check、foreign_key_check）：通过");
	struct backup_info got = {0};
	json_t *tables = NULL;
	if ((rc = read_state(db, &tables, &got, err, errlen)) != 0)
		return rc;
	json_t *listed = json_object_get(m, "tables");
	const char *name;
	json_t *v;
	json_object_foreach(listed, name, v) {
		json_t *have = json_object_get(tables, name);
		if (!have || json_integer_value(have) != json_integer_value(v)) {
			rc = have ? err_set(err, errlen, VE_CRYPTO,
					    "表 %s 的行数与清单不符：清单 %" JSON_INTEGER_FORMAT
					    " 行，实有 %" JSON_INTEGER_FORMAT " 行",
					    name, json_integer_value(v), json_integer_value(have))
				  : err_set(err, errlen, VE_CRYPTO, "表 %s 在清单中，库中却没有", name);
			break;
		}
	}
	if (!rc && json_object_size(tables) != json_object_size(listed))
		rc = err_set(err, errlen, VE_CRYPTO, "表的个数与清单不符：清单 %zu 个，实有 %zu 个",
			     json_object_size(listed), json_object_size(tables));
	json_decref(tables);
	if (rc)
		return rc;
	say(line, "各表行数：与清单一致（%" PRId64 " 个表，共 %" PRId64 " 行）", got.tables, got.rows);
	if (got.head_seq != want->head_seq || strcmp(got.head_hash, want->head_hash) != 0)
		return err_set(err, errlen, VE_CRYPTO,
			       "审计链末条与清单不符：清单为第 %" PRId64 " 条，实为第 %" PRId64 " 条",
			       want->head_seq, got.head_seq);
	int64_t records = 0, bad = 0;
	char why[512];
	rc = audit_verify(db, &records, &bad, why, sizeof(why));
	if (rc == VE_CRYPTO)
		return err_set(err, errlen, VE_CRYPTO, "审计链校验未通过（第 %" PRId64 " 条）：%s", bad,
			       why);
	if (rc)
		return err_set(err, errlen, VE_DB, "无法校验审计链：%s", why);
	say(line, "审计链：完整（%" PRId64 " 条记录，末条第 %" PRId64 " 条）", records, got.head_seq);
	return 0;
}

/* The manifest, the key, the manifest's MAC, the file's size and SM3; 0 with *m to free.
 * Nothing the manifest says is trusted before its MAC checks (the fingerprint is compared
 * first only to name the key file a backup needs). */
static int check_file(const char *file, const struct crypto_keys *keys, void (*line)(const char *),
		      json_t **m, struct backup_info *out, char *err, size_t errlen)
{
	int rc = manifest_read(file, keys, m, out, err, errlen);
	if (rc)
		return rc;
	say(line, "备份清单：%s 格式第 %d 版，%s，制作于 %s（北京时间），校验码正确", BACKUP_FORMAT,
	    BACKUP_VERSION, out->backend, out->created_beijing);
	say(line, "密钥文件：指纹 %s，与备份一致", out->fingerprint);
	int64_t size = 0;
	char sm3[65];
	if ((rc = file_digest(file, &size, sm3, err, errlen)) != 0)
		goto fail;
	if (size != out->size) {
		rc = err_set(err, errlen, VE_CRYPTO,
			     "备份文件长度与清单不符：清单 %" PRId64 " 字节，实为 %" PRId64 " 字节（文件可能被截断）",
			     out->size, size);
		goto fail;
	}
	if (strcmp(sm3, out->sm3) != 0) {
		rc = err_set(err, errlen, VE_CRYPTO, "备份文件的 SM3 与清单不符：文件已损坏或被改动");
		goto fail;
	}
	say(line, "文件长度与 SM3：与清单一致（%" PRId64 " 字节，SM3 %s）", size, sm3);
	return 0;
fail:
	json_decref(*m);
	*m = NULL;
	return rc;
}

/* 0 when file begins as a SQLite database does. */
static int sqlite_header(const char *file, char *err, size_t errlen)
{
	static const char magic[16] = "SQLite format 3";
	char head[16] = {0};
	FILE *f = fopen(file, "rb");
	size_t n = f ? fread(head, 1, sizeof(head), f) : 0;
	if (f)
		fclose(f);
	if (n != sizeof(head) || memcmp(head, magic, sizeof(head)) != 0)
		return err_set(err, errlen, VE_INVALID, "%s 不是 SQLite 数据库文件", file);
	return 0;
}

/* backup_verify, leaving the checked manifest in *m (to free) on success. */
static int verify_file(const char *file, const struct crypto_keys *keys,
		       void (*line)(const char *text), struct backup_info *out, json_t **mp,
		       char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	*mp = NULL;
	json_t *m = NULL;
	int rc = check_file(file, keys, line, &m, out, err, errlen);
	if (rc)
		return rc;
	audit_init(keys);
	if (strcmp(out->backend, "sqlite") == 0) {
		struct db *copy = NULL;
		rc = path_fits(file, 0, err, errlen);
		if (!rc)
			rc = sqlite_header(file, err, errlen);
		if (!rc)
			rc = db_open_readonly(&copy, file, err, errlen);
		if (!rc)
			rc = check_store(copy, m, out, line, err, errlen);
		db_close(copy);
	} else if (strcmp(out->backend, "postgresql") == 0) {
		rc = db_pg_archive_check(file, err, errlen);
		if (!rc)
			say(line, "PostgreSQL 归档：pg_restore 可完整读出目录（行数与审计链在恢复时核对）");
	} else
		rc = err_set(err, errlen, VE_INVALID, "备份清单中的数据库类型无法识别：%s", out->backend);
	if (rc)
		json_decref(m);
	else
		*mp = m;
	return rc;
}

int backup_verify(const char *file, const struct crypto_keys *keys,
		  void (*line)(const char *text), struct backup_info *out, char *err, size_t errlen)
{
	json_t *m = NULL;
	int rc = verify_file(file, keys, line, out, &m, err, errlen);
	json_decref(m);
	return rc;
}

/* ---- restore ---- */

/* 0 when target is neither the backup file nor its manifest (by inode: any name of them). */
static int not_the_backup(const char *file, const char *target, char *err, size_t errlen)
{
	struct stat t, f;
	char manifest[4096];
	backup_manifest_path(file, manifest, sizeof(manifest));
	if (stat(target, &t) != 0)
		return 0;
	if ((stat(file, &f) == 0 && f.st_dev == t.st_dev && f.st_ino == t.st_ino) ||
	    (stat(manifest, &f) == 0 && f.st_dev == t.st_dev && f.st_ino == t.st_ino))
		return err_set(err, errlen, VE_INVALID,
			       "目标 %s 就是备份文件（或其清单）本身：不能把备份恢复到它自己上面，"
			       "请恢复到另一个数据库文件",
			       target);
	return 0;
}

/* 0 when target may be restored into: a file that does not exist (nor its -wal), a
 * PostgreSQL database without tables; or anything with force. */
static int target_free(const char *target, int force, char *err, size_t errlen)
{
	if (!db_is_server_uri(target) && path_fits(target, strlen(".tmp-XXXXXX/restored.db-journal"),
						   err, errlen))
		return VE_INVALID;
	if (force)
		return 0;
	if (!db_is_server_uri(target)) {
		char side[4200];
		struct stat st;
		snprintf(side, sizeof(side), "%s-wal", target);
		if (lstat(target, &st) == 0)
			return err_set(err, errlen, VE_EXISTS,
				       "目标数据库已存在：%s（确要覆盖请加 --force；覆盖前请先备份它）",
				       target);
		if (lstat(side, &st) == 0)
			return err_set(err, errlen, VE_EXISTS,
				       "目标数据库不存在，但旁边有它的日志文件 %s：请先移走它", side);
		return 0;
	}
	struct db *db = NULL;
	int rc = db_open(&db, target, err, errlen);
	int tables = rc ? -1 : db_table_count(db);
	db_close(db);
	if (rc)
		return rc;
	if (tables < 0)
		return err_set(err, errlen, VE_DB, "无法读取目标库");
	if (tables > 0)
		return err_set(err, errlen, VE_EXISTS,
			       "目标数据库中已有 %d 个表（确要覆盖请加 --force；覆盖前请先备份它）",
			       tables);
	return 0;
}

/* The target's tables that the backup does not have, named in a list. */
struct foreign_tables {
	json_t *listed;
	char names[512];
	int count;
};

static int note_foreign(void *ctx, const char *table, int64_t rows)
{
	(void)rows;
	struct foreign_tables *f = ctx;
	if (json_object_get(f->listed, table))
		return 0;
	size_t used = strlen(f->names);
	if (used < sizeof(f->names) - 80)
		snprintf(f->names + used, sizeof(f->names) - used, "%s%s", f->count ? "、" : "", table);
	f->count++;
	return 0;
}

/* A PostgreSQL target under --force: pg_restore --clean replaces the backup's tables and
 * leaves any other, so a target holding tables the backup lacks is refused before it is
 * touched (it could not come out as the manifest says). */
static int pg_target_tables(const char *target, json_t *m, char *err, size_t errlen)
{
	struct db *db = NULL;
	int rc = db_open(&db, target, err, errlen);
	if (rc)
		return rc;
	struct foreign_tables f = {json_object_get(m, "tables"), "", 0};
	rc = db_table_rows(db, note_foreign, &f);
	if (rc)
		rc = err_set(err, errlen, VE_DB, "无法读取目标库的表：%s", db_errmsg(db));
	db_close(db);
	if (!rc && f.count)
		rc = err_set(err, errlen, VE_CONFLICT,
			     "目标数据库中有 %d 个备份里没有的表：%s（恢复不会删除它们）；目标未改动："
			     "请恢复到一个新建的空库，或先移走这些表",
			     f.count, f.names);
	return rc;
}

/* Restores file into a SQLite target. *written: the target itself was written (--force over
 * an existing file); otherwise the copy is made in work under dir, put in place at the end. */
static int restore_sqlite(const char *file, const char *target, int force, int *written,
			  char *err, size_t errlen, char *work, size_t worksize, char *dir,
			  size_t dirsize)
{
	char side[4200];
	struct stat st;
	int exists = lstat(target, &st) == 0;
	if (exists && !force)
		return err_set(err, errlen, VE_EXISTS,
			       "目标数据库已存在：%s（确要覆盖请加 --force；覆盖前请先备份它）", target);
	if (exists) {
		/* Over the database in its own transaction: a server's write-ahead log is read
		 * and replaced with it, never replayed over the restored pages afterwards. */
		str_copy(work, target, worksize);
		dir[0] = '\0';
		int rc = db_sqlite_restore(file, target, err, errlen);
		*written = !rc;
		return rc;
	}
	snprintf(side, sizeof(side), "%s-wal", target);
	if (lstat(side, &st) == 0)
		return err_set(err, errlen, VE_EXISTS,
			       "目标数据库不存在，但旁边有它的日志文件 %s：请先移走它", side);
	snprintf(dir, dirsize, "%s.tmp-XXXXXX", target);
	if (!mkdtemp(dir)) {
		char copy[4096];
		str_copy(copy, target, sizeof(copy));
		dir[0] = '\0';
		return err_set(err, errlen, VE_IO, "无法在目录 %s 中写入：%s", dirname(copy),
			       strerror(errno));
	}
	snprintf(work, worksize, "%s/restored.db", dir);
	return db_sqlite_restore(file, work, err, errlen);
}

int backup_restore(const char *file, const char *target, int force, const struct crypto_keys *keys,
		   void (*line)(const char *text), struct backup_info *out, char *err, size_t errlen)
{
	int64_t started = clock_usec();
	json_t *m = NULL;
	/* A target that is refused is refused before the backup is read. */
	int rc = not_the_backup(file, target, err, errlen);
	if (!rc)
		rc = target_free(target, force, err, errlen);
	if (!rc)
		rc = verify_file(file, keys, line, out, &m, err, errlen);
	if (rc)
		return rc;
	int pg = db_is_server_uri(target);
	if (pg != (strcmp(out->backend, "postgresql") == 0)) {
		json_decref(m);
		return err_set(err, errlen, VE_INVALID,
			       "备份来自 %s，只能恢复到同类数据库（换库请恢复后用 vets db copy）",
			       out->backend);
	}
	char work[4200] = "", dir[4200] = "";
	struct db *db = NULL;
	int written = 0; /* the target itself was changed: a failure from here on says so */
	if (pg) {
		str_copy(work, target, sizeof(work));
		rc = db_open(&db, target, err, errlen);
		int tables = rc ? -1 : db_table_count(db);
		db_close(db);
		db = NULL;
		if (!rc && tables < 0)
			rc = err_set(err, errlen, VE_DB, "无法读取目标库");
		if (!rc && tables > 0)
			rc = pg_target_tables(target, m, err, errlen);
		/* One transaction (--single-transaction): on failure the target is as it was. */
		if (!rc)
			rc = db_pg_restore(target, file, tables > 0, err, errlen);
		written = !rc;
	} else
		rc = restore_sqlite(file, target, force, &written, err, errlen, work, sizeof(work), dir,
				    sizeof(dir));
	if (!rc)
		rc = db_open(&db, work, err, errlen);
	if (!rc) {
		say(line, "已恢复，正在核对恢复后的数据库：");
		rc = check_store(db, m, out, line, err, errlen);
	}
	if (!rc) {
		char detail[512];
		snprintf(detail, sizeof(detail),
			 "自备份 %s 恢复（备份制作于 %s 北京时间，审计链截至第 %" PRId64 " 条，SM3 %.16s…）",
			 file, out->created_beijing, out->head_seq, out->sm3);
		if (audit_event(db, &system_actor, "backup.restore", file, "ok", detail) != 0)
			rc = err_set(err, errlen, VE_DB, "无法记入审计日志：%s", db_errmsg(db));
	}
	db_close(db);
	json_decref(m);
	if (rc && written) {
		char why[1024];
		str_copy(why, err, sizeof(why));
		err_set(err, errlen, rc,
			"目标数据库已被改写，但恢复后的检查未通过：%s；请勿使用它，重新恢复到新的数据库",
			why);
	}
	if (!rc && *dir && place(work, target) != 0)
		rc = err_set(err, errlen, errno == EEXIST ? VE_EXISTS : VE_IO, "无法写入 %s：%s", target,
			     strerror(errno));
	remove_temp(dir);
	if (!rc && !pg)
		file_sync_parent(target);
	out->millis = (clock_usec() - started) / 1000;
	return rc;
}

/* ---- what the area declares ---- */

static const struct audit_title audit_titles[] = {
	{"backup.create", "备份数据库"},
	{"backup.restore", "从备份恢复数据库"},
	{NULL, NULL},
};

const struct area backup_area = {.name = "backup", .audit_titles = audit_titles};
