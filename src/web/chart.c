/* chart.c - figures drawn as standalone SVG documents (chart.h). */
#include "web/chart.h"
#include "lib/err.h"
#include "lib/utf8.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

const char *const chart_month_labels[12] = {"1月", "2月", "3月", "4月",  "5月",  "6月",
					    "7月", "8月", "9月", "10月", "11月", "12月"};

/* Widths in user units (the height follows the rows): small enough that the text, scaled
 * with the image, stays readable on a phone 360 px wide. */
#define W 400
#define W_SHARES 360
#define N_PATTERNS 8

void chart_count_text(int64_t v, char out[32])
{
	char digits[24];
	/* the magnitude as unsigned, so that INT64_MIN has one too */
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)u);
	size_t o = 0;
	if (v < 0)
		out[o++] = '-';
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

int chart_permil(int64_t part, int64_t whole)
{
	if (whole <= 0 || part < 0)
		return whole <= 0 ? -1 : 0;
	/* long double: part * 1000 may not fit in 64 bits */
	long double p = floorl((long double)part * 1000.0L / (long double)whole + 0.5L);
	return p > 1000000.0L ? 1000000 : (int)p;
}

void chart_percent_text(int permil, char out[16])
{
	if (permil < 0)
		snprintf(out, 16, "—");
	else
		snprintf(out, 16, "%d.%d%%", permil / 10, permil % 10);
}

/* ---- text ---- */

/* Appends s as XML character data (and attribute-safe): & < > " ' as references, controls
 * dropped (tab, newline and return as a space), invalid UTF-8 as U+FFFD; at most cut
 * characters (0: all), a cut text ending in "…". */
static void xml_text(struct buf *b, const char *s, size_t cut)
{
	if (!s)
		return;
	size_t total = utf8_count(s, strlen(s)), chars = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		if (cut && total > cut && chars == cut - 1) {
			buf_puts(b, "…");
			return;
		}
		size_t len = *p < 0x80             ? 1
			     : (*p & 0xE0) == 0xC0 ? 2
			     : (*p & 0xF0) == 0xE0 ? 3
			     : (*p & 0xF8) == 0xF0 ? 4
						   : 0;
		if (len == 0 || !utf8_valid((const char *)p, strnlen((const char *)p, len)) ||
		    strnlen((const char *)p, len) < len) {
			buf_puts(b, "\xEF\xBF\xBD");
			p++;
			chars++;
			continue;
		}
		if (len == 1) {
			unsigned char c = *p;
			if (c == '&')
				buf_puts(b, "&amp;");
			else if (c == '<')
				buf_puts(b, "&lt;");
			else if (c == '>')
				buf_puts(b, "&gt;");
			else if (c == '"')
				buf_puts(b, "&quot;");
			else if (c == '\'')
				buf_puts(b, "&#39;");
			else if (c == '\t' || c == '\n' || c == '\r')
				buf_putc(b, ' ');
			else if (c >= 0x20 && c != 0x7F)
				buf_putc(b, (char)c);
			else
				chars--; /* dropped */
		} else if (len == 2 && p[0] == 0xC2 && p[1] < 0xA0) {
			chars--; /* C1 controls: dropped */
		} else {
			buf_append(b, p, len);
		}
		p += len;
		chars++;
	}
}

/* The width of s in user units at font size px, roughly: CJK and other wide characters
 * a full em, ASCII about 0.6 em. */
static double text_width(const char *s, double px)
{
	double w = 0;
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if (*p < 0x80)
			w += 0.6 * px;
		else if ((*p & 0xC0) != 0x80)
			w += px;
	}
	return w;
}

/* ---- the document ---- */

static int check(const struct chart *c)
{
	if (!c || !c->id || !*c->id || strlen(c->id) > 32 || c->n > CHART_ITEMS_MAX ||
	    (c->n && !c->items))
		return VE_INVALID;
	for (const char *p = c->id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return VE_INVALID;
	for (size_t i = 0; i < c->n; i++)
		if (c->items[i].value < 0)
			return VE_INVALID;
	return 0;
}

static int64_t max_of(const struct chart *c)
{
	int64_t m = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->items[i].value > m)
			m = c->items[i].value;
	return m;
}

static int64_t sum_of(const struct chart *c)
{
	int64_t s = 0;
	for (size_t i = 0; i < c->n; i++)
		s = c->items[i].value > INT64_MAX - s ? INT64_MAX : s + c->items[i].value;
	return s;
}

