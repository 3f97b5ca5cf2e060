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

/* One axis of the resize from the padded square (side) to size: the two source indices in the
 * crop (-1 = a padding pixel, value 0) and the weight of the second, as tfjs's resizeBilinear
 * (align_corners = half_pixel_centers = false; src = dst * side/size in double). */
typedef struct axis_tap {
    int i0, i1;
    double f;
} axis_tap;

static void axis_taps(int side, int size, int before, int extent, axis_tap *t)
{
    double ratio = (double)side / size;
    for (int o = 0; o < size; o++) {
        double src = ratio * o;
        int a = (int)floor(src), b = (int)ceil(src);
        b = b < side - 1 ? b : side - 1;
        t[o].f = src - a;
        a -= before;
        b -= before;
        t[o].i0 = a >= 0 && a < extent ? a : -1;
        t[o].i1 = b >= 0 && b < extent ? b : -1;
    }
}

static double px(const uint8_t *row, int x, int c) { return row && x >= 0 ? row[3 * x + c] : 0.0; }

void pr_faceapi_prepare(const pr_image *rgb, pr_faceapi_rect r, int size, float *out)
{
    int side = r.w > r.h ? r.w : r.h, diff = abs(r.w - r.h);
    int after = (int)floor(diff * 0.5 + 0.5); /* Math.round */
    int before = diff - after;
    axis_tap xs[PR_FACEAPI_RECOGNITION_SIZE], ys[PR_FACEAPI_RECOGNITION_SIZE];
    if (size > PR_FACEAPI_RECOGNITION_SIZE)
        return;
    axis_taps(side, size, r.w < r.h ? before : 0, r.w, xs);
    axis_taps(side, size, r.h < r.w ? before : 0, r.h, ys);
    for (int oy = 0; oy < size; oy++) {
        const uint8_t *r0 = ys[oy].i0 >= 0 ? pr_image_row(rgb, r.y + ys[oy].i0) + 3 * (size_t)r.x : NULL;
        const uint8_t *r1 = ys[oy].i1 >= 0 ? pr_image_row(rgb, r.y + ys[oy].i1) + 3 * (size_t)r.x : NULL;
        double fy = ys[oy].f;
        for (int ox = 0; ox < size; ox++) {
            int x0 = xs[ox].i0, x1 = xs[ox].i1;
            double fx = xs[ox].f;
            float *o = out + ((size_t)oy * size + ox) * 3;
            for (int c = 0; c < 3; c++) {
                double tl = px(r0, x0, c), tr = px(r0, x1, c), bl = px(r1, x0, c), br = px(r1, x1, c);
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

/* alignDlib's square before its corner is placed: the side and the eye-mouth centroid. */
static void chain_square(const double pts[136], double *side, double *cx, double *cy)
{
    double c[6];
    pr_faceapi_centres(pts, c);
    double dl = hypot(c[4] - c[0], c[5] - c[1]), dr = hypot(c[4] - c[2], c[5] - c[3]);
    *side = floor((dl + dr) / 2 / 0.45);
    *cx = (c[0] + c[2] + c[4]) / 3;
    *cy = (c[1] + c[3] + c[5]) / 3;
}

double pr_faceapi_chain_side(const double pts[136])
{
    double side, cx, cy;
    chain_square(pts, &side, &cx, &cy);
    return side;
}

void pr_faceapi_dlib_square(const double pts[136], int crop_w, int crop_h, double box[4])
{
    double side, rx, ry;
    chain_square(pts, &side, &rx, &ry);
    box[0] = floor(fmax(0, rx - 0.5 * side));
    box[1] = floor(fmax(0, ry - 0.43 * side));
    box[2] = fmin(side, crop_w + box[0]);
    box[3] = fmin(side, crop_h + box[1]);
}

/* dlib's mean face (get_face_chip_details, points 17..67 in units of the face) and its padding
 * for the recognition example's chips (get_face_chip_details(shape, 150, 0.25)). */
static const double mean_x[51] = {
    0.000213256, 0.0752622, 0.18113, 0.29077, 0.393397, 0.586856, 0.689483, 0.799124,
    0.904991, 0.98004, 0.490127, 0.490127, 0.490127, 0.490127, 0.36688, 0.426036,
    0.490127, 0.554217, 0.613373, 0.121737, 0.187122, 0.265825, 0.334606, 0.260918,
    0.182743, 0.645647, 0.714428, 0.793132, 0.858516, 0.79751, 0.719335, 0.254149,
    0.340985, 0.428858, 0.490127, 0.551395, 0.639268, 0.726104, 0.642159, 0.556721,
    0.490127, 0.423532, 0.338094, 0.290379, 0.428096, 0.490127, 0.552157, 0.689874,
    0.553364, 0.490127, 0.42689};
static const double mean_y[51] = {
    0.106454, 0.038915, 0.0187482, 0.0344891, 0.0773906, 0.0773906, 0.0344891,
    0.0187482, 0.038915, 0.106454, 0.203352, 0.307009, 0.409805, 0.515625, 0.587326,
    0.609345, 0.628106, 0.609345, 0.587326, 0.216423, 0.178758, 0.179852, 0.231733,
    0.245099, 0.244077, 0.231733, 0.179852, 0.178758, 0.216423, 0.244077, 0.245099,
    0.780233, 0.745405, 0.727388, 0.742578, 0.727388, 0.745405, 0.780233, 0.864805,
    0.902192, 0.909281, 0.902192, 0.864805, 0.784792, 0.778746, 0.785343, 0.778746,
    0.784792, 0.824182, 0.831803, 0.824182};
#define CHIP_PADDING 0.25

/* dlib uses points 27..67 without the lower lip's 55..59 and 65..67 (no jaw, no brows). */
static int chip_point(int i) { return i >= 27 && !(i >= 55 && i <= 59) && !(i >= 65); }

/* Adds the bilinear sample at (x, y), zeros outside, of each channel (rounded to float, as the
 * chip has always summed them) to acc. All three channels at once: the coordinates and weights
 * are the costly part when a large face is supersampled 4 x 4 per chip pixel (12 MP photos). */
static void add_sample(const pr_image *rgb, double x, double y, double acc[3])
{
    double fx0 = floor(x), fy0 = floor(y);
    /* Wholly outside (and possibly beyond int's range: finite landmarks far off the image): the
     * zeros outside, without a cast that would overflow. */
    if (!(fx0 >= -1 && fy0 >= -1 && fx0 < rgb->width && fy0 < rgb->height))
        return;
    int x0 = (int)fx0, y0 = (int)fy0;
    double fx = x - x0, fy = y - y0, sum[3] = {0, 0, 0};
    for (int dy = 0; dy < 2; dy++)
        for (int dx = 0; dx < 2; dx++) {
            int xx = x0 + dx, yy = y0 + dy;
            if (xx < 0 || yy < 0 || xx >= rgb->width || yy >= rgb->height)
                continue;
            double wgt = (dx ? fx : 1 - fx) * (dy ? fy : 1 - fy);
            const uint8_t *p = pr_image_row(rgb, yy) + (size_t)xx * 3;
            for (int c = 0; c < 3; c++)
                sum[c] += wgt * p[c];
        }
    for (int c = 0; c < 3; c++)
        acc[c] += (float)sum[c];
}

/* The chip -> image map of the similarity chip: image = [a -b; b a] (chip - cm) + im, and k x k
 * samples per chip pixel. */
typedef struct chip_map {
    double a, b, cm[2], im[2];
    int k;
} chip_map;

static void similarity_map(const double pts[136], int size, chip_map *m)
{
    /* Least-squares similarity chip -> image (dlib's find_similarity_transform direction) on the
     * template's points. */
    double cm[2] = {0, 0}, im[2] = {0, 0}, n = 0;
    for (int i = 17; i < 68; i++)
        if (chip_point(i)) {
            cm[0] += (CHIP_PADDING + mean_x[i - 17]) / (2 * CHIP_PADDING + 1) * size;
            cm[1] += (CHIP_PADDING + mean_y[i - 17]) / (2 * CHIP_PADDING + 1) * size;
            im[0] += pts[2 * i];
            im[1] += pts[2 * i + 1];
            n++;
        }
    cm[0] /= n, cm[1] /= n, im[0] /= n, im[1] /= n;
    double num_a = 0, num_b = 0, den = 0;
    for (int i = 17; i < 68; i++)
        if (chip_point(i)) {
            double sx = (CHIP_PADDING + mean_x[i - 17]) / (2 * CHIP_PADDING + 1) * size - cm[0];
            double sy = (CHIP_PADDING + mean_y[i - 17]) / (2 * CHIP_PADDING + 1) * size - cm[1];
            double dx = pts[2 * i] - im[0], dy = pts[2 * i + 1] - im[1];
            num_a += sx * dx + sy * dy;
            num_b += sx * dy - sy * dx;
            den += sx * sx + sy * sy;
        }
    m->a = den > 1e-12 ? num_a / den : 1;
    m->b = den > 1e-12 ? num_b / den : 0;
    m->cm[0] = cm[0], m->cm[1] = cm[1], m->im[0] = im[0], m->im[1] = im[1];
    double scale = hypot(m->a, m->b);
    /* Shrinking by more than 1.5x: average k x k samples per chip pixel against aliasing (dlib
     * takes a pyramid level down for the same reason). */
    /* At most 4, capped before the cast: an overflowed scale is no int. */
    m->k = scale > 1.5 ? (int)ceil(fmin(scale, 4)) : 1;
}

/* Image position of sample (sx, sy) of chip pixel (ox, oy): the chip and its footprint both
 * compute it here, so the footprint holds exactly the positions the chip reads. */
static void chip_xy(const chip_map *m, int ox, int oy, int sx, int sy, double *x, double *y)
{
    double u = ox + (sx + 0.5) / m->k - 0.5 - m->cm[0], v = oy + (sy + 0.5) / m->k - 0.5 - m->cm[1];
    *x = m->a * u - m->b * v + m->im[0];
    *y = m->b * u + m->a * v + m->im[1];
}

double pr_faceapi_similarity_scale(const double pts[136], int size)
{
    chip_map m;
    similarity_map(pts, size, &m);
    return hypot(m.a, m.b);
}

void pr_faceapi_similarity_chip(const pr_image *rgb, const double pts[136], int size, float *out)
{
    chip_map m;
    similarity_map(pts, size, &m);
    int k = m.k;
    for (int oy = 0; oy < size; oy++)
        for (int ox = 0; ox < size; ox++) {
            double acc[3] = {0, 0, 0};
            for (int sy = 0; sy < k; sy++)
                for (int sx = 0; sx < k; sx++) {
                    double x, y;
                    chip_xy(&m, ox, oy, sx, sy, &x, &y);
                    add_sample(rgb, x, y, acc);
                }
            float *o = out + ((size_t)oy * size + ox) * 3;
            for (int c = 0; c < 3; c++)
                o[c] = ((float)(acc[c] / (k * k)) - mean_rgb[c]) / 255.0f;
        }
}

/* The pixels a bilinear sample at the extreme positions reads: floor of the least, the neighbour
 * after the floor of the greatest. The maps are affine, so over a grid the extremes are at its
 * corners. */
static void footprint_add(double x, double y, double rect[4])
{
    rect[0] = fmin(rect[0], floor(x));
    rect[1] = fmin(rect[1], floor(y));
    /* The bilinear neighbour, unless the sample sits on a pixel (its weight is then 0). */
    rect[2] = fmax(rect[2], floor(x) + (x > floor(x) ? 2 : 1));
    rect[3] = fmax(rect[3], floor(y) + (y > floor(y) ? 2 : 1));
}

void pr_faceapi_similarity_footprint(const double pts[136], int size, double rect[4])
{
    chip_map m;
    similarity_map(pts, size, &m);
    rect[0] = rect[1] = INFINITY;
    rect[2] = rect[3] = -INFINITY;
    /* The least and greatest chip coordinate on each axis: the first sample of the first pixel
     * and the last of the last. */
    for (int corner = 0; corner < 4; corner++) {
        int last_x = corner & 1, last_y = corner >> 1;
        double x, y;
        chip_xy(&m, last_x ? size - 1 : 0, last_y ? size - 1 : 0, last_x ? m.k - 1 : 0,
                last_y ? m.k - 1 : 0, &x, &y);
        footprint_add(x, y, rect);
    }
}

double pr_faceapi_eye_angle(const double pts[136])
{
    double c[6];
    pr_faceapi_centres(pts, c);
    return atan2(c[3] - c[1], c[2] - c[0]);
}

/* One channel at (x, y), bilinear in pr_faceapi_prepare's order (lerp along x, then y), zeros
 * outside the image. */
static double lerp_px(const pr_image *rgb, double x, double y, int c)
{
    double x0 = floor(x), y0 = floor(y), fx = x - x0, fy = y - y0, v[4] = {0, 0, 0, 0};
    for (int k = 0; k < 4; k++) {
        double xx = x0 + (k & 1), yy = y0 + (k >> 1);
        if (xx >= 0 && yy >= 0 && xx < rgb->width && yy < rgb->height)
            v[k] = pr_image_row(rgb, (int)yy)[3 * (size_t)xx + (size_t)c];
    }
    double top = v[0] + (v[1] - v[0]) * fx, bottom = v[2] + (v[3] - v[2]) * fx;
    return top + (bottom - top) * fy;
}

/* The rotated square's geometry: the level square's corner and step, the centroid it turns
 * about, the rotation. */
typedef struct square_map {
    double bx, by, ratio, cx, cy, ca, sa;
} square_map;

static void square_map_new(const double pts[136], double angle, int size, square_map *m)
{
    double side;
    chain_square(pts, &side, &m->cx, &m->cy);
    /* alignDlib's corner without its max(0, .): the face keeps its place in the chip at the
     * top and left border too. */
    m->bx = floor(m->cx - 0.5 * side);
    m->by = floor(m->cy - 0.43 * side);
    m->ratio = side / size;
    m->ca = cos(angle);
    m->sa = sin(angle);
}

/* Image position of chip pixel (ox, oy), for the chip and its footprint alike. */
static void square_xy(const square_map *m, int ox, int oy, double *x, double *y)
{
    /* The level square's sample, turned about the centroid; written as q0 + (R - I)(q0 - c) so
     * angle 0 reads exactly face-api's sample positions. */
    double qx = m->bx + m->ratio * ox, qy = m->by + m->ratio * oy, ux = qx - m->cx,
           uy = qy - m->cy;
    *x = qx + (m->ca - 1) * ux - m->sa * uy;
    *y = qy + m->sa * ux + (m->ca - 1) * uy;
}

void pr_faceapi_rotated_square(const pr_image *rgb, const double pts[136], double angle, int size,
                               float *out)
{
    square_map m;
    square_map_new(pts, angle, size, &m);
    for (int oy = 0; oy < size; oy++)
        for (int ox = 0; ox < size; ox++) {
            double x, y;
            square_xy(&m, ox, oy, &x, &y);
            float *o = out + ((size_t)oy * size + ox) * 3;
            for (int k = 0; k < 3; k++)
                o[k] = ((float)lerp_px(rgb, x, y, k) - mean_rgb[k]) / 255.0f;
        }
}

void pr_faceapi_rotated_square_footprint(const double pts[136], double angle, int size,
                                         double rect[4])
{
    square_map m;
    square_map_new(pts, angle, size, &m);
    rect[0] = rect[1] = INFINITY;
    rect[2] = rect[3] = -INFINITY;
    for (int corner = 0; corner < 4; corner++) {
        double x, y;
        square_xy(&m, corner & 1 ? size - 1 : 0, corner & 2 ? size - 1 : 0, &x, &y);
        footprint_add(x, y, rect);
    }
}

int pr_faceapi_dlib_square_footprint(const double pts[136], int crop_w, int crop_h, int img_w,
                                     int img_h, double rect[4])
{
    double sq[4], side, cx, cy;
    pr_faceapi_rect a;
    pr_faceapi_dlib_square(pts, crop_w, crop_h, sq);
    if (!pr_faceapi_clip(sq[0], sq[1], sq[2], sq[3], img_w, img_h, &a))
        return 0;
    chain_square(pts, &side, &cx, &cy);
    /* alignDlib caps the square's width at crop_w + its x (sq[2]), and x is counted from the
     * image's origin: a part of the image starting later than sq[0] + crop_w - side caps it
     * where the whole image does not. The same for the height. */
    rect[0] = fmin(a.x, sq[0] + crop_w - side);
    rect[1] = fmin(a.y, sq[1] + crop_h - side);
    rect[2] = a.x + a.w;
    rect[3] = a.y + a.h;
    return 1;
}

void pr_faceapi_mirror(float *in, int size)
{
    for (int y = 0; y < size; y++)
        for (int x = 0; x < size / 2; x++) {
            float *a = in + ((size_t)y * size + x) * 3;
            float *b = in + ((size_t)y * size + size - 1 - x) * 3;
            for (int k = 0; k < 3; k++) {
                float t = a[k];
                a[k] = b[k];
                b[k] = t;
            }
        }
}
