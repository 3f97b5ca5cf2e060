/* The face-api model folder of the source tree (../shared/models/faceapi); exits 77 (skipped) when
 * the model files are absent. */
#ifndef PR_TESTS_NN_MODELS_H
#define PR_TESTS_NN_MODELS_H

#include <stdio.h>
#include <stdlib.h>

static inline const char *pr_test_models_dir(void)
{
    static char dir[4096];
    const char *env = getenv("PERSONREC_MODELS");
    snprintf(dir, sizeof dir, "%s", env && *env ? env : PR_SOURCE_DIR "/../shared/models/faceapi");
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/face_recognition_model.bin", dir);
    FILE *f = fopen(probe, "rb");
    if (!f) {
        fprintf(stderr, "skipped: face models missing in %s\n", dir);
        exit(77);
    }
    fclose(f);
    return dir;
}

#endif
