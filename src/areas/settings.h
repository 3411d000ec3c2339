/* settings.h - the district's settings: named values such as the bureau's name
 * ("bureau.name"), the security policy ("policy.*", through policy.h) and markers of
 * one-time upgrades ("registry.seal").
 *
 * A setting is a short text under a key; the area that uses a key owns its meaning.
 * Nothing here is secret: keys live in the key file, never in settings. */
#ifndef VETS_SETTINGS_H
#define VETS_SETTINGS_H

#include "areas/area.h"
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/* The bureau's name, shown on every page ("bureau.name"). */
#define SETTINGS_BUREAU_NAME "bureau.name"

/* The value of key into out (size bytes, cut short when longer). 0; VE_NOTFOUND (out = "") when the
 * key is not set; VE_DB. */
int settings_get(struct db *db, const char *key, char *out, size_t size);

/* Sets key to value, recording when and by whom (by_user 0: the system), in a
 * transaction of its own unless in_tx. 0 or VE_DB. */
int settings_set(struct db *db, const char *key, const char *value, int64_t by_user, int in_tx);

/* Sets key to value only when it is not set yet (a default written once, e.g. by
 * vets init). 0 or VE_DB. */
int settings_set_default(struct db *db, const char *key, const char *value);

/* Calls fn(ctx, key, value) for every key starting with prefix, in key order; a
 * non-zero return from fn stops the walk and is returned. 0, fn's value or VE_DB. */
typedef int (*settings_fn)(void *ctx, const char *key, const char *value);
int settings_each(struct db *db, const char *prefix, settings_fn fn, void *ctx);

/* *n = 1 when key holds exactly value, else 0. 0 or VE_DB. */
int settings_is(struct db *db, const char *key, const char *value, int *is);

extern const struct area settings_area;

#endif
