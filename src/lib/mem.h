/* mem.h - allocation that aborts on out-of-memory, and wiping of secrets.
 *
 * Input limits keep requests far from exhausting memory, so running out is a
 * fault of the machine, not of the input: we stop rather than limp on. */
#ifndef VETS_MEM_H
#define VETS_MEM_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Overwrites n bytes at p with zeros in a way the compiler will not drop. */
void mem_wipe(void *p, size_t n);

#endif
