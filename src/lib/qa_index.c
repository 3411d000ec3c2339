/* qa_index.c - the Q&A matcher: normalise, map synonyms, drop question words, cut into CJK
 * bigrams + single characters + ASCII words, and score entries by IDF-weighted coverage. */
#include "lib/qa_index.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/mem.h"

/* How much a term kind counts: a bigram says much more than one character of it. */
#define W_BIGRAM 1.0
#define W_UNIGRAM 0.5
#define W_WORD 1.0
/* A word the base never uses weighs as a word used by half an entry would not: as the rarest. */
#define UNKNOWN_FACTOR 1.0
/* A document matched on single characters only (no bigram, no word) is weak evidence. */
#define UNI_ONLY 0.5
/* Score = coverage of the question ^ Q_EXP × coverage of the document ^ (1 - Q_EXP): what the
 * visitor asked matters most, a document that says much more than the question counts less. */
#define Q_EXP 0.5
/* Share of the score that comes from the answer's text (words a visitor uses that the
 * question does not, such as 公园 for what the 优待证 gives). */
#define ANSWER_SHARE 0.15

/* The share of the question's coverage counted over all of an entry's phrasings together, the
 * rest over the one phrasing scored: a question that joins two of them (where to get the 优待证
 * and what to bring) is covered by the entry even though no single phrasing says both. */
#define UNION_SHARE 0.7

/* ---- normalisation ---------------------------------------------------------------------- */

/* Synonyms and question words, as (variant, canonical form); an empty canonical form drops the
 * variant (question words that carry no meaning). At each place the longest variant wins. */
