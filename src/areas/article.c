/* article.c - 门户内容: drafts, publication, withdrawal, and what the portal reads. */
#include "article.h"
#include <stdio.h>
#include <string.h>
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/markdown.h"
#include "lib/str.h"
#include "lib/utf8.h"

const char *const article_kinds[ARTICLE_N_KINDS] = {ARTICLE_NEWS, ARTICLE_NOTICE, ARTICLE_OPEN};
const char *const article_categories[ARTICLE_N_CATEGORIES] = {"权力事项清单", "投诉电话",
							      "政策文件", "年度报告", "其他"};
const char *const article_statuses[ARTICLE_N_STATUSES] = {ARTICLE_DRAFT, ARTICLE_PUBLISHED,
							  ARTICLE_WITHDRAWN};

static const char *signer_name(const struct principal *by)
{
	return by->display_name[0] ? by->display_name : by->username;
}

static const char *text_or(struct db_stmt *st, int col)
{
	const char *t = db_text(st, col);
	return t ? t : "";
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static int tx_end(struct db *db, int rc, char *err, size_t errlen)
{
	int ended = db_tx_end(db, 0, rc);
	return ended && !rc ? err_set(err, errlen, VE_DB, "保存失败，请稍后再试") : ended;
}

static int may(const struct principal *by, const struct perm *p, char *err, size_t errlen)
{
	if (perm_allows(by->roles, p))
		return 0;
	return err_set(err, errlen, VE_DENIED, "您没有“%s”的权限", perm_title(p));
}

static const char *one_of(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return list[i];
	return NULL;
}

/* 1 when t is printable text of min..max characters (newlines only when lines). */
static int text_ok(const char *t, size_t min, size_t max, int lines)
{
	size_t bytes = strlen(or_empty(t));
	if (bytes > max * 4 || !utf8_valid(or_empty(t), bytes))
		return 0;
	size_t n = utf8_count(or_empty(t), bytes);
	return n >= min && n <= max && (n == 0 || str_is_printable(t, bytes, lines));
}

/* A title or a name without blanks at its ends, that is not only blanks. */
static int blank(const char *t)
{
	for (; t && *t; t++)
		if (*t != ' ' && *t != '\t' && *t != '\r' && *t != '\n')
			return 0;
	return 1;
}

int article_check(const struct article_in *in, struct field_errors *fe, char *err, size_t errlen)
{
	const char *kind = one_of(in->kind, article_kinds, ARTICLE_N_KINDS);
	if (!kind)
		field_errors_add(fe, "类型", "请选择类型：新闻、通知公告或信息公开");
	const char *cat = or_empty(in->category);
	if (kind && strcmp(kind, ARTICLE_OPEN) == 0) {
		if (!one_of(cat, article_categories, ARTICLE_N_CATEGORIES))
			field_errors_add(fe, "信息公开类别",
					 "请选择信息公开类别：权力事项清单、投诉电话、政策文件、年度报告或其他");
	} else if (*cat && kind) {
		field_errors_add(fe, "信息公开类别", "只有信息公开条目有类别，%s不选类别", kind);
	}
	if (blank(in->title) || !text_ok(in->title, ARTICLE_TITLE_MIN, ARTICLE_TITLE_MAX, 0))
		field_errors_add(fe, "标题", "请填写标题（%d 至 %d 个字，一行）", ARTICLE_TITLE_MIN,
				 ARTICLE_TITLE_MAX);
	if (blank(in->body) || !text_ok(in->body, 1, ARTICLE_BODY_MAX, 1))
		field_errors_add(fe, "正文", "请填写正文（至多 %d 个字）", ARTICLE_BODY_MAX);
	else {
		json_t *tree = markdown_tree(in->body, strlen(in->body));
		if (!tree)
			field_errors_add(fe, "正文", "正文的段落、列表等结构过多，请拆分成几篇发布");
		json_decref(tree);
	}
	if (!text_ok(in->source, 0, ARTICLE_SOURCE_MAX, 0))
		field_errors_add(fe, "发布机构", "发布机构至多 %d 个字，一行", ARTICLE_SOURCE_MAX);
	if (!text_ok(in->doc_no, 0, ARTICLE_DOC_NO_MAX, 0))
		field_errors_add(fe, "文号", "文号至多 %d 个字，一行", ARTICLE_DOC_NO_MAX);
	const char *day = or_empty(in->published_on);
	int64_t t;
	if (*day && (strlen(day) != 10 || clock_parse_date(day, &t) != 0))
		field_errors_add(fe, "发布日期", "日期应为 YYYY-MM-DD，如 2026-03-02");
	else if (*day && strcmp(day, clock_today_text()) > 0)
		field_errors_add(fe, "发布日期", "发布日期不能晚于今天");
	return fe->n ? err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, "")) : 0;
}

