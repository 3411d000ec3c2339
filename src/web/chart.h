/* chart.h - charts of figures written as standalone SVG documents (image/svg+xml).
 *
 * The dashboard (web/dashboard.c) serves each chart as its own SVG and shows it as an
 * <img> with the same figures in a table below: the template engine prints no raw markup,
 * and a document of its own is also what a report or a download can take as it is.
 *
 * Every chart is readable without colour and in every reading mode: the SVG is role="img"
 * with a <title> and a <desc> saying the figures in words; each value is written as text on
 * or beside its bar; the parts of a share differ by pattern and outline, not by hue alone;
 * strokes and text are black on a white ground (what print and high-contrast modes keep),
 * and the colours are CSS classes of the SVG's own <style>, which a forced-colours mode
 * replaces by its system colours. Every text is XML-escaped (controls dropped). Sizes are
 * bounded: at most CHART_ITEMS_MAX items, values >= 0; a chart whose values are all 0 is
 * drawn empty with the note 无数据 (nothing is divided by zero). */
#ifndef VETS_WEB_CHART_H
#define VETS_WEB_CHART_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

#define CHART_ITEMS_MAX 64
#define CHART_LABEL_CUT 10 /* longer labels are cut (…) in the drawing; <desc> has them whole */

/* One bar or part: its label (UTF-8) and value (>= 0). */
struct chart_item {
	const char *label;
	int64_t value;
};

struct chart {
	const char *id;    /* prefix of the ids inside the SVG: [A-Za-z0-9_-], 1-32 characters */
	const char *title; /* the chart's <title>: 2023 年节日慰问人次（按月） */
	const char *unit;  /* the values' unit: 人次 */
	const struct chart_item *items;
	size_t n;
};

/* Vertical bars, one per item left to right (the months of a year), each value above its bar. */
int chart_svg_columns(struct buf *out, const struct chart *c);
/* Horizontal bars, one row per item (streets), the label left, the value right of the bar. */
int chart_svg_bars(struct buf *out, const struct chart *c);
/* Shares of a whole: one 100 % stacked bar, parts told apart by pattern, and a legend row per
 * part with its value and percentage. */
int chart_svg_shares(struct buf *out, const struct chart *c);
/* All three: 0; VE_INVALID for a bad id, more than CHART_ITEMS_MAX items or a negative value
 * (nothing written); VE_LIMIT when out's cap was reached. */

/* The chart's figures in words, plain text (the caller escapes it), as its <desc> says them:
 * "1月 120 人次；2月 0 人次；…；合计 1,496 人次。" (shares: each part's percentage too).
 * 0, VE_INVALID or VE_LIMIT as above. */
int chart_describe(struct buf *out, const struct chart *c, int shares);

/* v with thousands separators: 1234567 → "1,234,567". */
void chart_count_text(int64_t v, char out[32]);
/* part / whole in tenths of a percent, rounded half up (455 is 45.5 %); -1 when whole is 0. */
int chart_permil(int64_t part, int64_t whole);
/* A share in tenths of a percent as text: 455 → "45.5%"; -1 → "—". */
void chart_percent_text(int permil, char out[16]);

/* The months' labels "1月" … "12月", for columns of a year's months. */
extern const char *const chart_month_labels[12];

#endif
