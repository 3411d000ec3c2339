/* pg.c - the PostgreSQL backend of the store, on libpq.
 *
 * SQL arrives in the common dialect with '?' placeholders (db.h); it is prepared
 * once per connection, named by the address of its text, with '?' and '?N'
 * rewritten to '$N'. A query runs when it is made (db_q) and its rows are read
 * whole; an error surfaces at the first db_step, as on SQLite. db_begin takes one
 * transaction-scoped advisory lock, so that writers run one at a time as they do on
 * SQLite and every read-then-write in a transaction (the audit chain's head, a
 * batch's totals, a claim of a job's slot) stays correct under concurrent clients.
 * A connection the server dropped is opened again by the next statement outside a
 * transaction (one it interrupted fails to its end and is rolled back); what failed in
 * between returns VE_DB (503 at the web layer). */
#include "backend.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/mem.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 1024
/* The key of the advisory lock every writing transaction takes ("vets"). */
#define WRITE_LOCK "7660657473"
/* Type oids of pg_type (server/catalog/pg_type_d.h is not in libpq-dev). */
enum { BOOLOID = 16, BYTEAOID = 17, INT8OID = 20, INT2OID = 21, INT4OID = 23, TEXTOID = 25,
       OIDOID = 26, NUMERICOID = 1700 };

struct prepared {
	const char *key; /* the SQL text's address */
	char name[16];
};

struct pg_db {
	struct db base;
	PGconn *conn;
	struct prepared cache[CACHE_SLOTS];
	int named;   /* statements prepared on this connection */
	int own_timeout; /* the target sets statement_timeout itself */
	int tx;          /* db_begin/db_begin_read opened a transaction not yet ended */
	int changes; /* rows the last statement changed */
};

struct pg_stmt {
	struct db_stmt base;
	PGresult *res;
	int rc; /* 0, or the error the first step returns */
	int row, rows;
	unsigned char **blobs; /* the current row's bytea values, unescaped, by column */
};

#define PG(db) ((struct pg_db *)(db))
#define PGS(st) ((struct pg_stmt *)(st))

/* The first line of libpq's message into the connection's errmsg. */
static void note(struct pg_db *db, const char *msg)
{
	snprintf(db->base.errmsg, sizeof(db->base.errmsg), "%s", msg ? msg : "?");
	db->base.errmsg[strcspn(db->base.errmsg, "\n")] = '\0';
}

static int session_setup(struct pg_db *db)
{
	/* Statement and lock timeouts: a query that hangs (a lock never released, a plan
	 * gone wrong) ends with an error instead of holding a worker; a target that sets
	 * its own (options=-c statement_timeout=...) keeps it. No JIT: the statements are
	 * short, and a batch's work tables (temporary, so never analysed) looked costly
	 * enough to the planner that compiling each took a second. */
	const char *setup = db->own_timeout
				    ? "SET client_min_messages = warning; SET jit = off"
				    : "SET client_min_messages = warning; SET jit = off; "
				      "SET statement_timeout = '300s'; SET lock_timeout = '30s'";
	PGresult *res = PQexec(db->conn, setup);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		note(db, PQresultErrorMessage(res));
	PQclear(res);
	if (ok && strcmp(PQparameterStatus(db->conn, "server_encoding") ?: "", "UTF8") != 0) {
		note(db, "数据库的编码不是 UTF8（请用 CREATE DATABASE … ENCODING 'UTF8' 建库）");
		ok = 0;
	}
	memset(db->cache, 0, sizeof(db->cache));
	db->named = 0;
	return ok ? 0 : VE_DB;
}

