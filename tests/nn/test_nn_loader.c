/* The tfjs weights loader on the real face-api files and on broken copies of them: a missing,
 * truncated or altered file is a clear error naming the file. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include "core/alloc.h"
#include "core/sha256.h"
#include "nn/faceapi.h"
#include "tests/nn/models.h"
#include "tests/test.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *stems[2] = {"face_landmark_68_model", "face_recognition_model"};

static void copy_file(const char *from, const char *to, long keep, long flip)
{
    uint8_t *bytes;
    size_t size;
    PR_CHECK_OK(pr_read_file(from, 0, &bytes, &size));
    if (keep >= 0 && (size_t)keep < size)
        size = (size_t)keep;
    if (flip >= 0 && (size_t)flip < size)
        bytes[flip] ^= 1;
    FILE *f = fopen(to, "wb");
    PR_CHECK(f != NULL);
    if (f) {
        PR_CHECK(fwrite(bytes, 1, size, f) == size);
        fclose(f);
    }
    pr_free(bytes);
}

/* Copies both nets' files from src to dir; `which` file (0..3) altered by keep/flip. */
static void populate(const char *src, const char *dir, int which, long keep, long flip)
{
    for (int i = 0; i < 4; i++) {
        char from[4400], to[4400];
        const char *suffix = i % 2 ? ".bin" : "-weights_manifest.json";
        snprintf(from, sizeof from, "%s/%s%s", src, stems[i / 2], suffix);
        snprintf(to, sizeof to, "%s/%s%s", dir, stems[i / 2], suffix);
        if (i == which && keep == -2)
            unlink(to); /* missing */
        else
            copy_file(from, to, i == which ? keep : -1, i == which ? flip : -1);
    }
}

static pr_status load_both(const char *dir)
{
    pr_nn_plan *a = NULL, *b = NULL;
    pr_status st = pr_faceapi_landmark_net(dir, &a);
    if (st == PR_OK)
        st = pr_faceapi_recognition_net(dir, &b);
    pr_nn_plan_delete(a);
    pr_nn_plan_delete(b);
    return st;
}

static void expect_error(const char *dir, pr_status code, const char *file, const char *what)
{
    pr_status st = load_both(dir);
    PR_CHECK_EQ_INT(st, code);
    PR_CHECK_MSG(strstr(pr_last_error(), file) != NULL, "message '%s' lacks '%s'", pr_last_error(),
                 file);
    PR_CHECK_MSG(strstr(pr_last_error(), what) != NULL, "message '%s' lacks '%s'", pr_last_error(),
                 what);
}

int main(void)
{
    const char *src = pr_test_models_dir();
    pr_nn_plan *lm, *rec;
    PR_CHECK_OK(pr_faceapi_landmark_net(src, &lm));
    PR_CHECK_OK(pr_faceapi_recognition_net(src, &rec));
    /* ARCH.md: 270.9 M multiply-adds for the recognition net, 51.6 M for the landmark net. */
    PR_CHECK_NEAR(pr_nn_plan_macs(rec) / 1e6, 270.9, 0.5);
    PR_CHECK_NEAR(pr_nn_plan_macs(lm) / 1e6, 51.6, 0.5);
    PR_CHECK_EQ_INT(rec->values[rec->output].c, 128);
    PR_CHECK_EQ_INT(lm->values[lm->output].c, 136);
    pr_nn_plan_delete(lm);
    pr_nn_plan_delete(rec);

    char dir[] = "/tmp/pr_nn_loader_XXXXXX";
    PR_CHECK(mkdtemp(dir) != NULL);
    expect_error(dir, PR_ERR_IO, "face_landmark_68_model-weights_manifest.json", "install-deps");
    populate(src, dir, 3, -2, -1);
    expect_error(dir, PR_ERR_IO, "face_recognition_model.bin", "missing");
    populate(src, dir, 1, 1000, -1);
    expect_error(dir, PR_ERR_FORMAT, "face_landmark_68_model.bin", "truncated");
    populate(src, dir, 3, -1, 123456);
    expect_error(dir, PR_ERR_FORMAT, "face_recognition_model.bin", "sha256");
    populate(src, dir, 2, -1, 500);
    expect_error(dir, PR_ERR_FORMAT, "face_recognition_model-weights_manifest.json", "sha256");
    populate(src, dir, -1, -1, -1);
    PR_CHECK_OK(load_both(dir));

    char hex[65];
    pr_sha256_hex("abc", 3, hex);
    PR_CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    for (int i = 0; i < 4; i++) {
        char p[4400];
        snprintf(p, sizeof p, "%s/%s%s", dir, stems[i / 2], i % 2 ? ".bin" : "-weights_manifest.json");
        unlink(p);
    }
    rmdir(dir);
    return pr_test_finish();
}
