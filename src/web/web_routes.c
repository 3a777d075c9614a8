/* web_routes: the web module's route table. Each route names the one
 * permission it needs; app_authorize decides before any handler runs, so the
 * handlers never re-check roles (they only use them to choose what to show).
 */
#include "web/web.h"
#include "web/web_internal.h"
#include "web/web_as.h"
#include "web/web_dd.h"
#include "web/web_retention.h"
#include "web/web_tr.h"

/* forms that carry files: room for a 5 MiB attachment and the fields */
#define U (6u * 1024 * 1024)
#define H HTTP_KIND_HTML
static const http_route ROUTES[] = {
    {HTTP_GET, "/", web_handle_root, CORE_PERM_PUBLIC, H, "Home: to the dashboard or the sign-in page"},
    {HTTP_GET, "/static/{file}", web_handle_static, CORE_PERM_PUBLIC, H, "Embedded static asset"},
    {HTTP_GET, "/login", web_handle_login_form, CORE_PERM_PUBLIC, H, "Sign-in form"},
    {HTTP_POST, "/login", web_handle_login, CORE_PERM_PUBLIC, H, "Sign in"},
    {HTTP_GET, "/login/totp", web_handle_totp_form, CORE_PERM_PUBLIC, H, "Second-factor form"},
    {HTTP_POST, "/login/totp", web_handle_totp, CORE_PERM_PUBLIC, H, "Give the second factor"},
    {HTTP_POST, "/logout", web_handle_logout, CORE_PERM_PUBLIC, H, "Sign out (works even without a membership)"},
    {HTTP_GET, "/dashboard", web_handle_dashboard, CORE_PERM_SIGNED_IN, H, "Dashboard"},
    {HTTP_POST, "/org/switch", web_handle_org_switch, CORE_PERM_SIGNED_IN, H, "Switch organisation"},
    {HTTP_GET, "/users", web_handle_users, CORE_PERM_ORG_READ, H, "Members of the organisation"},
    {HTTP_POST, "/users", web_handle_user_add, CORE_PERM_USERS_MANAGE, H, "Add a user"},
    {HTTP_POST, "/users/{id}", web_handle_user_update, CORE_PERM_USERS_MANAGE, H, "Change a user's role or status"},
    {HTTP_GET, "/audit", web_handle_audit, CORE_PERM_AUDIT_READ, H, "Audit trail"},
    {HTTP_GET, "/account", web_handle_account, CORE_PERM_SIGNED_IN, H, "Own account"},
    {HTTP_POST, "/account/password", web_handle_password, CORE_PERM_SIGNED_IN, H, "Change own password"},
    {HTTP_POST, "/account/totp", web_handle_totp_setup, CORE_PERM_SIGNED_IN, H, "Enable or disable TOTP"},
    {HTTP_GET, "/tokens", web_handle_tokens, CORE_PERM_TOKENS_MANAGE, H, "API tokens"},
    {HTTP_POST, "/tokens", web_handle_token_add, CORE_PERM_TOKENS_MANAGE, H, "Create an API token"},
    {HTTP_POST, "/tokens/{id}/revoke", web_handle_token_revoke, CORE_PERM_TOKENS_MANAGE, H, "Revoke an API token"},
    {HTTP_GET, "/products", web_handle_products, CORE_PERM_SIGNED_IN, H, "Products and services"},
    {HTTP_POST, "/products", web_handle_product_add, CORE_PERM_ORG_MANAGE, H, "Add a product or service"},
    {HTTP_GET, "/retention", web_handle_retention, CORE_PERM_ORG_READ, H, "Retention policy for grievance personal data"},
    {HTTP_POST, "/retention", web_handle_retention_set, CORE_PERM_ORG_MANAGE, H, "Set or clear the retention policy (audited)"},
    /* the grievance mechanism: public pages (no account; the receipt only in POST bodies) */
    {HTTP_GET, "/report", web_handle_report_form, CORE_PERM_PUBLIC, H, "Grievance intake form"},
    {HTTP_POST, "/report", web_handle_report, CORE_PERM_PUBLIC, H, "File a grievance (multipart, with a file)", U},
    {HTTP_GET, "/receipt", web_handle_receipt_form, CORE_PERM_PUBLIC, H, "Enter a receipt code"},
    {HTTP_POST, "/receipt", web_handle_receipt, CORE_PERM_PUBLIC, H, "Case view and complainant actions by receipt", U},
    {HTTP_GET, "/mechanism", web_handle_mechanism, CORE_PERM_PUBLIC, H, "The mechanism's published rules"},
    /* staff */
    {HTTP_GET, "/cases", web_handle_cases, CORE_PERM_CASES_READ, H, "Grievance queue"},
    {HTTP_GET, "/cases/new", web_handle_case_new_form, CORE_PERM_CASES_HANDLE, H, "Record a grievance form"},
    {HTTP_POST, "/cases/new", web_handle_case_new, CORE_PERM_CASES_HANDLE, H, "Record a phone/letter/partner grievance"},
    {HTTP_GET, "/cases/{id}", web_handle_case, CORE_PERM_CASES_READ, H, "Case page"},
    {HTTP_GET, "/cases/{id}/files/{fid}", web_handle_case_file, CORE_PERM_CASES_READ, H, "Download a case file (decrypted)"},
    {HTTP_POST, "/cases/{id}", web_handle_case_post, CORE_PERM_CASES_HANDLE, H, "Act on a case (op field)", U},
    {HTTP_GET, "/mechanisms", web_handle_mechanisms, CORE_PERM_SIGNED_IN, H, "Directory of external mechanisms"},
    {HTTP_POST, "/mechanisms", web_handle_mechanism_add, CORE_PERM_MECHANISMS_MANAGE, H, "Add an external mechanism"},
    {HTTP_GET, "/mechanisms/{id}", web_handle_mechanism_edit, CORE_PERM_MECHANISMS_MANAGE, H, "Edit form of an external mechanism"},
    {HTTP_POST, "/mechanisms/{id}", web_handle_mechanism_update, CORE_PERM_MECHANISMS_MANAGE, H, "Update an external mechanism"},
    {HTTP_GET, "/grievance-stats", web_handle_gstats, CORE_PERM_STATS_READ, H, "Grievance statistics dashboard"},
    /* the due diligence register (web_dd*.c): staff pages, then the published ones */
    {HTTP_GET, "/register", web_handle_dd_overview, CORE_PERM_DD_READ, H, "Register overview: heat map and salient issues"},
    {HTTP_GET, "/register/impacts", web_handle_dd_impacts, CORE_PERM_DD_READ, H, "Impacts in priority order"},
    {HTTP_GET, "/register/impacts/new", web_handle_dd_impact_new, CORE_PERM_DD_EDIT, H, "New impact form"},
    {HTTP_POST, "/register/impacts", web_handle_dd_impact_create, CORE_PERM_DD_EDIT, H, "Record an impact"},
    {HTTP_GET, "/register/impacts/{id}", web_handle_dd_impact, CORE_PERM_DD_READ, H, "Impact page"},
    {HTTP_GET, "/register/impacts/{id}/edit", web_handle_dd_impact_edit, CORE_PERM_DD_EDIT, H, "Edit an impact (assess)"},
    {HTTP_POST, "/register/impacts/{id}", web_handle_dd_impact_post, CORE_PERM_DD_EDIT, H, "Act on an impact (op: save, action, indicator, measure)"},
    {HTTP_GET, "/register/scope", web_handle_dd_scope, CORE_PERM_DD_READ, H, "Scope objects"},
    {HTTP_POST, "/register/scope", web_handle_dd_scope_add, CORE_PERM_DD_EDIT, H, "Add a scope object"},
    {HTTP_GET, "/register/scope/{id}", web_handle_dd_scope_edit, CORE_PERM_DD_EDIT, H, "Edit form of a scope object"},
    {HTTP_POST, "/register/scope/{id}", web_handle_dd_scope_update, CORE_PERM_DD_EDIT, H, "Update a scope object"},
    {HTTP_GET, "/register/assessments", web_handle_dd_assessments, CORE_PERM_DD_READ, H, "Assessments: due list"},
    {HTTP_POST, "/register/assessments", web_handle_dd_assessment_add, CORE_PERM_DD_EDIT, H, "Start an assessment"},
    {HTTP_GET, "/register/assessments/{id}", web_handle_dd_assessment, CORE_PERM_DD_READ, H, "Assessment page"},
    {HTTP_POST, "/register/assessments/{id}", web_handle_dd_assessment_post, CORE_PERM_DD_EDIT, H, "Complete an assessment with its findings"},
    {HTTP_POST, "/register/assessments/{id}/approve", web_handle_dd_assessment_approve, CORE_PERM_DD_APPROVE, H, "Approve an assessment"},
    {HTTP_GET, "/register/actions", web_handle_dd_actions, CORE_PERM_DD_READ, H, "Actions"},
    {HTTP_GET, "/register/actions/{id}", web_handle_dd_action_edit, CORE_PERM_DD_EDIT, H, "Edit form of an action"},
    {HTTP_POST, "/register/actions/{id}", web_handle_dd_action_post, CORE_PERM_DD_EDIT, H, "Update an action (op save) or its status"},
    {HTTP_GET, "/register/indicators", web_handle_dd_indicators, CORE_PERM_DD_READ, H, "Indicators and trends"},
    {HTTP_POST, "/register/indicators/{id}/measurements", web_handle_dd_indicator_measure, CORE_PERM_DD_EDIT, H, "Record a measurement"},
    {HTTP_GET, "/register/stakeholders", web_handle_dd_stakeholders, CORE_PERM_DD_READ, H, "Stakeholders and engagements"},
    {HTTP_POST, "/register/stakeholders", web_handle_dd_stakeholder_add, CORE_PERM_DD_EDIT, H, "Add a stakeholder"},
    {HTTP_POST, "/register/engagements", web_handle_dd_engagement_add, CORE_PERM_DD_EDIT, H, "Record an engagement (fatigue warning)"},
    {HTTP_GET, "/register/coverage", web_handle_dd_coverage, CORE_PERM_DD_READ, H, "Coverage of salient impacts by affected groups' input"},
    {HTTP_GET, "/register/policies", web_handle_dd_policies, CORE_PERM_DD_READ, H, "Policy commitment versions"},
    {HTTP_POST, "/register/policies", web_handle_dd_policy_add, CORE_PERM_DD_EDIT, H, "New policy draft"},
    {HTTP_GET, "/register/policies/{id}", web_handle_dd_policy, CORE_PERM_DD_READ, H, "Policy version page"},
    {HTTP_POST, "/register/policies/{id}", web_handle_dd_policy_post, CORE_PERM_DD_EDIT, H, "Act on a policy version (op: save, comm, link)"},
    {HTTP_POST, "/register/policies/{id}/approve", web_handle_dd_policy_approve, CORE_PERM_DD_APPROVE, H, "Approve a policy version"},
    {HTTP_GET, "/register/export/{file}", web_handle_dd_csv, CORE_PERM_DD_READ, H, "CSV export of a register list"},
    {HTTP_POST, "/cases/{id}/impacts", web_handle_dd_case_link, CORE_PERM_DD_EDIT, H, "Link a case to an impact"},
    {HTTP_GET, "/orgs/{org}/human-rights-policy", web_handle_dd_public_policy, CORE_PERM_PUBLIC, H, "Published policy commitment and history"},
    {HTTP_GET, "/orgs/{org}/human-rights-report", web_handle_dd_public_report, CORE_PERM_PUBLIC, H, "Published company human rights report"},
    {HTTP_GET, "/orgs/{org}/products/{slug}/human-rights", web_handle_dd_public_product, CORE_PERM_PUBLIC, H, "Published impact assessment summary of a product"},
    /* transparency (web_tr.c) */
    {HTTP_GET, "/orgs/{org}/transparency", web_handle_tr_public, CORE_PERM_PUBLIC, H, "Public transparency page of an organisation"},
    {HTTP_GET, "/transparency", web_handle_tr_staff, CORE_PERM_TR_READ, H, "Transparency: ingest runs and government requests import"},
    {HTTP_POST, "/transparency/requests", web_handle_tr_requests, CORE_PERM_TR_MANAGE, H, "Import government requests"},
    /* assessments (web_as*.c): staff pages, then the published scorecards */
    {HTTP_GET, "/assess", web_handle_as_home, CORE_PERM_ASSESS_READ, H, "Assessments: methodologies and assessments"},
    {HTTP_POST, "/assess/entities", web_handle_as_entity_add, CORE_PERM_ASSESS_EDIT, H, "Add an entity to assess"},
    {HTTP_POST, "/assess/assessments", web_handle_as_assessment_add, CORE_PERM_ASSESS_EDIT, H, "Start an assessment"},
    {HTTP_GET, "/assess/methodologies/{id}", web_handle_as_methodology, CORE_PERM_ASSESS_READ, H, "A methodology's structure"},
    {HTTP_GET, "/assess/ranking", web_handle_as_ranking, CORE_PERM_ASSESS_READ, H, "Ranking table of a methodology"},
    {HTTP_GET, "/assess/ranking.csv", web_handle_as_ranking_csv, CORE_PERM_ASSESS_READ, H, "Ranking table as CSV"},
    {HTTP_GET, "/assess/assessments/{id}", web_handle_as_assessment, CORE_PERM_ASSESS_READ, H, "Answer and review an assessment"},
    {HTTP_POST, "/assess/assessments/{id}", web_handle_as_assessment_post, CORE_PERM_ASSESS_EDIT, H, "Act on an assessment (op: answers, review, finalise, reopen, auto)"},
    {HTTP_GET, "/assess/scorecards/{id}", web_handle_as_scorecard, CORE_PERM_ASSESS_READ, H, "Scorecard of an assessment"},
    {HTTP_GET, "/assess/scorecards/{id}/scorecard.csv", web_handle_as_scorecard_csv, CORE_PERM_ASSESS_READ, H, "Scorecard as CSV"},
    {HTTP_GET, "/assess/compare", web_handle_as_compare, CORE_PERM_ASSESS_READ, H, "Two assessments side by side"},
    {HTTP_GET, "/assess/compare.csv", web_handle_as_compare_csv, CORE_PERM_ASSESS_READ, H, "Comparison as CSV"},
    {HTTP_GET, "/assess/portfolio", web_handle_as_portfolio, CORE_PERM_ASSESS_READ, H, "Investor portfolio"},
    {HTTP_POST, "/assess/portfolio", web_handle_as_holding, CORE_PERM_ASSESS_EDIT, H, "Add or update a holding"},
    {HTTP_GET, "/scorecards", web_handle_as_public_list, CORE_PERM_PUBLIC, H, "Published scorecards"},
    {HTTP_GET, "/scorecards/{id}", web_handle_as_public, CORE_PERM_PUBLIC, H, "A published scorecard"},
    {HTTP_GET, "/scorecards/{id}/scorecard.csv", web_handle_as_public_csv, CORE_PERM_PUBLIC, H, "A published scorecard as CSV"},
};
#undef H
#undef U

const http_route *web_routes(size_t *n)
{
    http_set_html_error(web_http_error);   /* idempotent; done before serving */
    *n = sizeof ROUTES / sizeof ROUTES[0];
    return ROUTES;
}
