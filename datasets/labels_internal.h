/* Private declarations shared inside datasets/. */
#ifndef PR_DATASETS_LABELS_INTERNAL_H
#define PR_DATASETS_LABELS_INTERNAL_H

#include "datasets/face_labels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Every .picasa.ini and XMP sidecar below folder, image paths relative to folder. */
pr_status pr_face_labels_load_folder(const char *folder, const pr_face_labels_load_params *params,
                                     pr_face_labels **out);

/* Appends all labels of src to dst with prefix + "/" before each image path (prefix "" = none). */
pr_status pr_face_labels_append(pr_face_labels *dst, const pr_face_labels *src, const char *prefix);

/* Checks a string field read from a file: valid UTF-8, at most PR_TEXT_MAX_FIELD bytes, no
 * control characters. Sets PR_ERR_FORMAT "name:line: what is ..." and returns it otherwise. */
pr_status pr_labels_check_field(const char *s, size_t n, const char *name, int line,
                                const char *what);

/* Checks a box read from a file: finite, w and h > 0. */
pr_status pr_labels_check_box(pr_box b, const char *name, int line);

#ifdef __cplusplus
}
#endif
#endif
