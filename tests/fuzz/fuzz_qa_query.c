/* fuzz_qa_query.c - libFuzzer target: lib/qa_index on arbitrary bytes, both as a question and as
 * an entry of the base. Checks: no crash or leak, scores in (0, 1] and ordered, the normalised
 * form valid UTF-8, and fallback consistent with the thresholds and the margin rule. */
#include "lib/qa_index.h"
#include "lib/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct qa_index *base;

static void make_base(void)
{
	base = qa_index_new();
	qa_index_add(base, "A1", "退役后医保怎么接续？", "到医保局办理接续。",
		     "医疗保险转移；看病报销");
	qa_index_add(base, "A2", "优抚对象每年体检", "每年一次。", "优抚体检;体检时间");
	qa_index_add(base, "A3", "怎样申领优待证？", "到服务站。", NULL);
	qa_index_add(base, "A4", "ABC 123 english words", "answer", "x;;；y");
	qa_index_build(base);
}

static void check(const struct qa_index *ix, const char *text)
{
	struct qa_hit hits[5];
	int fallback = -1;
	size_t n = qa_index_ask(ix, text, hits, 5, &fallback);
	if (n > 5 || (fallback != 0 && fallback != 1))
		abort();
	for (size_t i = 0; i < n; i++) {
		if (!(hits[i].score > 0 && hits[i].score <= 1.0 + 1e-9) ||
		    hits[i].entry >= qa_index_count(ix))
			abort();
		if (i && hits[i - 1].score < hits[i].score)
			abort();
	}
	/* below the margin floor nothing is shown, at the higher threshold everything is; between
	 * them it depends on whether the question names the bureau's matters, and under the lower
	 * threshold an answer shown clearly beats the second (the margin rule) */
	if ((n == 0 || hits[0].score < QA_INDEX_MARGIN_FLOOR) && !fallback)
		abort();
	if (n > 1 && hits[0].score < QA_INDEX_THRESHOLD_DOMAIN && !fallback &&
	    hits[0].score < QA_INDEX_MARGIN_RATIO * hits[1].score)
		abort();
	if (n > 0 && hits[0].score >= QA_INDEX_THRESHOLD && fallback)
		abort();
	char *norm = qa_index_normalise(text);
	if (!utf8_valid(norm, strlen(norm)))
		abort();
	free(norm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!base)
		make_base();
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	check(base, text);
	/* the same bytes as an entry: a base of one odd entry answers too */
	struct qa_index *ix = qa_index_new();
	qa_index_add(ix, text, text, text, text);
	qa_index_add(ix, "B", "优待证", "答", NULL);
	qa_index_build(ix);
	check(ix, text);
	check(ix, "优待证");
	qa_index_free(ix);
	free(text);
	return 0;
}
