/* payments.c - the pages and API of 待遇发放: batches (经办 → 复核 → 审批), their
 * lines, the bank's 代发文件 and its return file (回盘), and the year's
 * statistics with their definitions and a link from every figure to its lines.
 *
 * The area (payment.c) checks every step and keeps scope; a station user sees only
 * the lines of its street. */
#include "web/benefit_pages.h"
#include "web/figures.h"
#include "areas/benefit.h"
#include "areas/payment.h"
#include "areas/region.h"
#include "io/sheet.h"
#include "lib/err.h"
#include "lib/money.h"
#include "lib/clock.h"
#include "lib/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PER_PAGE 20
#define LINES_PER_PAGE 50

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Each call into the area below serves a page and its API twin alike; the handlers
 * differ only in how they reply. */

/* The page of a list asked for; after a POST (a form answered again) the first. */
static int64_t page_asked(struct request *req)
{
	return strcmp(req->method, "POST") == 0 ? 1 : params_int(req, "page", 1);
}

/* Answers the area's error about a batch: a missing one is named, else err. */
static int batch_error(struct request *req, struct reply *rep, int rc, const char *err)
{
	return reply_area_error(req, rep, rc, rc == VE_NOTFOUND ? "发放批次不存在" : err);
}

/* Batch id and the page asked of its lines: 0 with *batch and *lines, or the area's
 * error (both NULL). */
static int batch_of(struct request *req, struct db *db, int64_t id, json_t **batch,
		    json_t **lines)
{
	struct pay_line_filter f = {
		.batch_id = id, .page = page_asked(req), .per_page = LINES_PER_PAGE};
	*batch = *lines = NULL;
	int rc = pay_batch_get(db, &req->user, id, batch);
	if (rc == 0)
		rc = pay_line_list(db, &req->user, &f, lines);
	if (rc) {
		json_decref(*batch);
		*batch = NULL;
	}
	return rc;
}

/* Generates the batch of the period and benefit asked: 0 with res, or the area's
 * error: a field's in fe (NULL: in err as "字段：…"), any other in err. */
static int generate_batch(struct request *req, struct db *db, struct pay_result *res,
			  struct field_errors *fe, char *err, size_t errlen)
{
	int rc = pay_generate(db, &req->user, params_text(req, "period"),
			      params_text(req, "benefit"), res, fe, err, errlen);
	if (rc == VE_EXISTS && !*err)
		str_copy(err, "该期间该待遇的批次已经生成，不能重复生成", errlen);
	return rc;
}

/* The steps of a batch after its generation, each of the path's batch. */
enum step { STEP_REVIEW, STEP_APPROVE, STEP_REJECT };

/* Takes step on the path's batch (the area checks who may, and refuses a second
 * step by the same person): 0, or the area's error with err. */
static int batch_take(struct request *req, struct db *db, enum step step, char *err,
		      size_t errlen)
{
	switch (step) {
	case STEP_REVIEW:
		return pay_review(db, &req->user, req->path_id, err, errlen);
	case STEP_APPROVE:
		return pay_approve(db, &req->user, req->path_id, err, errlen);
	case STEP_REJECT:
		break;
	}
	return pay_reject(db, &req->user, req->path_id, params_text(req, "reason"), err, errlen);
}

/* ---- batches ---- */

/* The step the signed-in role takes on the list ("复核" or "审批", NULL none), the
 * status a batch waits in for it, and on data: "sign" {step, action, period (the
 * newest with a batch waiting), waiting (their number), checkable (the shown items
 * waiting)}, each shown item "signable". */
static void mark_signable(json_t *data, json_t *list, role_set roles)
{
	int approve = perm_allows(roles, PERM_PAY_APPROVE);
	if (!approve && !perm_allows(roles, PERM_PAY_REVIEW))
		return;
	const char *wait = approve ? PAY_BATCH_TO_APPROVE : PAY_BATCH_TO_REVIEW;
	const char *period = NULL;
	json_int_t waiting = 0;
	size_t i;
	json_t *b;
	json_array_foreach(list, i, b)
	{
		const char *p = json_string_value(json_object_get(b, "period"));
		const char *status = json_string_value(json_object_get(b, "status"));
		if (!p || !status || strcmp(status, wait) != 0)
			continue;
		if (!period)
			period = p;
		waiting += strcmp(p, period) == 0;
	}
	json_int_t checkable = 0; /* on the page shown */
	json_array_foreach(json_object_get(data, "items"), i, b)
	{
		const char *status = json_string_value(json_object_get(b, "status"));
		int on = status && strcmp(status, wait) == 0;
		json_object_set_new(b, "signable", json_boolean(on));
		checkable += on;
	}
	json_object_set_new(data, "sign",
			    json_pack("{s:s,s:s,s:s,s:I,s:I}", "step", approve ? "审批" : "复核",
				      "action", approve ? "/payments/approve" : "/payments/review",
				      "period", period ? period : "", "waiting", waiting,
				      "checkable", checkable));
}

