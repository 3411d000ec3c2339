/* demo_surveys.c - the demo's questionnaires, written by the clerk as on the staff pages,
 * and their answers, drawn from a seeded generator with the leanings a real survey shows
 * (most visitors satisfied, a few not; the common matters chosen more often). */
#include "demo_people.h"
#include "demo_surveys.h"
#include "areas/calendar.h"
#include "areas/survey.h"
#include "lib/clock.h"
#include "lib/err.h"

#include <stdio.h>
#include <string.h>

struct dq {
	const char *kind, *title;
	int required;
	const char *options;
};

struct demo_survey {
	const char *title, *intro;
	int opens, closes; /* days from today */
	int public_results, answers;
	const struct dq *questions;
	int n_questions;
};

static const struct dq station_questions[] = {
	{"single", "您是通过什么方式了解到退役军人服务站的？", 1,
	 "社区宣传\n亲友介绍\n政府网站或公众号\n办理其他事项时得知\n其他"},
	{"multiple", "您在服务站办理或咨询过哪些事项？（可多选）", 1,
	 "优抚待遇申领\n就业创业服务\n困难帮扶\n光荣牌悬挂\n优待证申领\n政策咨询"},
	{"scale", "您对工作人员的服务态度打几分？（1 分最低，5 分最高）", 1, NULL},
	{"scale", "您对办事效率打几分？（1 分最低，5 分最高）", 0, NULL},
	{"single", "您最近一次办事跑了几次？", 0, "一次办成\n两次\n三次及以上"},
	{"text", "您对服务站还有什么意见和建议？", 0, NULL},
};

static const struct dq card_questions[] = {
	{"single", "您的优待证是否已经领到？", 1, "已领到\n已申请，尚未领到\n未申请"},
	{"multiple", "您使用优待证享受过哪些优待？（可多选）", 0,
	 "公共交通\n景区门票\n医疗挂号\n银行服务\n尚未使用"},
	{"scale", "您对优待证申领流程的便利程度打几分？", 1, NULL},
	{"text", "申领过程中遇到了哪些困难？", 0, NULL},
};

static const struct demo_survey surveys[] = {
	{"2026年退役军人服务站满意度调查",
	 "为了解各街道、社区退役军人服务站的服务情况，请您根据最近一次办事的感受填写本问卷，约需 "
	 "3 分钟。问卷不记名，结果将用于改进服务。",
	 -30, 45, 1, 320, station_questions,
	 (int)(sizeof(station_questions) / sizeof(station_questions[0]))},
	{"2026年优待证申领服务调查", "了解优待证申领和使用中的问题。问卷已结束，感谢参与。", -150,
	 -90, 0, 120, card_questions, (int)(sizeof(card_questions) / sizeof(card_questions[0]))},
};

static const char *const suggestions[] = {
	"希望周末也能办理业务。",
	"工作人员很耐心，点赞！",
	"停车不方便，希望改善。",
	"希望线上能查询办理进度。",
	"政策宣传可以再多一些，老年人看不懂网上的通知。",
	"等候时间有点长。",
	"材料清单最好一次告知清楚。",
};

static int pick(uint64_t *rng, int n)
{
	return (int)(demo_rng_next(rng) % (uint64_t)n);
}

/* A scale value leaning to 4 and 5. */
static int leaning_scale(uint64_t *rng)
{
	static const int weights[5] = {3, 5, 14, 38, 40};
	int r = pick(rng, 100), v = 1;
	for (int i = 0; i < 5; i++) {
		if (r < weights[i]) {
			v = i + 1;
			break;
		}
		r -= weights[i];
	}
	return v;
}

static void day_from_today(int days, char out[11])
{
	int32_t today = 0;
	calendar_day_number(clock_today_text(), &today);
	calendar_day_text(today + days, out);
}

/* The answers' generator: the survey's questions, the span of days they come in. */
struct batch {
	uint64_t *rng;
	json_t *questions;
	int64_t from, span;
};

static char values[SURVEY_QUESTIONS_MAX][SURVEY_OPTIONS_MAX][24];

/* The id of option o of q as text into out. */
static const char *option_id(json_t *q, int o, char out[24])
{
	json_t *opt = json_array_get(json_object_get(q, "options"), (size_t)o);
	snprintf(out, 24, "%lld", (long long)json_integer_value(json_object_get(opt, "id")));
	return out;
}

