/* petition.c - 信访 and 区长信箱: the vocabularies, registering a petition, its steps,
 * reading one, the message to the writer at each change, the daily deadline job and
 * the area's declarations. Lists and statistics: petition_stats.c; the ledger:
 * petition_import.c. */
#include "petition.h"
#include "petition_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "areas/audit.h"
#include "areas/calendar.h"
#include "areas/job.h"
#include "areas/outbox.h"
#include "areas/scope.h"
#include "areas/sealed.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/idcard.h"
#include "lib/mem.h"
#include "lib/str.h"
#include "lib/utf8.h"


const char *const petition_sources[PETITION_N_SOURCES] = {"来信", "来访", "来电", "网上信访",
							  PETITION_MAILBOX};
const char *const petition_statuses[PETITION_N_STATUSES] = {
	PETITION_PENDING, PETITION_REJECTED, PETITION_ACCEPTED, PETITION_ASSIGNED,
	PETITION_CLOSED,  PETITION_REPLIED,  PETITION_REVIEWING, PETITION_REVIEWED};

/* ---- pure rules ---- */

int petition_date_valid(const char *s)
{
	int32_t n;
	return s && calendar_day_number(s, &n) == 0;
}

int petition_day_add(const char *day, int n, char out[11])
{
	int32_t d;
	if (!day || calendar_day_number(day, &d) != 0)
		return -1;
	calendar_day_text(d + n, out);
	return 0;
}

int petition_days_between(const char *from, const char *to)
{
	int32_t a = 0, b = 0;
	if (calendar_day_number(from, &a) != 0 || calendar_day_number(to, &b) != 0)
		return 0;
	return (int)(b - a);
}

int petition_source_valid(const char *source)
{
	for (int i = 0; source && i < PETITION_N_SOURCES; i++)
		if (strcmp(source, petition_sources[i]) == 0)
			return 1;
	return 0;
}

const char *petition_signer(const struct principal *by)
{
	return by->display_name[0] ? by->display_name : by->username;
}

/* ---- the message to the writer ---- */

int petition_notify(struct db *db, int64_t id, const char *text)
{
	struct db_stmt *st =
		db_q(db, "SELECT region_code, phone_enc, code FROM petitions WHERE id = ?", "i", id);
	if (!st)
		return VE_DB;
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return VE_NOTFOUND;
	}
	size_t len = 0;
	const void *blob = db_blob(st, 1, &len);
	char msg[512];
	snprintf(msg, sizeof(msg), "您的信访事项（编号 %s）%s", db_text(st, 2), text);
	int rc = outbox_queue_sealed(db, db_text(st, 0), "petition", id, PETITION_PHONE_COLUMN,
				     blob, len, msg);
	db_done(st);
	return rc;
}

/* ---- registering ---- */

/* A tidied copy of src, whole: the request bounds it, and the characters are counted after
 * tidying (a fixed buffer would cut a text within its limit of characters but not of bytes). */
static char *tidy_dup(const char *src, enum str_tidy_inner how)
{
	char *dst = xstrdup(src ? src : "");
	str_tidy(dst, how);
	return dst;
}

static void check_len(struct field_errors *fe, const char *field, const char *v, size_t min,
		      size_t max, int lines)
{
	size_t n = utf8_count(v, strlen(v));
	if (n < min)
		field_errors_add(fe, field, min == 1 ? "请填写%s" : "%s至少 %zu 个字", field, min);
	else if (n > max)
		field_errors_add(fe, field, "%s最多 %zu 个字", field, max);
	else if (!str_is_printable(v, strlen(v), lines))
		field_errors_add(fe, field, "%s含有不可打印的字符", field);
}

/* The writer's fields, tidied and checked. */
struct writer {
	char *name, *id, *phone, *address, *subject, *content; /* owned: writer_free */
	char id_mask[19], phone_mask[24], id_bidx[2 * SM3_LEN + 1];
};

