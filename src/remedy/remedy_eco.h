/* remedy_eco: private helpers shared by the ecosystem part of src/remedy
 * (mechanisms, referrals, statistics, time-limit checks). Connections and
 * transactions of the service's store, the audit entry, and sealing/opening
 * a case field under the case key (through the service's key model).
 */
#ifndef HRDD_REMEDY_ECO_H
#define HRDD_REMEDY_ECO_H

#include "remedy/remedy.h"

int eco_acquire(rmd_service *svc, store_conn **c);
void eco_release(rmd_service *svc, store_conn *c);
int eco_begin(rmd_service *svc, store_conn **c);              /* acquire + begin */
int eco_finish(rmd_service *svc, store_conn *c, int rc);      /* commit (rc OK) or roll back; release */

/* Audit entry (digests may be NULL). actor NULL = "system". */
int eco_audit(store_conn *c, core_arena *a, int64_t org_id, const char *actor, int64_t now,
              const char *object_type, const char *object_id, const char *action,
              const char *before_digest, const char *after_digest);
/* BLAKE2b hex of the JSON of m (sorted keys), in a; NULL for NULL. */
const char *eco_digest_mech(const store_mechanism *m, core_arena *a);
const char *eco_digest_json(json_t *v, core_arena *a);

/* A case field under the case's key (associated data "case:<reference>:<field>"). */
int eco_seal(rmd_service *svc, store_conn *c, core_arena *a, const store_grievance *g,
             const char *field, const char *text, char **out_b64);
int eco_open(rmd_service *svc, store_conn *c, core_arena *a, const store_grievance *g,
             const char *field, const char *b64, char **out);

#endif
