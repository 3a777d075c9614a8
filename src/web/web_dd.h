/* web_dd: private to the web module's due diligence register pages
 * (web_dd*.c, web_svg_dd.c). The staff pages live under /register (read with
 * CORE_PERM_DD_READ, forms post with DD_EDIT, approvals with DD_APPROVE);
 * the public pages under /orgs/{org}/ (policy, company report, product
 * summary). Every page goes through the register service (src/register),
 * which validates, checks roles again and writes the audit trail; forms
 * come back with the error next to the field the service names.
 *
 * Forms are described as JSON field lists (built here, rendered by
 * templates/_dd_field.html) so every field carries its label, hint, value
 * and error the same way.
 */
#ifndef HRDD_WEB_DD_H
#define HRDD_WEB_DD_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/core.h"
#include "http/http.h"
#include "web/web_internal.h"

struct reg_service;
struct reg_principal;
struct reg_error;

/* ---- SVG (web_svg_dd.c) ---- */
typedef struct web_heatmap {
    const char *title;
    const char *desc;
    const char *row_label;           /* "Severity band" */
    const char *col_label;           /* "Likelihood" */
    const char *band_names[5];       /* label of band 1..5 */
    int count[5][5];                 /* [band-1][likelihood-1] */
    const char *href_prefix;         /* cells link to <prefix>band=B&likelihood=L; NULL = no links */
} web_heatmap;
int web_svg_heatmap(core_buf *b, const char *id, const web_heatmap *hm);

typedef struct web_trend_point {
    int64_t day;
    double value;
} web_trend_point;
/* A line of the points (by day) with the target as a dashed line; dates and
 * numbers written in lang (web_fmt_date, web_fmt_num). */
int web_svg_trend(core_buf *b, const char *id, const char *title, const char *desc,
                  const web_trend_point *pts, size_t n, int has_target, double target,
                  const char *target_label, const char *lang);

/* ---- shared helpers (web_dd_common.c) ---- */
/* The register service, or NULL after sending a 503 page. */
struct reg_service *web_reg(http_req *req);
/* The request's principal for the service. */
void web_reg_principal(http_req *req, struct reg_principal *out);
/* "dd.<kind>.<name>" from the catalogue, or name itself. */
const char *web_dd_label(const char *lang, const char *kind, const char *name);
/* Options of a select from a NULL-terminated list of names, labels "dd.<kind>.<name>". */
json_t *web_dd_opts(const char *lang, const char *kind, const char *const *names, const char *sel,
                    int with_none);
/* Space-separated tokens as labels joined with ", ". */
const char *web_dd_labels(http_req *req, const char *kind, const char *tokens);
/* Positive decimal id or 0. */
int64_t web_dd_id(const char *s);
/* "YYYY-MM-DD" of a day number into the arena ("" for < 0). */
const char *web_dd_day(core_arena *a, int64_t day);
/* A day as text on a page, in lang (web_fmt_date: "3 déc. 2024"; English
 * ISO); "" for < 0. Form values (<input type=date>) keep web_dd_day. */
const char *web_dd_date(core_arena *a, const char *lang, int64_t day);
/* Parses "YYYY-MM-DD"; "" gives *day = dflt and CORE_OK. */
int web_dd_parse_day(const char *s, int64_t dflt, int64_t *day);
/* A service status as the page answer (not CORE_OK). For CORE_INVALID /
 * CORE_CONFLICT / CORE_DENIED the error goes next to the field (prefix +
 * the JSON pointer's first segment, or dflt_field when there is none) and
 * the HTTP status is returned (400/409/403); other codes send the error
 * page and return 0. */
int web_dd_fail(http_req *req, json_t *ctx, int rc, const struct reg_error *err, const char *prefix,
                const char *dflt_field);
/* web_page for the register pages: the error summary's messages are
 * prefixed with the label of the field they name. */
int web_dd_page(http_req *req, int status, const char *tpl, const char *title_key, json_t *ctx);
/* 303 to a path with ?notice=<notice>. */
void web_dd_redirect(http_req *req, const char *path, const char *notice);
/* Send the 4xx/5xx error page for a service status (NOTFOUND 404, DENIED 403, ...). */
void web_dd_error(http_req *req, int rc);

/* Field descriptions for _dd_field.html. ctx: where error_<name> is found. */
json_t *web_dd_text(http_req *req, json_t *ctx, const char *name, const char *label_key, const char *value,
                    const char *hint_key);
json_t *web_dd_input(http_req *req, json_t *ctx, const char *name, const char *label_key, const char *value,
                     const char *type, const char *hint_key);
json_t *web_dd_area(http_req *req, json_t *ctx, const char *name, const char *label_key, const char *value,
                    const char *hint_key, int rows);
json_t *web_dd_select(http_req *req, json_t *ctx, const char *name, const char *label_key, json_t *options,
                      const char *hint_key);
