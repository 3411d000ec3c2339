/* params.h - declared parameters: nothing reaches a handler unless a route declares it.
 *
 * A route lists its parameters with a kind and bounds; params_check() refuses
 * unknown, repeated (unless multi) and invalid ones with a Chinese message
 * naming the field. Handlers then read values with req_param / params_int. */
#ifndef VETS_PARAMS_H
#define VETS_PARAMS_H

#include <stdint.h>

#include "web/request.h"

enum param_kind {
	PK_TEXT,     /* one line of printable UTF-8, min..max characters */
	PK_LONGTEXT, /* as text, newlines allowed */
	PK_INT,      /* a decimal integer in min..max */
	PK_SECRET,   /* a password: printable, min..max bytes, never logged or echoed */
	PK_WORD,     /* [A-Za-z0-9_.:-], min..max bytes: usernames, codes, names of roles */
	PK_DATE,     /* YYYY-MM-DD */
	PK_FLAG,     /* "1", "on" or "true" */
	PK_TOKEN,    /* lower-case hex, exactly max characters */
	PK_FILE,     /* an uploaded file (multipart/form-data), at most max bytes */
};

struct param_spec {
	const char *name;
	const char *label; /* the field's Chinese name in messages */
	enum param_kind kind;
	int required;
	int64_t min, max;
	int multi; /* may be repeated (checkbox groups) */
};

/* The end of a list of specs. */
#define PARAM_END                                                                                  \
	{                                                                                          \
		0                                                                                  \
	}

/* A route that takes no parameter. */
extern const struct param_spec params_none[];

/* Checks every parameter of req against specs (terminated by a spec with a
 * NULL name). "csrf" is always accepted. Returns 0, or VE_INVALID with a
 * Chinese message in err. */
int params_check(const struct request *req, const struct param_spec *specs, char *err,
		 size_t errlen);
/* The integer param name (already checked), or dflt when absent. */
int64_t params_int(const struct request *req, const char *name, int64_t dflt);
/* 1 when the flag param name is present and set. */
int params_flag(const struct request *req, const char *name);
/* The uploaded file of field name (with a file name), or NULL. */
const struct multipart_part *params_file(const struct request *req, const char *name);
/* The text param name, or "" when absent. */
const char *params_text(const struct request *req, const char *name);

#endif
