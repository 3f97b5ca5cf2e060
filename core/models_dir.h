/* The one search for the models folder (ARCHITECTURE.md, "Models are files"), for every net that
 * loads model files (the face nets in features/, the SSD detector in detect/):
 *
 *     char dir[4096];
 *     if (pr_models_find(params->models_dir, "face_recognition_model.bin", fallback, dir,
 *                        sizeof dir) == PR_OK)
 *         ... load from dir ...
 *
 * It sits in core/ because detect/ comes before features/ in the module order. */
#ifndef PR_CORE_MODELS_DIR_H
#define PR_CORE_MODELS_DIR_H

#include "core/status.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Into out: given (--models) when set, else $PERSONREC_MODELS when set, both as they are (loading
 * then says what is missing); else the first of <exe dir>/models, <exe dir>/../share/personrec/
 * models and fallback (the source tree's models, or NULL) that holds the file `marker`.
 * PR_ERR_IO naming marker when none does, PR_ERR_LIMIT when the folder's path does not fit. */
pr_status pr_models_find(const char *given, const char *marker, const char *fallback, char *out,
                         size_t size);

#ifdef __cplusplus
}
#endif
#endif
