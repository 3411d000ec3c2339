/* flash.c - refused forms kept in memory for their GET (POST/redirect/GET). */
#include "web/flash.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/err.h"
#include "lib/mem.h"
#include "lib/str.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

struct kept {
	unsigned char owner[SM3_LEN]; /* SM3 of the owner: no session id is kept */
	char token[FLASH_TOKEN_HEX + 1];
	int64_t expires;
	char *data; /* the state as JSON text; NULL: a free slot */
	size_t len;
};

static struct kept kept[FLASH_MAX];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void drop(struct kept *k)
{
	if (k->data) {
		mem_wipe(k->data, k->len);
		free(k->data);
	}
	mem_wipe(k, sizeof(*k));
}

/* The slot for a new form of owner: expired ones are dropped first; then a free slot,
 * else the owner's oldest when it holds FLASH_PER_SESSION, else the oldest of all. */
static struct kept *slot_for(const unsigned char owner[SM3_LEN], int64_t now)
{
	struct kept *free_slot = NULL, *oldest = NULL, *own_oldest = NULL;
	int own = 0;
	for (int i = 0; i < FLASH_MAX; i++) {
		struct kept *k = &kept[i];
		if (k->data && k->expires <= now)
			drop(k);
		if (!k->data) {
			free_slot = free_slot ? free_slot : k;
			continue;
		}
		if (!oldest || k->expires < oldest->expires)
			oldest = k;
		if (memcmp(k->owner, owner, SM3_LEN) == 0) {
			own++;
			if (!own_oldest || k->expires < own_oldest->expires)
				own_oldest = k;
		}
	}
	struct kept *k = own >= FLASH_PER_SESSION ? own_oldest : free_slot ? free_slot : oldest;
	drop(k);
	return k;
}

int flash_put(const char *owner, const json_t *state, int64_t now,
	      char token[FLASH_TOKEN_HEX + 1])
{
	char *text = json_dumps(state, JSON_COMPACT);
	if (!text)
		return VE_INTERNAL;
	size_t len = strlen(text);
	if (len > FLASH_SIZE_MAX) {
		mem_wipe(text, len);
		free(text);
		return VE_LIMIT;
	}
	unsigned char who[SM3_LEN], bytes[FLASH_TOKEN_HEX / 2];
	crypto_sm3(owner, strlen(owner), who);
	crypto_random(bytes, sizeof(bytes));
	crypto_hex(bytes, sizeof(bytes), token);
	pthread_mutex_lock(&lock);
	struct kept *k = slot_for(who, now);
	memcpy(k->owner, who, SM3_LEN);
	str_copy(k->token, token, sizeof(k->token));
	k->expires = now + FLASH_TTL;
	k->data = text;
	k->len = len;
	pthread_mutex_unlock(&lock);
	return 0;
}

json_t *flash_get(const char *owner, const char *token, int64_t now)
{
	if (!token || strlen(token) != FLASH_TOKEN_HEX)
		return NULL;
	unsigned char who[SM3_LEN];
	crypto_sm3(owner, strlen(owner), who);
	json_t *state = NULL;
	pthread_mutex_lock(&lock);
	for (int i = 0; i < FLASH_MAX; i++) {
		struct kept *k = &kept[i];
		if (!k->data || strcmp(k->token, token) != 0)
			continue;
		if (k->expires <= now) {
			drop(k);
			break;
		}
		if (memcmp(k->owner, who, SM3_LEN) != 0)
			break; /* another session's: it stays for its owner */
		state = json_loadb(k->data, k->len, 0, NULL);
		break;
	}
	pthread_mutex_unlock(&lock);
	return state;
}

int flash_count(void)
{
	int n = 0;
	pthread_mutex_lock(&lock);
	for (int i = 0; i < FLASH_MAX; i++)
		n += kept[i].data != NULL;
	pthread_mutex_unlock(&lock);
	return n;
}

void flash_clear(void)
{
	pthread_mutex_lock(&lock);
	for (int i = 0; i < FLASH_MAX; i++)
		drop(&kept[i]);
	pthread_mutex_unlock(&lock);
}

/* ---- for handlers ---- */

const struct param_spec params_flash[] = {
	PARAM_FLASH,
	PARAM_END,
};

/* 1 when parameter name is never kept: the CSRF token, the form token, and any the
 * route declares a password (PK_SECRET): a password typed is asked for again. */
static int not_kept(const struct request *req, const char *name)
{
	if (strcmp(name, "csrf") == 0 || strcmp(name, FLASH_PARAM) == 0)
		return 1;
	for (const struct param_spec *s = req->route ? req->route->params : NULL; s && s->name; s++)
		if (s->kind == PK_SECRET && strcmp(s->name, name) == 0)
			return 1;
	return 0;
}

int reply_form_refused(struct request *req, struct reply *rep, const char *form_url,
		       const struct field_errors *e, const char *message, const json_t *page)
{
	json_t *params = json_array(), *errors = json_array();
	for (size_t i = 0; i < req->n_params; i++)
		if (!not_kept(req, req->params[i].name))
			json_array_append_new(params, json_pack("[s,s]", req->params[i].name,
								req->params[i].value));
	for (int i = 0; e && i < e->n; i++)
		json_array_append_new(errors, json_pack("[s,s]", e->items[i].field,
							e->items[i].message));
	json_t *state = json_pack("{s:o,s:o}", "params", params, "errors", errors);
	if (message)
		json_object_set_new(state, "message", json_string(message));
	if (page)
		json_object_set_new(state, "page", json_deep_copy(page));
	char token[FLASH_TOKEN_HEX + 1];
	int rc = flash_put(req->sid, state, clock_now(), token);
	json_decref(state);
	if (rc)
		return rc;
	char location[sizeof(rep->location)];
	snprintf(location, sizeof(location), "%s%c" FLASH_PARAM "=%s", form_url,
		 strchr(form_url, '?') ? '&' : '?', token);
	return reply_redirect(rep, location);
}

int form_restore(struct request *req, struct field_errors *e, const char **message,
		 json_t **page)
{
	const char *token = req_param(req, FLASH_PARAM);
	field_errors_clear(e);
	if (message)
		*message = NULL;
	if (page)
		*page = NULL;
	if (!token || !req->sid[0])
		return 0;
	json_t *state = flash_get(req->sid, token, clock_now());
	if (!state)
		return 0;
	json_t *params = json_object_get(state, "params"), *p;
	size_t n = json_array_size(params), i;
	req->params = n ? arena_alloc(&req->arena, n * sizeof(*req->params)) : NULL;
	req->n_params = 0;
	json_array_foreach(params, i, p)
	{
		const char *value = json_string_value(json_array_get(p, 1));
		req->params[req->n_params++] = (struct param){
			arena_strdup(&req->arena, json_string_value(json_array_get(p, 0))),
			arena_strdup(&req->arena, value), strlen(value)};
	}
	json_array_foreach(json_object_get(state, "errors"), i, p)
	{
		const char *field = json_string_value(json_array_get(p, 0));
		field_errors_add(e, arena_strdup(&req->arena, field), "%s",
				 json_string_value(json_array_get(p, 1)));
	}
	const char *m = json_string_value(json_object_get(state, "message"));
	if (message && m)
		*message = arena_strdup(&req->arena, m);
	if (page && json_is_object(json_object_get(state, "page")))
		*page = json_incref(json_object_get(state, "page"));
	json_decref(state);
	return 1;
}
