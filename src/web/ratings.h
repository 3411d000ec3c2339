/* ratings.h - what the public tracking page (track.c) shows of 好差评. */
#ifndef VETS_WEB_RATINGS_H
#define VETS_WEB_RATINGS_H

#include <jansson.h>

#include "db/db.h"
#include "web/route.h"

/* Puts into data (the tracking page's) the rating of the application of tracking code
 * (normalised): "rating" (rating.h's rating_of, or null) and "rating_open" (true when it has
 * ended and is not rated yet: the page shows the form, templates/ratings/track_part.html),
 * and then gives a visitor the form token the form posts with (auth_form_token). */
void ratings_track_part(struct request *req, struct reply *rep, struct db *db, const char *code,
			json_t *data);

#endif
