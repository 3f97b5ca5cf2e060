/* personrec bench segment: Felzenszwalb-Huttenlocher speed, CPU reference against the GPU kernels,
 * measured side by side in one run (the harness and its table are segment/bench.h's). */
#include "cli/cli.h"
#include "segment/bench.h"

#include <stdio.h>
#include <string.h>

static int run(int argc, char **argv);

const pr_command pr_cmd_bench_segment = {
    "bench segment",
    "time the segmentation on the CPU and the GPU (MPix/s, ratio, exactness)",
    "usage: personrec bench segment [--device cpu|gpu|both] [--mode exact|fast|both]\n"
    "                               [--images DIR | --sizes 0.15,1,12,50] [--source IMAGE]\n"
    "                               [--repeat N] [--limit N] [--sigma S] [--k K] [--min-size M]\n"
    "                               [--json OUT]\n"
    "\n"
    "--sizes resizes one photo (--source, else the first BSDS500 image under $PR_DATA_DIR, else a\n"
    "synthetic image) to each size in megapixels; --images times every image of DIR at its own\n"
    "size (at most --limit, default 50) and reports the totals. Each case: one warm-up run, then\n"
    "the median of --repeat runs (default 5). Columns: kernel time (GPU: CUDA events; CPU: the\n"
    "whole call), end-to-end time with host copies, megapixels per second of each, the speed-up\n"
    "over the CPU reference measured in the same run, whether exact mode matched the CPU labels.\n"
    "Without a usable GPU, --device both times the CPU only (with a notice) and --device gpu fails.\n"
    "\n"
    "options:\n"
    "  --device D     cpu, gpu or both (default both)\n"
    "  --mode M       exact, fast or both (default both; fast is GPU-only)\n"
    "  --images DIR   time the images of DIR at their own size\n"
    "  --sizes LIST   comma-separated megapixels (default 0.15,1,12)\n"
    "  --source IMG   the photo that --sizes resizes\n"
    "  --repeat N     timed runs per case (default 5)\n"
    "  --limit N      at most N images from --images (default 50)\n"
    "  --sigma S, --k K, --min-size M   segmentation parameters (default 0.8, 300, 20)\n"
    "  --json OUT     also write the rows as JSON to OUT\n",
    run,
};

enum { MAX_SIZES = 16 };

static int run(int argc, char **argv)
{
    const char *device_s = "both", *mode_s = "both", *sizes_s = NULL, *json_path = NULL;
    pr_seg_bench_params bp;
    memset(&bp, 0, sizeof bp);
    bp.fh = pr_fh_params_default();
    bp.repeat = 5;
    bp.limit = 50;
    const pr_option opts[] = {
        {"device", PR_OPT_STRING, &device_s}, {"mode", PR_OPT_STRING, &mode_s},
        {"images", PR_OPT_STRING, &bp.images_dir}, {"sizes", PR_OPT_STRING, &sizes_s},
        {"source", PR_OPT_STRING, &bp.source}, {"repeat", PR_OPT_INT, &bp.repeat},
        {"limit", PR_OPT_INT, &bp.limit},     {"sigma", PR_OPT_DOUBLE, &bp.fh.sigma},
        {"k", PR_OPT_DOUBLE, &bp.fh.k},       {"min-size", PR_OPT_INT, &bp.fh.min_size},
        {"json", PR_OPT_STRING, &json_path},  {NULL, PR_OPT_FLAG, NULL},
    };
    const pr_command *cmd = &pr_cmd_bench_segment;
    int npos = 0;
    int rc = pr_cli_parse(cmd, argc, argv, opts, &npos);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (npos)
        return pr_cli_usage_error(cmd, "unexpected argument '%s'", argv[1]);
    bp.want_cpu = !strcmp(device_s, "cpu") || !strcmp(device_s, "both");
    bp.want_gpu = !strcmp(device_s, "gpu") || !strcmp(device_s, "both");
    if (!bp.want_cpu && !bp.want_gpu)
        return pr_cli_usage_error(cmd, "--device must be cpu, gpu or both");
    bp.want_exact = !strcmp(mode_s, "exact") || !strcmp(mode_s, "both");
    bp.want_fast = !strcmp(mode_s, "fast") || !strcmp(mode_s, "both");
    if (!bp.want_exact && !bp.want_fast)
        return pr_cli_usage_error(cmd, "--mode must be exact, fast or both");
    if (bp.images_dir && sizes_s)
        return pr_cli_usage_error(cmd, "--images and --sizes exclude each other");
    if (bp.repeat < 1 || bp.repeat > 1000 || bp.limit < 1)
        return pr_cli_usage_error(cmd, "--repeat must be in 1..1000 and --limit >= 1");
    if (pr_fh_params_check(&bp.fh) != PR_OK)
        return pr_cli_usage_error(cmd, "%s", pr_last_error());
    double sizes[MAX_SIZES];
    if (!bp.images_dir &&
        pr_seg_bench_parse_sizes(sizes_s ? sizes_s : "0.15,1,12", sizes, MAX_SIZES, &bp.nsizes))
        return pr_cli_usage_error(cmd, "--sizes: bad size list '%s'", sizes_s);
    bp.sizes = sizes;

    pr_seg_bench_result res;
    pr_status st = pr_seg_bench_devices(&bp, stdout, &res);
    if (st == PR_OK && json_path)
        st = pr_seg_bench_write_json(json_path, &bp, &res);
    if (st != PR_OK)
        pr_cli_report_error("bench segment");
    return st == PR_OK ? PR_EXIT_OK : PR_EXIT_FAIL;
}
