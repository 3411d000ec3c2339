/* article.h - 门户内容: the news, 通知公告 and 信息公开 items the bureau publishes on the portal.
 *
 * A clerk (article.manage) writes a 草稿 (kind, for 信息公开 a category, title, a Markdown body,
 * the issuing office, an optional 文号 and date), edits it at any time, publishes it (已发布:
 * the portal shows it from then), withdraws it (已撤回, with a reason: off the portal, kept) and
 * may publish it again; only a draft is deleted. Leaders read (article.read). Every write is
 * audited with what changed. The portal reads only 已发布 items (article_public_*). */
#ifndef VETS_ARTICLE_H
#define VETS_ARTICLE_H

#include "areas/area.h"
#include <jansson.h>
#include <stdint.h>

#include "areas/account.h"
#include "db/db.h"
#include "lib/field_errors.h"

#define ARTICLE_N_KINDS 3
extern const char *const article_kinds[ARTICLE_N_KINDS]; /* 新闻, 通知公告, 信息公开 */
#define ARTICLE_NEWS "新闻"
#define ARTICLE_NOTICE "通知公告"
#define ARTICLE_OPEN "信息公开"
/* The categories of 信息公开, in the portal's order. */
#define ARTICLE_N_CATEGORIES 5
extern const char *const article_categories[ARTICLE_N_CATEGORIES]; /* 权力事项清单, 投诉电话, 政策文件, 年度报告, 其他 */
#define ARTICLE_N_STATUSES 3
extern const char *const article_statuses[ARTICLE_N_STATUSES];
#define ARTICLE_DRAFT "草稿"
#define ARTICLE_PUBLISHED "已发布"
#define ARTICLE_WITHDRAWN "已撤回"

/* Bounds, in characters. The body is also bounded by lib/markdown's limits. */
enum {
	ARTICLE_TITLE_MIN = 2,
	ARTICLE_TITLE_MAX = 100,
	ARTICLE_BODY_MAX = 30000,
	ARTICLE_SOURCE_MAX = 60,
	ARTICLE_DOC_NO_MAX = 50,
	ARTICLE_REASON_MAX = 200,
	ARTICLE_PER_PAGE = 20,
};

/* An item as typed. Field errors name the labels in parentheses. */
struct article_in {
	const char *kind;         /* 类型: one of article_kinds */
	const char *category;     /* 信息公开类别: one of article_categories for 信息公开, else empty */
	const char *title;        /* 标题: 2-100 characters, one line */
	const char *body;         /* 正文: Markdown, 1-30000 characters */
	const char *source;       /* 发布机构: up to 60 characters, may be empty */
	const char *doc_no;       /* 文号: up to 50 characters, may be empty */
	const char *published_on; /* 发布日期: YYYY-MM-DD not after today, or empty (today at publication) */
};

/* Checks in without writing: field errors into fe. 0 or VE_INVALID. */
int article_check(const struct article_in *in, struct field_errors *fe, char *err, size_t errlen);
/* A new 草稿 (article.manage): 0 and *id; VE_INVALID with fe. */
int article_create(struct db *db, const struct principal *by, const struct article_in *in,
		   int64_t *id, struct field_errors *fe, char *err, size_t errlen);
/* Replaces the fields of item id, whatever its status (a published item changes on the portal
 * at once). VE_NOTFOUND, VE_INVALID. */
int article_update(struct db *db, const struct principal *by, int64_t id,
		   const struct article_in *in, struct field_errors *fe, char *err, size_t errlen);
/* 草稿 or 已撤回 → 已发布; the date is set to today when empty. VE_CONFLICT when published. */
int article_publish(struct db *db, const struct principal *by, int64_t id, char *err,
		    size_t errlen);
/* 已发布 → 已撤回 with reason (撤回原因, 2-200 characters). VE_CONFLICT when not published. */
int article_withdraw(struct db *db, const struct principal *by, int64_t id, const char *reason,
		     struct field_errors *fe, char *err, size_t errlen);
/* Deletes a 草稿. VE_CONFLICT for any other status (withdraw instead). */
int article_delete(struct db *db, const struct principal *by, int64_t id, char *err,
		   size_t errlen);

/* Staff list (article.read), newest change first, ARTICLE_PER_PAGE a page; kind, category and
 * status filter when one of their vocabularies (else ignored):
 * {"total","page","items":[{"id","kind","category","title","source","doc_no","published_on",
 * "status","updated_at","updated_name"}]}. */
int article_list(struct db *db, const struct principal *by, const char *kind,
		 const char *category, const char *status, int64_t page, json_t **out);
/* One item for staff: the row plus "body","created_name","published_name","withdrawn_name",
 * "withdraw_reason","body_tree" (lib/markdown's tree). VE_NOTFOUND. */
int article_get(struct db *db, const struct principal *by, int64_t id, json_t **out);

/* The portal (no principal: published items only). Published items of kind (and category
 * when not NULL/empty), newest first, per a page (1-100):
 * {"total","page","items":[{"id","kind","category","title","source","doc_no","published_on"}]}. */
int article_public_list(struct db *db, const char *kind, const char *category, int64_t page,
			int64_t per, json_t **out);
/* One published item with its body tree: VE_NOTFOUND when it is not published. */
int article_public_get(struct db *db, int64_t id, json_t **out);
/* The published 信息公开 items (the newest 1000) by category, in article_categories' order,
 * the categories with none left out: [{"category","items":[{"id","title","doc_no","source","published_on"}]}]. */
int article_public_open(struct db *db, json_t **out);

extern const struct perm perm_article_read, perm_article_manage;
#define PERM_ARTICLE_READ (&perm_article_read)
#define PERM_ARTICLE_MANAGE (&perm_article_manage)
extern const struct area article_area;

#endif
