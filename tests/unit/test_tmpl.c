/* test_tmpl.c - template engine tests: a table of templates, data and expected output or error. */
#include "lib/buf.h"
#include "lib/err.h"
#include "web/tmpl.h"

#include <jansson.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

enum { MAX_SRC = 6 };

struct tcase {
	const char *name;
	struct {
		const char *name, *text;
	} t[MAX_SRC];
	const char *data; /* JSON; {} when NULL */
	const char *want; /* the output, or a part of the compile error */
	int rc;           /* 0; VE_INVALID from compiling; VE_LIMIT or VE_NOTFOUND from rendering */
	const char *render; /* the template rendered; the first when NULL */
	size_t cap;         /* output cap; 1 MiB when 0 */
};

#define T1(text)                                                                                   \
	{                                                                                          \
		{                                                                                  \
			"p", text                                                                  \
		}                                                                                  \
	}
#define OK(n, text, data, want)                                                                    \
	{                                                                                          \
		n, T1(text), data, want, 0, NULL, 0                                                \
	}
#define BAD(n, text, want)                                                                         \
	{                                                                                          \
		n, T1(text), NULL, want, VE_INVALID, NULL, 0                                       \
	}

static struct tcase cases[] = {
	/* literal text, escaping and values */
	OK("literal_text_as_is", "a & b < c > \"d\" 'e' &amp; }} } {", NULL,
	   "a & b < c > \"d\" 'e' &amp; }} } {"),
	OK("escape_text", "<p>{{s}}</p>", "{\"s\":\"&<>\\\"'x\"}",
	   "<p>&amp;&lt;&gt;&quot;&#39;x</p>"),
	OK("escape_attrs", "<p title=\"{{s}}\" class='{{s}}' data-x=\"a {{s}} b\">",
	   "{\"s\":\"&<>\\\"'\"}",
	   "<p title=\"&amp;&lt;&gt;&quot;&#39;\" class='&amp;&lt;&gt;&quot;&#39;' data-x=\"a "
	   "&amp;&lt;&gt;&quot;&#39; b\">"),
	OK("escape_url_attr", "<a href=\"{{u}}\">", "{\"u\":\"/a?x=1&y=\\\"2\\\"<'>\"}",
	   "<a href=\"/a?x=1&amp;y=&quot;2&quot;&lt;&#39;&gt;\">"),
	OK("escape_textarea_title", "<title>{{s}}</title><textarea>{{s}}</textarea>",
	   "{\"s\":\"</title></textarea><script>x</script>\"}",
	   "<title>&lt;/title&gt;&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;</title><textarea>"
	   "&lt;/title&gt;&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;</textarea>"),
	OK("spaces_optional", "{{s}}|{{ s }}|{{   s}}|{{s\t}}|{{\ns\n}}", "{\"s\":\"x\"}",
	   "x|x|x|x|x"),
	OK("value_types",
	   "[{{s}}][{{i}}][{{neg}}][{{r}}][{{big}}][{{small}}]"
	   "[{{t}}][{{f}}][{{n}}][{{o}}][{{a}}][{{none}}]",
	   "{\"s\":\"str\",\"i\":42,\"neg\":-7,\"r\":1.5,\"big\":1e20,\"small\":0.1,\"t\":true,"
	   "\"f\":false,\"n\":null,\"o\":{\"k\":1},\"a\":[1]}",
	   "[str][42][-7][1.5][1e+20][0.1][true][][][][][]"),
	OK("utf8_passthrough", "中文 € {{s}} ✓", "{\"s\":\"日本語 😀 \\u00e9\"}",
	   "中文 € 日本語 😀 é ✓"),
	OK("comments", "a{{! one }}b{{!multi\nline\n}}c{{ ! spaced }}d", NULL, "abcd"),
	OK("comment_in_tag", "<a {{! note }}href=\"/x\">", NULL, "<a href=\"/x\">"),
	OK("no_data", "[{{x}}]{{#if x}}y{{/if}}", "null", "[]"),

	/* paths and lookup */
	OK("path_members", "{{a.b.c}}|{{items.1.name}}|{{list.0}}|{{list.9}}|{{o.0}}|{{a.x.y}}",
	   "{\"a\":{\"b\":{\"c\":\"deep\"}},\"items\":[{\"name\":\"i0\"},{\"name\":\"i1\"}],"
	   "\"list\":[\"l0\"],\"o\":{\"0\":\"zero\"}}",
	   "deep|i1|l0||zero|"),
	OK("path_dot", "{{#each tags}}{{.}},{{/each}}{{#with s}}({{.}}){{/with}}",
	   "{\"tags\":[\"a\",\"b\",3],\"s\":\"x\"}", "a,b,3,(x)"),
	OK("lookup_outward", "{{#each items}}[{{name}}/{{title}}]{{/each}}",
	   "{\"title\":\"T\",\"name\":\"root\",\"items\":[{\"name\":\"a\"},{\"x\":1},\"str\"]}",
	   "[a/T][root/T][root/T]"),
	OK("lookup_first_segment_only", "{{#with a}}[{{b.c}}][{{d.e}}]{{/with}}",
	   "{\"a\":{\"b\":{}},\"b\":{\"c\":\"root\"},\"d\":{\"e\":\"E\"}}", "[][E]"),
	OK("lookup_null_stops", "{{#with a}}[{{x}}]{{/with}}",
	   "{\"a\":{\"x\":null},\"x\":\"root\"}", "[]"),
	OK("lookup_nested_with", "{{#with a}}{{#with b}}{{c}}{{k}}{{top}}{{/with}}{{/with}}",
	   "{\"a\":{\"k\":\"K\",\"b\":{\"c\":\"C\"}},\"top\":\"T\"}", "CKT"),
	OK("paths_names", "{{snake_case}}{{kebab-case}}{{Mixed1}}",
	   "{\"snake_case\":1,\"kebab-case\":2,\"Mixed1\":3}", "123"),