/* clang-format off */
static const char *const REWRITES[][2] = {
	/* synonyms: one form each */
	{"退伍", "退役"}, {"复原", "复员"}, {"当兵", "入伍"}, {"参军", "入伍"}, {"从军", "入伍"},
	{"参加部队", "入伍"}, {"去部队", "入伍"}, {"应征", "入伍"},
	{"医疗保险", "医保"}, {"医疗保障", "医保"}, {"社会保险", "社保"},
	{"残疾证", "残疾军人证"}, {"伤残", "残疾"}, {"评残", "残疾评定"}, {"伤残等级", "残疾等级"},
	{"烈属", "烈士遗属"}, {"烈士家属", "烈士遗属"}, {"烈士亲属", "烈士遗属"}, {"烈士家庭", "烈士遗属"},
	{"军属", "军人家属"}, {"军人家庭", "军人家属"},
	{"丢了", "遗失"}, {"丢失", "遗失"}, {"弄丢", "遗失"}, {"找不到", "遗失"}, {"不见了", "遗失"},
	{"补办", "补领"}, {"重新办", "补领"}, {"重办", "补领"}, {"补发", "补领"},
	{"扫墓", "祭扫"}, {"祭奠", "祭扫"}, {"祭拜", "祭扫"},
	{"找工作", "就业"}, {"借钱", "贷款"},
	{"上调", "调整"}, {"提高", "调整"}, {"涨", "调整"},
	{"什么时候", "时间"}, {"啥时候", "时间"}, {"何时", "时间"}, {"几号", "时间"}, {"几点", "时间"},
	{"多长时间", "时间"}, {"开门", "开放"},
	{"热线", "电话"}, {"联系方式", "电话"},
	{"六十", "60"}, {"十二", "12"},
	{"离队", "退役"}, {"离开部队", "退役"}, {"部队回来", "退役"}, {"退下来", "退役"}, {"评个残", "残疾评定"},
	{"开店", "创业"}, {"开公司", "创业"}, {"做生意", "创业"}, {"开个店", "创业"},
	{"少交税", "税收减免"}, {"免税", "税收减免"}, {"减税", "税收减免"}, {"税费", "税收"},
	{"坏了", "损坏"}, {"弄坏", "损坏"}, {"优惠", "优待"},
	{"保障房", "公租房"}, {"廉租房", "公租房"}, {"技能班", "技能培训"}, {"学手艺", "技能培训"},
	{"学技术", "技能培训"}, {"老公", "配偶"}, {"丈夫", "配偶"}, {"妻子", "配偶"}, {"爱人", "配偶"},
	{"老婆", "配偶"}, {"医药费", "医疗费"}, {"住院费", "医疗费"}, {"不满意", "投诉"},
	{"军嫂", "军人配偶"}, {"找不到工作", "就业"}, {"找份工作", "就业"},
	{"没上班", "没工作"}, {"没有工作", "没工作"}, {"没有单位", "没工作"}, {"没单位", "没工作"},
	{"缴纳", "交"}, {"缴", "交"}, {"报个到", "报到"}, {"多久", "时间"}, {"多少天", "时间"},
	{"时间限制", "期限"}, {"时限", "期限"}, {"限期", "期限"},
	{"每个月", "每月"}, {"按月", "每月"}, {"月月", "每月"},
	{"还没发", "没到账"}, {"没发", "没到账"}, {"没收到", "没到账"}, {"还没到账", "没到账"},
	{"再办", "补领"}, {"学门手艺", "技能培训"}, {"学个手艺", "技能培训"},
	{"高职", "大专"}, {"专科", "大专"}, {"照顾", "优待"}, {"心理医生", "心理咨询"},
	{"少交", "减免"}, {"自己", "个人"}, {"读书", "上学"}, {"念书", "上学"}, {"更重", "加重"},
	{"掉了", "遗失"}, {"过世", "去世"}, {"离世", "去世"}, {"逝世", "去世"}, {"死亡", "去世"},
	{"病故", "去世"}, {"一个月", "每月"}, {"待业", "没工作"},
	{"进展", "进度"}, {"升级", "调整"}, {"升一级", "调整等级"}, {"塌了", "危房"}, {"要塌", "危房"},
	{"快塌", "危房"}, {"倒塌", "危房"}, {"睡不着", "失眠"}, {"家里人", "家属"}, {"家人", "家属"},
	{"儿子", "子女"}, {"女儿", "子女"}, {"孩子", "子女"}, {"小孩", "子女"},
	{"补贴", "补助"}, {"女孩子", "女青年"}, {"女孩", "女青年"}, {"女生", "女青年"},
	{"男孩子", "男青年"}, {"男孩", "男青年"}, {"泡水", "损坏"}, {"破了", "损坏"}, {"烂了", "损坏"},
	{"磨损", "损坏"}, {"被偷", "遗失"}, {"被盗", "遗失"}, {"负伤", "受伤"},
	{"续上", "接续"}, {"接上", "接续"}, {"异地", "外地"}, {"外省", "外地"}, {"外市", "外地"},
	/* question words and particles: no meaning for matching */
	{"怎么办理", ""}, {"怎么办", ""}, {"怎么样", ""}, {"怎么", ""}, {"怎样", ""}, {"如何", ""}, {"咋办", ""}, {"咋", ""},
	{"什么", ""}, {"啥", ""}, {"哪里", ""}, {"哪儿", ""}, {"哪些", ""}, {"哪个", ""}, {"哪", ""},
	{"办理", ""}, {"申请", ""}, {"请问", ""}, {"您好", ""}, {"你好", ""}, {"谢谢", ""},
	{"可以", ""}, {"可不可以", ""}, {"能不能", ""}, {"能否", ""}, {"需要", ""}, {"是不是", ""},
	{"有没有", ""}, {"要不要", ""}, {"会不会", ""}, {"一下", ""}, {"我想", ""}, {"想要", ""},
	{"到底", ""}, {"想问", ""}, {"问一下", ""}, {"咨询一下", ""}, {"了解一下", ""}, {"麻烦", ""},
	{"我们", ""}, {"我家", ""}, {"你们", ""}, {"这个", ""}, {"那个", ""}, {"应该", ""},
	{"吗", ""}, {"呢", ""}, {"吧", ""}, {"啊", ""}, {"呀", ""}, {"么", ""}, {"嘛", ""}, {"哦", ""},
	{"的", ""}, {"了", ""},
};
/* clang-format on */

/* Characters whose single-character term says nothing (they still join bigrams). */
static const char STOP_CHARS[] =
	"是有在要能我你他她它们这那个些就都也还和与或及把被给让去来到想会对上下中一不后前时该可以";

