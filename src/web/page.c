/* page.c - the page context every template sees, and the reply helpers. */
#include "route.h"
#include "tmpl.h"
#include "web/portal.h"
#include "web/multipart.h"
#include "db/db.h"
#include "lib/asset.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/mem.h"
#include "lib/str.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <stdlib.h>

#define FLASH_COOKIE "vets_flash"

static struct tmpl_set *templates;
static char bureau[128] = "区退役军人事务局";

void page_set_bureau(const char *name)
{
	str_copy(bureau, name, sizeof(bureau));
}

int page_init(char *err, size_t errlen)
{
	size_t n = 0;
	for (const struct embedded_file *f = embedded_files; f->path; f++)
		n += strncmp(f->path, "templates/", 10) == 0;
	struct tmpl_source *src = xcalloc(n, sizeof(*src));
	char **names = xcalloc(n, sizeof(*names));
	size_t k = 0;
	for (const struct embedded_file *f = embedded_files; f->path; f++) {
		if (strncmp(f->path, "templates/", 10) != 0)
			continue;
		/* "templates/users/list.html" is the template "users/list". */
		const char *name = f->path + 10;
		const char *dot = strrchr(name, '.');
		names[k] = xstrndup(name, dot ? (size_t)(dot - name) : strlen(name));
		src[k] = (struct tmpl_source){names[k], (const char *)f->data, f->len};
		k++;
	}
	int rc = tmpl_set_create(&templates, src, k, err, errlen);
	for (size_t i = 0; i < k; i++)
		free(names[i]);
	free(names);
	free(src);
	return rc;
}

void page_free(void)
{
	tmpl_set_free(templates);
	templates = NULL;
}

#define NAV_MAX 64

/* The entries of every area that user may use, by their order. */
static size_t nav_items(const struct request *req, const struct nav_item **out,
			const struct web_area **of)
{
	size_t n = 0;
	for (const struct web_area *const *a = web_area_list; *a; a++)
		for (const struct nav_item *it = (*a)->nav; it && it->href && n < NAV_MAX; it++) {
			if (!perm_allows(req->user.roles, it->perm))
				continue;
			size_t k = n++;
			for (; k > 0 && out[k - 1]->order > it->order; k--) {
				out[k] = out[k - 1];
				of[k] = of[k - 1];
			}
			out[k] = it;
			of[k] = *a;
		}
	return n;
}

static json_t *nav_json(const struct request *req)
{
	const struct nav_item *items[NAV_MAX];
	const struct web_area *areas[NAV_MAX];
	size_t n = nav_items(req, items, areas);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(items[i]->href);
		int active = strncmp(req->path, items[i]->href, len) == 0 &&
			     (req->path[len] == '\0' || req->path[len] == '/');
		json_t *it = json_pack("{s:s,s:s,s:b}", "href", items[i]->href, "title",
				       items[i]->title, "active", active);
		if (areas[i]->nav_count)
			json_object_set_new(it, "count",
					    json_integer(areas[i]->nav_count(req, items[i])));
		json_array_append_new(list, it);
	}
	return list;
}

/* The breadcrumbs of a staff page below the top level: 首页, the navigation entry the
 * path lies under (unless the page is that entry), the page's own parents
 * (page.crumbs: [{"title","href"}], e.g. the person a form edits), and the page's title
 * (no href: the current page). NULL on the home page, on a navigation entry's own page
 * and on errors. */
static json_t *breadcrumbs_json(const struct request *req, const char *name, const char *title,
				json_t *page)
{
	if (!req->signed_in || strcmp(name, "error") == 0 || strcmp(req->path, "/") == 0)
		return NULL;
	const struct nav_item *items[NAV_MAX];
	const struct web_area *areas[NAV_MAX];
	size_t n = nav_items(req, items, areas);
	const struct nav_item *under = NULL;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(items[i]->href);
		if (strcmp(req->path, items[i]->href) == 0)
			return NULL;
		if (strncmp(req->path, items[i]->href, len) == 0 && req->path[len] == '/')
			under = items[i];
	}
	json_t *list = json_array();
	json_array_append_new(list, json_pack("{s:s,s:s}", "title", "首页", "href", "/"));
	if (under && strcmp(under->title, title) != 0)
		json_array_append_new(list, json_pack("{s:s,s:s}", "title", under->title, "href",
						      under->href));
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(page, "crumbs"), i, c)
		json_array_append(list, c);
	json_array_append_new(list, json_pack("{s:s}", "title", title));
	return list;
}

