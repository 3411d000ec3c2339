/* routes.c - the route table: every URL of the server, who may use it, what it accepts. */
#include "handlers.h"

#define END                                                                                        \
	{                                                                                          \
		0                                                                                  \
	}

static const struct param_spec none[] = {END};

static const struct param_spec login_params[] = {
	{"username", "用户名", PK_TEXT, 1, 1, 64, 0},
	{"password", "密码", PK_SECRET, 1, 1, 128, 0},
	END,
};

static const struct param_spec password_params[] = {
	{"old_password", "原密码", PK_SECRET, 1, 1, 128, 0},
	{"new_password", "新密码", PK_SECRET, 1, 1, 128, 0},
	{"confirm_password", "确认新密码", PK_SECRET, 1, 1, 128, 0},
	END,
};

static const struct param_spec list_params[] = {
	{"q", "查询条件", PK_TEXT, 0, 0, 50, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	{"per_page", "每页条数", PK_INT, 0, 1, 200, 0},
	END,
};

static const struct param_spec user_new_params[] = {
	{"username", "用户名", PK_WORD, 1, 2, 32, 0},
	{"display_name", "姓名", PK_TEXT, 1, 1, 50, 0},
	{"org_code", "所属机构", PK_WORD, 1, 1, 20, 0},
	{"password", "初始密码", PK_SECRET, 1, 1, 128, 0},
	END,
};

static const struct param_spec user_edit_params[] = {
	{"display_name", "姓名", PK_TEXT, 1, 1, 50, 0},
	{"org_code", "所属机构", PK_WORD, 1, 1, 20, 0},
	{"disabled", "停用", PK_FLAG, 0, 0, 0, 0},
	END,
};

static const struct param_spec reset_params[] = {
	{"password", "临时密码", PK_SECRET, 1, 1, 128, 0},
	END,
};

static const struct param_spec grant_params[] = {
	{"role", "角色", PK_WORD, 0, 1, 20, 1},
	{"scope", "数据范围", PK_WORD, 1, 1, 20, 0},
	END,
};

static const struct param_spec org_new_params[] = {
	{"parent_code", "上级机构", PK_WORD, 1, 1, 20, 0},
	{"code", "机构代码", PK_WORD, 1, 1, 20, 0},
	{"name", "机构名称", PK_TEXT, 1, 1, 60, 0},
	{"kind", "机构类型", PK_WORD, 1, 1, 20, 0},
	END,
};

static const struct param_spec org_rename_params[] = {
	{"name", "机构名称", PK_TEXT, 1, 1, 60, 0},
	END,
};

static const struct param_spec policy_params[] = {
	{"min_length", "密码最小长度", PK_INT, 1, 8, 64, 0},
	{"expiry_days", "密码有效期", PK_INT, 1, 1, 90, 0},
	{"history", "历史密码个数", PK_INT, 1, 5, 24, 0},
	{"max_failures", "连续失败锁定次数", PK_INT, 1, 3, 10, 0},
	{"lock_minutes", "锁定时长", PK_INT, 1, 30, 1440, 0},
	{"idle_minutes", "会话空闲超时", PK_INT, 1, 5, 30, 0},
	{"max_sessions", "同时在线会话数", PK_INT, 0, 1, 10, 0},
	{"session_hours", "会话最长时限", PK_INT, 0, 1, 12, 0},
	END,
};

static const struct param_spec audit_params[] = {
	{"actor", "操作人", PK_TEXT, 0, 0, 64, 0},
	{"action", "操作", PK_TEXT, 0, 0, 64, 0},
	{"from", "开始日期", PK_DATE, 0, 0, 0, 0},
	{"to", "结束日期", PK_DATE, 0, 0, 0, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	{"per_page", "每页条数", PK_INT, 0, 1, 200, 0},
	END,
};

static const struct param_spec person_filter_params[] = {
	{"q", "查询条件", PK_TEXT, 0, 0, 50, 0},
	{"category", "人员类别", PK_TEXT, 0, 0, 30, 0},
	{"street", "街道", PK_TEXT, 0, 0, 40, 0},
	{"community", "社区", PK_TEXT, 0, 0, 40, 0},
	{"status", "状态", PK_TEXT, 0, 0, 10, 0},
	{"age_min", "最小年龄", PK_INT, 0, 0, 150, 0},
	{"age_max", "最大年龄", PK_INT, 0, 0, 150, 0},
	{"sort", "排序", PK_WORD, 0, 0, 10, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	{"per_page", "每页条数", PK_INT, 0, 1, 200, 0},
	{"format", "导出格式", PK_WORD, 0, 0, 4, 0},
	END,
};

/* The person's fields; the area checks each precisely, these only bound them. */
/* clang-format off */
#define PERSON_FIELDS                                                                              \
	{"name", "姓名", PK_TEXT, 0, 0, 60, 0}, {"id_number", "身份证号", PK_TEXT, 0, 0, 20, 0},    \
		{"phone", "联系电话", PK_TEXT, 0, 0, 20, 0},                                        \
		{"street", "街道", PK_TEXT, 0, 0, 40, 0},                                           \
		{"community", "社区", PK_TEXT, 0, 0, 40, 0},                                        \
		{"address", "住址", PK_TEXT, 0, 0, 200, 0},                                         \
		{"enlisted", "入伍时间", PK_TEXT, 0, 0, 10, 0},                                     \
		{"discharged", "退役时间", PK_TEXT, 0, 0, 10, 0},                                   \
		{"placement", "安置方式", PK_TEXT, 0, 0, 10, 0},                                    \
		{"disability_grade", "残疾等级", PK_TEXT, 0, 0, 2, 0},                              \
		{"disability_nature", "残疾性质", PK_TEXT, 0, 0, 4, 0},                             \
		{"bank_name", "开户银行", PK_TEXT, 0, 0, 60, 0},                                    \
		{"bank_account", "银行账号", PK_TEXT, 0, 0, 30, 0},                                 \
		{"note", "备注", PK_LONGTEXT, 0, 0, 500, 0}
/* clang-format on */

static const struct param_spec person_form_params[] = {
	PERSON_FIELDS,
	{"category", "人员类别", PK_TEXT, 0, 0, 30, 1},
	END,
};

static const struct param_spec person_api_params[] = {
	PERSON_FIELDS,
	{"categories", "人员类别", PK_TEXT, 0, 0, 300, 0},
	END,
};

/* A status change and a family link; the area checks each precisely, these only bound them. */
static const struct param_spec person_status_params[] = {
	{"status", "状态", PK_TEXT, 0, 0, 10, 0},
	{"date", "变更日期", PK_TEXT, 0, 0, 10, 0},
	{"reason", "变更原因", PK_TEXT, 0, 0, 400, 0},
	{"cause", "死亡原因", PK_TEXT, 0, 0, 10, 0},
	END,
};

static const struct param_spec person_family_params[] = {
	{"id_number", "亲属身份证号", PK_TEXT, 0, 0, 20, 0},
	{"relation", "关系", PK_TEXT, 0, 0, 10, 0},
	END,
};

static const struct param_spec person_unlink_params[] = {
	{"relative", "亲属", PK_INT, 1, 1, INT64_MAX, 0},
	END,
};

/* An import file: the largest upload of the system. */
#define UPLOAD_MAX (50 * 1024 * 1024)

static const struct param_spec import_upload_params[] = {
	{"file", "导入文件", PK_FILE, 1, 0, UPLOAD_MAX, 0},
	END,
};

static const struct param_spec import_token_params[] = {
	{"token", "导入批次", PK_TOKEN, 1, 64, 64, 0},
	END,
};

/* Benefits and their payment: the areas check each value precisely (forms come back
 * with field errors), these only bound them. Months are YYYY-MM, amounts 元. */
static const struct param_spec benefits_params[] = {
	{"benefit", "待遇", PK_WORD, 0, 0, 20, 0},
	{"year", "年度", PK_INT, 0, 2000, 2100, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	END,
};

static const struct param_spec standard_params[] = {
	{"benefit", "待遇", PK_TEXT, 0, 0, 20, 0},
	{"category", "人员类别", PK_TEXT, 0, 0, 30, 0},
	{"grade", "残疾等级", PK_TEXT, 0, 0, 4, 0},
	{"nature", "残疾性质", PK_TEXT, 0, 0, 4, 0},
	{"effective_from", "生效日期", PK_TEXT, 0, 0, 10, 0},
	{"national", "国家标准", PK_TEXT, 0, 0, 20, 0},
	{"local", "地方增发", PK_TEXT, 0, 0, 20, 0},
	{"note", "说明", PK_TEXT, 0, 0, 200, 0},
	END,
};

static const struct param_spec standard_decide_params[] = {
	{"decision", "审核结果", PK_WORD, 1, 1, 10, 0},
	{"benefit", "待遇", PK_WORD, 0, 0, 20, 0},
	END,
};

static const struct param_spec rule_params[] = {
	{"year", "年度", PK_INT, 0, 2000, 2100, 0},
	{"kind", "类型", PK_TEXT, 0, 0, 10, 0},
	{"item", "项目", PK_TEXT, 0, 0, 20, 0},
	{"amount", "金额", PK_TEXT, 0, 0, 20, 0},
	END,
};

static const struct param_spec entitlement_filter_params[] = {
	{"benefit", "待遇", PK_WORD, 0, 0, 20, 0},      {"status", "状态", PK_TEXT, 0, 0, 10, 0},
	{"person", "人员", PK_INT, 0, 1, INT64_MAX, 0}, {"page", "页码", PK_INT, 0, 1, 100000, 0},
	{"per_page", "每页条数", PK_INT, 0, 1, 200, 0}, END,
};

static const struct param_spec entitlement_confirm_params[] = {
	{"start_month", "起始月份", PK_TEXT, 0, 0, 7, 0},
	{"back_benefit", "待遇", PK_WORD, 0, 0, 20, 0},
	{"back_status", "状态", PK_TEXT, 0, 0, 10, 0},
	{"back_page", "页码", PK_INT, 0, 1, 100000, 0},
	END,
};

static const struct param_spec entitlement_month_params[] = {
	{"month", "月份", PK_TEXT, 0, 0, 7, 0},
	{"reason", "原因", PK_TEXT, 0, 0, 100, 0},
	{"back_benefit", "待遇", PK_WORD, 0, 0, 20, 0},
	{"back_status", "状态", PK_TEXT, 0, 0, 10, 0},
	{"back_page", "页码", PK_INT, 0, 1, 100000, 0},
	END,
};

static const struct param_spec verification_list_params[] = {
	{"year", "年度", PK_INT, 0, 2000, 2100, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	END,
};

static const struct param_spec verification_params[] = {
	{"person", "人员", PK_INT, 1, 1, INT64_MAX, 0},
	{"year", "年度", PK_INT, 1, 2000, 2100, 0},
	{"date", "日期", PK_TEXT, 0, 0, 10, 0},
	END,
};

static const struct param_spec verification_sweep_params[] = {
	{"year", "年度", PK_INT, 1, 2000, 2100, 0},
	{"date", "日期", PK_TEXT, 0, 0, 10, 0},
	END,
};

static const struct param_spec page_params[] = {
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	END,
};

static const struct param_spec generate_params[] = {
	{"period", "发放期间", PK_TEXT, 0, 0, 7, 0},
	{"benefit", "待遇", PK_WORD, 0, 0, 20, 0},
	END,
};

static const struct param_spec generate_api_params[] = {
	{"period", "发放期间", PK_TEXT, 1, 1, 7, 0},
	{"benefit", "待遇", PK_WORD, 1, 1, 20, 0},
	END,
};

static const struct param_spec bank_params[] = {
	{"format", "文件格式", PK_WORD, 0, 0, 4, 0},
	END,
};

static const struct param_spec line_filter_params[] = {
	{"year", "年度", PK_INT, 0, 2000, 2100, 0},
	{"month", "月份", PK_INT, 0, 0, 12, 0},
	{"benefit", "待遇", PK_WORD, 0, 0, 20, 0},
	{"status", "状态", PK_TEXT, 0, 0, 4, 0},
	{"street", "街道", PK_TEXT, 0, 0, 40, 0},
	{"batch", "批次", PK_INT, 0, 1, INT64_MAX, 0},
	{"person", "人员", PK_INT, 0, 1, INT64_MAX, 0},
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	{"per_page", "每页条数", PK_INT, 0, 1, 200, 0},
	END,
};

/* 退回: the area checks who may (the reviewer or the approver of that batch). */
static const struct param_spec reject_params[] = {
	{"reason", "退回原因", PK_TEXT, 0, 0, 400, 0},
	END,
};

static const struct param_spec rules_approve_params[] = {
	{"year", "年度", PK_INT, 1, 2000, 2100, 0},
	END,
};

static const struct param_spec stats_params[] = {
	{"year", "年度", PK_INT, 0, 2000, 2100, 0},
	{"month", "月份", PK_INT, 0, 0, 12, 0},
	{"street", "街道", PK_TEXT, 0, 0, 40, 0},
	END,
};

static const struct param_spec batches_api_params[] = {
	{"page", "页码", PK_INT, 0, 1, 100000, 0},
	{"per_page", "每页条数", PK_INT, 0, 1, 200, 0},
	END,
};

/* A standards file or a bank return file. */
#define BENEFIT_UPLOAD_MAX (20 * 1024 * 1024)

static const struct param_spec benefit_upload_params[] = {
	{"file", "上传文件", PK_FILE, 1, 0, BENEFIT_UPLOAD_MAX, 0},
	END,
};

#define PUBLIC ROUTE_PUBLIC
#define API ROUTE_API
#define PW ROUTE_PASSWORD_OPEN

const struct route routes[] = {
	{"GET", "/", handle_home, PERM_NONE, PUBLIC | ROUTE_KNOWS_USER, none, 0},
	{"GET", "/login", handle_login_page, PERM_NONE, PUBLIC | ROUTE_KNOWS_USER, none, 0},
	{"POST", "/login", handle_login, PERM_NONE, PUBLIC | ROUTE_KNOWS_USER, login_params, 0},
	{"POST", "/logout", handle_logout, PERM_SIGNED_IN, PW, none, 0},
	{"GET", "/password", handle_password_page, PERM_SIGNED_IN, PW, none, 0},
	{"POST", "/password", handle_password, PERM_SIGNED_IN, PW, password_params, 0},
	{"GET", "/healthz", handle_healthz, PERM_NONE, PUBLIC, none, 0},
	{"GET", "/metrics", handle_metrics, PERM_NONE, PUBLIC, none, 0},

	{"GET", "/users", handle_users, PERM_ACCOUNT_READ, 0, list_params, 0},
	{"GET", "/users/new", handle_user_new, PERM_ACCOUNT_WRITE, 0, none, 0},
	{"POST", "/users", handle_user_create, PERM_ACCOUNT_WRITE, 0, user_new_params, 0},
	{"GET", "/users/{id}", handle_user_show, PERM_ACCOUNT_READ, 0, none, 0},
	{"POST", "/users/{id}", handle_user_update, PERM_ACCOUNT_WRITE, 0, user_edit_params, 0},
	{"POST", "/users/{id}/password", handle_user_password, PERM_ACCOUNT_WRITE, 0, reset_params,
	 0},
	{"POST", "/users/{id}/password/confirm", handle_user_password_confirm, PERM_ROLE_GRANT, 0,
	 none, 0},
	{"POST", "/users/{id}/unlock", handle_user_unlock, PERM_ACCOUNT_WRITE, 0, none, 0},
	{"POST", "/users/{id}/roles", handle_user_roles, PERM_ROLE_GRANT, 0, grant_params, 0},
	{"GET", "/orgs", handle_orgs, PERM_ORG_READ, 0, none, 0},
	{"POST", "/orgs", handle_org_create, PERM_ORG_WRITE, 0, org_new_params, 0},
	{"POST", "/orgs/{id}", handle_org_rename, PERM_ORG_WRITE, 0, org_rename_params, 0},
	{"GET", "/roles", handle_roles, PERM_ACCOUNT_READ, 0, none, 0},
	{"GET", "/policy", handle_policy, PERM_POLICY, 0, none, 0},
	{"POST", "/policy", handle_policy_save, PERM_POLICY, 0, policy_params, 0},
	{"GET", "/audit", handle_audit, PERM_AUDIT_READ, 0, audit_params, 0},
	{"GET", "/persons", handle_persons, PERM_PERSON_READ, 0, person_filter_params, 0},
	{"GET", "/persons/new", handle_person_new, PERM_PERSON_WRITE, 0, none, 0},
	{"GET", "/persons/export", handle_persons_export, PERM_PERSON_REVEAL, 0,
	 person_filter_params, 0},
	{"GET", "/persons/import", handle_import_form, PERM_PERSON_WRITE, 0, none, 0},
	{"POST", "/persons/import", handle_import_upload, PERM_PERSON_WRITE, 0,
	 import_upload_params, UPLOAD_MAX + 64 * 1024},
	{"POST", "/persons/import/confirm", handle_import_confirm, PERM_PERSON_WRITE, 0,
	 import_token_params, 0},
	{"GET", "/persons/import/rejected", handle_import_rejected, PERM_PERSON_WRITE, 0,
	 import_token_params, 0},
	{"GET", "/persons/import/progress", handle_import_progress, PERM_PERSON_WRITE, 0,
	 import_token_params, 0},
	{"GET", "/persons/import/status", handle_import_status, PERM_PERSON_WRITE, 0,
	 import_token_params, 0},
	{"POST", "/persons", handle_person_create, PERM_PERSON_WRITE, 0, person_form_params, 0},
	{"GET", "/persons/{id}", handle_person_show, PERM_PERSON_READ, 0, none, 0},
	{"GET", "/persons/{id}/edit", handle_person_edit, PERM_PERSON_WRITE, 0, none, 0},
	{"POST", "/persons/{id}", handle_person_update, PERM_PERSON_WRITE, 0, person_form_params,
	 0},
	{"POST", "/persons/{id}/reveal", handle_person_reveal, PERM_PERSON_REVEAL, 0, none, 0},
	{"POST", "/persons/{id}/status", handle_person_status, PERM_PERSON_WRITE, 0,
	 person_status_params, 0},
	{"POST", "/persons/{id}/family", handle_person_family, PERM_PERSON_WRITE, 0,
	 person_family_params, 0},
	{"POST", "/persons/{id}/family/delete", handle_person_unlink, PERM_PERSON_WRITE, 0,
	 person_unlink_params, 0},

	{"GET", "/benefits", handle_benefits, PERM_BENEFIT_READ, 0, benefits_params, 0},
	{"POST", "/benefits/standards", handle_standard_propose, PERM_STANDARD_WRITE, 0,
	 standard_params, 0},
	{"POST", "/benefits/standards/import", handle_standard_import, PERM_STANDARD_WRITE, 0,
	 benefit_upload_params, BENEFIT_UPLOAD_MAX + 64 * 1024},
	{"POST", "/benefits/standards/{id}/decide", handle_standard_decide, PERM_STANDARD_APPROVE,
	 0, standard_decide_params, 0},
	{"POST", "/benefits/rules", handle_rule_set, PERM_STANDARD_WRITE, 0, rule_params, 0},
	{"POST", "/benefits/rules/approve", handle_rules_approve, PERM_STANDARD_APPROVE, 0,
	 rules_approve_params, 0},
	{"GET", "/entitlements", handle_entitlements, PERM_BENEFIT_READ, 0,
	 entitlement_filter_params, 0},
	{"POST", "/entitlements/propose", handle_entitlement_propose, PERM_ENTITLEMENT_WRITE, 0,
	 none, 0},
	{"POST", "/entitlements/{id}/confirm", handle_entitlement_confirm, PERM_ENTITLEMENT_CONFIRM,
	 0, entitlement_confirm_params, 0},
	{"POST", "/entitlements/{id}/suspend", handle_entitlement_suspend, PERM_ENTITLEMENT_WRITE,
	 0, entitlement_month_params, 0},
	{"POST", "/entitlements/{id}/resume", handle_entitlement_resume, PERM_ENTITLEMENT_WRITE, 0,
	 entitlement_month_params, 0},
	{"POST", "/entitlements/{id}/cancel", handle_entitlement_cancel, PERM_ENTITLEMENT_WRITE, 0,
	 entitlement_month_params, 0},
	{"GET", "/verifications", handle_verifications, PERM_BENEFIT_READ, 0,
	 verification_list_params, 0},
	{"POST", "/verifications/notify", handle_verification_notify, PERM_ENTITLEMENT_WRITE, 0,
	 verification_params, 0},
	{"POST", "/verifications/record", handle_verification_record, PERM_ENTITLEMENT_WRITE, 0,
	 verification_params, 0},
	{"POST", "/verifications/sweep", handle_verification_sweep, PERM_ENTITLEMENT_WRITE, 0,
	 verification_sweep_params, 0},
	{"GET", "/payments", handle_payments, PERM_BENEFIT_READ, 0, page_params, 0},
	{"POST", "/payments", handle_payment_generate, PERM_PAY_GENERATE, 0, generate_params, 0},
	{"GET", "/payments/lines", handle_payment_lines, PERM_BENEFIT_READ, 0, line_filter_params,
	 0},
	{"GET", "/payments/recoveries", handle_payment_recoveries, PERM_BENEFIT_READ, 0,
	 page_params, 0},
	{"GET", "/payments/{id}", handle_payment_batch, PERM_BENEFIT_READ, 0, page_params, 0},
	{"POST", "/payments/{id}/review", handle_payment_review, PERM_PAY_REVIEW, 0, none, 0},
	{"POST", "/payments/{id}/reject", handle_payment_reject, PERM_BENEFIT_READ, 0,
	 reject_params, 0},
	{"POST", "/payments/{id}/approve", handle_payment_approve, PERM_PAY_APPROVE, 0, none, 0},
	{"GET", "/payments/{id}/bank", handle_payment_bank, PERM_PAY_BANK, 0, bank_params, 0},
	{"POST", "/payments/{id}/return", handle_payment_return, PERM_PAY_BANK, 0,
	 benefit_upload_params, BENEFIT_UPLOAD_MAX + 64 * 1024},
	{"GET", "/stats/benefits", handle_benefit_stats, PERM_STATS_READ, 0, stats_params, 0},

	{"POST", "/api/v1/session", handle_api_session_create, PERM_NONE,
	 PUBLIC | API | ROUTE_NO_CSRF, login_params, 0},
	{"DELETE", "/api/v1/session", handle_api_session_delete, PERM_SIGNED_IN, API | PW, none, 0},
	{"GET", "/api/v1/me", handle_api_me, PERM_SIGNED_IN, API | PW, none, 0},
	{"GET", "/api/v1/users", handle_api_users, PERM_ACCOUNT_READ, API, list_params, 0},
	{"GET", "/api/v1/audit", handle_api_audit, PERM_AUDIT_READ, API, audit_params, 0},
	{"GET", "/api/v1/persons", handle_api_persons, PERM_PERSON_READ, API, person_filter_params,
	 0},
	{"GET", "/api/v1/persons/{id}", handle_api_person, PERM_PERSON_READ, API, none, 0},
	{"POST", "/api/v1/persons", handle_api_person_create, PERM_PERSON_WRITE, API,
	 person_api_params, 0},
	{"PATCH", "/api/v1/persons/{id}", handle_api_person_update, PERM_PERSON_WRITE, API,
	 person_api_params, 0},
	{"POST", "/api/v1/persons/{id}/status", handle_api_person_status, PERM_PERSON_WRITE, API,
	 person_status_params, 0},
	{"POST", "/api/v1/persons/{id}/family", handle_api_person_family, PERM_PERSON_WRITE, API,
	 person_family_params, 0},
	{"GET", "/api/v1/entitlements", handle_api_entitlements, PERM_BENEFIT_READ, API,
	 entitlement_filter_params, 0},
	{"GET", "/api/v1/payments/batches", handle_api_batches, PERM_BENEFIT_READ, API,
	 batches_api_params, 0},
	{"POST", "/api/v1/payments/batches", handle_api_batch_generate, PERM_PAY_GENERATE, API,
	 generate_api_params, 0},
	{"GET", "/api/v1/payments/batches/{id}", handle_api_batch, PERM_BENEFIT_READ, API,
	 page_params, 0},
	{"POST", "/api/v1/payments/batches/{id}/reject", handle_api_batch_reject, PERM_BENEFIT_READ,
	 API, reject_params, 0},
	{"POST", "/api/v1/payments/batches/{id}/review", handle_api_batch_review, PERM_PAY_REVIEW,
	 API, none, 0},
	{"POST", "/api/v1/payments/batches/{id}/approve", handle_api_batch_approve,
	 PERM_PAY_APPROVE, API, none, 0},
	{"GET", "/api/v1/payments/lines", handle_api_pay_lines, PERM_BENEFIT_READ, API,
	 line_filter_params, 0},
	{"GET", "/api/v1/stats/benefits", handle_api_benefit_stats, PERM_STATS_READ, API,
	 stats_params, 0},
};

const size_t n_routes = sizeof(routes) / sizeof(routes[0]);
