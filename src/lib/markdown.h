/* markdown.h - Markdown text (CommonMark, parsed by cmark) turned into a JSON tree that the
 * template partials/markdown renders. No HTML is produced here: the tree holds only text and
 * a closed set of node kinds, and the template engine escapes every string of it.
 *
 * The tree ({"blocks": [...]}):
 *   blocks  {"t":"p","c":[inl]}          paragraph
 *           {"t":"tp","c":[inl]}         paragraph of a tight list item (no <p>)
 *           {"t":"h2"|"h3"|"h4","c":[inl]} heading: the document's highest level becomes h2
 *                                        (the page's own title is the h1), deeper ones follow
 *                                        and stop at h4
 *           {"t":"ul","items":[{"blocks":[...]}]}
 *           {"t":"ol","start":N,"items":[{"blocks":[...]}]}
 *           {"t":"quote","blocks":[...]}
 *           {"t":"pre","text":"..."}     code block
 *           {"t":"hr"}
 *   inlines {"t":"text","text":"..."}    (adjacent text merged; a soft break is "\n",
 *                                        none between two CJK characters)
 *           {"t":"em","c":[inl]}  {"t":"strong","c":[inl]}  {"t":"code","text":"..."}
 *           {"t":"a","href":"...","c":[inl]}  only http:, https:, mailto: and relative
 *                                        addresses; any other link keeps its text only
 *           {"t":"br"}                   hard break
 * Raw HTML (blocks and inline) becomes plain text; an image becomes its description text.
 *
 * Bounds: the input is at most MARKDOWN_MAX_BYTES; lists and block quotes nest at most
 * MARKDOWN_MAX_BLOCK_DEPTH deep and emphasis, strong and links MARKDOWN_MAX_INLINE_DEPTH deep
 * (deeper containers are flattened: their content joins the level above), so that the
 * template's includes stay well under its limit of 16; the tree has at most MARKDOWN_MAX_NODES
 * nodes. */
#ifndef VETS_MARKDOWN_H
#define VETS_MARKDOWN_H

#include <jansson.h>
#include <stddef.h>

#define MARKDOWN_MAX_BYTES (256u * 1024)
#define MARKDOWN_MAX_BLOCK_DEPTH 4
#define MARKDOWN_MAX_INLINE_DEPTH 4
#define MARKDOWN_MAX_NODES 20000

/* The tree of text (len bytes, need not be NUL-terminated; bytes of invalid UTF-8 and NUL
 * become '?'). Returns a new reference the caller releases with json_decref, or NULL
 * when text is longer than MARKDOWN_MAX_BYTES or the tree would have more than
 * MARKDOWN_MAX_NODES nodes. An empty text gives {"blocks":[]}. */
json_t *markdown_tree(const char *text, size_t len);

/* Whether href may be a link of the tree: http://, https://, mailto: (any case), or a
 * relative address (starting with "/" but not "//", "#", "?", or having no ":" before its
 * first "/", "?" or "#"); no blanks or control characters anywhere. 1 or 0. */
int markdown_href_ok(const char *href);

#endif
