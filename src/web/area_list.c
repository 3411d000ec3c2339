/* area_list.c - the list of web areas. A new area adds its line here (see docs/ARCHITECTURE.md). */
#include "web/route.h"

extern const struct web_area home_web, login_web, users_web, orgs_web, audit_pages_web,
	persons_web, person_import_web, benefits_web, payments_web, recoveries_web, death_reports_web;
extern const struct web_area ratings_web, inspections_web;

const struct web_area *const web_area_list[] = {
	&home_web,     &login_web,         &users_web,    &orgs_web,     &audit_pages_web,
	&persons_web,  &person_import_web, &benefits_web, &payments_web, &recoveries_web,
	&death_reports_web,
	&ratings_web, &inspections_web,
	NULL,
};