static int payments_page(struct request *req, struct reply *rep, struct db *db, int status,
			 json_t *extra)
{
	json_t *list = NULL;
	/* one status only (the home page's to-dos link here), of the batch statuses */
	const char *only = params_text(req, "status");
	if (*only && strcmp(only, PAY_BATCH_TO_REVIEW) && strcmp(only, PAY_BATCH_TO_APPROVE) &&
	    strcmp(only, PAY_BATCH_APPROVED) && strcmp(only, PAY_BATCH_RETURNED))
		only = "";
	int rc = pay_batch_list_status(db, &req->user, only, &list);
	if (rc) {
		json_decref(extra);
		return reply_area_error(req, rep, rc, NULL);
	}
	int64_t page = page_asked(req);
	char month[8];
	int latest;
	str_copy(month, clock_today_text(), sizeof(month));
	/* The period offered: the one asked for (a to-do's), else the month after the latest
	 * batch, else this month. */
	const char *newest = json_string_value(json_object_get(json_array_get(list, 0), "period"));
	const char *asked = params_text(req, "period");
	if (*asked && month_parse(asked, &latest) == 0)
		month_format(latest, month);
	else if (newest && month_parse(newest, &latest) == 0)
		month_format(latest + 1, month);
	json_t *data = benefit_page_data(req, "payments");
	json_object_set_new(data, "total", json_integer((json_int_t)json_array_size(list)));
	if (*only)
		json_object_set_new(data, "status",
				    json_string(strcmp(only, PAY_BATCH_RETURNED) ? only
										 : "已退回（尚未重新生成）"));
	struct buf href;
	buf_init(&href, 128);
	buf_puts(&href, "/payments?");
	page_query_add(&href, "status", only);
	json_object_set_new(
		data, "pager",
		page_pager(page, PER_PAGE, (int64_t)json_array_size(list), buf_cstr(&href)));
	buf_free(&href);
	json_object_set_new(data, "items", benefit_slice(list, page, PER_PAGE));
	mark_signable(data, list, req->user.roles);
	json_decref(list);
	int can_generate = perm_allows(req->user.roles, PERM_PAY_GENERATE);
	json_object_set_new(data, "can_generate", json_boolean(can_generate));
	json_t *form = json_object_get(extra, "generate_form");
	const char *benefit = form ? json_string_value(json_object_get(
					     json_object_get(form, "values"), "benefit"))
				   : "";
	json_object_set_new(data, "benefits", benefit_type_choices(db, benefit));
	if (!form)
		json_object_set_new(
			data, "generate_form",
			benefit_form(json_pack("{s:s,s:s}", "period", month, "benefit", "")));
	if (extra)
		json_object_update(data, extra);
	json_decref(extra);
	return reply_page(req, rep, status, "payments/batches", "待遇发放", data);
}

static int handle_payments(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	return db ? payments_page(req, rep, db, 200, NULL) : 0;
}

/* "第 N 批：M 笔，合计 X 元" for a generation's result. */
static void result_text(const struct pay_result *r, char *out, size_t size)
{
	char amount[32];
	money_format_grouped(r->amount_fen, amount);
	int n = snprintf(out, size, "已生成批次：%lld 笔，合计 %s 元", (long long)r->lines, amount);
	if (r->backpay || r->funeral || r->reissued)
		snprintf(out + n, size - (size_t)n,
			 "（其中补发 %lld 笔、丧葬 %lld 笔、重发 %lld 笔）", (long long)r->backpay,
			 (long long)r->funeral, (long long)r->reissued);
}

static int handle_payment_generate(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const char *period = params_text(req, "period"), *benefit = params_text(req, "benefit");
	json_t *form = benefit_form(json_pack("{s:s,s:s}", "period", period, "benefit", benefit));
	int bad = benefit_form_need(form, period, "期间", "请填写发放期间（YYYY-MM）");
	bad |= benefit_form_need(form, benefit, "待遇", "请选择待遇");
	if (bad)
		return payments_page(req, rep, db, 400, json_pack("{s:o}", "generate_form", form));
	struct pay_result res = {0};
	struct field_errors fe = {0};
	char err[256] = "";
	int rc = generate_batch(req, db, &res, &fe, err, sizeof(err));
	if (rc) {
		benefit_form_refused(form, rc, &fe, err);
		return payments_page(req, rep, db, http_status_of(rc),
				     json_pack("{s:o}", "generate_form", form));
	}
	json_decref(form);
	char message[300], where[64];
	result_text(&res, message, sizeof(message));
	str_copy(message + strlen(message), "，待复核", sizeof(message) - strlen(message));
	snprintf(where, sizeof(where), "/payments/%lld", (long long)res.batch_id);
	reply_flash(rep, "ok", message);
	return reply_redirect(rep, where);
}

