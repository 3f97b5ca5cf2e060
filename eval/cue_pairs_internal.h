/* Shared between the cue-pair harness (eval/cue_pairs.c: pairs, ROC, writers) and its per-photo
 * front end (eval/cue_pairs_describe.c). The front end is this harness's own and not
 * pipeline/describe.h's: the harness compares every colour space and histogram distance of the
 * clothing and face-band cues, while the album's front end computes the one chosen space. */
#ifndef PR_EVAL_CUE_PAIRS_INTERNAL_H
#define PR_EVAL_CUE_PAIRS_INTERNAL_H

#include "core/progress.h"
#include "datasets/face_labels.h"
#include "eval/cue_pairs.h"
#include "features/color_hist.h"
#include "features/eigenfaces.h"
#include "features/face_descriptor.h"
#include "features/sift.h"

#include <stddef.h>

enum { H_SPACES = PR_COLOR_SPACE_COUNT };

typedef struct pr_cue_inst {
    size_t label;       /* index in the label set */
    int photo;          /* index into photos */
    const char *person; /* borrowed from the label set */
    pr_color_hist body[H_SPACES];
    pr_color_hist band[H_SPACES];
    pr_color_hist background;
    pr_sift_set *sift_face, *sift_body;
    float *row;         /* eigenface input, NULL = too small */
    float *coeff;
    float *descriptor;  /* 128 floats, NULL = no models or the net could not take the face */
} pr_cue_inst;

typedef struct pr_cue_photo {
    size_t first_label; /* labels of this photo: sorted order [first, first + count) */
    int count;
    double time;
    int event;
} pr_cue_photo;

enum { T_BODY, T_BAND, T_BACKGROUND, T_SIFT_FACE, T_SIFT_BODY, T_EIGEN, T_MASK, T_LOAD, T_DESCRIPTOR,
       T_COUNT };

typedef struct pr_cue_ctx {
    const pr_face_labels *set;
    size_t *order;      /* label indices sorted by image */
    pr_cue_photo *photos;
    int nphotos;
    pr_cue_inst *insts;
    int n;
    int *inst_of_label; /* -1 = not an instance */
    pr_eigenfaces_params ep;
    int body_mask;      /* 1 = segmentation masks, 0 = prior boxes */
    pr_face_net **nets; /* one per worker (each has one workspace), or NULL = no descriptor cue */
    int n_nets;
    double (*timing)[T_COUNT]; /* per worker */
    int *failed;        /* per photo: 1 = could not load */
    pr_progress *progress;
} pr_cue_ctx;

/* Sorts the labels by photo and lists the photos and the named instances (c->set set, arrays
 * allocated for set->count). */
int pr_cue_pairs_index_labels(pr_cue_ctx *c); /* -1 when out of memory */

/* The front end: every cue of every instance of photo `index` (a pool job). */
void pr_cue_pairs_describe_photo(void *ctx, long index, int worker);

#endif
