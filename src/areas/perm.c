/* perm.c - the role and permission tables. */
#include "perm.h"

#include <string.h>

static const struct {
	const char *name, *title;
} roles[ROLE__COUNT] = {
	[ROLE_SYSADMIN] = {"sysadmin", "系统管理员"},
	[ROLE_SECADMIN] = {"secadmin", "安全管理员"},
	[ROLE_AUDITOR] = {"auditor", "审计管理员"},
	[ROLE_CLERK] = {"clerk", "经办人"},
	[ROLE_REVIEWER] = {"reviewer", "复核人"},
	[ROLE_APPROVER] = {"approver", "审批人"},
	[ROLE_LEADER] = {"leader", "局领导"},
	[ROLE_STATION] = {"station", "服务站工作人员"},
};

#define R(x) (1u << ROLE_##x)
#define ALL_ROLES ((1u << ROLE__COUNT) - 1)

/* The permission table. Later areas add their rows here, and the role × route
 * test in tests/http checks every route against it. */
static const struct {
	const char *name, *title;
	role_set roles;
} perms[PERM__COUNT] = {
	[PERM_SIGNED_IN] = {"signed_in", "登录后可用", ALL_ROLES},
	[PERM_ACCOUNT_READ] = {"account.read", "查看账号", R(SYSADMIN) | R(SECADMIN)},
	[PERM_ACCOUNT_WRITE] = {"account.write", "管理账号", R(SYSADMIN)},
	[PERM_ORG_READ] = {"org.read", "查看组织机构", R(SYSADMIN) | R(SECADMIN)},
	[PERM_ORG_WRITE] = {"org.write", "管理组织机构", R(SYSADMIN)},
	[PERM_ROLE_GRANT] = {"role.grant", "授予角色与数据范围", R(SECADMIN)},
	[PERM_POLICY] = {"policy", "安全策略", R(SECADMIN)},
	[PERM_AUDIT_READ] = {"audit.read", "查阅审计日志", R(AUDITOR)},
	[PERM_PERSON_READ] = {"person.read", "查看人员信息",
			      R(CLERK) | R(REVIEWER) | R(APPROVER) | R(LEADER) | R(STATION)},
	[PERM_PERSON_WRITE] = {"person.write", "登记和修改人员", R(CLERK) | R(STATION)},
	[PERM_PERSON_REVEAL] = {"person.reveal", "查看完整敏感信息",
				R(CLERK) | R(REVIEWER) | R(APPROVER) | R(LEADER) | R(STATION)},
	[PERM_BENEFIT_READ] = {"benefit.read", "查看待遇与发放",
			       R(CLERK) | R(REVIEWER) | R(APPROVER) | R(LEADER) | R(STATION)},
	[PERM_STANDARD_WRITE] = {"standard.write", "拟定待遇标准", R(CLERK)},
	[PERM_STANDARD_APPROVE] = {"standard.approve", "审批待遇标准", R(REVIEWER) | R(APPROVER)},
	[PERM_ENTITLEMENT_WRITE] = {"entitlement.write", "办理待遇资格与年度确认",
				    R(CLERK) | R(STATION)},
	[PERM_PAY_GENERATE] = {"pay.generate", "生成发放批次", R(CLERK)},
	[PERM_PAY_REVIEW] = {"pay.review", "复核发放批次", R(REVIEWER)},
	[PERM_PAY_APPROVE] = {"pay.approve", "审批发放批次", R(APPROVER)},
	[PERM_PAY_BANK] = {"pay.bank", "代发文件与银行回盘", R(CLERK)},
	[PERM_STATS_READ] = {"stats.read", "查看统计",
			     R(CLERK) | R(REVIEWER) | R(APPROVER) | R(LEADER)},
	/* Confirming a proposal starts payment: the bureau's checkers, as for standards. */
	[PERM_ENTITLEMENT_CONFIRM] = {"entitlement.confirm", "确认待遇资格",
				      R(REVIEWER) | R(APPROVER)},
};

const char *role_name(enum role r)
{
	return (unsigned)r < ROLE__COUNT ? roles[r].name : NULL;
}

const char *role_title(enum role r)
{
	return (unsigned)r < ROLE__COUNT ? roles[r].title : "";
}

int role_parse(const char *name)
{
	for (int r = 0; r < ROLE__COUNT; r++)
		if (strcmp(roles[r].name, name) == 0)
			return r;
	return -1;
}

int role_is_admin(enum role r)
{
	return r == ROLE_SYSADMIN || r == ROLE_SECADMIN || r == ROLE_AUDITOR;
}

int perm_allows(role_set set, enum perm p)
{
	/* Signing in is enough for it: an account whose roles are not granted yet
	 * must still change its first password and sign out. */
	if (p == PERM_SIGNED_IN)
		return 1;
	return (unsigned)p < PERM__COUNT && (perms[p].roles & set) != 0;
}

const char *perm_name(enum perm p)
{
	return (unsigned)p < PERM__COUNT ? perms[p].name : "";
}

const char *perm_title(enum perm p)
{
	return (unsigned)p < PERM__COUNT ? perms[p].title : "";
}

int role_set_valid(role_set set)
{
	role_set admin = R(SYSADMIN) | R(SECADMIN) | R(AUDITOR);
	if (set & ~(role_set)ALL_ROLES)
		return 0;
	if (set & admin)
		return (set & (set - 1)) == 0; /* exactly one role */
	return 1;
}
