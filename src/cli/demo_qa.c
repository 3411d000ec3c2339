/* demo_qa.c - the demo's 智能问答: the base from data/qa/base.csv, and questions left. */
#include "demo_qa.h"
#include "areas/qa.h"
#include "io/sheet.h"
#include "lib/asset.h"
#include "lib/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int demo_qa(struct db *db, const struct principal *clerk)
{
	const struct embedded_file *f = asset_find("data/qa/base.csv");
	if (!f)
		return fputs("vets: 缺少演示问答知识库\n", stderr), 1;
	char *copy = xmalloc(f->len + 1);
	memcpy(copy, f->data, f->len + 1);
	FILE *fp = fmemopen(copy, f->len, "r");
	if (!fp) {
		free(copy);
		return fputs("vets: 无法读取演示问答知识库\n", stderr), 1;
	}
	struct csv_reader *r = csv_reader_new(fp);
	struct sheet_row row;
	char err[4096] = "";
	size_t n = 0, cap = 0;
	char **cells = NULL;
	int got, first = 1;
	while ((got = csv_next(r, &row, err, sizeof(err))) > 0) {
		if (first) { /* the header */
			first = 0;
			continue;
		}
		if (n + 4 > cap) {
			cap = cap ? cap * 2 : 512;
			cells = xrealloc(cells, cap * sizeof(*cells));
		}
		for (size_t c = 0; c < 4; c++)
			cells[n++] = xstrdup(c < row.n ? row.cells[c] : "");
	}
	csv_reader_free(r);
	fclose(fp);
	free(copy);
	int rc = got < 0;
	struct qa_import_result res;
	if (!rc)
		rc = qa_import_rows(db, clerk, (const char *const *)cells, n / 4, &res, err,
				    sizeof(err));
	for (size_t i = 0; i < n; i++)
		free(cells[i]);
	free(cells);
	if (rc)
		return fprintf(stderr, "vets: 演示问答知识库导入失败：%s\n", err), 1;
	static const char *const left[] = {
		"退役军人参加同学聚会可以请假吗",
		"我的残疾军人证能在外省的景区免门票吗",
		"优待证上的照片拍得不好能换吗",
	};
	struct audit_actor who = {0, "公众", "127.0.0.1", ""};
	for (size_t i = 0; i < sizeof(left) / sizeof(left[0]); i++) {
		int64_t id;
		if (qa_question_leave(db, &who, left[i], &id, err, sizeof(err)))
			return fprintf(stderr, "vets: 演示问题保存失败：%s\n", err), 1;
	}
	return 0;
}
