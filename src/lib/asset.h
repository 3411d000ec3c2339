/* asset.h - files compiled into the program: templates, static files, migrations.
 *
 * tools/embed.c writes the table at build time from templates/, static/ and
 * src/db/migrations/. Nothing is read from disk at run time. */
#ifndef VETS_ASSET_H
#define VETS_ASSET_H

#include <stddef.h>

struct embedded_file {
	const char *path;          /* e.g. "static/app.css", "templates/login.html" */
	const unsigned char *data; /* NUL-terminated after len bytes */
	size_t len;
};

/* Terminated by an entry whose path is NULL. */
extern const struct embedded_file embedded_files[];

/* The embedded file at path, or NULL. */
const struct embedded_file *asset_find(const char *path);

#endif
