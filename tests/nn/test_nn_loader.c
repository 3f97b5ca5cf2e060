/* The tfjs weights loader on the real face-api files and on broken copies of them: a missing,
 * truncated or altered file is a clear error naming the file. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include "core/alloc.h"
#include "core/sha256.h"
#include "nn/faceapi.h"
#include "nn/tfjs.h"
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

    /* Hand-written manifests (no hashes asked): malformed ones are format errors. */
    static const char *bad[] = {
        "[{\"paths\": [\"t.bin\"], \"weights\": [",                       /* not JSON */
        "{\"paths\": [\"t.bin\"]}",                                         /* not a list */
        "[{\"paths\": [\"../t.bin\"], \"weights\": [{\"name\": \"a\", \"shape\": [1]}]}]",
        "[{\"paths\": [\"t.bin\"], \"weights\": [{\"name\": \"a\", \"shape\": [1048576, "
        "1048576, 1048576]}]}]",                                          /* overflow */
        "[{\"paths\": [\"t.bin\"], \"weights\": [{\"name\": \"a\", \"shape\": [2], "
        "\"quantization\": {\"dtype\": \"uint16\", \"scale\": 1, \"min\": 0}}]}]",
        "[{\"paths\": [\"t.bin\"], \"weights\": [{\"name\": \"a\", \"shape\": [3]}]}]", /* bin short */
    };
    char mpath[4400], bpath[4400];
    snprintf(mpath, sizeof mpath, "%s/t-weights_manifest.json", dir);
    snprintf(bpath, sizeof bpath, "%s/t.bin", dir);
    FILE *bf = fopen(bpath, "wb");
    PR_CHECK(bf && fwrite("\1\2\3\4\5\6\7\10", 1, 8, bf) == 8);
    if (bf)
        fclose(bf);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        FILE *mf = fopen(mpath, "wb");
        PR_CHECK(mf && fputs(bad[i], mf) >= 0);
        if (mf)
            fclose(mf);
        pr_nn_weights *w = NULL;
        PR_CHECK_EQ_INT(pr_nn_weights_load(dir, "t", NULL, NULL, &w), PR_ERR_FORMAT);
        PR_CHECK(w == NULL);
    }
    /* A good one: uint8 dequantised as q*scale + min, float32 little-endian. */
    FILE *mf = fopen(mpath, "wb");
    PR_CHECK(mf && fputs("[{\"paths\": [\"t.bin\"], \"weights\": [{\"name\": \"q\", \"shape\": "
                         "[2, 2], \"quantization\": {\"dtype\": \"uint8\", \"scale\": 0.5, "
                         "\"min\": -1}}, {\"name\": \"f\", \"shape\": [1]}]}]", mf) >= 0);
    if (mf)
        fclose(mf);
    pr_nn_weights *w = NULL;
    PR_CHECK_OK(pr_nn_weights_load(dir, "t", NULL, NULL, &w));
    if (w) {
        const float *q, *f;
        int s22[2] = {2, 2}, s1[1] = {1}, s4[1] = {4};
        PR_CHECK_OK(pr_nn_weights_get(w, "q", 2, s22, &q));
        PR_CHECK_NEAR(q[0], 1 * 0.5 - 1, 1e-7);
        PR_CHECK_NEAR(q[3], 4 * 0.5 - 1, 1e-7);
        PR_CHECK_EQ_INT(pr_nn_weights_check_all_used(w), PR_ERR_FORMAT); /* f not asked for */
        PR_CHECK_EQ_INT(pr_nn_weights_get(w, "f", 1, s4, &f), PR_ERR_FORMAT); /* wrong shape */
        PR_CHECK_OK(pr_nn_weights_get(w, "f", 1, s1, &f));
        uint32_t u = 0x08070605u;
        float expect;
        memcpy(&expect, &u, sizeof expect);
        PR_CHECK(f[0] == expect);
        PR_CHECK_OK(pr_nn_weights_check_all_used(w));
        pr_nn_weights_delete(w);
    }
    unlink(mpath);
    unlink(bpath);

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