static int pg_open(struct db **out, const char *target, char *err, size_t errlen)
{
	struct pg_db *db = xcalloc(1, sizeof(*db));
	db->base.ops = &db_pg_ops;
	const char *keys[] = {"connect_timeout", "application_name", "client_encoding", "dbname", NULL};
	const char *vals[] = {"5", "vets", "UTF8", target, NULL};
	db->conn = PQconnectdbParams(keys, vals, 1);
	char shown[300];
	db_target_shown(target, shown, sizeof(shown));
	if (!db->conn || PQstatus(db->conn) != CONNECTION_OK) {
		note(db, db->conn ? PQerrorMessage(db->conn) : "内存不足");
		err_set(err, errlen, VE_DB, "无法连接数据库 %s：%s", shown, db->base.errmsg);
		PQfinish(db->conn);
		free(db);
		return VE_DB;
	}
	db->own_timeout = strstr(target, "statement_timeout") != NULL;
	if (session_setup(db) != 0) {
		err_set(err, errlen, VE_DB, "无法使用数据库 %s：%s", shown, db->base.errmsg);
		PQfinish(db->conn);
		free(db);
		return VE_DB;
	}
	*out = &db->base;
	return 0;
}

static void pg_close(struct db *db)
{
	PQfinish(PG(db)->conn);
	free(db);
}

/* A connection the server dropped (a restart, a network fault) is opened again, once
 * per statement that finds it so; 0 when the connection is usable. */
static int usable(struct pg_db *db)
{
	if (PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	/* Inside a transaction the server rolled back what it had: going on with a new
	 * connection would save the rest alone. The caller's rollback ends it. */
	if (db->tx) {
		note(db, "数据库连接已断开，事务已回滚");
		return VE_DB;
	}
	PQreset(db->conn);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		note(db, PQerrorMessage(db->conn));
		return VE_DB;
	}
	log_info("db.reconnected", "backend=%s", "postgresql");
	return session_setup(db);
}

/* The error a failed result means: VE_EXISTS for a unique key, else VE_DB. */
static int failure(struct pg_db *db, PGresult *res, const char *sql)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	note(db, PQresultErrorMessage(res));
	if (state && strcmp(state, "23505") == 0)
		return VE_EXISTS;
	log_error("db.error", "state=%s error=%s sql=%.300s", state ? state : "-",
		  db->base.errmsg, sql);
	return VE_DB;
}

static int pg_exec(struct db *base, const char *sql)
{
	struct pg_db *db = PG(base);
	if (usable(db) != 0)
		return VE_DB;
	PGresult *res = PQexec(db->conn, sql);
	ExecStatusType s = PQresultStatus(res);
	int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? 0 : failure(db, res, sql);
	PQclear(res);
	return rc == VE_EXISTS ? VE_DB : rc;
}

/* sql with '?' and '?N' as '$N' (outside quotes and comments); *params gets the
 * highest number. NULL when a number is out of range. */
/* When *p starts a quoted string or identifier or a -- comment, copies it whole to *o,
 * advances both and returns 1; else 0. What the SQL rewrites below must leave alone. */
static int copy_literal(const char **p, char **o)
{
	const char *s = *p;
	if (*s == '\'' || *s == '"') {
		char q = *s;
		*(*o)++ = *s++;
		while (*s && *s != q)
			*(*o)++ = *s++;
		if (*s)
			*(*o)++ = *s++;
	} else if (s[0] == '-' && s[1] == '-') {
		while (*s && *s != '\n')
			*(*o)++ = *s++;
	} else
		return 0;
	*p = s;
	return 1;
}

static char *placeholders(const char *sql, int *params)
{
	size_t n = strlen(sql);
	char *out = xmalloc(n * 4 + 1), *o = out;
	int max = 0;
	for (const char *p = sql; *p;) {
		if (copy_literal(&p, &o))
			continue;
		if (*p == '?') {
			p++;
			/* As SQLite numbers them: a bare '?' is one more than the highest so far. */
			char *end = NULL;
			int k = *p >= '0' && *p <= '9' ? (int)strtol(p, &end, 10) : max + 1;
			if (end)
				p = end;
			if (k < 1 || k > DB_MAX_PARAMS) {
				free(out);
				return NULL;
			}
			if (k > max)
				max = k;
			o += sprintf(o, "$%d", k);
		} else
			*o++ = *p++;
	}
	*o = '\0';
	*params = max;
	return out;
}

static Oid type_of(char f)
{
	return f == 'i' ? INT8OID : f == 's' ? TEXTOID : f == 'b' ? BYTEAOID : 0;
}

