/* Eigenface recognition rate with a 1-nearest-neighbour classifier on a labelled face-crop set
 * (e.g. AT&T/ORL, cropped Yale B). The labels file has lines `path,person[,...]` (an optional
 * header line, '#' comments; paths relative to the file's folder). Each image is taken whole as the
 * face, made grey and resized (optionally equalised). The first train_per_person images of every
 * person (file order) train the PCA with every component kept; every other image is classified by
 * its nearest training image in face space, at each component count asked for. */
#ifndef PR_EVAL_EIGENFACE_EVAL_H
#define PR_EVAL_EIGENFACE_EVAL_H

#include "core/status.h"

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_eigenface_eval_params {
    int train_per_person; /* default 5 */
    int components;       /* one count; 0 = the sweep 5, 10, 20, ... up to the model's size */
    int skip;             /* leading components left out (lighting; default 0) */
    const char *distance; /* "l2" (default), "cos" or "wcos" (whitened cosine); borrowed */
    int width, height;    /* preprocessed size, 8..512 (default 64 x 64) */
    int equalize;         /* histogram-equalise the crops (default 0) */
    const char *save;     /* write the trained model (all components) here; NULL = no */
} pr_eigenface_eval_params;

pr_eigenface_eval_params pr_eigenface_eval_params_default(void);

/* PR_ERR_ARG with the usage message when a parameter is out of range. */
pr_status pr_eigenface_eval_params_check(const pr_eigenface_eval_params *params);

enum { PR_EIGENFACE_EVAL_MAX_ROWS = 16 };

typedef struct pr_eigenface_eval_row {
    int components;
    int correct;          /* test images whose nearest training image is the same person */
    double rate;          /* correct / test (0 without test images) */
} pr_eigenface_eval_row;

typedef struct pr_eigenface_eval_result {
    int train, test, people;
    double train_seconds; /* loading, preprocessing and training (process CPU time) */
    pr_eigenface_eval_row rows[PR_EIGENFACE_EVAL_MAX_ROWS];
    int n_rows;           /* counts not above skip are left out */
} pr_eigenface_eval_result;

pr_status pr_eigenface_eval_run(const char *labels, const pr_eigenface_eval_params *params,
                                pr_eigenface_eval_result *result);

/* One JSON object per row per line: recognition_rate, components, skip, distance, train, test,
 * people, width, height, equalize, train_seconds. */
pr_status pr_eigenface_eval_write_json(FILE *out, const pr_eigenface_eval_params *params,
                                       const pr_eigenface_eval_result *result);
void pr_eigenface_eval_write_text(FILE *out, const pr_eigenface_eval_params *params,
                                  const pr_eigenface_eval_result *result);

#ifdef __cplusplus
}
#endif
#endif
