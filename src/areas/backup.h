/* backup.h - online backups of the store, their manifest, verification and restore.
 *
 * A backup is two files: FILE, the copy (SQLite: a database file made by VACUUM INTO from
 * one read transaction; PostgreSQL: a pg_dump custom-format archive of a snapshot exported
 * by a REPEATABLE READ transaction), and FILE.manifest.json ("vets-backup", version 1):
 * the backend, the time (UTC and Beijing), vets' and the schema's version, the row count
 * of every table and the audit chain's head as that same snapshot saw them, the key
 * file's fingerprint and generation, FILE's size and SM3, and "mac": HMAC-SM3 of the rest
 * (compact, keys sorted) under crypto_derive_key(mac_key, "vets backup manifest v1") of the
 * backup's own key file, checked before anything else in it is trusted. Both are written under a
 * temporary directory beside FILE, synced, and linked into place only when complete and
 * checked; an existing FILE is never replaced. The key file is never part of a backup.
 *
 * Every function reports a failure as a Chinese sentence in err and leaves the live
 * database and any existing target as they were. */
#ifndef VETS_BACKUP_H
#define VETS_BACKUP_H

#include "areas/area.h"
#include "areas/keyring.h"
#include "db/db.h"
#include "lib/crypto.h"

#include <stdint.h>

#define BACKUP_FORMAT "vets-backup"
#define BACKUP_VERSION 1

/* What a backup holds, as its manifest says (and a command prints). */
struct backup_info {
	char backend[16];        /* "sqlite" or "postgresql" */
	char created_utc[24];    /* 2026-12-05T04:00:00Z */
	char created_beijing[24]; /* 2026-12-05 12:00:00 */
	char vets_version[32];
	int64_t schema_version;
	int64_t tables, rows;    /* the number of tables, and of rows in them all */
	int64_t audit_records;   /* rows of audit_log */
	int64_t head_seq;        /* the audit chain's last record (0: none) */
	char head_hash[65];
	char fingerprint[KEYRING_FINGERPRINT_HEX + 1];
	int64_t generation;      /* 0 when the database recorded none */
	int64_t size;            /* FILE's bytes */
	char sm3[65];            /* FILE's SM3, hex */
	int64_t millis;          /* how long the command took */
};

/* Backs up db (opened on target, with keys, as cli_open does) into file. Refuses a file
 * (or its manifest) that exists, a directory it can't write, and a disk that fills (VE_IO),
 * removing everything it wrote. Audits "backup.create" on db after the backup is in place.
 * 0 and *out, or an error. */
int backup_make(struct db *db, const char *target, const char *file, const struct crypto_keys *keys,
		struct backup_info *out, char *err, size_t errlen);

/* Checks file against its manifest: format, version and bounded counts, the key's
 * fingerprint, the manifest's MAC, size and SM3; then the copy
 * itself. SQLite: opened read-only, integrity and foreign keys, every table's count, the
 * audit chain under keys (whose fingerprint must be the manifest's: a wrong key names
 * both). PostgreSQL: the archive is read whole by pg_restore --list, and the key's
 * fingerprint compared; the rows are counted by backup_restore. line (may be NULL) is told
 * each check passed, in Chinese. 0 and *out, or VE_INVALID / VE_CRYPTO / VE_IO. */
int backup_verify(const char *file, const struct crypto_keys *keys,
		  void (*line)(const char *text), struct backup_info *out, char *err,
		  size_t errlen);

/* Verifies file, then restores it into target: a SQLite file (refused when it exists, or a
 * -wal is beside it, unless force: then copied over it in one transaction of its own by the
 * backup API, its old write-ahead log included) or a PostgreSQL database that exists
 * (refused when it holds tables, unless force: pg_restore --clean --if-exists), in one
 * transaction either way. Then checks the result as backup_verify checks a copy (integrity,
 * every count the manifest's, the audit chain's head the manifest's and the chain whole) and
 * records "backup.restore" at the end of its audit trail. 0 and *out, or an error. Refused at
 * once: the backup itself (or its manifest) as target, a SQLite path too long for SQLite, and
 * under force a PostgreSQL target holding tables the backup lacks. A failure after the target
 * itself was written says so in err ("目标数据库已被改写…"); any other leaves it as it was. */
int backup_restore(const char *file, const char *target, int force, const struct crypto_keys *keys,
		   void (*line)(const char *text), struct backup_info *out, char *err,
		   size_t errlen);

/* Reads a manifest's text (len bytes, NUL not needed; path only names it in messages): JSON
 * with no duplicate key, format and version, every member of the right type, each table's
 * count and their sum 0..2^50, no negative number. With keys (may be NULL: the text alone),
 * then the key's fingerprint against the manifest's and the manifest's MAC under keys. 0 with
 * *out filled (strings cut to their fields) and *m the parsed manifest (json_decref it), or
 * VE_INVALID (not a manifest) / VE_CRYPTO (another key, or a MAC that does not match) with a
 * Chinese err and *m NULL. backup_verify and backup_restore read FILE.manifest.json with it. */
struct json_t;
int backup_manifest_parse(const char *text, size_t len, const char *path,
			  const struct crypto_keys *keys, struct json_t **m, struct backup_info *out,
			  char *err, size_t errlen);

/* The manifest's path for file: file + ".manifest.json". */
void backup_manifest_path(const char *file, char *out, size_t size);

extern const struct area backup_area;

#endif
