/* test_service.c - areas/service: an item read by code and by id with its materials in order,
 * and the .docx writer's escaping (io/docx). Imports, pages and the API are covered by
 * tests/http/services.test.mjs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include <minizip/unzip.h>
#include <stdlib.h>
#include <unistd.h>

#include "areas/service.h"
#include "io/docx.h"
#include "lib/buf.h"
#include "db/db.h"
#include "fixture.h"
#include "lib/err.h"

static void test_item_get(void **state)
{
	(void)state;
	struct test_store s;
	assert_int_equal(test_district_open(&s, "service"), 0);
	assert_int_equal(db_run(s.db, "INSERT INTO service_items (id, code, name, time_limit_days, "
				"created_at, updated_at) VALUES (7, 'TY-001', '退役报到', 5, 0, 0)", ""), 0);
	assert_int_equal(db_run(s.db, "INSERT INTO service_materials (item_id, name, essential, "
				"position) VALUES (7, '退役证', 1, 2), (7, '户口簿', 0, 1)", ""), 0);
	struct service_item it;
	assert_int_equal(service_item_get(s.db, "TY-001", 0, &it), 0);
	assert_int_equal(it.id, 7);
	assert_string_equal(it.name, "退役报到");
	assert_int_equal(it.time_limit_days, 5);
	assert_int_equal(it.n_materials, 2);
	assert_string_equal(it.materials[0].name, "户口簿");
	assert_int_equal(it.materials[0].essential, 0);
	assert_string_equal(it.materials[1].name, "退役证");
	assert_int_equal(it.materials[1].essential, 1);
	assert_int_equal(service_item_get(s.db, NULL, 7, &it), 0);
	assert_string_equal(it.code, "TY-001");
	assert_int_equal(service_item_get(s.db, "NONE", 0, &it), VE_NOTFOUND);
	assert_int_equal(service_item_get(s.db, NULL, 8, &it), VE_NOTFOUND);
	assert_int_equal(test_store_close(&s), 0);
}

struct escape_case {
	const char *in, *out;
};

static const struct escape_case escape_cases[] = {
	{"退役报到", "退役报到"},
	{"<b>&\"'</b>", "&lt;b&gt;&amp;&quot;&apos;&lt;/b&gt;"},
	{"]]><!--x-->", "]]&gt;&lt;!--x--&gt;"},
	{"&amp;", "&amp;amp;"},
	{"a\tb\nc\rd", "a\tb\nc\rd"},                /* kept: XML holds them */
	{"a\x01\x08\x0b\x0c\x1f\x7f" "b", "ab"},       /* dropped: XML 1.0 cannot hold them */
	{"x\xff\xfey", "xy"},                           /* not UTF-8 */
	{"\xe4\xb8", ""},                               /* a character cut short */
	{"\xc0\xaf", ""},                               /* overlong '/' */
	{"\xed\xa0\x80", ""},                          /* a surrogate */
	{"😀＿", "😀＿"},
	{"", ""},
	{NULL, ""},
};

static void test_docx_escape(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(escape_cases) / sizeof(escape_cases[0]); i++) {
		struct buf b;
		buf_init(&b, 1024);
		assert_int_equal(docx_xml_escape(&b, escape_cases[i].in), 0);
		if (strcmp(buf_cstr(&b), escape_cases[i].out) != 0)
			fail_msg("case %zu: \"%s\", want \"%s\"", i, buf_cstr(&b), escape_cases[i].out);
		buf_free(&b);
	}
	struct buf small;
	buf_init(&small, 4);
	assert_int_equal(docx_xml_escape(&small, "<<<"), -1);
	buf_free(&small);
}

/* The part name of the .docx at path, as text (freed by the caller), or NULL. */
static char *docx_part(const char *path, const char *name)
{
	unzFile z = unzOpen(path);
	if (!z)
		return NULL;
	char *out = NULL;
	unz_file_info info;
	if (unzLocateFile(z, name, 1) == UNZ_OK &&
	    unzGetCurrentFileInfo(z, &info, NULL, 0, NULL, 0, NULL, 0) == UNZ_OK &&
	    unzOpenCurrentFile(z) == UNZ_OK) {
		out = calloc(1, info.uncompressed_size + 1);
		if (unzReadCurrentFile(z, out, (unsigned)info.uncompressed_size) !=
		    (int)info.uncompressed_size) {
			free(out);
			out = NULL;
		}
		unzCloseCurrentFile(z);
	}
	unzClose(z);
	return out;
}

static void test_docx_document(void **state)
{
	(void)state;
	char path[] = "/tmp/vets-test-docx-XXXXXX.docx";
	int fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	close(fd);
	struct docx *d = docx_new(NULL);
	docx_title(d, "办事指南 <测试>");
	docx_heading(d, 1, "一、事项名称");
	docx_paragraph(d, "甲&乙\n第二行", DOCX_INDENT);
	int widths[] = {30, 70};
	docx_table_begin(d, 2, widths);
	const char *head[] = {"材料", "说明"};
	docx_table_row(d, head, DOCX_BOLD);
	const char *row[] = {"身份证\"原件\"", NULL};
	docx_table_row(d, row, 0);
	char err[128] = "";
	assert_int_equal(docx_save(d, path, err, sizeof(err)), VE_INVALID); /* the table is open */
	docx_table_end(d);
	assert_int_equal(docx_save(d, path, err, sizeof(err)), 0);
	docx_free(d);
	char *xml = docx_part(path, "word/document.xml");
	assert_non_null(xml);
	assert_non_null(strstr(xml, "办事指南 &lt;测试&gt;"));
	assert_non_null(strstr(xml, "甲&amp;乙"));
	assert_non_null(strstr(xml, "<w:br/>"));
	assert_non_null(strstr(xml, "身份证&quot;原件&quot;"));
	assert_non_null(strstr(xml, "<w:tblHeader/>"));
	/* A4 portrait with 25 mm margins, in twentieths of a point */
	assert_non_null(strstr(xml, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
	assert_non_null(strstr(xml, "w:top=\"1417\" w:right=\"1417\" w:bottom=\"1417\" w:left=\"1417\""));
	assert_null(strstr(xml, "<测试>"));
	free(xml);
	char *types = docx_part(path, "[Content_Types].xml");
	assert_non_null(types);
	assert_non_null(strstr(types, "wordprocessingml.document.main+xml"));
	free(types);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_item_get),
		cmocka_unit_test(test_docx_escape),
		cmocka_unit_test(test_docx_document),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
