/* The one CSV writer (RFC 4180): fields separated by ",", rows ended by "\n" (RFC 4180 says CRLF;
 * every reader we know, ours included, takes LF). A field is quoted, with inner quotes doubled,
 * when it holds a comma, quote, CR or LF, starts or ends with a space or tab (readers that trim
 * would change it), or starts with '#' (our label reader skips comment lines). It writes to a FILE
 * or to a pr_strbuf (for an atomic write of the whole file). */
#ifndef PR_CORE_CSV_H
#define PR_CORE_CSV_H

#include "core/status.h"
#include "core/strbuf.h"

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_csv {
    FILE *file;      /* borrowed; or NULL with buf set */
    pr_strbuf *buf;  /* borrowed */
    int column;      /* fields written in the current row */
    int failed;      /* a write failed */
} pr_csv;

pr_csv pr_csv_to_file(FILE *file);
pr_csv pr_csv_to_buf(pr_strbuf *buf);

/* One text field (NULL writes an empty field). */
void pr_csv_field(pr_csv *w, const char *s);
/* A formatted field (quoted when the text needs it). */
void pr_csv_fieldf(pr_csv *w, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void pr_csv_int(pr_csv *w, long long v);
/* A double: integers without a fraction, otherwise up to 17 significant digits (parses back to
 * the same double); NaN and infinities as an empty field. */
void pr_csv_double(pr_csv *w, double v);
/* A double printed with printf's "%.*f" (fixed decimals for human-facing tables). */
void pr_csv_fixed(pr_csv *w, double v, int decimals);
/* Ends the row. */
void pr_csv_end_row(pr_csv *w);
/* A whole row of text fields. */
void pr_csv_row(pr_csv *w, const char *const *fields, int count);
/* PR_OK, or PR_ERR_IO / PR_ERR_NOMEM when any write failed. */
pr_status pr_csv_status(const pr_csv *w);

/* 1 when s needs quotes under the rule above. */
int pr_csv_needs_quotes(const char *s);

#ifdef __cplusplus
}
#endif
#endif
