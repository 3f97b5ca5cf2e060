/* Face regions in sidecars (XMP MWG/MP regions, Picasa rect64) and the frame they are in.
 *
 * Our boxes (the store, people.csv, every pr_face_labels set of pixels) are in the upright frame:
 * the photo as shown, EXIF orientation applied. Sidecar regions are fractions of the image as
 * stored in its file, before the orientation is applied: MWG 2.0 section 5.9 says so for XMP
 * ("regions apply to the stored image"; AppliedToDimensions = the stored size), and Picasa's
 * rect64 follows the same rule (thesis/notes/regions-orientation.md has the sources). This file
 * converts between the two, exactly invertibly, for the eight EXIF orientations. */
#ifndef PR_DATASETS_REGIONS_H
#define PR_DATASETS_REGIONS_H

#include "core/box.h"
#include "core/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_region_frame {
    int stored_w, stored_h; /* pixels of the image as stored in its file */
    int orientation;        /* EXIF Orientation 1..8 (1 when absent) */
} pr_region_frame;

/* Reads an image's stored size and orientation (core/image_probe.h: for JPEG from the header and
 * its EXIF alone, other formats as the loader reports them). PR_ERR_IO when it cannot be opened, PR_ERR_FORMAT when it is not an image. */
pr_status pr_region_frame_of(const char *image_path, pr_region_frame *frame);

/* The upright (displayed) size: stored, turned a quarter for orientations 5..8. */
void pr_region_frame_upright(const pr_region_frame *frame, int *width, int *height);

/* An upright pixel box -> fractions (left, top, width, height) of the stored image. */
void pr_region_to_stored(const pr_region_frame *frame, pr_box upright, double unit[4]);
/* The inverse: fractions of the stored image -> an upright pixel box. */
pr_box pr_region_from_stored(const pr_region_frame *frame, const double unit[4]);
/* Fractions of the upright image -> upright pixels (a file that declares the displayed frame). */
pr_box pr_region_from_upright_unit(const pr_region_frame *frame, const double unit[4]);

/* Intersection over union of two unit boxes (left, top, width, height). */
double pr_region_unit_iou(const double a[4], const double b[4]);

/* 1 for "person_<digits>": a name personrec made up for an unnamed cluster. */
int pr_region_is_auto_name(const char *name);

/* A short tag of a name (16 hex digits of its 64-bit FNV-1a hash, as Picasa contact ids are
 * written) into buf (17 bytes): what a writer stores beside a name to recognise it later. */
void pr_region_name_tag(const char *name, char buf[17]);

/* Told about every entry a lenient reader skips (a region with no area, bad numbers, a name the
 * labels cannot hold); message names the file and the entry. */
typedef void (*pr_region_skip_fn)(void *ctx, const char *message);

#ifdef __cplusplus
}
#endif
#endif