int chart_describe(struct buf *out, const struct chart *c, int shares)
{
	int rc = check(c);
	if (rc)
		return rc;
	size_t len = out->len;
	int64_t sum = sum_of(c);
	char v[32], pct[16];
	for (size_t i = 0; i < c->n; i++) {
		chart_count_text(c->items[i].value, v);
		buf_printf(out, "%s%s %s %s", i ? "；" : "",
			   c->items[i].label ? c->items[i].label : "", v, c->unit ? c->unit : "");
		if (shares) {
			chart_percent_text(chart_permil(c->items[i].value, sum), pct);
			buf_printf(out, "（%s）", pct);
		}
	}
	chart_count_text(sum, v);
	if (sum == 0)
		buf_printf(out, "%s无数据（各项均为 0）。", c->n ? "。" : "");
	else
		buf_printf(out, "；合计 %s %s。", v, c->unit ? c->unit : "");
	if (out->overflow) {
		out->len = len;
		if (out->data)
			out->data[len] = '\0';
		out->overflow = 0;
		return VE_LIMIT;
	}
	return 0;
}

/* Patterns: solid, diagonal, dots, cross-hatch, horizontal, white, vertical, grid; each its
 * own hue too, the parts' outlines black. Presentation attributes, not a <style>: the chart
 * looks the same as an <img>, opened alone (under the site's CSP) or printed. */
static const char *const pattern_ink[N_PATTERNS] = {"#1d4f91", "#b03a2e", "#1b5e20", "#6a1b9a",
						    "#b35c00", "#000",    "#00695c", "#37474f"};

static void defs(struct buf *b, const char *id)
{
	static const struct {
		int i, size;
		const char *d; /* lines, or NULL for a dot */
	} p[] = {{1, 8, "M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6"},
		 {2, 6, NULL},
		 {3, 8, "M0,0 L8,8 M8,0 L0,8"},
		 {4, 6, "M0,3 L6,3"},
		 {6, 6, "M3,0 L3,6"},
		 {7, 8, "M4,0 L4,8 M0,4 L8,4"}};
	buf_puts(b, "<defs>");
	for (size_t k = 0; k < sizeof(p) / sizeof(p[0]); k++) {
		buf_printf(b,
			   "<pattern id=\"%s-p%d\" width=\"%d\" height=\"%d\" "
			   "patternUnits=\"userSpaceOnUse\"><rect width=\"%d\" height=\"%d\" "
			   "fill=\"#fff\"/>",
			   id, p[k].i, p[k].size, p[k].size, p[k].size, p[k].size);
		if (p[k].d)
			buf_printf(
				b,
				"<path d=\"%s\" stroke=\"%s\" stroke-width=\"2\" fill=\"none\"/>",
				p[k].d, pattern_ink[p[k].i]);
		else
			buf_printf(b, "<circle cx=\"3\" cy=\"3\" r=\"1.6\" fill=\"%s\"/>",
				   pattern_ink[p[k].i]);
		buf_puts(b, "</pattern>");
	}
	buf_puts(b, "</defs>");
}

/* The fill of part i: solid, white or a pattern. */
static void part_fill(struct buf *b, const char *id, size_t i)
{
	i %= N_PATTERNS;
	if (i == 0)
		buf_printf(b, "fill=\"%s\"", pattern_ink[0]);
	else if (i == 5)
		buf_puts(b, "fill=\"#fff\"");
	else
		buf_printf(b, "fill=\"url(#%s-p%zu)\"", id, i);
}

#define BAR_ATTRS "fill=\"#1d4f91\" stroke=\"#000\" stroke-width=\"1\""
#define AX_ATTRS "stroke=\"#000\" stroke-width=\"1\""
#define T_ATTRS "class=\"t\" font-size=\"14\" fill=\"#000\""
#define TS_ATTRS "class=\"t\" font-size=\"12\" fill=\"#000\""
#define V_ATTRS "class=\"v\" font-size=\"13\" font-weight=\"bold\" fill=\"#000\""

/* The document's start: the root, title, desc, style, patterns and the white ground. */
static void open_svg(struct buf *b, const struct chart *c, int w, int h, int shares)
{
	buf_printf(b,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
		   "height=\"%d\" role=\"img\" aria-labelledby=\"%s-t %s-d\" class=\"chart\" "
		   "font-family=\"'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',"
		   "'PingFang SC',sans-serif\">",
		   w, h, w, h, c->id, c->id);
	buf_printf(b, "<title id=\"%s-t\">", c->id);
	xml_text(b, c->title, 0);
	buf_printf(b, "</title><desc id=\"%s-d\">", c->id);
	struct buf d;
	buf_init(&d, 64 * 1024);
	chart_describe(&d, c, shares);
	xml_text(b, buf_cstr(&d), 0);
	buf_free(&d);
	buf_puts(b, "</desc>");
	defs(b, c->id);
	buf_printf(b, "<rect class=\"bg\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>", w, h);
}

