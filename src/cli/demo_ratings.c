/* demo_ratings.c - the demo counter's ratings: of every ended application, about two in three
 * rated on the day it ended; mostly 非常满意 and 满意, a few 差评, most of them followed up (回访
 * the next day, 整改 the day after), some never (the late list has rows). */
#include "demo_ratings.h"
#include "areas/rating.h"
#include "lib/clock.h"
#include "lib/mem.h"
#include "lib/str.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A small generator of our own, so that the demo is the same for a seed everywhere. */
static unsigned long next(unsigned long *s)
{
	*s = *s * 6364136223846793005UL + 1442695040888963407UL;
	return *s >> 33;
}

/* The day n days after day into out. */
static void day_after(const char *day, int n, char out[11])
{
	int64_t t;
	if (clock_parse_date(day, &t) != 0 || clock_date_text(t + (int64_t)n * 86400 + 3600, out))
		str_copy(out, day, 11);
}

int demo_ratings(struct db *db, unsigned long seed, const struct principal *clerk)
{
	json_t *apps = NULL;
	if (rating_unrated(db, clerk, &apps) != 0)
		return fprintf(stderr, "vets: 读取演示办件失败\n"), 1;
	size_t n = json_array_size(apps), k = 0;
	struct rating_past *items = xcalloc(n ? n : 1, sizeof(*items));
	unsigned long s = seed ^ 0x9e3779b97f4a7c15UL;
	const char *today = clock_today_text();
	for (size_t i = 0; i < n; i++) {
		json_t *a = json_array_get(apps, i);
		const char *closed = json_string_value(json_object_get(a, "closed_on"));
		if (next(&s) % 3 == 0 || !closed || strcmp(closed, today) > 0)
			continue;
		unsigned long r = next(&s) % 100;
		int level = r < 55 ? 0 : r < 84 ? 1 : r < 93 ? 2 : r < 98 ? 3 : 4;
		struct rating_past *p = &items[k++];
		p->application_id = json_integer_value(json_object_get(a, "id"));
		p->level = rating_levels[level];
		str_copy(p->day, closed, sizeof(p->day));
		if (level >= 3 && next(&s) % 8 != 0) {
			day_after(closed, 1, p->visit_on);
			day_after(closed, 2, p->fix_on);
			if (strcmp(p->fix_on, today) > 0)
				p->visit_on[0] = p->fix_on[0] = 0;
			p->note = "电话回访申请人，说明办理要求并致歉；窗口按意见改进";
		}
	}
	int rc = rating_record_past(db, clerk, items, k);
	free(items);
	json_decref(apps);
	if (rc)
		return fprintf(stderr, "vets: 生成演示评价失败\n"), 1;
	printf("演示评价：%zu 件\n", k);
	return 0;
}
