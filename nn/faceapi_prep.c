/* Pre- and post-processing of face-api's nets, step for step as the library (ARCH.md). */
#include "nn/faceapi.h"

#include <math.h>
#include <stdlib.h>

static const float mean_rgb[3] = {122.782f, 117.001f, 104.298f};

int pr_faceapi_clip(double x, double y, double w, double h, int img_w, int img_h,
                    pr_faceapi_rect *r)
{
    double cx = x > 0 ? x : 0, cy = y > 0 ? y : 0;
    double cw = fmin(x + w - cx, img_w - cx), ch = fmin(y + h - cy, img_h - cy);
    double fx = floor(cx), fy = floor(cy), fw = floor(cw), fh = floor(ch);
    if (!(fw > 0 && fh > 0) || fx >= img_w || fy >= img_h) {
        *r = (pr_faceapi_rect){0, 0, 0, 0};
        return 0;
    }
    *r = (pr_faceapi_rect){(int)fx, (int)fy, (int)fw, (int)fh};
    /* floor(x) + floor(w) can pass the border by one; the library's slice would fail there. */
    if (r->x + r->w > img_w)
        r->w = img_w - r->x;
    if (r->y + r->h > img_h)
        r->h = img_h - r->y;
    return r->w > 0 && r->h > 0;
}

/* Pixel (px, py) of the zero-padded square around r, channel c, as a float 0..255. */
static float padded(const pr_image *rgb, pr_faceapi_rect r, int before_x, int before_y, int px,
                    int py, int c)
{
    int x = px - before_x, y = py - before_y;
    if (x < 0 || y < 0 || x >= r.w || y >= r.h)
        return 0.0f;
    return (float)pr_image_row(rgb, r.y + y)[(size_t)(r.x + x) * 3 + (size_t)c];
}

void pr_faceapi_prepare(const pr_image *rgb, pr_faceapi_rect r, int size, float *out)
{
    int side = r.w > r.h ? r.w : r.h, diff = abs(r.w - r.h);
    int after = (int)floor(diff * 0.5 + 0.5); /* Math.round */
    int before = diff - after;
    int bx = r.w < r.h ? before : 0, by = r.h < r.w ? before : 0;
    double ratio = (double)side / size;
    for (int oy = 0; oy < size; oy++) {
        double sy = ratio * oy;
        int y0 = (int)floor(sy), y1 = (int)ceil(sy);
        y1 = y1 < side - 1 ? y1 : side - 1;
        double fy = sy - y0;
        for (int ox = 0; ox < size; ox++) {
            double sx = ratio * ox;
            int x0 = (int)floor(sx), x1 = (int)ceil(sx);
            x1 = x1 < side - 1 ? x1 : side - 1;
            double fx = sx - x0;
            float *o = out + ((size_t)oy * size + ox) * 3;
            for (int c = 0; c < 3; c++) {
                double tl = padded(rgb, r, bx, by, x0, y0, c), tr = padded(rgb, r, bx, by, x1, y0, c);
                double bl = padded(rgb, r, bx, by, x0, y1, c), br = padded(rgb, r, bx, by, x1, y1, c);
                double top = tl + (tr - tl) * fx, bottom = bl + (br - bl) * fx;
                float v = (float)(top + (bottom - top) * fy);
                o[c] = (v - mean_rgb[c]) / 255.0f;
            }
        }
    }
}

void pr_faceapi_landmarks_to_image(const float raw[136], int crop_w, int crop_h, double ox,
                                   double oy, double pts[136])
{
    const float in = PR_FACEAPI_LANDMARK_SIZE;
    double sc = (double)PR_FACEAPI_LANDMARK_SIZE / (crop_w > crop_h ? crop_w : crop_h);
    double iw = crop_w * sc, ih = crop_h * sc;
    float pad_x = (float)(iw < ih ? fabs(iw - ih) / 2 : 0);
    float pad_y = (float)(ih < iw ? fabs(iw - ih) / 2 : 0);
    for (int i = 0; i < 68; i++) {
        float rx = (raw[2 * i] * in - pad_x) / (float)iw;
        float ry = (raw[2 * i + 1] * in - pad_y) / (float)ih;
        pts[2 * i] = (double)rx * crop_w + ox;
        pts[2 * i + 1] = (double)ry * crop_h + oy;
    }
}

