/* personrec cluster on the shared album with the truth boxes (data test): every labelled face comes
 * out once, with a person and a confidence in [0, 1], no two faces of one photo share a person, and
 * a second run from the saved features gives the same CSV. */
#define _POSIX_C_SOURCE 200809L
#include "tests/test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define MAXROWS 4096

static int read_csv(const char *path, char (*image)[512], char (*person)[128], double *conf)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[2048];
    int n = 0;
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        return -1;
    }
    while (n < MAXROWS && fgets(line, sizeof line, f)) {
        /* image,x,y,w,h,person,confidence (the album's paths hold no commas) */
        char *field[7];
        int nf = 0;
        for (char *tok = strtok(line, ",\n"); tok && nf < 7; tok = strtok(NULL, ",\n"))
            field[nf++] = tok;
        if (nf != 7)
            break;
        snprintf(image[n], 512, "%s", field[0]);
        snprintf(person[n], 128, "%s", field[5]);
        conf[n] = atof(field[6]);
        n++;
    }
    fclose(f);
    return n;
}

int main(void)
{
    const char *album = pr_test_data_dir("album");
    char cmd[16384];
    snprintf(cmd, sizeof cmd,
             "\"%s/personrec\" cluster --album \"%s\" --labels \"%s/truth.csv\" --threads 2 "
             "--save-features cli_album.prf --out cli_album.csv",
             PR_BINARY_DIR, album, album);
    PR_CHECK_EQ_INT(system(cmd), 0);
    static char image[MAXROWS][512], person[MAXROWS][128];
    static double conf[MAXROWS];
    int n = read_csv("cli_album.csv", image, person, conf);
    /* truth.csv: one row per labelled face */
    FILE *t = NULL;
    snprintf(cmd, sizeof cmd, "%s/truth.csv", album);
    t = fopen(cmd, "r");
    int truth_rows = -1;
    if (t) {
        char line[2048];
        while (fgets(line, sizeof line, t))
            truth_rows++;
        fclose(t);
    }
    PR_CHECK(n > 0);
    PR_CHECK_EQ_INT(n, truth_rows);
    int violations = 0, bad_conf = 0;
    for (int i = 0; i < n; i++) {
        bad_conf += !(conf[i] >= 0 && conf[i] <= 1);
        for (int j = i + 1; j < n; j++)
            violations += !strcmp(image[i], image[j]) && !strcmp(person[i], person[j]);
    }
    PR_CHECK_EQ_INT(violations, 0);
    PR_CHECK_EQ_INT(bad_conf, 0);

    snprintf(cmd, sizeof cmd,
             "\"%s/personrec\" cluster --features cli_album.prf --threads 2 --out cli_album2.csv",
             PR_BINARY_DIR);
    PR_CHECK_EQ_INT(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "cmp -s cli_album.csv cli_album2.csv");
    PR_CHECK_EQ_INT(system(cmd), 0);

    /* Usage errors exit 2. */
    snprintf(cmd, sizeof cmd, "\"%s/personrec\" cluster --k 0 --features x 2>/dev/null",
             PR_BINARY_DIR);
    int rc = system(cmd);
    PR_CHECK(rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 2);
    return pr_test_finish();
}
