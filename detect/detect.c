/* The face detector: working resolution, full-image cascade scans, fusion, verification and the
 * eye check, over the OpenCV adapter (cascade_internal.h).
 *
 * Viola & Jones cascades are trained on equalised grey 24x24 (20x20 for alt/profile) windows, so
 * the photo is greyed and histogram-equalised once at the working resolution and every cascade
 * scans that one image. Downscaling a large photo to a ~1600 px long side loses no face above the
 * minimum size and makes the scan cost independent of the camera's megapixels. The profile
 * cascade knows one side only; the other side is found by scanning the mirrored image
 * (Lienhart et al. ship one profile cascade for that reason). */
#include "detect/detect.h"

#include "detect/cascade_internal.h"
#include "detect/network_internal.h"

#include "core/alloc.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const cascade_names[PR_CASCADE_COUNT] = {
    "default", "alt", "alt2", "alt_tree", "profile", "profile_mirror", "eye"};
static const char *const cascade_files[PR_CASCADE_COUNT] = {
    "haarcascade_frontalface_default.xml", "haarcascade_frontalface_alt.xml",
    "haarcascade_frontalface_alt2.xml",    "haarcascade_frontalface_alt_tree.xml",
    "haarcascade_profileface.xml",         "haarcascade_profileface.xml",
    "haarcascade_eye.xml"};

const char *pr_cascade_name(pr_cascade_id id)
{
    return (unsigned)id < PR_CASCADE_COUNT ? cascade_names[id] : "?";
}

const char *pr_pose_name(pr_pose pose)
{
    switch (pose) {
    case PR_POSE_FRONTAL: return "frontal";
    case PR_POSE_LEFT: return "left";
    case PR_POSE_RIGHT: return "right";
    }
    return "?";
}

const char *pr_detector_kind_name(pr_detector_kind kind)
{
    switch (kind) {
    case PR_DETECTOR_CASCADES: return "cascades";
    case PR_DETECTOR_NETWORK: return "network";
    case PR_DETECTOR_BOTH: return "both";
    }
    return "?";
}

int pr_detector_kind_parse(const char *text)
{
    for (int k = PR_DETECTOR_CASCADES; text && k <= PR_DETECTOR_BOTH; k++)
        if (strcmp(text, pr_detector_kind_name((pr_detector_kind)k)) == 0)
            return k;
    return -1;
}

pr_detector_params pr_detector_params_default(void)
{
    pr_detector_params p;
    memset(&p, 0, sizeof p);
    /* The network and the cascades fused, the cascades only around the network's faces: the most
     * accurate on dlib_faces and album and fast enough for 12 MP photos on 2 cores
     * (thesis/results/detect.md, thesis/results/speed.md). Without the SSD model: the cascades
     * alone (pr_detector_new). */
    p.detector = PR_DETECTOR_BOTH;
    /* Network and fusion thresholds: thesis/results/detect.md. */
    p.net_min_score = 0.5;
    p.net_alone_score = 0.5;
    p.net_support = 0.2;
    /* A face only the cascades find is kept when it fills at least half the photo's shorter side
     * (2 votes, as every fused cascade face has): fixed outside album (thesis/results/detect.md).
     * On BSDS500 all 20 cascade-only faces are no human faces and none is above 0.40 of the
     * shorter side; on the face crops of Essex Faces94 and AT&T, where the SSD misses faces that
     * fill the frame, 345 of 347 cascade-only faces are real and 345 are above 0.54. */
    p.cascade_alone_votes = 2;
    p.cascade_alone_min_rel = 0.5;
    p.match_iou = 0.3;
    p.cascade_dir = NULL;
    /* Chosen by measurement (thesis/results/detect.md): three frontal scans; the profile cascade
     * only verifies around their faces, which keeps its votes at a third of a full two-sided
     * profile scan's cost. A face needs two cascades and a neighbour sum of 14. */
    p.cascades = "default,alt,alt2";
    p.verifiers = "profile";
    p.working_long_side = 1600;
    p.min_face_rel = 0.0;
    p.min_face_px = 0;
    p.scale_factor = 1.1;
    p.min_neighbors = 3;
    p.fuse_min_neighbors = 2;
    p.group_iou = 0.3;
    p.min_votes = 2;
    p.min_score = 14;
    p.eye_check = 0;
    p.eye_min_face = 80;
    p.opencv_threads = 0;
    return p;
}

