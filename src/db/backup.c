/* backup.c - what a backup needs of the store: each table's rows, a consistent copy of a
 * SQLite file (VACUUM INTO) and its restore (the backup API), and PostgreSQL's own tools
 * (pg_dump of an exported snapshot, pg_restore) run as child processes. */
#include "backend.h"
#include "lib/err.h"
#include "lib/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int db_table_rows(struct db *db, int (*each)(void *ctx, const char *table, int64_t rows),
		  void *ctx)
{
	/* The names first: a count runs on the same connection. */
	struct db_stmt *st = db_q(db, db->ops->tables_sql, "");
	if (!st)
		return VE_DB;
	char **names = NULL;
	size_t n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(db_text(st, 0));
	}
	db_done(st);
	int out = rc == DB_DONE ? 0 : VE_DB;
	for (size_t i = 0; i < n && !out; i++) {
		/* Table names come from the schema, never from input. */
		size_t len = strlen(names[i]) + 32;
		char *sql = xmalloc(len);
		snprintf(sql, len, "SELECT count(*) FROM %s", names[i]);
		struct db_stmt *c = db_q_built(db, sql, 0, NULL);
		int64_t rows = -1;
		if (c && db_step(c) == DB_ROW)
			rows = db_int(c, 0);
		db_done(c);
		free(sql);
		out = rows < 0 ? VE_DB : each(ctx, names[i], rows);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return out;
}

