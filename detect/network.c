/* The network detector: face-api's SSD MobileNet v1 (nn/ssd.h), its boxes mapped to the square a
 * Haar cascade draws (the convention of the truth files and the rest of the pipeline). */
#include "detect/network_internal.h"

#include "core/alloc.h"

#include <math.h>

pr_box pr_ssd_to_haar_square(pr_box b)
{
    double side = PR_SSD_HAAR_SIDE * sqrt(b.w * b.h);
    double cx = b.x + 0.5 * b.w + PR_SSD_HAAR_DX * b.w, cy = b.y + 0.5 * b.h + PR_SSD_HAAR_DY * b.h;
    pr_box r = {cx - 0.5 * side, cy - 0.5 * side, side, side};
    return r;
}

#ifdef PR_HAVE_SSD
#include "core/models_dir.h"
#include "nn/ssd.h"

struct pr_net_detector {
    pr_ssd *ssd;
};

pr_status pr_net_detector_new(const pr_detector_params *params, pr_net_detector **out)
{
    *out = NULL;
    char dir[4200];
    /* The one models-folder search (core/models_dir.h), by the SSD model's manifest. */
    pr_status st = pr_models_find(params->models_dir, "ssd_mobilenetv1_model-weights_manifest.json",
                                  PR_FACEAPI_DEFAULT_DIR, dir, sizeof dir);
    if (st == PR_ERR_IO)
        return pr_set_error(PR_ERR_IO, "network detector: no ssd_mobilenetv1_model* found (--models, "
                            "$PERSONREC_MODELS, models/ beside personrec, or scripts/install-models)");
    if (st != PR_OK)
        return st;
    pr_ssd_params sp = pr_ssd_params_default();
    sp.models_dir = dir;
    /* The lowest score any rule looks at: NMS keeps every higher box as it would at 0.5. */
    sp.min_confidence = fmin(params->net_min_score, params->detector == PR_DETECTOR_BOTH
                                                        ? fmin(params->net_support,
                                                               params->net_alone_score)
                                                        : params->net_min_score);
    pr_net_detector *net = pr_calloc(1, sizeof *net);
    if (!net)
        return pr_set_error(PR_ERR_NOMEM, "network detector: out of memory");
    st = pr_ssd_new(&sp, &net->ssd);
    if (st != PR_OK) {
        pr_free(net);
        return st;
    }
    *out = net;
    return PR_OK;
}

void pr_net_detector_delete(pr_net_detector *net)
{
    if (!net)
        return;
    pr_ssd_delete(net->ssd);
    pr_free(net);
}

pr_status pr_net_detector_run(pr_net_detector *net, const pr_image *image, double min_score,
                              pr_faces *out)
{
    pr_ssd_box *b = NULL;
    size_t n = 0;
    pr_status st = pr_ssd_detect(net->ssd, image, &b, &n);
    for (size_t i = 0; i < n && st == PR_OK; i++) {
        if (b[i].score < min_score)
            continue;
        pr_face f = {0};
        f.box = pr_box_clip(pr_ssd_to_haar_square((pr_box){b[i].x, b[i].y, b[i].w, b[i].h}),
                            image->width, image->height);
        f.net_score = b[i].score;
        f.score = 100.0 * b[i].score;
        if (f.box.w > 0 && f.box.h > 0)
            st = pr_faces_push(out, &f);
    }
    pr_free(b);
    return st;
}

#else

struct pr_net_detector {
    int unused;
};

pr_status pr_net_detector_new(const pr_detector_params *params, pr_net_detector **out)
{
    (void)params;
    *out = NULL;
    return pr_set_error(PR_ERR_UNSUPPORTED, "network detector: personrec was built without nn/ "
                        "(needs jansson, nettle and OpenBLAS)");
}

void pr_net_detector_delete(pr_net_detector *net) { (void)net; }

pr_status pr_net_detector_run(pr_net_detector *net, const pr_image *image, double min_score,
                              pr_faces *out)
{
    (void)net;
    (void)image;
    (void)min_score;
    (void)out;
    return pr_set_error(PR_ERR_UNSUPPORTED, "network detector: built without nn/");
}

#endif
