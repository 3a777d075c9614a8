/* reg_csv: CSV exports of each register list (RFC 4180: comma separated,
 * CRLF line ends, a field quoted when it holds a comma, quote, CR or LF,
 * quotes doubled). A field starting with = + - @ (or tab / CR) is prefixed
 * with ' so that a spreadsheet does not run it as a formula (CSV injection);
 * numbers written by this module are not text fields and are not prefixed.
 */
#include <stdio.h>
#include <string.h>

#include "register/reg_internal.h"

static const char *const list_names[REG_CSV__COUNT] = {"impacts", "actions", "assessments",
                                                       "indicators", "stakeholders",
                                                       "engagements"};

const char *reg_csv_list_name(reg_csv_list l)
{
    return (unsigned)l < REG_CSV__COUNT ? list_names[l] : NULL;
}

int reg_csv_list_parse(const char *s, reg_csv_list *out)
{
    for (int i = 0; s && i < REG_CSV__COUNT; i++)
        if (!strcmp(s, list_names[i])) {
            *out = (reg_csv_list)i;
            return CORE_OK;
        }
    return CORE_INVALID;
}

int reg_csv_field(core_buf *b, const char *s)
{
    if (!s)
        s = "";
    int formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
                  s[0] == '\r';
    int quote = formula || strpbrk(s, ",\"\r\n") != NULL;
    if (!quote)
        return core_buf_puts(b, s);
    int rc = core_buf_putc(b, '"');
    if (rc == CORE_OK && formula)
        rc = core_buf_putc(b, '\'');
    for (const char *p = s; rc == CORE_OK && *p; p++) {
        if (*p == '"')
            rc = core_buf_putc(b, '"');
        if (rc == CORE_OK)
            rc = core_buf_putc(b, *p);
    }
    if (rc == CORE_OK)
        rc = core_buf_putc(b, '"');
    return rc;
}

/* Row writer: fields separated by commas, row ended by CRLF. */
typedef struct row {
    core_buf *b;
    int first;
    int rc;
} row;

static void cell(row *r, const char *s)
{
    if (r->rc != CORE_OK)
        return;
    if (!r->first)
        r->rc = core_buf_putc(r->b, ',');
    r->first = 0;
    if (r->rc == CORE_OK)
        r->rc = reg_csv_field(r->b, s);
}

static void cell_int(row *r, int64_t v)
{
    char t[24];
    snprintf(t, sizeof t, "%lld", (long long)v);
    if (r->rc != CORE_OK)
        return;
    if (!r->first)
        r->rc = core_buf_putc(r->b, ',');
    r->first = 0;
    if (r->rc == CORE_OK)
        r->rc = core_buf_puts(r->b, t);
}

static void cell_real(row *r, double v)
{
    char t[40];
    snprintf(t, sizeof t, "%.17g", v);
    /* shortest form that reads back the same */
    for (int prec = 1; prec <= 17; prec++) {
        char u[40];
        snprintf(u, sizeof u, "%.*g", prec, v);
        double back = 0;
        if (sscanf(u, "%lf", &back) == 1 && back == v) {
            memcpy(t, u, sizeof u);
            break;
        }
    }
    if (r->rc != CORE_OK)
        return;
    if (!r->first)
        r->rc = core_buf_putc(r->b, ',');
    r->first = 0;
    if (r->rc == CORE_OK)
        r->rc = core_buf_puts(r->b, t);
}

static void cell_day(row *r, int64_t day)
{
    char d[11];
    reg_day_format(day, d);
    cell(r, d);
}

static void end_row(row *r)
{
    if (r->rc == CORE_OK)
        r->rc = core_buf_puts(r->b, "\r\n");
    r->first = 1;
}

static void header(row *r, const char *const *cols)
{
    for (size_t i = 0; cols[i]; i++)
        cell(r, cols[i]);
    end_row(r);
}

static const char *scope_slug(const store_dd_scope *sc, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (sc[i].id == id)
            return sc[i].slug;
    return "";
}