static uint32_t decode(const unsigned char *s, size_t n, size_t *len)
{
	unsigned c = s[0];
	if (c < 0x80) {
		*len = 1;
		return c;
	}
	size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
	if (k == 0 || k > n || c > 0xF4) {
		*len = 1;
		return 0xFFFD;
	}
	uint32_t cp = c & (0x3F >> (k - 1));
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*len = 1;
			return 0xFFFD;
		}
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
	if (cp < min[k] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
		*len = 1;
		return 0xFFFD;
	}
	*len = k;
	return cp;
}

static void encode(struct buf *b, uint32_t cp)
{
	char t[4];
	size_t n;
	if (cp < 0x80) {
		t[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		t[0] = (char)(0xC0 | (cp >> 6));
		t[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		t[0] = (char)(0xE0 | (cp >> 12));
		t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		t[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		t[0] = (char)(0xF0 | (cp >> 18));
		t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		t[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_append(b, t, n);
}

static int is_cjk(uint32_t cp)
{
	return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FFFF);
}

static int is_word(uint32_t cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z');
}

/* Step 1: half-width, lower case, everything but CJK, letters and digits becomes one space. */
static void fold(const char *text, size_t n, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)text;
	int space = 1;
	for (size_t i = 0; i < n;) {
		size_t len;
		uint32_t cp = decode(s + i, n - i, &len);
		i += len;
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			cp -= 0xFEE0;
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		if (is_cjk(cp) || is_word(cp)) {
			encode(out, cp);
			space = 0;
		} else if (!space) {
			buf_append(out, " ", 1);
			space = 1;
		}
	}
}

/* Step 2: the rewrites, longest variant first at each character. */
static void rewrite(const char *s, size_t n, struct buf *out)
{
	size_t i = 0;
	while (i < n) {
		size_t best = 0, best_len = 0;
		for (size_t r = 0; r < sizeof REWRITES / sizeof REWRITES[0]; r++) {
			size_t len = strlen(REWRITES[r][0]);
			if (len > best_len && len <= n - i &&
			    memcmp(s + i, REWRITES[r][0], len) == 0) {
				best = r;
				best_len = len;
			}
		}
		if (best_len) {
			const char *to = REWRITES[best][1];
			buf_append(out, *to ? to : " ", *to ? strlen(to) : 1);
			i += best_len;
			continue;
		}
		size_t len;
		decode((const unsigned char *)s + i, n - i, &len);
		buf_append(out, s + i, len);
		i += len;
	}
}

/* Texts of the base (answers included) are read up to this many bytes. */
#define MAX_TEXT (64u * 1024)

static char *normalise_n(const char *text, size_t n)
{
	if (n > MAX_TEXT)
		n = MAX_TEXT;
	struct buf folded, out, tidy;
	buf_init(&folded, 4 * MAX_TEXT);
	buf_init(&out, 4 * MAX_TEXT);
	buf_init(&tidy, 4 * MAX_TEXT);
	fold(text, n, &folded);
	rewrite(folded.data ? folded.data : "", folded.len, &out);
	buf_free(&folded);
	/* collapse the spaces the dropped words left */
	int space = 1;
	for (size_t i = 0; i < out.len; i++) {
		if (out.data[i] == ' ') {
			if (!space)
				buf_append(&tidy, " ", 1);
			space = 1;
		} else {
			buf_append(&tidy, out.data + i, 1);
			space = 0;
		}
	}
	buf_free(&out);
	if (tidy.len && tidy.data[tidy.len - 1] == ' ')
		tidy.data[--tidy.len] = '\0';
	return buf_detach(&tidy, NULL);
}

char *qa_index_normalise(const char *text)
{
	size_t n = text ? strlen(text) : 0;
	return normalise_n(text ? text : "", n > QA_INDEX_MAX_QUERY ? QA_INDEX_MAX_QUERY : n);
}

/* Words that name the bureau's own matters. A question that uses one is about them, and a
 * weaker match is still worth showing; a question with none of them (医院挂号, 银行卡挂失) has to
 * match the base more clearly before an answer is shown, for the base shares everyday words
 * (附近, 推荐, 医院, 挂失) with questions it does not cover. Matched on the normalised text. */
static const char *const DOMAIN_WORDS[] = {
	"军",   "兵",   "退役", "入伍", "部队", "服役", "优抚", "抚恤", "优待",
	"烈士", "牺牲", "复员", "安置", "残疾", "光荣", "立功", "参战",
};

static int names_domain(const char *norm)
{
	for (size_t i = 0; i < sizeof DOMAIN_WORDS / sizeof DOMAIN_WORDS[0]; i++)
		if (strstr(norm, DOMAIN_WORDS[i]))
			return 1;
	return 0;
}

/* ---- terms ------------------------------------------------------------------------------ */

#define KIND_UNI 1ULL
#define KIND_BI 2ULL
#define KIND_WORD 3ULL
#define KEY_KIND(k) ((k) >> 60)
/* A bigram with a function character in it (能领, 想办): it counts when the base has it, and
 * is ignored when it does not, instead of weighing as an unknown word would. */
#define WEAK_BIT (1ULL << 59)

static int stop_char(uint32_t cp)
{
	const unsigned char *s = (const unsigned char *)STOP_CHARS;
	size_t n = sizeof STOP_CHARS - 1;
	for (size_t i = 0; i < n;) {
		size_t len;
		if (decode(s + i, n - i, &len) == cp)
			return 1;
		i += len;
	}
	return 0;
}

struct keys {
	uint64_t *k;
	size_t n, cap;
};

static void keys_push(struct keys *ks, uint64_t k)
{
	for (size_t i = 0; i < ks->n; i++)
		if (ks->k[i] == k)
			return;
	if (ks->n == ks->cap) {
		ks->cap = ks->cap ? ks->cap * 2 : 32;
		ks->k = xrealloc(ks->k, ks->cap * sizeof *ks->k);
	}
	ks->k[ks->n++] = k;
}

/* The distinct terms of text. Returns whether the text names the bureau's matters. */
static int terms_of(const char *text, size_t n, struct keys *ks)
{
	char *norm = normalise_n(text, n);
	int domain = names_domain(norm);
	const unsigned char *s = (const unsigned char *)norm;
	size_t len_all = strlen(norm);
	uint32_t prev = 0; /* previous CJK character in the run, 0 at a run's start */
	uint64_t word = 0;
	int in_word = 0;
	for (size_t i = 0; i <= len_all;) {
		size_t len = 1;
		uint32_t cp = i < len_all ? decode(s + i, len_all - i, &len) : ' ';
		i += len;
		if (is_word(cp)) {
			if (!in_word)
				word = 1469598103934665603ULL;
			word = (word ^ cp) * 1099511628211ULL;
			in_word = 1;
			prev = 0;
			continue;
		}
		if (in_word) {
			keys_push(ks, (KIND_WORD << 60) | (word & ((1ULL << 60) - 1)));
			in_word = 0;
		}
		if (is_cjk(cp)) {
			if (!stop_char(cp))
				keys_push(ks, (KIND_UNI << 60) | cp);
			if (prev)
				keys_push(ks, (KIND_BI << 60) | ((uint64_t)prev << 21) | cp |
						      (stop_char(prev) || stop_char(cp) ? WEAK_BIT
											: 0));
			prev = cp;
		} else {
			prev = 0;
		}
	}
	free(norm);
	return domain;
}

static double kind_weight(uint64_t key)
{
	switch (KEY_KIND(key)) {
	case KIND_BI:
		return W_BIGRAM;
	case KIND_UNI:
		return W_UNIGRAM;
	default:
		return W_WORD;
	}
}

/* ---- the index -------------------------------------------------------------------------- */

struct term {
	uint64_t key;
	double w; /* kind weight × IDF, set by build */
	size_t *docs, n_docs, cap_docs;
	size_t *ans, n_ans, cap_ans; /* entries whose answer holds the term */
};

struct entry {
	char *code, *question;
	double ans_norm; /* sum of w² over the answer's terms */
};

struct doc {
	size_t entry;
	double norm;      /* sum of w² over the document's terms */
	struct keys keys; /* kept until build */
};

struct qa_index {
	struct entry *entries;
	size_t n_entries, cap_entries;
	struct doc *docs;
	size_t n_docs, cap_docs;
	struct term *terms;
	size_t n_terms, cap_terms;
	size_t *slots; /* open addressing: term index + 1, 0 = empty */
	size_t n_slots;
	struct keys *ans_keys; /* per entry, kept until build */
	double unknown_idf;
	int built;
};

static uint64_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return k;
}

static size_t find_term(const struct qa_index *ix, uint64_t key)
{
	if (!ix->n_slots)
		return SIZE_MAX;
	size_t mask = ix->n_slots - 1;
	for (size_t h = mix(key) & mask;; h = (h + 1) & mask) {
		size_t v = ix->slots[h];
		if (!v)
			return SIZE_MAX;
		if (ix->terms[v - 1].key == key)
			return v - 1;
	}
}

static void rehash(struct qa_index *ix, size_t n_slots)
{
	free(ix->slots);
	ix->slots = xcalloc(n_slots, sizeof *ix->slots);
	ix->n_slots = n_slots;
	for (size_t t = 0; t < ix->n_terms; t++) {
		size_t h = mix(ix->terms[t].key) & (n_slots - 1);
		while (ix->slots[h])
			h = (h + 1) & (n_slots - 1);
		ix->slots[h] = t + 1;
	}
}

static size_t intern(struct qa_index *ix, uint64_t key)
{
	size_t t = find_term(ix, key);
	if (t != SIZE_MAX)
		return t;
	if ((ix->n_terms + 1) * 2 > ix->n_slots)
		rehash(ix, ix->n_slots ? ix->n_slots * 2 : 1024);
	if (ix->n_terms == ix->cap_terms) {
		ix->cap_terms = ix->cap_terms ? ix->cap_terms * 2 : 1024;
		ix->terms = xrealloc(ix->terms, ix->cap_terms * sizeof *ix->terms);
	}
	t = ix->n_terms++;
	memset(&ix->terms[t], 0, sizeof ix->terms[t]);
	ix->terms[t].key = key;
	size_t h = mix(key) & (ix->n_slots - 1);
	while (ix->slots[h])
		h = (h + 1) & (ix->n_slots - 1);
	ix->slots[h] = t + 1;
	return t;
}

static void push_size(size_t **a, size_t *n, size_t *cap, size_t v)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*a = xrealloc(*a, *cap * sizeof **a);
	}
	(*a)[(*n)++] = v;
}