/* The detail of an audit record: what the item is now. Sized for every field at its bound
 * (out: 1024 bytes), so that nothing is cut inside a character. */
static void describe(char *out, size_t size, const struct article_in *in)
{
	snprintf(out, size, "%s%s%s《%s》%s%s%s%s（正文 %zu 字）", in->kind,
		 *or_empty(in->category) ? "·" : "", or_empty(in->category), in->title,
		 *or_empty(in->doc_no) ? " " : "", or_empty(in->doc_no),
		 *or_empty(in->source) ? " 发布机构：" : "", or_empty(in->source),
		 utf8_count(in->body, strlen(in->body)));
}

static int create_in_tx(struct db *db, const struct principal *by, const struct article_in *in,
			int64_t *id)
{
	int64_t now = clock_now();
	int rc = db_run(db,
			"INSERT INTO articles (region_code, kind, category, title, body, source, "
			"doc_no, published_on, status, created_at, created_by, created_name, "
			"updated_at, updated_by, updated_name) VALUES (?, ?, ?, ?, ?, ?, ?, "
			"NULLIF(?, ''), '" ARTICLE_DRAFT "', ?, ?, ?, ?, ?, ?)",
			"ssssssssiisiis", by->region_code, in->kind, or_empty(in->category),
			in->title, in->body, or_empty(in->source), or_empty(in->doc_no),
			or_empty(in->published_on), now, by->user_id, signer_name(by), now,
			by->user_id, signer_name(by));
	if (rc)
		return rc;
	*id = db_last_id(db);
	char detail[1024];
	describe(detail, sizeof(detail), in);
	return account_audit(db, by, "article.create", "article", *id, detail);
}

int article_create(struct db *db, const struct principal *by, const struct article_in *in,
		   int64_t *id, struct field_errors *fe, char *err, size_t errlen)
{
	*id = 0;
	if (may(by, PERM_ARTICLE_MANAGE, err, errlen))
		return VE_DENIED;
	int rc = article_check(in, fe, err, errlen);
	if (rc)
		return rc;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, create_in_tx(db, by, in, id), err, errlen);
}

/* The status and title of item id. */
static int load(struct db *db, int64_t id, char status[16], char title[512], char *err,
		size_t errlen)
{
	struct db_stmt *st = db_q(db, "SELECT status, title FROM articles WHERE id = ?", "i", id);
	if (!st)
		return VE_DB;
	int rc = db_step(st) == DB_ROW ? 0 : err_set(err, errlen, VE_NOTFOUND, "文章不存在");
	if (!rc) {
		str_copy(status, db_text(st, 0), 16);
		str_copy(title, db_text(st, 1), 512);
	}
	db_done(st);
	return rc;
}

static int update_in_tx(struct db *db, const struct principal *by, int64_t id,
			const struct article_in *in, char *err, size_t errlen)
{
	char status[16], title[512];
	int rc = load(db, id, status, title, err, errlen);
	if (rc)
		return rc;
	rc = db_run(db,
		    "UPDATE articles SET kind = ?, category = ?, title = ?, body = ?, source = ?, "
		    "doc_no = ?, published_on = CASE WHEN ? = '' AND status <> '" ARTICLE_DRAFT
		    "' THEN published_on ELSE NULLIF(?, '') END, updated_at = ?, updated_by = ?, "
		    "updated_name = ? WHERE id = ?",
		    "ssssssssiisi", in->kind, or_empty(in->category), in->title, in->body,
		    or_empty(in->source), or_empty(in->doc_no), or_empty(in->published_on),
		    or_empty(in->published_on), clock_now(), by->user_id, signer_name(by), id);
	if (rc)
		return rc;
	char detail[1100], now[1024];
	describe(now, sizeof(now), in);
	snprintf(detail, sizeof(detail), "%s（%s）", now, status);
	return account_audit(db, by, "article.edit", "article", id, detail);
}

int article_update(struct db *db, const struct principal *by, int64_t id,
		   const struct article_in *in, struct field_errors *fe, char *err, size_t errlen)
{
	if (may(by, PERM_ARTICLE_MANAGE, err, errlen))
		return VE_DENIED;
	int rc = article_check(in, fe, err, errlen);
	if (rc)
		return rc;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, update_in_tx(db, by, id, in, err, errlen), err, errlen);
}

