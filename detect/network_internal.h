/* The SSD network inside a pr_detector (detect/network.c); absent without nn/. */
#ifndef PR_DETECT_NETWORK_INTERNAL_H
#define PR_DETECT_NETWORK_INTERNAL_H

#include "detect/detect.h"

typedef struct pr_net_detector pr_net_detector;

/* PR_ERR_UNSUPPORTED in a build without nn/; the model errors of pr_ssd_new otherwise. */
pr_status pr_net_detector_new(const pr_detector_params *params, pr_net_detector **out);
void pr_net_detector_delete(pr_net_detector *net); /* accepts NULL */
/* Network faces scoring >= min_score (>= the one given to new), boxes as Haar squares clipped to
 * the photo, net_score set, score = 100 x net_score, votes 0, cascades_mask 0; appended to out. */
pr_status pr_net_detector_run(pr_net_detector *net, const pr_image *image, double min_score,
                              pr_faces *out);

#endif