struct qa_index *qa_index_new(void)
{
	return xcalloc(1, sizeof(struct qa_index));
}

void qa_index_free(struct qa_index *ix)
{
	if (!ix)
		return;
	for (size_t e = 0; e < ix->n_entries; e++) {
		free(ix->entries[e].code);
		free(ix->entries[e].question);
		if (ix->ans_keys)
			free(ix->ans_keys[e].k);
	}
	for (size_t d = 0; d < ix->n_docs; d++)
		free(ix->docs[d].keys.k);
	for (size_t t = 0; t < ix->n_terms; t++) {
		free(ix->terms[t].docs);
		free(ix->terms[t].ans);
	}
	free(ix->ans_keys);
	free(ix->entries);
	free(ix->docs);
	free(ix->terms);
	free(ix->slots);
	free(ix);
}

static void add_doc(struct qa_index *ix, size_t entry, const char *text, size_t n)
{
	struct keys ks = {0};
	terms_of(text, n, &ks);
	if (!ks.n) {
		free(ks.k);
		return;
	}
	if (ix->n_docs == ix->cap_docs) {
		ix->cap_docs = ix->cap_docs ? ix->cap_docs * 2 : 256;
		ix->docs = xrealloc(ix->docs, ix->cap_docs * sizeof *ix->docs);
	}
	size_t d = ix->n_docs++;
	ix->docs[d] = (struct doc){.entry = entry, .keys = ks};
	for (size_t i = 0; i < ks.n; i++) {
		size_t ti = intern(ix, ks.k[i]); /* may move ix->terms */
		struct term *t = &ix->terms[ti];
		push_size(&t->docs, &t->n_docs, &t->cap_docs, d);
	}
}

