/* fuzz_conscript.c - libFuzzer target: a conscript row's own fields (the input split at
 * newlines into 入伍时间, 学历, 大学生情况, 艰苦地区, 立功受奖, 家属姓名, 家属联系电话)
 * through conscript_parse, and what it accepts through conscript_compute: accepted facts
 * are well-formed, refusals name a column, and the award's texts are valid UTF-8. */
#include "areas/conscript.h"
#include "lib/err.h"
#include "lib/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void add_rule(struct conscript_rules *r, const char *kind, const char *item, int64_t fen)
{
	snprintf(r->items[r->n].kind, sizeof(r->items[0].kind), "%s", kind);
	snprintf(r->items[r->n].item, sizeof(r->items[0].item), "%s", item);
	r->items[r->n++].amount_fen = fen;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	const char *fields[7] = {NULL};
	char *p = s;
	for (int i = 0; i < 7 && p; i++) {
		fields[i] = p;
		p = strchr(p, '\n');
		if (p)
			*p++ = '\0';
	}
	struct conscript_text t = {.enlisted = fields[0],
				   .education = fields[1],
				   .college = fields[2],
				   .hardship = fields[3],
				   .merit = fields[4],
				   .family_name = fields[5],
				   .family_phone = fields[6],
				   .bank_name = "银行",
				   .bank_account = "621700001111"};
	struct conscript_facts f;
	struct field_errors e = {0};
	int rc = conscript_parse(&t, &f, &e);
	if (rc != 0) {
		if (rc != VE_INVALID || e.n < 1)
			abort();
		for (int i = 0; i < e.n; i++)
			if (!e.items[i].field[0] ||
			    !utf8_valid(e.items[i].message, strlen(e.items[i].message)))
				abort();
		free(s);
		return 0;
	}
	if (strlen(f.enlisted) != 10 || f.year < 2000 || f.year > 2100 || f.month < 1 ||
	    f.month > 12 || !f.education[0] || !f.family_name[0])
		abort();
	struct conscript_rules r = {.year = f.year, .approved = 1};
	add_rule(&r, "基数", "基数", 2800000);
	add_rule(&r, "增发", "在校生", 400000);
	add_rule(&r, "增发", "毕业生", 500000);
	add_rule(&r, "增发", "新生", 300000);
	add_rule(&r, "增发", "艰苦地区", 200000);
	add_rule(&r, "增发", "进藏进疆", 300000);
	add_rule(&r, "增发", "立功", 100000);
	add_rule(&r, "奖励金", "高中及以下", 300000);
	add_rule(&r, "奖励金", "大专", 500000);
	add_rule(&r, "奖励金", "本科", 800000);
	add_rule(&r, "奖励金", "研究生", 1000000);
	struct conscript_award a;
	struct field_errors ce = {0};
	if (conscript_compute(&r, &f, &a, &ce) != 0)
		abort(); /* every rule an accepted row can need is there */
	if (a.allowance_fen < 2800000 || a.allowance_fen > 2800000 + 500000 + 300000 + 100000 ||
	    a.bonus_fen < 300000 || strlen(a.start_month) != 7 || strlen(a.end_month) != 7 ||
	    strcmp(a.end_month, a.start_month) <= 0 ||
	    !utf8_valid(a.allowance_text, strlen(a.allowance_text)) ||
	    !utf8_valid(a.bonus_text, strlen(a.bonus_text)))
		abort();
	free(s);
	return 0;
}