/* The name sql is prepared under on db, preparing it now if it isn't; "" (the unnamed
 * statement, prepared again each time) when its neighbourhood of the cache is full.
 * The parameter types are those of fmt's first use. NULL when the SQL is bad. */
static const char *prepared_name(struct pg_db *db, const char *sql, int cached, int n,
				 const struct db_value *v)
{
	size_t slot = ((uintptr_t)sql >> 3) % CACHE_SLOTS;
	struct prepared *c = NULL;
	for (size_t probe = 0; cached && probe < 16; probe++) {
		struct prepared *p = &db->cache[(slot + probe) % CACHE_SLOTS];
		if (p->key == sql)
			return p->name;
		if (!p->key) {
			c = p;
			break;
		}
	}
	int params = 0;
	char *text = placeholders(sql, &params);
	if (!text) {
		note(db, "SQL 参数编号超出范围");
		return NULL;
	}
	Oid types[DB_MAX_PARAMS] = {0};
	for (int i = 0; i < n; i++)
		types[i] = type_of(v[i].type);
	char name[16] = "";
	if (c)
		snprintf(name, sizeof(name), "s%d", ++db->named);
	PGresult *res = PQprepare(db->conn, name, text, params, types);
	int good = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!good)
		failure(db, res, text);
	PQclear(res);
	free(text);
	if (!good)
		return NULL;
	if (!c)
		return "";
	c->key = sql;
	memcpy(c->name, name, sizeof(name));
	return c->name;
}

static struct db_stmt *pg_query(struct db *base, const char *sql, int cached, int n,
				const struct db_value *v)
{
	struct pg_db *db = PG(base);
	if (usable(db) != 0)
		return NULL;
	const char *name = prepared_name(db, sql, cached, n, v);
	if (!name)
		return NULL;
	const char *values[DB_MAX_PARAMS];
	int lengths[DB_MAX_PARAMS], formats[DB_MAX_PARAMS];
	char ints[DB_MAX_PARAMS][24];
	for (int i = 0; i < n; i++) {
		lengths[i] = 0;
		formats[i] = 0;
		values[i] = v[i].p;
		if (v[i].type == 'i') {
			snprintf(ints[i], sizeof(ints[i]), "%lld", (long long)v[i].i);
			values[i] = ints[i];
		} else if (v[i].type == 'b') { /* a NULL pointer binds NULL, as on SQLite */
			lengths[i] = (int)v[i].len;
			formats[i] = 1;
		} else if (v[i].type == 'n')
			values[i] = NULL;
	}
	struct pg_stmt *st = xcalloc(1, sizeof(*st));
	st->base.db = base;
	st->res = PQexecPrepared(db->conn, name, n, values, lengths, formats, 0);
	ExecStatusType s = PQresultStatus(st->res);
	if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK) {
		st->rows = PQntuples(st->res);
		db->changes = atoi(PQcmdTuples(st->res));
	} else {
		st->rc = failure(db, st->res, sql);
		if (PQstatus(db->conn) != CONNECTION_OK)
			log_error("db.connection_lost", "backend=%s", "postgresql");
	}
	return &st->base;
}

/* Frees the current row's unescaped bytea values (db_blob: valid until the next step). */
static void free_blobs(struct pg_stmt *st)
{
	for (int i = 0; st->blobs && i < PQnfields(st->res); i++) {
		PQfreemem(st->blobs[i]);
		st->blobs[i] = NULL;
	}
}

static int pg_step(struct db_stmt *base)
{
	struct pg_stmt *st = PGS(base);
	free_blobs(st);
	if (st->rc) {
		int rc = st->rc;
		st->rc = 0;
		st->row = st->rows;
		return rc;
	}
	if (st->row >= st->rows)
		return DB_DONE;
	st->row++;
	return DB_ROW;
}

static const char *value(struct pg_stmt *st, int col)
{
	if (st->row < 1 || col >= PQnfields(st->res) || PQgetisnull(st->res, st->row - 1, col))
		return NULL;
	return PQgetvalue(st->res, st->row - 1, col);
}

