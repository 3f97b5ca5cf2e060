/* Internal to pr_cluster: the Hungarian method of assign.c, shared with the co-occurrence
 * refinement. r rows <= c columns; cost is r x c row-major; rowcol[i] receives the column of row
 * i. u has r + 1 entries; v, minv, p, way and used have c + 1 (caller's scratch). */
#ifndef PR_CLUSTER_HUNGARIAN_H
#define PR_CLUSTER_HUNGARIAN_H

#ifdef __cplusplus
extern "C" {
#endif

void pr_hungarian_(const double *cost, int r, int c, int *rowcol, double *u, double *v,
                   double *minv, int *p, int *way, unsigned char *used);

#ifdef __cplusplus
}
#endif
#endif
