/* Photos in parallel over pr_pool: photo-level parallelism scales almost linearly (photos are
 * independent), while OpenCV's per-scale parallel_for inside one detectMultiScale does not, and
 * the two together oversubscribe the cores. */
#define _POSIX_C_SOURCE 200809L
#include "detect/batch.h"

#include "core/alloc.h"
#include "core/clock.h"
#include "core/progress.h"
#include "core/threadpool.h"

#include <string.h>

/* CPU time of the calling thread: OpenCV's threads are off, so a detection runs entirely on the
 * worker's thread, and CPU time stays meaningful on a loaded machine where wall time is not. */
static double thread_cpu_seconds(void)
{
    double ms = pr_clock_thread_cpu_ms();
    return ms > 0 ? ms * 1e-3 : pr_now_seconds();
}

typedef struct batch_ctx {
    const pr_detector_params *params;
    pr_detector **dets; /* one per worker, made on first use */
    pr_detect_item *items;
    void (*keep_image)(void *ctx, size_t index, const pr_image *image);
    void *user;
} batch_ctx;

static void fail_item(pr_detect_item *it, pr_status st)
{
    it->status = st;
    it->error = pr_strdup(pr_last_error());
}

static void run_one(void *vctx, long index, int worker)
{
    batch_ctx *c = (batch_ctx *)vctx;
    pr_detect_item *it = &c->items[index];
    pr_status st;
    if (!c->dets[worker] && (st = pr_detector_new(c->params, &c->dets[worker])) != PR_OK) {
        fail_item(it, st);
        return;
    }
    pr_image_load_params lp = pr_image_load_params_default();
    lp.channels = 1; /* the cascades see grey only: skip the RGB buffer */
    if (c->params->detector != PR_DETECTOR_CASCADES)
        lp.channels = 3; /* the network was trained on colour */
    if (c->keep_image)
        lp.channels = 0;
    pr_image *img = NULL;
    if ((st = pr_image_load(it->path, &lp, &img, NULL)) != PR_OK) {
        fail_item(it, st);
        return;
    }
    it->width = img->width;
    it->height = img->height;
    double t0 = thread_cpu_seconds();
    st = pr_detector_run(c->dets[worker], img, &it->faces);
    it->seconds = thread_cpu_seconds() - t0;
    if (st != PR_OK)
        fail_item(it, pr_error_context(st, "%s", it->path));
    else if (c->keep_image)
        c->keep_image(c->user, (size_t)index, img);
    pr_image_delete(img);
}

pr_status pr_detect_batch(const pr_detector_params *params, int threads, pr_detect_item *items,
                          size_t n,
                          void (*keep_image)(void *ctx, size_t index, const pr_image *image),
                          void *ctx)
{
    if (!params || (n && !items))
        return pr_set_error(PR_ERR_ARG, "pr_detect_batch: NULL argument");
    /* Fail early, on this thread, for what would fail on every photo (bad cascade list). */
    pr_detector *probe = NULL;
    pr_status st = pr_detector_new(params, &probe);
    if (st != PR_OK)
        return st;
    pr_pool *pool = NULL;
    if ((st = pr_pool_new(threads, &pool)) != PR_OK) {
        pr_detector_delete(probe);
        return st;
    }
    int workers = pr_pool_size(pool);
    pr_detector **dets = (pr_detector **)pr_calloc((size_t)workers, sizeof *dets);
    if (!dets) {
        pr_detector_delete(probe);
        pr_pool_delete(pool);
        return pr_set_error(PR_ERR_NOMEM, "out of memory for %d detectors", workers);
    }
    dets[0] = probe;
    for (size_t i = 0; i < n; i++) {
        memset(&items[i].faces, 0, sizeof items[i].faces);
        items[i].status = PR_OK;
        items[i].error = NULL;
        items[i].width = items[i].height = 0;
        items[i].seconds = 0;
    }
    batch_ctx c = {params, dets, items, keep_image, ctx};
    pr_pool_for(pool, (long)n, run_one, &c);
    for (int w = 0; w < workers; w++)
        pr_detector_delete(dets[w]);
    pr_free(dets);
    pr_pool_delete(pool);
    return PR_OK;
}

void pr_detect_items_free(pr_detect_item *items, size_t n)
{
    if (!items)
        return;
    for (size_t i = 0; i < n; i++) {
        pr_faces_free(&items[i].faces);
        pr_free(items[i].error);
        items[i].error = NULL;
    }
}