pr_detector_params pr_detector_params_single(const char *cascade)
{
    pr_detector_params p = pr_detector_params_default();
    p.detector = PR_DETECTOR_CASCADES;
    p.cascades = cascade;
    p.verifiers = NULL;
    p.fuse_min_neighbors = p.min_neighbors; /* "profile" alone still fuses its two sides */
    p.min_votes = 1;
    p.min_score = 0;
    return p;
}

struct pr_detector {
    pr_detector_params params;
    unsigned scan_mask;   /* cascades scanned over the whole image */
    unsigned verify_mask; /* cascades run around each face */
    int single;           /* exactly one full-image cascade (one side) and no verifiers */
    pr_cv_cascade *cascades[PR_CASCADE_COUNT];
    pr_faces candidates;  /* scratch, reused across photos */
    pr_net_detector *net; /* network / both */
    int net_missing;      /* both without the SSD model: running as the cascades alone */
    pr_faces cascade_faces, net_faces; /* both: scratch */
};

/* Parses a comma list of names into a mask ("profile" = both sides). */
static pr_status parse_list(const char *list, unsigned *mask)
{
    *mask = 0;
    if (!list)
        return PR_OK;
    const char *p = list;
    while (*p) {
        size_t len = strcspn(p, ",");
        while (len && *p == ' ') {
            p++;
            len--;
        }
        if (len) {
            int found = 0;
            if (len == 7 && strncmp(p, "profile", 7) == 0) {
                *mask |= (1u << PR_CASCADE_PROFILE) | (1u << PR_CASCADE_PROFILE_MIRROR);
                found = 1;
            }
            for (int i = 0; i < PR_CASCADE_EYE && !found; i++)
                if (strlen(cascade_names[i]) == len && strncmp(p, cascade_names[i], len) == 0) {
                    *mask |= 1u << i;
                    found = 1;
                }
            if (!found)
                return pr_set_error(PR_ERR_ARG,
                                    "unknown cascade '%.*s' (known: default, alt, alt2, alt_tree, "
                                    "profile, profile_mirror)",
                                    (int)len, p);
        }
        p += len;
        if (*p == ',')
            p++;
    }
    return PR_OK;
}

static int popcount(unsigned m)
{
    int n = 0;
    for (; m; m &= m - 1)
        n++;
    return n;
}

/* Once per process (every worker builds a detector): the user learns why fewer faces are found. */
static void say_network_missing(const char *why)
{
    static atomic_flag said = ATOMIC_FLAG_INIT;
    if (!atomic_flag_test_and_set(&said))
        fprintf(stderr,
                "personrec: the network face detector is not available (%s); faces are found "
                "by the cascades alone, fewer of them\n",
                why);
}

