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
/* audit_pages.c */
int handle_audit(struct request *req, struct reply *rep);
int handle_api_audit(struct request *req, struct reply *rep);

#endif
