/* server.h - the HTTP server: libmicrohttpd with an epoll thread pool. */
#ifndef VETS_SERVER_H
#define VETS_SERVER_H

#include <signal.h>
#include <stddef.h>

#define SERVER_MAX_PUBLIC_HOSTS 8
/* How long a stopping server waits for the requests under way before it closes them. */
#define SERVER_DRAIN_SECONDS 30

struct server_config {
	const char *host; /* the --listen host */
	unsigned port;
	const char *portal_host; /* the --portal listener (web/portal.h), or NULL for none */
	unsigned portal_port;
	const char *public_hosts[SERVER_MAX_PUBLIC_HOSTS];
	size_t n_public_hosts;
	/* proxies (nginx, a CDN's edge) whose X-Forwarded-For names the client: addresses as
	 * inet_ntop prints them */
	const char *trusted_proxies[SERVER_MAX_PUBLIC_HOSTS];
	size_t n_trusted_proxies;
	unsigned threads;
	int secure_cookie;         /* cookies carry Secure: the site is reached over https */
	const char *metrics_token; /* /metrics needs "Authorization: Bearer <token>"; NULL: loopback only */
	unsigned login_per_minute; /* login attempts per client address a minute (0: no limit) */
	int run_jobs;              /* run the timed jobs (areas/job.h) while serving */
	/* On SIGHUP, after the log file is reopened: re-reads what it can and says what, for the
	 * log ("metrics_token"); NULL: nothing more. Runs on the main thread. */
	const char *(*reload)(void);
};

/* Parses "HOST:PORT" ("[::1]:8080" for IPv6) into *host (hostbuf) and *port. Returns 0 or -1. */
int server_parse_listen(const char *s, const char **host, unsigned *port, char *hostbuf,
			size_t hostsize);
/* Blocks SIGTERM, SIGINT and SIGHUP in the calling thread (threads it starts inherit it) and
 * puts them in set: server_run takes them with sigwait. Call it before any thread starts. */
void server_block_signals(sigset_t *set);
/* Serves the staff listener, and the portal's when cfg names one, until SIGTERM or SIGINT, then stops gracefully:
 * no new connection, the requests under way finished (SERVER_DRAIN_SECONDS at most), the job
 * runner stopped, each worker's database connection closed. SIGHUP reopens the log file and
 * calls cfg->reload; it never stops the server. The database path must
 * have been given to db_thread_init and the templates to page_init. Returns 0,
 * or 1 when the server could not start (message on stderr). */
int server_run(const struct server_config *cfg);

#endif