static int csv_impacts(reg_tx *tx, row *r)
{
    static const char *const cols[] = {"rank", "id", "scope_object", "title", "status", "rights",
        "involvement", "responses", "scale", "scope", "irremediable", "likelihood", "severity",
        "severity_band", "business_model", "affected_groups", "vulnerable_groups", "countries",
        "evidence", "competing_rights", "linked_grievances", "actions", NULL};
    header(r, cols);
    reg_impact_view *v = NULL;
    size_t n = 0;
    int rc = reg_impact_views(tx, tx->pr->org_id, 0, REG_SORT_SALIENCE, &v, &n);
    for (size_t i = 0; rc == CORE_OK && i < n; i++) {
        const store_dd_impact *x = &v[i].impact;
        cell_int(r, (int64_t)v[i].rank);
        cell_int(r, x->id);
        cell(r, v[i].scope_slug);
        cell(r, x->title);
        cell(r, x->status);
        cell(r, x->rights);
        cell(r, x->involvement);
        const char *names[5];
        size_t nn = dd_response_names(v[i].response, names);
        core_buf rb;
        core_buf_init(&rb);
        for (size_t k = 0; k < nn; k++)
            core_buf_printf(&rb, "%s%s", k ? " " : "", names[k]);
        cell(r, rb.data ? rb.data : "");
        core_buf_cleanup(&rb);
        cell_int(r, x->scale);
        cell_int(r, x->scope);
        cell_int(r, x->irremediable);
        cell_int(r, x->likelihood);
        cell_int(r, v[i].severity);
        cell_int(r, v[i].band);
        cell_int(r, x->business_model);
        cell(r, x->affected_groups);
        cell(r, x->vulnerable_groups);
        cell(r, x->countries);
        cell(r, x->evidence);
        cell(r, x->competing_rights);
        cell_int(r, (int64_t)v[i].nlinks);
        cell_int(r, (int64_t)v[i].nactions);
        end_row(r);
    }
    return rc;
}

static int csv_actions(reg_tx *tx, row *r)
{
    static const char *const cols[] = {"id", "impact_id", "kind", "title", "function", "owner_id",
        "owner_name", "due", "status", "description", "integration", NULL};
    header(r, cols);
    store_dd_action *v = NULL;
    size_t n = 0;
    int rc = store_dd_action_list(tx->c, tx->a, tx->pr->org_id, 0, &v, &n);
    for (size_t i = 0; rc == CORE_OK && i < n; i++) {
        cell_int(r, v[i].id);
        cell_int(r, v[i].impact_id);
        cell(r, v[i].kind);
        cell(r, v[i].title);
        cell(r, v[i].function);
        cell_int(r, v[i].owner_id);
        cell(r, v[i].owner_name);
        cell_day(r, v[i].due_day);
        cell(r, v[i].status);
        cell(r, v[i].description);
        cell(r, v[i].integration);
        end_row(r);
    }
    return rc;
}

static int csv_assessments(reg_tx *tx, row *r)
{
    static const char *const cols[] = {"id", "scope_object", "kind", "trigger", "event", "due",
        "due_status", "days_overdue", "status", "completed", "impact_id", "summary", NULL};
    header(r, cols);
    store_dd_assessment *v = NULL;
    size_t n = 0;
    store_dd_scope *sc = NULL;
    size_t nsc = 0;
    int rc = store_dd_assessment_list(tx->c, tx->a, tx->pr->org_id, 0, &v, &n);
    if (rc == CORE_OK)
        rc = store_dd_scope_list(tx->c, tx->a, tx->pr->org_id, &sc, &nsc);
    for (size_t i = 0; rc == CORE_OK && i < n; i++) {
        dd_due_status st = dd_due_eval(v[i].due_day, tx->today, v[i].completed_day,
                                       tx->svc->opt.dd.due_soon_days);
        cell_int(r, v[i].id);
        cell(r, scope_slug(sc, nsc, v[i].scope_id));
        cell(r, v[i].kind);
        cell(r, v[i].trigger);
        cell_day(r, v[i].event_day);
        cell_day(r, v[i].due_day);
        cell(r, dd_due_status_name(st));
        cell_int(r, v[i].completed_day < 0 ? dd_days_overdue(v[i].due_day, tx->today) : 0);
        cell(r, v[i].status);
        cell_day(r, v[i].completed_day);
        cell_int(r, v[i].impact_id);
        cell(r, v[i].summary);
        end_row(r);
    }
    return rc;
}

