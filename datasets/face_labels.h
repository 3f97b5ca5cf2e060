/* Face labels: a box and an optional name per face per photo — the common currency of truth files
 * (CSV, dlib XML, Picasa .picasa.ini, XMP sidecars) and of our own predictions.
 *
 * Image paths are stored as written in the source and resolved against base_dir (the folder of
 * the label file) with pr_face_labels_image_path(). */
#ifndef PR_DATASETS_FACE_LABELS_H
#define PR_DATASETS_FACE_LABELS_H

#include "core/box.h"
#include "core/status.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_face_label {
    char *image;  /* path relative to base_dir (as in the file); owned by the set */
    pr_box box;   /* pixels, top-left origin */
    char *person; /* name or cluster id; NULL when unnamed; owned by the set */
    char *extra;  /* remaining columns / source-specific text (CSV: "origin"), or NULL; owned */
    double score; /* detector or naming confidence when the source has one, else 0 */
    int has_eyes; /* 1 when eyes[] holds eye positions (Gallagher truth) */
    double eyes[4]; /* left eye x, y, right eye x, y in pixels (the person's left/right) */
} pr_face_label;

typedef struct pr_face_labels {
    pr_face_label *items; /* count entries, owned */
    size_t count;
    size_t capacity;
    char *base_dir;       /* folder image paths are relative to; owned; "" = current dir */
    char *extra_names;    /* CSV header names of the extra columns ("origin"), or NULL; owned */
} pr_face_labels;

pr_status pr_face_labels_new(const char *base_dir, pr_face_labels **out); /* caller-owned */
void pr_face_labels_delete(pr_face_labels *set); /* accepts NULL */
/* Appends a copy of the strings (person/extra may be NULL). */
pr_status pr_face_labels_add(pr_face_labels *set, const char *image, pr_box box,
                             const char *person, const char *extra, double score);

/* Sets (copies) the header names of the extra columns, e.g. "origin" (NULL clears). */
pr_status pr_face_labels_set_extra_names(pr_face_labels *set, const char *names);

/* Loads by kind: a ".csv" file (image,x,y,w,h[,person[,extra...]]; '#' comments; an optional
 * header line starting with "image,"), a ".xml" file (dlib imglab boxes), a ".picasa.ini" file, or
 * a folder (every .picasa.ini and XMP sidecar below it). Errors: PR_ERR_IO (unreadable),
 * PR_ERR_FORMAT with "file:line: what" for malformed content. */
pr_status pr_face_labels_load(const char *path, pr_face_labels **out);

typedef struct pr_face_labels_load_params {
    /* Folder where images are found for their sizes, needed to turn normalised boxes (Picasa,
     * XMP without AppliedToDimensions) into pixels; NULL = base_dir. Borrowed. */
    const char *image_dir;
    /* Picasa contacts.xml giving names to contact ids; NULL = "contacts.xml" next to the
     * .picasa.ini (or at the root of a scanned folder) when present. Borrowed. */
    const char *contacts;
    size_t max_bytes; /* refuse label files above this size (PR_ERR_LIMIT); 0 = 256 MiB */
} pr_face_labels_load_params;

pr_face_labels_load_params pr_face_labels_load_params_default(void);

/* pr_face_labels_load with options (params NULL = defaults). Extra kinds: ".xmp" (one sidecar),
 * ".tsv" (Gallagher eyes file). */
pr_status pr_face_labels_load_ex(const char *path, const pr_face_labels_load_params *params,
                                 pr_face_labels **out);

/* Parsers from memory (what the fuzzers drive); name is used in "name:line" messages and
 * base_dir becomes the set's base_dir. (Picasa's parser is in picasa.h: its boxes are fractions
 * of the stored image, turned into pixels by pr_picasa_to_pixels.) */
pr_status pr_face_labels_parse_csv(const char *data, size_t size, const char *name,
                                   const char *base_dir, pr_face_labels **out);
pr_status pr_face_labels_parse_dlib(const char *data, size_t size, const char *name,
                                    const char *base_dir, pr_face_labels **out);
/* Gallagher ground truth: one face per line, tab (or space) separated:
 * image, left eye x, left eye y, right eye x, right eye y, person id. The box is estimated from
 * the eyes (centre between the eyes, 2.2 eye distances wide, eyes at 0.4 of the height). */
pr_status pr_face_labels_parse_gallagher(const char *data, size_t size, const char *name,
                                         const char *base_dir, pr_face_labels **out);

/* Writers. CSV: header "image,x,y,w,h,person[,score][,extra names]", fields quoted when needed.
 * dlib: imglab XML with <label> children for names. Gallagher: needs eyes on every face
 * (PR_ERR_ARG otherwise). All write through a temporary file and a rename. */
pr_status pr_face_labels_save_csv(const pr_face_labels *set, const char *path);
pr_status pr_face_labels_save_dlib(const pr_face_labels *set, const char *path);
pr_status pr_face_labels_save_gallagher(const pr_face_labels *set, const char *path);


/* base_dir joined with the label's image path, into buf (PR_ERR_LIMIT when it does not fit). */
pr_status pr_face_labels_image_path(const pr_face_labels *set, size_t index, char *buf,
                                    size_t size);

#ifdef __cplusplus
}
#endif
#endif
