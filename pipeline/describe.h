/* describe: THE per-photo front end, shared by `personrec label`, `cluster`, `features` and the
 * evaluation harnesses, so every command sees the same faces with the same cues.
 *
 *     decode (EXIF orientation applied, full size) -> faces (the detector, one per worker, or the
 *     boxes of a label file) -> faces sorted by position -> every cue (features/person.h: body
 *     masks, colour histograms, SIFT) on the photo scaled to the working size -> an 8-bit grey face
 *     crop for the album's eigenfaces (from the full-size photo)
 *
 * Photos run over a thread pool; out[i] always belongs to paths[i], never to whichever worker
 * finished first, so the result does not depend on the thread count or the timing.
 *
 * One rule for failures: a photo that is empty, too large, unreadable, not decodable, or that
 * breaks the detector or the features is skipped with a reason (skip_reason, skip_kind), never
 * fatal. Only running out of memory for the bookkeeping stops the call.
 *
 * A later cue is added here once: computed per face in describe_faces, kept in
 * pr_described_face, stored by the album scan (pipeline/store.h), read back by pipeline/people.c.
 * The face descriptor (features/face_descriptor.h, 128-d) is the first such cue: computed when
 * params->descriptor is set (off by default until its clustering weight is measured; it costs a
 * ResNet pass per face). */
#ifndef PR_PIPELINE_DESCRIBE_H
#define PR_PIPELINE_DESCRIBE_H

#include "core/box.h"
#include "core/image.h"
#include "core/progress.h"
#include "core/status.h"
#include "core/threadpool.h"
#include "datasets/face_labels.h"
#include "detect/detect.h"
#include "features/face_descriptor.h"
#include "features/person.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Side of the stored grey face crop (bytes = side * side): the eigenface input size. */
#define PR_DESCRIBE_CROP 64
/* Default working size: the body histograms and SIFT of a 24 MP photo are no better than at
 * 1600 px, only slower (and the detector works at 1600 px too). */
#define PR_DESCRIBE_LONG_SIDE 1600

/* Smallest face side (pixels of the decoded image) a descriptor or grey crop is cut from: the
 * descriptor net's 150 px input. A photo decoded small (see decode_long_side) is decoded again,
 * larger, for its faces below it. */
#define PR_DESCRIBE_DETAIL 150

/* With descriptors, a large JPEG's full-scale pixels are decoded only around its faces: this
 * multiple of each face's longer side on every side of its box. It should hold the descriptor's
 * footprint (pr_face_net_footprint; the similarity chip is dlib's 0.25 padding around the
 * eye-to-mouth face, turned), else the face is described again from a whole decode. Measured by
 * tests/pipeline/test_describe_known_margin (the margin each face's footprint needs, from its
 * landmarks): dlib_faces' 43 boxes (off-album, where it was chosen: their largest need rounded
 * up) need median 0.189, at most 0.386; the album's 277 median 0.159, 0.98 quantile 0.369, at
 * most 0.485 (3 faces above 0.4). The 0.3 set for face-api's square held 0.95 of dlib_faces'
 * faces under the similarity chip; a larger region costs little next to a whole decode. */
#ifndef PR_DESCRIBE_REGION_MARGIN /* a test builds describe.c with a small one: every way taken */
#define PR_DESCRIBE_REGION_MARGIN 0.4
#endif

/* Stages of the front end, timed when params->stats is set. */
typedef enum pr_describe_stage {
    PR_STAGE_DECODE = 0,  /* read + decode (+ the larger decode for small faces, or the
                             full-scale region around the faces for descriptors) + working size */
    PR_STAGE_DETECT,      /* the detector (nothing with label boxes) */
    PR_STAGE_DESCRIPTOR,  /* landmarks + 128-d descriptor */
    PR_STAGE_BODY,        /* body segmentation masks */
    PR_STAGE_FEATURES,    /* classic cues (histograms, SIFT, background) + the grey crop */
    PR_STAGE_STORE,       /* not timed here: for callers that store (bench album) */
    PR_STAGE_COUNT
} pr_describe_stage;

const char *pr_describe_stage_name(int stage); /* "decode", "detect", ... */

