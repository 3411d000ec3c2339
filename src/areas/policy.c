/* policy.c - the security policy and password composition rules. */
#define _GNU_SOURCE /* strcasestr */
#include "policy.h"
#include "areas/settings.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/str.h"
#include "lib/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct field {
	const char *key, *title;
	size_t offset;
	int min, max, dflt;
	const char *floor_why; /* said when a value is under min, or NULL */
} fields[] = {
	{"min_length", "密码最小长度", offsetof(struct policy, min_length), 8, 64, 8, NULL},
	{"expiry_days", "密码有效期（天）", offsetof(struct policy, expiry_days), 1, 90, 90, NULL},
	{"history", "不得重复使用的历史密码个数", offsetof(struct policy, history), 5, 24, 5, NULL},
	{"max_failures", "连续失败锁定次数", offsetof(struct policy, max_failures), 3, 10, 5, NULL},
	{"lock_minutes", "锁定时长（分钟）", offsetof(struct policy, lock_minutes), 30, 1440, 30, NULL},
	{"idle_minutes", "会话空闲超时（分钟）", offsetof(struct policy, idle_minutes), 5, 30, 30, NULL},
	{"max_sessions", "每个账号同时在线会话数", offsetof(struct policy, max_sessions), 1, 10, 3, NULL},
	{"session_hours", "会话最长时限（小时）", offsetof(struct policy, session_hours), 1, 12, 12, NULL},
	{"audit_months", "审计记录保留期（月）", offsetof(struct policy, audit_months), 6, 600, 12,
	 "等级保护要求审计记录至少保存 6 个月"},
};
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

static int *slot(struct policy *p, const struct field *f)
{
	return (int *)((char *)p + f->offset);
}

static int value_of(const struct policy *p, const struct field *f)
{
	return *(const int *)((const char *)p + f->offset);
}

/* One stored value "policy.<key>" into the policy being loaded, when in bounds. */
static int load_one(void *ctx, const char *key, const char *value)
{
	struct policy *out = ctx;
	key += strlen("policy.");
	int64_t v;
	for (size_t i = 0; i < N_FIELDS; i++)
		if (strcmp(key, fields[i].key) == 0 && value &&
		    str_to_i64(value, strlen(value), fields[i].min, fields[i].max, &v) == 0)
			*slot(out, &fields[i]) = (int)v;
	return 0;
}

void policy_load(struct db *db, struct policy *out)
{
	for (size_t i = 0; i < N_FIELDS; i++)
		*slot(out, &fields[i]) = fields[i].dflt;
	settings_each(db, "policy.", load_one, out);
}

int policy_check(const struct policy *p, char *err, size_t errlen)
{
	for (size_t i = 0; i < N_FIELDS; i++) {
		int v = value_of(p, &fields[i]);
		if (v < fields[i].min && fields[i].floor_why)
			return err_set(err, errlen, VE_INVALID, "%s不能少于 %d：%s",
				       fields[i].title, fields[i].min, fields[i].floor_why);
		if (v < fields[i].min || v > fields[i].max)
			return err_set(err, errlen, VE_INVALID, "%s应在 %d 到 %d 之间",
				       fields[i].title, fields[i].min, fields[i].max);
	}
	return 0;
}

int policy_save(struct db *db, const struct principal *by, const struct policy *p, char *err,
		size_t errlen)
{
	int rc = policy_check(p, err, errlen);
	if (rc)
		return rc;
	if (db_tx_begin(db, 0) != 0)
		return err_set(err, errlen, VE_DB, "保存安全策略失败");
	for (size_t i = 0; i < N_FIELDS && rc == 0; i++) {
		char key[64], value[16];
		snprintf(key, sizeof(key), "policy.%s", fields[i].key);
		snprintf(value, sizeof(value), "%d", value_of(p, &fields[i]));
		rc = settings_set(db, key, value, by->user_id, 1);
	}
	if (rc == 0) {
		char detail[300];
		snprintf(detail, sizeof(detail),
			 "密码最小长度 %d，有效期 %d 天，历史 %d 个，失败 %d 次锁定 %d 分钟，空闲 "
			 "%d 分钟，每人会话 %d 个，会话最长 %d 小时，审计记录保留 %d 个月",
			 p->min_length, p->expiry_days, p->history, p->max_failures,
			 p->lock_minutes, p->idle_minutes, p->max_sessions, p->session_hours,
			 p->audit_months);
		rc = account_audit(db, by, "policy.update", "policy", 0, detail);
	}
	if (db_tx_end(db, 0, rc) != 0)
		return err_set(err, errlen, VE_DB, "保存安全策略失败");
	return 0;
}

json_t *policy_json(const struct policy *p)
{
	json_t *o = json_object();
	json_t *list = json_array();
	for (size_t i = 0; i < N_FIELDS; i++) {
		int v = value_of(p, &fields[i]);
		json_object_set_new(o, fields[i].key, json_integer(v));
		json_array_append_new(list, json_pack("{s:s,s:s,s:i,s:i,s:i}", "key", fields[i].key,
						      "title", fields[i].title, "value", v, "min",
						      fields[i].min, "max", fields[i].max));
	}
	json_object_set_new(o, "fields", list);
	return o;
}

int policy_password_check(const struct policy *p, const char *username, const char *password,
			  char *err, size_t errlen)
{
	size_t n = strlen(password);
	if (!utf8_valid(password, n) || !str_is_printable(password, n, 0))
		return err_set(err, errlen, VE_INVALID, "密码含有无效字符");
	if (n > 128)
		return err_set(err, errlen, VE_INVALID, "密码不能超过 128 个字符");
	if (utf8_count(password, n) < (size_t)p->min_length)
		return err_set(err, errlen, VE_INVALID, "密码至少需要 %d 个字符", p->min_length);
	int upper = 0, lower = 0, digit = 0, other = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)password[i];
		if (isupper(c))
			upper = 1;
		else if (islower(c))
			lower = 1;
		else if (isdigit(c))
			digit = 1;
		else
			other = 1;
	}
	if (upper + lower + digit + other < 3)
		return err_set(err, errlen, VE_INVALID,
			       "密码须包含大写字母、小写字母、数字、符号中的至少三类");
	if (username && *username && strcasestr(password, username))
		return err_set(err, errlen, VE_INVALID, "密码不能包含用户名");
	return 0;
}

/* ---- the area ---- */

const struct perm perm_policy = {"policy", "安全策略", ROLE_BIT(SECADMIN)};

static const struct perm *const perms[] = {
	PERM_POLICY,
	NULL,
};

static const struct audit_title audit_titles[] = {
	{"policy.update", "修改安全策略"},
	{NULL, NULL},
};

const struct area policy_area = {
	.name = "policy",
	.perms = perms,
	.audit_titles = audit_titles,
};
