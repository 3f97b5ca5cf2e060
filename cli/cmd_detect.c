/* personrec detect: faces in photos (multi-cascade Haar detection), as CSV or JSON lines (the
 * detector options and writers are eval/detect_run.h's, shared with eval detect). */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/image.h"
#include "core/threadpool.h"
#include "detect/batch.h"
#include "eval/detect_run.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int run(int argc, char **argv);

const pr_command pr_cmd_detect = {
    "detect",
    "find faces in photos",
    "usage: personrec detect [--json] [--draw DIR] [--detector KIND] [--cascades LIST] IMAGE...\n"
    "\n"
    "Prints one line per face: CSV 'image,x,y,w,h,score,pose' (with a header line, so the output\n"
    "can be given to 'personrec eval detect --pred'), or one JSON object per face with --json.\n"
    "Boxes are photo pixels (EXIF orientation applied), top-left origin. A photo that cannot be\n"
    "read is reported on stderr and skipped; the exit status is then 1.\n"
    "\n"
    "options:\n"
    "  --json              JSON lines: image, x, y, w, h, score, votes, pose, cascades, net_score\n"
    "  --draw DIR          also write each photo with its boxes to DIR/<name>.jpg (never over\n"
    "                      a photo of the run: such a drawing is refused)\n"
    "  --min-size PX       smallest face side at the working resolution (default: cascade window)\n"
    "  --cascades LIST     default,alt,alt2,alt_tree,profile (selects the cascades detector);\n"
    "                      one name = that cascade alone; default: the fused cascades\n"
    "  --detector KIND     cascades, network (SSD MobileNet v1) or both (default: the network\n"
    "                      fused with the cascades; see thesis/results/detect.md)\n"
    "  --models DIR        network: face-api model folder\n"
    "  --long-side PX      working resolution (default 1600; 0 = native)\n"
    "  --min-neighbors N   OpenCV minNeighbors of each cascade (single: 3, fused: see above)\n"
    "  --threads N         photos in parallel, 1 to 256 (default: all CPUs; never more than\n"
    "                      the photos)\n",
    run,
};

typedef struct draw_ctx {
    const char *dir;
    pr_detect_item *items;
    struct stat *inputs; /* the files of the photos that could be stat()ed, n of them */
    size_t n;
    int failed; /* written from workers; any non-zero value means a failure */
} draw_ctx;

/* 1 when `out` is one of the run's photos: with DIR the photos' own folder (--draw .), the
 * drawing of a.jpg is a.jpg itself, and that of a.png another photo a.jpg; writing it would
 * replace a photo by a re-encoded copy with boxes on it. */
static int is_input(const draw_ctx *c, const char *out)
{
    struct stat sb;
    if (stat(out, &sb) != 0)
        return 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->inputs[i].st_ino == sb.st_ino && c->inputs[i].st_dev == sb.st_dev)
            return 1;
    return 0;
}

static void draw_rect(pr_image *img, pr_box b, const uint8_t rgb[3])
{
    int x0 = (int)b.x, y0 = (int)b.y, x1 = (int)(b.x + b.w) - 1, y1 = (int)(b.y + b.h) - 1;
    int t = img->width > 1000 ? 3 : 2; /* thick enough to see on a large photo */
    for (int y = y0; y <= y1; y++) {
        if (y < 0 || y >= img->height)
            continue;
        uint8_t *row = pr_image_row(img, y);
        for (int x = x0; x <= x1; x++) {
            if (x < 0 || x >= img->width)
                continue;
            if (y - y0 < t || y1 - y < t || x - x0 < t || x1 - x < t)
                memcpy(row + 3 * x, rgb, 3);
        }
    }
}

static void draw_one(void *vctx, size_t index, const pr_image *image)
{
    static const uint8_t colours[3][3] = {{0, 255, 0}, {255, 160, 0}, {0, 160, 255}};
    draw_ctx *c = (draw_ctx *)vctx;
    const pr_detect_item *it = &c->items[index];
    pr_image *rgb = NULL;
    if (pr_image_to_rgb(image, &rgb) != PR_OK) {
        fprintf(stderr, "personrec detect: %s: %s\n", it->path, pr_last_error());
        c->failed = 1;
        return;
    }
    for (size_t f = 0; f < it->faces.count; f++)
        draw_rect(rgb, it->faces.items[f].box, colours[it->faces.items[f].pose % 3]);
    const char *base = strrchr(it->path, '/');
    base = base ? base + 1 : it->path;
    char out[4096];
    int n = snprintf(out, sizeof out, "%s/%.*s.jpg", c->dir,
                     (int)(strrchr(base, '.') ? strrchr(base, '.') - base : (long)strlen(base)),
                     base);
    if (n >= 0 && (size_t)n < sizeof out && is_input(c, out)) {
        fprintf(stderr,
                "personrec detect: %s: its drawing %s would replace a photo of this run; not "
                "drawn (choose another --draw folder)\n",
                it->path, out);
        c->failed = 1;
    } else if (n < 0 || (size_t)n >= sizeof out || pr_image_save(out, rgb) != PR_OK) {
        fprintf(stderr, "personrec detect: cannot write %s: %s\n", out, pr_last_error());
        c->failed = 1;
    }
    pr_image_delete(rgb);
}

