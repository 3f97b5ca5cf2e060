/* Face landmarks (68 points) and the 128-d face descriptor of face-api (@vladmandic/face-api 1.7.15;
 * the recognition net is dlib's face-recognition ResNet, weights by Davis King), run in C by nn/.
 *
 * One call takes an RGB image and a face box and returns the 68 iBUG landmarks in image pixels and
 * the descriptor (Euclidean distance < ~0.6 = same person; not L2-normalised, as the library).
 * The default alignment, PR_FACE_ALIGN_SIMILARITY with params.flip, rotates and scales the face
 * onto dlib's mean face and averages the descriptor with its mirror image's (chosen off-album,
 * thesis/results/alignment.md). face-api's own chain (landmarks on the box, then a dlib-style
 * square from the eye and mouth centres, no rotation, no flip) is PR_FACE_ALIGN_DLIB_SQUARE;
 * PR_FACE_ALIGN_ROTATED turns that square level. Model files:
 * ../shared/models/faceapi in the source tree, or where pr_face_net_find_models looks
 * (scripts/install-deps fetches them). */
#ifndef PR_FEATURES_FACE_DESCRIPTOR_H
#define PR_FEATURES_FACE_DESCRIPTOR_H

#include "core/box.h"
#include "core/image.h"
#include "core/status.h"
#include "core/threadpool.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PR_FACE_LANDMARKS 68
#define PR_FACE_DESCRIPTOR_DIM 128

typedef enum pr_face_align {
    PR_FACE_ALIGN_DLIB_SQUARE = 0, /* face-api's chain: axis-aligned square from eyes + mouth */
    PR_FACE_ALIGN_SIMILARITY = 1,  /* rotate + scale onto dlib's mean face (get_face_chip, 0.25 pad) */
    PR_FACE_ALIGN_BOX = 2,         /* the face box itself, no landmark step for the crop */
    PR_FACE_ALIGN_ROTATED = 3,     /* the chain's square (same side and corner) turned about the
                                      eye-mouth centroid so the eye line is level; zeros outside
                                      the image (thesis/results/alignment.md) */
    PR_FACE_ALIGN_UNCLIPPED = 4    /* the same square not turned, zeros outside the image: the
                                      control that separates rotation from border handling */
} pr_face_align;

/* The alignment named `name` (square, similarity, box, rotated, unclipped) into *out; -1 for an
 * unknown name. For the bench tools' --align. */
int pr_face_align_parse(const char *name, pr_face_align *out);
/* Its name ("?" for a value outside the enum). */
const char *pr_face_align_name(pr_face_align align);

typedef enum pr_face_device {
    PR_FACE_DEVICE_CPU = 0,  /* one face per pool worker, recognition net 4 faces per sgemm */
    PR_FACE_DEVICE_CUDA = 1, /* describe_many runs each net as one GPU batch (nn/dispatch.h);
                                pr_face_net_new fails when no GPU is usable */
    PR_FACE_DEVICE_AUTO = 2  /* the GPU batch path when a GPU is usable, else the dispatcher's
                                CPU runner (one notice on stderr) */
} pr_face_device;

typedef struct pr_face_net_params {
    const char *models_dir; /* folder holding the face-api model files; NULL = pr_face_net_find_models */
    pr_face_align align;    /* default PR_FACE_ALIGN_SIMILARITY; face-api's own chain (the parity
                               tests' reference) is PR_FACE_ALIGN_DLIB_SQUARE with flip 0 */
    int flip;               /* 1 = test-time flip: the mean of the descriptors of the chip and of
                               its mirror image (not re-normalised: face-api's descriptors are not
                               unit length); twice the recognition net's time. Default 1 */
    pr_face_device device;  /* default CPU; describe (one face) always runs on the CPU */
    pr_pool *pool;          /* borrowed; NULL = own pool of `threads` workers */
    int threads;            /* when pool is NULL: workers for the batch call (<= 0: 1) */
    int reference;          /* 1 = run the plain direct-convolution reference kernels (tests) */
    int clipped_origin;     /* 0 (default) = landmarks shifted by the box's x, y as face-api does
                               (off by the overhang for boxes starting outside the image);
                               1 = by the clipped crop's origin */
} pr_face_net_params;

pr_face_net_params pr_face_net_params_default(void);

/* The name of the descriptor's front end (nets, alignment, flip), e.g. "face-api 1.7.15
 * similarity flip": descriptors made under two names are not comparable, so the album store keeps
 * the name its descriptors were made with and recomputes them when it differs. clipped_origin is
 * left out: only tests set it. */
void pr_face_net_front_end(const pr_face_net_params *params, char *out, size_t size);

