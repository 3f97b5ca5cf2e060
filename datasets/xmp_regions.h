/* XMP sidecar face regions, read and written through exempi.
 *
 * MWG regions (Metadata Working Group 2.0, used by digiKam, Lightroom, Immich):
 *   mwg-rs:Regions/mwg-rs:AppliedToDimensions (stDim:w, stDim:h, stDim:unit "pixel")
 *   mwg-rs:Regions/mwg-rs:RegionList[i] { mwg-rs:Area (stArea:x, y, w, h, unit "normalized";
 *   x, y = centre), mwg-rs:Type "Face", mwg-rs:Name }
 * Microsoft Photo regions (Windows Live Photo Gallery):
 *   MP:RegionInfo/MPRI:Regions[i] { MPReg:Rectangle "x, y, w, h" (normalised, top-left),
 *   MPReg:PersonDisplayName }
 * Reading takes MWG when present and falls back to MP. Writing replaces both region sets and keeps
 * every other property of an existing sidecar. Without exempi in the build every function here
 * returns PR_ERR_UNSUPPORTED. */
#ifndef PR_DATASETS_XMP_REGIONS_H
#define PR_DATASETS_XMP_REGIONS_H

#include "datasets/face_labels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 1 when this build reads and writes XMP. */
int pr_xmp_available(void);

/* Parses an XMP packet (a sidecar's content) for image; adds the faces to set as unit boxes
 * (x = left, y = top) unless the MWG AppliedToDimensions gives the size, in which case they are
 * pixels and *in_pixels is set to 1. */
pr_status pr_xmp_parse_regions(const char *data, size_t size, const char *name, const char *image,
                               pr_face_labels *set, int *in_pixels);

/* Loads one sidecar ("photo.jpg.xmp" or "photo.xmp"; the image is the sidecar name without
 * ".xmp", or with the extension found next to it for "photo.xmp"). */
pr_status pr_xmp_load(const char *path, const pr_face_labels_load_params *params,
                      pr_face_labels **out);

typedef struct pr_xmp_save_params {
    const char *image_dir; /* folder with the images, for their sizes; NULL = out_dir. Borrowed */
} pr_xmp_save_params;

pr_xmp_save_params pr_xmp_save_params_default(void);

/* Writes out_dir/<image>.xmp for every image in set (MWG and MP regions), merging into an
 * existing sidecar. Each file is written through a temporary file and a rename. */
pr_status pr_xmp_save(const pr_face_labels *set, const char *out_dir,
                      const pr_xmp_save_params *params);

#ifdef __cplusplus
}
#endif
#endif
