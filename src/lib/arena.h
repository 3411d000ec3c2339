/* arena.h - a memory pool freed all at once, one per request. */
#ifndef VETS_ARENA_H
#define VETS_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used; /* bytes handed out, for limits and metrics */
};

void arena_init(struct arena *a);
/* n bytes aligned for any type; aborts on out of memory. */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/* Frees every allocation of the arena; it can be used again after. */
void arena_free(struct arena *a);

#endif