	/* each */
	OK("each_array",
	   "{{#each a}}{{@index}}/{{@number}}:{{.}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}};"
	   "{{/each}}",
	   "{\"a\":[\"x\",\"y\",\"z\"]}", "0/1:xF;1/2:y;2/3:zL;"),
	OK("each_single", "{{#each a}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}}{{/each}}",
	   "{\"a\":[1]}", "FL"),
	OK("each_object", "{{#each o}}{{@index}}:{{key}}={{value}}{{#if @last}}!{{/if}};{{/each}}",
	   "{\"o\":{\"b\":1,\"a\":\"two\",\"c\":null}}", "0:b=1;1:a=two;2:c=!;"),
	OK("each_object_values", "{{#each users}}{{key}}:{{value.name}},{{/each}}",
	   "{\"users\":{\"u1\":{\"name\":\"Li\"},\"u2\":{\"name\":\"Wang\"}}}", "u1:Li,u2:Wang,"),
	OK("each_pair_itself", "{{#each o}}{{#each .}}{{key}}={{value}};{{/each}}{{/each}}",
	   "{\"o\":{\"k\":\"v\"}}", "key=k;value=v;"),
	OK("each_else",
	   "{{#each a}}x{{else}}A{{/each}}{{#each m}}x{{else}}M{{/each}}{{#each o}}x{{else}}O{{/"
	   "each}}{{#each s}}x{{else}}S{{/each}}{{#each n}}x{{else}}N{{/each}}",
	   "{\"a\":[],\"o\":{},\"s\":\"str\",\"n\":null}", "AMOSN"),
	OK("each_nested_index",
	   "{{#each rows}}{{#each .}}{{@index}}{{/each}}|{{#with .}}{{@index}}{{/with}};{{/each}}",
	   "{\"rows\":[[1,2],[3]]}", "01|0;0|1;"),
	OK("loop_vars_outside_loop", "[{{@index}}{{@number}}{{@first}}{{@last}}]", NULL, "[]"),
	OK("each_else_context", "{{#each a}}x{{else}}{{t}}{{@index}}{{/each}}",
	   "{\"a\":[],\"t\":\"T\"}", "T"),

	/* if, unless, ifeq, with */
	OK("truthiness",
	   "{{#if z}}T{{else}}F{{/if}}{{#if o}}T{{else}}F{{/if}}{{#if e}}T{{else}}F{{/if}}{{#if "
	   "s}}T{{else}}F{{/if}}{{#if ea}}T{{else}}F{{/if}}{{#if a}}T{{else}}F{{/if}}{{#if "
	   "eo}}T{{else}}F{{/if}}{{#if ob}}T{{else}}F{{/if}}{{#if n}}T{{else}}F{{/if}}{{#if "
	   "f}}T{{else}}F{{/if}}{{#if t}}T{{else}}F{{/if}}{{#if r0}}T{{else}}F{{/if}}{{#if "
	   "r}}T{{else}}F{{/if}}{{#if missing}}T{{else}}F{{/if}}",
	   "{\"z\":0,\"o\":1,\"e\":\"\",\"s\":\"x\",\"ea\":[],\"a\":[0],\"eo\":{},\"ob\":{\"a\":0},"
	   "\"n\":null,\"f\":false,\"t\":true,\"r0\":0.0,\"r\":0.5}",
	   "FTFTFTFTFFTFTF"),
	OK("if_without_else", "{{#if t}}yes{{/if}}{{#if f}}no{{/if}}", "{\"t\":1,\"f\":0}", "yes"),
	OK("unless", "{{#unless f}}A{{/unless}}{{#unless t}}B{{else}}C{{/unless}}",
	   "{\"t\":1,\"f\":0}", "AC"),
	OK("ifeq",
	   "{{#ifeq s n}}1{{else}}x{{/ifeq}}{{#ifeq s \"5\"}}2{{/ifeq}}{{#ifeq t "
	   "\"true\"}}3{{/ifeq}}"
	   "{{#ifeq missing \"\"}}4{{/ifeq}}{{#ifeq q \"a\\\"b\\\\c\"}}5{{/ifeq}}{{#ifeq s "
	   "\"6\"}}x{{else}}6{{/ifeq}}{{#ifeq \"}}\" \"}}\"}}7{{/ifeq}}{{#ifeq r "
	   "\"1.5\"}}8{{/ifeq}}",
	   "{\"s\":\"5\",\"n\":5,\"t\":true,\"q\":\"a\\\"b\\\\c\",\"r\":1.5}", "12345678"),
	OK("ifeq_loop_var", "{{#each a}}{{#ifeq @index \"1\"}}[{{.}}]{{/ifeq}}{{/each}}",
	   "{\"a\":[\"x\",\"y\"]}", "[y]"),
	OK("ifeq_utf8", "{{#ifeq city \"北京\"}}京{{/ifeq}}", "{\"city\":\"北京\"}", "京"),
	OK("with",
	   "{{#with u}}{{name}}@{{org}}{{/with}}{{#with none}}x{{/with}}{{#with e}}x{{/with}}",
	   "{\"u\":{\"name\":\"Li\"},\"org\":\"Org\",\"e\":{}}", "Li@Org"),

	/* filters */
	OK("yuan",
	   "{{a|yuan}} {{b|yuan}} {{c|yuan}} {{d|yuan}} {{e|yuan}} {{f|yuan}} {{g|yuan}} {{h | "
	   "yuan}} "
	   "[{{s|yuan}}][{{m|yuan}}] {{min|yuan}}",
	   "{\"a\":0,\"b\":5,\"c\":100,\"d\":123456789,\"e\":-150,\"f\":-5,\"g\":99999,\"h\":"
	   "100000,"
	   "\"s\":\"100\",\"min\":-9223372036854775808}",
	   "0.00 0.05 1.00 1,234,567.89 -1.50 -0.05 999.99 1,000.00 [][] "
	   "-92,233,720,368,547,758.08"),
	OK("count",
	   "{{a|count}} {{b|count}} {{c|count}} {{d|count}} [{{s|count}}] {{min|count}}",
	   "{\"a\":0,\"b\":999,\"c\":1496,\"d\":-45210,\"s\":\"100\","
	   "\"min\":-9223372036854775808}",
	   "0 999 1,496 -45,210 [] -9223372036854775808"),
	OK("yuan_in_loop", "{{#each p}}{{@index|yuan}};{{/each}}", "{\"p\":[0,0]}", "0.00;0.01;"),
	OK("len",
	   "{{cjk|len}} {{mixed|len}} {{emoji|len}} {{a|len}} {{o|len}} {{e|len}} {{missing|len}} "
	   "{{n|len}}",
	   "{\"cjk\":\"中文字符\",\"mixed\":\"a中b\",\"emoji\":\"😀\",\"a\":[1,2,3],\"o\":{\"x\":1,"
	   "\"y\":2},\"e\":\"\",\"n\":12}",
	   "4 3 1 3 2 0 0 0"),

