/* Minimal JSON output helpers for the CLI's --json modes: strings escaped per RFC 8259, and
 * numbers that are always valid JSON (NaN and infinities become null). */
#ifndef PR_CORE_JSON_H
#define PR_CORE_JSON_H

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Writes s as a quoted JSON string (NULL writes null). */
void pr_json_string(FILE *out, const char *s);
/* Writes a double with up to 6 significant decimals, or null when not finite. */
void pr_json_number(FILE *out, double value);

#ifdef __cplusplus
}
#endif
#endif
