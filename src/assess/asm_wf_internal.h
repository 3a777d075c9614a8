/* asm_wf_internal: what the workflow files of src/assess share (assess-app
 * part; private to the module).
 */
#ifndef HRDD_ASM_WF_INTERNAL_H
#define HRDD_ASM_WF_INTERNAL_H

#include "assess/assess.h"

void asm_wf_seterr(asm_wf_error *err, const char *field, const char *key, const char *reason);
int asm_wf_allowed(const asm_actor *ac, core_perm perm);
int asm_wf_conn(store *st, store_conn **c);
/* One audit entry (no content) in c's transaction. */
int asm_wf_audit(store_conn *c, core_arena *a, const asm_actor *ac, const char *type, int64_t id,
                 const char *action);
/* Commits when rc is CORE_OK (else rolls back) and releases c; the final status. */
int asm_wf_finish(store *st, store_conn *c, int rc);
int asm_wf_text_ok(const char *s, size_t min, size_t max);
int asm_wf_level_ok(const asm_methodology *m, const asm_subject *s, const char *level);
/* Checks then stores answers of s in c's open transaction. */
int asm_wf_answers_store(store_conn *c, core_arena *a, const asm_actor *ac, const store_as_assessment *s,
                         const asm_methodology *m, const asm_wf_answer *in, size_t n, int64_t answered_by,
                         asm_wf_error *err);

/* Scores a stored assessment of entity e with methodology m (answers out optional). */
int asm_wf_score_stored(store_conn *c, core_arena *a, int64_t org_id, const store_as_assessment *s,
                        const store_as_entity *e, const asm_methodology *m, store_as_answer **ans_out,
                        size_t *nans_out, asm_score *out);

#endif