	/* includes */
	{"include_context",
	 {{"p", "<table>{{#each users}}{{> row}}{{/each}}</table>"},
	  {"row", "<tr><td>{{@number}}</td><td>{{name}}</td><td>{{site}}</td></tr>"}},
	 "{\"site\":\"S\",\"users\":[{\"name\":\"a\"},{\"name\":\"<b>\"}]}",
	 "<table><tr><td>1</td><td>a</td><td>S</td></tr><tr><td>2</td><td>&lt;b&gt;</td><td>S</"
	 "td></"
	 "tr></table>",
	 0,
	 NULL,
	 0},
	{"include_names",
	 {{"p", "{{> parts/nav.html}}|{{>parts/nav.html}}"}, {"parts/nav.html", "N"}},
	 NULL,
	 "N|N",
	 0,
	 NULL,
	 0},
	{"include_cycle_self", {{"p", "x{{> p}}"}}, NULL, NULL, VE_LIMIT, NULL, 0},
	{"include_cycle_mutual",
	 {{"p", "{{> q}}"}, {"q", "{{> p}}"}},
	 NULL,
	 NULL,
	 VE_LIMIT,
	 NULL,
	 0},
	{"include_unknown",
	 {{"p", "{{> nope}}"}},
	 NULL,
	 "line 1: unknown template 'nope'",
	 VE_INVALID,
	 NULL,
	 0},

	/* layouts */
	{"layout_defaults",
	 {{"base",
	   "<title>{{#block title}}Default{{/block}}</title>{{#block body}}<p>none</p>{{/block}}"}},
	 NULL,
	 "<title>Default</title><p>none</p>",
	 0,
	 NULL,
	 0},
	{"layout_override",
	 {{"page",
	   "\n  {{! a page }}\n{{extends \"base\"}}\nignored {{x}} {{#if x}}ignored{{/if}}\n"
	   "{{#block body}}<main>{{x}}</main>{{/block}} more ignored"},
	  {"base",
	   "<title>{{#block title}}Default{{/block}}</title>{{#block body}}<p>none</p>{{/block}}"}},
	 "{\"x\":\"X\"}",
	 "<title>Default</title><main>X</main>",
	 0,
	 NULL,
	 0},
	{"layout_bom_crlf",
	 {{"page", "\xEF\xBB\xBF\r\n{{extends \"base\"}}\r\n{{#block b}}P\r\n{{/block}}"},
	  {"base", "<p>\r\n{{#block b}}{{/block}}</p>\r\n"}},
	 NULL,
	 "<p>\r\nP\r\n</p>\r\n",
	 0,
	 NULL,
	 0},
	{"layout_chain",
	 {{"page",
	   "{{extends \"mid\"}}{{#block side}}page-side{{/block}}{{#block title}}PT{{/block}}"},
	  {"mid",
	   "{{extends \"base\"}}{{#block body}}<mid>{{#block side}}mid-side{{/block}}|{{#block "
	   "extra}}mid-extra{{/block}}</mid>{{/block}}{{#block title}}MT{{/block}}"},
	  {"base",
	   "<t>{{#block title}}BT{{/block}}</t>{{#block body}}base-body{{/block}}<f>{{#block "
	   "foot}}BF{{/block}}</f>"}},
	 NULL,
	 "<t>PT</t><mid>page-side|mid-extra</mid><f>BF</f>",
	 0,
	 NULL,
	 0},
	{"layout_chain_middle",
	 {{"mid",
	   "{{extends \"base\"}}{{#block body}}<mid>{{#block side}}mid-side{{/block}}</mid>{{/"
	   "block}}"},
	  {"base", "<t>{{#block title}}BT{{/block}}</t>{{#block body}}base-body{{/block}}"}},
	 NULL,
	 "<t>BT</t><mid>mid-side</mid>",
	 0,
	 NULL,
	 0},
	{"layout_block_context",
	 {{"page",
	   "{{extends \"base\"}}{{#block title}}{{t}} - 首页{{/block}}{{#block cls}}{{c}}{{/"
	   "block}}{{#block body}}{{#each a}}{{> item}}{{/each}}{{/block}}"},
	  {"base", "<title>{{#block title}}{{/block}}</title><body class=\"{{#block cls}}{{/"
		   "block}}\">{{#block body}}{{/block}}</body>"},
	  {"item", "<i>{{.}}</i>"}},
	 "{\"t\":\"<T>\",\"c\":\"a\\\"b\",\"a\":[1,2]}",
	 "<title>&lt;T&gt; - 首页</title><body class=\"a&quot;b\"><i>1</i><i>2</i></body>",
	 0,
	 NULL,
	 0},
	{"layout_block_in_loop",
	 {{"page", "{{extends \"base\"}}{{#block row}}[{{.}}]{{/block}}"},
	  {"base", "{{#each a}}{{#block row}}{{.}}{{/block}}{{/each}}"}},
	 "{\"a\":[1,2]}",
	 "[1][2]",
	 0,
	 NULL,
	 0},
	{"layout_block_in_url",
	 {{"page", "{{extends \"base\"}}{{#block css}}{{u}}{{/block}}"},
	  {"base", "<link href=\"{{#block css}}/app.css{{/block}}\">{{#block x}}{{/block}}"}},
	 "{\"u\":\"javascript:x\"}",
	 "<link href=\"#blocked\">",
	 0,
	 NULL,
	 0},
	{"layout_block_in_url_default",
	 {{"page", "{{extends \"base\"}}{{#block css}}{{u}}{{/block}}"},
	  {"base", "<link href=\"{{#block css}}/app.css{{/block}}\">"}},
	 NULL,
	 "<link href=\"/app.css\">",
	 0,
	 "base",
	 0},
	{"layout_block_wrong_context",
	 {{"page", "{{extends \"base\"}}{{#block js}}var x = {{x}};{{/block}}"},
	  {"base", "<script>{{#block js}}{{/block}}</script>"}},
	 NULL,
	 "template page line 1: output inside <script>",
	 VE_INVALID,
	 NULL,
	 0},
	{"layout_block_breaks_context",
	 {{"page", "{{extends \"base\"}}{{#block b}}<a href=\"{{/block}}"},
	  {"base", "{{#block b}}{{/block}}"}},
	 NULL,
	 "block 'b' starts in HTML text but ends in an attribute value",
	 VE_INVALID,
	 NULL,
	 0},
	{"layout_block_other_context",
	 {{"page",
	   "{{extends \"base\"}}{{#block body}}<title>{{#block x}}{{/block}}</title>{{/block}}"},
	  {"base", "{{#block body}}{{/block}}{{#block x}}{{/block}}"}},
	 NULL,
	 "block 'x' stands in <title> here but in HTML text in the layout",
	 VE_INVALID,
	 NULL,
	 0},
	{"layout_ifeq_pair",
	 {{"p",
	   "{{#each o}}{{#ifeq . \"\"}}[{{key}}]{{/ifeq}}{{#with .}}{{value}}{{/with}}{{/each}}"}},
	 "{\"o\":{\"k\":\"v\"}}",
	 "[k]v",
	 0,
	 NULL,
	 0},
	{"layout_unknown_block",
	 {{"page", "{{extends \"base\"}}{{#block tilte}}x{{/block}}"},
	  {"base", "{{#block title}}{{/block}}"}},
	 NULL,
	 "block 'tilte' is not in layout 'base'",
	 VE_INVALID,
	 NULL,
	 0},
	{"layout_unknown",
	 {{"page", "{{extends \"nope\"}}"}},
	 NULL,
	 "unknown layout 'nope'",
	 VE_INVALID,
	 NULL,
	 0},
	{"layout_not_first",
	 {{"page", "x{{extends \"base\"}}"}, {"base", ""}},
	 NULL,
	 "{{extends}} must be the first tag",
	 VE_INVALID,
	 NULL,
	 0},
	{"layout_cycle",
	 {{"a", "{{extends \"b\"}}"}, {"b", "{{extends \"a\"}}"}},
	 NULL,
	 "cycle",
	 VE_INVALID,
	 NULL,
	 0},
	{"layout_self", {{"a", "{{extends \"a\"}}"}}, NULL, "cycle", VE_INVALID, NULL, 0},
	{"layout_block_twice",
	 {{"a", "{{#block x}}{{/block}}{{#block x}}{{/block}}"}},
	 NULL,
	 "block 'x' defined twice",
	 VE_INVALID,
	 NULL,
	 0},
	{"layout_block_in_section",
	 {{"page", "{{extends \"base\"}}{{#if a}}{{#block x}}{{/block}}{{/if}}"},
	  {"base", "{{#block x}}{{/block}}"}},
	 NULL,
	 "{{#block}} inside a section",
	 VE_INVALID,
	 NULL,
	 0},
	{"layout_else_in_block",
	 {{"a", "{{#block x}}a{{else}}b{{/block}}"}},
	 NULL,
	 "{{else}} is not allowed here",
	 VE_INVALID,
	 NULL,
	 0},
	{"layout_extends_unquoted",
	 {{"a", "{{extends base}}"}, {"base", ""}},
	 NULL,
	 "{{extends}} needs a quoted layout name",
	 VE_INVALID,
	 NULL,
	 0},