/* The length of the separator of phrasings at p, or 0 (strncmp stops at the terminator). */
static size_t sep_len(const char *p)
{
	if (*p == ';' || *p == '\n')
		return 1;
	return strncmp(p, "\xEF\xBC\x9B", 3) == 0 ? 3 : 0;
}

size_t qa_index_add(struct qa_index *ix, const char *code, const char *question, const char *answer,
		    const char *phrasings)
{
	assert(!ix->built);
	if (ix->n_entries == ix->cap_entries) {
		ix->cap_entries = ix->cap_entries ? ix->cap_entries * 2 : 128;
		ix->entries = xrealloc(ix->entries, ix->cap_entries * sizeof *ix->entries);
		ix->ans_keys = xrealloc(ix->ans_keys, ix->cap_entries * sizeof *ix->ans_keys);
	}
	size_t e = ix->n_entries++;
	ix->entries[e] = (struct entry){.code = xstrdup(code ? code : ""),
					.question = xstrdup(question ? question : "")};
	memset(&ix->ans_keys[e], 0, sizeof ix->ans_keys[e]);
	add_doc(ix, e, ix->entries[e].question, strlen(ix->entries[e].question));
	/* phrasings: split on "；" (full-width), ";" and new lines */
	const char *p = phrasings ? phrasings : "";
	while (*p) {
		size_t n = 0;
		while (p[n] && !sep_len(p + n))
			n++;
		if (n)
			add_doc(ix, e, p, n);
		p += n;
		p += sep_len(p);
	}
	if (answer && *answer) {
		struct keys *ak = &ix->ans_keys[e];
		terms_of(answer, strlen(answer), ak);
		for (size_t i = 0; i < ak->n; i++) {
			size_t ti = intern(ix, ak->k[i]); /* may move ix->terms */
			struct term *t = &ix->terms[ti];
			push_size(&t->ans, &t->n_ans, &t->cap_ans, e);
		}
	}
	return e;
}

