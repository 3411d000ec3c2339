/* cli.h - the command groups of the vets program and what they share.
 *
 * Each cmd_* takes the arguments after its own name and returns the process
 * exit status: 0 success, 1 input errors (or a failed check), 2 misuse. */
#ifndef VETS_CLI_H
#define VETS_CLI_H

#include "web/portal.h"
#include "web/server.h"

#include "areas/account.h"
#include "db/db.h"
#include "lib/crypto.h"

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_routes(int argc, char **argv);
int cmd_region(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_pay(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_calendar(int argc, char **argv);
/* The kinds of vets stats (stats.c dispatches; each takes the arguments after its kind). */
int cli_stats_benefits(int argc, char **argv);
int cli_stats_petitions(int argc, char **argv);
int cli_stats_counter(int argc, char **argv); /* counter.c: the counter's figures with its ratings */
int cmd_standard(int argc, char **argv);
int cmd_conscript(int argc, char **argv);
int cmd_jobs(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_service(int argc, char **argv);
int cmd_discredit(int argc, char **argv);
int cmd_outbox(int argc, char **argv);
int cmd_petition(int argc, char **argv);
int cmd_qa(int argc, char **argv);
int cmd_key(int argc, char **argv);
int cmd_backup(int argc, char **argv);  /* backup.c: backup --to / --verify */
int cmd_restore(int argc, char **argv);

/* The database: given (from --db), else $VETS_DB, else "vets.db". A file path, or a
 * postgresql:// URI (db_is_server_uri). */
const char *cli_db_path(const char *given);
/* The key file path: given (from --key-file), else $VETS_KEY_FILE, else the database
 * path with ".key" appended, into out: 0. A database on a server has no path to put a key
 * beside: without one given, says so and returns 2 (misuse). */
int cli_key_path(const char *db_path, const char *given, char *out, size_t size);

/* Opens an existing, migrated database and loads its key file, and gives the
 * keys to the modules that need them (audit, accounts). Prints a Chinese
 * message to stderr and returns the exit status on failure: 2 (misuse) for a database on a
 * server named without a key file, else 1. *db is closed by the caller. */
int cli_open(const char *db_path, const char *key_file, struct db **db, struct crypto_keys *keys);
/* What an opened store holds: 1 a vets database (initialised), 0 nothing yet, -1 another
 * program's tables (or it can't be read), with the message printed (shown: its name). */
int cli_vets_database(struct db *db, const char *shown);
/* Brings the registry of an older vets to the current sealed form when it is not yet
 * (person_seal_upgrade; once, at init or the first command after an upgrade). Returns 0,
 * or an error with err filled, nothing changed. Needs person_init first. */
int cli_seal_upgrade(struct db *db, char *err, size_t errlen);

/* Shared by init and demo: creates the key file when missing (refusing when the
 * database exists without it), migrates, seeds the bureau and its sections.
 * Prints what it did. Returns 0 or 1. */
int cli_init_database(const char *db_path, const char *key_file, const char *district,
		      const char *bureau);
/* Serves the database at db_path (already initialised) on listen, and the portal on
 * portal (NULL: none), with the default options. Returns the exit status. */
int cli_serve(const char *db_path, const char *key_file, const char *listen, const char *portal);
/* What vets serve takes beyond cli_serve's arguments. */
struct serve_options {
	int secure_cookie;             /* --secure-cookie, or a public host given as https://NAME */
	const char *metrics_token_file; /* --metrics-token-file PATH, or NULL */
	int login_per_minute;          /* --login-throttle N; -1 for the default */
	int no_jobs;                   /* --no-jobs: another server or cron runs the timed jobs */
	const char *files_dir;         /* --files-dir PATH (death certificates); NULL: PATH.files */
	const char *log_file;          /* --log-file PATH: the event log there, reopened on SIGHUP */
	const char *sms_command, *sms_url, *sms_file; /* where messages go (areas/outbox.h) */
	const char *portal;            /* --portal HOST:PORT (web/portal.h), or NULL */
	int portal_min_fill;           /* --portal-min-fill SECONDS */
	int portal_posts;              /* --portal-post-limit N */
	int portal_cache;              /* --portal-cache SECONDS */
	const char *trusted_proxies[SERVER_MAX_PUBLIC_HOSTS]; /* --trusted-proxy ADDR... */
	size_t n_trusted_proxies;
};
/* The defaults of the options above. */
#define SERVE_OPTIONS_DEFAULT                                                                      \
	{                                                                                          \
		.login_per_minute = -1, .portal_min_fill = PORTAL_MIN_FILL,                        \
		.portal_posts = PORTAL_POSTS, .portal_cache = PORTAL_CACHE_SECONDS                  \
	}
int cli_serve_with(const char *db_path, const char *key_file, const char *listen,
		   const char *const *public_hosts, size_t n_public_hosts, unsigned threads,
		   const struct serve_options *opts);

/* Matches argv[*i] against "--name VALUE" or "--name=VALUE". On a match stores
 * the value in *value, leaves *i on the last argument it used (the caller's loop
 * steps past it) and returns 1; returns -1 (message
 * printed) when the value is missing; 0 when argv[*i] is another argument. */
int cli_opt(int argc, char **argv, int *i, const char *name, const char **value);
/* cli_opt for the two options every command that opens the store takes:
 * --db PATH and --key-file PATH. */
int cli_store_opt(int argc, char **argv, int *i, const char **db, const char **key_file);
/* Reads one line (a password) from stdin into out. 0, or 1 (message printed). */
int cli_read_password(char *out, size_t size);
/* Signs in user (password from stdin) as the person acting in a command, audited
 * like a login on the web; the session ends at once. 0 and *p, or 1 (message printed). */
int cli_sign_in(struct db *db, const char *user, struct principal *p);

/* Prints "vets: <message>" in Chinese to stderr and returns 2. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The --year option's text as a year 1950-2100 into *year: 0, or 2 (misuse, said). */
int cli_year(const char *text, int64_t *year);

/* Where messages to applicants go (areas/outbox.h): cli_opt for --sms-command CMD,
 * --sms-url URL and --sms-file PATH into s. */
struct outbox_sender;
int cli_sms_opt(int argc, char **argv, int *i, struct outbox_sender *s);
/* 0 when s names at most one place, and a URL as http(s)://; else 2 (message printed). */
int cli_sms_check(const struct outbox_sender *s);

#endif
