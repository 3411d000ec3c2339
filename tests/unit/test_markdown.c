/* test_markdown.c - lib/markdown: the tree of a table of documents, rendered through the
 * partials/markdown template as the pages do; hostile input (script, javascript: links, raw
 * HTML, deep nesting, huge input) must come out as text or be refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/asset.h"
#include "lib/buf.h"
#include "lib/markdown.h"
#include "web/tmpl.h"

static struct tmpl_set *set;

static int setup(void **state)
{
	static const char *const names[] = {"partials/markdown", "partials/md_block",
					    "partials/md_inline"};
	struct tmpl_source src[4];
	char path[64], err[256];
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "templates/%s.html", names[i]);
		const struct embedded_file *f = asset_find(path);
		if (!f)
			return -1;
		src[i] = (struct tmpl_source){names[i], (const char *)f->data, f->len};
	}
	/* A page that includes the partial below a few levels of its own, as a portal page does. */
	static const char page[] = "{{#with body}}{{> partials/markdown}}{{/with}}";
	src[3] = (struct tmpl_source){"page", page, sizeof(page) - 1};
	if (tmpl_set_create(&set, src, 4, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	tmpl_set_free(set);
	return 0;
}

/* The HTML of text ("" and the tree NULL when refused); the caller frees it. */
static char *render(const char *text, size_t len, int *refused)
{
	json_t *tree = markdown_tree(text, len);
	*refused = tree == NULL;
	if (!tree)
		return strdup("");
	json_t *data = json_pack("{s:o}", "body", tree);
	struct buf out;
	buf_init(&out, 64u * 1024 * 1024);
	int rc = tmpl_render(set, "page", data, &out);
	json_decref(data);
	if (rc != 0)
		fail_msg("render failed: %d", rc);
	size_t n;
	return buf_detach(&out, &n);
}

static void test_table(void **state)
{
	static const struct {
		const char *in, *want;
	} v[] = {
		{"", "<div class=\"md\"></div>"},
		{"你好，世界", "<div class=\"md\"><p>你好，世界</p></div>"},
		{"第一行\n第二行", "<div class=\"md\"><p>第一行第二行</p></div>"},
		{"第一行。\n第二行", "<div class=\"md\"><p>第一行。第二行</p></div>"},
		{"line one\nline two", "<div class=\"md\"><p>line one\nline two</p></div>"},
		{"中文\nEnglish\n中文", "<div class=\"md\"><p>中文\nEnglish\n中文</p></div>"},
		{"中文\n*强调*", "<div class=\"md\"><p>中文\n<em>强调</em></p></div>"},
		{"a  \nb", "<div class=\"md\"><p>a<br>b</p></div>"},
		{"*斜* **粗** `代码`",
		 "<div class=\"md\"><p><em>斜</em> <strong>粗</strong> <code>代码</code></p></div>"},
		{"# 一\n## 二\n### 三\n#### 四",
		 "<div class=\"md\"><h2>一</h2><h3>二</h3><h4>三</h4><h4>四</h4></div>"},
		{"### 只有三级", "<div class=\"md\"><h2>只有三级</h2></div>"},
		{"- 甲\n- 乙", "<div class=\"md\"><ul><li>甲</li><li>乙</li></ul></div>"},
		{"3. 丙\n4. 丁", "<div class=\"md\"><ol start=\"3\"><li>丙</li><li>丁</li></ol></div>"},
		{"- 甲\n\n- 乙", "<div class=\"md\"><ul><li><p>甲</p></li><li><p>乙</p></li></ul></div>"},
		{"> 引文", "<div class=\"md\"><blockquote><p>引文</p></blockquote></div>"},
		{"```\nx < y && z\n```", "<div class=\"md\"><pre><code>x &lt; y &amp;&amp; z</code></pre></div>"},
		{"---", "<div class=\"md\"><hr></div>"},
		{"[政府](https://www.gov.cn/)",
		 "<div class=\"md\"><p><a href=\"https://www.gov.cn/\">政府</a></p></div>"},
		{"[本站](/news/3)", "<div class=\"md\"><p><a href=\"/news/3\">本站</a></p></div>"},
		{"[信](mailto:a@b.cn)", "<div class=\"md\"><p><a href=\"mailto:a@b.cn\">信</a></p></div>"},
		/* hostile input */
		{"<script>alert(1)</script>",
		 "<div class=\"md\"><p>&lt;script&gt;alert(1)&lt;/script&gt;</p></div>"},
		{"前<b onclick=\"x()\">中</b>后",
		 "<div class=\"md\"><p>前&lt;b onclick=&quot;x()&quot;&gt;中&lt;/b&gt;后</p></div>"},
		{"[点我](javascript:alert(1))", "<div class=\"md\"><p>点我</p></div>"},
		{"[点我](JavaScript:alert(1))", "<div class=\"md\"><p>点我</p></div>"},
		{"[点我](data:text/html,x)", "<div class=\"md\"><p>点我</p></div>"},
		{"[点我](//evil.example/)", "<div class=\"md\"><p>点我</p></div>"},
		{"[点我](vbscript:x)", "<div class=\"md\"><p>点我</p></div>"},
		{"<javascript:alert(1)>", "<div class=\"md\"><p>javascript:alert(1)</p></div>"},
		{"![图](javascript:alert(1))", "<div class=\"md\"><p>图</p></div>"},
		{"![说明 *图*](https://x.cn/a.png)", "<div class=\"md\"><p>说明 <em>图</em></p></div>"},
		{"<img src=x onerror=alert(1)>",
		 "<div class=\"md\"><p>&lt;img src=x onerror=alert(1)&gt;</p></div>"},
		{"\"引号\" & 'single'", "<div class=\"md\"><p>&quot;引号&quot; &amp; &#39;single&#39;</p></div>"},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int refused;
		char *html = render(v[i].in, strlen(v[i].in), &refused);
		if (refused || strcmp(html, v[i].want) != 0)
			fail_msg("%zu \"%s\":\n want %s\n got  %s", i, v[i].in, v[i].want, html);
		free(html);
	}
}

static void test_href(void **state)
{
	static const struct {
		const char *href;
		int ok;
	} v[] = {
		{"https://a.cn", 1}, {"HTTP://a.cn/x", 1}, {"mailto:x@y.cn", 1}, {"/a", 1},
		{"#top", 1},         {"?q=1", 1},          {"a/b:c", 1},         {"./x", 1},
		{"", 0},             {"//a.cn", 0},        {"javascript:x", 0},  {"tel:123", 0},
		{"http://", 0},      {"/a b", 0},          {"java\tscript:x", 0}, {"\\\\evil", 0},
		{"ftp://a", 0},      {"mailto:", 0},       {"data:,x", 0},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (markdown_href_ok(v[i].href) != v[i].ok)
			fail_msg("\"%s\": want %d", v[i].href, v[i].ok);
}

static size_t count_of(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* The deepest nesting of em, strong and a in html. */
static int max_depth(const char *html)
{
	int depth = 0, max = 0;
	for (const char *p = html; *p; p++) {
		if (strncmp(p, "<em>", 4) == 0 || strncmp(p, "<strong>", 8) == 0 || strncmp(p, "<a ", 3) == 0)
			max = ++depth > max ? depth : max;
		else if (strncmp(p, "</em>", 5) == 0 || strncmp(p, "</strong>", 9) == 0 ||
			 strncmp(p, "</a>", 4) == 0)
			depth--;
	}
	return max;
}

/* Nesting far past every limit renders (the template's include depth holds) and is flattened. */
static void test_deep_nesting(void **state)
{
	static const char *const unit[] = {">", "- ", "1. ", "* > "};
	for (size_t k = 0; k < sizeof(unit) / sizeof(unit[0]); k++) {
		struct buf in;
		buf_init(&in, 1u << 20);
		for (int i = 0; i < 5000; i++)
			buf_puts(&in, unit[k]);
		buf_puts(&in, "深处");
		int refused;
		char *html = render(in.data, in.len, &refused);
		assert_false(refused);
		assert_non_null(strstr(html, "深处"));
		assert_true(count_of(html, "<blockquote>") <= MARKDOWN_MAX_BLOCK_DEPTH);
		assert_true(count_of(html, "<li>") <= MARKDOWN_MAX_BLOCK_DEPTH);
		free(html);
		buf_free(&in);
	}
	/* inline nesting: emphasis and links inside each other */
	struct buf in;
	buf_init(&in, 1u << 20);
	for (int i = 0; i < 3000; i++)
		buf_puts(&in, i % 3 == 0 ? "*" : i % 3 == 1 ? "**" : "[");
	buf_puts(&in, "核心");
	for (int i = 2999; i >= 0; i--)
		buf_puts(&in, i % 3 == 0 ? "*" : i % 3 == 1 ? "**" : "](/x)");
	int refused;
	char *html = render(in.data, in.len, &refused);
	assert_false(refused);
	assert_non_null(strstr(html, "核心"));
	assert_true(max_depth(html) <= MARKDOWN_MAX_INLINE_DEPTH);
	free(html);
	buf_free(&in);
}

static void test_limits(void **state)
{
	size_t n = MARKDOWN_MAX_BYTES + 1;
	char *big = malloc(n);
	memset(big, 'a', n);
	assert_null(markdown_tree(big, n));
	/* exactly at the cap, as one paragraph: accepted */
	json_t *t = markdown_tree(big, n - 1);
	assert_non_null(t);
	json_decref(t);
	/* too many nodes: a list item per line */
	size_t len = 0;
	while (len + 4 < n - 1) {
		memcpy(big + len, "- x\n", 4);
		len += 4;
	}
	assert_null(markdown_tree(big, len));
	/* many small inlines still merge into few text nodes and stay under the count */
	for (size_t i = 0; i + 2 < n - 1; i += 2)
		memcpy(big + i, "a\\", 2);
	big[n - 2] = 'a';
	t = markdown_tree(big, n - 1);
	assert_non_null(t);
	json_decref(t);
	free(big);
	/* NUL and invalid UTF-8 become '?', never a failure */
	t = markdown_tree("a\0b\xff\xfe", 5);
	assert_non_null(t);
	json_decref(t);
	assert_null(markdown_tree(NULL, 3));
	t = markdown_tree(NULL, 0);
	assert_non_null(t);
	json_decref(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_href),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
