/* store_as: the storage interface of the assessment engine: methodologies,
 * entities, assessments, answers (issue 6); part of the store module's
 * interface (included by store.h, never on its own).
 *
 * Every record belongs to one organisation and every call is scoped by
 * org_id (a record of another organisation is CORE_NOTFOUND). A methodology
 * row is one version of a methodology (slug + version unique per org) with
 * its YAML source; src/assess parses it. An entity is what gets assessed
 * (company, grievance mechanism, regulatory proposal, supplier); kind-specific
 * attributes (company kind, operating company, services) are a JSON text.
 * An assessment is one entity against one methodology version for a period;
 * its status moves answered -> reviewed -> final, and the reviewer and the
 * finaliser must be two different people (the service checks it, and the
 * database refuses equal ids). Answers are unique per (assessment, element,
 * level). created_at / updated_at are Unix seconds (sdb_now).
 *
 * create: sets id and created_at (and updated_at); CORE_CONFLICT on a
 * unique key. update / delete: by (org_id, id), CORE_NOTFOUND when no row
 * changed.
 */
#ifndef HRDD_STORE_AS_H
#define HRDD_STORE_AS_H

/* ---- methodology versions ---- */
typedef struct store_as_methodology {
    int64_t id;
    int64_t org_id;
    const char *slug;                /* "rdr-2020", "ungp31" */
    const char *version;             /* "2020.1" */
    const char *name;
    const char *source_format;       /* "yaml" */
    const char *source;              /* the YAML text (list calls leave it NULL) */
    int64_t created_at;
} store_as_methodology;

int store_as_methodology_create(store_conn *c, store_as_methodology *m);   /* CORE_CONFLICT on (org, slug, version) */
int store_as_methodology_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id,
                             store_as_methodology *out);
/* version NULL: the newest (highest id) version of slug. */
int store_as_methodology_find(store_conn *c, core_arena *a, int64_t org_id, const char *slug,
                              const char *version, store_as_methodology *out);
int store_as_methodology_list(store_conn *c, core_arena *a, int64_t org_id,
                              store_as_methodology **out, size_t *n);      /* by slug, id; source NULL */

/* ---- assessed entities ---- */
typedef struct store_as_entity {
    int64_t id;
    int64_t org_id;
    const char *kind;                /* "company", "mechanism", "proposal", "supplier" */
    const char *slug;                /* unique per org: "Alibaba", "kestrel-mechanism" */
    const char *name;
    const char *attributes;          /* JSON object text: {"subkind": "telecom", "opcom": true,
                                      * "services": [{"name": "...", "kind": "..."}], ...}; "{}" when none */
    int64_t created_at;
    int64_t updated_at;
} store_as_entity;

int store_as_entity_create(store_conn *c, store_as_entity *e);             /* CORE_CONFLICT on (org, slug) */
int store_as_entity_update(store_conn *c, store_as_entity *e);             /* name, kind, attributes */
int store_as_entity_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id, store_as_entity *out);
int store_as_entity_get_by_slug(store_conn *c, core_arena *a, int64_t org_id, const char *slug,
                                store_as_entity *out);
/* kind NULL: every kind. By name, id. */
int store_as_entity_list(store_conn *c, core_arena *a, int64_t org_id, const char *kind,
                         store_as_entity **out, size_t *n);

/* ---- assessments ---- */
typedef struct store_as_assessment {
    int64_t id;
    int64_t org_id;
    int64_t entity_id;
    int64_t methodology_id;          /* one methodology version */
    const char *period;              /* "2020", "2026-Q1" */
    const char *status;              /* "answered", "reviewed", "final" */
    const char *summary;             /* may be NULL */
    int64_t created_by;              /* user id, 0 = CLI/import */
    int64_t reviewed_by;             /* 0 until reviewed */
    int64_t reviewed_at;
    int64_t finalised_by;            /* 0 until final; never equal to reviewed_by */
    int64_t finalised_at;
    int64_t created_at;
    int64_t updated_at;
} store_as_assessment;

int store_as_assessment_create(store_conn *c, store_as_assessment *s);    /* CORE_CONFLICT on (entity, methodology, period) */
int store_as_assessment_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id,
                            store_as_assessment *out);
/* entity_id / methodology_id 0: any. By entity, period, id. */
int store_as_assessment_list(store_conn *c, core_arena *a, int64_t org_id, int64_t entity_id,
                             int64_t methodology_id, store_as_assessment **out, size_t *n);
/* Moves status from `from` to `to`, recording user_id as reviewer (to =
 * "reviewed") or finaliser (to = "final") at now; "answered" clears both.
 * CORE_CONFLICT when the current status is not `from` or when the finaliser
 * would equal the reviewer; CORE_NOTFOUND when not in org. */
int store_as_assessment_set_status(store_conn *c, int64_t org_id, int64_t id, const char *from,
                                   const char *to, int64_t user_id, int64_t now);
int store_as_assessment_set_summary(store_conn *c, int64_t org_id, int64_t id, const char *summary);
int store_as_assessment_delete(store_conn *c, int64_t org_id, int64_t id); /* with its answers */

/* ---- answers ---- */
typedef struct store_as_answer {
    int64_t id;
    int64_t org_id;
    int64_t assessment_id;
    const char *element;             /* element id of the methodology */
    const char *level;               /* "group", "opcom" or a service name */
    const char *value;               /* choice key */
    const char *evidence_url;        /* may be NULL */
    const char *evidence_quote;      /* may be NULL */
    const char *evidence_document;   /* may be NULL (a document name or reference) */
    const char *note;                /* researcher's note, may be NULL */
    int64_t answered_by;             /* user id, 0 = CLI/import/automatic */
    int64_t updated_at;
} store_as_answer;

/* Insert or replace on (assessment, element, level); sets id and updated_at. */
int store_as_answer_put(store_conn *c, store_as_answer *w);
int store_as_answer_delete(store_conn *c, int64_t org_id, int64_t assessment_id, const char *element,
                           const char *level);                            /* CORE_NOTFOUND if none */
/* By element, level. Evidence and note included. */
int store_as_answer_list(store_conn *c, core_arena *a, int64_t org_id, int64_t assessment_id,
                         store_as_answer **out, size_t *n);

#endif
