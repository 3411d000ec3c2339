/* handlers.h - every request handler, one file per area of pages (see routes.c). */
#ifndef VETS_HANDLERS_H
#define VETS_HANDLERS_H

#include "route.h"
#include "areas/account.h"
#include "areas/audit.h"
#include "db/db.h"

/* home.c */
int handle_home(struct request *req, struct reply *rep);
int handle_healthz(struct request *req, struct reply *rep);
int handle_metrics(struct request *req, struct reply *rep);
/* login.c */
int handle_login_page(struct request *req, struct reply *rep);
int handle_login(struct request *req, struct reply *rep);
int handle_logout(struct request *req, struct reply *rep);
int handle_password_page(struct request *req, struct reply *rep);
int handle_password(struct request *req, struct reply *rep);
int handle_api_session_create(struct request *req, struct reply *rep);
int handle_api_session_delete(struct request *req, struct reply *rep);
int handle_api_me(struct request *req, struct reply *rep);
/* users.c */
int handle_users(struct request *req, struct reply *rep);
int handle_api_users(struct request *req, struct reply *rep);
int handle_user_new(struct request *req, struct reply *rep);
int handle_user_create(struct request *req, struct reply *rep);
int handle_user_show(struct request *req, struct reply *rep);
int handle_user_update(struct request *req, struct reply *rep);
int handle_user_password(struct request *req, struct reply *rep);
int handle_user_password_confirm(struct request *req, struct reply *rep);
int handle_user_unlock(struct request *req, struct reply *rep);
int handle_user_roles(struct request *req, struct reply *rep);
/* orgs.c */
int handle_orgs(struct request *req, struct reply *rep);
int handle_org_create(struct request *req, struct reply *rep);
int handle_org_rename(struct request *req, struct reply *rep);
int handle_roles(struct request *req, struct reply *rep);
int handle_policy(struct request *req, struct reply *rep);
int handle_policy_save(struct request *req, struct reply *rep);
/* persons.c */
int handle_persons(struct request *req, struct reply *rep);
int handle_api_persons(struct request *req, struct reply *rep);
int handle_person_show(struct request *req, struct reply *rep);
int handle_persons_export(struct request *req, struct reply *rep);
int handle_person_reveal(struct request *req, struct reply *rep);
int handle_api_person(struct request *req, struct reply *rep);
int handle_person_new(struct request *req, struct reply *rep);
int handle_person_create(struct request *req, struct reply *rep);
int handle_person_edit(struct request *req, struct reply *rep);
int handle_person_update(struct request *req, struct reply *rep);
int handle_api_person_create(struct request *req, struct reply *rep);
int handle_api_person_update(struct request *req, struct reply *rep);
int handle_person_status(struct request *req, struct reply *rep);
int handle_person_family(struct request *req, struct reply *rep);
int handle_person_unlink(struct request *req, struct reply *rep);
int handle_api_person_status(struct request *req, struct reply *rep);
int handle_api_person_family(struct request *req, struct reply *rep);
/* person_import.c */
int handle_import_form(struct request *req, struct reply *rep);
int handle_import_upload(struct request *req, struct reply *rep);
int handle_import_confirm(struct request *req, struct reply *rep);
int handle_import_rejected(struct request *req, struct reply *rep);
int handle_import_progress(struct request *req, struct reply *rep);
int handle_import_status(struct request *req, struct reply *rep);
/* Waits for the import jobs still queued or running (a queued one is not started)
 * and frees them all: called once the server takes no more requests. */
void person_import_jobs_stop(void);
/* audit_pages.c */
int handle_audit(struct request *req, struct reply *rep);
int handle_api_audit(struct request *req, struct reply *rep);
/* benefits.c: 待遇标准 and 义务兵 rules, 待遇资格, 年度确认 */
int handle_benefits(struct request *req, struct reply *rep);
int handle_standard_propose(struct request *req, struct reply *rep);
int handle_standard_decide(struct request *req, struct reply *rep);
int handle_standard_import(struct request *req, struct reply *rep);
int handle_rule_set(struct request *req, struct reply *rep);
int handle_rules_approve(struct request *req, struct reply *rep);
int handle_entitlements(struct request *req, struct reply *rep);
int handle_api_entitlements(struct request *req, struct reply *rep);
int handle_entitlement_propose(struct request *req, struct reply *rep);
int handle_entitlement_confirm(struct request *req, struct reply *rep);
int handle_entitlement_suspend(struct request *req, struct reply *rep);
int handle_entitlement_resume(struct request *req, struct reply *rep);
int handle_entitlement_cancel(struct request *req, struct reply *rep);
int handle_verifications(struct request *req, struct reply *rep);
int handle_verification_notify(struct request *req, struct reply *rep);
int handle_verification_record(struct request *req, struct reply *rep);
int handle_verification_sweep(struct request *req, struct reply *rep);
/* What benefits.c and payments.c share: an area error's HTTP status; the page data every page of
 * the area starts from ({"tab","can_stats"}); a page of a JSON array (new reference); an upload
 * saved to a private temporary file (.csv/.xlsx only; the caller unlinks it); rejected rows
 * collected for a page; choices for a <select>
 * ([{"name","selected"}], types: [{"code","name","selected"}]); a form
 * {"values","errors":[{"field","message"}],"invalid":{field: message}}. */
struct benefit_rows {
	json_t *list; /* [{"row","reason"}], the first 200 */
	long total;
};
int benefit_area_status(int rc);
json_t *benefit_page_data(const struct request *req, const char *tab);
json_t *benefit_slice(json_t *list, int64_t page, int64_t per_page);
int benefit_save_upload(const struct multipart_part *file, char path[64], char *why, size_t size);
void benefit_row_error(void *ctx, long row, const char *reason);
json_t *benefit_choices(const char *const *names, size_t n, const char *selected);
json_t *benefit_type_choices(struct db *db, const char *selected);
json_t *benefit_form(json_t *values);
void benefit_form_error(json_t *form, const char *field, const char *message);
int benefit_form_need(json_t *form, const char *value, const char *field, const char *message);
void benefit_form_refused(json_t *form, int rc, const char *err, const char *const *fields,
			  size_t n);
/* payments.c: batches, lines, bank and return files, recoveries, statistics */
int handle_payments(struct request *req, struct reply *rep);
int handle_payment_generate(struct request *req, struct reply *rep);
int handle_payment_batch(struct request *req, struct reply *rep);
int handle_payment_review(struct request *req, struct reply *rep);
int handle_payment_reject(struct request *req, struct reply *rep);
int handle_payment_approve(struct request *req, struct reply *rep);
int handle_payment_bank(struct request *req, struct reply *rep);
int handle_payment_return(struct request *req, struct reply *rep);
int handle_payment_lines(struct request *req, struct reply *rep);
int handle_payment_recoveries(struct request *req, struct reply *rep);
int handle_benefit_stats(struct request *req, struct reply *rep);
int handle_api_batches(struct request *req, struct reply *rep);
int handle_api_batch(struct request *req, struct reply *rep);
int handle_api_batch_generate(struct request *req, struct reply *rep);
int handle_api_batch_review(struct request *req, struct reply *rep);
int handle_api_batch_reject(struct request *req, struct reply *rep);
int handle_api_batch_approve(struct request *req, struct reply *rep);
int handle_api_pay_lines(struct request *req, struct reply *rep);
int handle_api_benefit_stats(struct request *req, struct reply *rep);

#endif
