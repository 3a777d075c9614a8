/* api_routes: the API's route table. Each route names the one permission it
 * needs; app_authorize (the http_config.authorize hook) decides it before the
 * handler runs. docs/openapi.json lists exactly these routes (tested).
 */
#include "api/api.h"
#include "api/api_internal.h"

#define R(m, pat, h, perm, sum) {(m), (pat), (h), (perm), HTTP_KIND_API, (sum)}

static const http_route routes[] = {
    R(HTTP_GET, "/api/v1/openapi.json", api_openapi_get, CORE_PERM_PUBLIC,
      "The OpenAPI 3.1 document of this API"),
    R(HTTP_POST, "/api/v1/session", api_session_create, CORE_PERM_PUBLIC,
      "Sign in with e-mail, password and optional one-time code"),
    R(HTTP_DELETE, "/api/v1/session", api_session_delete, CORE_PERM_SIGNED_IN,
      "Sign out (ends the session)"),
    R(HTTP_GET, "/api/v1/me", api_me_get, CORE_PERM_SIGNED_IN,
      "The signed-in user, current organisation, role and memberships"),
    R(HTTP_GET, "/api/v1/orgs", api_orgs_list, CORE_PERM_SIGNED_IN,
      "Organisations the user is a member of"),
    R(HTTP_POST, "/api/v1/orgs", api_orgs_create, CORE_PERM_ORG_MANAGE,
      "Create a member company under the current sector body"),
    R(HTTP_GET, "/api/v1/orgs/{org}", api_org_get, CORE_PERM_ORG_READ,
      "One organisation"),
    R(HTTP_PATCH, "/api/v1/orgs/{org}", api_org_patch, CORE_PERM_ORG_MANAGE,
      "Change an organisation's name or description"),
    R(HTTP_GET, "/api/v1/orgs/{org}/users", api_users_list, CORE_PERM_ORG_READ,
      "Staff of the organisation with their roles"),
    R(HTTP_POST, "/api/v1/orgs/{org}/users", api_users_create, CORE_PERM_USERS_MANAGE,
      "Add a staff member (creates the account if needed)"),
    R(HTTP_GET, "/api/v1/orgs/{org}/users/{id}", api_user_get, CORE_PERM_ORG_READ,
      "One staff member"),
    R(HTTP_PATCH, "/api/v1/orgs/{org}/users/{id}", api_user_patch, CORE_PERM_USERS_MANAGE,
      "Change a staff member's role, name or disabled state"),
    R(HTTP_DELETE, "/api/v1/orgs/{org}/users/{id}", api_user_delete, CORE_PERM_USERS_MANAGE,
      "Remove a staff member from the organisation"),
    R(HTTP_GET, "/api/v1/orgs/{org}/products", api_products_list, CORE_PERM_SIGNED_IN,
      "Products, services and features of the organisation"),
    R(HTTP_POST, "/api/v1/orgs/{org}/products", api_products_create, CORE_PERM_ORG_MANAGE,
      "Add a product, service or feature"),
    R(HTTP_GET, "/api/v1/orgs/{org}/products/{id}", api_product_get, CORE_PERM_SIGNED_IN,
      "One product, service or feature"),
    R(HTTP_GET, "/api/v1/orgs/{org}/tokens", api_tokens_list, CORE_PERM_TOKENS_MANAGE,
      "API tokens of the organisation"),
    R(HTTP_POST, "/api/v1/orgs/{org}/tokens", api_tokens_create, CORE_PERM_TOKENS_MANAGE,
      "Create an API token (the token is shown once)"),
    R(HTTP_DELETE, "/api/v1/orgs/{org}/tokens/{id}", api_token_delete, CORE_PERM_TOKENS_MANAGE,
      "Revoke an API token"),
    R(HTTP_GET, "/api/v1/orgs/{org}/audit", api_audit_list, CORE_PERM_AUDIT_READ,
      "The organisation's audit trail, newest first"),
};

const http_route *api_routes(size_t *n)
{
    *n = sizeof routes / sizeof routes[0];
    return routes;
}