typedef struct pr_face_net pr_face_net;

/* Loads and checks both nets (shapes, sha256). *out is caller-owned (pr_face_net_delete). Missing
 * models: PR_ERR_IO with a message that says recognition is degraded and how to get them. Sets
 * OpenBLAS to one thread inside (threads come from the pool). */
pr_status pr_face_net_new(const pr_face_net_params *params, pr_face_net **out);
void pr_face_net_delete(pr_face_net *net); /* accepts NULL */

/* One face. rgb: 3 channels (a grey image is run as RGB with the grey replicated). face: the face box in image pixels (may extend past the border; it is
 * clipped as face-api does). landmarks (may be NULL): 68 (x, y) pairs in image pixels. descriptor
 * (may be NULL): 128 floats. PR_ERR_ARG when the box has no pixels inside the image. Thread-safe
 * only through the batch call (one workspace per pool worker); this one uses worker 0's. */
pr_status pr_face_net_describe(pr_face_net *net, const pr_image *rgb, pr_box face,
                               float landmarks[2 * PR_FACE_LANDMARKS],
                               float descriptor[PR_FACE_DESCRIPTOR_DIM]);

/* Whether landmarks can be aligned under params' alignment: PR_ERR_ARG (message "face net: ...")
 * when a coordinate is not finite (every alignment), when the chain's square (face-api's side,
 * from the eye and mouth centres) is under 1 px (every alignment by landmarks: square, similarity,
 * rotated, unclipped), or when the similarity chip would cover under 1 image pixel (scale not
 * finite or scale x 150 < 1). pr_face_net_describe refuses such a face with this status rather
 * than describe a chip of zeros or NaNs. */
pr_status pr_face_net_check_landmarks(const pr_face_net_params *params,
                                      const float landmarks[2 * PR_FACE_LANDMARKS]);

/* The part of an img_w x img_h image that pr_face_net_describe reads for face under params'
 * alignment, given the landmarks it returned: {x0, y0, x1, y1}, half-open, clipped to the image
 * (the nets read zeros or clip past its border). It holds the landmark net's crop (the clipped
 * box) and the descriptor's input (nn/faceapi.h's footprints: the chip's corners mapped to the
 * image with the bilinear neighbour and the supersampling offsets; face-api's clipped square).
 * A part of the image holding it, with the box shifted by the part's origin, gives the same
 * landmarks and descriptor up to float rounding. The landmarks are the float ones returned, while
 * the net samples at their double values: a sample within float rounding of a pixel edge can read
 * one pixel further, so a caller that must be sure (pipeline/describe.c) allows a pixel more.
 * All zeros when the box has no pixels in the image. */
void pr_face_net_footprint(const pr_face_net_params *params, pr_box face,
                           const float landmarks[2 * PR_FACE_LANDMARKS], int img_w, int img_h,
                           double rect[4]);

/* The parameters the net was made with (its alignment, for pr_face_net_footprint). */
const pr_face_net_params *pr_face_net_get_params(const pr_face_net *net);

/* Many faces (any images) spread over the pool; each job gets its own status (the call returns the
 * first failure, or PR_OK). Outputs are written to each job's arrays (either may be NULL). */
typedef struct pr_face_job {
    const pr_image *image;  /* borrowed, RGB */
    pr_box face;
    float *landmarks;       /* 136 floats or NULL */
    float *descriptor;      /* 128 floats or NULL */
    pr_status status;       /* out */
} pr_face_job;

pr_status pr_face_net_describe_many(pr_face_net *net, pr_face_job *jobs, long n);

/* Euclidean distance between two descriptors. */
float pr_face_descriptor_distance(const float *a, const float *b);

/* Where the models are: cli_dir (--models) if given, else $PERSONREC_MODELS, else
 * <exe dir>/models, else <exe dir>/../share/personrec/models, else the source tree's ../shared/models/faceapi (build-time
 * default). The first folder holding face_recognition_model.bin wins; cli_dir and the variable are
 * taken as given. PR_ERR_IO with the "recognition is degraded" message when none has the files. */
pr_status pr_face_net_find_models(const char *cli_dir, char *out, size_t out_size);

/* For commands whose default uses the descriptor: 1 when models_dir is given (loading then reports
 * a folder without the files as an error) or the default search finds the models; otherwise says
 * once on stderr, as "personrec WHO: ...", that recognition falls back to the classic cues, and
 * returns 0. */
int pr_face_net_models_available(const char *models_dir, const char *who);

/* The plain message for users when the models are missing (static string). */
const char *pr_face_net_degraded_message(void);

#ifdef __cplusplus
}
#endif
#endif