static int64_t pg_int(struct db_stmt *st, int col)
{
	const char *v = value(PGS(st), col);
	if (!v)
		return 0;
	if (v[0] == 't' && !v[1])
		return 1;
	return strtoll(v, NULL, 10);
}

static const char *pg_text(struct db_stmt *st, int col)
{
	return value(PGS(st), col);
}

static const void *pg_blob(struct db_stmt *base, int col, size_t *len)
{
	struct pg_stmt *st = PGS(base);
	const char *v = value(st, col);
	*len = 0;
	if (!v)
		return NULL;
	if (PQftype(st->res, col) != BYTEAOID) {
		*len = strlen(v);
		return v;
	}
	if (!st->blobs)
		st->blobs = xcalloc((size_t)PQnfields(st->res), sizeof(*st->blobs));
	PQfreemem(st->blobs[col]);
	st->blobs[col] = PQunescapeBytea((const unsigned char *)v, len);
	return st->blobs[col];
}

static int pg_kind(struct db_stmt *base, int col)
{
	struct pg_stmt *st = PGS(base);
	if (!value(st, col))
		return DB_NULL;
	switch (PQftype(st->res, col)) {
	case INT2OID:
	case INT4OID:
	case INT8OID:
	case OIDOID:
	case BOOLOID:
		return DB_INT;
	case BYTEAOID:
		return DB_BLOB;
	default:
		return DB_TEXT;
	}
}

static int pg_count(struct db_stmt *st)
{
	return PQnfields(PGS(st)->res);
}

static void pg_done(struct db_stmt *base)
{
	struct pg_stmt *st = PGS(base);
	free_blobs(st);
	free(st->blobs);
	PQclear(st->res);
	free(st);
}

static void pg_rollback(struct db *db);

/* A lock not had within the lock timeout leaves the transaction aborted: end it. */
/* READ COMMITTED whatever the server's default: each statement after the lock sees what
 * the writer before committed. */
static int pg_begin(struct db *db)
{
	int rc = pg_exec(db, "BEGIN ISOLATION LEVEL READ COMMITTED; "
			     "SELECT pg_advisory_xact_lock(" WRITE_LOCK ")");
	PG(db)->tx = 1;
	if (rc)
		pg_rollback(db);
	return rc;
}

static int pg_begin_read(struct db *db)
{
	int rc = pg_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ");
	PG(db)->tx = rc == 0;
	return rc;
}

/* COMMIT of a transaction an error aborted answers ROLLBACK: that is a failure. */
static int pg_commit(struct db *base)
{
	struct pg_db *db = PG(base);
	if (PQtransactionStatus(db->conn) != PQTRANS_INTRANS) { /* aborted, or the connection lost */
		note(db, "事务中的语句失败或连接已断开，已回滚");
		pg_rollback(base);
		return VE_DB;
	}
	db->tx = 0;
	PGresult *res = PQexec(db->conn, "COMMIT");
	int rc = PQresultStatus(res) == PGRES_COMMAND_OK && strcmp(PQcmdStatus(res), "COMMIT") == 0
			 ? 0
			 : VE_DB;
	if (rc)
		note(db, *PQresultErrorMessage(res) ? PQresultErrorMessage(res)
						     : "事务中的语句失败，已回滚");
	PQclear(res);
	return rc;
}