	/* URL checking */
	OK("url_attrs",
	   "<a href=\"{{j}}\"><img src=\"{{j}}\" srcset=\"{{j}}\" poster=\"{{j}}\"><form "
	   "action=\"{{j}}\"><button formaction=\"{{j}}\"><q cite=\"{{j}}\"><object "
	   "data=\"{{j}}\"><use xlink:href=\"{{j}}\"><A HREF='{{j}}'><a title=\"{{j}}\">",
	   "{\"j\":\"javascript:alert(1)\"}",
	   "<a href=\"#blocked\"><img src=\"#blocked\" srcset=\"#blocked\" "
	   "poster=\"#blocked\"><form "
	   "action=\"#blocked\"><button formaction=\"#blocked\"><q cite=\"#blocked\"><object "
	   "data=\"#blocked\"><use xlink:href=\"#blocked\"><A HREF='#blocked'><a "
	   "title=\"javascript:alert(1)\">"),
	OK("url_after_static_path", "<a href=\"/u/{{x}}?q={{x}}#{{x}}\">",
	   "{\"x\":\"javascript:x\"}", "<a href=\"/u/javascript:x?q=javascript:x#javascript:x\">"),
	OK("url_after_slash", "<a href=\"/{{x}}\"><a href=\"/{{y}}\">",
	   "{\"x\":\"/evil.com\",\"y\":\"ok\"}", "<a href=\"/#blocked\"><a href=\"/ok\">"),
	OK("url_after_scheme_chars", "<a href=\"java{{x}}\"><a href=\"page{{y}}\">",
	   "{\"x\":\"script:alert(1)\",\"y\":\"2.html\"}",
	   "<a href=\"java#blocked\"><a href=\"page2.html\">"),
	OK("url_two_outputs",
	   "<a href=\"{{a}}{{b}}\"><a href=\"{{e}}{{w}}\"><a href=\"{{h}}{{w}}\"><a "
	   "href=\"{{e}}/{{w}}\">",
	   "{\"a\":\"java\",\"b\":\"script:x\",\"e\":\"\",\"w\":\"//evil\",\"h\":\"https://x\"}",
	   "<a href=\"java#blocked\"><a href=\"#blocked\"><a href=\"https://x//evil\"><a "
	   "href=\"/#blocked\">"),
	OK("url_static_scheme", "<a href=\"https://example.com/{{p}}\"><a href=\"mailto:{{m}}\">",
	   "{\"p\":\"a:b\",\"m\":\"x@y.cn\"}",
	   "<a href=\"https://example.com/a:b\"><a href=\"mailto:x@y.cn\">"),
	OK("url_in_sections",
	   "<a href=\"{{#if a}}/x/{{else}}{{/if}}{{u}}\"><a href=\"{{#each l}}{{.}}{{/each}}\">",
	   "{\"a\":false,\"u\":\"javascript:x\",\"l\":[\"java\",\"script:x\"]}",
	   "<a href=\"#blocked\"><a href=\"java#blocked\">"),
	OK("url_loop", "<a href=\"{{#each l}}/{{.}}{{/each}}\">", "{\"l\":[\"/evil\",\"x:y\"]}",
	   "<a href=\"/#blocked/x:y\">"),
	OK("url_static_only_is_literal", "<a href=\"javascript:void(0)\">{{x}}</a>", "{\"x\":1}",
	   "<a href=\"javascript:void(0)\">1</a>"),

