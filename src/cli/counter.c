/* counter.c - vets stats counter: the counter's figures of a year (rating_stats.c). */
#include "cli/cli.h"
#include "areas/rating.h"
#include "lib/crypto.h"
#include "lib/str.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char counter_usage[] =
	"用法：vets stats counter --year YYYY [--as-of YYYY-MM-DD] [--db PATH] [--key-file PATH]\n"
	"  打印该年窗口办件的 JSON 统计（截止日期 A 默认为该年 12 月 31 日与今天中较早的一天；\n"
	"  “该年受理”指受理日期在该年且不晚于 A）：\n"
	"  accepted             该年受理的办件数（受理与容缺受理）\n"
	"  rongque              其中容缺受理的件数\n"
	"  closed               其中已办结且办结日期不晚于 A 的件数\n"
	"  closed_on_time       其中办结日期不晚于承诺办结日期（due）的件数\n"
	"  overdue              该年受理、办结晚于 due，或到 A 尚未办完（无结束日期或结束日期晚于 A）\n"
	"                       且 due 早于 A 的件数（补正中的停止计时，不计）\n"
	"  ratings              该年（不晚于 A）作出的评价按五个等级的件数，申诉成立的不计\n"
	"  bad                  其中差评（不满意、非常不满意）件数\n"
	"  bad_named            其中实名差评（办件登记了申请人姓名，须回访整改）件数\n"
	"  bad_followed_in_time 其中回访与整改均在期限（评价日后若干个工作日）内、且不晚于 A 登记的件数\n"
	"  全部数字取自同一个读快照。\n";

int cli_stats_counter(int argc, char **argv)
{
	const char *year_text = NULL, *as_of = NULL, *dbp = NULL, *key = NULL;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return fputs(counter_usage, stdout), 0;
		int m = cli_opt(argc, argv, &i, "year", &year_text);
		if (!m)
			m = cli_opt(argc, argv, &i, "as-of", &as_of);
		if (!m)
			m = cli_store_opt(argc, argv, &i, &dbp, &key);
		if (m < 0)
			return 2;
		if (!m)
			return cli_usage_error("未知参数：%s", argv[i]);
	}
	int64_t year;
	if (cli_year(year_text, &year))
		return 2;
	char a[11], err[128];
	if (rating_stats_period((int)year, as_of, a, err, sizeof(err)) != 0)
		return cli_usage_error("--as-of 应为 YYYY-MM-DD 格式的日期");
	struct db *db;
	struct crypto_keys keys;
	int opened = cli_open(cli_db_path(dbp), key, &db, &keys);
	if (opened != 0)
		return opened;
	struct principal who;
	account_cli_principal(&who);
	json_t *j = NULL;
	int rc = rating_counter_stats(db, &who, (int)year, a, &j);
	db_close(db);
	if (rc)
		return fputs("vets: 统计失败\n", stderr), 1;
	char *text = json_dumps(j, JSON_PRESERVE_ORDER | JSON_COMPACT);
	puts(text);
	free(text);
	json_decref(j);
	return 0;
}