static int batch_page(struct request *req, struct reply *rep, struct db *db, int status,
		      json_t *extra)
{
	json_t *batch, *lines;
	int rc = batch_of(req, db, req->path_id, &batch, &lines);
	if (rc) {
		json_decref(extra);
		return batch_error(req, rep, rc, NULL);
	}
	char base[64];
	snprintf(base, sizeof(base), "/payments/%lld?", (long long)req->path_id);
	json_object_set_new(lines, "pager",
			    page_pager(page_asked(req), LINES_PER_PAGE,
				       json_integer_value(json_object_get(lines, "total")), base));
	const char *st = json_string_value(json_object_get(batch, "status"));
	st = st ? st : "";
	const role_set roles = req->user.roles;
	json_t *data = benefit_page_data(req, "payments");
	json_object_set_new(data, "batch", batch);
	json_object_set_new(data, "lines", lines);
	json_object_set_new(data, "can_review",
			    json_boolean(perm_allows(roles, PERM_PAY_REVIEW) &&
					 strcmp(st, PAY_BATCH_TO_REVIEW) == 0));
	json_object_set_new(data, "can_approve",
			    json_boolean(perm_allows(roles, PERM_PAY_APPROVE) &&
					 strcmp(st, PAY_BATCH_TO_APPROVE) == 0));
	json_object_set_new(data, "can_reject",
			    json_boolean((perm_allows(roles, PERM_PAY_REVIEW) &&
					  strcmp(st, PAY_BATCH_TO_REVIEW) == 0) ||
					 (perm_allows(roles, PERM_PAY_APPROVE) &&
					  strcmp(st, PAY_BATCH_TO_APPROVE) == 0)));
	json_object_set_new(data, "approved", json_boolean(strcmp(st, PAY_BATCH_APPROVED) == 0));
	/* The checkers see whose account changed since it was last checked. */
	json_t *changes = NULL;
	if (json_is_true(json_object_get(data, "can_reject")) &&
	    pay_account_changes(db, &req->user, req->path_id, &changes) == 0)
		json_object_set_new(data, "account_changes", changes);
	json_object_set_new(data, "can_bank", json_boolean(perm_allows(roles, PERM_PAY_BANK)));
	/* What the signed-in role does with a batch, for the page's instructions. */
	json_object_set_new(data, "role",
			    json_pack("{s:b,s:b,s:b}", "reviewer",
				      perm_allows(roles, PERM_PAY_REVIEW), "approver",
				      perm_allows(roles, PERM_PAY_APPROVE), "clerk",
				      perm_allows(roles, PERM_PAY_BANK)));
	/* The summary heads the first page of lines; the others point back to it. */
	json_t *summary = NULL;
	if (page_asked(req) > 1)
		json_object_set_new(data, "summary_on_first", json_true());
	else if (pay_batch_summary(db, &req->user, req->path_id, &summary) == 0)
		json_object_set_new(data, "summary", summary);
	if (extra)
		json_object_update(data, extra);
	json_decref(extra);
	char title[64];
	snprintf(title, sizeof(title), "发放批次 %lld", (long long)req->path_id);
	return reply_page(req, rep, status, "payments/batch", title, data);
}

static int handle_payment_batch(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	return db ? batch_page(req, rep, db, 200, NULL) : 0;
}

/* 复核, 审批 or 退回 of the batch from its page: a refusal shows the batch again. */
static int batch_step(struct request *req, struct reply *rep, enum step step)
{
	static const char *const done[] = {
		[STEP_REVIEW] = "批次已复核，待审批人审批",
		[STEP_APPROVE] = "批次已审批，经办人可导出代发文件交银行",
		[STEP_REJECT] = "批次已退回，明细已撤销，经办人可重新生成",
	};
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char err[256] = "";
	int rc = batch_take(req, db, step, err, sizeof(err));
	if (rc == VE_NOTFOUND)
		return batch_error(req, rep, rc, NULL);
	if (rc)
		return batch_page(req, rep, db, http_status_of(rc),
				  json_pack("{s:s}", "error", *err ? err : err_message(rc)));
	char where[64] = "/payments"; /* a rejected batch is gone from the way */
	if (step != STEP_REJECT)
		snprintf(where, sizeof(where), "/payments/%lld", (long long)req->path_id);
	reply_flash(rep, "ok", done[step]);
	return reply_redirect(rep, where);
}

static int handle_payment_review(struct request *req, struct reply *rep)
{
	return batch_step(req, rep, STEP_REVIEW);
}

static int handle_payment_reject(struct request *req, struct reply *rep)
{
	return batch_step(req, rep, STEP_REJECT);
}

static int handle_payment_approve(struct request *req, struct reply *rep)
{
	return batch_step(req, rep, STEP_APPROVE);
}

/* ---- many batches at once ---- */

/* Collects what became of each benefit or batch of a many-at-once action. */
static void each_outcome(void *ctx, int64_t id, const char *name, int rc,
			 const struct pay_result *res, const char *err)
{
	json_t *o = json_pack("{s:I,s:s,s:b}", "batch_id",
			      (json_int_t)(res && rc == 0 ? res->batch_id : id), "name",
			      name ? name : "", "done", rc == 0);
	if (res && rc == 0)
		json_object_set_new(o, "made",
				    json_pack("{s:I,s:I}", "lines", (json_int_t)res->lines,
					      "amount_fen", (json_int_t)res->amount_fen));
	/* generated already, or nothing due: skipped, not refused */
	int skipped = res && (rc == VE_EXISTS || (rc == VE_INVALID && res->nothing_due));
	json_object_set_new(o, "skipped", json_boolean(skipped));
	if (rc)
		json_object_set_new(o, "reason", json_string(*err ? err : err_message(rc)));
	json_array_append_new(ctx, o);
}

/* The batch ids of the form's check boxes (params "batch", checked by the route). */
static size_t checked_batches(struct request *req, int64_t **ids)
{
	size_t n = 0;
	*ids = arena_alloc(&req->arena, (req->n_params + 1) * sizeof(**ids));
	for (size_t i = 0; i < req->n_params; i++)
		if (strcmp(req->params[i].name, "batch") == 0)
			(*ids)[n++] = strtoll(req->params[i].value, NULL, 10);
	return n;
}

/* What a many-at-once action did into *out, {"action","period","done","total","items":
 * [outcomes]}, and 0; or, when the action was refused (rc), rc and nothing. Takes items. */
