/* err.h - the one error enum of vets, with Chinese and English messages.
 *
 * Every function that can fail returns an int from this enum: 0 is success.
 * Details go into an error buffer owned by the caller, never into globals. */
#ifndef VETS_ERR_H
#define VETS_ERR_H

#include <stddef.h>

enum vets_err {
	VE_OK = 0,
	VE_INVALID,  /* bad input from a user or file */
	VE_NOTFOUND, /* no such object (or not in the caller's scope) */
	VE_EXISTS,   /* unique key already taken */
	VE_DENIED,   /* not permitted */
	VE_AUTH,     /* wrong credentials or no session */
	VE_LOCKED,   /* account locked */
	VE_EXPIRED,  /* password or session expired */
	VE_LIMIT,    /* a size or count limit was exceeded */
	VE_CONFLICT, /* state does not allow the operation */
	VE_IO,       /* file or network I/O failed */
	VE_DB,       /* the store failed */
	VE_CRYPTO,   /* a cryptographic operation or check failed */
	VE_INTERNAL, /* a bug */
	VE_QUOTA,    /* a day's allowance is used up: try again later */
	VE__COUNT
};

/* Stable machine-readable name, e.g. "invalid". Never NULL. */
const char *err_name(int code);
/* Short Chinese message for a user, e.g. "输入有误". Never NULL. */
const char *err_message(int code);
/* Writes printf-formatted detail into buf (always NUL-terminated when size > 0)
 * and returns code, so that "return err_set(...)" reads naturally. */
int err_set(char *buf, size_t size, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
