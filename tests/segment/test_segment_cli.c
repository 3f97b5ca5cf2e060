/* `personrec segment` end to end: a two-colour PPM gives 2 segments in --json, a 16-bit label PNG
 * that loads back with the same partition, an overlay; bad options exit 2, a missing file 1. */
#define _POSIX_C_SOURCE 200809L

#include "core/image.h"
#include "core/labels.h"
#include "tests/test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static int run(const char *args, char *out, size_t size)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s/personrec %s 2>/dev/null", PR_BINARY_DIR, args);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t n = fread(out, 1, size - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(void)
{
    pr_image *img = NULL;
    PR_CHECK_OK(pr_image_new(40, 30, 3, &img));
    for (int y = 0; y < 30; y++)
        for (int x = 0; x < 40; x++)
            pr_image_row(img, y)[3 * x + (x < 20 ? 0 : 2)] = 255;
    PR_CHECK_OK(pr_image_save("seg_cli_in.ppm", img));
    char out[4096];
    PR_CHECK_EQ_INT(run("segment --sigma 0 --json --labels seg_cli_labels.png --overlay seg_cli_overlay.png "
                        "seg_cli_in.ppm", out, sizeof out), 0);
    PR_CHECK(strstr(out, "\"segments\":2") != NULL);
    PR_CHECK(strstr(out, "\"width\":40,\"height\":30") != NULL);
    PR_CHECK(strstr(out, "\"device\":\"cpu\",\"mode\":\"exact\"") != NULL);
    pr_labels *l = NULL;
    PR_CHECK_OK(pr_labels_load("seg_cli_labels.png", &l));
    PR_CHECK(l && l->data[0] == 0 && l->data[39] == 1 && l->data[29 * 40 + 19] == 0);
    pr_image *ov = NULL;
    PR_CHECK_OK(pr_image_load("seg_cli_overlay.png", NULL, &ov, NULL));
    PR_CHECK(ov && ov->width == 40 && ov->height == 30);
    PR_CHECK_EQ_INT(run("segment --k -1 seg_cli_in.ppm", out, sizeof out), 2);
    PR_CHECK_EQ_INT(run("segment --labels x.txt seg_cli_in.ppm", out, sizeof out), 2);
    PR_CHECK_EQ_INT(run("segment no_such_file.jpg", out, sizeof out), 1);
    /* `personrec body` (built only with detect/): a given face box gets a mask below it. */
    if (run("body --help", out, sizeof out) == 0) {
        PR_CHECK_EQ_INT(run("body --faces 15,2,10,8 --json --overlay seg_cli_body.png seg_cli_in.ppm",
                            out, sizeof out), 0);
        PR_CHECK(strstr(out, "\"mask_area\":") != NULL && strstr(out, "\"mask_area\":0,") == NULL);
        PR_CHECK_EQ_INT(run("body --faces 1,2,3 seg_cli_in.ppm", out, sizeof out), 2);
    }
    pr_labels_delete(l);
    pr_image_delete(ov);
    pr_image_delete(img);
    return pr_test_finish();
}