	/* contexts where outputs are refused */
	BAD("ctx_script", "<script>var x = {{x}};</script>", "output inside <script>"),
	BAD("ctx_script_attrs", "<script type=\"text/javascript\">{{x}}</script>",
	    "output inside <script>"),
	BAD("ctx_script_end_lookalike", "<script>a = \"</scr\" + \"ipt>\"; {{x}}</script>",
	    "output inside <script>"),
	BAD("ctx_script_comment", "<script><!-- x --></script>", "\"<!--\" inside <script>"),
	BAD("ctx_style", "<style>p { color: {{c}} }</style>", "output inside <style>"),
	BAD("ctx_noscript", "<noscript>{{x}}</noscript>", "output inside <xmp>"),
	BAD("ctx_onclick", "<a onclick=\"go('{{x}}')\">", "on* event handler"),
	BAD("ctx_onclick_upper", "<a ONMOUSEOVER='{{x}}'>", "on* event handler"),
	BAD("ctx_style_attr", "<p style=\"color: {{c}}\">", "style or srcdoc"),
	BAD("ctx_srcdoc", "<iframe srcdoc=\"{{x}}\">", "style or srcdoc"),
	BAD("ctx_unquoted", "<a href={{x}}>", "unquoted attribute value"),
	BAD("ctx_unquoted_inside", "<p class=a{{x}}>", "unquoted attribute value"),
	BAD("ctx_attr_position", "<div {{x}}>", "tag's name or attribute name"),
	BAD("ctx_attr_name", "<div data-{{x}}=\"1\">", "tag's name or attribute name"),
	BAD("ctx_after_attr", "<div a=\"1\"{{x}}>", "tag's name or attribute name"),
	BAD("ctx_tag_name", "<{{x}}>", "right after '<'"),
	BAD("ctx_tag_name2", "<h{{x}}>", "tag's name"),
	BAD("ctx_end_tag", "</{{x}}>", "right after '<'"),
	BAD("ctx_title_end", "<title></{{x}}</title>", "right after '<'"),
	BAD("ctx_comment", "<!-- {{x}} -->", "HTML comment"),
	BAD("ctx_comment_multiline", "<!--\n--\n{{x}} -->", "HTML comment"),
	BAD("ctx_doctype", "<!DOCTYPE {{x}}>", "HTML comment or <! > declaration"),
	BAD("ctx_js_url", "<a href=\"javascript:{{x}}\">", "scheme other than"),
	BAD("ctx_js_url_spaced", "<a href=\" JavaScript:go({{x}})\">", "scheme other than"),
	BAD("ctx_data_url", "<img src=\"data:image/png;base64,{{x}}\">", "scheme other than"),
	BAD("ctx_entity_scheme", "<a href=\"javascript&#58;{{x}}\">", "scheme other than"),
	BAD("ctx_scheme_after_output", "<a href=\"{{x}}:go\">", "':' or '&' after an output"),
	BAD("ctx_scheme_via_section", "<a href=\"{{#if a}}java{{/if}}script:{{x}}\">",
	    "':' or '&' after an output"),
	BAD("ctx_ambiguous_attr", "<a {{#if x}}on{{/if}}click=\"{{y}}\">", "ambiguous"),
	BAD("ctx_branches_differ", "{{#if a}}<a href=\"{{else}}<b>{{/if}}\">",
	    "branches of {{#if}} end in different HTML contexts"),
	BAD("ctx_each_unbalanced", "{{#each a}}<a href=\"{{/each}}\">", "body of {{#each}}"),
	BAD("ctx_include_in_attr", "<p class=\"{{> p}}\">", "includes belong in HTML text"),
	BAD("ctx_ends_in_tag", "<a href=\"x", "template ends inside an attribute value"),
	BAD("ctx_ends_in_script", "<script>", "template ends inside <script>"),
	OK("ctx_static_text_fine",
	   "<script>var a = \"<b>\"; if (a < b && c > d) {}</script><style>p>a{color:red}</style>"
	   "<a onclick=\"go()\" style=\"x\" href=javascript:void(0)><!-- {{! c }} --><p>{{x}}</p>",
	   "{\"x\":\"<\"}",
	   "<script>var a = \"<b>\"; if (a < b && c > d) {}</script><style>p>a{color:red}</style>"
	   "<a onclick=\"go()\" style=\"x\" href=javascript:void(0)><!--  --><p>&lt;</p>"),
	OK("ctx_after_raw_text",
	   "<script>1</script ><p>{{x}}</p><STYLE>a</Style>{{x}}<!-- - -- -->{{x}}",
	   "{\"x\":\"y\"}", "<script>1</script ><p>y</p><STYLE>a</Style>y<!-- - -- -->y"),
	OK("ctx_boolean_attrs",
	   "<option value=\"{{v}}\"{{#if s}} selected{{/if}}>{{#each o}}<input {{#if "
	   "@first}}checked{{/"
	   "if}} name=\"{{.}}\">{{/each}}",
	   "{\"v\":\"1\",\"s\":true,\"o\":[\"a\",\"b\"]}",
	   "<option value=\"1\" selected><input checked name=\"a\"><input  name=\"b\">"),
	OK("ctx_section_after_tag_name",
	   "<ul>{{#each m}}<li{{#ifeq . sel}} class=\"on\"{{/ifeq}}>{{.}}</li>{{/each}}</ul>",
	   "{\"m\":[\"a\",\"b\"],\"sel\":\"b\"}", "<ul><li>a</li><li class=\"on\">b</li></ul>"),
	BAD("ctx_section_in_tag_name", "<l{{#if a}}i{{/if}}nk href=\"{{u}}\">",
	    "branches of {{#if}}"),
	OK("ctx_self_closing", "<br/><img src=\"{{u}}\" /><input disabled/>{{x}}<br / >{{x}}",
	   "{\"u\":\"/i.png\",\"x\":\"<\"}",
	   "<br/><img src=\"/i.png\" /><input disabled/>&lt;<br / >&lt;"),
	OK("ctx_bogus_and_odd_tags",
	   "<?xml version=\"1.0\"?>{{x}}</>{{x}}</ x>{{x}}< {{x}}<!>{{x}}", "{\"x\":1}",
	   "<?xml version=\"1.0\"?>1</>1</ x>1< 1<!>1"),
	OK("ctx_comment_endings", "<!-- a --!>{{x}}<!-->{{x}}<!--->{{x}}<!-- <!-- -->{{x}}",
	   "{\"x\":1}", "<!-- a --!>1<!-->1<!--->1<!-- <!-- -->1"),
	BAD("ctx_comment_not_ended", "<!-- --!- {{x}} -->", "HTML comment"),
	BAD("ctx_plaintext", "<plaintext>{{x}}", "output after <plaintext>"),
	BAD("ctx_script_upper_end", "<script></SCRIPTX>{{x}}</script>", "output inside <script>"),
	OK("ctx_script_upper", "<SCRIPT>1</SCRIPT>{{x}}", "{\"x\":1}", "<SCRIPT>1</SCRIPT>1"),
	OK("ctx_class_sections", "<li class=\"{{#if a}}active{{/if}} {{c}}\">",
	   "{\"a\":1,\"c\":\"x\"}", "<li class=\"active x\">"),

