/* Face detection: OpenCV Haar cascades (through the one C++ adapter) and their fusion, face-api's
 * SSD network, and the two fused (`both`, the default: detect/SSD_ARCH.md, thesis/results/
 * detect.md).
 *
 *     pr_detector_params p = pr_detector_params_default();
 *     pr_detector *det;
 *     if (pr_detector_new(&p, &det) != PR_OK) ... pr_last_error() ...
 *     pr_faces faces = {0};
 *     pr_detector_run(det, image, &faces);   // faces.items[0 .. faces.count)
 *     pr_faces_free(&faces);
 *     pr_detector_delete(det);
 *
 * The detector greys, equalises and (down-)scales the photo to a working resolution, runs every
 * listed cascade over the whole working image ("profile" runs the profile cascade on the image and
 * on its mirror, for both sides), groups the boxes that overlap, gives each group a score (sum
 * over the agreeing cascades of their neighbour counts) and keeps groups with enough votes and
 * score. "Verifier" cascades are then run only in a window around each kept face and add their
 * votes; they cost little because they never scan the whole photo. With one cascade and no
 * verifiers the output is that cascade's own (OpenCV's grouping with min_neighbors).
 *
 * Threads: a pr_detector is not thread-safe (OpenCV cascades keep scratch state); run photos in
 * parallel with one detector per worker. pr_detector_new switches OpenCV's own worker threads off
 * (params.opencv_threads), process-wide, so photo-level parallelism does not fight them. */
#ifndef PR_DETECT_DETECT_H
#define PR_DETECT_DETECT_H

#include "core/box.h"
#include "core/image.h"
#include "core/status.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Where Debian's opencv-data puts the stock cascades; $PR_CASCADE_DIR overrides it. */
#define PR_DETECT_DEFAULT_CASCADE_DIR "/usr/share/opencv4/haarcascades"

/* Cascades by bit in pr_face.cascades_mask. */
typedef enum pr_cascade_id {
    PR_CASCADE_DEFAULT = 0,  /* haarcascade_frontalface_default.xml */
    PR_CASCADE_ALT,          /* haarcascade_frontalface_alt.xml */
    PR_CASCADE_ALT2,         /* haarcascade_frontalface_alt2.xml */
    PR_CASCADE_ALT_TREE,     /* haarcascade_frontalface_alt_tree.xml */
    PR_CASCADE_PROFILE,      /* haarcascade_profileface.xml on the image */
    PR_CASCADE_PROFILE_MIRROR, /* the same on the mirrored image (the other side) */
    PR_CASCADE_EYE,          /* haarcascade_eye.xml inside the face (eye check) */
    PR_CASCADE_COUNT
} pr_cascade_id;

/* Short name ("default", "alt", "alt2", "alt_tree", "profile", "profile_mirror", "eye"). */
const char *pr_cascade_name(pr_cascade_id id);

typedef enum pr_pose {
    PR_POSE_FRONTAL = 0, /* a frontal cascade fired */
    PR_POSE_LEFT,        /* only the profile cascade on the unmirrored image fired */
    PR_POSE_RIGHT,       /* only the profile cascade on the mirrored image fired */
} pr_pose;

const char *pr_pose_name(pr_pose pose); /* "frontal", "left", "right" */

typedef struct pr_face {
    pr_box box;             /* photo pixels (the image given to pr_detector_run) */
    double score;           /* cascades: sum of neighbour counts of the agreeing cascades; network:
                               100 x net_score; both: 100 x net_score + the cascades' sum.
                               Higher = surer */
    double net_score;       /* the SSD network's score when it found this face, else 0 */
    int votes;              /* number of agreeing cascades (bits set in cascades_mask) */
    unsigned cascades_mask; /* bit (1u << pr_cascade_id) per cascade that fired */
    pr_pose pose;
} pr_face;

typedef struct pr_faces {
    pr_face *items; /* count entries; owned by the struct, released by pr_faces_free */
    size_t count;
    size_t capacity;
} pr_faces;

void pr_faces_free(pr_faces *faces); /* frees items and zeroes the struct; accepts NULL */
/* Appends a face (grows items). */
pr_status pr_faces_push(pr_faces *faces, const pr_face *face);

/* Which detector runs (detect/SSD_ARCH.md has the network and the fusion). */
typedef enum pr_detector_kind {
    PR_DETECTOR_CASCADES = 0, /* the Haar cascades below (fused) */
    PR_DETECTOR_NETWORK,      /* face-api's SSD MobileNet v1, boxes mapped to the Haar square */
    PR_DETECTOR_BOTH          /* both, matched by IoU; the union kept where the evidence holds */
} pr_detector_kind;

const char *pr_detector_kind_name(pr_detector_kind kind); /* "cascades", "network", "both" */
int pr_detector_kind_parse(const char *text);             /* the kind, or -1 */

