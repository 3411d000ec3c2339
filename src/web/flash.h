/* flash.h - a refused form, kept for the page that shows it again: POST/redirect/GET.
 *
 * A form's POST that fails validation does not answer with the form (a refresh would
 * send it again): it keeps what was entered and the field errors here and answers 303
 * to the form's GET URL with "?form=TOKEN". That GET shows the form as it was refused,
 * and so does every refresh of it while the form is kept: a refresh sends nothing and
 * loses nothing that was typed.
 *
 * Kept in this process's memory only (vets serve is one process): bound to the session
 * (by a hash of its id), for FLASH_TTL seconds, at most FLASH_PER_SESSION per session
 * and FLASH_MAX in all, each at most FLASH_SIZE_MAX bytes; wiped when expired or
 * pushed out. Never in the URL (the token is random and says nothing), a cookie or a
 * log: personal data typed into a form stays out of history and logs. */
#ifndef VETS_FLASH_H
#define VETS_FLASH_H

#include <jansson.h>
#include <stdint.h>

#include "lib/field_errors.h"
#include "web/route.h"

#define FLASH_TTL 600        /* seconds a kept form waits for its GET */
#define FLASH_MAX 256        /* kept forms in all; the oldest is dropped for a new one */
#define FLASH_PER_SESSION 4  /* per session; its oldest is dropped for a new one */
#define FLASH_SIZE_MAX 16384 /* bytes of one kept form (its JSON) */
#define FLASH_TOKEN_HEX 32
#define FLASH_PARAM "form" /* the GET URL's parameter naming a kept form */

/* ---- the store (no HTTP; now is passed in, for tests) ---- */

/* Keeps state (a JSON object, copied) for the session owner (any string that names
 * it) until now + FLASH_TTL; writes its token into token[FLASH_TOKEN_HEX + 1].
 * 0, or VE_LIMIT when state is over FLASH_SIZE_MAX (nothing kept). */
int flash_put(const char *owner, const json_t *state, int64_t now,
	      char token[FLASH_TOKEN_HEX + 1]);
/* The state kept under token for owner (new reference); it stays until it expires or
 * is pushed out, so the page can be shown again. NULL for an unknown or expired
 * token, and for another owner's token. */
json_t *flash_get(const char *owner, const char *token, int64_t now);
/* The number of forms kept (expired ones not yet swept included). */
int flash_count(void);
/* Drops (and wipes) every kept form. */
void flash_clear(void);

/* ---- for handlers ---- */

/* A refused form: keeps every parameter req sent (but the CSRF token, files and every
 * parameter its route declares PK_SECRET: a password is never kept, the page asks for
 * it again), e's errors, message and page (what else the form's page shows, e.g. the
 * person an ID number is registered to; both may be NULL), and answers 303 to form_url
 * (a local path without a query, or with one: the token is appended). When the form can't be kept (over the
 * size) answers nothing and returns VE_LIMIT: the caller then renders the form itself. */
int reply_form_refused(struct request *req, struct reply *rep, const char *form_url,
		       const struct field_errors *e, const char *message, const json_t *page);
/* On a form's GET: when req names a kept form of this session (parameter FLASH_PARAM),
 * puts its parameters in place of req's own (params_text then reads what was entered),
 * fills e with its errors, *message with its message (both in req's arena) and *page
 * with its page object (a new reference, or NULL) — message and page may be NULL when
 * not wanted — and returns 1. 0 otherwise: no token, or an expired or foreign one (the
 * form then opens as it would without). */
int form_restore(struct request *req, struct field_errors *e, const char **message,
		 json_t **page);

/* The parameter of a form's GET that names a kept form (optional): its routes declare it,
 * as params_flash alone or PARAM_FLASH among their own. */
extern const struct param_spec params_flash[];
#define PARAM_FLASH                                                                                \
	{                                                                                          \
		FLASH_PARAM, "表单", PK_TOKEN, 0, FLASH_TOKEN_HEX, FLASH_TOKEN_HEX, 0              \
	}

#endif