static void centre(const double *pts, int from, int to, double *c)
{
    double sx = 0, sy = 0;
    for (int i = from; i <= to; i++) {
        sx += pts[2 * i];
        sy += pts[2 * i + 1];
    }
    c[0] = sx / (to - from + 1);
    c[1] = sy / (to - from + 1);
}

void pr_faceapi_centres(const double pts[136], double c[6])
{
    centre(pts, 36, 41, c);
    centre(pts, 42, 47, c + 2);
    centre(pts, 48, 67, c + 4);
}

void pr_faceapi_dlib_square(const double pts[136], int crop_w, int crop_h, double box[4])
{
    double c[6];
    pr_faceapi_centres(pts, c);
    double dl = hypot(c[4] - c[0], c[5] - c[1]), dr = hypot(c[4] - c[2], c[5] - c[3]);
    double side = floor((dl + dr) / 2 / 0.45);
    double rx = (c[0] + c[2] + c[4]) / 3, ry = (c[1] + c[3] + c[5]) / 3;
    box[0] = floor(fmax(0, rx - 0.5 * side));
    box[1] = floor(fmax(0, ry - 0.43 * side));
    box[2] = fmin(side, crop_w + box[0]);
    box[3] = fmin(side, crop_h + box[1]);
}

/* Template for the similarity chip, in units of the chip side: where an upright face's eye and
 * mouth centres fall inside face-api's dlib square (centroid at (0.5, 0.43), mean eye-mouth
 * distance 0.45) with the album's median eye distance / eye-mouth distance ratio (EYE_RATIO). */
#define EYE_RATIO 0.92
static void template_points(int size, double t[6])
{
    double d = 0.45 * size, a = EYE_RATIO * d / 2, h = sqrt(d * d - a * a);
    double ye = 0.43 * size - h / 3, cx = 0.5 * size;
    t[0] = cx - a, t[1] = ye, t[2] = cx + a, t[3] = ye, t[4] = cx, t[5] = ye + h;
}

static float sample(const pr_image *rgb, double x, double y, int c)
{
    int x0 = (int)floor(x), y0 = (int)floor(y);
    double fx = x - x0, fy = y - y0, acc = 0;
    for (int dy = 0; dy < 2; dy++)
        for (int dx = 0; dx < 2; dx++) {
            int xx = x0 + dx, yy = y0 + dy;
            if (xx < 0 || yy < 0 || xx >= rgb->width || yy >= rgb->height)
                continue;
            double wgt = (dx ? fx : 1 - fx) * (dy ? fy : 1 - fy);
            acc += wgt * pr_image_row(rgb, yy)[(size_t)xx * 3 + (size_t)c];
        }
    return (float)acc;
}

void pr_faceapi_similarity_chip(const pr_image *rgb, const double pts[136], int size, float *out)
{
    double s[6], t[6], sm[2] = {0, 0}, tm[2] = {0, 0};
    pr_faceapi_centres(pts, s);
    template_points(size, t);
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 2; k++) {
            sm[k] += s[2 * i + k] / 3;
            tm[k] += t[2 * i + k] / 3;
        }
    /* Least-squares similarity t = [a -b; b a] s + off, solved on centred points; we need the
     * inverse (chip pixel -> image) for sampling. */
    double num_a = 0, num_b = 0, den = 0;
    for (int i = 0; i < 3; i++) {
        double sx = s[2 * i] - sm[0], sy = s[2 * i + 1] - sm[1];
        double tx = t[2 * i] - tm[0], ty = t[2 * i + 1] - tm[1];
        num_a += sx * tx + sy * ty;
        num_b += sx * ty - sy * tx;
        den += sx * sx + sy * sy;
    }
    double a = den > 0 ? num_a / den : 1, b = den > 0 ? num_b / den : 0;
    double n2 = a * a + b * b;
    double ia = n2 > 0 ? a / n2 : 1, ib = n2 > 0 ? -b / n2 : 0; /* inverse rotation-scale */
    for (int oy = 0; oy < size; oy++)
        for (int ox = 0; ox < size; ox++) {
            double dx = ox - tm[0], dy = oy - tm[1];
            double x = ia * dx - ib * dy + sm[0], y = ib * dx + ia * dy + sm[1];
            float *o = out + ((size_t)oy * size + ox) * 3;
            for (int c = 0; c < 3; c++)
                o[c] = (sample(rgb, x, y, c) - mean_rgb[c]) / 255.0f;
        }
}
