/* What `personrec features` prints of described photos (pipeline/describe.h), and the two steps
 * it needs around describe: the photos a label file names, and the album stage (events and
 * eigenfaces over every face) that fills each record's event id and eigenface coefficients. */
#ifndef PR_PIPELINE_FEATURES_OUTPUT_H
#define PR_PIPELINE_FEATURES_OUTPUT_H

#include "core/status.h"
#include "datasets/face_labels.h"
#include "features/eigenfaces.h"
#include "pipeline/describe.h"

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One JSON line: image, x, y, w, h, box, body_source, body_area, body_box, body_hist_top,
 * sift_face, sift_body, eigen (first 5), event, landmarks (68 [x, y] in photo pixels, or null),
 * descriptor (128 numbers, round-trip precision, or null). PR_ERR_IO when the stream failed. */
pr_status pr_described_face_write_json(FILE *out, const char *image, const pr_described_face *f);
/* The same as one line of text. */
pr_status pr_described_face_write_text(FILE *out, const char *image, const pr_described_face *f);

/* The photos of a label file, each once in file order: *paths joined to the file's folder
 * (caller-owned strings and array), *keys as the file names them (borrowed from set; the array is
 * caller-owned). Free with pr_free, also after an error (*n entries are set). */
pr_status pr_label_file_photos(const pr_face_labels *set, char ***paths, const char ***keys, int *n);

/* Events and eigenfaces over every face of the photos (pr_people_prepare): model (borrowed) or,
 * when NULL, eigenfaces trained on these faces. */
pr_status pr_described_prepare(pr_described_photo *photos, int n, const pr_eigenfaces *model);

#ifdef __cplusplus
}
#endif
#endif
