/* server.h - the HTTP server: libmicrohttpd with an epoll thread pool. */
#ifndef VETS_SERVER_H
#define VETS_SERVER_H

#include <stddef.h>

#define SERVER_MAX_PUBLIC_HOSTS 8

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
};

/* Parses "HOST:PORT" ("[::1]:8080" for IPv6) into *host (hostbuf) and *port. Returns 0 or -1. */
int server_parse_listen(const char *s, const char **host, unsigned *port, char *hostbuf,
			size_t hostsize);
/* Serves the staff listener, and the portal's when cfg names one, until SIGTERM or SIGINT, then stops gracefully. The database path must
 * have been given to db_thread_init and the templates to page_init. Returns 0,
 * or 1 when the server could not start (message on stderr). */
int server_run(const struct server_config *cfg);

#endif