	/* syntax errors */
	BAD("err_unclosed", "a\nb\n{{#if x}}", "template p line 3: {{#if}} is never closed"),
	BAD("err_close_without_open", "{{/if}}", "{{/if}} without {{#if}}"),
	BAD("err_mismatched", "{{#if a}}\n{{/each}}", "line 2: {{/each}} does not close {{#if}}"),
	BAD("err_else_top", "{{else}}", "{{else}} outside a section"),
	BAD("err_two_else", "{{#if a}}1{{else}}2{{else}}3{{/if}}", "{{else}} is not allowed here"),
	BAD("err_else_in_with", "{{#with a}}1{{else}}2{{/with}}", "{{else}} is not allowed here"),
	BAD("err_unknown_section", "{{#foo x}}{{/foo}}", "unknown tag {{#foo x}}"),
	BAD("err_handlebars_raw", "{{{x}}}", "bad path '{x'"),
	BAD("err_caret", "{{^x}}", "bad path '^x'"),
	BAD("err_unterminated", "abc {{x", "unterminated {{"),
	BAD("err_unterminated_comment", "abc {{! x", "unterminated comment"),
	BAD("err_empty_tag", "{{ }}", "empty tag"),
	BAD("err_path_dots", "{{a..b}}", "bad path 'a..b'"),
	BAD("err_path_leading_dot", "{{.a}}", "bad path '.a'"),
	BAD("err_path_trailing_dot", "{{a.}}", "bad path 'a.'"),
	BAD("err_path_at", "{{@key}}", "bad path '@key'"),
	BAD("err_path_two_words", "{{a b}}", "unexpected 'b'"),
	BAD("err_if_no_path", "{{#if}}{{/if}}", "expected a path"),
	BAD("err_if_literal", "{{#if \"x\"}}{{/if}}", "expected a path"),
	BAD("err_ifeq_one_arg", "{{#ifeq a}}{{/ifeq}}", "expected a path"),
	BAD("err_bad_literal", "{{#ifeq a \"\\n\"}}{{/ifeq}}", "bad string literal"),
	BAD("err_unknown_filter", "{{a | json}}", "unknown filter 'json'"),
	BAD("err_empty_filter", "{{a |}}", "unknown filter ''"),
	BAD("err_filter_chain", "{{a | len | yuan}}", "unexpected '|'"),
	BAD("err_filter_in_section", "{{#if a | len}}{{/if}}", "unexpected '|'"),
	BAD("err_close_args", "{{#if a}}{{/if a}}", "unexpected 'a' in closing tag"),
	BAD("err_block_name", "{{#block a.b}}{{/block}}", "{{#block}} needs a name"),
	BAD("err_nested_too_deep",
	    "{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if "
	    "a}}{{#if "
	    "a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if "
	    "a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if "
	    "a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}{{#if a}}",
	    "sections nested deeper than 32"),
	{"err_duplicate_name",
	 {{"a", "x"}, {"a", "y"}},
	 NULL,
	 "template a line 1: name used twice",
	 VE_INVALID,
	 NULL,
	 0},
	{"err_names_other_template",
	 {{"ok", "fine"}, {"broken", "\n{{#if}}"}},
	 NULL,
	 "template broken line 2:",
	 VE_INVALID,
	 NULL,
	 0},

	/* rendering limits and names */
	{"render_unknown", T1("x"), NULL, NULL, VE_NOTFOUND, "nope", 0},
	{"render_cap", T1("{{s}}{{s}}"), "{\"s\":\"12345\"}", NULL, VE_LIMIT, NULL, 8},
	{"render_cap_escape", T1("{{s}}"), "{\"s\":\"<<\"}", NULL, VE_LIMIT, NULL, 7},
	{"render_cap_exact", T1("ab{{s}}"), "{\"s\":\"<\"}", "ab&lt;", 0, NULL, 6},
	{"render_cap_text", T1("0123456789"), NULL, NULL, VE_LIMIT, NULL, 9},
};

static void run_case(void **state)
{
	const struct tcase *tc = *state;
	struct tmpl_source src[MAX_SRC];
	struct tmpl_set *set = NULL;
	char err[512] = "";
	size_t n = 0;
	json_error_t je;
	json_t *data;
	struct buf b;
	int rc;
	while (n < MAX_SRC && tc->t[n].name) {
		src[n] = (struct tmpl_source){tc->t[n].name, tc->t[n].text, strlen(tc->t[n].text)};
		n++;
	}
	rc = tmpl_set_create(&set, src, n, err, sizeof(err));
	if (tc->rc == VE_INVALID) {
		if (rc != VE_INVALID || !strstr(err, tc->want))
			fail_msg("want error containing \"%s\", got %d \"%s\"", tc->want, rc, err);
		assert_null(set);
		return;
	}
	if (rc)
		fail_msg("compile: %s", err);
	data = json_loads(tc->data ? tc->data : "{}", JSON_DECODE_ANY, &je);
	if (!data && strcmp(tc->data, "null") != 0)
		fail_msg("bad test data: %s", je.text);
	buf_init(&b, tc->cap ? tc->cap : 1u << 20);
	rc = tmpl_render(set, tc->render ? tc->render : src[0].name, data, &b);
	assert_int_equal(rc, tc->rc);
	if (rc == 0)
		assert_string_equal(buf_cstr(&b), tc->want);
	else
		assert_int_equal(b.len, 0);
	buf_free(&b);
	json_decref(data);
	tmpl_set_free(set);
}

