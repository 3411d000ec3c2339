/* chart.h - horizontal bar charts drawn by the server as SVG, for the templates.
 *
 * The templates print no raw HTML, so a chart is plain values: for each bar its label,
 * count and share, and where its pieces lie. templates/surveys/chart.html draws them as
 * inline SVG with currentColor and CSS classes (no inline style: the CSP forbids it), and
 * a table of the same figures beside it for screen readers and for reading exactly.
 *
 * Geometry. The SVG has no viewBox, so text keeps its CSS size at any width; x positions
 * and widths are percentages of the chart's width, y positions pixels. Each bar takes a
 * row of CHART_ROW_PX: its label on a line of its own (at 360 px wide a label and a bar
 * side by side leave neither room), under it the bar, whose length is the bar's share of
 * the base, drawn inside a track of CHART_SPAN_PCT of the width (100 %), and right of the
 * track, in a column of their own, its count and share as text (at 360 px the text keeps
 * about 130 px: "320 人 100.0%" in large type). Shares are rounded half up to one decimal. */
#ifndef VETS_CHART_H
#define VETS_CHART_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define CHART_ROW_PX 56      /* one bar's row: label line, bar, gap */
#define CHART_LABEL_Y 18     /* the label's baseline, from the row's top */
#define CHART_BAR_Y 26       /* the bar's top, from the row's top */
#define CHART_BAR_PX 20      /* the bar's height */
#define CHART_TEXT_Y 41      /* the count's baseline, from the row's top */
#define CHART_SPAN_PCT 60    /* the width a share of 100 % takes, in % of the chart */
#define CHART_GAP_PCT 2      /* from the track's end to the count */
#define CHART_LABEL_CHARS 18 /* longer labels are cut (…) in the SVG; the table has them whole */
#define CHART_BARS_MAX 64

/* Where one bar's pieces lie. Widths and x in hundredths of a percent of the chart's
 * width (3185 is 31.85 %); y in pixels from the chart's top. */
struct chart_geom {
	int label_y, bar_y, text_y;
	int bar_w;        /* 0 .. CHART_SPAN_PCT * 100 */
	int text_x;       /* (CHART_SPAN_PCT + CHART_GAP_PCT) * 100: the counts make a column */
	int share_permil; /* count / base in tenths of a percent, rounded half up; 0 when base is 0
			   */
};

/* The geometry of n bars (n <= CHART_BARS_MAX) of counts over base (the number the shares
 * are of: e.g. the respondents of a question; a count may not exceed it, one that does is
 * drawn as base). *height receives the chart's height in pixels. 0, or -1 for n too large
 * or a negative count or base. */
int chart_layout(const int64_t *counts, size_t n, int64_t base, struct chart_geom *out,
		 int *height);

/* A share in tenths of a percent as text: 455 → "45.5%". */
void chart_share_text(int permil, char out[16]);

/* One bar as the caller has it. */
struct chart_bar {
	const char *label; /* UTF-8 */
	int64_t count;
};

/* The chart of n bars over base for templates/surveys/chart.html (a new reference):
 * {"caption","base","height","bars":[{"label" (whole),"short" (cut for the SVG),"count",
 * "share" ("45.5%"),"label_y","bar_y","bar_h","text_y","bar_w" ("31.85%"),"text_x"}]}.
 * NULL when chart_layout refuses. */
json_t *chart_json(const char *caption, const struct chart_bar *bars, size_t n, int64_t base);

#endif
