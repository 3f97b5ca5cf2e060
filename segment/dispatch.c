/* GPU/CPU dispatch for Felzenszwalb–Huttenlocher: see dispatch.h.
 *
 * The GPU path gets its Gaussian mask from pr_fh_gauss_mask, the same function the CPU reference
 * uses, so the two smooth with identical floats. The "no GPU" notice is printed once per process:
 * an album run segments thousands of photos and one line is enough. */
#define _POSIX_C_SOURCE 200809L

#include "segment/dispatch.h"

#include "cuda/fh.h"
#include "cuda/gpu.h"

#include "core/alloc.h"
#include "core/clock.h"

#include <stdio.h>
#include <string.h>

struct pr_segmenter {
    pr_device device; /* PR_DEVICE_CPU or PR_DEVICE_GPU */
    pr_cuda_fh *gpu;
};

static void notice_cpu_once(const char *why)
{
    static int printed; /* a benign race at worst prints the line twice */
    if (!printed) {
        printed = 1;
        fprintf(stderr, "personrec: %s; segmenting on the CPU\n", why);
    }
}

pr_status pr_segmenter_new(pr_device device, pr_segmenter **out)
{
    if (!out)
        return pr_set_error(PR_ERR_ARG, "pr_segmenter_new: out is NULL");
    *out = NULL;
    if (device != PR_DEVICE_AUTO && device != PR_DEVICE_CPU && device != PR_DEVICE_GPU)
        return pr_set_error(PR_ERR_ARG, "pr_segmenter_new: unknown device %d", (int)device);
    pr_segmenter *s = pr_calloc(1, sizeof *s);
    if (!s)
        return pr_set_error(PR_ERR_NOMEM, "pr_segmenter_new: out of memory");
    s->device = PR_DEVICE_CPU;
    if (device != PR_DEVICE_CPU) {
        pr_status st = pr_gpu_probe(NULL);
        if (st == PR_OK)
            st = pr_cuda_fh_new(&s->gpu);
        if (st == PR_OK) {
            s->device = PR_DEVICE_GPU;
        } else if (device == PR_DEVICE_GPU) {
            pr_free(s);
            return pr_error_context(st, "GPU requested");
        } else {
            notice_cpu_once(pr_last_error());
            pr_set_error(PR_OK, "%s", "");
        }
    }
    *out = s;
    return PR_OK;
}

void pr_segmenter_delete(pr_segmenter *s)
{
    if (!s)
        return;
    pr_cuda_fh_delete(s->gpu);
    pr_free(s);
}

pr_device pr_segmenter_device(const pr_segmenter *s) { return s ? s->device : PR_DEVICE_CPU; }

pr_status pr_segmenter_run(pr_segmenter *s, const pr_image *rgb, const pr_fh_params *params,
                           pr_fh_mode mode, pr_labels **out, pr_segment_report *report)
{
    pr_segment_report r;
    memset(&r, 0, sizeof r);
    if (!s || !out)
        return pr_set_error(PR_ERR_ARG, "pr_segmenter_run: NULL argument");
    *out = NULL;
    if (mode != PR_FH_EXACT && mode != PR_FH_FAST)
        return pr_set_error(PR_ERR_ARG, "pr_segmenter_run: unknown mode %d", (int)mode);
    pr_fh_params def = pr_fh_params_default();
    const pr_fh_params *p = params ? params : &def;
    pr_status st = pr_fh_params_check(p);
    if (st != PR_OK)
        return st;
    const double t0 = pr_clock_ms();
    if (s->device == PR_DEVICE_CPU) {
        pr_fh_stats fs;
        if ((st = pr_fh_segment(rgb, p, out, &fs)) != PR_OK)
            return st;
        r.device = PR_DEVICE_CPU;
        r.segments = fs.segments;
        r.ms_total = r.ms_kernels = pr_clock_ms() - t0;
    } else {
        if (!rgb || rgb->width <= 0 || rgb->height <= 0)
            return pr_set_error(PR_ERR_ARG, "pr_segmenter_run: need a non-empty image");
        float mask[PR_FH_MAX_MASK];
        int len = 0;
        if ((st = pr_fh_gauss_mask(p->sigma, mask, &len)) != PR_OK)
            return st;
        pr_labels *labels = NULL;
        if ((st = pr_labels_new(rgb->width, rgb->height, &labels)) != PR_OK)
            return st;
        pr_cuda_fh_args a;
        memset(&a, 0, sizeof a);
        a.mask = mask;
        a.mask_len = len;
        a.k = (float)p->k;
        a.min_size = p->min_size;
        a.mode = mode == PR_FH_FAST ? PR_CUDA_FH_FAST : PR_CUDA_FH_EXACT;
        pr_cuda_fh_timing t;
        if ((st = pr_cuda_fh_segment(s->gpu, rgb, &a, labels->data, &r.segments, &t)) != PR_OK) {
            pr_labels_delete(labels);
            return st;
        }
        r.device = PR_DEVICE_GPU;
        r.ms_total = pr_clock_ms() - t0;
        r.ms_kernels = t.ms_kernels;
        r.ms_gpu_total = t.ms_total;
        r.rounds_merge = t.rounds_merge;
        r.rounds_min_size = t.rounds_min_size;
        *out = labels;
    }
    if (report)
        *report = r;
    return PR_OK;
}

pr_status pr_segment_run(const pr_image *rgb, const pr_fh_params *params, pr_device device,
                         pr_fh_mode mode, pr_labels **out, pr_segment_report *report)
{
    pr_segmenter *s = NULL;
    pr_status st = pr_segmenter_new(device, &s);
    if (st != PR_OK)
        return st;
    st = pr_segmenter_run(s, rgb, params, mode, out, report);
    pr_segmenter_delete(s);
    return st;
}

int pr_fh_mode_parse(const char *text)
{
    if (!text)
        return -1;
    if (strcmp(text, "exact") == 0)
        return PR_FH_EXACT;
    if (strcmp(text, "fast") == 0)
        return PR_FH_FAST;
    return -1;
}
