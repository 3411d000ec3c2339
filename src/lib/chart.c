/* chart.c - the geometry of horizontal bar charts, and their values for a template. */
#include "chart.h"
#include <stdio.h>
#include <string.h>

int chart_layout(const int64_t *counts, size_t n, int64_t base, struct chart_geom *out, int *height)
{
	*height = 0;
	if (n > CHART_BARS_MAX || base < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (counts[i] < 0)
			return -1;
	for (size_t i = 0; i < n; i++) {
		int64_t c = counts[i] > base ? base : counts[i];
		struct chart_geom *g = &out[i];
		int top = (int)i * CHART_ROW_PX;
		g->label_y = top + CHART_LABEL_Y;
		g->bar_y = top + CHART_BAR_Y;
		g->text_y = top + CHART_TEXT_Y;
		/* c <= base, and base is a count of people: the products stay far below INT64_MAX
		 * for any base under 10^14 */
		g->share_permil = base ? (int)((c * 2000 + base) / (2 * base)) : 0;
		g->bar_w = base ? (int)((c * CHART_SPAN_PCT * 100 * 2 + base) / (2 * base)) : 0;
		g->text_x = (CHART_SPAN_PCT + CHART_GAP_PCT) * 100;
	}
	*height = (int)n * CHART_ROW_PX + 4;
	return 0;
}

void chart_share_text(int permil, char out[16])
{
	snprintf(out, 16, "%d.%d%%", permil / 10, permil % 10);
}

static void pct_text(int hundredths, char out[16])
{
	snprintf(out, 16, "%d.%02d%%", hundredths / 100, hundredths % 100);
}

/* The byte length of the first chars characters of UTF-8 s (all of s when shorter). */
static size_t prefix_bytes(const char *s, size_t chars)
{
	size_t i = 0;
	for (size_t k = 0; s[i] && k < chars; k++) {
		i++;
		while (((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
	}
	return i;
}

/* label cut to CHART_LABEL_CHARS characters, the last one "…", when it is longer; out
 * holds CHART_LABEL_CHARS * 4 + 4 bytes */
static void short_label(const char *label, char out[CHART_LABEL_CHARS * 4 + 4])
{
	size_t whole = prefix_bytes(label, CHART_LABEL_CHARS);
	if (!label[whole]) {
		memcpy(out, label, whole + 1);
		return;
	}
	size_t keep = prefix_bytes(label, CHART_LABEL_CHARS - 1);
	memcpy(out, label, keep);
	memcpy(out + keep, "…", sizeof("…"));
}

json_t *chart_json(const char *caption, const struct chart_bar *bars, size_t n, int64_t base)
{
	int64_t counts[CHART_BARS_MAX] = {0};
	struct chart_geom g[CHART_BARS_MAX];
	int height = 0;
	if (n > CHART_BARS_MAX)
		return NULL;
	for (size_t i = 0; i < n; i++)
		counts[i] = bars[i].count;
	if (chart_layout(counts, n, base, g, &height) != 0)
		return NULL;
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		char share[16], w[16], x[16], cut[CHART_LABEL_CHARS * 4 + 4];
		const char *label = bars[i].label ? bars[i].label : "";
		chart_share_text(g[i].share_permil, share);
		pct_text(g[i].bar_w, w);
		pct_text(g[i].text_x, x);
		short_label(label, cut);
		json_array_append_new(
			a, json_pack("{s:s,s:s,s:I,s:s,s:i,s:i,s:i,s:i,s:s,s:s}", "label", label,
				     "short", cut, "count", (json_int_t)bars[i].count, "share",
				     share, "label_y", g[i].label_y, "bar_y", g[i].bar_y, "bar_h",
				     CHART_BAR_PX, "text_y", g[i].text_y, "bar_w", w, "text_x", x));
	}
	return json_pack("{s:s,s:I,s:i,s:s,s:o}", "caption", caption ? caption : "", "base",
			 (json_int_t)base, "height", height, "span", "60%", "bars", a);
}