static int outcomes(int rc, const char *action, const char *period, int64_t done, json_t *items,
		    json_t **out)
{
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:s,s:s,s:I,s:I,s:o}", "action", action, "period", period, "done",
			 (json_int_t)done, "total", (json_int_t)json_array_size(items), "items",
			 items);
	return 0;
}

/* Generates every benefit due for the period asked: 0 with *out, or the area's error. */
static int generate_due(struct request *req, struct db *db, json_t **out, struct field_errors *fe,
			char *err, size_t errlen)
{
	json_t *items = json_array();
	int64_t made = 0;
	const char *period = params_text(req, "period");
	int rc = pay_generate_due(db, &req->user, period, each_outcome, items, &made, fe, err,
				  errlen);
	return outcomes(rc, "生成", period, made, items, out);
}

/* 复核 or 审批 of the checked batches (or of every batch of the period waiting for the
 * step): 0 with *out, or the area's error before any batch. */
static int sign_many(struct request *req, struct db *db, int approve, json_t **out, char *err,
		     size_t errlen)
{
	int64_t *ids, done = 0;
	size_t n = checked_batches(req, &ids);
	char period[8];
	str_copy(period, params_text(req, "period"), sizeof(period));
	if (!n && !*period)
		return err_set(err, errlen, VE_INVALID,
			       "请选择要%s的批次：勾选批次，或办理本期全部",
			       approve ? "审批" : "复核");
	json_t *items = json_array();
	int rc = pay_sign_many(db, &req->user, approve, period, ids, n, each_outcome, items, &done,
			       err, errlen);
	return outcomes(rc, approve ? "审批" : "复核", period, done, items, out);
}

static int handle_payments_due(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const char *period = params_text(req, "period");
	json_t *form = benefit_form(json_pack("{s:s,s:s}", "period", period, "benefit", ""));
	if (benefit_form_need(form, period, "期间", "请填写发放期间（YYYY-MM）"))
		return payments_page(req, rep, db, 400, json_pack("{s:o}", "generate_form", form));
	struct field_errors fe = {0};
	char err[256] = "";
	json_t *out = NULL;
	int rc = generate_due(req, db, &out, &fe, err, sizeof(err));
	if (rc) {
		benefit_form_refused(form, rc, &fe, err);
		return payments_page(req, rep, db, http_status_of(rc),
				     json_pack("{s:o}", "generate_form", form));
	}
	json_object_set_new(form, "values",
			    json_pack("{s:s,s:s}", "period", period, "benefit", ""));
	return payments_page(req, rep, db, 200,
			     json_pack("{s:o,s:o}", "outcome", out, "generate_form", form));
}

static int handle_api_batches_due(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char err[256] = "";
	json_t *out = NULL;
	int rc = generate_due(req, db, &out, NULL, err, sizeof(err));
	if (rc)
		return reply_area_error(req, rep, rc, err);
	return reply_json(rep, json_integer_value(json_object_get(out, "done")) ? 201 : 200, out);
}

/* 复核 or 审批 of several batches: from the list, where what became of each is shown, or
 * through the API, which answers with it. */
static int batches_sign(struct request *req, struct reply *rep, int approve, int api)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char err[256] = "";
	json_t *out = NULL;
	int rc = sign_many(req, db, approve, &out, err, sizeof(err));
	if (api)
		return rc ? reply_area_error(req, rep, rc, err) : reply_json(rep, 200, out);
	if (rc)
		return payments_page(req, rep, db, http_status_of(rc),
				     json_pack("{s:s}", "error", *err ? err : err_message(rc)));
	return payments_page(req, rep, db, 200, json_pack("{s:o}", "outcome", out));
}

static int handle_payments_review(struct request *req, struct reply *rep)
{
	return batches_sign(req, rep, 0, 0);
}

static int handle_payments_approve(struct request *req, struct reply *rep)
{
	return batches_sign(req, rep, 1, 0);
}

static int handle_api_batches_review(struct request *req, struct reply *rep)
{
	return batches_sign(req, rep, 0, 1);
}

static int handle_api_batches_approve(struct request *req, struct reply *rep)
{
	return batches_sign(req, rep, 1, 1);
}

static int handle_api_batch_summary(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *summary = NULL;
	int rc = pay_batch_summary(db, &req->user, req->path_id, &summary);
	if (rc)
		return batch_error(req, rep, rc, NULL);
	return reply_json(rep, 200, summary);
}

/* ---- the bank file ---- */

/* Percent-encodes s (UTF-8) for a filename*= parameter. */
static void percent(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-_.", *p))
			buf_putc(b, (char)*p);
		else
			buf_printf(b, "%%%02X", *p);
	}
}