static double idf(size_t n, size_t df)
{
	return log(1.0 + ((double)n - (double)df + 0.5) / ((double)df + 0.5));
}

void qa_index_build(struct qa_index *ix)
{
	assert(!ix->built);
	size_t n = ix->n_entries;
	for (size_t t = 0; t < ix->n_terms; t++) {
		struct term *tm = &ix->terms[t];
		/* document frequency counted per entry: docs of one entry are consecutive */
		size_t df = 0, last = SIZE_MAX;
		for (size_t i = 0; i < tm->n_docs; i++) {
			size_t e = ix->docs[tm->docs[i]].entry;
			if (e != last)
				df++;
			last = e;
		}
		if (df == 0)
			df = 1; /* a term only answers use: rare, but it exists */
		tm->w = kind_weight(tm->key) * idf(n, df);
	}
	ix->unknown_idf = idf(n, 0);
	for (size_t d = 0; d < ix->n_docs; d++) {
		struct doc *doc = &ix->docs[d];
		for (size_t i = 0; i < doc->keys.n; i++) {
			double w = ix->terms[find_term(ix, doc->keys.k[i])].w;
			doc->norm += w * w;
		}
		free(doc->keys.k);
		doc->keys = (struct keys){0};
	}
	for (size_t e = 0; e < n; e++) {
		struct keys *ak = &ix->ans_keys[e];
		for (size_t i = 0; i < ak->n; i++) {
			double w = ix->terms[find_term(ix, ak->k[i])].w;
			ix->entries[e].ans_norm += w * w;
		}
		free(ak->k);
		*ak = (struct keys){0};
	}
	ix->built = 1;
}

size_t qa_index_count(const struct qa_index *ix)
{
	return ix->n_entries;
}

const char *qa_index_code(const struct qa_index *ix, size_t entry)
{
	assert(entry < ix->n_entries);
	return ix->entries[entry].code;
}

const char *qa_index_question(const struct qa_index *ix, size_t entry)
{
	assert(entry < ix->n_entries);
	return ix->entries[entry].question;
}

