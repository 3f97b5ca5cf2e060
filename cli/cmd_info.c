/* personrec info: what the image loader sees in each file (size, channels, orientation, time). */
#include "cli/cli.h"
#include "core/files.h"
#include "core/image.h"
#include "core/json.h"

#include <stdio.h>
#include <string.h>

static int run(int argc, char **argv);

const pr_command pr_cmd_info = {
    "info",
    "show size, channels, orientation and capture time of images",
    "usage: personrec info [--json] [--max-megapixels N] IMAGE|FOLDER...\n"
    "       personrec info [--json] --rgb OUT.ppm IMAGE\n"
    "\n"
    "Loads each image as personrec sees it (EXIF orientation applied) and prints its width,\n"
    "height, channels, the orientation that was undone and DateTimeOriginal. A file that cannot\n"
    "be read is reported on stderr and the rest are still processed; the exit status is then 1.\n"
    "A FOLDER is searched recursively for .jpg, .jpeg, .png, .pgm, .ppm and .pnm files.\n"
    "\n"
    "options:\n"
    "  --json                 one JSON object per line\n"
    "  --max-megapixels N     refuse images above N megapixels (default 100)\n"
    "  --rgb OUT.ppm          also write the decoded pixels of the one IMAGE, exactly as personrec\n"
    "                         sees them (orientation applied, grey replicated to RGB), as a binary\n"
    "                         PPM (P6); written to a temporary file and renamed. For comparing\n"
    "                         with other programs on identical pixels.\n",
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

static int has_ppm_extension(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && strcmp(path + n - 4, ".ppm") == 0;
}

/* The --rgb output: always 3 channels, so a reader needs to handle only P6. */
static pr_status save_rgb(const char *out_path, const pr_image *img)
{
    pr_image *rgb = NULL;
    pr_status st = pr_image_to_rgb(img, &rgb);
    if (st == PR_OK)
        st = pr_image_save(out_path, rgb);
    pr_image_delete(rgb);
    return st;
}

/* Loads and reports one file; writes its pixels to rgb_path when that is not NULL. Returns 0 on
 * success, 1 after naming the failure on stderr. */
static int process(const char *path, const pr_image_load_params *params, int json,
                   const char *rgb_path)
{
    pr_image *img = NULL;
    pr_image_info info;
    if (pr_image_load(path, params, &img, &info) != PR_OK) {
        /* The loader's message already names the file. */
        fprintf(stderr, "personrec info: %s\n", pr_last_error());
        return 1;
    }
    if (json)
        print_json(path, img, &info);
    else
        print_text(path, img, &info);
    int failed = 0;
    if (rgb_path && save_rgb(rgb_path, img) != PR_OK) {
        fprintf(stderr, "personrec info: %s\n", pr_last_error());
        failed = 1;
    }
    pr_image_delete(img);
    return failed;
}

/* Returns 0 when the arguments make sense, else the usage error's exit status. */
static int check_arguments(int n, double max_mp, const char *rgb_path)
{
    if (n == 0)
        return pr_cli_usage_error(&pr_cmd_info, "missing IMAGE");
    if (max_mp <= 0 || max_mp > 100000)
        return pr_cli_usage_error(&pr_cmd_info, "--max-megapixels must be in (0, 100000]");
    if (rgb_path && n != 1)
        return pr_cli_usage_error(&pr_cmd_info, "--rgb takes exactly one IMAGE");
    if (rgb_path && !has_ppm_extension(rgb_path))
        return pr_cli_usage_error(&pr_cmd_info, "--rgb needs a file name ending in .ppm");
    return 0;
}

/* `--rgb photo.ppm photo.ppm` replaced the photo by its decoded copy (the same pixels, but an
 * original's comments and maxval gone). */
static int check_not_input(char **argv, const char *rgb_path)
{
    if (rgb_path && pr_cli_same_file(rgb_path, argv[1]))
        return pr_cli_usage_error(&pr_cmd_info, "--rgb OUT is IMAGE itself; name another file");
    return 0;
}

/* Lists the images named by argv[1..n]; returns how many arguments do not exist and how many
 * sub-folders or links in them could not be read (each is reported on stderr). */
static int list_arguments(char **argv, int n, pr_file_list *files)
{
    int unlisted = 0;
    for (int i = 1; i <= n; i++) {
        if (pr_list_images(argv[i], files) != PR_OK) {
            fprintf(stderr, "personrec info: %s\n", pr_last_error());
            unlisted++;
        }
    }
    for (size_t i = 0; i < files->nfailed; i++)
        fprintf(stderr, "personrec info: %s\n", files->failed[i]);
    return unlisted + (int)files->nfailed;
}

static int run(int argc, char **argv)
{
    int json = 0;
    double max_mp = 100;
    const char *rgb_path = NULL;
    const pr_option opts[] = {
        {"json", PR_OPT_FLAG, &json},
        {"max-megapixels", PR_OPT_DOUBLE, &max_mp},
        {"rgb", PR_OPT_STRING, &rgb_path},
        {NULL, PR_OPT_FLAG, NULL},
    };
    int n = 0;
    int rc = pr_cli_parse(&pr_cmd_info, argc, argv, opts, &n);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if ((rc = check_arguments(n, max_mp, rgb_path)) != 0 ||
        (rc = check_not_input(argv, rgb_path)) != 0)
        return rc;

    pr_image_load_params params = pr_image_load_params_default();
    params.max_pixels = (uint64_t)(max_mp * 1e6);
    pr_file_list files = {0};
    int unlisted = list_arguments(argv, n, &files);
    /* A folder given with --rgb could list several images for one output file. */
    if (rgb_path && files.count > 1) {
        pr_file_list_clear(&files);
        return pr_cli_usage_error(&pr_cmd_info, "--rgb takes exactly one IMAGE, not a folder");
    }
    int failed = unlisted;
    for (size_t i = 0; i < files.count; i++)
        failed += process(files.paths[i], &params, json, rgb_path);
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
