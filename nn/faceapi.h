/* face-api's 68-point landmark net and 128-d recognition net (../shared/models/faceapi/ARCH.md) as
 * nn plans, and the exact preprocessing and post-processing around them: crop, pad to square,
 * bilinear resize, mean/255; landmark coordinates back to image pixels; the chain's dlib-style
 * square, the same square rotated level, and a similarity-transform chip. */
#ifndef PR_NN_FACEAPI_H
#define PR_NN_FACEAPI_H

#include "core/image.h"
#include "core/status.h"
#include "nn/plan.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PR_FACEAPI_LANDMARK_SIZE 112
#define PR_FACEAPI_RECOGNITION_SIZE 150

/* Loads dir/face_landmark_68_model* (resp. face_recognition_model*), checks sha256 and every
 * tensor's shape, folds the scale layers into the convolutions. *out caller-owned. */
pr_status pr_faceapi_landmark_net(const char *dir, pr_nn_plan **out);
pr_status pr_faceapi_recognition_net(const char *dir, pr_nn_plan **out);

/* An integer pixel rectangle. */
typedef struct pr_faceapi_rect {
    int x, y, w, h;
} pr_faceapi_rect;

/* face-api's Box.clipAtImageBorders: x' = max(x,0), w' = min(x+w - x', W - x'), same for y, then
 * floor of all four. Returns 0 when the result is empty. */
int pr_faceapi_clip(double x, double y, double w, double h, int img_w, int img_h,
                    pr_faceapi_rect *r);

/* Net input from the rectangle r of rgb (inside the image): pad to square (zeros, the larger half
 * after), bilinear resize to size x size (align_corners = half_pixel = false), (v - mean)/255.
 * out: size*size*3 floats; size <= PR_FACEAPI_RECOGNITION_SIZE. */
void pr_faceapi_prepare(const pr_image *rgb, pr_faceapi_rect r, int size, float *out);

/* The landmark net's 136 outputs for a crop of crop_w x crop_h at (ox, oy) -> 68 (x, y) pairs in
 * image pixels (face-api's post-processing, float32 steps where tfjs uses tensors). */
void pr_faceapi_landmarks_to_image(const float raw[136], int crop_w, int crop_h, double ox,
                                   double oy, double pts[136]);

/* The chain's alignDlib: square box from the eye and mouth centres (before clipping). */
void pr_faceapi_dlib_square(const double pts[136], int crop_w, int crop_h, double box[4]);

/* The side of that square (floor of the mean eye-to-mouth distance / 0.45): NaN for non-finite
 * landmarks, under 1 for collapsed ones (the square is empty). */
double pr_faceapi_chain_side(const double pts[136]);

/* Eye and mouth centres: c[0..1] left eye, c[2..3] right eye, c[4..5] mouth. */
void pr_faceapi_centres(const double pts[136], double c[6]);

/* Similarity chip as dlib's face recognition example cuts it (get_face_chip_details(shape, size,
 * 0.25) + extract_image_chip): rotate + scale so 33 landmarks (nose, eyes, outer and upper lip)
 * land on dlib's mean face, bilinear, zeros outside; then (v - mean)/255 into out
 * (size*size*3 floats). */
void pr_faceapi_similarity_chip(const pr_image *rgb, const double pts[136], int size, float *out);

/* The similarity chip's scale: image pixels per chip pixel (size x size chip). 0 when the points
 * it fits are collapsed to one, NaN when one is not finite. */
double pr_faceapi_similarity_scale(const double pts[136], int size);

/* The angle (radians, image y down) of the line from the left-eye centre (points 36..41) to the
 * right-eye centre (42..47): 0 for a level face. */
double pr_faceapi_eye_angle(const double pts[136]);

/* The chain's dlib-style square (alignDlib: same side, same floored top-left corner, but not
 * moved inside the image by its max(0, .)) turned by angle about the eye-mouth centroid, so with
 * angle = pr_faceapi_eye_angle the eye line comes out level. Sampled like pr_faceapi_prepare
 * (src = dst * side/size from the corner, bilinear lerp in the same order) but straight from the
 * image, zeros outside it (no clip-and-pad: the face keeps its place in the chip at the border);
 * then (v - mean)/255 into out (size*size*3 floats). With angle 0 and the square inside the image
 * this gives pr_faceapi_prepare's pixels on the square (for side >= size; a smaller square reads
 * one real pixel where face-api repeats its last row and column). */
void pr_faceapi_rotated_square(const pr_image *rgb, const double pts[136], double angle, int size,
                               float *out);

/* Footprints: the image pixels an input reads, as the half-open rectangle {x0, y0, x1, y1} (image
 * pixels; it may pass the image's border, where the samplers read zeros). A part of the image that
 * holds it, given the landmarks shifted by the part's origin, gives the same input up to the float
 * rounding of the shift; one a pixel smaller on a side inside the image does not (a bilinear tap
 * with a weight reads a pixel that is no longer there: tests/nn/test_face_footprint.c). The chips'
 * footprints are their corner samples (with the supersampling offsets) mapped to the image, plus
 * the bilinear neighbour where the sample is not on a pixel (a tap of weight 0 reads nothing). */
void pr_faceapi_similarity_footprint(const double pts[136], int size, double rect[4]);
void pr_faceapi_rotated_square_footprint(const double pts[136], double angle, int size,
                                         double rect[4]);
/* The chain's square: the clipped square (the input is resized from all of it), reaching further
 * left (up) where alignDlib's cap of its width at crop_w + x depends on where the image starts.
 * crop_w, crop_h: the landmark net's clipped crop. Returns 0 when the square is empty in the
 * img_w x img_h image (the net refuses the face). */
int pr_faceapi_dlib_square_footprint(const double pts[136], int crop_w, int crop_h, int img_w,
                                     int img_h, double rect[4]);

/* Mirrors a size x size x 3 net input left to right in place (test-time flip). */
void pr_faceapi_mirror(float *in, int size);

#ifdef __cplusplus
}
#endif
#endif