size_t qa_index_ask(const struct qa_index *ix, const char *text, struct qa_hit *hits, size_t max,
		    int *fallback)
{
	assert(ix->built);
	*fallback = 1;
	struct keys ks = {0};
	size_t text_len = text ? strlen(text) : 0;
	int domain = terms_of(text ? text : "",
			      text_len > QA_INDEX_MAX_QUERY ? QA_INDEX_MAX_QUERY : text_len, &ks);
	if (!ks.n || !ix->n_entries || !max) {
		free(ks.k);
		return 0;
	}
	double qnorm = 0;
	double *dot = xcalloc(ix->n_docs ? ix->n_docs : 1, sizeof *dot);
	double *adot = xcalloc(ix->n_entries, sizeof *adot);
	double *dotbi = xcalloc(ix->n_docs ? ix->n_docs : 1, sizeof *dotbi);
	double *udot = xcalloc(ix->n_entries, sizeof *udot);
	for (size_t i = 0; i < ks.n; i++) {
		size_t t = find_term(ix, ks.k[i]);
		double w;
		if (t == SIZE_MAX && (ks.k[i] & WEAK_BIT) && KEY_KIND(ks.k[i]) == KIND_BI) {
			continue;
		} else if (t == SIZE_MAX) {
			w = kind_weight(ks.k[i]) * ix->unknown_idf * UNKNOWN_FACTOR;
		} else {
			const struct term *tm = &ix->terms[t];
			w = tm->w;
			int strong = KEY_KIND(tm->key) != KIND_UNI;
			size_t last = SIZE_MAX;
			for (size_t j = 0; j < tm->n_docs; j++) {
				size_t e = ix->docs[tm->docs[j]].entry;
				if (e != last)
					udot[e] += w * w;
				last = e;
				dot[tm->docs[j]] += w * w;
				if (strong)
					dotbi[tm->docs[j]] += w * w;
			}
			for (size_t j = 0; j < tm->n_ans; j++)
				adot[tm->ans[j]] += w * w;
		}
		qnorm += w * w;
	}
	free(ks.k);
	double *best = xcalloc(ix->n_entries, sizeof *best);
	for (size_t d = 0; d < ix->n_docs; d++) {
		if (dot[d] <= 0)
			continue;
		size_t e0 = ix->docs[d].entry;
		double qcov = (1.0 - UNION_SHARE) * dot[d] / qnorm + UNION_SHARE * udot[e0] / qnorm;
		double dcov = dot[d] / ix->docs[d].norm;
		double s = pow(qcov, Q_EXP) * pow(dcov, 1.0 - Q_EXP);
		if (dotbi[d] <= 0)
			s *= UNI_ONLY; /* single characters alone are weak evidence */
		size_t e = ix->docs[d].entry;
		if (s > best[e])
			best[e] = s;
	}
	size_t n_hits = 0;
	double first = 0, second = 0; /* the two best scores, whatever max is */
	for (size_t e = 0; e < ix->n_entries; e++) {
		double s = best[e];
		if (adot[e] > 0)
			s = (1.0 - ANSWER_SHARE) * s + ANSWER_SHARE * (adot[e] / qnorm);
		else
			s = (1.0 - ANSWER_SHARE) * s;
		if (s <= 0)
			continue;
		if (s > first) {
			second = first;
			first = s;
		} else if (s > second) {
			second = s;
		}
		/* insert into the sorted top list */
		size_t pos = n_hits < max ? n_hits : max;
		while (pos > 0 && hits[pos - 1].score < s)
			pos--;
		if (pos >= max)
			continue;
		size_t last = n_hits < max ? n_hits : max - 1;
		memmove(&hits[pos + 1], &hits[pos], (last - pos) * sizeof *hits);
		hits[pos] = (struct qa_hit){.entry = e, .score = s};
		if (n_hits < max)
			n_hits++;
	}
	free(dot);
	free(dotbi);
	free(udot);
	free(adot);
	free(best);
	/* covered: the best entry reaches the threshold, or (for a question naming the bureau's
	 * matters) it reaches the margin floor and clearly beats the runner-up; an off-topic
	 * question matches many entries about equally weakly and still falls through */
	int covered = first >= (domain ? QA_INDEX_THRESHOLD_DOMAIN : QA_INDEX_THRESHOLD) ||
		      (domain && first >= QA_INDEX_MARGIN_FLOOR &&
		       first >= QA_INDEX_MARGIN_RATIO * second);
	*fallback = n_hits == 0 || !covered;
	return n_hits;
}