/* Compiles one template, renders it with data (a JSON text) and returns the output (to free). */
static char *render1(const char *text, const char *data, int *rc)
{
	struct tmpl_source src = {"t", text, strlen(text)};
	struct tmpl_set *set;
	char err[256];
	json_t *j = json_loads(data, JSON_DECODE_ANY, NULL);
	struct buf b;
	assert_non_null(j);
	if (tmpl_set_create(&set, &src, 1, err, sizeof(err)))
		fail_msg("compile: %s", err);
	buf_init(&b, 1u << 20);
	*rc = tmpl_render(set, "t", j, &b);
	tmpl_set_free(set);
	json_decref(j);
	return buf_detach(&b, NULL);
}

/* Values written at the start of a URL attribute: allowed as they are or replaced by #blocked. */
static void test_url_values(void **state)
{
	static const struct {
		const char *value; /* JSON string */
		int ok;
	} v[] = {
		{"\"javascript:alert(1)\"", 0},
		{"\"JAVASCRIPT:alert(1)\"", 0},
		{"\"JaVaScRiPt:alert(1)\"", 0},
		{"\" javascript:alert(1)\"", 0},
		{"\"\\u0001\\u0002javascript:alert(1)\"", 0},
		{"\"\\t\\njavascript:alert(1)\"", 0},
		{"\"java\\tscript:alert(1)\"", 0},
		{"\"java\\nscript:alert(1)\"", 0},
		{"\"vbscript:msgbox(1)\"", 0},
		{"\"data:text/html,<script>alert(1)</script>\"", 0},
		{"\"DATA:text/html;base64,PHNjcmlwdD4=\"", 0},
		{"\"file:///etc/passwd\"", 0},
		{"\"//evil.com\"", 0},
		{"\" //evil.com\"", 0},
		{"\"\\\\\\\\evil.com\"", 0},
		{"\"/\\\\evil.com\"", 0},
		{"\"/\\t/evil.com\"", 0},
		{"\"http:evil.com\"", 0},
		{"\"a:b/c\"", 0},
		{"\"\"", 1},
		{"\"/\"", 1},
		{"\"/users/1\"", 1},
		{"\"/a:b\"", 1},
		{"\"#top\"", 1},
		{"\"?page=2&q=a:b\"", 1},
		{"\"./x:y\"", 1},
		{"\"../up\"", 1},
		{"\"users/1\"", 1},
		{"\"page.html\"", 1},
		{"\"a/b:c\"", 1},
		{"\"http://example.com/\"", 1},
		{"\"HTTPS://EXAMPLE.COM\"", 1},
		{"\"mailto:a@b.cn\"", 1},
		{"\"tel:+86-10-1234\"", 1},
		{"\" /padded\"", 1},
		{"\"中文/路径\"", 1},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char data[256], want[512];
		const char *s;
		json_t *j;
		int rc;
		char *out;
		snprintf(data, sizeof(data), "{\"u\":%s}", v[i].value);
		j = json_loads(data, 0, NULL);
		assert_non_null(j);
		s = json_string_value(json_object_get(j, "u"));
		if (v[i].ok) {
			struct buf e;
			buf_init(&e, 4096);
			buf_html_escape(&e, s, strlen(s));
			snprintf(want, sizeof(want), "<a href=\"%s\"><img src='%s'>", buf_cstr(&e),
				 buf_cstr(&e));
			buf_free(&e);
		} else {
			snprintf(want, sizeof(want), "<a href=\"#blocked\"><img src='#blocked'>");
		}
		out = render1("<a href=\"{{u}}\"><img src='{{u}}'>", data, &rc);
		assert_int_equal(rc, 0);
		if (strcmp(out, want) != 0)
			fail_msg("value %s: got %s, want %s", v[i].value, out, want);
		free(out);
		json_decref(j);
	}
}

/* Includes nest to 16 levels; the 17th is refused. */
static void test_include_depth(void **state)
{
	const char *r = "{{#with a}}x{{> t}}{{/with}}";
	for (int depth = 15; depth <= 17; depth++) {
		char data[512] = "";
		char *out;
		int rc;
		for (int i = 0; i < depth; i++)
			strcat(data, "{\"a\":");
		strcat(data, "{\"a\":false}");
		for (int i = 0; i < depth; i++)
			strcat(data, "}");
		out = render1(r, data, &rc);
		if (depth <= 16) {
			assert_int_equal(rc, 0);
			assert_int_equal(strlen(out), (size_t)depth);
		} else {
			assert_int_equal(rc, VE_LIMIT);
		}
		free(out);
	}
}

/* Up to 16 layouts may stand above a page. */
static void test_layout_depth(void **state)
{
	static char text[20][64];
	static char names[20][8];
	struct tmpl_source src[20];
	struct tmpl_set *set;
	char err[256];
	for (int n = 17; n <= 18; n++) {
		for (int i = 0; i < n; i++) {
			snprintf(names[i], sizeof(names[i]), "l%d", i);
			if (i + 1 < n)
				snprintf(text[i], sizeof(text[i]), "{{extends \"l%d\"}}", i + 1);
			else
				snprintf(text[i], sizeof(text[i]), "{{#block b}}x{{/block}}");
			src[i] = (struct tmpl_source){names[i], text[i], strlen(text[i])};
		}
		if (n == 17) {
			struct buf b;
			assert_int_equal(tmpl_set_create(&set, src, (size_t)n, err, sizeof(err)),
					 0);
			buf_init(&b, 100);
			assert_int_equal(tmpl_render(set, "l0", NULL, &b), 0);
			assert_string_equal(buf_cstr(&b), "x");
			buf_free(&b);
			tmpl_set_free(set);
		} else {
			struct tmpl_source rev[20];
			assert_int_equal(tmpl_set_create(&set, src, (size_t)n, err, sizeof(err)),
					 VE_INVALID);
			assert_non_null(strstr(err, "template l16 line 1: more than 16 layouts"));
			for (int i = 0; i < n; i++)
				rev[i] = src[n - 1 - i];
			assert_int_equal(tmpl_set_create(&set, rev, (size_t)n, err, sizeof(err)),
					 VE_INVALID);
			assert_non_null(strstr(err, "more than 16 layouts"));
		}
	}
}

