/* Where the face models are looked for, and what a user is told when they are missing. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, setenv */
#include "features/face_descriptor.h"
#include "tests/test.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    char found[4096];
    /* --models and $PERSONREC_MODELS are taken as given, in that order. */
    PR_CHECK_OK(setenv("PERSONREC_MODELS", "/from/env", 1) == 0 ? PR_OK : PR_ERR_IO);
    PR_CHECK_OK(pr_face_net_find_models("/from/cli", found, sizeof found));
    PR_CHECK_STR(found, "/from/cli");
    PR_CHECK_OK(pr_face_net_find_models(NULL, found, sizeof found));
    PR_CHECK_STR(found, "/from/env");
    unsetenv("PERSONREC_MODELS");
    pr_status st = pr_face_net_find_models(NULL, found, sizeof found);
    PR_CHECK(st == PR_OK || st == PR_ERR_IO); /* OK where the source tree's models are present */

    /* A folder without the files: what is missing and what to do, not "degraded" (the command
     * that asked for the nets stops: it does not go on with the classic cues). */
    char dir[] = "/tmp/pr_face_models_XXXXXX";
    PR_CHECK(mkdtemp(dir) != NULL);
    pr_face_net_params p = pr_face_net_params_default();
    p.models_dir = dir;
    pr_face_net *net = NULL;
    PR_CHECK_EQ_INT(pr_face_net_new(&p, &net), PR_ERR_IO);
    PR_CHECK(net == NULL);
    PR_CHECK_MSG(strstr(pr_last_error(), "degraded") == NULL, "'%s'", pr_last_error());
    PR_CHECK(strstr(pr_last_error(), dir) != NULL);
    PR_CHECK(strstr(pr_last_error(), "scripts/install-deps") != NULL);
    PR_CHECK(strstr(pr_last_error(), "face_landmark_68_model-weights_manifest.json") != NULL);
    PR_CHECK(strstr(pr_face_net_degraded_message(), "PERSONREC_MODELS") != NULL);
    PR_CHECK(strstr(pr_face_net_degraded_message(), "recognition is degraded") != NULL);
    rmdir(dir);

    float a[128] = {0}, b[128] = {0};
    b[5] = 3, b[7] = 4;
    PR_CHECK_NEAR(pr_face_descriptor_distance(a, b), 5.0, 1e-6);
    return pr_test_finish();
}
