/* limits.h - every limit the web layer enforces, in one table. */
#ifndef VETS_LIMITS_H
#define VETS_LIMITS_H

#define LIMIT_URI_BYTES 4096    /* request target */
#define LIMIT_HEADER_BYTES 8192 /* all header names and values together */
#define LIMIT_HEADER_COUNT 64
#define LIMIT_BODY_BYTES (1024 * 1024)        /* unless a route declares an upload size */
#define LIMIT_DISCARD_BYTES (8 * 1024 * 1024) /* of an oversized chunked body, before closing */
#define LIMIT_PARAMS 64                       /* query and body parameters together */
#define LIMIT_OUTPUT_BYTES (8 * 1024 * 1024)  /* one rendered page or JSON answer */
#define LIMIT_CONNECTIONS 1024
/* libmicrohttpd's per-connection pool. It holds the headers, so it must exceed
 * LIMIT_HEADER_BYTES for our own (Chinese) 431 to answer; past ~20 KiB of headers
 * libmicrohttpd answers 431 itself. It is cleared after every request, so a larger
 * pool costs throughput (32 KiB: 15% fewer static requests/s than 16 KiB here). */
#define LIMIT_CONNECTION_MEMORY (24 * 1024)
#define LIMIT_IDLE_SECONDS 30 /* a connection that sends nothing is closed */

#endif
