/* reg_import.h: what the two halves of the register import share (never
 * included outside src/register): the parsed document and the error and
 * warning collectors. reg_import.c reads and checks a document (phase 1,
 * no database); reg_import_store.c stores it (phase 2) and holds the entry
 * points reg_import_json / reg_import_text. */
#ifndef HRDD_REG_IMPORT_H
#define HRDD_REG_IMPORT_H

#include "register/reg_internal.h"

enum { A_POL = 0, A_SC, A_IMP, A_AS, A_AC, A_IND, A_SH, A_EN, A_LN, A__COUNT };
typedef struct reg_imp_ctx {
    core_arena *a;
    reg_sink *errs;
    reg_sink *warns;
    int64_t today;
    int nomem;
} reg_imp_ctx;

/* ---- the parsed document ---- */

typedef struct reg_imp_policy {
    store_dd_policy p;
    const char *created_by, *approved_by;    /* e-mails */
    store_dd_policy_comm *comms;
    size_t ncomms;
    store_dd_policy_link *links;
    size_t nlinks;
} reg_imp_policy;
typedef struct reg_imp_scope {
    store_dd_scope s;
    const char *product;
    size_t parent;
} reg_imp_scope;
typedef struct reg_imp_impact {
    store_dd_impact i;
    size_t scope;
    const char *created_by;
} reg_imp_impact;
typedef struct reg_imp_assess {
    store_dd_assessment x;
    size_t scope, impact;
    const char *approved_by;
    size_t *findings;
    size_t nfindings;
    int due_given;
} reg_imp_assess;
typedef struct reg_imp_action {
    store_dd_action x;
    size_t impact;
    const char *owner;
} reg_imp_action;
typedef struct reg_imp_ind {
    store_dd_indicator x;
    size_t impact, action;
    store_dd_measure *ms;
    size_t nms;
} reg_imp_ind;
typedef struct reg_imp_eng {
    store_dd_engagement x;
    size_t stakeholder;
    size_t *impacts;
    size_t nimpacts;
} reg_imp_eng;
typedef struct reg_imp_link {
    size_t impact;
    const char *reference;
    const char *linked_by;
    int64_t linked_at;
} reg_imp_link;

typedef struct reg_imp_doc {
    reg_imp_policy *pol;
    reg_imp_scope *sc;
    reg_imp_impact *imp;
    reg_imp_assess *as;
    reg_imp_action *ac;
    reg_imp_ind *ind;
    store_dd_stakeholder *sh;
    reg_imp_eng *en;
    reg_imp_link *ln;
    size_t n[A__COUNT];
} reg_imp_doc;

/* Errors and warnings with their JSON path; out of memory sets c->nomem. */
void reg_imp_err(reg_imp_ctx *c, const char *path, const char *key, const char *detail);
void reg_imp_warn(reg_imp_ctx *c, const char *path, const char *key, const char *detail);
/* "<base>/<key>" in the arena ("" when out of memory). */
const char *reg_imp_path(reg_imp_ctx *c, const char *base, const char *key);
/* n records (at least one slot), zeroed; NULL (nomem set) when out of memory. */
void *reg_imp_alloc(reg_imp_ctx *c, size_t n, size_t size);
/* Phase 1: reads and checks doc into d. CORE_OK, CORE_INVALID (c->errs holds
 * every error) or CORE_NOMEM. */
int reg_imp_read(reg_imp_ctx *c, json_t *doc, reg_imp_doc *d);

#endif
