/* The rotated dlib square (nn/faceapi.h, PR_FACE_ALIGN_ROTATED): level, it reads face-api's
 * own samples; on a synthetic face turned by a known angle it gives the chip of the level one
 * back (within interpolation and 8-bit rounding), where the axis-aligned square does not; and the
 * mirror used by the test-time flip. */
#include "core/image.h"
#include "nn/faceapi.h"
#include "tests/test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define S PR_FACEAPI_RECOGNITION_SIZE
#define W 420
#define H 400

static const double pi = 3.14159265358979323846;

/* A smooth texture (periods of 23 px and more), so bilinear sampling of a turned copy stays
 * close to the original; each channel different. */
static double texture(double x, double y, int c)
{
    return 127.5 + 60 * sin(x / 11.0 + c) * cos(y / 13.0 - 0.5 * c) + 50 * sin((x + 2 * y) / 29.0);
}

/* Image of the texture turned by angle about (px, py): pixel (x, y) shows the level texture at
 * R(-angle) ((x, y) - p) + p. */
static pr_image *turned_image(double angle, double px, double py)
{
    pr_image *img = NULL;
    if (pr_image_new(W, H, 3, &img) != PR_OK)
        return NULL;
    double ca = cos(angle), sa = sin(angle);
    for (int y = 0; y < H; y++) {
        uint8_t *row = pr_image_row(img, y);
        for (int x = 0; x < W; x++) {
            double u = x - px, v = y - py;
            double lx = ca * u + sa * v + px, ly = -sa * u + ca * v + py;
            for (int c = 0; c < 3; c++) {
                double t = floor(texture(lx, ly, c) + 0.5);
                row[3 * x + c] = (uint8_t)(t < 0 ? 0 : t > 255 ? 255 : t);
            }
        }
    }
    return img;
}

/* 68 landmarks of a face whose eye centres are 80 px apart and mouth 70 px below them, turned by
 * angle about the eye-mouth centroid (cx, cy); only eyes (36..47) and mouth (48..67) count. */
static void landmarks(double angle, double cx, double cy, double pts[136])
{
    double ca = cos(angle), sa = sin(angle);
    for (int i = 0; i < 68; i++) {
        double x = 0, y = 0; /* relative to the centroid */
        if (i >= 36 && i <= 41)
            x = -40 + (i - 38.5), y = -70.0 / 3;
        else if (i >= 42 && i <= 47)
            x = 40 + (i - 44.5), y = -70.0 / 3;
        else if (i >= 48)
            x = (i - 57.5) * 0.5, y = 140.0 / 3;
        pts[2 * i] = cx + ca * x - sa * y;
        pts[2 * i + 1] = cy + sa * x + ca * y;
    }
}

static double max_abs(const float *a, const float *b, int n, double *mean)
{
    double m = 0, s = 0;
    for (int i = 0; i < n; i++) {
        double d = fabs((double)a[i] - b[i]);
        m = d > m ? d : m;
        s += d;
    }
    *mean = s / n;
    return m;
}

int main(void)
{
    const int n = S * S * 3;
    const double cx = 203.3, cy = 191.7; /* not on the pixel grid */
    float *level = malloc(sizeof(float) * n), *other = malloc(sizeof(float) * n);
    double pts[136], mean;
    PR_CHECK(level && other);
    if (!level || !other)
        return pr_test_finish();

    /* Level face: angle 0, the square inside the image -> face-api's clip + resize, sample for
     * sample. */
    pr_image *flat = turned_image(0, cx, cy);
    PR_CHECK(flat != NULL);
    landmarks(0, cx, cy, pts);
    PR_CHECK_NEAR(pr_faceapi_eye_angle(pts), 0, 1e-12);
    double sq[4];
    pr_faceapi_rect r;
    pr_faceapi_dlib_square(pts, W, H, sq);
    PR_CHECK(sq[2] >= S && pr_faceapi_clip(sq[0], sq[1], sq[2], sq[3], W, H, &r));
    PR_CHECK(r.x > 0 && r.y > 0 && r.x + r.w < W && r.y + r.h < H && r.w == r.h);
    pr_faceapi_prepare(flat, r, S, level);
    pr_faceapi_rotated_square(flat, pts, pr_faceapi_eye_angle(pts), S, other);
    double m = max_abs(level, other, n, &mean);
    PR_CHECK_MSG(m < 1e-6, "level face: rotated square differs from face-api's by %g", m);

    /* The same face turned by 17 degrees about its centroid: the rotated square gives the level
     * chip back; the axis-aligned square does not. Limits in units of the net's input (1/255 per
     * grey level): interpolation of an 8-bit picture twice. */
    const double angle = 17 * pi / 180;
    pr_image *turned = turned_image(angle, cx, cy);
    PR_CHECK(turned != NULL);
    landmarks(angle, cx, cy, pts);
    PR_CHECK_NEAR(pr_faceapi_eye_angle(pts), angle, 1e-9);
    pr_faceapi_rotated_square(turned, pts, pr_faceapi_eye_angle(pts), S, other);
    m = max_abs(level, other, n, &mean);
    PR_CHECK_MSG(m < 3 / 255.0 && mean < 0.6 / 255.0,
                 "turned face: rotated square off the level chip by max %g, mean %g (x255)",
                 m * 255, mean * 255);
    pr_faceapi_dlib_square(pts, W, H, sq);
    PR_CHECK(pr_faceapi_clip(sq[0], sq[1], sq[2], sq[3], W, H, &r));
    pr_faceapi_prepare(turned, r, S, other);
    max_abs(level, other, n, &mean);
    PR_CHECK_MSG(mean > 10 / 255.0, "turned face: the axis-aligned square is close too (mean %g)",
                 mean * 255);

    /* Past the border: zeros there (-mean/255 after normalisation), the face keeps its place. */
    landmarks(0, 60, 191.7, pts);
    pr_faceapi_rotated_square(flat, pts, 0, S, other);
    PR_CHECK_NEAR(other[(75 * S + 0) * 3 + 0], -122.782f / 255.0f, 1e-6);

    /* Mirror: left and right swap, twice is the identity. */
    memcpy(other, level, sizeof(float) * n);
    pr_faceapi_mirror(other, S);
    PR_CHECK(other[(7 * S + 3) * 3 + 1] == level[(7 * S + S - 4) * 3 + 1]);
    PR_CHECK(memcmp(other, level, sizeof(float) * n) != 0);
    pr_faceapi_mirror(other, S);
    PR_CHECK(memcmp(other, level, sizeof(float) * n) == 0);

    pr_image_delete(flat);
    pr_image_delete(turned);
    free(level);
    free(other);
    return pr_test_finish();
}