static int handle_payment_bank(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *batch = NULL;
	int rc = pay_batch_get(db, &req->user, req->path_id, &batch);
	if (rc)
		return batch_error(req, rep, rc, NULL);
	char period[16] = "";
	const char *p = json_string_value(json_object_get(batch, "period"));
	if (p && strspn(p, "0123456789-") == strlen(p)) /* it goes into a header */
		str_copy(period, p, sizeof(period));
	json_decref(batch);
	const char *ext = strcmp(params_text(req, "format"), "xlsx") == 0 ? ".xlsx" : ".csv";
	char path[64], err[256] = "";
	snprintf(path, sizeof(path), "/tmp/vets-bank-XXXXXX%s", ext);
	int fd = mkstemps(path, (int)strlen(ext));
	if (fd < 0)
		return reply_area_error(req, rep, VE_IO, "无法生成代发文件");
	close(fd);
	rc = pay_bank_file(db, &req->user, req->path_id, path, err, sizeof(err));
	if (rc == 0 && reply_file(rep, path) != 0)
		rc = err_set(err, sizeof(err), VE_IO, "无法发送代发文件");
	if (rc) {
		unlink(path);
		return batch_error(req, rep, rc, err);
	}
	rep->status = 200;
	rep->content_type =
		strcmp(ext, ".csv") == 0
			? "text/csv; charset=utf-8"
			: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	/* 代发文件-<batch>-<period>.csv, with an ASCII fallback for old clients. */
	char name[96];
	snprintf(name, sizeof(name), "代发文件-%lld-%s%s", (long long)req->path_id, period, ext);
	struct buf d;
	buf_init(&d, sizeof(rep->disposition));
	buf_printf(&d, "attachment; filename=\"bank-%lld-%s%s\"; filename*=UTF-8''",
		   (long long)req->path_id, period, ext);
	percent(&d, name);
	str_copy(rep->disposition, d.overflow ? "attachment" : buf_cstr(&d),
		 sizeof(rep->disposition));
	buf_free(&d);
	return 0;
}

/* ---- the bank's return file ---- */

static int handle_payment_return(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	const struct multipart_part *file = params_file(req, "file");
	char path[64], why[200];
	if (page_save_upload(file, path, why, sizeof(why)) != 0)
		return batch_page(
			req, rep, db, 400,
			json_pack("{s:{s:s,s:s}}", "return", "file", file->filename, "error", why));
	struct benefit_rows rows = {json_array(), 0};
	int64_t paid = 0, failed = 0;
	char err[256] = "";
	int rc = pay_reconcile(db, &req->user, req->path_id, path, benefit_row_error, &rows, &paid,
			       &failed, err, sizeof(err));
	unlink(path);
	if (rc == VE_NOTFOUND && !rows.total) {
		json_decref(rows.list);
		return batch_error(req, rep, rc, NULL);
	}
	if (rc) {
		char message[320];
		if (rows.total)
			snprintf(
				message, sizeof(message),
				"回盘文件中有 %ld 行有误，未登记任何一笔。请与银行核对后重新上传。",
				rows.total);
		else
			snprintf(message, sizeof(message), "回盘文件无法导入：%s",
				 *err ? err : err_message(rc));
		return batch_page(req, rep, db, http_status_of(rc),
				  json_pack("{s:{s:s,s:s,s:o,s:b}}", "return", "file",
					    file->filename, "error", message, "rows", rows.list,
					    "more", rows.total > 200));
	}
	json_decref(rows.list);
	char message[200], where[64];
	snprintf(message, sizeof(message), "回盘已登记：发放成功 %lld 笔，失败 %lld 笔%s",
		 (long long)paid, (long long)failed,
		 failed ? "（失败的将在以后的批次中重新发放）" : "");
	snprintf(where, sizeof(where), "/payments/%lld", (long long)req->path_id);
	reply_flash(rep, failed ? "error" : "ok", message);
	return reply_redirect(rep, where);
}

/* ---- lines ---- */

/* A street given by code (digits) or name, as a code; NULL for none, "none" when unknown. */
static const char *street_code(struct request *req, struct db *db, const char *v)
{
	if (!v || !*v)
		return NULL;
	if (strspn(v, "0123456789") == strlen(v))
		return v;
	char code[13];
	if (region_find(db, NULL, v, code) != 0)
		return "none";
	return arena_strdup(&req->arena, code);
}

/* The lines the query asks for, per_page of them (0: as asked): 0 with *list and f,
 * or the area's error. */
static int lines_of(struct request *req, struct db *db, int64_t per_page,
		    struct pay_line_filter *f, json_t **list)
{
	memset(f, 0, sizeof(*f));
	f->year = (int)params_int(req, "year", 0);
	f->month = f->year ? (int)params_int(req, "month", 0) : 0;
	const char *benefit = params_text(req, "benefit"), *status = params_text(req, "status");
	f->benefit = *benefit ? benefit : NULL;
	f->status = *status ? status : NULL;
	f->street = street_code(req, db, params_text(req, "street"));
	f->batch_id = params_int(req, "batch", 0);
	f->person_id = params_int(req, "person", 0);
	f->page = params_int(req, "page", 1);
	f->per_page = per_page ? per_page : params_int(req, "per_page", LINES_PER_PAGE);
	*list = NULL;
	return pay_line_list(db, &req->user, f, list);
}

