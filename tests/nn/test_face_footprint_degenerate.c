/* Degenerate landmarks are refused, not described: pr_face_net_check_landmarks (what the net runs
 * before cutting the recognition input) on synthetic 68-point faces under every alignment, and
 * the nn measures it reads (the chain square's side, the similarity chip's scale). A plain face
 * passes every alignment; a NaN or an infinity anywhere fails every one; points collapsed to one,
 * or a face of a twentieth of a pixel, fail every alignment that aligns by the landmarks (the box
 * alignment does not use them). With the models, pr_face_net_describe on a 1 x 1 px box (its
 * landmarks all inside one pixel) is refused too, under every alignment by landmarks, instead of
 * returning the descriptor of an empty chip. */
#include "features/face_descriptor.h"
#include "nn/faceapi.h"
#include "tests/test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const pr_face_align aligns[] = {PR_FACE_ALIGN_DLIB_SQUARE, PR_FACE_ALIGN_SIMILARITY,
                                       PR_FACE_ALIGN_BOX, PR_FACE_ALIGN_ROTATED,
                                       PR_FACE_ALIGN_UNCLIPPED};
enum { N_ALIGNS = sizeof aligns / sizeof aligns[0] };

/* A plain upright face of about `size` px centred on (cx, cy) in iBUG order: jaw, brows, nose,
 * eyes, mouth. */
static void synthetic_face(double cx, double cy, double size, float lm[136])
{
    const double pi = 3.14159265358979;
    double pts[136];
    for (int i = 0; i <= 16; i++) { /* jaw: a U from ear to ear */
        double t = pi * i / 16;
        pts[2 * i] = -0.45 * cos(t), pts[2 * i + 1] = 0.1 + 0.4 * sin(t);
    }
    for (int i = 17; i <= 26; i++) /* brows */
        pts[2 * i] = -0.4 + 0.8 * (i - 17) / 9.0, pts[2 * i + 1] = -0.25;
    for (int i = 27; i <= 35; i++) /* nose: bridge, then the nostrils */
        pts[2 * i] = i <= 30 ? 0 : -0.1 + 0.05 * (i - 31),
                pts[2 * i + 1] = i <= 30 ? -0.15 + 0.07 * (i - 27) : 0.1;
    for (int e = 0; e < 2; e++) /* eyes: hexagons */
        for (int k = 0; k < 6; k++) {
            int i = 36 + 6 * e + k;
            pts[2 * i] = (e ? 0.2 : -0.2) + 0.08 * cos(pi * k / 3);
            pts[2 * i + 1] = -0.12 + 0.03 * sin(pi * k / 3);
        }
    for (int i = 48; i <= 67; i++) { /* mouth: outer 12, inner 8 */
        int n = i < 60 ? 12 : 8, k = i < 60 ? i - 48 : i - 60;
        double r = i < 60 ? 0.18 : 0.12;
        pts[2 * i] = r * cos(2 * pi * k / n), pts[2 * i + 1] = 0.25 + 0.4 * r * sin(2 * pi * k / n);
    }
    for (int i = 0; i < 68; i++) {
        lm[2 * i] = (float)(cx + size * pts[2 * i]);
        lm[2 * i + 1] = (float)(cy + size * pts[2 * i + 1]);
    }
}

/* pr_face_net_check_landmarks under every alignment against the status wanted for each. */
static void check_all(const char *what, const float lm[136], const pr_status want[N_ALIGNS])
{
    for (int a = 0; a < N_ALIGNS; a++) {
        pr_face_net_params p = pr_face_net_params_default();
        p.align = aligns[a];
        pr_status st = pr_face_net_check_landmarks(&p, lm);
        PR_CHECK_MSG(st == want[a], "%s, %s: status %d, want %d (%s)", what,
                     pr_face_align_name(aligns[a]), (int)st, (int)want[a],
                     st == PR_OK ? "" : pr_last_error());
        if (st != PR_OK)
            PR_CHECK(strncmp(pr_last_error(), "face net: ", 10) == 0);
    }
}

