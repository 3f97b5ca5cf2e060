/* The shipped calibration (cluster/params/calibration.txt) was fitted on the descriptors of the
 * product's default front end: its "# front end:" line, written by bench/calibration/
 * fit_calibration, names pr_face_net_front_end of pr_face_net_params_default. A change of the
 * default alignment or flip without a refit (scripts/fit-calibration) fails here instead of
 * clustering every album on a scale made for other descriptors. */
#include "cluster/calibration.h"
#include "features/face_descriptor.h"
#include "tests/test.h"

#include <stdio.h>
#include <string.h>

int main(void)
{
    const char *text = pr_calibration_shipped_text();
    const char *key = "\n# front end: ";
    const char *at = text ? strstr(text, key) : NULL;
    PR_CHECK_MSG(at != NULL, "the shipped calibration does not say which front end it is for");
    if (!at)
        return pr_test_finish();
    at += strlen(key);
    char shipped[128];
    size_t n = strcspn(at, "\n");
    snprintf(shipped, sizeof shipped, "%.*s", (int)(n < sizeof shipped ? n : sizeof shipped - 1),
             at);
    char want[128];
    pr_face_net_params p = pr_face_net_params_default();
    pr_face_net_front_end(&p, want, sizeof want);
    PR_CHECK_STR(shipped, want);
    /* The name carries what makes descriptors differ: another alignment or the flip. */
    char other[128];
    p.flip = !p.flip;
    pr_face_net_front_end(&p, other, sizeof other);
    PR_CHECK(strcmp(other, want) != 0);
    p.flip = !p.flip;
    p.align = p.align == PR_FACE_ALIGN_DLIB_SQUARE ? PR_FACE_ALIGN_SIMILARITY
                                                   : PR_FACE_ALIGN_DLIB_SQUARE;
    pr_face_net_front_end(&p, other, sizeof other);
    PR_CHECK(strcmp(other, want) != 0);
    return pr_test_finish();
}
