/* rmd_view: store rows -> the service's views, decrypting on the way.
 *
 * The public view of a timeline drops internal events entirely and every
 * staff identity (user id, name); staff views keep both. A field that fails
 * to decrypt (tampered row) makes the whole call fail with CORE_CORRUPT
 * rather than show a partial case.
 */
#include <string.h>

#include "remedy/rmd_internal.h"

static int clock_kind_of(const char *name)
{
    for (int i = 0; i < GRV_CLOCK__COUNT; i++)
        if (name && strcmp(name, grv_clock_name((grv_clock_kind)i)) == 0)
            return i;
    return -1;
}

void rmd_clock_views(const store_grievance_clock *rows, size_t n, int64_t now, int due_soon_days,
                     rmd_clock_view out[GRV_CLOCK__COUNT], size_t *nout)
{
    *nout = 0;
    for (size_t i = 0; i < n && *nout < GRV_CLOCK__COUNT; i++) {
        if (clock_kind_of(rows[i].kind) < 0)
            continue;
        rmd_clock_view *v = &out[(*nout)++];
        rmd_clock_from_row(&rows[i], &v->clock);
        v->status = grv_clock_eval(&v->clock, now, due_soon_days);
        v->name = grv_clock_name(v->clock.kind);
    }
}

static int state_or_minus(const char *s)
{
    grv_state st;
    return (s && grv_state_parse(s, &st) == CORE_OK) ? (int)st : -1;
}

int rmd_events_view(const unsigned char key[32], const store_grievance *g,
                    const store_grievance_event *rows, size_t n, int public_view, core_arena *a,
                    rmd_event **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    if (n == 0)
        return CORE_OK;
    rmd_event *v = core_arena_alloc(a, n * sizeof *v);
    if (!v)
        return CORE_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const store_grievance_event *r = &rows[i];
        if (public_view && r->internal)
            continue;
        rmd_event *e = &v[k];
        memset(e, 0, sizeof *e);
        e->id = r->id;
        e->at = r->at;
        e->kind = r->kind;
        e->action = r->action;
        e->from_state = state_or_minus(r->from_state);
        e->to_state = state_or_minus(r->to_state);
        e->actor_kind = strcmp(r->actor_kind, "staff") == 0 ? GRV_BY_STAFF
                      : strcmp(r->actor_kind, "complainant") == 0 ? GRV_BY_COMPLAINANT
                                                                  : GRV_BY_SYSTEM;
        e->actor_user_id = public_view ? 0 : r->actor_user_id;
        e->actor_name = public_view ? NULL : r->actor_name;
        e->visibility = r->internal ? RMD_VIS_INTERNAL : RMD_VIS_PUBLIC;
        e->public_key = r->public_key;
        e->attachment_id = r->attachment_id;
        char field[48];
        snprintf(field, sizeof field, "event:%s", r->kind);
        char *body = NULL;
        int rc = rmd_unseal(key, g->reference, field, r->enc_body, a, &body, NULL);
        if (rc != CORE_OK)
            return rc;
        e->body = body;
        k++;
    }
    *out = v;
    *nout = k;
    return CORE_OK;
}

static rmd_remedy_state remedy_state_of(const char *s)
{
    if (s && strcmp(s, "accepted") == 0)
        return RMD_REMEDY_ACCEPTED;
    if (s && strcmp(s, "rejected") == 0)
        return RMD_REMEDY_REJECTED;
    if (s && strcmp(s, "implemented") == 0)
        return RMD_REMEDY_IMPLEMENTED;
    return RMD_REMEDY_PROPOSED;
}

const char *rmd_remedy_state_name(rmd_remedy_state s)
{
    switch (s) {
    case RMD_REMEDY_ACCEPTED: return "accepted";
    case RMD_REMEDY_REJECTED: return "rejected";
    case RMD_REMEDY_IMPLEMENTED: return "implemented";
    default: return "proposed";
    }
}