static int handle_payment_lines(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct pay_line_filter f;
	json_t *list;
	int rc = lines_of(req, db, LINES_PER_PAGE, &f, &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	struct buf base;
	buf_init(&base, 1024);
	buf_puts(&base, "/payments/lines?");
	static const char *const keep[] = {"year",   "month", "benefit", "status",
					   "street", "batch", "person"};
	for (size_t i = 0; i < COUNT(keep); i++)
		page_query_add(&base, keep[i], params_text(req, keep[i]));
	json_object_set_new(list, "pager",
			    page_pager(f.page, LINES_PER_PAGE,
				       json_integer_value(json_object_get(list, "total")),
				       buf_cstr(&base)));
	buf_free(&base);
	json_t *data = benefit_page_data(req, "lines");
	json_object_update(data, list);
	json_decref(list);
	json_object_set_new(
		data, "filter",
		json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "year", params_text(req, "year"),
			  "month", params_text(req, "month"), "benefit",
			  params_text(req, "benefit"), "status", params_text(req, "status"),
			  "street", params_text(req, "street"), "batch", params_text(req, "batch"),
			  "person", params_text(req, "person")));
	json_object_set_new(data, "benefits",
			    benefit_type_choices(db, params_text(req, "benefit")));
	json_object_set_new(data, "statuses",
			    benefit_choices(pay_line_statuses, PAY_N_LINE_STATUSES,
					    params_text(req, "status")));
	json_object_set_new(data, "streets", region_street_choices(db, &req->user, params_text(req, "street")));
	return reply_page(req, rep, 200, "payments/lines", "发放明细", data);
}

static int handle_api_pay_lines(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct pay_line_filter f;
	json_t *list;
	int rc = lines_of(req, db, 0, &f, &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	return reply_json(rep, 200, list);
}

/* ---- statistics ---- */

/* The months as choices: 全年 (0) and 1 月…12 月. */
static json_t *month_choices(int selected)
{
	json_t *list = json_array();
	for (int m = 0; m <= 12; m++) {
		char name[16] = "全年";
		if (m)
			snprintf(name, sizeof(name), "%d 月", m);
		json_array_append_new(list, json_pack("{s:i,s:s,s:b}", "value", m, "name", name,
						      "selected", m == selected));
	}
	return list;
}

/* Sets on o the links of its figures to the lines each counts (code NULL: every
 * benefit): href_all the lines generated, href_paid the paid ones (人, 人次, 金额),
 * href_pending and href_failed the lines of that status. */
static void figure_links(json_t *o, int year, int month, const char *street, const char *code)
{
	static const struct {
		const char *key, *status;
	} links[] = {{"href_all", NULL},
		     {"href_paid", PAY_LINE_PAID},
		     {"href_pending", PAY_LINE_DUE},
		     {"href_failed", PAY_LINE_FAILED}};
	for (size_t k = 0; k < COUNT(links); k++) {
		struct buf h;
		buf_init(&h, 600);
		buf_printf(&h, "/payments/lines?year=%d&", year);
		if (month)
			buf_printf(&h, "month=%d&", month);
		page_query_add(&h, "street", street);
		page_query_add(&h, "benefit", code);
		page_query_add(&h, "status", links[k].status);
		char href[600];
		str_copy(href, buf_cstr(&h), sizeof(href));
		href[strlen(href) - 1] = '\0';
		json_object_set_new(o, links[k].key, json_string(href));
		buf_free(&h);
	}
}

/* Adds to every benefit of stats the links of its figures to /payments/lines, and the
 * totals of the additive figures with theirs. */
static void stats_links(json_t *stats, int year, int month, const char *street)
{
	json_int_t payments = 0, amount = 0, lines = 0, lines_amount = 0, pending = 0, failed = 0;
	size_t i;
	json_t *b;
	json_array_foreach(json_object_get(stats, "benefits"), i, b)
	{
		figure_links(b, year, month, street, json_string_value(json_object_get(b, "code")));
		payments += json_integer_value(json_object_get(b, "payments"));
		amount += json_integer_value(json_object_get(b, "amount_fen"));
		lines += json_integer_value(json_object_get(b, "lines"));
		lines_amount += json_integer_value(json_object_get(b, "lines_amount_fen"));
		pending += json_integer_value(json_object_get(b, "pending"));
		failed += json_integer_value(json_object_get(b, "failed"));
	}
	json_t *totals = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "payments", payments, "amount_fen",
				   amount, "lines", lines, "lines_amount_fen", lines_amount,
				   "pending", pending, "failed", failed);
	figure_links(totals, year, month, street, NULL);
	json_object_set_new(stats, "totals", totals);
}

/* What the statistics are asked of: a year (this one unless given), a month (0: the
 * whole year) and a street (its code, or NULL for all). */
struct stats_query {
	int year, month;
	const char *street;
};

/* The statistics the query asks for: 0 with *stats and q, or the area's error. */
static int stats_of(struct request *req, struct db *db, struct stats_query *q, json_t **stats)
{
	q->year = (int)params_int(req, "year", atoi(clock_today_text()));
	q->month = (int)params_int(req, "month", 0);
	q->street = street_code(req, db, params_text(req, "street"));
	*stats = NULL;
	return pay_stats(db, &req->user, q->year, q->month, q->street, stats);
}

static int handle_benefit_stats(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct stats_query q;
	json_t *stats;
	int rc = stats_of(req, db, &q, &stats);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	stats_links(stats, q.year, q.month, q.street);
	char street_name[64] = "";
	if (q.street && region_in_scope(&req->user, q.street)) /* another street: no name */
		region_name(db, q.street, street_name, sizeof(street_name));
	json_t *data = benefit_page_data(req, "stats");
	json_object_set_new(data, "stats", stats);
	json_object_set_new(data, "year", json_integer(q.year));
	json_object_set_new(data, "month", json_integer(q.month));
	json_object_set_new(data, "months", month_choices(q.month));
	json_object_set_new(data, "prev_year", json_integer(q.year - 1));
	json_object_set_new(data, "next_year", json_integer(q.year + 1));
	json_object_set_new(data, "street_name", json_string(street_name));
	json_object_set_new(data, "streets", region_street_choices(db, &req->user, params_text(req, "street")));
	return reply_page(req, rep, 200, "payments/stats", "待遇发放统计", data);
}

