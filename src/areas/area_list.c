/* area_list.c - the list of areas. A new area adds its line here (see docs/ARCHITECTURE.md). */
#include "areas/area.h"
#include "areas/article.h"
#include "areas/backup.h"
#include "areas/inspection.h"
#include "areas/rating.h"
#include "areas/account.h"
#include "areas/audit.h"
#include "areas/benefit.h"
#include "areas/calendar.h"
#include "areas/conscript.h"
#include "areas/dashboard.h"
#include "areas/consultation.h"
#include "areas/death.h"
#include "areas/death_report.h"
#include "areas/entitlement.h"
#include "areas/employment.h"
#include "areas/job.h"
#include "areas/outbox.h"
#include "areas/payment.h"
#include "areas/person.h"
#include "areas/petition.h"
#include "areas/care.h"
#include "areas/placement.h"
#include "areas/survey.h"
#include "areas/qa.h"
#include "areas/shuangyong.h"
#include "areas/pufa.h"
#include "areas/report.h"
#include "areas/policy.h"
#include "areas/recovery.h"
#include "areas/application.h"
#include "areas/service.h"
#include "areas/session.h"
#include "areas/settings.h"

#include <string.h>

/* One area per line: each new area adds its own line. */

const struct area *const area_list[] = {
	&session_area,
	&account_area,
	&policy_area,
	&settings_area,
	&audit_area,
	&backup_area,
	&person_area,
	&conscript_area,
	&benefit_area,
	&entitlement_area,
	&payment_area,
	&death_area,
	&death_report_area,
	&recovery_area,
	&job_area,
	&calendar_area,
	&service_area,
	&outbox_area,
	&application_area,
	&petition_area,
	&survey_area,
	&rating_area,
	&inspection_area,
	&consultation_area,
	&article_area,
	&qa_area,
	&placement_area,
	&employment_area,
	&care_area,
	&shuangyong_area,
	&pufa_area,
	&dashboard_area,
	&report_area,
	NULL,
};

const char *area_audit_title(const char *action)
{
	for (const struct area *const *a = area_list; action && *a; a++)
		for (const struct audit_title *t = (*a)->audit_titles; t && t->action; t++)
			if (strcmp(t->action, action) == 0)
				return t->title;
	return action ? action : "";
}