/* Wipes what the writer gave (personal data) and frees it. */
static void writer_free(struct writer *w)
{
	char **texts[] = {&w->name, &w->id, &w->phone, &w->address, &w->subject, &w->content};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (*texts[i]) {
			memset(*texts[i], 0, strlen(*texts[i]));
			free(*texts[i]);
		}
	memset(w, 0, sizeof(*w));
	free(w);
}

static void check_writer(const struct petition_new *in, struct writer *w,
			 struct field_errors *fe)
{
	w->name = tidy_dup(in->name, STR_TIDY_COLLAPSE);
	w->id = tidy_dup(in->id_number, STR_TIDY_REMOVE);
	w->phone = tidy_dup(in->phone, STR_TIDY_REMOVE);
	w->address = tidy_dup(in->address, STR_TIDY_COLLAPSE);
	w->subject = tidy_dup(in->subject, STR_TIDY_COLLAPSE);
	w->content = tidy_dup(in->content, STR_TIDY_KEEP);
	if (!petition_source_valid(in->source))
		field_errors_add(fe, "来源", "来源应为来信、来访、来电、网上信访或区长信箱");
	check_len(fe, "姓名", w->name, 1, 50, 0);
	w->id_mask[0] = w->phone_mask[0] = w->id_bidx[0] = '\0';
	if (*w->id) {
		struct idcard card;
		char why[160];
		if (strlen(w->id) == 18 && w->id[17] == 'x')
			w->id[17] = 'X';
		if (idcard_parse(w->id, 99991231, &card, why, sizeof(why)) != 0)
			field_errors_add(fe, "身份证号", "%s", why);
		else {
			idcard_mask(card.number, w->id_mask);
			unsigned char key[SM3_LEN];
			sealed_index_key(PETITION_ID_BIDX, key);
			sealed_index(key, card.number, w->id_bidx);
		}
	}
	size_t pl = strlen(w->phone);
	if (pl && (pl < 7 || pl > 20 || strspn(w->phone, "0123456789-") != pl))
		field_errors_add(fe, "联系电话", "联系电话应为 11 位手机号或固定电话");
	else if (pl)
		sealed_mask_phone(w->phone, w->phone_mask);
	check_len(fe, "地址", w->address, 0, 120, 0);
	check_len(fe, "标题", w->subject, 1, 100, 0);
	check_len(fe, "内容", w->content, 1, 2000, 1);
	const char *on = in->received_on ? in->received_on : "";
	if (!*on)
		field_errors_add(fe, "收到日期", "请填写收到日期");
	else if (!petition_date_valid(on))
		field_errors_add(fe, "收到日期", "日期应为 YYYY-MM-DD，如 2026-03-15");
	else if (strcmp(on, clock_today_text()) > 0)
		field_errors_add(fe, "收到日期", "收到日期不能晚于今天");
}

/* The next code of the year: XF-YYYY-NNNNNN. */
static int next_code(struct db *db, const char *received_on, char out[32])
{
	char prefix[16];
	snprintf(prefix, sizeof(prefix), "XF-%.4s-", received_on);
	prefix[8] = '\0';
	int64_t n = 0;
	if (db_int_query(db, &n, 0,
			 "SELECT count(*) FROM petitions WHERE substr(code, 1, 8) = ?", "s",
			 prefix) != 0)
		return VE_DB;
	for (int tries = 0; tries < 1000; tries++) {
		int64_t taken = 0;
		if (snprintf(out, 32, "%s%06lld", prefix, (long long)(n + 1 + tries) % 100000000) >= 32)
			return VE_INTERNAL;
		if (db_int_query(db, &taken, 0, "SELECT count(*) FROM petitions WHERE code = ?", "s",
				 out) != 0)
			return VE_DB;
		if (!taken)
			return 0;
	}
	return VE_INTERNAL;
}

static int seal_into(struct db *db, int64_t id, const struct writer *w)
{
	unsigned char *ib = NULL, *pb = NULL, *ab = NULL;
	size_t il = 0, pl = 0, al = 0;
	sealed_seal(PETITION_ID_COLUMN, id, w->id, &ib, &il);
	sealed_seal(PETITION_PHONE_COLUMN, id, w->phone, &pb, &pl);
	sealed_seal(PETITION_ADDRESS_COLUMN, id, w->address, &ab, &al);
	int rc = db_run(db,
			"UPDATE petitions SET id_enc = ?, phone_enc = ?, address_enc = ? WHERE id = ?",
			"bbbi", (const void *)ib, il, (const void *)pb, pl, (const void *)ab, al, id);
	free(ib);
	free(pb);
	free(ab);
	return rc;
}

