/* personrec body: the body region below each face of a photo. */
#define _POSIX_C_SOURCE 200809L

#include "cli/cli.h"
#include "core/alloc.h"
#include "core/image.h"
#include "core/json.h"
#include "detect/detect.h"
#include "segment/body.h"
#include "segment/draw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(int argc, char **argv);

const pr_command pr_cmd_body = {
    "body",
    "the body region below each face (segmentation-based mask)",
    "usage: personrec body [options] IMAGE\n"
    "\n"
    "Finds the faces (or takes them from --faces), places a body prior below each, segments it and\n"
    "keeps the segments lying mostly inside. Prints per face the box, the mask area and the ratio\n"
    "mask area / face area.\n"
    "\n"
    "options:\n"
    "  --faces LIST       faces as x,y,w,h;x,y,w,h;... in photo pixels (skips detection)\n"
    "  --overlay OUT      write the photo with each mask tinted and each face boxed\n"
    "  --width-faces W    prior width in face widths (default 3)\n"
    "  --height-faces H   prior height in face heights (default 4)\n"
    "  --k K              segmentation scale at the working size (default 300)\n"
    "  --json             one JSON object per face\n",
    run,
};

static int parse_faces(const char *text, pr_faces *out)
{
    const char *p = text;
    while (*p) {
        pr_face f;
        memset(&f, 0, sizeof f);
        double v[4];
        for (int i = 0; i < 4; i++) {
            char *end = NULL;
            v[i] = strtod(p, &end);
            if (end == p)
                return -1;
            p = end;
            if (i < 3) {
                if (*p != ',')
                    return -1;
                p++;
            }
        }
        if (!(v[2] > 0 && v[3] > 0))
            return -1;
        f.box.x = v[0];
        f.box.y = v[1];
        f.box.w = v[2];
        f.box.h = v[3];
        f.score = 1;
        if (pr_faces_push(out, &f) != PR_OK)
            return -1;
        if (*p == ';')
            p++;
        else if (*p)
            return -1;
    }
    return out->count ? 0 : -1;
}

static const uint8_t palette[6][3] = {{255, 60, 60},  {60, 200, 60},  {60, 120, 255},
                                      {255, 200, 0},  {200, 60, 255}, {0, 220, 220}};

/* One line per face: its box, the mask area and the ratio mask area / face area. */
static void print_face(const char *path, size_t i, pr_box b, const pr_image *mask, int json)
{
    const size_t area = pr_mask_area(mask);
    const double ratio = (double)area / (b.w * b.h);
    if (!json) {
        printf("  face %zu at %.0f,%.0f %.0fx%.0f: body mask %zu px, %.2f x the face\n", i, b.x,
               b.y, b.w, b.h, area, ratio);
        return;
    }
    pr_json w = pr_json_begin(stdout, 0);
    pr_json_object(&w);
    pr_json_kv_str(&w, "file", path);
    pr_json_key(&w, "face");
    pr_json_array(&w);
    const double xywh[4] = {b.x, b.y, b.w, b.h};
    for (int k = 0; k < 4; k++) {
        char text[64]; /* one decimal, as printf's "%.1f" always gave */
        snprintf(text, sizeof text, "%.1f", xywh[k]);
        pr_json_num(&w, strtod(text, NULL));
    }
    pr_json_end(&w);
    pr_json_kv_int(&w, "mask_area", (long long)area);
    pr_json_kv_num(&w, "ratio", ratio);
    pr_json_end(&w);
    pr_json_finish(&w);
}

static int run(int argc, char **argv)
{
    const char *faces_text = NULL, *overlay_path = NULL;
    int json = 0;
    pr_body_params bp = pr_body_params_default();
    const pr_option opts[] = {
        {"faces", PR_OPT_STRING, &faces_text},
        {"overlay", PR_OPT_STRING, &overlay_path},
        {"width-faces", PR_OPT_DOUBLE, &bp.width_faces},
        {"height-faces", PR_OPT_DOUBLE, &bp.height_faces},
        {"k", PR_OPT_DOUBLE, &bp.fh.k},
        {"json", PR_OPT_FLAG, &json},
        {NULL, PR_OPT_FLAG, NULL},
    };
    int n = 0;
    int rc = pr_cli_parse(&pr_cmd_body, argc, argv, opts, &n);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (n != 1)
        return pr_cli_usage_error(&pr_cmd_body, n == 0 ? "missing IMAGE" : "one IMAGE only");
    if (pr_body_params_check(&bp) != PR_OK)
        return pr_cli_usage_error(&pr_cmd_body, "%s", pr_last_error());
    pr_faces faces = {0};
    if (faces_text && parse_faces(faces_text, &faces) != 0) {
        pr_faces_free(&faces);
        return pr_cli_usage_error(&pr_cmd_body, "--faces must be x,y,w,h[;x,y,w,h...]");
    }

    /* `--overlay photo.jpg photo.jpg` replaced the photo by its drawing */
    if (pr_cli_same_file(overlay_path, argv[1])) {
        pr_faces_free(&faces);
        return pr_cli_usage_error(&pr_cmd_body, "--overlay OUT is IMAGE itself; name another file");
    }
    const char *path = argv[1];
    int status = PR_EXIT_FAIL;
    pr_image *img = NULL, *overlay = NULL;
    pr_detector *det = NULL;
    pr_box *boxes = NULL;
    pr_image **masks = NULL;
    pr_image_load_params lp = pr_image_load_params_default();
    lp.channels = 3;
    if (pr_image_load(path, &lp, &img, NULL) != PR_OK) {
        pr_cli_report_error(path);
        goto done;
    }
    if (!faces_text) {
        pr_detector_params dp = pr_detector_params_default();
        if (pr_detector_new(&dp, &det) != PR_OK || pr_detector_run(det, img, &faces) != PR_OK) {
            pr_cli_report_error(path);
            goto done;
        }
    }
    boxes = pr_calloc(faces.count + 1, sizeof(pr_box));
    masks = pr_calloc(faces.count + 1, sizeof(pr_image *));
    if (!boxes || !masks) {
        pr_cli_report_error("body");
        goto done;
    }
    for (size_t i = 0; i < faces.count; i++)
        boxes[i] = faces.items[i].box;
    if (pr_body_masks(img, boxes, faces.count, &bp, masks) != PR_OK) {
        pr_cli_report_error(path);
        goto done;
    }
    if (overlay_path && pr_image_clone(img, &overlay) != PR_OK) {
        pr_cli_report_error(overlay_path);
        goto done;
    }
    if (!json)
        printf("%s: %dx%d, %zu face%s\n", path, img->width, img->height, faces.count,
               faces.count == 1 ? "" : "s");
    for (size_t i = 0; i < faces.count; i++) {
        print_face(path, i, boxes[i], masks[i], json);
        if (overlay) {
            const uint8_t *c = palette[i % 6];
            pr_draw_mask(overlay, masks[i], c[0], c[1], c[2]);
            pr_draw_rect(overlay, (int)boxes[i].x, (int)boxes[i].y, (int)boxes[i].w,
                         (int)boxes[i].h, c[0], c[1], c[2]);
        }
    }
    if (overlay && pr_image_save(overlay_path, overlay) != PR_OK) {
        pr_cli_report_error(overlay_path);
        goto done;
    }
    status = PR_EXIT_OK;
done:
    if (masks)
        for (size_t i = 0; i < faces.count; i++)
            pr_image_delete(masks[i]);
    pr_free(masks);
    pr_free(boxes);
    pr_faces_free(&faces);
    pr_detector_delete(det);
    pr_image_delete(img);
    pr_image_delete(overlay);
    return status;
}
