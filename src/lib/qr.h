/* qr.h - QR codes (libqrencode) as SVG, for any page that shows one (the counter's receipt,
 * the portal's pages).
 *
 * The templates print no raw HTML, so a page draws the code from two values: the symbol's
 * size in modules and one SVG path of its dark modules, both plain text that escaping leaves
 * alone. templates/partials/qr.html draws {"size","path","text"} with a 4-module quiet zone:
 *	{{#with qr}}{{> partials/qr}}{{/with}} */
#ifndef VETS_QR_H
#define VETS_QR_H

#include <jansson.h>

#include "lib/buf.h"

/* The QR code of text (UTF-8, 8-bit mode, error correction level M) as the path data of
 * its dark modules ("M3,0h1v1h-1z…", one unit a module, origin at the symbol's corner)
 * appended to path, and its width in modules into *size. 0, VE_INVALID (empty or longer
 * than 1024 bytes), VE_LIMIT (path's cap) or VE_INTERNAL (the encoder failed). */
int qr_path(const char *text, struct buf *path, int *size);

/* {"text","size" (modules with the quiet zone: the viewBox's side),"path"} for a template;
 * NULL when qr_path fails. */
json_t *qr_json(const char *text);

/* A whole standalone SVG document of text's code appended to out (an image/svg+xml reply),
 * each module scale units wide. Same results as qr_path. */
int qr_svg(const char *text, int scale, struct buf *out);

#endif
