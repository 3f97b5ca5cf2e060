/* segment/bench (the segmentation benchmark harness of bench segment and bench/segment): size
 * lists, resizing to a megapixel count, the median timing of a contestant (warm-up and repeats
 * counted), and the CPU table on a synthetic photo: one row per size, the exact partition's
 * segment count, and the JSON file with its keys. */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen, setenv */

#include "segment/bench.h"
#include "tests/test.h"

#include <stdio.h>
#include <string.h>

static int calls;

static pr_status fake(void *ctx, const pr_image *img, double *kernel_ms, long *segments)
{
    (void)ctx;
    (void)img;
    calls++;
    *kernel_ms = 5;
    *segments = 7;
    return PR_OK;
}

int main(void)
{
    double sizes[4];
    int n = 0;
    PR_CHECK_EQ_INT(pr_seg_bench_parse_sizes("0.15,1,12", sizes, 4, &n), 0);
    PR_CHECK_EQ_INT(n, 3);
    PR_CHECK_NEAR(sizes[2], 12, 0);
    PR_CHECK_EQ_INT(pr_seg_bench_parse_sizes("1,x", sizes, 4, &n), -1);
    PR_CHECK_EQ_INT(pr_seg_bench_parse_sizes("0", sizes, 4, &n), -1);
    PR_CHECK_EQ_INT(pr_seg_bench_parse_sizes("600", sizes, 4, &n), -1);

    pr_image *src = NULL, *big = NULL;
    PR_CHECK_OK(pr_seg_bench_synthetic(200, 100, &src));
    PR_CHECK_OK(pr_seg_bench_resize_mp(src, 0.08, &big));
    if (big)
        PR_CHECK_NEAR((double)big->width * big->height, 80000, 800);

    pr_seg_bench_timing t = {2, 3, 0};
    pr_seg_bench_sample s;
    PR_CHECK_OK(pr_seg_bench_measure(fake, NULL, src, &t, &s));
    PR_CHECK_EQ_INT(calls, 5);
    PR_CHECK_NEAR(s.ms_kernel, 5, 0);
    PR_CHECK_EQ_INT(s.segments, 7);
    PR_CHECK(s.ms_wall >= 0 && s.ms_cpu >= 0);
    t.repeat = 0;
    PR_CHECK(pr_seg_bench_measure(fake, NULL, src, &t, &s) == PR_ERR_ARG);

    /* The table, CPU only, on the synthetic photo (no --source and no data: PR_DATA_DIR empty). */
    setenv("PR_DATA_DIR", "/nonexistent-evalh", 1);
    const double mp[2] = {0.01, 0.02};
    pr_seg_bench_params bp;
    memset(&bp, 0, sizeof bp);
    bp.fh = pr_fh_params_default();
    bp.want_cpu = bp.want_exact = 1;
    bp.repeat = 1;
    bp.limit = 1;
    bp.sizes = mp;
    bp.nsizes = 2;
    pr_seg_bench_result res;
    FILE *log = tmpfile();
    PR_CHECK_OK(pr_seg_bench_devices(&bp, log ? log : stderr, &res));
    PR_CHECK_EQ_INT(res.nrows, 2);
    PR_CHECK_STR(res.rows[0].device, "cpu");
    PR_CHECK_EQ_INT(res.rows[0].match, -1);
    PR_CHECK(res.rows[0].segments > 0 && res.rows[1].segments >= res.rows[0].segments / 2);
    char path[] = "/tmp/evalh_benchXXXXXX";
    fclose(fdopen(mkstemp(path), "w"));
    PR_CHECK_OK(pr_seg_bench_write_json(path, &bp, &res));
    char buf[4096] = {0};
    FILE *f = fopen(path, "r");
    if (f) {
        buf[fread(buf, 1, sizeof buf - 1, f)] = 0;
        fclose(f);
    }
    PR_CHECK(strstr(buf, "\"rows\":[{\"megapixels\":") != NULL);
    PR_CHECK(strstr(buf, "\"match\":null") != NULL && strstr(buf, "\"speedup_vs_cpu\":1") != NULL);
    remove(path);
    if (log)
        fclose(log);
    pr_image_delete(src);
    pr_image_delete(big);
    return pr_test_finish();
}