static int pg_in_tx(struct db *db)
{
	PGTransactionStatusType s = PQtransactionStatus(PG(db)->conn);
	return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

static void pg_rollback(struct db *db)
{
	PG(db)->tx = 0;
	if (pg_in_tx(db)) {
		PGresult *res = PQexec(PG(db)->conn, "ROLLBACK");
		PQclear(res);
	}
}

/* The id the last INSERT drew from its table's identity column. */
static int64_t pg_last_id(struct db *base)
{
	PGresult *res = PQexec(PG(base)->conn, "SELECT lastval()");
	int64_t id = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1
			     ? strtoll(PQgetvalue(res, 0, 0), NULL, 10)
			     : 0;
	PQclear(res);
	return id;
}

static int pg_changes(struct db *db)
{
	return PG(db)->changes;
}

static void pg_autocheckpoint(struct db *db, int on)
{
}

static void pg_checkpoint(struct db *db)
{
}

/* A whole database's copy reads and writes tables of any size: no statement timeout. */
static int pg_bulk(struct db *db, int on)
{
	return PG(db)->own_timeout ? 0
				  : pg_exec(db, on ? "SET statement_timeout = 0"
						   : "SET statement_timeout = '300s'");
}

static int is_word(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Migrations are written for both backends; their column types as PostgreSQL knows
 * them: INTEGER is 64-bit (BIGINT), an INTEGER PRIMARY KEY draws from an identity
 * column (SQLite's rowid), BLOB is BYTEA, and WITHOUT ROWID (a SQLite storage hint)
 * goes. Only whole words outside quotes and comments are changed (a PL/pgSQL body
 * between $$ is not skipped: the .pg.sql files spell their types in lower case). */
static char *pg_migration_sql(const char *sql)
{
	static const struct {
		const char *from, *to;
	} words[] = {
		{"INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
		{"INTEGER", "BIGINT"},
		{"BLOB", "BYTEA"},
		{"WITHOUT ROWID", ""},
	};
	size_t n = strlen(sql);
	char *out = xmalloc(n * 3 + 1), *o = out;
	for (const char *p = sql; *p;) {
		if (copy_literal(&p, &o))
			continue;
		size_t i;
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			size_t k = strlen(words[i].from);
			if (strncmp(p, words[i].from, k) == 0 && !is_word(p[k]) &&
			    (p == sql || !is_word(p[-1])))
				break;
		}
		if (i < sizeof(words) / sizeof(words[0])) {
			o += sprintf(o, "%s", words[i].to);
			p += strlen(words[i].from);
		} else
			*o++ = *p++;
	}
	*o = '\0';
	return out;
}

/* After rows came in with their own ids, each identity column's next value follows
 * the highest id copied. */
static int pg_copied(struct db *base, const char *table)
{
	struct pg_db *db = PG(base);
	struct db_stmt *st =
		db_q(base,
		     "SELECT attname FROM pg_attribute WHERE attrelid = CAST(? AS regclass) "
		     "AND attidentity <> ''",
		     "s", table);
	if (!st)
		return VE_DB;
	int rc = 0;
	while (rc == 0 && db_step(st) == DB_ROW) {
		char *t = PQescapeIdentifier(db->conn, table, strlen(table));
		const char *c0 = db_text(st, 0);
		char *c = PQescapeIdentifier(db->conn, c0, strlen(c0));
		char *tl = PQescapeLiteral(db->conn, table, strlen(table));
		char *cl = PQescapeLiteral(db->conn, c0, strlen(c0));
		char *sql = xmalloc(strlen(t) + strlen(c) * 2 + strlen(tl) + strlen(cl) + 200);
		sprintf(sql,
			"SELECT setval(pg_get_serial_sequence(%s, %s), coalesce(max(%s), 0) + 1, false) "
			"FROM %s",
			tl, cl, c, t);
		rc = pg_exec(base, sql);
		free(sql);
		PQfreemem(t);
		PQfreemem(c);
		PQfreemem(tl);
		PQfreemem(cl);
	}
	db_done(st);
	return rc;
}

const struct db_ops db_pg_ops = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.query = pg_query,
	.step = pg_step,
	.col_int = pg_int,
	.col_text = pg_text,
	.col_blob = pg_blob,
	.col_kind = pg_kind,
	.col_count = pg_count,
	.done = pg_done,
	.begin = pg_begin,
	.begin_read = pg_begin_read,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.in_tx = pg_in_tx,
	.last_id = pg_last_id,
	.changes = pg_changes,
	.autocheckpoint = pg_autocheckpoint,
	.checkpoint = pg_checkpoint,
	.bulk = pg_bulk,
	.migration_sql = pg_migration_sql,
	.migration_suffix = ".pg.sql",
	.tables_sql = "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = "
		      "c.relnamespace WHERE c.relkind = 'r' AND n.nspname = current_schema() "
		      "ORDER BY c.oid",
	.copied = pg_copied,
};