static int publish_in_tx(struct db *db, const struct principal *by, int64_t id, char *err,
			 size_t errlen)
{
	char status[16], title[512];
	int rc = load(db, id, status, title, err, errlen);
	if (rc)
		return rc;
	if (strcmp(status, ARTICLE_PUBLISHED) == 0)
		return err_set(err, errlen, VE_CONFLICT, "《%s》已经发布", title);
	rc = db_run(db,
		    "UPDATE articles SET status = '" ARTICLE_PUBLISHED "', published_on = "
		    "coalesce(published_on, ?), published_at = ?, published_by = ?, published_name = "
		    "?, withdrawn_at = NULL, withdrawn_by = NULL, withdrawn_name = NULL, "
		    "withdraw_reason = NULL WHERE id = ?",
		    "siisi", clock_today_text(), clock_now(), by->user_id, signer_name(by), id);
	if (rc)
		return rc;
	char detail[700];
	snprintf(detail, sizeof(detail), "发布《%s》（原为%s）", title, status);
	return account_audit(db, by, "article.publish", "article", id, detail);
}

int article_publish(struct db *db, const struct principal *by, int64_t id, char *err,
		    size_t errlen)
{
	if (may(by, PERM_ARTICLE_MANAGE, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, publish_in_tx(db, by, id, err, errlen), err, errlen);
}

static int withdraw_in_tx(struct db *db, const struct principal *by, int64_t id,
			  const char *reason, struct field_errors *fe, char *err, size_t errlen)
{
	char status[16], title[512];
	int rc = load(db, id, status, title, err, errlen);
	if (rc)
		return rc;
	if (strcmp(status, ARTICLE_PUBLISHED) != 0)
		return err_set(err, errlen, VE_CONFLICT, "《%s》当前为“%s”，只有已发布的才能撤回",
			       title, status);
	if (blank(reason) || !text_ok(reason, 2, ARTICLE_REASON_MAX, 0)) {
		field_errors_add(fe, "撤回原因", "请写明撤回原因（2 至 %d 个字，一行）",
				 ARTICLE_REASON_MAX);
		return err_set(err, errlen, VE_INVALID, "%s", field_errors_first(fe, ""));
	}
	rc = db_run(db,
		    "UPDATE articles SET status = '" ARTICLE_WITHDRAWN "', withdrawn_at = ?, "
		    "withdrawn_by = ?, withdrawn_name = ?, withdraw_reason = ? WHERE id = ?",
		    "iissi", clock_now(), by->user_id, signer_name(by), reason, id);
	if (rc)
		return rc;
	char detail[1400];
	snprintf(detail, sizeof(detail), "撤回《%s》：%s", title, reason);
	return account_audit(db, by, "article.withdraw", "article", id, detail);
}

int article_withdraw(struct db *db, const struct principal *by, int64_t id, const char *reason,
		     struct field_errors *fe, char *err, size_t errlen)
{
	if (may(by, PERM_ARTICLE_MANAGE, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, withdraw_in_tx(db, by, id, or_empty(reason), fe, err, errlen), err,
		      errlen);
}

static int delete_in_tx(struct db *db, const struct principal *by, int64_t id, char *err,
			size_t errlen)
{
	char status[16], title[512];
	int rc = load(db, id, status, title, err, errlen);
	if (rc)
		return rc;
	if (strcmp(status, ARTICLE_DRAFT) != 0)
		return err_set(err, errlen, VE_CONFLICT,
			       "《%s》当前为“%s”，只能删除草稿；已发布的请撤回", title, status);
	rc = db_run(db, "DELETE FROM articles WHERE id = ? AND status = '" ARTICLE_DRAFT "'", "i",
		    id);
	if (rc)
		return rc;
	char detail[600];
	snprintf(detail, sizeof(detail), "删除草稿《%s》", title);
	return account_audit(db, by, "article.delete", "article", id, detail);
}

int article_delete(struct db *db, const struct principal *by, int64_t id, char *err,
		   size_t errlen)
{
	if (may(by, PERM_ARTICLE_MANAGE, err, errlen))
		return VE_DENIED;
	if (db_tx_begin(db, 0))
		return err_set(err, errlen, VE_DB, "数据库忙，请稍后再试");
	return tx_end(db, delete_in_tx(db, by, id, err, errlen), err, errlen);
}

/* ---- reading ---- */

#define LIST_COLS                                                                                  \
	"a.id, a.kind, a.category, a.title, a.source, a.doc_no, coalesce(a.published_on, ''), "   \
	"a.status, a.updated_at, a.updated_name "

static json_t *list_row(struct db_stmt *st)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:s}", "id",
			 (json_int_t)db_int(st, 0), "kind", text_or(st, 1), "category",
			 text_or(st, 2), "title", text_or(st, 3), "source", text_or(st, 4),
			 "doc_no", text_or(st, 5), "published_on", text_or(st, 6), "status",
			 text_or(st, 7), "updated_at", (json_int_t)db_int(st, 8), "updated_name",
			 text_or(st, 9));
}

