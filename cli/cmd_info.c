/* requires: core
 * personrec info: what the image loader sees in each file (size, channels, orientation, time). */
#include "cli/cli.h"
#include "core/files.h"
#include "core/image.h"
#include "core/json.h"

#include <stdio.h>

static int run(int argc, char **argv);

const pr_command pr_cmd_info = {
    "info",
    "show size, channels, orientation and capture time of images",
    "usage: personrec info [--json] [--max-megapixels N] IMAGE|FOLDER...\n"
    "\n"
    "Loads each image as personrec sees it (EXIF orientation applied) and prints its width,\n"
    "height, channels, the orientation that was undone and DateTimeOriginal. A file that cannot\n"
    "be read is reported on stderr and the rest are still processed; the exit status is then 1.\n"
    "A FOLDER is searched recursively for .jpg, .jpeg, .png, .pgm, .ppm and .pnm files.\n"
    "\n"
    "options:\n"
    "  --json                 one JSON object per line\n"
    "  --max-megapixels N     refuse images above N megapixels (default 100)\n",
    run,
};

static void print_json(const char *path, const pr_image *img, const pr_image_info *info)
{
    fputs("{\"file\":", stdout);
    pr_json_string(stdout, path);
    printf(",\"format\":\"%s\",\"width\":%d,\"height\":%d,\"channels\":%d,\"orientation\":%d,"
           "\"orientation_applied\":%s,\"datetime\":",
           pr_image_format_name(info->format), img->width, img->height, img->channels,
           info->orientation, info->orientation_applied ? "true" : "false");
    pr_json_string(stdout, info->has_datetime ? info->datetime : NULL);
    fputs("}\n", stdout);
}

static void print_text(const char *path, const pr_image *img, const pr_image_info *info)
{
    printf("%s: %s %dx%d, %d channel%s, orientation %d%s, taken %s\n", path,
           pr_image_format_name(info->format), img->width, img->height, img->channels,
           img->channels == 1 ? "" : "s", info->orientation,
           info->orientation_applied ? " (applied)" : "",
           info->has_datetime ? info->datetime : "unknown");
}

static int run(int argc, char **argv)
{
    int json = 0;
    double max_mp = 100;
    const pr_option opts[] = {
        {"json", PR_OPT_FLAG, &json},
        {"max-megapixels", PR_OPT_DOUBLE, &max_mp},
        {NULL, PR_OPT_FLAG, NULL},
    };
    int n = 0;
    int rc = pr_cli_parse(&pr_cmd_info, argc, argv, opts, &n);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (n == 0)
        return pr_cli_usage_error(&pr_cmd_info, "missing IMAGE");
    if (max_mp <= 0 || max_mp > 100000)
        return pr_cli_usage_error(&pr_cmd_info, "--max-megapixels must be in (0, 100000]");

    pr_image_load_params params = pr_image_load_params_default();
    params.max_pixels = (uint64_t)(max_mp * 1e6);
    pr_file_list files = {0};
    int unlisted = 0; /* arguments that do not exist */
    for (int i = 1; i <= n; i++) {
        if (pr_list_images(argv[i], &files) != PR_OK) {
            fprintf(stderr, "personrec info: %s\n", pr_last_error());
            unlisted++;
        }
    }
    int failed = unlisted;
    for (size_t i = 0; i < files.count; i++) {
        const char *path = files.paths[i];
        pr_image *img = NULL;
        pr_image_info info;
        if (pr_image_load(path, &params, &img, &info) != PR_OK) {
            /* The loader's message already names the file. */
            fprintf(stderr, "personrec info: %s\n", pr_last_error());
            failed++;
            continue;
        }
        if (json)
            print_json(path, img, &info);
        else
            print_text(path, img, &info);
        pr_image_delete(img);
    }
    if (files.skipped)
        fprintf(stderr, "personrec info: skipped %zu non-image file%s in folders\n", files.skipped,
                files.skipped == 1 ? "" : "s");
    size_t total = files.count + (size_t)unlisted;
    pr_file_list_clear(&files);
    if (failed)
        fprintf(stderr, "personrec info: %d of %zu file%s could not be read\n", failed, total,
                total == 1 ? "" : "s");
    return failed ? PR_EXIT_FAIL : PR_EXIT_OK;
}
