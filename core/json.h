/* The one JSON writer: a small streaming writer over a FILE (RFC 8259), chosen over jansson
 * because core/ must build on the GPU machine, which has no package registry, and because every
 * user only writes (no document tree is needed). It places the commas and checks the nesting;
 * strings are escaped (a byte that is not UTF-8, e.g. of a Latin-1 file name, becomes U+FFFD, so
 * the output stays valid JSON), non-finite numbers become null. Output is compact by default;
 * indent > 0 pretty-prints with that many spaces per level.
 *
 *     pr_json w = pr_json_begin(stdout, 0);
 *     pr_json_object(&w);
 *       pr_json_kv_num(&w, "precision", 0.91);
 *       pr_json_key(&w, "curve"); pr_json_array(&w); pr_json_num(&w, 0.5); pr_json_end(&w);
 *     pr_json_end(&w);
 *     pr_status st = pr_json_finish(&w);   // adds "\n"; PR_ERR_IO / PR_ERR_ARG on a bad stream
 */
#ifndef PR_CORE_JSON_H
#define PR_CORE_JSON_H

#include "core/status.h"

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { PR_JSON_MAX_DEPTH = 32 };

typedef struct pr_json {
    FILE *out;                              /* borrowed */
    int indent;                             /* spaces per level; 0 = compact */
    int depth;
    unsigned char count[PR_JSON_MAX_DEPTH]; /* per level: 0 = nothing written yet, else 1 */
    unsigned char is_object[PR_JSON_MAX_DEPTH];
    int after_key;                          /* a key was written; its value comes next */
    int misuse;                             /* nesting or key/value order was wrong */
} pr_json;

pr_json pr_json_begin(FILE *out, int indent);
void pr_json_object(pr_json *w); /* { */
void pr_json_array(pr_json *w);  /* [ */
void pr_json_end(pr_json *w);    /* } or ], whichever is open */
void pr_json_key(pr_json *w, const char *key);
void pr_json_str(pr_json *w, const char *s); /* NULL writes null */
void pr_json_num(pr_json *w, double v);      /* up to 6 significant digits; null when not finite */
void pr_json_num_exact(pr_json *w, double v); /* 17 significant digits (round-trips) */
void pr_json_int(pr_json *w, long long v);
void pr_json_bool(pr_json *w, int v);
void pr_json_null(pr_json *w);
/* key + value in one call. */
void pr_json_kv_str(pr_json *w, const char *key, const char *s);
void pr_json_kv_num(pr_json *w, const char *key, double v);
void pr_json_kv_int(pr_json *w, const char *key, long long v);
void pr_json_kv_bool(pr_json *w, const char *key, int v);
/* Writes the final newline; PR_ERR_ARG when the nesting was wrong or left open, PR_ERR_IO when the
 * stream failed. */
pr_status pr_json_finish(pr_json *w);

/* Low-level pieces (kept for callers that print by hand): s as a quoted JSON string (NULL writes
 * null), and a number with up to 6 significant digits (null when not finite). */
void pr_json_string(FILE *out, const char *s);
void pr_json_number(FILE *out, double value);

#ifdef __cplusplus
}
#endif
#endif
