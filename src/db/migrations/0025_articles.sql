-- 门户内容 (areas/article.c): what the bureau publishes on the portal. A 新闻 or a 通知公告, or an
-- item of 信息公开 under its category (权力事项清单, 投诉电话, 政策文件, 年度报告, 其他). The body is
-- Markdown, rendered through lib/markdown (never as HTML). Staff write a 草稿, publish it
-- (已发布: on the portal from then), may withdraw it (已撤回: off the portal, kept) and publish
-- it again; only a draft is deleted. region_code is the creating user's (the bureau's).
CREATE TABLE articles (
	id INTEGER PRIMARY KEY,
	region_code TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('新闻', '通知公告', '信息公开')),
	category TEXT NOT NULL DEFAULT ''
		CHECK (category IN ('', '权力事项清单', '投诉电话', '政策文件', '年度报告', '其他')),
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	source TEXT NOT NULL DEFAULT '',     -- 来源 / 发文机关
	doc_no TEXT NOT NULL DEFAULT '',     -- 文号, e.g. 区退役军人局〔2026〕3号
	published_on TEXT,                   -- YYYY-MM-DD shown to the public; set at the first publication when empty
	status TEXT NOT NULL CHECK (status IN ('草稿', '已发布', '已撤回')),
	created_at INTEGER NOT NULL, created_by INTEGER, created_name TEXT NOT NULL,
	updated_at INTEGER NOT NULL, updated_by INTEGER, updated_name TEXT NOT NULL,
	published_at INTEGER, published_by INTEGER, published_name TEXT,
	withdrawn_at INTEGER, withdrawn_by INTEGER, withdrawn_name TEXT, withdraw_reason TEXT,
	CHECK ((kind = '信息公开' AND category <> '') OR (kind <> '信息公开' AND category = ''))
);
CREATE INDEX articles_public ON articles(status, kind, published_on, id);
CREATE INDEX articles_updated ON articles(updated_at, id);
