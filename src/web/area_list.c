/* area_list.c - the list of web areas. A new area adds its line here (see docs/ARCHITECTURE.md). */
#include "web/route.h"

extern const struct web_area home_web;
extern const struct web_area login_web;
extern const struct web_area users_web;
extern const struct web_area orgs_web;
extern const struct web_area audit_pages_web;
extern const struct web_area persons_web;
extern const struct web_area person_import_web;
extern const struct web_area benefits_web;
extern const struct web_area payments_web;
extern const struct web_area recoveries_web;
extern const struct web_area death_reports_web;
extern const struct web_area calendar_web;
extern const struct web_area applications_web;
extern const struct web_area track_web;
extern const struct web_area ratings_web;
extern const struct web_area inspections_web;
extern const struct web_area outbox_web;
extern const struct web_area petitions_web;
extern const struct web_area surveys_web;
extern const struct web_area services_web;
extern const struct web_area consultations_web;
extern const struct web_area articles_web;
extern const struct web_area portal_home_web;
extern const struct web_area qa_web;
extern const struct web_area portal_web;
extern const struct web_area mailbox_web;
extern const struct web_area placement_web;
extern const struct web_area employment_web;
extern const struct web_area care_web;
extern const struct web_area shuangyong_web;
extern const struct web_area report_web;
extern const struct web_area pufa_web;

/* One area per line: each new area adds its extern above and its line here. */
const struct web_area *const web_area_list[] = {
	&home_web,
	&login_web,
	&users_web,
	&orgs_web,
	&audit_pages_web,
	&persons_web,
	&person_import_web,
	&benefits_web,
	&payments_web,
	&recoveries_web,
	&death_reports_web,
	&calendar_web,
	&applications_web,
	&track_web,
	&ratings_web,
	&inspections_web,
	&outbox_web,
	&petitions_web,
	&surveys_web,
	&services_web,
	&consultations_web,
	&articles_web,
	&portal_home_web,
	&qa_web,
	&portal_web,
	&mailbox_web,
	&placement_web,
	&employment_web,
	&care_web,
	&shuangyong_web,
	&report_web,
	&pufa_web,
	NULL,
};
