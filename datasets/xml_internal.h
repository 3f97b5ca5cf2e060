/* A small pull scanner for the simple XML of dlib imglab files and Picasa contacts.xml: start and
 * end tags with attributes, text, comments, processing instructions, CDATA and DOCTYPE skipped.
 * No DTDs, no namespaces beyond the raw "a:b" names. Entities are the five predefined ones and
 * numeric references. ISO-8859-1 input (declared in the XML declaration) is converted to UTF-8;
 * everything else must be UTF-8. Malformed input gives PR_ERR_FORMAT "name:line: what". */
#ifndef PR_DATASETS_XML_INTERNAL_H
#define PR_DATASETS_XML_INTERNAL_H

#include "core/status.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { PR_XML_MAX_ATTRS = 32, PR_XML_MAX_DEPTH = 256 };

typedef enum pr_xml_kind { PR_XML_EOF, PR_XML_START, PR_XML_END, PR_XML_TEXT } pr_xml_kind;

typedef struct pr_xml_token {
    pr_xml_kind kind;
    const char *name;      /* START/END: tag name (NUL-terminated, in scratch) */
    int self_closing;      /* START: "<a/>"; no END token follows */
    int nattrs;
    const char *attr_name[PR_XML_MAX_ATTRS];
    const char *attr_value[PR_XML_MAX_ATTRS]; /* decoded UTF-8 */
    const char *text;      /* TEXT: decoded UTF-8 (whitespace kept) */
    int line;              /* line where the token starts */
} pr_xml_token;

typedef struct pr_xml_scanner {
    const char *p, *end, *start;
    const char *name;
    int line;
    int latin1;
    int depth;
    char *scratch;    /* decoded strings of the current token (owned) */
    size_t scratch_cap, scratch_len;
} pr_xml_scanner;

pr_status pr_xml_init(pr_xml_scanner *x, const char *data, size_t size, const char *name);
void pr_xml_free(pr_xml_scanner *x);
/* Next token; strings in it stay valid until the next call. Checks tags nest properly. */
pr_status pr_xml_next(pr_xml_scanner *x, pr_xml_token *t);
/* Attribute value by name, or NULL. */
const char *pr_xml_attr(const pr_xml_token *t, const char *name);

/* Appends s to b with XML escaping of & < > " '. */
struct pr_strbuf;
void pr_xml_escape(struct pr_strbuf *b, const char *s);

#ifdef __cplusplus
}
#endif
#endif