static void check_synthetic(void)
{
    const pr_status ok[N_ALIGNS] = {PR_OK, PR_OK, PR_OK, PR_OK, PR_OK};
    const pr_status bad[N_ALIGNS] = {PR_ERR_ARG, PR_ERR_ARG, PR_ERR_ARG, PR_ERR_ARG, PR_ERR_ARG};
    /* The box's descriptor does not read the landmarks: only non-finite ones are refused. */
    const pr_status collapsed[N_ALIGNS] = {PR_ERR_ARG, PR_ERR_ARG, PR_OK, PR_ERR_ARG, PR_ERR_ARG};
    float lm[136], odd[136];
    double pts[136];
    synthetic_face(100, 100, 80, lm);
    for (int i = 0; i < 136; i++)
        pts[i] = lm[i];
    /* The eyes are 0.4 x 80 px apart with the mouth 0.37 x 80 below them: a square of 80 px. */
    double side = pr_faceapi_chain_side(pts);
    double scale = pr_faceapi_similarity_scale(pts, PR_FACEAPI_RECOGNITION_SIZE);
    fprintf(stderr, "plain face: chain side %g px, similarity scale %g px per chip px\n", side,
            scale);
    PR_CHECK(side > 60 && side < 100);
    PR_CHECK(scale > 0.3 && scale < 1.5);
    check_all("plain face", lm, ok);
    const int points[3] = {0, 40, 62}; /* jaw (no chain reads it), eye, mouth */
    for (int k = 0; k < 3; k++) {
        memcpy(odd, lm, sizeof odd);
        odd[2 * points[k] + 1] = NAN;
        check_all("a NaN", odd, bad);
        odd[2 * points[k] + 1] = 0;
        odd[2 * points[k]] = k == 1 ? -INFINITY : INFINITY;
        check_all("an infinity", odd, bad);
    }
    for (int i = 0; i < 68; i++)
        odd[2 * i] = 50, odd[2 * i + 1] = 60;
    for (int i = 0; i < 136; i++)
        pts[i] = odd[i];
    PR_CHECK(pr_faceapi_chain_side(pts) == 0);
    PR_CHECK(pr_faceapi_similarity_scale(pts, PR_FACEAPI_RECOGNITION_SIZE) == 0);
    check_all("collapsed to one point", odd, collapsed);
    synthetic_face(100, 100, 0.05, odd);
    check_all("a face of 0.05 px", odd, collapsed);
    synthetic_face(100, 100, 3, odd); /* small but a face: a chain square of 3 px */
    check_all("a face of 3 px", odd, ok);
    /* A chain square of a face, but points the similarity fit collapses on: mirrored left to
     * right and flattened, so the template's best rotation-and-scale is nearly nothing. Only the
     * similarity chip refuses it (its scale check, which the side above cannot see). */
    const pr_status flat[N_ALIGNS] = {PR_OK, PR_ERR_ARG, PR_OK, PR_OK, PR_OK};
    synthetic_face(100, 100, 80, odd);
    for (int i = 0; i < 68; i++)
        odd[2 * i] = 200 - odd[2 * i], odd[2 * i + 1] = 100 + 0.294f * (odd[2 * i + 1] - 100);
    for (int i = 0; i < 136; i++)
        pts[i] = odd[i];
    fprintf(stderr, "mirrored and flattened: chain side %g px, similarity scale %g\n",
            pr_faceapi_chain_side(pts), pr_faceapi_similarity_scale(pts, PR_FACEAPI_RECOGNITION_SIZE));
    check_all("mirrored and flattened", odd, flat);
    pts[2 * 40] = NAN;
    PR_CHECK(isnan(pr_faceapi_chain_side(pts)));
    PR_CHECK(isnan(pr_faceapi_similarity_scale(pts, PR_FACEAPI_RECOGNITION_SIZE)));
}

/* The nets on a 1 x 1 px face: its landmarks lie inside one pixel. */
static void check_tiny_box(const char *models)
{
    pr_image *img = NULL;
    PR_CHECK_OK(pr_image_new(64, 64, 3, &img));
    if (!img)
        return;
    for (int y = 0; y < 64; y++)
        for (int x = 0; x < 64 * 3; x++)
            pr_image_row(img, y)[x] = (uint8_t)((x * 7 + y * 13) % 256);
    for (int a = 0; a < N_ALIGNS; a++) {
        pr_face_net_params p = pr_face_net_params_default();
        p.models_dir = models;
        p.align = aligns[a];
        pr_face_net *net = NULL;
        PR_CHECK_OK(pr_face_net_new(&p, &net));
        if (!net)
            continue;
        float lm[136], desc[128];
        pr_status st = pr_face_net_describe(net, img, (pr_box){30, 30, 1, 1}, lm, desc);
        fprintf(stderr, "1 px box, %s: %s\n", pr_face_align_name(aligns[a]),
                st == PR_OK ? "described" : pr_last_error());
        if (aligns[a] == PR_FACE_ALIGN_BOX)
            PR_CHECK_OK(st);
        else
            PR_CHECK_MSG(st == PR_ERR_ARG, "%s: a 1 px face was described (status %d)",
                         pr_face_align_name(aligns[a]), (int)st);
        pr_face_net_delete(net);
    }
    pr_image_delete(img);
}

int main(void)
{
    check_synthetic();
    char dir[4096], probe[4200];
    const char *env = getenv("PERSONREC_MODELS");
    snprintf(dir, sizeof dir, "%s", env && *env ? env : PR_SOURCE_DIR "/../shared/models/faceapi");
    snprintf(probe, sizeof probe, "%s/face_recognition_model.bin", dir);
    FILE *f = fopen(probe, "rb");
    if (f) {
        fclose(f);
        check_tiny_box(dir);
    } else {
        fprintf(stderr, "face models missing in %s: the nets' part not run\n", dir);
    }
    return pr_test_finish();
}
