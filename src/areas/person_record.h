/* person_record.h - what the registry's own files (person.c, person_search.c,
 * person_family.c, person_status.c) share and no other area sees: a person in plain
 * values, the views of its fields, and the small reads and writes the others build on. */
#ifndef VETS_PERSON_RECORD_H
#define VETS_PERSON_RECORD_H

#include "person.h"
#include "lib/idcard.h"

#include <stddef.h>
#include <stdint.h>

/* Room for one exported cell (the longest field is the 500-character note). */
#define PERSON_CELL 1600

/* A person in plain values: what is compared, stored and shown. person_fields[i].value
 * is the offset of field i's text here (the 身份证号 is card.number). */
struct person_record {
	char name[4 * 50 + 1];
	struct idcard card;
	char phone[24], street[13], community[13], address[4 * 200 + 1];
	char enlisted[11], discharged[11], placement[32];
	int grade;
	char nature[8];
	char bank_name[4 * 60 + 1], account[32], note[4 * 500 + 1];
	uint32_t categories;
	char region[13];
	int64_t created_by;
};

/* Applies the given fields of t over r (the stored values, or zeros for someone new) and
 * checks each field and the rules across fields, adding each problem to e. No database
 * is used unless t names a street or community (resolved through db). */
void person_record_parse(struct db *db, const struct person_text *t, struct person_record *r,
			 struct field_errors *e);

/* Reads person id into r (decrypted). VE_NOTFOUND when there is none; VE_DB. */
int person_record_load(struct db *db, int64_t id, struct person_record *r);
/* person_record_load, and VE_NOTFOUND when the person is outside by's scope. */
int person_record_in_scope(struct db *db, const struct principal *by, int64_t id,
			   struct person_record *r);
/* Field i of r as a cell of the export (full: sensitive values in full, else masked) or,
 * with history set, as a history line shows it (masked, regions by name, "3 级"). */
void person_field_show(struct db *db, const struct person_record *r, int i, int full,
		       int history, char *out, size_t size);
/* 1 when field i differs between a and b (plain values: a changed phone with the same
 * mask counts). */
int person_field_differs(const struct person_record *a, const struct person_record *b, int i);

/* Today (Beijing time) as YYYYMMDD. */
int person_today(void);
/* The age in whole years today of someone born on birth (YYYY-MM-DD). */
int person_age_of(const char *birth);

/* What status changes and links need of a person, without decrypting anything. */
struct person_brief {
	int64_t id;
	char name[4 * 50 + 1], region[13], status[16], birth[11];
};
/* Person id into b when it is in by's scope; VE_NOTFOUND otherwise; VE_DB. */
int person_brief_in_scope(struct db *db, const struct principal *by, int64_t id,
			  struct person_brief *b);
/* Writes a line of p's history (field changed from old_value to new_value). 0 or VE_DB. */
int person_history_line(struct db *db, const struct principal *by, const struct person_brief *p,
			const char *field, const char *old_value, const char *new_value);
/* Checks free text v of field (at most max_chars characters, newlines when allowed) into
 * out; -1 with e's error added. */
int person_text_field(struct field_errors *e, const char *field, const char *v,
		      size_t max_chars, int allow_newlines, char *out, size_t size);

/* The relatives of person id in by's scope: [{"relation","id","name"}] (person_family.c). */
json_t *person_family_json(struct db *db, const struct principal *by, int64_t id);
/* Counts a look-up by a whole number (what: "身份证号" or "电话号码", term: masked) against
 * by's daily allowance and audits it: 0, or VE_QUOTA past PERSON_FULL_SEARCHES_PER_DAY
 * (audited as refused), or VE_DB. One write transaction, the caller's when in_tx
 * (person_search.c). */
int person_audit_full_search(struct db *db, const struct principal *by, const char *what,
			     const char *term, int in_tx);

#endif
