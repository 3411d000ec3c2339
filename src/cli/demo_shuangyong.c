/* demo_shuangyong.c - the demo's 双拥: activities of 2023 to today and their news reports. */
#include "demo_shuangyong.h"
#include "areas/bulk.h"
#include "areas/shuangyong.h"
#include "lib/clock.h"
#include "lib/err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const units[] = {
	"区退役军人事务局、驻区某部",
	"区退役军人事务局、区人武部",
	"区委宣传部、区退役军人事务局、驻区武警中队",
	"东湖街道、驻区某部",
	"区教育局、区退役军人事务局",
	"区人社局、区退役军人事务局、驻区某部",
	"长青街道、区消防救援大队",
	"区卫健委、区退役军人事务局",
};
static const char *const places[] = {
	"驻区某部营区", "区人武部",         "区退役军人服务中心", "东湖街道退役军人服务站",
	"区烈士陵园",   "驻区武警中队营区", "区人民医院",         "长青街道社区广场",
};
static const char *const solved[] = {
	"协调解决随军家属就业 3 人",
	"为官兵子女协调入学 5 人",
	"送去慰问金和慰问品",
	"帮助部队解决营区周边道路照明问题",
	"为军属提供免费健康体检",
	"开展法律咨询，解答官兵家庭法律问题 12 件",
	"",
	"组织招聘企业为即将退役士兵提供岗位 40 个",
};
static const char *const media[] = {"长江日报", "区融媒体中心", "湖北日报",
				    "中国退役军人微信公众号", "区退役军人事务局网站"};
static const char *const headlines[] = {
	"情系国防 共谱鱼水情深新篇章",    "走进军营送温暖",
	"军地携手解难题 拥军优属暖兵心",  "双拥共建结硕果",
	"让军人军属感受到党和政府的关怀", "双拥宣传进社区",
};

static uint64_t next(uint64_t *r)
{
	*r = *r * 6364136223846793005u + 1442695040888963407u;
	return *r >> 33;
}

/* One year's activities: n of them spread over the year (each day before limit), and
 * reports in all (one each, the extra ones on the first activities). */
static int year_of(struct db *db, const struct principal *clerk, int year, int n, int reports,
		   const char *limit, uint64_t *rng, char *err, size_t errlen)
{
	for (int i = 0; i < n; i++) {
		char day[48], on[48];
		int month = 1 + i * 12 / n, d = 3 + (int)(next(rng) % 20);
		snprintf(day, sizeof(day), "%04d-%02d-%02d", year, month, d);
		if (strcmp(day, limit) > 0)
			return 0;
		int k = (int)(next(rng) % 7);
		struct shuangyong_activity_in in = {
			.held_on = day,
			.kind = shuangyong_kinds[k],
			.units = units[next(rng) % (sizeof(units) / sizeof(units[0]))],
			.place = places[next(rng) % (sizeof(places) / sizeof(places[0]))],
			.solved = solved[next(rng) % (sizeof(solved) / sizeof(solved[0]))],
		};
		struct field_errors fe = {0};
		int64_t id, rid;
		if (shuangyong_activity_save(db, clerk, 0, &in, 1, &id, &fe, err, errlen) != 0)
			return 1;
		int its = 1 + (i < reports - n ? 1 : 0);
		for (int j = 0; j < its; j++) {
			snprintf(on, sizeof(on), "%04d-%02d-%02d", year, month, d + 1 + j * 2);
			if (strcmp(on, limit) > 0)
				break;
			char link[96] = "";
			if (next(rng) % 3)
				snprintf(link, sizeof(link),
					 "https://news.example.cn/%d/%02d/sy%03d%d.html", year,
					 month, i, j);
			struct shuangyong_report_in r = {
				.medium = media[next(rng) % (sizeof(media) / sizeof(media[0]))],
				.published_on = on,
				.title = headlines[next(rng) %
						   (sizeof(headlines) / sizeof(headlines[0]))],
				.link = link,
			};
			if (shuangyong_report_add(db, clerk, id, &r, 1, &rid, &fe, err, errlen) !=
			    0)
				return 1;
		}
	}
	return 0;
}

struct fill {
	const struct principal *clerk;
	int year, this_year;
	char today[11], err[256];
	uint64_t rng;
};

/* One year a step, all in the one transaction of bulk_run. */
static int fill_step(struct db *db, void *ctx, int *done)
{
	struct fill *f = ctx;
	int n = f->year == 2023 ? 16 : 12 + (int)(next(&f->rng) % 7);
	int reports = f->year == 2023 ? 19 : n + (int)(next(&f->rng) % 4);
	if (year_of(db, f->clerk, f->year, n, reports, f->today, &f->rng, f->err, sizeof(f->err)))
		return VE_INVALID;
	*done = ++f->year > f->this_year;
	return 0;
}

int demo_shuangyong(struct db *db, unsigned long seed, const struct principal *clerk)
{
	struct fill f = {.clerk = clerk, .year = 2023, .rng = (uint64_t)seed * 2654435761u + 53};
	snprintf(f.today, sizeof(f.today), "%s", clock_today_text());
	f.this_year = atoi(f.today);
	if (bulk_run(db, 1000, fill_step, &f) != 0)
		return fprintf(stderr, "vets: 生成演示双拥活动失败：%s\n",
			       *f.err ? f.err : "数据库错误"),
		       1;
	return 0;
}