static void fill(void *ctx, size_t i, struct survey_given *given, char token[SURVEY_TOKEN_HEX + 1],
		 int64_t *at)
{
	struct batch *b = ctx;
	uint64_t *rng = b->rng;
	(void)i;
	for (size_t p = 0; p < json_array_size(b->questions) && p < SURVEY_QUESTIONS_MAX; p++) {
		json_t *q = json_array_get(b->questions, p);
		const char *kind = json_string_value(json_object_get(q, "kind"));
		int required = json_is_true(json_object_get(q, "required"));
		int n_opts = (int)json_array_size(json_object_get(q, "options"));
		struct survey_given *g = &given[p];
		if (!required && pick(rng, 100) < 15)
			continue; /* an optional question skipped */
		if (strcmp(kind, "text") == 0) {
			if (pick(rng, 100) < 70)
				continue;
			g->v[g->n++] = suggestions[pick(rng, 7)];
		} else if (strcmp(kind, "scale") == 0) {
			snprintf(values[p][0], sizeof(values[p][0]), "%d", leaning_scale(rng));
			g->v[g->n++] = values[p][0];
		} else if (strcmp(kind, "single") == 0) {
			int o = pick(rng, n_opts); /* earlier options more often */
			if (pick(rng, 2))
				o = o / 2;
			g->v[g->n++] = option_id(q, o, values[p][0]);
		} else {
			for (int o = 0; o < n_opts; o++)
				if (pick(rng, 100) < 60 - o * 8) {
					g->v[g->n] = option_id(q, o, values[p][g->n]);
					g->n++;
				}
			if (g->n == 0)
				g->v[g->n++] = option_id(q, pick(rng, n_opts), values[p][0]);
		}
	}
	snprintf(token, SURVEY_TOKEN_HEX + 1, "%016llx%016llx",
		 (unsigned long long)demo_rng_next(rng), (unsigned long long)demo_rng_next(rng));
	*at = b->from + (b->span > 0 ? (int64_t)(demo_rng_next(rng) % (uint64_t)b->span) : 0);
}

static int one_survey(struct db *db, uint64_t *rng, const struct principal *clerk,
		      const struct demo_survey *d)
{
	char opens[11], closes[11], err[256] = "";
	struct field_errors fe = {0};
	day_from_today(d->opens, opens);
	day_from_today(d->closes, closes);
	struct survey_in in = {d->title, d->intro, opens, closes};
	int64_t id = 0, qid = 0;
	if (survey_create(db, clerk, &in, &id, &fe, err, sizeof(err)) != 0)
		goto fail;
	for (int i = 0; i < d->n_questions; i++) {
		const struct dq *q = &d->questions[i];
		struct survey_question_in qi = {q->kind, q->title, q->required, q->options};
		if (survey_question_add(db, clerk, id, &qi, &qid, &fe, err, sizeof(err)) != 0)
			goto fail;
	}
	if (survey_set_status(db, clerk, id, 1, err, sizeof(err)) != 0 ||
	    (d->public_results &&
	     survey_set_results_public(db, clerk, id, 1, err, sizeof(err)) != 0))
		goto fail;
	json_t *s = NULL;
	if (survey_get(db, id, 0, &s) != 0)
		return fprintf(stderr, "vets: 读取演示问卷失败\n"), 1;
	struct batch b = {rng, json_object_get(s, "questions"), 0, 0};
	clock_parse_date(opens, &b.from);
	b.span = (int64_t)(d->closes < 0 ? d->closes - d->opens : -d->opens) * 86400;
	int rc = survey_answer_batch(db, clerk, id, (size_t)d->answers, fill, &b, err, sizeof(err));
	json_decref(s);
	if (rc) {
		fprintf(stderr, "vets: 生成演示答卷失败：%s\n", err);
		return 1;
	}
	return 0;
fail:
	fprintf(stderr, "vets: 生成演示问卷失败：%s\n", err[0] ? err : field_errors_first(&fe, ""));
	return 1;
}

int demo_surveys(struct db *db, unsigned long seed, const struct principal *clerk)
{
	uint64_t rng = (uint64_t)seed * 0x9E3779B97F4A7C15ull + 0x5EED5;
	for (size_t i = 0; i < sizeof(surveys) / sizeof(surveys[0]); i++)
		if (one_survey(db, &rng, clerk, &surveys[i]) != 0)
			return 1;
	return 0;
}