typedef struct pr_detector_params {
    pr_detector_kind detector;
    const char *models_dir;  /* network: folder of ssd_mobilenetv1_model*; borrowed during new;
                                NULL = $PERSONREC_MODELS, else the source tree's models */
    double net_min_score;    /* network: faces need this SSD score (face-api's default 0.5) */
    double net_alone_score;  /* both: a face only the network finds needs this score */
    double net_support;      /* both: a face only the cascades find is kept when an SSD box of at
                                least this score overlaps it (IoU >= match_iou) ... */
    int cascade_alone_votes; /* ... or when this many cascades agree on it (0 = never) ... */
    double cascade_alone_min_rel; /* ... and its side is at least this fraction of the photo's
                                shorter side (0 = any size): the SSD misses some faces that fill
                                most of the frame, where the cascades are sure */
    double match_iou;        /* both: a network and a cascade box overlapping this much are one face */
    int cascade_full_scan;   /* both: 1 = the cascades scan the whole photo; 0 = windows around
                                the network's faces of score >= net_support (2 x their side, faces
                                0.55-1.83 x it), the only cascade faces fusion keeps besides the
                                cascade-only ones; those are then looked for by a whole-photo scan
                                for faces of at least cascade_alone_min_rel only (all sizes when it
                                is 0 and cascade_alone_votes > 0) */
    const char *cascade_dir; /* borrowed during pr_detector_new; NULL = $PR_CASCADE_DIR or default */
    /* Comma list of cascade names scanned over the whole image ("profile" = both sides). Borrowed
     * during pr_detector_new. */
    const char *cascades;
    /* Comma list run only around each face found by `cascades` (may be NULL or ""). */
    const char *verifiers;
    int working_long_side;   /* photos are scaled down so their long side is at most this; 0 = never */
    double min_face_rel;     /* smallest face side as a fraction of the photo's shorter side */
    int min_face_px;         /* smallest face side in working pixels (0 = the cascade window);
                                with min_face_rel it holds for the network's faces too */
    double scale_factor;     /* pyramid step of the full-image scans (OpenCV default 1.1) */
    int min_neighbors;       /* single-cascade mode: OpenCV's grouping threshold (default 3) */
    int fuse_min_neighbors;  /* fused mode: threshold of each cascade before fusion */
    double group_iou;        /* boxes of different cascades overlapping this much are one face */
    int min_votes;           /* fused faces need this many agreeing cascades (verifiers included) */
    double min_score;        /* ... and at least this score */
    int eye_check;           /* drop frontal faces >= eye_min_face px where no eye is found */
    int eye_min_face;        /* working pixels; smaller faces are too small for the eye cascade */
    int opencv_threads;      /* OpenCV's own threads: 0 = off (photos run in parallel instead) */
} pr_detector_params;

/* The default, chosen by measurement (thesis/results/detect.md): `both`, the SSD network fused
 * with the cascades, which look only around the network's faces. */
pr_detector_params pr_detector_params_default(void);
/* Parameters for running exactly one cascade as OpenCV would (min_neighbors 3, no fusion; the
 * cascades detector). The name is borrowed (it is stored in the params). */
pr_detector_params pr_detector_params_single(const char *cascade);

typedef struct pr_detector pr_detector;

/* Loads the cascades and the network. *out is caller-owned (pr_detector_delete). Errors:
 * PR_ERR_ARG (unknown cascade name, bad parameter), PR_ERR_FORMAT / PR_ERR_IO (cascade file
 * unreadable; `network`: SSD model missing). `both` without the SSD model (or built without nn/)
 * runs as the fused cascades alone: see pr_detector_network_missing. */
pr_status pr_detector_new(const pr_detector_params *params, pr_detector **out);
/* 1 when a `both` detector runs as the cascades alone because the SSD model was missing. */
int pr_detector_network_missing(const pr_detector *det);
void pr_detector_delete(pr_detector *det); /* accepts NULL */

/* Detects faces in a grey or RGB image (borrowed for the call). out->count is reset first and its
 * items are reused; faces come sorted by descending score. */
pr_status pr_detector_run(pr_detector *det, const pr_image *image, pr_faces *out);

/* Groups candidate faces (each with one cascade bit set, score = its neighbour count) into fused
 * faces: greedy by score, a candidate joins the first group whose box overlaps it by >= group_iou
 * (IoU) or whose centre lies within a quarter of the smaller side; a group's box is the
 * score-weighted mean of its members, its score the sum over cascades of the best member of each.
 * No thresholds are applied. Exposed for tests; `in` is borrowed, *out is appended to. */
pr_status pr_detect_fuse(const pr_face *in, size_t n, double group_iou, pr_faces *out);

/* An SSD box (photo pixels) as the square a Haar cascade would draw around the same face: centre
 * shifted by (PR_SSD_HAAR_DX * w, PR_SSD_HAAR_DY * h), side PR_SSD_HAAR_SIDE * sqrt(w * h).
 * Fitted on cascade/network pairs outside album (detect/SSD_ARCH.md; tests/detect/
 * test_ssd_square.c refits them). */
#define PR_SSD_HAAR_DX 0.015
#define PR_SSD_HAAR_DY 0.008
#define PR_SSD_HAAR_SIDE 1.045
pr_box pr_ssd_to_haar_square(pr_box ssd);

/* The fusion of PR_DETECTOR_BOTH: cascade faces and network faces (Haar square, net_score set)
 * matched greedily by IoU >= params->match_iou, best network score first. A matched pair is one
 * face with the cascade's box, both scores; a network-only face is kept when its score reaches
 * net_alone_score; a cascade-only face only when cascade_alone_votes > 0, votes >= it and its
 * shorter side >= cascade_alone_min_rel x short_side (the photo's shorter side). `net` holds the
 * network's faces down to net_support, so "matched" means the network saw at least that much of a
 * face there. */
pr_status pr_detect_fuse_network(const pr_faces *cascades, const pr_faces *net,
                                 const pr_detector_params *params, double short_side,
                                 pr_faces *out);

#ifdef __cplusplus
}
#endif
#endif