static int handle_api_benefit_stats(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct stats_query q;
	json_t *stats;
	int rc = stats_of(req, db, &q, &stats);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	return reply_json(rep, 200, stats);
}

/* ---- the batches' API ---- */

static int handle_api_batches(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	json_t *list = NULL;
	int rc = pay_batch_list(db, &req->user, &list);
	if (rc)
		return reply_area_error(req, rep, rc, NULL);
	int64_t page = params_int(req, "page", 1), per_page = params_int(req, "per_page", PER_PAGE);
	json_t *out = json_pack("{s:I,s:o}", "total", (json_int_t)json_array_size(list), "items",
				benefit_slice(list, page, per_page));
	json_decref(list);
	return reply_json(rep, 200, out);
}

/* The batch id (a page of its lines) as JSON with status, or the area's error. */
static int api_batch_reply(struct request *req, struct reply *rep, struct db *db, int64_t id,
			   int status, json_t *extra)
{
	json_t *batch, *lines;
	int rc = batch_of(req, db, id, &batch, &lines);
	if (rc) {
		json_decref(extra);
		return batch_error(req, rep, rc, NULL);
	}
	json_object_set(batch, "items", json_object_get(lines, "items"));
	json_object_set(batch, "items_total", json_object_get(lines, "total"));
	json_decref(lines);
	if (extra)
		json_object_set_new(batch, "generated", extra);
	return reply_json(rep, status, batch);
}

static int handle_api_batch(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	return db ? api_batch_reply(req, rep, db, req->path_id, 200, NULL) : 0;
}

static int handle_api_batch_generate(struct request *req, struct reply *rep)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	struct pay_result res = {0};
	char err[256] = "";
	/* No form here: a field's error comes back as one line "期间：…". */
	int rc = generate_batch(req, db, &res, NULL, err, sizeof(err));
	if (rc)
		return reply_area_error(req, rep, rc, err);
	return api_batch_reply(
		req, rep, db, res.batch_id, 201,
		json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "lines", (json_int_t)res.lines, "amount_fen",
			  (json_int_t)res.amount_fen, "regular", (json_int_t)res.regular, "backpay",
			  (json_int_t)res.backpay, "funeral", (json_int_t)res.funeral, "reissued",
			  (json_int_t)res.reissued));
}

/* 复核, 审批 or 退回 of the batch through the API: the batch as it is then. */
static int api_step(struct request *req, struct reply *rep, enum step step)
{
	struct db *db = page_db(req, rep);
	if (!db)
		return 0;
	char err[256] = "";
	int rc = batch_take(req, db, step, err, sizeof(err));
	if (rc)
		return batch_error(req, rep, rc, err);
	return api_batch_reply(req, rep, db, req->path_id, 200, NULL);
}

static int handle_api_batch_review(struct request *req, struct reply *rep)
{
	return api_step(req, rep, STEP_REVIEW);
}

static int handle_api_batch_reject(struct request *req, struct reply *rep)
{
	return api_step(req, rep, STEP_REJECT);
}

static int handle_api_batch_approve(struct request *req, struct reply *rep)
{
	return api_step(req, rep, STEP_APPROVE);
}

/* ---- the routes of batches, lines, bank and return files, statistics ---- */

static const struct param_spec page_params[] = {
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	PARAM_END,
};

static const struct param_spec batches_params[] = {
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	{"status", "状态", PK_TEXT, 0, 0, 10, 0},
	{"period", "发放期间", PK_TEXT, 0, 0, 7, 0},
	PARAM_END,
};

static const struct param_spec generate_params[] = {
	{"period", "发放期间", PK_TEXT, 0, 0, 7, 0},
	{"benefit", "待遇", PK_WORD, 0, 0, 20, 0},
	PARAM_END,
};

static const struct param_spec generate_api_params[] = {
	{"period", "发放期间", PK_TEXT, 1, 1, 7, 0},
	{"benefit", "待遇", PK_WORD, 1, 1, 20, 0},
	PARAM_END,
};

static const struct param_spec bank_params[] = {
	{"format", "文件格式", PK_WORD, 0, 0, 4, 0},
	PARAM_END,
};

