/* qa_index.h - an in-memory matcher of visitors' questions against the Q&A base.
 *
 * Pure: no database, no I/O. Texts are normalised (full-width to half-width, case,
 * punctuation), synonyms mapped to one form (退伍 → 退役, 当兵/参军 → 入伍, 医疗保险 → 医保 …),
 * question words that carry no meaning (怎么, 如何, 办理, 申请, 吗 …) dropped, and cut into
 * terms: CJK bigrams, single CJK characters (weighed lower), ASCII words and numbers. Each
 * entry's question and each of its phrasings is a document; an entry scores as its best
 * document (how much of the question's weight it covers, alone and together with the entry's
 * other phrasings, and how much of the document the question covers, weighted by IDF), plus a
 * little for terms found in its answer. Scores lie in [0, 1]. A question is covered by the base
 * when its best score reaches QA_INDEX_THRESHOLD_DOMAIN if it names the bureau's matters (军, 兵,
 * 退役, 优抚, 抚恤, 烈士 …), else QA_INDEX_THRESHOLD: everyday questions (医院挂号, 银行卡挂失)
 * share single words with the base and must match it more clearly. A question naming the
 * bureau's matters is also covered when its best entry, under the threshold, still clearly beats
 * the second (the margin rule below); an off-topic question matches many entries about equally
 * weakly and falls through.
 *
 * An index is built once (add every entry, then qa_index_build) and is read-only after: any
 * number of threads may call qa_index_ask on it at once. */
#ifndef VETS_QA_INDEX_H
#define VETS_QA_INDEX_H

#include <stddef.h>

/* The scores below which the best answer is not good enough to show, for a question that names
 * none of the bureau's matters and for one that does, and the margin rule (all chosen on
 * tests/unit/qa_tuning.tsv, qa_heldout.tsv and qa_heldout2.tsv, all three tuning data; measured
 * once on tests/unit/qa_heldout3.tsv: 92.7% right first, 90.0% of off-topic questions falling
 * through, see tests/unit/test_qa_index.c). */
#define QA_INDEX_THRESHOLD 0.28
#define QA_INDEX_THRESHOLD_DOMAIN 0.24
/* A question naming the bureau's matters whose best score is under the threshold is still
 * covered when that score reaches QA_INDEX_MARGIN_FLOOR and is at least QA_INDEX_MARGIN_RATIO
 * times the second best: one entry clearly stands out (the margin rule). */
#define QA_INDEX_MARGIN_FLOOR 0.20
#define QA_INDEX_MARGIN_RATIO 1.5
/* Bytes of a question looked at; the rest is ignored (a question is a sentence, not a file). */
#define QA_INDEX_MAX_QUERY 1024

struct qa_index;

struct qa_hit {
	size_t entry; /* the entry's position, in the order of qa_index_add */
	double score; /* in [0, 1] */
};

/* A new, empty index. Free with qa_index_free. */
struct qa_index *qa_index_new(void);
void qa_index_free(struct qa_index *ix);

/* Adds an entry: its code and question (both copied), its answer (only indexed, not kept) and
 * its similar phrasings, one string with alternatives separated by "；" or ";" (may be NULL).
 * Returns the entry's position. Must not be called after qa_index_build. */
size_t qa_index_add(struct qa_index *ix, const char *code, const char *question, const char *answer,
		    const char *phrasings);
/* Computes the weights; the index is read-only afterwards. */
void qa_index_build(struct qa_index *ix);

size_t qa_index_count(const struct qa_index *ix);
const char *qa_index_code(const struct qa_index *ix, size_t entry);
const char *qa_index_question(const struct qa_index *ix, size_t entry);

/* Matches text (UTF-8, any bytes accepted; only the first QA_INDEX_MAX_QUERY bytes count).
 * OUT: hits[0..returned) the best entries, best first, each with a score above zero, at most
 * max of them. *fallback is 1 when no entry reaches the threshold (the hits are then
 * near misses, possibly none), else 0. */
size_t qa_index_ask(const struct qa_index *ix, const char *text, struct qa_hit *hits, size_t max,
		    int *fallback);

/* The normalised form of text as the matcher sees it (synonyms mapped, question words dropped,
 * separators as single spaces), for tests and for staff checking why a question matched.
 * Returns a string to free. */
char *qa_index_normalise(const char *text);

#endif
