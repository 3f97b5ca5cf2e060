/* pr_person: one person instance (a face in a photo) with all its cues, and its versioned binary
 * form for the SQLite store.
 *
 * pr_person_extract_photo describes every face of one photo at once, because two cues need the
 * whole photo: the background (outside every person region) and the list of the other instances. */
#ifndef PR_FEATURES_PERSON_H
#define PR_FEATURES_PERSON_H

#include "core/box.h"
#include "core/image.h"
#include "core/status.h"
#include "features/body.h"
#include "features/color_hist.h"
#include "features/eigenfaces.h"
#include "features/sift.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_person_params {
    pr_color_hist_params body_hist;       /* clothing (default HSV 16x4x4: measured best) */
    pr_color_hist_params band_hist;       /* face + hair band (default HSV 16x4x4) */
    pr_color_hist_params background_hist; /* outside all persons (default HSV 16x4x4) */
    pr_sift_params sift_face;             /* default: target 128 px */
    pr_sift_params sift_body;             /* default: target 256 px */
    pr_body_prior_params body;            /* prior box when no body mask is given */
    int body_segment;  /* 1 = faces given no mask get one from segment/body.h (graph-based
                        * segmentation, pr_body_segment_masks); 0 = the prior box. A build without
                        * segment/ always uses the prior box. Default: see person.c (measured). */
    int sift;                             /* compute SIFT cues (default 1) */
} pr_person_params;

pr_person_params pr_person_params_default(void);

typedef struct pr_person {
    pr_box face;
    pr_box body;           /* bounding box of the body region (prior box or mask bounds) */
    double body_area;      /* pixels in the body region */
    int body_from_mask;    /* 1 = from a segmentation mask, 0 = the prior box */
    int photo_index;       /* the caller's photo number, -1 when not set */
    int event_id;          /* -1 = unknown (no capture time) */
    double time;           /* capture time in seconds (pr_exif_time_seconds), NAN = unknown */
    pr_color_hist body_hist;  /* n == 0: no cue */
    pr_color_hist band_hist;
    pr_color_hist background;
    pr_sift_set *sift_face;   /* owned; never NULL in a record from extract/deserialize */
    pr_sift_set *sift_body;   /* owned; never NULL in a record from extract/deserialize */
    int n_eigen;              /* 0 = no cue (no model, or the face was too small) */
    float *eigen;             /* n_eigen coefficients; owned */
    int n_others;             /* other instances of the same photo (indices into the photo's list) */
    int *others;              /* owned */
} pr_person;

/* Describes the n faces of one photo (pass every face of the photo: the background lies outside
 * all of them, and segmented bodies split overlaps between neighbours). body_masks[i] non-NULL =
 * an image-sized mask (row stride mask_stride, borrowed) of face i's body; body_masks NULL = masks
 * from segmentation when params->body_segment (and the build has segment/), else prior boxes;
 * body_masks[i] NULL = the prior box for face i. The background histogram is taken outside every
 * face/hair band, every prior box and every mask (all person regions). model NULL = no eigenface cue. out[0..n) receive caller-owned records
 * (pr_person_delete each); on failure none is left allocated. Faces that are empty after clipping
 * still get a record whose cues are all "no cue". */
pr_status pr_person_extract_photo(const pr_image *img, const pr_box *faces, int n,
                                  const uint8_t *const *body_masks, size_t mask_stride,
                                  const pr_person_params *params, const pr_eigenfaces *model,
                                  pr_person **out);

void pr_person_delete(pr_person *person); /* accepts NULL */

/* Binary blob ("PRPN", version 1, little-endian). *bytes is a caller-owned pr_malloc buffer. */
pr_status pr_person_serialize(const pr_person *person, uint8_t **bytes, size_t *size);
/* Parses a blob from pr_person_serialize; PR_ERR_FORMAT for anything malformed or truncated
 * (the blob is untrusted: sizes are checked before anything is allocated). */
pr_status pr_person_deserialize(const uint8_t *bytes, size_t size, pr_person **out);

#ifdef __cplusplus
}
#endif
#endif
