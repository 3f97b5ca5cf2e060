/* Picasa face labels: per-folder .picasa.ini files and the contacts.xml name table.
 *
 * .picasa.ini holds one section per photo:
 *     [photo.jpg]
 *     faces=rect64(3f845bcb59418507),8e62398ebda8c1a5;rect64(...),ffffffffffffffff
 * rect64's 64-bit hex number (written without leading zeros) packs four 16-bit fractions of
 * 65535: left, top, right, bottom, relative to the image as stored. The contact id
 * ffffffffffffffff marks an unnamed face. Names come from the file's [Contacts2] section
 * (`id=Name;email;`) or from Picasa's contacts.xml (<contact id="..." name="..."/>). */
#ifndef PR_DATASETS_PICASA_H
#define PR_DATASETS_PICASA_H

#include "datasets/face_labels.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PR_PICASA_UNNAMED "ffffffffffffffff"

/* Decodes the hex text inside rect64(...) (1..16 hex digits) to fractions l, t, r, b in [0, 1].
 * Returns 1 when valid. */
int pr_picasa_rect64_decode(const char *hex, size_t n, double ltrb[4]);
/* Encodes fractions (clamped to [0, 1], rounded to 1/65535) as lowercase hex without leading
 * zeros ("0" for all zero) into buf (17 bytes). */
void pr_picasa_rect64_encode(const double ltrb[4], char buf[17]);

/* A contact table: id -> name. */
typedef struct pr_picasa_contacts {
    char **ids;   /* owned */
    char **names; /* owned */
    size_t count, capacity;
} pr_picasa_contacts;

pr_status pr_picasa_contacts_new(pr_picasa_contacts **out);
void pr_picasa_contacts_delete(pr_picasa_contacts *c); /* accepts NULL */
pr_status pr_picasa_contacts_add(pr_picasa_contacts *c, const char *id, const char *name);
/* Name of id (borrowed), or NULL. */
const char *pr_picasa_contacts_find(const pr_picasa_contacts *c, const char *id);
/* Parses contacts.xml into c (adds to what is there). */
pr_status pr_picasa_contacts_parse_xml(pr_picasa_contacts *c, const char *data, size_t size,
                                       const char *name);
pr_status pr_picasa_contacts_save_xml(const pr_picasa_contacts *c, const char *path);
/* The id we give a name: 16 hex digits from a 64-bit FNV-1a hash of the name (never the unnamed
 * id), so the same name gets the same id in every folder and every run. buf: 17 bytes. */
void pr_picasa_contact_id(const char *name, char buf[17]);

/* Parses one .picasa.ini into a new set of unit (0..1) boxes (x = left, y = top) with image =
 * section name. Names resolve through [Contacts2] in the file, then through contacts (may be
 * NULL); an id with no name keeps person NULL and extra "contact=<id>". Malformed rect64 or
 * faces entries give PR_ERR_FORMAT "name:line: ...". */
pr_status pr_picasa_parse_ini(const char *data, size_t size, const char *name,
                              const char *base_dir, const pr_picasa_contacts *contacts,
                              pr_face_labels **out);

/* Loads a .picasa.ini to pixel boxes (image sizes from params->image_dir or the ini's folder). */
pr_status pr_picasa_load(const char *path, const pr_face_labels_load_params *params,
                         pr_face_labels **out);

typedef struct pr_picasa_save_params {
    /* Folder where the images are, for their sizes; NULL = out_dir. Borrowed. */
    const char *image_dir;
    /* Also write out_dir/contacts.xml with every name (default 1). */
    int write_contacts_xml;
} pr_picasa_save_params;

pr_picasa_save_params pr_picasa_save_params_default(void);

/* Writes one .picasa.ini per image folder under out_dir (out_dir/<dir of image>/.picasa.ini)
 * with a faces= line per photo and a [Contacts2] section naming every contact used. An existing
 * .picasa.ini keeps its other sections and keys; its faces= lines for photos in set are
 * replaced. Written through a temporary file and a rename. */
pr_status pr_picasa_save(const pr_face_labels *set, const char *out_dir,
                         const pr_picasa_save_params *params);

#ifdef __cplusplus
}
#endif
#endif