/* fsync of path (a file, or a directory after a rename into it). 0 or -1. */
static int sync_path(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* The error of a write that failed: the disk full, or a file grown past its limit. */
static int write_failure(int code, const char *msg, char *err, size_t errlen)
{
	int full = (code & 0xff) == SQLITE_FULL || code == SQLITE_IOERR_WRITE || errno == ENOSPC ||
		   errno == EFBIG;
	return err_set(err, errlen, full ? VE_IO : VE_DB, "%s%s",
		       full ? "写入失败（磁盘已满或超出文件大小限制）：" : "", msg);
}

int db_sqlite_backup(struct db *db, const char *path, char *err, size_t errlen)
{
	if (strcmp(db->ops->name, "sqlite") != 0)
		return err_set(err, errlen, VE_INVALID, "不是 SQLite 数据库");
	char msg[256] = "";
	errno = 0;
	int sq = db_sqlite_vacuum_into(db, path, msg, sizeof(msg));
	if (sq != SQLITE_OK)
		return write_failure(sq, msg, err, errlen);
	sqlite3 *conn = NULL;
	/* Read as a plain file later (verify opens it read-only): no write-ahead log. */
	sq = sqlite3_open_v2(path, &conn, SQLITE_OPEN_READWRITE, NULL);
	if (sq == SQLITE_OK)
		sq = sqlite3_exec(conn, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
	snprintf(msg, sizeof(msg), "%s", conn ? sqlite3_errmsg(conn) : sqlite3_errstr(sq));
	sqlite3_close(conn);
	if (sq != SQLITE_OK)
		return write_failure(sq, msg, err, errlen);
	if (sync_path(path) != 0)
		return write_failure(SQLITE_IOERR, strerror(errno), err, errlen);
	return 0;
}

int db_integrity(struct db *db, char *err, size_t errlen)
{
	if (strcmp(db->ops->name, "sqlite") != 0)
		return 0;
	static const char *const checks[] = {"PRAGMA integrity_check", "PRAGMA foreign_key_check"};
	for (int i = 0; i < 2; i++) {
		struct db_stmt *st = db_q(db, checks[i], "");
		if (!st)
			return err_set(err, errlen, VE_DB, "%s", db_errmsg(db));
		int rc = db_step(st);
		int bad = 0;
		if (rc == DB_ROW && i == 0 && strcmp(db_text(st, 0) ?: "", "ok") != 0)
			bad = err_set(err, errlen, VE_CRYPTO, "完整性检查未通过：%s", db_text(st, 0));
		else if (rc == DB_ROW && i == 1)
			bad = err_set(err, errlen, VE_CRYPTO, "外键检查未通过：表 %s 的行引用了不存在的记录",
				      db_text(st, 0) ?: "?");
		else if (rc != DB_ROW && rc != DB_DONE)
			bad = err_set(err, errlen, VE_DB, "%s", db_errmsg(db));
		db_done(st);
		if (bad)
			return bad;
	}
	return 0;
}

int db_sqlite_restore(const char *from, const char *to, char *err, size_t errlen)
{
	sqlite3 *src = NULL, *dst = NULL;
	int rc = sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_open_v2(to, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	int out = 0;
	if (rc != SQLITE_OK) {
		out = err_set(err, errlen, VE_DB, "无法打开数据库：%s",
			      dst ? sqlite3_errmsg(dst) : src ? sqlite3_errmsg(src) : sqlite3_errstr(rc));
		goto done;
	}
	/* A server still using to waits its turn; the copy is one write transaction of to's. */
	sqlite3_busy_timeout(dst, 30000);
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		out = err_set(err, errlen, VE_DB, "无法恢复到目标库：%s", sqlite3_errmsg(dst));
		goto done;
	}
	errno = 0;
	rc = sqlite3_backup_step(b, -1);
	int fin = sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE || fin != SQLITE_OK) {
		out = write_failure(rc != SQLITE_DONE ? rc : fin, sqlite3_errmsg(dst), err, errlen);
		goto done;
	}
	/* As the server keeps it: a write-ahead log, folded into the file now. The copy is
	 * committed by then: a failure says that to was written. */
	if (sqlite3_exec(dst, "PRAGMA journal_mode=WAL; PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL,
			 NULL) != SQLITE_OK) {
		char msg[512];
		snprintf(msg, sizeof(msg), "%s 已被改写，但无法把它转为预写日志模式：%s；请勿使用它", to,
			 sqlite3_errmsg(dst));
		out = write_failure(SQLITE_IOERR, msg, err, errlen);
	}
done:
	sqlite3_close(src);
	sqlite3_close(dst);
	if (!out && sync_path(to) != 0)
		out = err_set(err, errlen, VE_IO, "无法写入 %s：%s", to, strerror(errno));
	return out;
}

int db_snapshot_export(struct db *db, char *id, size_t size)
{
	if (strcmp(db->ops->name, "postgresql") != 0 || db_begin_read(db) != 0)
		return VE_DB;
	struct db_stmt *st = db_q(db, "SELECT pg_export_snapshot()", "");
	int rc = st ? db_step(st) : VE_DB;
	if (rc == DB_ROW)
		snprintf(id, size, "%s", db_text(st, 0) ?: "");
	db_done(st);
	if (rc != DB_ROW || !*id) {
		db_rollback(db);
		return VE_DB;
	}
	return 0;
}

/* Runs argv (a PostgreSQL tool) with stdout to /dev/null and stderr read into err (its
 * first line). 0 when it exits 0, else VE_IO. */
static int run_tool(char *const argv[], char *err, size_t errlen)
{
	int pipefd[2];
	if (pipe(pipefd) != 0)
		return err_set(err, errlen, VE_IO, "无法运行 %s：%s", argv[0], strerror(errno));
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	posix_spawn_file_actions_addclose(&fa, pipefd[1]);
	pid_t pid;
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (rc != 0) {
		close(pipefd[0]);
		return err_set(err, errlen, VE_IO, "无法运行 %s：%s（请安装 PostgreSQL 客户端工具）",
			       argv[0], strerror(rc));
	}
	char text[2048];
	size_t used = 0;
	ssize_t got;
	while ((got = read(pipefd[0], text + used, sizeof(text) - 1 - used)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			break;
		used += (size_t)got;
		if (used == sizeof(text) - 1) { /* keep the first part; drain the rest */
			char sink[512];
			while (read(pipefd[0], sink, sizeof(sink)) > 0)
				;
			break;
		}
	}
	text[used] = '\0';
	close(pipefd[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	/* The first line that says what went wrong ("pg_dump: error: …"). */
	char *line = strstr(text, "error: ");
	line = line ? line + 7 : text;
	line[strcspn(line, "\n")] = '\0';
	return err_set(err, errlen, VE_IO, "%s 失败：%s", argv[0], *line ? line : "（无输出）");
}

int db_pg_dump(const char *target, const char *snapshot, const char *path, char *err,
	       size_t errlen)
{
	char dbname[2048], snap[128], file[2048];
	snprintf(dbname, sizeof(dbname), "--dbname=%s", target);
	snprintf(snap, sizeof(snap), "--snapshot=%s", snapshot);
	snprintf(file, sizeof(file), "--file=%s", path);
	char *argv[] = {"pg_dump", "--format=custom", "--no-owner", "--no-privileges", snap, file,
			dbname, NULL};
	int rc = run_tool(argv, err, errlen);
	if (!rc && sync_path(path) != 0)
		rc = err_set(err, errlen, VE_IO, "无法写入 %s：%s", path, strerror(errno));
	return rc;
}

int db_pg_archive_check(const char *path, char *err, size_t errlen)
{
	char file[2048];
	snprintf(file, sizeof(file), "%s", path);
	char *argv[] = {"pg_restore", "--list", file, NULL};
	return run_tool(argv, err, errlen);
}

int db_pg_restore(const char *target, const char *path, int clean, char *err, size_t errlen)
{
	char dbname[2048], file[2048];
	snprintf(dbname, sizeof(dbname), "--dbname=%s", target);
	snprintf(file, sizeof(file), "%s", path);
	char *plain[] = {"pg_restore", "--no-owner", "--no-privileges", "--single-transaction",
			 "--exit-on-error", dbname, file, NULL};
	char *cleaned[] = {"pg_restore", "--no-owner", "--no-privileges", "--single-transaction",
			   "--exit-on-error", "--clean", "--if-exists", dbname, file, NULL};
	return run_tool(clean ? cleaned : plain, err, errlen);
}
