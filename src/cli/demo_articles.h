/* demo_articles.h - the demo's portal content: news, 通知公告 and 信息公开 items. */
#ifndef VETS_DEMO_ARTICLES_H
#define VETS_DEMO_ARTICLES_H

#include "areas/account.h"
#include "db/db.h"

/* Writes and publishes the demo's news (12), notices (4) and 信息公开 items (权力事项清单,
 * 投诉电话, two policy documents, a note on the annual report) as clerk, dated over the weeks
 * before today; one more news item stays a draft. 0, or 1 with the reason printed. */
int demo_articles(struct db *db, const struct principal *clerk);

#endif
