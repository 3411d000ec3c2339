/* err.c - names and messages of the error enum. */
#include "err.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>

static const struct {
	const char *name;
	const char *message;
} table[VE__COUNT] = {
	[VE_OK] = {"ok", "成功"},
	[VE_INVALID] = {"invalid", "输入有误"},
	[VE_NOTFOUND] = {"not_found", "对象不存在"},
	[VE_EXISTS] = {"exists", "已存在"},
	[VE_DENIED] = {"forbidden", "无权进行此操作"},
	[VE_AUTH] = {"unauthorized", "用户名或密码错误，或尚未登录"},
	[VE_LOCKED] = {"locked", "账号已锁定"},
	[VE_EXPIRED] = {"expired", "已过期"},
	[VE_LIMIT] = {"too_large", "超出允许的大小或数量"},
	[VE_CONFLICT] = {"conflict", "当前状态不允许此操作"},
	[VE_IO] = {"io", "读写失败"},
	[VE_DB] = {"database", "数据库错误"},
	[VE_CRYPTO] = {"crypto", "密码运算失败"},
	[VE_INTERNAL] = {"internal", "系统内部错误"},
	[VE_QUOTA] = {"quota", "今日次数已用完，请明天再试"},
};

const char *err_name(int code)
{
	if (code < 0 || code >= VE__COUNT)
		return "internal";
	return table[code].name;
}

const char *err_message(int code)
{
	if (code < 0 || code >= VE__COUNT)
		return table[VE_INTERNAL].message;
	return table[code].message;
}

int err_set(char *buf, size_t size, int code, const char *fmt, ...)
{
	if (buf && size > 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(buf, size, fmt, ap);
		va_end(ap);
		utf8_scrub(buf);
	}
	return code;
}
