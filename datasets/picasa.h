/* Picasa face labels: per-folder .picasa.ini files and the contacts.xml name table.
 *
 * .picasa.ini holds one section per photo:
 *     [photo.jpg]
 *     faces=rect64(3f845bcb59418507),8e62398ebda8c1a5;rect64(...),ffffffffffffffff
 * rect64's 64-bit hex number (written without leading zeros) packs four 16-bit fractions of
 * 65535: left, top, right, bottom, relative to the image as stored (before its EXIF orientation;
 * datasets/regions.h). The contact id
 * ffffffffffffffff marks an unnamed face. Names come from the file's [Contacts2] section
 * (`id=Name;email;`) or from Picasa's contacts.xml (<contact id="..." name="..."/>). */
#ifndef PR_DATASETS_PICASA_H
#define PR_DATASETS_PICASA_H

#include "datasets/face_labels.h"
#include "datasets/regions.h"

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

/* The same; with skip, a malformed face entry, section header or contact line is reported to
 * skip and left out while the rest is read (skip NULL = strict, as above). */
pr_status pr_picasa_parse_ini_ex(const char *data, size_t size, const char *name,
                                 const char *base_dir, const pr_picasa_contacts *contacts,
                                 pr_region_skip_fn skip, void *ctx, pr_face_labels **out);

/* Unit boxes of the stored images (labels from index first on, as pr_picasa_parse_ini gives them)
 * -> upright pixels, reading each image's size and EXIF orientation in image_dir (NULL = the
 * set's base_dir). Labels of a photo that no longer exists are dropped (a stale section); one
 * that cannot be read is an error, or with skip reported and its labels dropped. */
pr_status pr_picasa_to_pixels(pr_face_labels *set, size_t first, const char *image_dir,
                              pr_region_skip_fn skip, void *ctx);

/* Loads a .picasa.ini to upright pixel boxes (images from params->image_dir or the ini's
 * folder). */
pr_status pr_picasa_load(const char *path, const pr_face_labels_load_params *params,
                         pr_face_labels **out);
/* The same, lenient with skip (see pr_picasa_parse_ini_ex; an unreadable contacts.xml too). */
pr_status pr_picasa_load_ex(const char *path, const pr_face_labels_load_params *params,
                            pr_region_skip_fn skip, void *ctx, pr_face_labels **out);

typedef struct pr_picasa_save_params {
    /* Folder where the images are, for their sizes; NULL = out_dir. Borrowed. */
    const char *image_dir;
    /* Also write out_dir/contacts.xml with every name (default 1). */
    int write_contacts_xml;
    /* NULL: the first photo or folder that cannot be written stops the save with its error.
     * Else each is told here (the message names it) and everything else is still written. */
    pr_region_skip_fn problem;
    void *problem_ctx;
} pr_picasa_save_params;

pr_picasa_save_params pr_picasa_save_params_default(void);

/* Writes one .picasa.ini per image folder under out_dir (out_dir/<dir of image>/.picasa.ini)
 * with a faces= line per photo (rect64 in the stored frame) and a [Contacts2] section naming
 * every contact used. An existing .picasa.ini keeps its other sections, keys and every face entry
 * we did not make (see picasa.c); our own entries are replaced. A photo whose file name cannot be
 * a section, or a name with ';' or a control character, is a problem for that photo or face only.
 * Written through core/fileio's atomic writer. */
pr_status pr_picasa_save(const pr_face_labels *set, const char *out_dir,
                         const pr_picasa_save_params *params);

#ifdef __cplusplus
}
#endif
#endif