int petition_bump(struct db *db)
{
	return db_run(db, "UPDATE petition_version SET version = version + 1 WHERE id = 1", "");
}

int petition_add_step(struct db *db, const struct principal *by, int64_t id, const char *step,
		      const char *on, const char *note)
{
	return db_run(db,
		      "INSERT INTO petition_steps (petition_id, region_code, step, on_day, at, by_user, "
		      "by_name, note) SELECT id, region_code, ?, ?, ?, ?, ?, ? FROM petitions WHERE id = ?",
		      "ssiissi", step, on, clock_now(), by->user_id, petition_signer(by),
		      note ? note : "", id);
}

/* Registers in by's transaction; a mailbox message written on the portal carries its
 * tracking code track (NULL otherwise). */
static int register_in_tx(struct db *db, const struct principal *by,
			  const struct petition_new *in, const struct writer *w, const char *track,
			  int64_t *id)
{
	char code[32], decide_by[11], detail[600];
	int rc = next_code(db, in->received_on, code);
	if (rc)
		return rc;
	petition_day_add(in->received_on, PETITION_DECIDE_DAYS, decide_by);
	int mailbox = strcmp(in->source, PETITION_MAILBOX) == 0;
	rc = db_run(db,
		    "INSERT INTO petitions (code, region_code, org_id, source, status, name, id_bidx, "
		    "id_mask, phone_mask, subject, content, received_on, decide_by, consent, "
		    "created_at, created_by, track_code) VALUES (?, ?, ?, ?, '" PETITION_PENDING
		    "', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "ssisssssssssiiis", code, by->region_code, by->org_id, in->source, w->name,
		    *w->id_bidx ? w->id_bidx : NULL, w->id_mask, w->phone_mask, w->subject,
		    w->content, in->received_on, decide_by, (int64_t)(mailbox && in->consent),
		    clock_now(), by->user_id, track);
	if (rc)
		return rc;
	*id = db_last_id(db);
	if ((rc = seal_into(db, *id, w)) != 0 || (rc = petition_bump(db)) != 0 ||
	    (rc = petition_add_step(db, by, *id, "register", in->received_on, in->source)) != 0)
		return rc;
	snprintf(detail, sizeof(detail), "%s %s（%s）", code, in->source, w->subject);
	if ((rc = account_audit(db, by, "petition.register", "petition", *id, detail)) != 0)
		return rc;
	/* A letter from the portal is told nothing yet: its writer saw the code on screen, and a
	 * number typed by a stranger must not be texted until someone at the desk has read it. */
	return track ? 0 : petition_notify(db, *id, "已登记，我们将在 15 日内告知是否受理。");
}

int petition_register(struct db *db, const struct principal *by, const struct petition_new *in,
		      int64_t *id, struct field_errors *fe, char *err, size_t errlen)
{
	*id = 0;
	if (!perm_allows(by->roles, PERM_PETITION_HANDLE))
		return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限",
			       perm_title(PERM_PETITION_HANDLE));
	struct writer *w = calloc(1, sizeof(*w));
	if (!w)
		return err_set(err, errlen, VE_INTERNAL, "内存不足");
	check_writer(in, w, fe);
	int rc;
	if (fe->n)
		rc = err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	else if (db_tx_begin(db, 0))
		rc = err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	else {
		rc = db_tx_end(db, 0, register_in_tx(db, by, in, w, NULL, id));
		if (rc)
			err_set(err, errlen, rc, "保存失败，请稍后再试");
	}
	writer_free(w);
	return rc;
}

/* ---- the portal's 区长信箱 ---- */

/* The one who registers what the public writes: "公众" in the bureau's organisation (the root
 * of the tree) and region, from the visitor's address. VE_NOTFOUND without organisations. */