pr_status pr_detector_new(const pr_detector_params *params, pr_detector **out)
{
    if (!params || !out)
        return pr_set_error(PR_ERR_ARG, "pr_detector_new: NULL argument");
    *out = NULL;
    if (params->scale_factor <= 1.0 || params->scale_factor > 3.0 || params->min_neighbors < 1 ||
        params->fuse_min_neighbors < 1 || params->working_long_side < 0 ||
        params->min_face_rel < 0 || params->min_face_rel >= 1 || params->min_face_px < 0 ||
        params->group_iou <= 0 || params->group_iou > 1 ||
        (unsigned)params->detector > PR_DETECTOR_BOTH || !(params->net_min_score > 0) ||
        !(params->net_min_score < 1) || !(params->net_alone_score > 0) ||
        !(params->net_support > 0) || !(params->match_iou > 0 && params->match_iou <= 1) ||
        !(params->cascade_alone_min_rel >= 0 && params->cascade_alone_min_rel < 1))
        return pr_set_error(PR_ERR_ARG, "detector parameters out of range");
    pr_status st;
    pr_detector *det = (pr_detector *)pr_calloc(1, sizeof *det);
    if (!det)
        return pr_set_error(PR_ERR_NOMEM, "out of memory for a detector");
    det->params = *params;
    det->params.cascade_dir = NULL; /* borrowed strings are not kept */
    det->params.cascades = NULL;
    det->params.verifiers = NULL;
    if ((st = parse_list(params->cascades, &det->scan_mask)) != PR_OK ||
        (st = parse_list(params->verifiers, &det->verify_mask)) != PR_OK)
        goto fail;
    if (!det->scan_mask) {
        st = pr_set_error(PR_ERR_ARG, "no cascade to scan with");
        goto fail;
    }
    det->verify_mask &= ~det->scan_mask;
    det->single = popcount(det->scan_mask) == 1 && !det->verify_mask;

    const char *dir = params->cascade_dir;
    if (!dir || !*dir)
        dir = getenv("PR_CASCADE_DIR");
    if (!dir || !*dir)
        dir = PR_DETECT_DEFAULT_CASCADE_DIR;
    unsigned need = det->scan_mask | det->verify_mask | (params->eye_check ? 1u << PR_CASCADE_EYE : 0);
    for (int i = 0; i < PR_CASCADE_COUNT; i++) {
        if (!(need & (1u << i)))
            continue;
        /* The mirrored profile scan shares the profile cascade. */
        if (i == PR_CASCADE_PROFILE_MIRROR && det->cascades[PR_CASCADE_PROFILE])
            continue;
        char path[4096];
        if (snprintf(path, sizeof path, "%s/%s", dir, cascade_files[i]) >= (int)sizeof path) {
            st = pr_set_error(PR_ERR_LIMIT, "cascade directory path too long");
            goto fail;
        }
        if ((st = pr_cv_cascade_load(path, &det->cascades[i])) != PR_OK)
            goto fail;
    }
    if (params->detector != PR_DETECTOR_CASCADES &&
        (st = pr_net_detector_new(params, &det->net)) != PR_OK) {
        /* Fused, a missing model (or a build without nn/) leaves the cascades: a photo album is
         * still labelled, less well (pr_detector_network_missing tells the caller). Asked for
         * the network alone, it is an error. */
        if (params->detector != PR_DETECTOR_BOTH ||
            (st != PR_ERR_IO && st != PR_ERR_UNSUPPORTED))
            goto fail;
        det->params.detector = PR_DETECTOR_CASCADES;
        det->net_missing = 1;
        say_network_missing(pr_last_error());
    }
    det->params.models_dir = NULL;
    pr_cv_set_threads(params->opencv_threads);
    *out = det;
    return PR_OK;
fail:
    pr_detector_delete(det);
    return st;
}

void pr_detector_delete(pr_detector *det)
{
    if (!det)
        return;
    for (int i = 0; i < PR_CASCADE_COUNT; i++)
        pr_cv_cascade_delete(det->cascades[i]);
    pr_faces_free(&det->candidates);
    pr_net_detector_delete(det->net);
    pr_faces_free(&det->cascade_faces);
    pr_faces_free(&det->net_faces);
    pr_free(det);
}

static pr_cv_cascade *cascade_for(pr_detector *det, int id)
{
    return id == PR_CASCADE_PROFILE_MIRROR ? det->cascades[PR_CASCADE_PROFILE] : det->cascades[id];
}

/* Appends the hits of one cascade as candidates in working coordinates (mirror undone). */
static pr_status add_hits(pr_faces *cand, int id, const pr_cv_hit *hits, size_t n, int gray_w)
{
    for (size_t i = 0; i < n; i++) {
        pr_face f;
        memset(&f, 0, sizeof f);
        f.box.x = id == PR_CASCADE_PROFILE_MIRROR ? gray_w - hits[i].x - hits[i].w : hits[i].x;
        f.box.y = hits[i].y;
        f.box.w = hits[i].w;
        f.box.h = hits[i].h;
        f.score = hits[i].neighbors;
        f.votes = 1;
        f.cascades_mask = 1u << id;
        f.pose = id == PR_CASCADE_PROFILE       ? PR_POSE_LEFT
                 : id == PR_CASCADE_PROFILE_MIRROR ? PR_POSE_RIGHT
                                                 : PR_POSE_FRONTAL;
        pr_status st = pr_faces_push(cand, &f);
        if (st != PR_OK)
            return st;
    }
    return PR_OK;
}

/* Runs cascade id in a window around face f (working coordinates), looking for a face of about
 * the same size; returns the best neighbour count of a hit overlapping f (0 = none). */