static int run(int argc, char **argv)
{
    int json = 0, threads = 0;
    /* INT_MIN = not given (the detector's default); a given value must make sense */
    int min_size = INT_MIN, long_side = INT_MIN, min_neighbors = INT_MIN;
    const char *draw = NULL;
    pr_detect_options o = pr_detect_options_default();
    const pr_option opts[] = {
        {"json", PR_OPT_FLAG, &json},
        {"draw", PR_OPT_STRING, &draw},
        {"min-size", PR_OPT_INT, &min_size},
        {"cascades", PR_OPT_STRING, &o.cascades},
        {"long-side", PR_OPT_INT, &long_side},
        {"threads", PR_OPT_INT, &threads},
        {"min-neighbors", PR_OPT_INT, &min_neighbors},
        {"detector", PR_OPT_STRING, &o.detector},
        {"models", PR_OPT_STRING, &o.models},
        {NULL, PR_OPT_FLAG, NULL},
    };
    const pr_command *cmd = &pr_cmd_detect;
    int n = 0;
    int rc = pr_cli_parse(cmd, argc, argv, opts, &n);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (n == 0)
        return pr_cli_usage_error(cmd, "missing IMAGE");
    if (min_size != INT_MIN && (min_size < 1 || min_size > 100000))
        return pr_cli_usage_error(cmd, "--min-size must be 1 to 100000 pixels, not %d", min_size);
    if (long_side != INT_MIN && (long_side < 0 || long_side > 100000))
        return pr_cli_usage_error(cmd, "--long-side must be 0 (native) to 100000 pixels, not %d",
                                  long_side);
    if (min_neighbors != INT_MIN && (min_neighbors < 1 || min_neighbors > 1000))
        return pr_cli_usage_error(cmd, "--min-neighbors must be 1 to 1000, not %d",
                                  min_neighbors);
    if (min_size != INT_MIN)
        o.min_face_px = min_size;
    if (long_side != INT_MIN)
        o.working_long_side = long_side;
    /* here --min-neighbors is every cascade's threshold, fused or single */
    o.min_neighbors = o.fuse_min_neighbors = min_neighbors != INT_MIN ? min_neighbors : -1;
    /* never more workers than photos: each holds a detector */
    if (threads <= 0 || threads > n)
        threads = pr_cpu_count() < n ? pr_cpu_count() : n;
    pr_detector_params dp = pr_detect_options_params(&o);

    pr_detect_item *items = (pr_detect_item *)pr_calloc((size_t)n, sizeof *items);
    if (!items) {
        fprintf(stderr, "personrec detect: out of memory\n");
        return PR_EXIT_FAIL;
    }
    for (int i = 0; i < n; i++)
        items[i].path = argv[i + 1];
    draw_ctx dc = {draw, items, NULL, 0, 0};
    if (draw && !(dc.inputs = pr_calloc((size_t)n, sizeof *dc.inputs))) {
        fprintf(stderr, "personrec detect: out of memory\n");
        pr_free(items);
        return PR_EXIT_FAIL;
    }
    for (int i = 0; draw && i < n; i++)
        if (stat(items[i].path, &dc.inputs[dc.n]) == 0)
            dc.n++;
    if (pr_detect_batch(&dp, threads, items, (size_t)n, draw ? draw_one : NULL, &dc) != PR_OK) {
        pr_cli_report_error("detector");
        pr_free(dc.inputs);
        pr_free(items);
        return PR_EXIT_USAGE;
    }
    pr_free(dc.inputs);
    const size_t skipped = pr_detect_report_skipped("detect", items, (size_t)n);
    int status = dc.failed || skipped ? PR_EXIT_FAIL : PR_EXIT_OK;
    pr_detect_csv_params cp = {0, 1, 0};
    pr_status st = json ? pr_detect_write_json_lines(stdout, items, (size_t)n)
                        : pr_detect_write_csv(stdout, items, (size_t)n, &cp);
    if (st != PR_OK)
        status = PR_EXIT_FAIL;
    pr_detect_items_free(items, (size_t)n);
    pr_free(items);
    return status;
}