int article_list(struct db *db, const struct principal *by, const char *kind,
		 const char *category, const char *status, int64_t page, json_t **out)
{
	if (!perm_allows(by->roles, PERM_ARTICLE_READ))
		return VE_DENIED;
	const char *k = or_empty(one_of(kind, article_kinds, ARTICLE_N_KINDS));
	const char *c = or_empty(one_of(category, article_categories, ARTICLE_N_CATEGORIES));
	const char *s = or_empty(one_of(status, article_statuses, ARTICLE_N_STATUSES));
	page = page < 1 ? 1 : page > 100000 ? 100000 : page;
	int64_t total = 0;
#define FILTER "(? = '' OR a.kind = ?) AND (? = '' OR a.category = ?) AND (? = '' OR a.status = ?)"
	if (db_int_query(db, &total, 0, "SELECT count(*) FROM articles a WHERE " FILTER,
			 "ssssss", k, k, c, c, s, s))
		return VE_DB;
	struct db_stmt *st = db_q(db,
				  "SELECT " LIST_COLS "FROM articles a WHERE " FILTER
				  " ORDER BY a.updated_at DESC, a.id DESC LIMIT ? OFFSET ?",
				  "ssssssii", k, k, c, c, s, s, (int64_t)ARTICLE_PER_PAGE,
				  (page - 1) * ARTICLE_PER_PAGE);
#undef FILTER
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	int stepped;
	while ((stepped = db_step(st)) == DB_ROW)
		json_array_append_new(items, list_row(st));
	db_done(st);
	if (stepped != DB_DONE) { /* never a page cut short as if it were whole */
		json_decref(items);
		return VE_DB;
	}
	*out = json_pack("{s:I,s:I,s:o}", "total", (json_int_t)total, "page", (json_int_t)page,
			 "items", items);
	return 0;
}

/* Item id (any status when any, else only published): the list row plus the details. */
static int get(struct db *db, int64_t id, int any, json_t **out)
{
	struct db_stmt *st = db_q(
		db,
		"SELECT " LIST_COLS ", a.body, a.created_name, coalesce(a.published_name, ''), "
		"coalesce(a.withdrawn_name, ''), coalesce(a.withdraw_reason, ''), a.created_at "
		"FROM articles a WHERE a.id = ? AND (? <> 0 OR a.status = '" ARTICLE_PUBLISHED "')",
		"ii", id, (int64_t)any);
	if (!st)
		return VE_DB;
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return VE_NOTFOUND;
	}
	json_t *o = list_row(st);
	const char *body = text_or(st, 10);
	json_t *tree = markdown_tree(body, strlen(body));
	json_t *more = json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:o}", "body", body, "created_name",
				 text_or(st, 11), "published_name", text_or(st, 12),
				 "withdrawn_name", text_or(st, 13), "withdraw_reason",
				 text_or(st, 14), "created_at", (json_int_t)db_int(st, 15),
				 "body_tree", tree ? tree : json_pack("{s:[]}", "blocks"));
	db_done(st);
	json_object_update(o, more);
	json_decref(more);
	*out = o;
	return 0;
}

int article_get(struct db *db, const struct principal *by, int64_t id, json_t **out)
{
	if (!perm_allows(by->roles, PERM_ARTICLE_READ))
		return VE_DENIED;
	return get(db, id, 1, out);
}

int article_public_get(struct db *db, int64_t id, json_t **out)
{
	int rc = get(db, id, 0, out);
	if (rc)
		return rc;
	/* The public page shows the tree; names of staff stay in the back office. */
	static const char *const staff[] = {"body", "created_name", "published_name", "withdrawn_name",
					    "withdraw_reason", "updated_name", "updated_at",
					    "created_at", "status"};
	for (size_t i = 0; i < sizeof(staff) / sizeof(staff[0]); i++)
		json_object_del(*out, staff[i]);
	return 0;
}

static json_t *public_row(struct db_stmt *st)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)db_int(st, 0), "kind",
			 text_or(st, 1), "category", text_or(st, 2), "title", text_or(st, 3),
			 "source", text_or(st, 4), "doc_no", text_or(st, 5), "published_on",
			 text_or(st, 6));
}

