/* params.c - validation of declared parameters. */
#include "params.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "lib/str.h"
#include "lib/utf8.h"

#include <string.h>

const struct param_spec params_none[] = {PARAM_END};

static const struct param_spec *find_spec(const struct param_spec *specs, const char *name)
{
	for (const struct param_spec *s = specs; s && s->name; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

static int word_ok(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-",
			    v[i]))
			return 0;
	return 1;
}

/* Checks one value; on error writes the reason (without the label) into err. */
static int check_value(const struct param_spec *s, const char *v, size_t n, char *err,
		       size_t errlen)
{
	int64_t num, date;
	size_t chars = utf8_count(v, n);
	switch (s->kind) {
	case PK_TEXT:
	case PK_LONGTEXT:
		if (!str_is_printable(v, n, s->kind == PK_LONGTEXT))
			return err_set(err, errlen, VE_INVALID, "含有不允许的控制字符");
		if (chars < (size_t)s->min || chars > (size_t)s->max)
			return err_set(err, errlen, VE_INVALID, "长度应为 %lld–%lld 个字符",
				       (long long)s->min, (long long)s->max);
		return 0;
	case PK_SECRET:
		if (!str_is_printable(v, n, 0) || n < (size_t)s->min || n > (size_t)s->max)
			return err_set(err, errlen, VE_INVALID, "长度或字符不符合要求");
		return 0;
	case PK_INT:
		if (str_to_i64(v, n, s->min, s->max, &num) != 0)
			return err_set(err, errlen, VE_INVALID, "应为 %lld 到 %lld 之间的整数",
				       (long long)s->min, (long long)s->max);
		return 0;
	case PK_WORD:
		if (n < (size_t)s->min || n > (size_t)s->max || !word_ok(v, n))
			return err_set(err, errlen, VE_INVALID,
				       "应为 %lld–%lld 位字母、数字或 _ . : -", (long long)s->min,
				       (long long)s->max);
		return 0;
	case PK_DATE:
		if (clock_parse_date(v, &date) != 0)
			return err_set(err, errlen, VE_INVALID, "应为有效日期（YYYY-MM-DD）");
		return 0;
	case PK_FLAG:
		if (strcmp(v, "1") && strcmp(v, "on") && strcmp(v, "true") && strcmp(v, "0") &&
		    strcmp(v, "false"))
			return err_set(err, errlen, VE_INVALID, "取值无效");
		return 0;
	case PK_TOKEN:
		if (n != (size_t)s->max || strspn(v, "0123456789abcdef") != n)
			return err_set(err, errlen, VE_INVALID, "格式无效");
		return 0;
	case PK_FILE:
		return err_set(err, errlen, VE_INVALID, "应为上传的文件");
	}
	return err_set(err, errlen, VE_INVALID, "取值无效");
}

int params_check(const struct request *req, const struct param_spec *specs, char *err,
		 size_t errlen)
{
	for (size_t i = 0; i < req->n_params; i++) {
		const struct param *p = &req->params[i];
		if (strcmp(p->name, "csrf") == 0)
			continue;
		const struct param_spec *s = find_spec(specs, p->name);
		if (!s)
			return err_set(err, errlen, VE_INVALID, "不接受的参数：%.40s", p->name);
		for (size_t k = 0; k < i && !s->multi; k++)
			if (strcmp(req->params[k].name, p->name) == 0)
				return err_set(err, errlen, VE_INVALID, "参数重复：%s", s->label);
		/* An empty optional field is as if absent. */
		if (p->len == 0) {
			if (s->required)
				return err_set(err, errlen, VE_INVALID, "请填写%s", s->label);
			continue;
		}
		char why[160];
		if (check_value(s, p->value, p->len, why, sizeof(why)) != 0)
			return err_set(err, errlen, VE_INVALID, "%s%s", s->label, why);
	}
	for (size_t i = 0; i < req->n_files; i++) {
		const struct param_spec *s = find_spec(specs, req->files[i].name);
		if (!s || s->kind != PK_FILE)
			return err_set(err, errlen, VE_INVALID, "不接受的上传文件：%.40s",
				       req->files[i].name);
		if (req->files[i].len > (size_t)s->max)
			return err_set(err, errlen, VE_LIMIT, "%s过大", s->label);
	}
	for (const struct param_spec *s = specs; s && s->name; s++) {
		if (s->kind == PK_FILE) {
			if (s->required && !params_file(req, s->name))
				return err_set(err, errlen, VE_INVALID, "请选择%s", s->label);
			continue;
		}
		const char *v = s->required ? req_param(req, s->name) : "x";
		if (!v || !*v)
			return err_set(err, errlen, VE_INVALID, "请填写%s", s->label);
	}
	return 0;
}

const struct multipart_part *params_file(const struct request *req, const char *name)
{
	for (size_t i = 0; i < req->n_files; i++)
		if (strcmp(req->files[i].name, name) == 0 && req->files[i].filename &&
		    req->files[i].filename[0])
			return &req->files[i];
	return NULL;
}

int64_t params_int(const struct request *req, const char *name, int64_t dflt)
{
	const char *v = req_param(req, name);
	int64_t n;
	if (!v || !*v || str_to_i64(v, strlen(v), INT64_MIN, INT64_MAX, &n) != 0)
		return dflt;
	return n;
}

int params_flag(const struct request *req, const char *name)
{
	const char *v = req_param(req, name);
	return v && (strcmp(v, "1") == 0 || strcmp(v, "on") == 0 || strcmp(v, "true") == 0);
}

const char *params_text(const struct request *req, const char *name)
{
	const char *v = req_param(req, name);
	return v ? v : "";
}