/* The flash message from the cookie set by the previous reply, cleared now. */
static json_t *take_flash(const struct request *req, struct reply *rep)
{
	char value[REPLY_COOKIE_MAX];
	if (!req->cookie || http_cookie(req->cookie, FLASH_COOKIE, value, sizeof(value)) != 0 ||
	    !value[0])
		return NULL;
	reply_cookie(rep, FLASH_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	char decoded[REPLY_COOKIE_MAX];
	long n = http_decode(value, strlen(value), 0, decoded);
	if (n < 3 || decoded[1] != ':')
		return NULL;
	return json_pack("{s:s,s:s}", "kind", decoded[0] == 'o' ? "ok" : "error", "message",
			 decoded + 2);
}

json_t *page_context(const char *title, json_t *page)
{
	return json_pack("{s:{s:s,s:s,s:s},s:s,s:o}", "app", "name", "退役军人服务保障平台",
			 "bureau", bureau, "version", VETS_VERSION, "title", title, "page",
			 page ? page : json_object());
}

int page_render_standalone(const char *name, json_t *data, struct buf *out)
{
	int rc = templates ? tmpl_render(templates, name, data, out) : VE_INVALID;
	json_decref(data);
	return rc;
}

int page_render(struct reply *rep, int status, const char *name, json_t *ctx)
{
	buf_reset(&rep->body);
	int rc = tmpl_render(templates, name, ctx, &rep->body);
	json_decref(ctx);
	if (rc != 0) {
		log_error("template.render_failed", "template=%s error=%s", name, err_name(rc));
		buf_reset(&rep->body);
		buf_puts(&rep->body, "<!doctype html><meta charset=utf-8><title>系统错误</title>"
				     "<p>页面生成失败，请稍后再试。</p>");
		status = 500;
	}
	rep->status = status;
	rep->content_type = "text/html; charset=utf-8";
	return 0;
}

int reply_page(struct request *req, struct reply *rep, int status, const char *name,
	       const char *title, json_t *page)
{
	json_t *ctx = page_context(title, page);
	if (req->signed_in) {
		char titles[200];
		account_roles_text(req->user.roles, titles, sizeof(titles));
		json_object_set_new(ctx, "user",
				    json_pack("{s:s,s:s,s:s,s:s}", "username", req->user.username,
					      "display_name", req->user.display_name, "org",
					      req->user.org_name, "role_titles", titles));
		json_object_set_new(ctx, "nav", nav_json(req));
		json_object_set_new(ctx, "csrf", json_string(req->user.csrf));
		json_t *crumbs = breadcrumbs_json(req, name, title, json_object_get(ctx, "page"));
		if (crumbs)
			json_object_set_new(ctx, "breadcrumbs", crumbs);
	} else if (req->form_csrf[0]) {
		json_object_set_new(ctx, "csrf", json_string(req->form_csrf));
	}
	json_t *flash = take_flash(req, rep);
	if (flash)
		json_object_set_new(ctx, "flash", flash);
	return page_render(rep, status, name, ctx);
}

int reply_json(struct reply *rep, int status, json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	buf_reset(&rep->body);
	if (!text || buf_puts(&rep->body, text) < 0) {
		buf_reset(&rep->body);
		buf_puts(&rep->body,
			 "{\"error\":{\"code\":\"too_large\",\"message\":\"结果过大\"}}");
		status = 500;
	}
	free(text);
	rep->status = status;
	rep->content_type = "application/json; charset=utf-8";
	return 0;
}

static int wants_json(const struct request *req)
{
	/* The raw target too: a request refused before its path was decoded. */
	if (req->is_api || strncmp(req->path, "/api/", 5) == 0 ||
	    (req->raw_uri && strncmp(req->raw_uri, "/api/", 5) == 0))
		return 1;
	return req->accept && strstr(req->accept, "application/json") &&
	       !strstr(req->accept, "text/html");
}

int reply_error(struct request *req, struct reply *rep, int status, const char *code,
		const char *message)
{
	if (wants_json(req))
		return reply_json(
			rep, status,
			json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message));
	const char *title = status == 404   ? "页面不存在"
			    : status == 403 ? "无权访问"
			    : status == 429 ? "请稍后再试"
			    : status >= 500 ? "系统错误"
					    : "请求有误";
	if (req->portal)
		return reply_portal(req, rep, status, "portal/error", title,
				    json_pack("{s:i,s:s}", "status", status, "message", message));
	return reply_page(
		req, rep, status, "error", title,
		json_pack("{s:i,s:s,s:s}", "status", status, "message", message, "back_href", "/"));
}