static pr_status verify(pr_detector *det, pr_cv_gray *gray, int gray_w, int id, const pr_face *f,
                        double *best)
{
    *best = 0;
    int mirrored = id == PR_CASCADE_PROFILE_MIRROR;
    double side = fmax(f->box.w, f->box.h);
    double x = f->box.x - 0.5 * side, y = f->box.y - 0.5 * side;
    if (mirrored)
        x = gray_w - (f->box.x + f->box.w) - 0.5 * side;
    int roi[4] = {(int)floor(x), (int)floor(y), (int)ceil(2 * side), (int)ceil(2 * side)};
    pr_cv_detect_params cp = {1.05, 1, (int)floor(0.6 * side), (int)ceil(1.6 * side)};
    pr_cv_hit *hits = NULL;
    size_t n = 0;
    pr_status st = pr_cv_detect(cascade_for(det, id), gray, mirrored, roi, &cp, &hits, &n);
    if (st != PR_OK)
        return st;
    for (size_t i = 0; i < n; i++) {
        pr_box b = {mirrored ? gray_w - hits[i].x - hits[i].w : hits[i].x, hits[i].y, hits[i].w,
                    hits[i].h};
        if (pr_box_iou(b, f->box) >= det->params.group_iou && hits[i].neighbors > *best)
            *best = hits[i].neighbors;
    }
    pr_free(hits);
    return PR_OK;
}

/* Eye check: at least one eye in the upper part of a frontal face. */
static pr_status has_eye(pr_detector *det, pr_cv_gray *gray, const pr_face *f, int *found)
{
    *found = 0;
    int roi[4] = {(int)f->box.x, (int)f->box.y, (int)f->box.w, (int)(0.6 * f->box.h)};
    int lo = (int)(0.12 * f->box.w);
    pr_cv_detect_params cp = {1.1, 2, lo > 1 ? lo : 1, (int)(0.5 * f->box.w)};
    pr_cv_hit *hits = NULL;
    size_t n = 0;
    pr_status st = pr_cv_detect(det->cascades[PR_CASCADE_EYE], gray, 0, roi, &cp, &hits, &n);
    pr_free(hits);
    *found = n > 0;
    return st;
}

static int face_by_score(const void *a, const void *b)
{
    const pr_face *fa = (const pr_face *)a, *fb = (const pr_face *)b;
    if (fa->score != fb->score)
        return fa->score < fb->score ? 1 : -1;
    if (fa->box.y != fb->box.y)
        return fa->box.y < fb->box.y ? -1 : 1;
    return fa->box.x < fb->box.x ? -1 : (fa->box.x > fb->box.x);
}

/* Drops exact repeats (same cascade, same box) from cand, keeping the first. */
static void dedupe(pr_faces *cand)
{
    size_t kept = 0;
    for (size_t i = 0; i < cand->count; i++) {
        const pr_face *f = &cand->items[i];
        int seen = 0;
        for (size_t j = 0; j < kept && !seen; j++) {
            const pr_face *g = &cand->items[j];
            seen = g->cascades_mask == f->cascades_mask && g->box.x == f->box.x &&
                   g->box.y == f->box.y && g->box.w == f->box.w && g->box.h == f->box.h;
        }
        if (!seen)
            cand->items[kept++] = *f;
    }
    cand->count = kept;
}

/* Side of the window around a network face, in face sides. 2 = the face and half a face around
 * it: on dlib_faces and album the same faces as 3 (which holds every square of IoU >= 0.3 of a
 * size that can match), at 2.25 x fewer windows (thesis/results/detect.md). */
#define WINDOW 2.0

/* Scans of cascade id into cand: the whole working image, or (windows != NULL) only the
 * windows around the network's faces (photo pixels, scaled here): a window WINDOW x the face's
 * side centred on it, faces 0.55-1.83 x that side: two squares of sides s and t overlap by at
 * most IoU (min/max)^2, so a cascade face that fusion can match (IoU >= 0.3) has t/s in that
 * range. */
