/* petitions.c - the pages and API of 信访 and 区长信箱. */
#include "web/route.h"
#include "areas/petition.h"

static const struct route routes[] = {
	{0},
};

const struct web_area petitions_web = {
	.name = "petitions",
	.routes = routes,
};
