/* figures.h - the pages of an area's year figures (areas/figure.h), the same for every area.
 *
 * An area's web file adds two routes and two one-line handlers:
 *   static int handle_stats(struct request *req, struct reply *rep)
 *   { return figures_page(req, rep, &placement_figures); }
 *   static int handle_stats_list(struct request *req, struct reply *rep)
 *   { return figures_list_page(req, rep, &placement_figures); }
 *   {"GET", "/placement/stats", handle_stats, READ, 0, figures_params, 0},
 *   {"GET", "/placement/stats/list", handle_stats_list, READ, 0, figures_list_params, 0},
 * The first shows each figure with its unit and definition, its number a link to its
 * list; the list shows the rows the figure counts, 50 a page. */
#ifndef VETS_WEB_FIGURES_H
#define VETS_WEB_FIGURES_H

#include "areas/figure.h"
#include "web/route.h"

/* ?year= (default: this year) */
extern const struct param_spec figures_params[];
/* ?key=&year=&page= */
extern const struct param_spec figures_list_params[];

/* The year's figures of set as by sees them (figure_stats), each figure with "href" (its
 * rows' page) and each rate with "shown" ("98.5%", "—"), and "stats_href" (the set's page):
 * what the set's page and the dashboard show. 0, VE_INVALID (the year) or VE_DB. */
int figures_of_year(struct db *db, const struct principal *by, const struct figure_set *set,
		    int year, json_t **out);

int figures_page(struct request *req, struct reply *rep, const struct figure_set *set);
int figures_list_page(struct request *req, struct reply *rep, const struct figure_set *set);

#endif