/* Rendering appends to the buffer, and a failed render leaves it as it was. */
static void test_append_and_restore(void **state)
{
	struct tmpl_source src[] = {{"a", "A{{x}}", 6}, {"big", "0123456789", 10}};
	struct tmpl_set *set;
	char err[256];
	struct buf b;
	json_t *j = json_pack("{s:s}", "x", "<");
	assert_int_equal(tmpl_set_create(&set, src, 2, err, sizeof(err)), 0);
	buf_init(&b, 12);
	assert_int_equal(tmpl_render(set, "a", j, &b), 0);
	assert_int_equal(tmpl_render(set, "a", j, &b), 0);
	assert_string_equal(buf_cstr(&b), "A&lt;A&lt;");
	assert_int_equal(tmpl_render(set, "big", j, &b), VE_LIMIT);
	assert_string_equal(buf_cstr(&b), "A&lt;A&lt;");
	assert_int_equal(tmpl_render(set, "missing", j, &b), VE_NOTFOUND);
	buf_free(&b);
	json_decref(j);
	tmpl_set_free(set);
	tmpl_set_free(NULL);
}

/* A broken set reports an error and creates nothing; an empty set is fine. */
static void test_create_edges(void **state)
{
	struct tmpl_source bad[] = {{NULL, "x", 1}};
	struct tmpl_source nul[] = {{"n", "a\0b{{x}}", 8}};
	struct tmpl_set *set = (struct tmpl_set *)&set;
	char err[256];
	struct buf b;
	assert_int_equal(tmpl_set_create(&set, bad, 1, err, sizeof(err)), VE_INVALID);
	assert_null(set);
	assert_int_equal(tmpl_set_create(&set, bad, 1, NULL, 0), VE_INVALID);
	assert_int_equal(tmpl_set_create(&set, NULL, 0, err, sizeof(err)), 0);
	buf_init(&b, 100);
	assert_int_equal(tmpl_render(set, "x", NULL, &b), VE_NOTFOUND);
	tmpl_set_free(set);
	assert_int_equal(tmpl_set_create(&set, nul, 1, err, sizeof(err)), 0);
	assert_int_equal(tmpl_render(set, "n", NULL, &b), 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 3);
	buf_free(&b);
	tmpl_set_free(set);
}

struct worker {
	const struct tmpl_set *set;
	json_t *data;
	const char *want[3];
	int failures;
};

static void *work(void *arg)
{
	static const char *const pages[] = {"list", "page", "url"};
	struct worker *w = arg;
	struct buf b;
	buf_init(&b, 1u << 20);
	for (int i = 0; i < 2000; i++) {
		int k = i % 3;
		buf_reset(&b);
		if (tmpl_render(w->set, pages[k], w->data, &b) != 0 ||
		    strcmp(buf_cstr(&b), w->want[k]))
			w->failures++;
	}
	buf_free(&b);
	return NULL;
}

/* Four threads render the same set and data at once and always get the same pages. */
static void test_threads(void **state)
{
	struct tmpl_source src[] = {
		{"list",
		 "{{#each "
		 "rows}}<tr><td>{{@number}}</td><td>{{name}}</td><td>{{amount|yuan}}</td></tr>{{/"
		 "each}}",
		 0},
		{"page", "{{extends \"base\"}}{{#block body}}{{> list}}{{/block}}", 0},
		{"base", "<title>{{title}}</title><body>{{#block body}}{{/block}}</body>", 0},
		{"url", "{{#each rows}}<a href=\"{{link}}\">{{name|len}}</a>{{/each}}", 0},
	};
	struct tmpl_set *set;
	struct worker w[4];
	pthread_t th[4];
	char err[256];
	json_t *data = json_loads("{\"title\":\"T\",\"rows\":[{\"name\":\"张三\",\"amount\":12345,"
				  "\"link\":\"/u/1\"},{\"name\":\"<b>\",\"amount\":-1,\"link\":"
				  "\"javascript:x\"}]}",
				  0, NULL);
	for (size_t i = 0; i < 4; i++)
		src[i].len = strlen(src[i].text);
	assert_int_equal(tmpl_set_create(&set, src, 4, err, sizeof(err)), 0);
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){
			set,
			data,
			{"<tr><td>1</td><td>张三</td><td>123.45</td></tr><tr><td>2</"
			 "td><td>&lt;b&gt;</td><td>-0.01</td></tr>",
			 "<title>T</title><body><tr><td>1</td><td>张三</td><td>123.45</"
			 "td></tr><tr><td>2</td><td>&lt;b&gt;</td><td>-0.01</td></tr></"
			 "body>",
			 "<a href=\"/u/1\">2</a><a href=\"#blocked\">3</a>"},
			0};
		assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].failures, 0);
	}
	tmpl_set_free(set);
	json_decref(data);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_url_values),   cmocka_unit_test(test_include_depth),
		cmocka_unit_test(test_layout_depth), cmocka_unit_test(test_append_and_restore),
		cmocka_unit_test(test_create_edges), cmocka_unit_test(test_threads),
	};
	size_t ncases = sizeof(cases) / sizeof(cases[0]), nfixed = sizeof(fixed) / sizeof(fixed[0]);
	struct CMUnitTest *tests = calloc(ncases + nfixed, sizeof(*tests));
	int failed;
	for (size_t i = 0; i < ncases; i++)
		tests[i] = (struct CMUnitTest){cases[i].name, run_case, NULL, NULL, &cases[i]};
	memcpy(tests + ncases, fixed, sizeof(fixed));
	failed = _cmocka_run_group_tests("tmpl", tests, ncases + nfixed, NULL, NULL);
	free(tests);
	return failed;
}
