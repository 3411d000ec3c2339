/* qr.c - QR codes as SVG path data, through libqrencode. */
#include "qr.h"
#include <qrencode.h>
#include <string.h>

#include "lib/err.h"

#define QUIET 4 /* modules of white around the symbol, as ISO/IEC 18004 asks */

int qr_path(const char *text, struct buf *path, int *size)
{
	*size = 0;
	size_t n = text ? strlen(text) : 0;
	if (n == 0 || n > 1024)
		return VE_INVALID;
	QRcode *q = QRcode_encodeData((int)n, (const unsigned char *)text, 0, QR_ECLEVEL_M);
	if (!q)
		return VE_INTERNAL;
	int w = q->width, rc = 0;
	/* one run of dark modules of a row is one rectangle */
	for (int y = 0; y < w && !rc; y++)
		for (int x = 0; x < w && !rc;) {
			if (!(q->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (q->data[y * w + x + run] & 1))
				run++;
			if (buf_printf(path, "M%d,%dh%dv1h-%dz", x, y, run, run))
				rc = VE_LIMIT;
			x += run;
		}
	QRcode_free(q);
	*size = rc ? 0 : w;
	return rc;
}

json_t *qr_json(const char *text)
{
	struct buf path;
	int size;
	buf_init(&path, 256 * 1024);
	if (qr_path(text, &path, &size) != 0) {
		buf_free(&path);
		return NULL;
	}
	json_t *o = json_pack("{s:s,s:i,s:s,s:i}", "text", text, "size", size + 2 * QUIET, "path",
			      buf_cstr(&path), "quiet", QUIET);
	buf_free(&path);
	return o;
}

int qr_svg(const char *text, int scale, struct buf *out)
{
	struct buf path;
	int size;
	buf_init(&path, 256 * 1024);
	int rc = qr_path(text, &path, &size);
	if (!rc) {
		int side = size + 2 * QUIET;
		if (scale < 1)
			scale = 4;
		if (buf_printf(
			    out,
			    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
			    "viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\"><rect width=\"%d\" "
			    "height=\"%d\" fill=\"#fff\"/><path transform=\"translate(%d,%d)\" "
			    "fill=\"#000\" d=\"",
			    side * scale, side * scale, side, side, side, side, QUIET, QUIET) ||
		    buf_puts(out, buf_cstr(&path)) || buf_puts(out, "\"/></svg>\n"))
			rc = VE_LIMIT;
	}
	buf_free(&path);
	return rc;
}