int rmd_remedies_view(const unsigned char key[32], const store_grievance *g,
                      const store_grievance_remedy *rows, size_t n, core_arena *a,
                      rmd_remedy **out)
{
    *out = NULL;
    if (n == 0)
        return CORE_OK;
    rmd_remedy *v = core_arena_alloc(a, n * sizeof *v);
    if (!v)
        return CORE_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const store_grievance_remedy *r = &rows[i];
        rmd_remedy *m = &v[i];
        m->id = r->id;
        m->type = r->type;
        m->state = remedy_state_of(r->state);
        m->proposed_at = r->proposed_at;
        m->decided_at = r->decided_at;
        m->implemented_at = r->implemented_at;
        char *d = NULL, *c = NULL, *e = NULL;
        int rc = rmd_unseal(key, g->reference, "remedy_description", r->enc_description, a, &d, NULL);
        if (rc == CORE_OK)
            rc = rmd_unseal(key, g->reference, "remedy_comment", r->enc_comment, a, &c, NULL);
        if (rc == CORE_OK)
            rc = rmd_unseal(key, g->reference, "remedy_evidence", r->enc_evidence, a, &e, NULL);
        if (rc != CORE_OK)
            return rc;
        m->description = d;
        m->complainant_comment = c;
        m->evidence = e;
    }
    *out = v;
    return CORE_OK;
}

int rmd_attachments_view(const unsigned char key[32], const store_grievance *g,
                         const store_grievance_attachment *rows, size_t n, core_arena *a,
                         rmd_attachment **out)
{
    *out = NULL;
    if (n == 0)
        return CORE_OK;
    rmd_attachment *v = core_arena_alloc(a, n * sizeof *v);
    if (!v)
        return CORE_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const store_grievance_attachment *r = &rows[i];
        rmd_attachment *t = &v[i];
        t->id = r->id;
        t->event_id = r->event_id;
        t->mime = r->mime;
        t->size = r->size;
        t->uploaded_by = r->uploaded_by;
        t->visibility = r->internal ? RMD_VIS_INTERNAL : RMD_VIS_PUBLIC;
        t->created_at = r->created_at;
        char *name = NULL;
        int rc = rmd_unseal(key, g->reference, "attachment_name", r->enc_name, a, &name, NULL);
        if (rc != CORE_OK)
            return rc;
        t->filename = name;
        if (r->enc_data) {
            char *data = NULL;
            size_t len = 0;
            rc = rmd_unseal(key, g->reference, "attachment", r->enc_data, a, &data, &len);
            if (rc != CORE_OK)
                return rc;
            t->data = (const unsigned char *)data;
            t->size = (int64_t)len;
        }
    }
    *out = v;
    return CORE_OK;
}

void rmd_summary_from_row(const store_grievance *g, int64_t now, int due_soon_days,
                          rmd_case_summary *s)
{
    memset(s, 0, sizeof *s);
    s->id = g->id;
    s->reference = g->reference;
    grv_state st = GRV_RECEIVED;
    grv_state_parse(g->state, &st);
    s->state = st;
    grv_category cat = GRV_CAT_GENERAL;
    grv_category_parse(g->category, &cat);
    s->category = cat;
    s->channel = g->channel;
    s->country = g->country;
    s->product_id = g->product_id;
    s->contact_preference = g->contact_preference;
    s->language = g->language;
    s->severity = g->severity;
    s->priority = g->priority;
    s->urgent = g->urgent;
    s->vulnerable = g->vulnerable;
    s->assigned_user_id = g->assigned_user_id;
    s->collective_id = g->collective_id;
    s->waiting_on_complainant = g->waiting_on_complainant;
    s->created_at = g->created_at;
    s->updated_at = g->updated_at;
    s->next_due_at = g->next_due_at;
    s->next_due_kind = clock_kind_of(g->next_due_clock);
    s->next_due_status = GRV_CLOCK_RUNNING;
    if (g->next_due_at > 0 && s->next_due_kind >= 0) {
        grv_clock k;
        memset(&k, 0, sizeof k);
        k.kind = (grv_clock_kind)s->next_due_kind;
        k.due_at = g->next_due_at;
        s->next_due_status = grv_clock_eval(&k, now, due_soon_days);
    }
}
