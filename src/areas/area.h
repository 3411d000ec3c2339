/* area.h - what a business area declares about itself, and the list of areas.
 *
 * An area (areas/<area>.c) owns its tables, its vocabularies, its permissions,
 * the titles of the audit actions it writes and its timed jobs. It exports one
 * `const struct area <area>_area` from its header; area_list.c lists them all.
 * Nothing outside the area repeats what it declares here. */
#ifndef VETS_AREA_H
#define VETS_AREA_H

#include "areas/perm.h"

/* The Chinese title of an audit action, for people reading the trail. */
struct audit_title {
	const char *action, *title;
};

struct job;        /* areas/job.h */
struct figure_set; /* areas/figure.h */
struct db;
struct principal;
struct json_t;

struct area {
	const char *name;
	const struct perm *const *perms;        /* NULL-terminated, or NULL */
	const struct audit_title *audit_titles; /* ends with {NULL, NULL}, or NULL */
	const struct job *const *jobs;          /* NULL-terminated, or NULL */
	const struct figure_set *figures;       /* its year's statistics, or NULL */
	/* The work of the area waiting for by, for his home page: appends to list one
	 * {"title","count","href"[,"note"][,"urgent":true]} per kind of work he may do that has
	 * count > 0 (href opens the list of it, narrowed to his scope; urgent: past a deadline,
	 * shown first). 0 or VE_DB. Or NULL. */
	int (*todos)(struct db *db, const struct principal *by, struct json_t *list);
};

/* Every area, in the order the roles page shows their permissions; NULL-terminated. */
extern const struct area *const area_list[];

/* The title of audit action (the action itself when no area names it). */
const char *area_audit_title(const char *action);

#endif