int page_save_upload(const struct multipart_part *file, char path[64], char *why, size_t size)
{
	const char *ext = NULL;
	size_t n = strlen(file->filename);
	if (n > 4 && strcasecmp(file->filename + n - 4, ".csv") == 0)
		ext = ".csv";
	else if (n > 5 && strcasecmp(file->filename + n - 5, ".xlsx") == 0)
		ext = ".xlsx";
	if (!ext)
		return snprintf(why, size, "只能上传 .csv 或 .xlsx 文件"), -1;
	snprintf(path, 64, "/tmp/vets-upload-XXXXXX%s", ext);
	int fd = mkstemps(path, (int)strlen(ext)); /* mode 0600 */
	int ok = fd >= 0 && write(fd, file->data, file->len) == (ssize_t)file->len;
	if (fd >= 0 && close(fd) != 0)
		ok = 0;
	if (!ok) {
		if (fd >= 0)
			unlink(path);
		return snprintf(why, size, "无法保存上传的文件，请稍后再试"), -1;
	}
	return 0;
}

json_t *page_field_errors(const struct field_errors *e)
{
	json_t *list = json_array();
	for (int i = 0; e && i < e->n; i++)
		json_array_append_new(list, json_pack("{s:s,s:s}", "field", e->items[i].field,
						      "message", e->items[i].message));
	return list;
}

int reply_api_refused(struct request *req, struct reply *rep, int rc,
		      const struct field_errors *fe, const char *err)
{
	if (!fe || !fe->n)
		return reply_area_error(req, rep, rc, err);
	return reply_json(rep, http_status_of(rc),
			  json_pack("{s:{s:s,s:s,s:o}}", "error", "code", err_name(rc), "message",
				    field_errors_first(fe, err ? err : ""), "fields",
				    page_field_errors(fe)));
}

int reply_redirect(struct reply *rep, const char *location)
{
	rep->status = 303;
	str_copy(rep->location, location, sizeof(rep->location));
	buf_reset(&rep->body);
	rep->content_type = "text/plain; charset=utf-8";
	return 0;
}

void reply_cookie(struct reply *rep, const char *fmt, ...)
{
	if (rep->n_cookies >= REPLY_MAX_COOKIES)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rep->cookies[rep->n_cookies++], sizeof(rep->cookies[0]), fmt, ap);
	va_end(ap);
}

static void url_encode(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-_.~", *p))
			buf_putc(b, (char)*p);
		else
			buf_printf(b, "%%%02X", *p);
	}
}

void reply_flash(struct reply *rep, const char *kind, const char *message)
{
	struct buf b;
	buf_init(&b, REPLY_COOKIE_MAX - 100); /* room for the name and attributes */
	buf_putc(&b, kind[0] == 'o' ? 'o' : 'e');
	buf_putc(&b, ':');
	url_encode(&b, message);
	if (!b.overflow)
		reply_cookie(rep, FLASH_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict",
			     buf_cstr(&b));
	buf_free(&b);
}

void page_query_add(struct buf *b, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	buf_puts(b, name);
	buf_putc(b, '=');
	url_encode(b, value);
	buf_putc(b, '&');
}

json_t *page_pager(int64_t page, int64_t per_page, int64_t total, const char *base_href)
{
	int64_t pages = total ? (total + per_page - 1) / per_page : 1;
	json_t *p = json_pack("{s:I,s:I,s:I}", "page", (json_int_t)page, "pages", (json_int_t)pages,
			      "total", (json_int_t)total);
	char href[1024];
	if (page > 1) {
		snprintf(href, sizeof(href), "%spage=%lld", base_href, (long long)(page - 1));
		json_object_set_new(p, "prev_href", json_string(href));
	}
	if (page < pages) {
		snprintf(href, sizeof(href), "%spage=%lld", base_href, (long long)(page + 1));
		json_object_set_new(p, "next_href", json_string(href));
	}
	return p;
}

struct db *page_db(struct request *req, struct reply *rep)
{
	struct db *db = db_thread();
	if (!db)
		reply_error(req, rep, 503, "unavailable", "数据库暂时不可用，请稍后再试");
	return db;
}

int http_status_of(int code)
{
	switch (code) {
	case VE_OK:
		return 200;
	case VE_INVALID:
		return 400;
	case VE_AUTH:
	case VE_EXPIRED:
		return 401;
	case VE_DENIED:
		return 403;
	case VE_NOTFOUND:
		return 404;
	case VE_EXISTS:
	case VE_CONFLICT:
		return 409;
	case VE_LIMIT:
		return 413;
	case VE_LOCKED:
		return 423;
	case VE_QUOTA:
		return 429;
	case VE_DB:
		return 503;
	default: /* VE_IO, VE_CRYPTO, VE_INTERNAL */
		return 500;
	}
}

int reply_area_error(struct request *req, struct reply *rep, int code, const char *message)
{
	return reply_error(req, rep, http_status_of(code), err_name(code),
			   message && *message ? message : err_message(code));
}

int reply_file(struct reply *rep, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	unlink(path);
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return VE_IO;
	}
	buf_reset(&rep->body);
	rep->has_file = 1;
	rep->file_fd = fd;
	rep->file_size = (uint64_t)st.st_size;
	return 0;
}