/* One worker's sums. */
typedef struct pr_describe_times {
    double wall_ms[PR_STAGE_COUNT];
    double cpu_ms[PR_STAGE_COUNT];  /* the thread's CPU time (pr_clock_thread_cpu_ms) */
    long photos, faces;
    long whole_decodes; /* faces described again from a whole decode because their descriptor's
                           input reached past the region decoded around the faces */
} pr_describe_times;

/* Per-worker accumulators: worker w adds to per_worker[w] only, so no locking is needed. */
typedef struct pr_describe_stats {
    int workers;                    /* slots; must be >= the pool's size */
    pr_describe_times *per_worker;  /* owned (pr_describe_stats_new) */
} pr_describe_stats;

pr_status pr_describe_stats_new(int workers, pr_describe_stats **out);
void pr_describe_stats_delete(pr_describe_stats *stats); /* accepts NULL */
void pr_describe_stats_sum(const pr_describe_stats *stats, pr_describe_times *total);

/* Why a photo was skipped. */
enum {
    PR_SKIP_EMPTY = 0,   /* zero-byte file */
    PR_SKIP_TOO_BIG,     /* file or pixel count over the limits */
    PR_SKIP_UNREADABLE,  /* cannot open / read */
    PR_SKIP_CORRUPT,     /* not a decodable image, or the detector / features failed on it */
    PR_SKIP_KINDS
};

typedef struct pr_describe_params {
    int long_side;          /* cues are computed on the photo scaled so its long side is at most
                               this (default PR_DESCRIBE_LONG_SIDE); 0 = full size. Boxes and
                               records are always in full-size (oriented) photo pixels. */
    int threads;            /* pool size when pool is NULL; <= 0 = all CPUs */
    pr_pool *pool;          /* borrowed; NULL = a pool of `threads` for the call */
    pr_detector *const *detectors; /* one per worker of pool, borrowed (so a caller describing
                               in chunks builds them once); NULL = built for the call */
    const pr_face_labels *labels; /* boxes from a label file instead of the detector (rows whose
                               image is the photo's key by pr_path_same_photo); borrowed */
    pr_detector_params detector;
    pr_person_params person;
    int crop_side;          /* grey face crop side (default PR_DESCRIBE_CROP); 0 = no crops */
    int descriptor;         /* 1: the 128-d face descriptor per face (default 0) */
    const char *models_dir; /* face-api models for the descriptor; NULL = pr_face_net_find_models */
    pr_face_align align;    /* the descriptor's alignment and test-time flip (default: the face
                               net's, pr_face_net_params_default; the shipped calibration is for
                               it) */
    int flip;
    pr_face_net *const *nets; /* with descriptor: one per worker of pool, borrowed; NULL = loaded
                               for the call */
    uint64_t max_pixels;    /* larger photos are skipped (default 100 MP) */
    int64_t max_bytes;      /* larger files are skipped (default 512 MiB) */
    pr_progress *progress;  /* stepped once per photo; borrowed; may be NULL */
    int decode_long_side;   /* 1 (default): a JPEG is decoded straight to the smallest DCT scale
                               that still covers long_side and the detector's working size, and
                               again, larger, only for faces under PR_DESCRIBE_DETAIL px; 0 =
                               always full size */
    pr_describe_stats *stats; /* stage timings; borrowed; NULL = none */
    int detail_region;      /* 1 (default): with descriptors, the full-size pixels of a scaled
                               JPEG come from a decode of the rectangle around its faces only
                               (the same pixels); 0 = the whole photo decoded again */
} pr_describe_params;

pr_describe_params pr_describe_params_default(void);

typedef struct pr_described_face {
    pr_box box;             /* full-size photo pixels */
    double score;           /* detector score (the label's score for given boxes) */
    int pose;               /* pr_pose (frontal for given boxes) */
    pr_person *person;      /* owned; face/body boxes in full-size photo pixels */
    uint8_t *crop;          /* crop_side^2 grey bytes, or NULL (face too small); owned */
    float *descriptor;      /* PR_FACE_DESCRIPTOR_DIM floats, or NULL (not asked, or the face
                               could not be described); owned */
    float *landmarks;       /* with the descriptor: the 68 (x, y) points it was aligned by, in
                               full-size photo pixels (2 * PR_FACE_LANDMARKS floats); owned */
} pr_described_face;

