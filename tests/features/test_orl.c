/* Eigenfaces on AT&T/ORL: train on the first 5 images of each of the 40 people (file order), 1-NN
 * on the other 5. Turk & Pentland style eigenfaces reach about 0.90-0.95 here; the bar is
 * 0.90. Measured: 0.910 (40 components, no equalisation, cosine). */
#include "features/eigenfaces.h"

#include "core/alloc.h"
#include "tests/test.h"

int main(void)
{
    const char *dir = pr_test_data_dir("att_orl");
    pr_eigenfaces_params p = pr_eigenfaces_params_default();
    /* The measured best setting (thesis/results/features.md): ORL's lighting is even, so
     * equalisation only amplifies noise; cosine distance in face space. */
    p.components = 40;
    p.equalize = 0;
    int dim = p.width * p.height;
    float *train = (float *)pr_malloc(sizeof(float) * 200 * dim);
    float *test = (float *)pr_malloc(sizeof(float) * 200 * dim);
    int ntr = 0, nte = 0, labels_tr[200], labels_te[200];
    for (int s = 1; s <= 40; s++)
        for (int k = 1; k <= 10; k++) {
            char path[4200];
            snprintf(path, sizeof path, "%s/s%d/%d.pgm", dir, s, k);
            pr_image *img = NULL;
            pr_status st = pr_image_load(path, NULL, &img, NULL);
            PR_CHECK_OK(st);
            if (st != PR_OK)
                continue;
            float *row = k <= 5 ? train + (size_t)ntr * dim : test + (size_t)nte * dim;
            PR_CHECK_OK(pr_eigenfaces_preprocess(img, NULL, &p, row));
            if (k <= 5)
                labels_tr[ntr++] = s;
            else
                labels_te[nte++] = s;
            pr_image_delete(img);
        }
    PR_CHECK_EQ_INT(ntr, 200);
    PR_CHECK_EQ_INT(nte, 200);
    pr_eigenfaces *m = NULL;
    PR_CHECK_OK(pr_eigenfaces_train(&p, train, ntr, dim, &m));
    if (m && ntr == 200 && nte == 200) {
        int k = pr_eigenfaces_components(m);
        float *ctr = (float *)pr_malloc(sizeof(float) * 200 * k), c[200];
        for (int i = 0; i < ntr; i++)
            pr_eigenfaces_project(m, train + (size_t)i * dim, ctr + (size_t)i * k);
        int correct = 0;
        for (int i = 0; i < nte; i++) {
            pr_eigenfaces_project(m, test + (size_t)i * dim, c);
            int best = -1;
            double bd = 1e300;
            for (int j = 0; j < ntr; j++) {
                double d = pr_eigenfaces_distance_cos(c, ctr + (size_t)j * k, 0, k);
                if (d < bd) {
                    bd = d;
                    best = j;
                }
            }
            correct += labels_tr[best] == labels_te[i];
        }
        double rate = correct / 200.0;
        fprintf(stderr, "ORL 5/5, %d components, cosine 1-NN: recognition rate %.3f\n", k, rate);
        PR_CHECK_MSG(rate >= 0.90, "recognition rate %.3f", rate);
        pr_free(ctr);
    }
    pr_eigenfaces_delete(m);
    pr_free(train);
    pr_free(test);
    return pr_test_finish();
}
