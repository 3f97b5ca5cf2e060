/* Private helpers shared by the label-file parsers: bounded file reading, line splitting with line
 * numbers, strict number parsing and UTF-8 checks. Every parser treats its input as hostile, so
 * these helpers never trust a length or a terminator they did not check. */
#ifndef PR_DATASETS_TEXT_INTERNAL_H
#define PR_DATASETS_TEXT_INTERNAL_H

#include "core/fileio.h"
#include "core/path.h"
#include "core/status.h"
#include "core/strbuf.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    PR_TEXT_MAX_LINE = 65536,            /* longer lines are refused as malformed */
    PR_TEXT_MAX_FIELD = 4096,            /* longest image path / name / number text kept */
};

/* Splits a buffer into lines ("\n", "\r\n" or "\r"), counting from 1. A UTF-8 BOM at the start is
 * skipped. */
typedef struct pr_line_reader {
    const char *p, *end;
    int line;        /* number of the line last returned */
    const char *name; /* file name for messages (borrowed) */
} pr_line_reader;

void pr_line_reader_init(pr_line_reader *r, const char *data, size_t size, const char *name);
/* 1 and the line (not terminated, without the newline) when there is one, 0 at the end, -1 (with
 * PR_ERR_FORMAT set) for a line above PR_TEXT_MAX_LINE or one holding a NUL byte. */
int pr_line_next(pr_line_reader *r, const char **line, size_t *len);

/* 1 when s[0..n) is valid UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF). */
int pr_text_utf8_valid(const char *s, size_t n);

/* Strict decimal number: optional sign, digits, optional fraction and exponent, surrounding
 * spaces/tabs allowed, nothing else; must be finite and |value| <= 1e12. Returns 1 when valid. */
int pr_text_parse_double(const char *s, size_t n, double *out);

/* Copies s[0..n) into a new pr_malloc string (NULL on allocation failure). */
char *pr_text_strndup(const char *s, size_t n);

/* Trims spaces and tabs at both ends (adjusts *s and *n). */
void pr_text_trim(const char **s, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