typedef struct pr_described_photo {
    int width, height;      /* oriented full size; 0 when skipped before decoding */
    int has_time;
    char exif_time[20];     /* DateTimeOriginal "YYYY:MM:DD HH:MM:SS" when has_time */
    char *skip_reason;      /* NULL = described; owned */
    int skip_kind;          /* PR_SKIP_* when skipped */
    int nfaces;
    pr_described_face *faces; /* sorted by position (x, y, w, h); owned */
} pr_described_photo;

/* Describes n photos: paths[i] is read, keys[i] (NULL = paths) names it for the label file.
 * out[0..n) are filled in photo order (zeroed first); release each with pr_described_photo_clear.
 * Errors only for out of memory / no pool / a detector that cannot be built; photos that fail
 * are skipped (see above). */
pr_status pr_describe_photos(const pr_describe_params *params, const char *const *paths,
                             const char *const *keys, size_t n, pr_described_photo *out);

/* One photo on the calling thread with the caller's detector (NULL when params->labels) and face
 * net (NULL unless params->descriptor). */
pr_status pr_describe_photo(const pr_describe_params *params, pr_detector *detector,
                            pr_face_net *net, const char *path, const char *key,
                            pr_described_photo *out);

/* Landmarks and descriptors of faces whose boxes are already known (an album store's), from the
 * photo at path, with the pixels and front end pr_describe_photo uses for those boxes: decoded at
 * full size with its orientation applied (a JPEG: the region around the boxes, falling back to the
 * whole photo for a face whose aligned chip leaves the region), on the calling thread with the
 * caller's net. boxes: full-size (oriented) photo pixels. descriptors: n * PR_FACE_DESCRIPTOR_DIM
 * floats; landmarks: n * 2 * PR_FACE_LANDMARKS floats or NULL; ok[i] = 1 where face i was
 * described, 0 where the net refused it (no pixels, degenerate landmarks). Returns the decode's
 * status when the photo cannot be read or decoded (pr_last_error names the file; nothing written),
 * PR_ERR_NOMEM when out of memory, else PR_OK.
 *
 * The descriptors are those of pr_describe_photo with params->labels holding the same boxes (all
 * of the photo's: the region decoded is the one around all of them) bit for bit: the same decodes
 * and the same per-face code (tests/pipeline/test_describe_known.c). On any failure nothing is
 * written, ok[] included. params->descriptor and crop_side are ignored; the file size limit
 * (max_bytes) gives PR_ERR_LIMIT; n = 0 reads nothing. Stage times go to params->stats' first
 * worker, as pr_describe_photo's. */
pr_status pr_describe_known_faces(const pr_describe_params *params, pr_face_net *net,
                                  const char *path, const pr_box *boxes, int n, float *landmarks,
                                  float *descriptors, unsigned char *ok);

/* count detectors built from params->detector (for params->detectors); *out is caller-owned
 * (pr_describe_detectors_delete). */
pr_status pr_describe_detectors(const pr_describe_params *params, int count, pr_detector ***out);
void pr_describe_detectors_delete(pr_detector **detectors, int count); /* accepts NULL */

/* The face-net parameters describe builds its nets with (models_dir, align, flip; one thread):
 * also what names the descriptors' front end (pr_face_net_front_end). */
pr_face_net_params pr_describe_net_params(const pr_describe_params *params);

/* count face nets for params->nets (each with its own one-thread workspace); *out is
 * caller-owned (pr_describe_nets_delete). PR_ERR_IO with the "recognition is degraded" message
 * when the models are missing. */
pr_status pr_describe_nets(const pr_describe_params *params, int count, pr_face_net ***out);
void pr_describe_nets_delete(pr_face_net **nets, int count); /* accepts NULL */

/* Frees what the photo owns and zeroes it (accepts a zeroed photo). */
void pr_described_photo_clear(pr_described_photo *photo);

/* The PR_SKIP_* kind for a load/detect failure status. */
int pr_describe_skip_kind(pr_status status);

#ifdef __cplusplus
}
#endif
#endif