json_t *web_dd_check(const char *name, const char *label, int checked);
/* Value of a form field, or of ctx.form when re-showing a form. */
const char *web_dd_val(json_t *ctx, const char *name, const char *dflt);
/* Copies every listed form field into ctx.form (for re-showing). */
void web_dd_keep(http_req *req, json_t *ctx, const char *const *names);
/* Space-separated names of the checked "<prefix><name>" boxes among names. */
const char *web_dd_checked(http_req *req, const char *prefix, const char *const *names);
/* The checkbox list for names, "dd.<kind>.<name>" labels, checked from the tokens. */
json_t *web_dd_checks(http_req *req, const char *prefix, const char *kind, const char *const *names,
                      const char *tokens);
/* 1 when tok is one of the space-separated tokens. */
int web_dd_has_token(const char *tokens, const char *tok);

/* The vocabularies of store_dd.h as NULL-terminated name lists. */
extern const char *const WEB_DD_SCOPE_KINDS[];
extern const char *const WEB_DD_MARKERS[];
extern const char *const WEB_DD_PHASES[];
extern const char *const WEB_DD_STATUSES[];
extern const char *const WEB_DD_INVOLVEMENTS[];
extern const char *const WEB_DD_EVIDENCE[];
extern const char *const WEB_DD_TRIGGERS[];
extern const char *const WEB_DD_ASSESS_KINDS[];
extern const char *const WEB_DD_ACTION_KINDS[];
extern const char *const WEB_DD_FUNCTIONS[];
extern const char *const WEB_DD_ACTION_STATES[];
extern const char *const WEB_DD_DIRECTIONS[];
extern const char *const WEB_DD_SH_KINDS[];
extern const char *const WEB_DD_STEPS[];
extern const char *const WEB_DD_FORMATS[];
extern const char *const WEB_DD_CHANNELS[];
extern const char *const WEB_DD_AUDIENCES[];

/* Pieces shared by several pages (web_dd_impact_page.c). */
struct store_dd_action;
struct reg_indicator_view;
json_t *web_dd_action_rows(http_req *req, const struct store_dd_action *x, size_t n, int link);
json_t *web_dd_indicator_row(http_req *req, const struct reg_indicator_view *v);
/* Records the measurement of the posted form (day, value, note) for an
 * indicator: 200 when stored; 400 with the error next to the value field
 * (ctx.measure_error_id / measure_error for the indicator's row); 0 after
 * sending an error page (web_dd_lists.c). */
int web_dd_measure(http_req *req, json_t *ctx, int64_t indicator_id);
/* The impact page; takes ctx (NULL = fresh). */
int web_dd_impact_page(http_req *req, int status, int64_t id, json_t *ctx);

/* ---- handlers ---- */
int web_handle_dd_overview(http_req *req);
int web_handle_dd_impacts(http_req *req);
int web_handle_dd_impact_new(http_req *req);
int web_handle_dd_impact_create(http_req *req);
int web_handle_dd_impact(http_req *req);
int web_handle_dd_impact_edit(http_req *req);
int web_handle_dd_impact_post(http_req *req);
int web_handle_dd_scope(http_req *req);
int web_handle_dd_scope_add(http_req *req);
int web_handle_dd_scope_edit(http_req *req);
int web_handle_dd_scope_update(http_req *req);
int web_handle_dd_assessments(http_req *req);
int web_handle_dd_assessment_add(http_req *req);
int web_handle_dd_assessment(http_req *req);
int web_handle_dd_assessment_post(http_req *req);
int web_handle_dd_assessment_approve(http_req *req);
int web_handle_dd_actions(http_req *req);
int web_handle_dd_action_edit(http_req *req);
int web_handle_dd_action_post(http_req *req);
int web_handle_dd_indicators(http_req *req);
int web_handle_dd_indicator_measure(http_req *req);
int web_handle_dd_stakeholders(http_req *req);
int web_handle_dd_stakeholder_add(http_req *req);
int web_handle_dd_engagement_add(http_req *req);
int web_handle_dd_coverage(http_req *req);
int web_handle_dd_policies(http_req *req);
int web_handle_dd_policy_add(http_req *req);
int web_handle_dd_policy(http_req *req);
int web_handle_dd_policy_post(http_req *req);
int web_handle_dd_policy_approve(http_req *req);
int web_handle_dd_csv(http_req *req);
int web_handle_dd_case_link(http_req *req);
int web_handle_dd_public_policy(http_req *req);
int web_handle_dd_public_report(http_req *req);
int web_handle_dd_public_product(http_req *req);
/* The "link to impact" panel of the staff case page (web_cases.c): sets
 * ctx.dd_link {impacts: options, links: [...]} when the role may edit the register. */
void web_dd_case_panel(http_req *req, json_t *ctx, int64_t case_id);

#endif