static void note_empty(struct buf *b, int x, int y)
{
	buf_printf(b,
		   "<text class=\"note\" x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"16\" "
		   "fill=\"#000\">无数据</text>",
		   x, y);
}

static int finish(struct buf *b, size_t len)
{
	buf_puts(b, "</svg>\n");
	if (b->overflow) {
		b->len = len;
		if (b->data)
			b->data[len] = '\0';
		b->overflow = 0;
		return VE_LIMIT;
	}
	return 0;
}

int chart_svg_columns(struct buf *out, const struct chart *c)
{
	int rc = check(c);
	if (rc)
		return rc;
	size_t len = out->len;
	int64_t max = max_of(c);
	size_t n = c->n ? c->n : 1;
	double slot = (W - 20.0) / (double)n, bar_w = slot * 0.6;
	/* values stand above their bars, turned upright when wider than a slot */
	double value_w = 0, label_w = 0;
	char v[32];
	for (size_t i = 0; i < c->n; i++) {
		chart_count_text(c->items[i].value, v);
		double w = text_width(v, 13);
		value_w = w > value_w ? w : value_w;
		w = text_width(c->items[i].label ? c->items[i].label : "", 12);
		label_w = w > label_w ? w : label_w;
	}
	if (label_w > 12 * CHART_LABEL_CUT)
		label_w = 12 * CHART_LABEL_CUT;
	int turn_values = value_w > slot - 2, turn_labels = label_w > slot - 2;
	int top = max == 0 ? 20 : turn_values ? (int)value_w + 12 : 22;
	int plot = 160, base = top + plot;
	int h = base + (turn_labels ? (int)(label_w * 0.72) + 22 : 24);
	open_svg(out, c, W, h, 0);
	for (size_t i = 0; max > 0 && i < c->n; i++) {
		double x = 10 + slot * (double)i, cx = x + slot / 2;
		double bh = (double)plot * ((double)c->items[i].value / (double)max);
		if (c->items[i].value > 0)
			buf_printf(out,
				   "<rect class=\"bar\" " BAR_ATTRS
				   " x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
				   "height=\"%.1f\"/>",
				   cx - bar_w / 2, base - bh, bar_w, bh);
		chart_count_text(c->items[i].value, v);
		if (turn_values)
			buf_printf(out,
				   "<text " V_ATTRS
				   " x=\"%.1f\" y=\"%.1f\" transform=\"rotate(-90 %.1f "
				   "%.1f)\" dominant-baseline=\"middle\">%s</text>",
				   cx, base - bh - 4, cx, base - bh - 4, v);
		else
			buf_printf(out,
				   "<text " V_ATTRS " x=\"%.1f\" y=\"%.1f\" "
				   "text-anchor=\"middle\">%s</text>",
				   cx, base - bh - 5, v);
	}
	buf_printf(out, "<line class=\"ax\" " AX_ATTRS " x1=\"10\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
		   base, W - 10, base);
	for (size_t i = 0; i < c->n; i++) {
		double cx = 10 + slot * (double)i + slot / 2;
		if (turn_labels) {
			buf_printf(out,
				   "<text " TS_ATTRS " x=\"%.1f\" y=\"%d\" text-anchor=\"end\" "
				   "transform=\"rotate(-45 %.1f %d)\">",
				   cx + 4, base + 14, cx + 4, base + 14);
		} else {
			buf_printf(out,
				   "<text " TS_ATTRS " x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
				   cx, base + 18);
		}
		xml_text(out, c->items[i].label, CHART_LABEL_CUT);
		buf_puts(out, "</text>");
	}
	if (max == 0)
		note_empty(out, W / 2, top + plot / 2);
	return finish(out, len);
}

#define ROW 28

