/* Shared by the .picasa.ini reader (picasa.c) and writer (picasa_write.c). */
#ifndef PR_DATASETS_PICASA_INTERNAL_H
#define PR_DATASETS_PICASA_INTERNAL_H

#include "datasets/picasa.h"

#include <stddef.h>

/* The n bytes at s equal the literal. */
int picasa_str_eq(const char *s, size_t n, const char *lit);
/* [Contacts2], or the older [Contacts]: a section of "id=name;email" lines. */
int picasa_is_contacts_section(const char *s, size_t n);
/* The next non-empty entry of a faces= value ("rect64(HEX),ID;rect64(HEX),ID;..."), trimmed,
 * from *i on; 0 at the end. */
int picasa_next_face_entry(const char *v, size_t vn, size_t *i, const char **e, size_t *en);
/* One face entry "rect64(HEX),ID" (trimmed): 1 with its fractions and contact id when well formed
 * and with an area; 0 with PR_ERR_FORMAT "name:line: ..." set otherwise. */
int picasa_parse_entry(const char *e, size_t en, const char *name, int line, double ltrb[4],
                       const char **id_out, size_t *idn_out);

#endif
