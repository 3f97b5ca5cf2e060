/* personrec segment: Felzenszwalb-Huttenlocher segmentation of one image. */
#define _POSIX_C_SOURCE 200809L

#include "cli/cli.h"
#include "core/image.h"
#include "core/json.h"
#include "core/labels.h"
#include "segment/dispatch.h"
#include "segment/draw.h"
#include "segment/felzenszwalb.h"

#include <stdio.h>
#include <string.h>

static int run(int argc, char **argv);

const pr_command pr_cmd_segment = {
    "segment",
    "graph-based segmentation of an image (Felzenszwalb-Huttenlocher)",
    "usage: personrec segment [options] IMAGE\n"
    "\n"
    "Segments IMAGE with the exact Felzenszwalb-Huttenlocher method (8-connected grid, Gaussian\n"
    "pre-smoothing) and prints the number of segments and the segmentation time (decoding and\n"
    "writing excluded). Labels are canonical: numbered from 0 in order of first appearance.\n"
    "\n"
    "options:\n"
    "  --sigma S          pre-smoothing (default 0.8)\n"
    "  --k K              scale: larger K, larger segments (default 300)\n"
    "  --min-size N       smallest segment in pixels (default 20)\n"
    "  --device D         cpu, gpu or auto (default auto: the GPU when one works, else the CPU)\n"
    "  --mode M           exact (the CPU reference's partition, default) or fast (GPU only;\n"
    "                     the CPU always runs exact)\n"
    "  --labels OUT       write the label map: .png 16-bit (at most 65536 segments), or\n"
    "                     .pnm/.raw 32-bit\n"
    "  --overlay OUT      write the photo with coloured segments and their boundaries\n"
    "  --json             print {\"width\",\"height\",\"segments\",\"ms\",\"device\",\"mode\"}\n",
    run,
};

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    if (m > n)
        return 0;
    for (size_t i = 0; i < m; i++) {
        char c = s[n - m + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != suffix[i])
            return 0;
    }
    return 1;
}

static int run(int argc, char **argv)
{
    pr_fh_params params = pr_fh_params_default();
    const char *device = "auto", *mode_text = "exact", *labels_path = NULL, *overlay_path = NULL;
    int json = 0;
    const pr_option opts[] = {
        {"sigma", PR_OPT_DOUBLE, &params.sigma},
        {"k", PR_OPT_DOUBLE, &params.k},
        {"min-size", PR_OPT_INT, &params.min_size},
        {"device", PR_OPT_STRING, &device},
        {"mode", PR_OPT_STRING, &mode_text},
        {"labels", PR_OPT_STRING, &labels_path},
        {"overlay", PR_OPT_STRING, &overlay_path},
        {"json", PR_OPT_FLAG, &json},
        {NULL, PR_OPT_FLAG, NULL},
    };
    int n = 0;
    int rc = pr_cli_parse(&pr_cmd_segment, argc, argv, opts, &n);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (n != 1)
        return pr_cli_usage_error(&pr_cmd_segment, n == 0 ? "missing IMAGE" : "one IMAGE only");
    if (pr_fh_params_check(&params) != PR_OK)
        return pr_cli_usage_error(&pr_cmd_segment, "%s", pr_last_error());
    const int dev = pr_device_parse(device);
    if (dev < 0)
        return pr_cli_usage_error(&pr_cmd_segment, "--device must be cpu, gpu or auto");
    const int mode = pr_fh_mode_parse(mode_text);
    if (mode < 0)
        return pr_cli_usage_error(&pr_cmd_segment, "--mode must be exact or fast");
    if (labels_path && !ends_with(labels_path, ".png") && !ends_with(labels_path, ".pnm") &&
        !ends_with(labels_path, ".raw"))
        return pr_cli_usage_error(&pr_cmd_segment, "--labels must end in .png, .pnm or .raw");

    /* `--overlay photo.png photo.png` replaced the photo by its drawing */
    if (pr_cli_same_file(overlay_path, argv[1]) || pr_cli_same_file(labels_path, argv[1]))
        return pr_cli_usage_error(&pr_cmd_segment, "%s is IMAGE itself; name another file",
                                  pr_cli_same_file(overlay_path, argv[1]) ? "--overlay OUT"
                                                                          : "--labels OUT");
    const char *path = argv[1];
    pr_image *img = NULL, *overlay = NULL;
    pr_labels *labels = NULL;
    pr_segment_report st;
    int status = PR_EXIT_FAIL;
    pr_image_load_params lp = pr_image_load_params_default();
    lp.channels = 3;
    if (pr_image_load(path, &lp, &img, NULL) != PR_OK) {
        pr_cli_report_error(path);
        goto done;
    }
    if (pr_segment_run(img, &params, (pr_device)dev, (pr_fh_mode)mode, &labels, &st) != PR_OK) {
        pr_cli_report_error(path);
        goto done;
    }
    if (labels_path) {
        if (ends_with(labels_path, ".png") && st.segments > 65536) {
            fprintf(stderr,
                    "personrec segment: %s: %d segments do not fit a 16-bit PNG (at most 65536); "
                    "name a .pnm or .raw file for 32-bit labels\n",
                    labels_path, st.segments);
            goto done;
        }
        if (pr_labels_save(labels_path, labels) != PR_OK) {
            pr_cli_report_error(labels_path);
            goto done;
        }
    }
    if (overlay_path) {
        if (pr_draw_segments(img, labels, &overlay) != PR_OK ||
            pr_image_save(overlay_path, overlay) != PR_OK) {
            pr_cli_report_error(overlay_path);
            goto done;
        }
    }
    const char *mode_ran = st.device == PR_DEVICE_GPU ? mode_text : "exact";
    if (json) {
        pr_json w = pr_json_begin(stdout, 0);
        pr_json_object(&w);
        pr_json_kv_str(&w, "file", path);
        pr_json_kv_int(&w, "width", img->width);
        pr_json_kv_int(&w, "height", img->height);
        pr_json_kv_int(&w, "segments", st.segments);
        pr_json_kv_num(&w, "ms", st.ms_total);
        pr_json_kv_str(&w, "device", pr_device_name(st.device));
        pr_json_kv_str(&w, "mode", mode_ran);
        pr_json_end(&w);
        pr_json_finish(&w);
    } else {
        printf("%s: %dx%d, %d segments in %.1f ms (%s, %s)\n", path, img->width, img->height,
               st.segments, st.ms_total, pr_device_name(st.device), mode_ran);
    }
    status = PR_EXIT_OK;
done:
    pr_image_delete(img);
    pr_image_delete(overlay);
    pr_labels_delete(labels);
    return status;
}
