/* death_report.h - a station's report of a death (死亡上报), with the death certificate
 * (死亡证明) attached, waiting for the bureau's check (核查): accepted, it records the death
 * (entitlement_person_status, in the same transaction); returned, the station sees why.
 *
 * The certificate is a file outside the database, in the files directory (0700), named
 * by a random id (never by the name it was uploaded under) with mode 0600; the row keeps
 * its id, type, size, SM3 hash and original name. Only PDF, JPEG or PNG, recognised by
 * their first bytes, of at most DEATH_REPORT_FILE_MAX bytes.
 *
 * Reports are scoped by the person's region: a report of someone outside the caller's
 * scope does not exist (VE_NOTFOUND). Everything is audited. */
#ifndef VETS_DEATH_REPORT_H
#define VETS_DEATH_REPORT_H

#include "areas/area.h"
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "areas/account.h"
#include "db/db.h"

struct field_errors; /* lib/field_errors.h */

#define DEATH_REPORT_FILE_MAX (5 * 1024 * 1024)

/* Sets the directory certificates are kept in (vets serve: --files-dir, else the
 * database's path with ".files"); created 0700 when the first file is stored. Call once
 * before threads start. */
void death_report_set_files_dir(const char *dir);

/* The kind of file data[0..len) is by its first bytes: "application/pdf", "image/jpeg",
 * "image/png", or NULL for anything else. */
const char *death_report_file_type(const void *data, size_t len);

/* A report as a station sends it. */
struct death_report_new {
	int64_t person_id;
	const char *date, *cause, *note;
	const void *file; /* the certificate's bytes; NULL when none was sent */
	size_t file_len;
	const char *file_name; /* as uploaded */
};
/* Stores the certificate and the report (by: PERM_DEATH_REPORT_SUBMIT). *id: the
 * report. VE_INVALID with e (人员, 死亡日期, 死亡原因, 说明, 死亡证明: missing, not PDF/JPEG/PNG,
 * too large); VE_EXISTS with e when the person has a report waiting; VE_NOTFOUND
 * outside by's scope; VE_DB (then no file is left behind). */
int death_report_submit(struct db *db, const struct principal *by, const struct death_report_new *r,
			int64_t *id, struct field_errors *e);

/* Reports in by's scope with status ("" any), newest first, at most 200:
 * {"total","items":[{"id","person_id","name","id_number"(masked),"street","death_date",
 * "cause","note","status","file_type","file_size","file_name","submitted_name",
 * "submitted_at","checked_name","checked_at","return_reason"}]}. */
int death_report_list(struct db *db, const struct principal *by, const char *status, json_t **out);
/* The number of reports waiting (待核查) in by's scope. */
int death_report_pending(struct db *db, const struct principal *by, int64_t *n);
/* One report as in the list. */
int death_report_get(struct db *db, const struct principal *by, int64_t id, json_t **out);

/* The certificate of report id, read from its file and checked against its hash: *data
 * (free() it) and *len, type and name (the name it was uploaded under, cut to size).
 * Audited (death_report.view). VE_NOTFOUND outside scope; VE_DB when the file is missing
 * or changed. */
int death_report_certificate(struct db *db, const struct principal *by, int64_t id, void **data,
			     size_t *len, char type[32], char *name, size_t name_size);

/* The bureau's check (by: PERM_DEATH_REPORT_CHECK, never the reporter): accepting
 * records the death with the report's date and cause; returning needs a reason (退回原因,
 * 1-200 characters). VE_CONFLICT when the report is no longer waiting; VE_DENIED for the
 * reporter; refusals of the death itself come back in e. */
int death_report_accept(struct db *db, const struct principal *by, int64_t id,
			struct field_errors *e);
int death_report_return(struct db *db, const struct principal *by, int64_t id, const char *reason,
			struct field_errors *e);

/* ---- vocabularies ---- */

#define DEATH_REPORT_N_STATUSES 3
extern const char
	*const death_report_statuses[DEATH_REPORT_N_STATUSES]; /* 待核查, 已核实, 已退回 */

/* ---- what the area declares (area.h) ---- */

/* reporting a death with its certificate: the stations */
extern const struct perm perm_death_report_submit;
#define PERM_DEATH_REPORT_SUBMIT (&perm_death_report_submit)
/* reading the reports of one's scope and their certificates */
extern const struct perm perm_death_report_read;
#define PERM_DEATH_REPORT_READ (&perm_death_report_read)
/* accepting or returning them: the bureau */
extern const struct perm perm_death_report_check;
#define PERM_DEATH_REPORT_CHECK (&perm_death_report_check)
extern const struct area death_report_area;

#endif
