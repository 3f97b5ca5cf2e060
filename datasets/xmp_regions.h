/* XMP sidecar face regions, read and written through exempi.
 *
 * MWG regions (Metadata Working Group 2.0, used by digiKam, Lightroom, Immich):
 *   mwg-rs:Regions/mwg-rs:AppliedToDimensions (stDim:w, stDim:h, stDim:unit "pixel")
 *   mwg-rs:Regions/mwg-rs:RegionList[i] { mwg-rs:Area (stArea:x, y, w, h, unit "normalized";
 *   x, y = centre), mwg-rs:Type "Face", mwg-rs:Name }
 * Microsoft Photo regions (Windows Live Photo Gallery):
 *   MP:RegionInfo/MPRI:Regions[i] { MPReg:Rectangle "x, y, w, h" (normalised, top-left),
 *   MPReg:PersonDisplayName }
 * Areas are fractions of the image as stored (before EXIF orientation, MWG 2.0 section 5.9);
 * loading returns upright pixels (datasets/regions.h). Reading takes MWG when present and falls
 * back to MP. Writing replaces the regions it made before (marked personrec:Made, or named
 * "person_<n>") and keeps every other region and every other property of an existing sidecar.
 * Without exempi in the build every function here returns PR_ERR_UNSUPPORTED. */
#ifndef PR_DATASETS_XMP_REGIONS_H
#define PR_DATASETS_XMP_REGIONS_H

#include "datasets/face_labels.h"
#include "datasets/regions.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 1 when this build reads and writes XMP. */
int pr_xmp_available(void);

/* Parses an XMP packet (a sidecar's content) for image; adds the faces to set as unit boxes of the
 * stored image (x = left, y = top) unless the MWG AppliedToDimensions gives the size, in which
 * case they are pixels of the stored image and *in_pixels is set to 1. Strict: any bad region
 * fails the packet. */
pr_status pr_xmp_parse_regions(const char *data, size_t size, const char *name, const char *image,
                               pr_face_labels *set, int *in_pixels);

/* Loads one sidecar ("photo.jpg.xmp" or "photo.xmp"; the image is the sidecar name without
 * ".xmp", or with the extension found next to it for "photo.xmp") to upright pixel boxes, reading
 * the image's stored size and orientation. A sidecar whose image is gone gives an empty set. */
pr_status pr_xmp_load(const char *path, const pr_face_labels_load_params *params,
                      pr_face_labels **out);
/* The same; with skip, a region with bad numbers or an unusable name is reported to skip and left
 * out while the rest of the file is read (skip NULL = strict, as pr_xmp_load). */
pr_status pr_xmp_load_ex(const char *path, const pr_face_labels_load_params *params,
                         pr_region_skip_fn skip, void *ctx, pr_face_labels **out);

typedef struct pr_xmp_save_params {
    const char *image_dir; /* folder with the images, for their sizes; NULL = out_dir. Borrowed */
    /* NULL: the first photo whose sidecar cannot be written stops the save with its error. Else
     * it is told here (the message names the file) and the other photos are still written. */
    pr_region_skip_fn problem;
    void *problem_ctx;
} pr_xmp_save_params;

pr_xmp_save_params pr_xmp_save_params_default(void);

/* Writes out_dir/<image>.xmp for every image in set (MWG and MP regions in the stored frame,
 * AppliedToDimensions = the stored size), merging into an existing sidecar: regions another tool
 * or a person made are kept as they are, and a face such a region covers (IoU >= 0.5) is not
 * added again. A sidecar that is not valid XMP is never overwritten (an error for that photo).
 * Each file is written through core/fileio's atomic writer (a symbolic link is followed, mode and
 * owner kept). */
pr_status pr_xmp_save(const pr_face_labels *set, const char *out_dir,
                      const pr_xmp_save_params *params);

#ifdef __cplusplus
}
#endif
#endif