static int csv_indicators(reg_tx *tx, row *r)
{
    static const char *const cols[] = {"indicator_id", "impact_id", "action_id", "name", "unit",
        "direction", "target", "tolerance", "target_date", "trend", "status", "date", "value",
        "note", NULL};
    header(r, cols);
    reg_indicator_view *v = NULL;
    size_t n = 0;
    int rc = reg_indicator_views(tx, tx->pr->org_id, 0, 0, &v, &n);
    for (size_t i = 0; rc == CORE_OK && i < n; i++) {
        size_t rows = v[i].nmeasures ? v[i].nmeasures : 1;
        for (size_t k = 0; k < rows; k++) {
            const store_dd_indicator *x = &v[i].indicator;
            cell_int(r, x->id);
            cell_int(r, x->impact_id);
            cell_int(r, x->action_id);
            cell(r, x->name);
            cell(r, x->unit);
            cell(r, x->direction);
            cell_real(r, x->target);
            cell_real(r, x->tolerance);
            cell_day(r, x->target_day);
            cell(r, dd_trend_name(v[i].trend));
            cell(r, dd_track_name(v[i].track));
            if (v[i].nmeasures) {
                cell_day(r, v[i].measures[k].day);
                cell_real(r, v[i].measures[k].value);
                cell(r, v[i].measures[k].note);
            } else {
                cell(r, "");
                cell(r, "");
                cell(r, "");
            }
            end_row(r);
        }
    }
    return rc;
}

static int csv_stakeholders(reg_tx *tx, row *r)
{
    static const char *const cols[] = {"id", "name", "kind", "region", "countries",
                                       "global_south", "contact", NULL};
    header(r, cols);
    store_dd_stakeholder *v = NULL;
    size_t n = 0;
    int rc = store_dd_stakeholder_list(tx->c, tx->a, tx->pr->org_id, &v, &n);
    for (size_t i = 0; rc == CORE_OK && i < n; i++) {
        cell_int(r, v[i].id);
        cell(r, v[i].name);
        cell(r, v[i].kind);
        cell(r, v[i].region);
        cell(r, v[i].countries);
        cell_int(r, v[i].global_south);
        cell(r, v[i].contact);
        end_row(r);
    }
    return rc;
}

static int csv_engagements(reg_tx *tx, row *r)
{
    static const char *const cols[] = {"id", "stakeholder_id", "stakeholder", "date", "step",
        "format", "topics", "outcome", "follow_up", "impact_ids", NULL};
    header(r, cols);
    store_dd_engagement *v = NULL;
    size_t n = 0;
    store_dd_stakeholder *sh = NULL;
    size_t nsh = 0;
    int rc = store_dd_engagement_list(tx->c, tx->a, tx->pr->org_id, 0, &v, &n);
    if (rc == CORE_OK)
        rc = store_dd_stakeholder_list(tx->c, tx->a, tx->pr->org_id, &sh, &nsh);
    for (size_t i = 0; rc == CORE_OK && i < n; i++) {
        const char *name = "";
        for (size_t k = 0; k < nsh; k++)
            if (sh[k].id == v[i].stakeholder_id)
                name = sh[k].name;
        cell_int(r, v[i].id);
        cell_int(r, v[i].stakeholder_id);
        cell(r, name);
        cell_day(r, v[i].day);
        cell(r, v[i].step);
        cell(r, v[i].format);
        cell(r, v[i].topics);
        cell(r, v[i].outcome);
        cell(r, v[i].follow_up);
        cell(r, v[i].impact_ids);
        end_row(r);
    }
    return rc;
}

int reg_csv(reg_service *svc, core_arena *a, const reg_principal *pr, reg_csv_list which,
            char **text, size_t *len)
{
    *text = NULL;
    if (len)
        *len = 0;
    if ((unsigned)which >= REG_CSV__COUNT)
        return CORE_INVALID;
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    core_buf b;
    core_buf_init(&b);
    row r = {.b = &b, .first = 1, .rc = CORE_OK};
    switch (which) {
    case REG_CSV_IMPACTS: rc = csv_impacts(&tx, &r); break;
    case REG_CSV_ACTIONS: rc = csv_actions(&tx, &r); break;
    case REG_CSV_ASSESSMENTS: rc = csv_assessments(&tx, &r); break;
    case REG_CSV_INDICATORS: rc = csv_indicators(&tx, &r); break;
    case REG_CSV_STAKEHOLDERS: rc = csv_stakeholders(&tx, &r); break;
    default: rc = csv_engagements(&tx, &r); break;
    }
    if (rc == CORE_OK)
        rc = r.rc;
    if (rc == CORE_OK) {
        *text = core_arena_strndup(a, b.data ? b.data : "", b.len);
        if (!*text)
            rc = CORE_NOMEM;
        else if (len)
            *len = b.len;
    }
    core_buf_cleanup(&b);
    return reg_tx_end(&tx, rc);
}