static int public_principal(struct db *db, const char *ip, struct principal *p)
{
	memset(p, 0, sizeof(*p));
	str_copy(p->username, "公众", sizeof(p->username));
	str_copy(p->display_name, "公众（门户）", sizeof(p->display_name));
	str_copy(p->ip, ip ? ip : "", sizeof(p->ip));
	struct db_stmt *st = db_q(db,
				  "SELECT id, name, region_code FROM orgs WHERE parent_id IS NULL "
				  "ORDER BY id LIMIT 1",
				  "");
	if (!st)
		return VE_DB;
	int rc = VE_NOTFOUND;
	if (db_step(st) == DB_ROW) {
		p->org_id = db_int(st, 0);
		str_copy(p->org_name, db_text(st, 1), sizeof(p->org_name));
		str_copy(p->region_code, db_text(st, 2), sizeof(p->region_code));
		rc = 0;
	}
	db_done(st);
	return rc;
}

int petition_mailbox_write(struct db *db, const struct petition_mail *in, int64_t *id,
			   char track[TRACK_CODE_LEN + 1], struct field_errors *fe, char *err,
			   size_t errlen)
{
	*id = 0;
	track[0] = '\0';
	struct petition_new n = {.source = PETITION_MAILBOX, .name = in->name, .phone = in->phone,
				 .subject = in->subject, .content = in->content,
				 .received_on = clock_today_text(), .consent = in->consent};
	struct writer *w = calloc(1, sizeof(*w));
	if (!w)
		return err_set(err, errlen, VE_INTERNAL, "内存不足");
	check_writer(&n, w, fe);
	if (!*w->phone)
		field_errors_add(fe, "联系电话", "请填写联系电话，办理进展将以短信告知");
	struct principal by;
	int rc;
	if (fe->n)
		rc = err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	else if ((rc = public_principal(db, in->ip, &by)) != 0)
		err_set(err, errlen, rc, "暂时无法受理，请稍后再试");
	else if (db_tx_begin(db, 0))
		rc = err_set(err, errlen, VE_DB, "系统繁忙，请稍后再试");
	else {
		track_code_new(track);
		rc = db_tx_end(db, 0, register_in_tx(db, &by, &n, w, track, id));
		if (rc) {
			track[0] = '\0';
			err_set(err, errlen, rc, "提交未成功，请稍后再试");
		}
	}
	writer_free(w);
	return rc;
}

/* ---- the daily job ---- */

/* The flag of a row as of a day (bound three times). */
#define FLAG_CASE                                                                                  \
	"CASE WHEN accepted IS NULL AND decide_by < ? THEN '受理超期' "                            \
	"WHEN accepted = 1 AND closed_on IS NULL AND due_on < ? THEN '办结超期' "                 \
	"WHEN review_asked_on IS NOT NULL AND review_answered_on IS NULL AND review_due < ? "     \
	"THEN '复查超期' ELSE '' END"

int petition_flag_overdue(struct db *db, const char *day, int64_t *changed, int64_t *flagged)
{
	*changed = *flagged = 0;
	/* only the rows that are open or flagged can change */
	int rc = db_run(db,
			"UPDATE petitions SET flag = " FLAG_CASE ", flagged_on = ? WHERE (flag <> '' OR "
			"accepted IS NULL OR (accepted = 1 AND closed_on IS NULL) OR (review_asked_on "
			"IS NOT NULL AND review_answered_on IS NULL)) AND flag <> " FLAG_CASE,
			"sssssss", day, day, day, day, day, day, day);
	if (rc)
		return rc;
	*changed = db_changes(db);
	if (*changed && (rc = petition_bump(db)) != 0)
		return rc;
	return db_int_query(db, flagged, 0, "SELECT count(*) FROM petitions WHERE flag <> ''", "");
}

int petition_reflag(struct db *db, int64_t id)
{
	int rc = petition_bump(db);
	if (rc)
		return rc;
	const char *d = clock_today_text();
	char day[11];
	str_copy(day, d, sizeof(day));
	return db_run(db, "UPDATE petitions SET flag = " FLAG_CASE ", flagged_on = ? WHERE id = ?",
		      "ssssi", day, day, day, day, id);
}