int chart_svg_bars(struct buf *out, const struct chart *c)
{
	int rc = check(c);
	if (rc)
		return rc;
	size_t len = out->len;
	int64_t max = max_of(c);
	char v[32];
	double value_w = 0;
	for (size_t i = 0; i < c->n; i++) {
		chart_count_text(c->items[i].value, v);
		double w = text_width(v, 13);
		value_w = w > value_w ? w : value_w;
	}
	/* the labels' column: as wide as the widest label (cut ones included) */
	double label_w = 0;
	for (size_t i = 0; i < c->n; i++) {
		double w = text_width(c->items[i].label ? c->items[i].label : "", 14);
		label_w = w > label_w ? w : label_w;
	}
	int lx = 8 + (int)(label_w < 14 * CHART_LABEL_CUT ? label_w : 14 * CHART_LABEL_CUT);
	double span = W - (lx + 6) - value_w - 14;
	int rows = c->n ? (int)c->n : 1;
	int h = rows * ROW + 12 + (max == 0 ? 30 : 0);
	open_svg(out, c, W, h, 0);
	for (size_t i = 0; i < c->n; i++) {
		int y = 6 + (int)i * ROW;
		buf_printf(out,
			   "<text " T_ATTRS " x=\"%d\" y=\"%d\" text-anchor=\"end\" "
			   "dominant-baseline=\"middle\">",
			   lx, y + ROW / 2);
		xml_text(out, c->items[i].label, CHART_LABEL_CUT);
		buf_puts(out, "</text>");
		if (max == 0)
			continue;
		double bw = span * ((double)c->items[i].value / (double)max);
		if (c->items[i].value > 0)
			buf_printf(out,
				   "<rect class=\"bar\" " BAR_ATTRS
				   " x=\"%d\" y=\"%d\" width=\"%.1f\" "
				   "height=\"16\"/>",
				   lx + 6, y + ROW / 2 - 8, bw);
		chart_count_text(c->items[i].value, v);
		buf_printf(out,
			   "<text " V_ATTRS
			   " x=\"%.1f\" y=\"%d\" dominant-baseline=\"middle\">%s</text>",
			   lx + 6 + bw + 6, y + ROW / 2, v);
	}
	buf_printf(out, "<line class=\"ax\" " AX_ATTRS " x1=\"%d\" y1=\"4\" x2=\"%d\" y2=\"%d\"/>",
		   lx + 6, lx + 6, rows * ROW + 8);
	if (max == 0)
		note_empty(out, (lx + W) / 2, rows * ROW + 30);
	return finish(out, len);
}

#define LEGEND_Y 62
#define LEGEND_ROW 26

int chart_svg_shares(struct buf *out, const struct chart *c)
{
	int rc = check(c);
	if (rc)
		return rc;
	size_t len = out->len;
	int64_t sum = sum_of(c);
	int h = sum == 0 ? LEGEND_Y + 8 : LEGEND_Y + LEGEND_ROW * ((int)c->n + 1) + 4;
	open_svg(out, c, W_SHARES, h, 1);
	double x = 10, span = W_SHARES - 20;
	for (size_t i = 0; sum > 0 && i < c->n; i++) {
		double w = span * ((double)c->items[i].value / (double)sum);
		if (c->items[i].value > 0) {
			buf_printf(out, "<rect class=\"part s%zu\" ", i % N_PATTERNS);
			part_fill(out, c->id, i);
			buf_printf(out,
				   " stroke=\"#000\" stroke-width=\"1.5\" x=\"%.1f\" y=\"12\" "
				   "width=\"%.1f\" height=\"34\"/>",
				   x, w);
		}
		x += w;
	}
	buf_printf(out,
		   "<rect class=\"ax\" " AX_ATTRS
		   " x=\"10\" y=\"12\" width=\"%d\" height=\"34\" fill=\"none\"/>",
		   W_SHARES - 20);
	if (sum == 0) {
		note_empty(out, W_SHARES / 2, 35);
		return finish(out, len);
	}
	char v[32], pct[16];
	for (size_t i = 0; i < c->n; i++) {
		int y = LEGEND_Y + (int)i * LEGEND_ROW;
		buf_printf(out, "<rect class=\"part s%zu\" ", i % N_PATTERNS);
		part_fill(out, c->id, i);
		buf_printf(out,
			   " stroke=\"#000\" stroke-width=\"1.5\" x=\"10\" y=\"%d\" width=\"18\" "
			   "height=\"18\"/>",
			   y);
		buf_printf(out, "<text " T_ATTRS " x=\"36\" y=\"%d\">", y + 14);
		xml_text(out, c->items[i].label, 2 * CHART_LABEL_CUT);
		chart_count_text(c->items[i].value, v);
		chart_percent_text(chart_permil(c->items[i].value, sum), pct);
		buf_printf(out, "：<tspan class=\"v\" font-weight=\"bold\">%s</tspan> ", v);
		xml_text(out, c->unit, 0);
		buf_printf(out, "（<tspan class=\"v\" font-weight=\"bold\">%s</tspan>）</text>",
			   pct);
	}
	chart_count_text(sum, v);
	buf_printf(out,
		   "<text " T_ATTRS
		   " x=\"36\" y=\"%d\">合计：<tspan class=\"v\" font-weight=\"bold\">%s</tspan> ",
		   LEGEND_Y + (int)c->n * LEGEND_ROW + 14, v);
	xml_text(out, c->unit, 0);
	buf_puts(out, "</text>");
	return finish(out, len);
}
