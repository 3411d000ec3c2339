/* track.c - the public tracking page (进度查询): GET /track?code=…, no login, on the staff
 * listener (the counter's receipts) and on the portal's. An application's code shows the
 * item, the status, the due day, the steps with their dates and the messages sent — never
 * the applicant's name, ID number or phone; on the portal, a 区长信箱 message's code shows
 * its course and reply (petition_mailbox_track). A code that finds nothing says only that.
 * Lookups are limited per client address (TRACK_PER_MINUTE a minute, in a bounded table in
 * memory): past it, 429 in Chinese with Retry-After. */
#include "web/route.h"
#include "areas/application.h"
#include "areas/petition.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/rate_limit.h"
#include "web/portal.h"
#include "web/ratings.h"

#include <pthread.h>
#include <string.h>

#define TRACK_PER_MINUTE 20
#define TRACK_SLOTS 8192

static struct rate_limit *limiter;
static pthread_once_t limiter_once = PTHREAD_ONCE_INIT;

static void limiter_make(void)
{
	limiter = rate_limit_new(TRACK_SLOTS, TRACK_PER_MINUTE, 60);
}

/* 0, or the seconds the client must wait (its lookups this minute are used up). */
static int track_wait(const struct request *req)
{
	pthread_once(&limiter_once, limiter_make);
	return limiter ? rate_limit_take(limiter, req->ip, clock_now()) : 0;
}

static void stop(void)
{
	rate_limit_free(limiter);
	limiter = NULL;
}

static int too_many(struct request *req, struct reply *rep, int wait)
{
	rep->retry_after = wait;
	return reply_error(req, rep, 429, "too_many_requests",
			   "查询过于频繁，请稍后再试（约 1 分钟后）");
}

/* The page of the side the request came on: the portal's 进度查询, or the staff side's. */
static int track_page(struct request *req, struct reply *rep, int status, json_t *data)
{
	return req->portal ? reply_portal(req, rep, status, "portal/track", "进度查询", data)
			   : reply_page(req, rep, status, "applications/track", "办件查询", data);
}

/* On the portal, a code that is no application's may be a 区长信箱 message's. */
static int mailbox_part(struct request *req, struct db *db, const char *code, json_t *data)
{
	json_t *m = NULL;
	int rc = req->portal ? petition_mailbox_track(db, code, &m) : VE_NOTFOUND;
	if (!rc)
		json_object_set_new(data, "mail", m);
	return rc;
}

static int handle_track(struct request *req, struct reply *rep)
{
	const char *code = params_text(req, "code");
	json_t *data = json_pack("{s:s,s:b}", "code", code, "new", params_flag(req, "new"));
	if (!*code)
		return track_page(req, rep, 200, data);
	int wait = track_wait(req);
	if (wait) {
		json_decref(data);
		return too_many(req, rep, wait);
	}
	struct db *db = page_db(req, rep);
	if (!db) {
		json_decref(data);
		return 0;
	}
	json_t *t = NULL;
	int rc = application_track(db, code, &t);
	if (rc == VE_NOTFOUND && (rc = mailbox_part(req, db, code, data)) == 0) {
		json_object_set_new(data, "private", json_true()); /* one writer's own */
		return track_page(req, rep, 200, data);
	}
	if (rc == VE_NOTFOUND) {
		json_object_set_new(data, "nothing", json_true());
		return track_page(req, rep, 404, data);
	}
	if (rc) {
		json_decref(data);
		return reply_area_error(req, rep, rc, NULL);
	}
	/* RATINGS: the ratings module fills "rating" here (rating.h: rating_of of the
	 * application found by application_by_code), rendered in the marked spot of
	 * templates/applications/track.html. */
	json_object_set_new(data, "track", t);
	json_object_set_new(data, "private", json_true());
	ratings_track_part(req, rep, db, code, data);
	return track_page(req, rep, 200, data);
}

static const struct param_spec track_params[] = {
	{"code", "查询码", PK_TEXT, 0, 0, 64, 0},
	{"new", "新提交", PK_FLAG, 0, 0, 0, 0},
	PARAM_END,
};

static const struct route routes[] = {
	{"GET", "/track", handle_track, NULL, ROUTE_PUBLIC, track_params, 0},
	{"GET", "/track", handle_track, NULL, ROUTE_PUBLIC | ROUTE_PORTAL, track_params, 0},
	{0},
};

const struct web_area track_web = {
	.name = "track",
	.routes = routes,
	.stop = stop,
};