static int deadline_run(struct db *db, const struct job_run *run, int64_t *count, char *detail,
			size_t detail_size)
{
	char day[11];
	if (clock_date_text(run->scheduled_for, day) != 0)
		return VE_INVALID;
	int64_t changed = 0, flagged = 0;
	int rc = petition_flag_overdue(db, day, &changed, &flagged);
	if (rc) {
		snprintf(detail, detail_size, "信访期限检查失败");
		return rc;
	}
	int64_t decide = 0, handle = 0, review = 0;
	db_int_query(db, &decide, 0, "SELECT count(*) FROM petitions WHERE flag = '受理超期'", "");
	db_int_query(db, &handle, 0, "SELECT count(*) FROM petitions WHERE flag = '办结超期'", "");
	db_int_query(db, &review, 0, "SELECT count(*) FROM petitions WHERE flag = '复查超期'", "");
	*count = changed;
	snprintf(detail, detail_size,
		 "截至 %s：受理超期 %lld 件，办结超期 %lld 件，复查超期 %lld 件（变化 %lld 件）", day,
		 (long long)decide, (long long)handle, (long long)review, (long long)changed);
	return 0;
}

const struct job petition_deadline_job = {
	.name = "petition.deadlines",
	.title = "信访期限检查（受理 15 日、办结 60 日、复查 30 日）",
	.schedule = {.every_minutes = 0, .hour = 1, .minute = 30},
	.run = deadline_run,
};

/* ---- permissions and the area ---- */

const struct perm perm_petition_read = {"petition.read", "查看信访和区长信箱", ROLE_BUSINESS};
const struct perm perm_petition_handle = {"petition.handle",
					  "办理信访（登记、受理、交办、办结、答复、复查、发布）",
					  ROLE_BIT(CLERK) | ROLE_BIT(STATION)};
const struct perm perm_petition_approve_extension = {"petition.approve_extension",
						     "审批信访延期", ROLE_BIT(LEADER)};
static const struct perm *const perms[] = {PERM_PETITION_READ, PERM_PETITION_HANDLE,
					   PERM_PETITION_APPROVE_EXTENSION, NULL};
static const struct audit_title audit_titles[] = {
	{"petition.register", "登记信访"},
	{"petition.accept", "受理信访"},
	{"petition.reject", "不予受理信访"},
	{"petition.assign", "交办信访"},
	{"petition.extend", "申请信访延期"},
	{"petition.extend_approve", "批准信访延期"},
	{"petition.extend_refuse", "不批准信访延期"},
	{"petition.close", "信访办结"},
	{"petition.reply", "答复信访"},
	{"petition.review_ask", "登记复查申请"},
	{"petition.review_answer", "复查答复"},
	{"petition.duplicate", "信访重复件关联"},
	{"petition.publish", "发布区长信箱答复"},
	{"petition.import", "导入信访台账"},
	{"petition.view_full", "查看信访人完整信息"},
	{NULL, NULL},
};
static const struct job *const jobs[] = {&petition_deadline_job, NULL};
/* The petitions the daily job flagged (受理, 办结 or 复查 超期) in the scope of one who
 * handles them: the navigation's count. */
static int petition_todos(struct db *db, const struct principal *by, json_t *list)
{
	int64_t n = 0;
	if (!perm_allows(by->roles, PERM_PETITION_HANDLE))
		return 0;
	if (petition_overdue_count(db, by, &n))
		return VE_DB;
	if (n > 0)
		json_array_append_new(list, json_pack("{s:s,s:I,s:s,s:s,s:b}", "title",
						      "办理超期的信访", "count", (json_int_t)n,
						      "href", "/petitions?overdue=1", "note",
						      "受理、办结或复查已超过期限", "urgent", 1));
	return 0;
}

const struct area petition_area = {.name = "petition",
				   .perms = perms,
				   .audit_titles = audit_titles,
				   .jobs = jobs,
				   .figures = &petition_figure_set,
				   .todos = petition_todos};