static pr_status scan(pr_detector *det, pr_cv_gray *gray, int gw, int id,
                      const pr_cv_detect_params *cp, const pr_faces *windows, double scale,
                      pr_faces *cand)
{
    int mirrored = id == PR_CASCADE_PROFILE_MIRROR;
    size_t nwin = windows ? windows->count : 1;
    pr_status st = PR_OK;
    for (size_t k = 0; k < nwin && st == PR_OK; k++) {
        pr_cv_hit *hits = NULL;
        size_t n = 0;
        pr_cv_detect_params wp = *cp;
        int roi[4], *r = NULL;
        if (windows) {
            pr_box b = windows->items[k].box;
            double side = fmax(b.w, b.h) * scale;
            double x = b.x * scale + 0.5 * b.w * scale - 0.5 * WINDOW * side;
            double y = b.y * scale + 0.5 * b.h * scale - 0.5 * WINDOW * side;
            if (mirrored)
                x = gw - (x + WINDOW * side);
            roi[0] = (int)floor(x);
            roi[1] = (int)floor(y);
            roi[2] = roi[3] = (int)ceil(WINDOW * side) + 1;
            r = roi;
            if ((int)floor(0.55 * side) > wp.min_size)
                wp.min_size = (int)floor(0.55 * side);
            wp.max_size = (int)ceil(1.83 * side);
            if (wp.max_size < wp.min_size)
                continue;
        }
        st = pr_cv_detect(cascade_for(det, id), gray, mirrored, r, &wp, &hits, &n);
        if (st == PR_OK)
            st = add_hits(cand, id, hits, n, gw);
        pr_free(hits);
    }
    return st;
}

/* The cascades on image; windows as in scan() (NULL = the whole photo), and with windows and
 * big_rel > 0 also the whole photo for faces of at least big_rel x its shorter side. */
static pr_status run_cascades(pr_detector *det, const pr_image *image, const pr_faces *windows,
                              double big_rel, pr_faces *out)
{
    out->count = 0;
    const pr_detector_params *p = &det->params;
    int long_side = image->width > image->height ? image->width : image->height;
    double scale = 1.0;
    if (p->working_long_side > 0 && long_side > p->working_long_side)
        scale = (double)p->working_long_side / long_side;
    int gw = (int)lround(image->width * scale), gh = (int)lround(image->height * scale);
    if (gw < 1)
        gw = 1;
    if (gh < 1)
        gh = 1;
    int short_side = gw < gh ? gw : gh;
    int min_size = (int)ceil(p->min_face_rel * short_side);
    if (p->min_face_px > min_size)
        min_size = p->min_face_px;

    pr_cv_gray *gray = NULL;
    pr_faces *cand = &det->candidates;
    cand->count = 0;
    pr_status st = pr_cv_gray_new(image->data, image->width, image->height, image->channels,
                                  image->stride, gw, gh, 1, &gray);
    if (st != PR_OK)
        return st;

    pr_cv_detect_params cp = {p->scale_factor, det->single ? p->min_neighbors : p->fuse_min_neighbors,
                              min_size, 0};
    pr_cv_detect_params big = cp;
    if (big_rel > 0 && (int)ceil(big_rel * short_side) > big.min_size)
        big.min_size = (int)ceil(big_rel * short_side);
    for (int id = 0; id < PR_CASCADE_EYE; id++) {
        if (!(det->scan_mask & (1u << id)))
            continue;
        if (windows && windows->count &&
            (st = scan(det, gray, gw, id, &cp, windows, scale, cand)) != PR_OK)
            goto fail;
        if ((!windows || big_rel > 0) &&
            (st = scan(det, gray, gw, id, windows ? &big : &cp, NULL, scale, cand)) != PR_OK)
            goto fail;
    }
    /* Windows around nearby faces overlap: a hit found twice is one candidate. */
    if (windows && (windows->count > 1 || big_rel > 0))
        dedupe(cand);

    if (det->single) {
        for (size_t i = 0; i < cand->count; i++)
            if ((st = pr_faces_push(out, &cand->items[i])) != PR_OK)
                goto fail;
    } else if ((st = pr_detect_fuse(cand->items, cand->count, p->group_iou, out)) != PR_OK) {
        goto fail;
    }

    /* Verification, thresholds and the eye check, compacting out in place. */
    size_t kept = 0;
    for (size_t i = 0; i < out->count; i++) {
        pr_face f = out->items[i];
        /* Fused with the network, a verifier's votes matter only to a face that would miss the
         * thresholds without them (its score is ranked by the network's first): a face that
         * already passes is kept whatever the verifiers say, so they are not run for it. Same
         * faces; the profile scans were most of the cascades' time (thesis/results/speed.md). */
        int sure = p->detector == PR_DETECTOR_BOTH && f.votes >= p->min_votes &&
                   f.score >= p->min_score;
        if (!det->single) {
            for (int id = 0; id < PR_CASCADE_EYE && !sure; id++) {
                if (!(det->verify_mask & (1u << id)))
                    continue;
                double best;
                if ((st = verify(det, gray, gw, id, &f, &best)) != PR_OK)
                    goto fail;
                if (best > 0) {
                    f.score += best;
                    f.votes++;
                    f.cascades_mask |= 1u << id;
                }
            }
            if (f.votes < p->min_votes || f.score < p->min_score)
                continue;
        }
        if (p->eye_check && f.pose == PR_POSE_FRONTAL && f.box.w >= p->eye_min_face) {
            int eye;
            if ((st = has_eye(det, gray, &f, &eye)) != PR_OK)
                goto fail;
            if (!eye)
                continue;
            f.cascades_mask |= 1u << PR_CASCADE_EYE;
        }
        /* Back to photo pixels. */
        f.box.x /= scale;
        f.box.y /= scale;
        f.box.w /= scale;
        f.box.h /= scale;
        f.box = pr_box_clip(f.box, image->width, image->height);
        if (f.box.w <= 0 || f.box.h <= 0)
            continue;
        out->items[kept++] = f;
    }
    out->count = kept;
    if (kept > 1)
        qsort(out->items, kept, sizeof *out->items, face_by_score);
fail:
    pr_cv_gray_delete(gray);
    return st;
}

