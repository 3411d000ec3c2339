/* benefit_pages.h - what the pages of benefits.c and payments.c share. */
#ifndef VETS_BENEFIT_PAGES_H
#define VETS_BENEFIT_PAGES_H

#include "web/route.h"
#include "db/db.h"
#include "web/multipart.h"
#include "lib/field_errors.h"

/* What benefits.c and payments.c share: the page data every page of
 * the area starts from ({"tab","can_stats"}); a page of a JSON array (new reference); an upload
 * saved to a private temporary file (.csv/.xlsx only; the caller unlinks it); rejected rows
 * collected for a page; choices for a <select>
 * ([{"name","selected"}], types: [{"code","name","selected"}]); a form
 * {"values","errors":[{"field","message"}],"invalid":{field: message}}. */
struct benefit_rows {
	json_t *list; /* [{"row","reason"}], the first 200 */
	long total;
};
json_t *benefit_page_data(const struct request *req, const char *tab);
json_t *benefit_slice(json_t *list, int64_t page, int64_t per_page);
void benefit_row_error(void *ctx, long row, const char *reason);
json_t *benefit_choices(const char *const *names, size_t n, const char *selected);
json_t *benefit_type_choices(struct db *db, const char *selected);
json_t *benefit_form(json_t *values);
void benefit_form_error(json_t *form, const char *field, const char *message);
int benefit_form_need(json_t *form, const char *value, const char *field, const char *message);
/* An area's refusal on form: each of fe's errors marks its field (fe's fields are the
 * form's Chinese labels, as "invalid" names them); with none, err (else rc's message)
 * is listed without a field. */
void benefit_form_refused(json_t *form, int rc, const struct field_errors *fe, const char *err);

/* A standards file or a bank return file: the parameter of both uploads, and its size. */
#define BENEFIT_UPLOAD_MAX (20 * 1024 * 1024)
extern const struct param_spec benefit_upload_params[];

#endif
