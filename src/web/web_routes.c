/* web_routes: the web module's route table. Each route names the one
 * permission it needs; app_authorize decides before any handler runs, so the
 * handlers never re-check roles (they only use them to choose what to show).
 */
#include "web/web.h"
#include "web/web_internal.h"
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
    /* transparency (web_tr.c) */
    {HTTP_GET, "/orgs/{org}/transparency", web_handle_tr_public, CORE_PERM_PUBLIC, H, "Public transparency page of an organisation"},
    {HTTP_GET, "/transparency", web_handle_tr_staff, CORE_PERM_TR_READ, H, "Transparency: ingest runs and government requests import"},
    {HTTP_POST, "/transparency/requests", web_handle_tr_requests, CORE_PERM_TR_MANAGE, H, "Import government requests"},
};
#undef H
#undef U

const http_route *web_routes(size_t *n)
{
    http_set_html_error(web_http_error);   /* idempotent; done before serving */
    *n = sizeof ROUTES / sizeof ROUTES[0];
    return ROUTES;
}
