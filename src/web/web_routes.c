/* web_routes: the web module's route table. Each route names the one
 * permission it needs; app_authorize decides before any handler runs, so the
 * handlers never re-check roles (they only use them to choose what to show).
 */
#include "web/web.h"
#include "web/web_internal.h"

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
};
#undef H

const http_route *web_routes(size_t *n)
{
    http_set_html_error(web_http_error);   /* idempotent; done before serving */
    *n = sizeof ROUTES / sizeof ROUTES[0];
    return ROUTES;
}