int article_public_list(struct db *db, const char *kind, const char *category, int64_t page,
			int64_t per, json_t **out)
{
	const char *k = or_empty(one_of(kind, article_kinds, ARTICLE_N_KINDS));
	const char *c = or_empty(one_of(category, article_categories, ARTICLE_N_CATEGORIES));
	page = page < 1 ? 1 : page > 100000 ? 100000 : page;
	per = per < 1 ? 1 : per > 100 ? 100 : per;
#define PUB "a.status = '" ARTICLE_PUBLISHED "' AND a.kind = ? AND (? = '' OR a.category = ?)"
	int64_t total = 0;
	if (db_int_query(db, &total, 0, "SELECT count(*) FROM articles a WHERE " PUB, "sss", k, c,
			 c))
		return VE_DB;
	struct db_stmt *st = db_q(db,
				  "SELECT a.id, a.kind, a.category, a.title, a.source, a.doc_no, "
				  "a.published_on FROM articles a WHERE " PUB
				  " ORDER BY a.published_on DESC, a.id DESC LIMIT ? OFFSET ?",
				  "sssii", k, c, c, per, (page - 1) * per);
#undef PUB
	if (!st)
		return VE_DB;
	json_t *items = json_array();
	int stepped;
	while ((stepped = db_step(st)) == DB_ROW)
		json_array_append_new(items, public_row(st));
	db_done(st);
	if (stepped != DB_DONE) {
		json_decref(items);
		return VE_DB;
	}
	*out = json_pack("{s:I,s:I,s:I,s:o}", "total", (json_int_t)total, "page", (json_int_t)page,
			 "per", (json_int_t)per, "items", items);
	return 0;
}

int article_public_open(struct db *db, json_t **out)
{
	struct db_stmt *st = db_q(db,
				  "SELECT a.id, a.kind, a.category, a.title, a.source, a.doc_no, "
				  "a.published_on FROM articles a WHERE a.status = '" ARTICLE_PUBLISHED
				  "' AND a.kind = '" ARTICLE_OPEN
				  "' ORDER BY a.published_on DESC, a.id DESC LIMIT 1000",
				  "");
	if (!st)
		return VE_DB;
	json_t *by_cat[ARTICLE_N_CATEGORIES];
	for (int i = 0; i < ARTICLE_N_CATEGORIES; i++)
		by_cat[i] = json_array();
	while (db_step(st) == DB_ROW) {
		const char *c = text_or(st, 2);
		for (int i = 0; i < ARTICLE_N_CATEGORIES; i++)
			if (strcmp(c, article_categories[i]) == 0)
				json_array_append_new(by_cat[i], public_row(st));
	}
	db_done(st);
	*out = json_array();
	for (int i = 0; i < ARTICLE_N_CATEGORIES; i++) {
		if (json_array_size(by_cat[i]) == 0) {
			json_decref(by_cat[i]);
			continue;
		}
		json_array_append_new(*out, json_pack("{s:s,s:o}", "category", article_categories[i],
						      "items", by_cat[i]));
	}
	return 0;
}

const struct perm perm_article_read = {"article.read", "查看门户内容（新闻、通知公告、信息公开）",
				       ROLE_BIT(CLERK) | ROLE_BIT(LEADER)};
const struct perm perm_article_manage = {"article.manage", "编辑、发布和撤回门户内容",
					 ROLE_BIT(CLERK)};
static const struct perm *const perms[] = {PERM_ARTICLE_READ, PERM_ARTICLE_MANAGE, NULL};
static const struct audit_title audit_titles[] = {
	{"article.create", "新建门户内容"},   {"article.edit", "修改门户内容"},
	{"article.publish", "发布门户内容"},  {"article.withdraw", "撤回门户内容"},
	{"article.delete", "删除门户内容草稿"}, {NULL, NULL},
};
/* The portal's 草稿 not yet published, for one who publishes them (the list's count). */
static int article_todos(struct db *db, const struct principal *by, json_t *list)
{
	if (!perm_allows(by->roles, PERM_ARTICLE_MANAGE))
		return 0;
	json_t *found = NULL;
	if (article_list(db, by, NULL, NULL, ARTICLE_DRAFT, 1, &found))
		return VE_DB;
	json_int_t n = json_integer_value(json_object_get(found, "total"));
	json_decref(found);
	if (n > 0)
		json_array_append_new(list, json_pack("{s:s,s:I,s:s,s:s}", "title",
						      "发布门户内容草稿", "count", n, "href",
						      "/articles?status=%E8%8D%89%E7%A8%BF", "note",
						      "尚未在门户发布"));
	return 0;
}

const struct area article_area = {
	.name = "article", .perms = perms, .audit_titles = audit_titles, .todos = article_todos};