int pr_detector_network_missing(const pr_detector *det)
{
    return det && det->net_missing;
}

/* min_face_px / min_face_rel bound the cascades' scan; the network finds faces of every size, so
 * its faces (alone, or fused) are held to the same smallest side here, in photo pixels. A no-op
 * at the defaults (both 0). */
static void drop_small(const pr_detector_params *p, const pr_image *image, pr_faces *faces)
{
    int long_side = image->width > image->height ? image->width : image->height;
    int short_side = image->width < image->height ? image->width : image->height;
    double scale = 1.0; /* working pixels per photo pixel, as run_cascades */
    if (p->working_long_side > 0 && long_side > p->working_long_side)
        scale = (double)p->working_long_side / long_side;
    double min_side = fmax(p->min_face_rel * short_side, p->min_face_px / scale);
    if (!(min_side > 0))
        return;
    size_t kept = 0;
    for (size_t i = 0; i < faces->count; i++)
        if (fmin(faces->items[i].box.w, faces->items[i].box.h) >= min_side)
            faces->items[kept++] = faces->items[i];
    faces->count = kept;
}

pr_status pr_detector_run(pr_detector *det, const pr_image *image, pr_faces *out)
{
    if (!det || !image || !out || !image->data || image->width <= 0 || image->height <= 0)
        return pr_set_error(PR_ERR_ARG, "pr_detector_run: bad argument");
    const pr_detector_params *p = &det->params;
    pr_status st;
    switch (p->detector) {
    case PR_DETECTOR_CASCADES:
        return run_cascades(det, image, NULL, 0, out);
    case PR_DETECTOR_NETWORK:
        out->count = 0;
        if ((st = pr_net_detector_run(det->net, image, p->net_min_score, out)) == PR_OK)
            drop_small(p, image, out);
        return st;
    case PR_DETECTOR_BOTH:
        det->net_faces.count = 0;
        det->cascade_faces.count = 0;
        out->count = 0;
        if ((st = pr_net_detector_run(det->net, image, fmin(p->net_support, p->net_alone_score),
                                      &det->net_faces)) != PR_OK)
            return st;
        /* The cascade faces fusion can keep: those a network face claims (looked for around the
         * network's faces) and, when cascade-only faces may stay, those large enough for that
         * (one whole-photo scan from that size up; all sizes without a size rule). */
        if (p->cascade_full_scan || (p->cascade_alone_votes > 0 && !(p->cascade_alone_min_rel > 0)))
            st = run_cascades(det, image, NULL, 0, &det->cascade_faces);
        else if (det->net_faces.count || p->cascade_alone_votes > 0)
            st = run_cascades(det, image, &det->net_faces,
                              p->cascade_alone_votes > 0 ? p->cascade_alone_min_rel : 0,
                              &det->cascade_faces);
        double short_side = image->width < image->height ? image->width : image->height;
        if (st != PR_OK || (st = pr_detect_fuse_network(&det->cascade_faces, &det->net_faces, p,
                                                        short_side, out)) != PR_OK)
            return st;
        drop_small(p, image, out);
        if (out->count > 1)
            qsort(out->items, out->count, sizeof *out->items, face_by_score);
        return PR_OK;
    }
    return pr_set_error(PR_ERR_ARG, "pr_detector_run: unknown detector kind");
}