static const struct param_spec line_filter_params[] = {
	{"year", "年度", PK_INT, 0, 2000, 2100, 0},
	{"month", "月份", PK_INT, 0, 0, 12, 0},
	{"benefit", "待遇", PK_WORD, 0, 0, 20, 0},
	{"status", "状态", PK_TEXT, 0, 0, 4, 0},
	{"street", "街道", PK_TEXT, 0, 0, 40, 0},
	{"batch", "批次", PK_INT, 0, 1, INT64_MAX, 0},
	{"person", "人员", PK_INT, 0, 1, INT64_MAX, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	{"per_page", "每页条数", PK_INT, 0, 1, 200, 0},
	PARAM_END,
};

static const struct param_spec due_api_params[] = {
	{"period", "发放期间", PK_TEXT, 1, 1, 7, 0},
	PARAM_END,
};

/* Several batches: the checked ones, or every one of the period waiting for the step. */
static const struct param_spec sign_many_params[] = {
	{"batch", "批次", PK_INT, 0, 1, INT64_MAX, 1},
	{"period", "发放期间", PK_TEXT, 0, 0, 7, 0},
	PARAM_END,
};

/* 退回: the area checks who may (the reviewer or the approver of that batch). */
static const struct param_spec reject_params[] = {
	{"reason", "退回原因", PK_TEXT, 0, 0, 400, 0},
	PARAM_END,
};

static const struct param_spec stats_params[] = {
	{"year", "年度", PK_INT, 0, 2000, 2100, 0},
	{"month", "月份", PK_INT, 0, 0, 12, 0},
	{"street", "街道", PK_TEXT, 0, 0, 40, 0},
	PARAM_END,
};

static const struct param_spec batches_api_params[] = {
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	{"per_page", "每页条数", PK_INT, 0, 1, 200, 0},
	PARAM_END,
};

#define PUBLIC ROUTE_PUBLIC
/* ---- the year's figures as a figure set (web/figures.h) ---- */

static int handle_figures(struct request *req, struct reply *rep)
{
	return figures_page(req, rep, &payment_figures);
}

static int handle_figures_list(struct request *req, struct reply *rep)
{
	return figures_list_page(req, rep, &payment_figures);
}


#define API ROUTE_API
#define PW ROUTE_PASSWORD_OPEN

static const struct route routes[] = {
	{"GET", "/payments", handle_payments, PERM_BENEFIT_READ, 0, batches_params, 0},
	{"POST", "/payments", handle_payment_generate, PERM_PAY_GENERATE, 0, generate_params, 0},
	/* the generation form's params: its 待遇 is sent along and not used */
	{"POST", "/payments/due", handle_payments_due, PERM_PAY_GENERATE, 0, generate_params, 0},
	{"POST", "/payments/review", handle_payments_review, PERM_PAY_REVIEW, 0, sign_many_params, 0},
	{"POST", "/payments/approve", handle_payments_approve, PERM_PAY_APPROVE, 0, sign_many_params, 0},
	{"GET", "/payments/lines", handle_payment_lines, PERM_BENEFIT_READ, 0, line_filter_params, 0},
	{"GET", "/payments/stats", handle_figures, PERM_STATS_READ, 0, figures_params, 0},
	{"GET", "/payments/stats/list", handle_figures_list, PERM_STATS_READ, 0, figures_list_params, 0},
	{"GET", "/payments/{id}", handle_payment_batch, PERM_BENEFIT_READ, 0, page_params, 0},
	{"POST", "/payments/{id}/review", handle_payment_review, PERM_PAY_REVIEW, 0, params_none, 0},
	{"POST", "/payments/{id}/reject", handle_payment_reject, PERM_BENEFIT_READ, 0, reject_params, 0},
	{"POST", "/payments/{id}/approve", handle_payment_approve, PERM_PAY_APPROVE, 0, params_none, 0},
	{"GET", "/payments/{id}/bank", handle_payment_bank, PERM_PAY_BANK, 0, bank_params, 0},
	{"POST", "/payments/{id}/return", handle_payment_return, PERM_PAY_BANK, 0, benefit_upload_params, BENEFIT_UPLOAD_MAX + 64 * 1024},
	{"GET", "/stats/benefits", handle_benefit_stats, PERM_STATS_READ, 0, stats_params, 0},
	{"GET", "/api/v1/payments/batches", handle_api_batches, PERM_BENEFIT_READ, API, batches_api_params, 0},
	{"POST", "/api/v1/payments/batches", handle_api_batch_generate, PERM_PAY_GENERATE, API, generate_api_params, 0},
	{"POST", "/api/v1/payments/batches/due", handle_api_batches_due, PERM_PAY_GENERATE, API, due_api_params, 0},
	{"POST", "/api/v1/payments/batches/review", handle_api_batches_review, PERM_PAY_REVIEW, API, sign_many_params, 0},
	{"POST", "/api/v1/payments/batches/approve", handle_api_batches_approve, PERM_PAY_APPROVE, API, sign_many_params, 0},
	{"GET", "/api/v1/payments/batches/{id}/summary", handle_api_batch_summary, PERM_BENEFIT_READ, API, params_none, 0},
	{"GET", "/api/v1/payments/batches/{id}", handle_api_batch, PERM_BENEFIT_READ, API, page_params, 0},
	{"POST", "/api/v1/payments/batches/{id}/reject", handle_api_batch_reject, PERM_BENEFIT_READ, API, reject_params, 0},
	{"POST", "/api/v1/payments/batches/{id}/review", handle_api_batch_review, PERM_PAY_REVIEW, API, params_none, 0},
	{"POST", "/api/v1/payments/batches/{id}/approve", handle_api_batch_approve, PERM_PAY_APPROVE, API, params_none, 0},
	{"GET", "/api/v1/payments/lines", handle_api_pay_lines, PERM_BENEFIT_READ, API, line_filter_params, 0},
	{"GET", "/api/v1/stats/benefits", handle_api_benefit_stats, PERM_STATS_READ, API, stats_params, 0},
	{0},
};

static const struct nav_item nav[] = {
	{20, "/payments", "待遇发放", PERM_BENEFIT_READ},
	{24, "/stats/benefits", "待遇统计", PERM_STATS_READ},
	{0},
};

const struct web_area payments_web = {
	.name = "payments",
	.routes = routes,
	.nav = nav,
};
