/* rmd_crypto: the key model of the grievance mechanism, over src/crypto.
 *
 * root (server secret, outside the database)
 *   -> receipt-lookup key: cry_kdf_subkey(root, 1, "hrddrcpt")
 *   -> KEK of (org, version): cry_kdf_subkey(root, version << 48 | org, "hrddkek_")
 *        -> wraps each case key (and each collective's key), associated data
 *           "kek:<org>:<version>:<reference>"
 *             -> seals every sensitive field, associated data
 *                "case:<reference>:<field>"
 * Keys live on the stack for the duration of one call and are wiped.
 */
#include <string.h>

#include <sodium.h>

#include "remedy/rmd_internal.h"

void rmd_kek(const rmd_service *svc, int64_t org_id, int64_t version, unsigned char kek[32])
{
    uint64_t id = ((uint64_t)version << 48) | ((uint64_t)org_id & 0xffffffffffffULL);
    if (cry_kdf_subkey(svc->root, id, "hrddkek_", kek) != CORE_OK)
        memset(kek, 0, 32);
}

static int wrap_ad(char *buf, size_t n, int64_t org_id, int64_t version, const char *reference)
{
    int w = snprintf(buf, n, "kek:%lld:%lld:%s", (long long)org_id, (long long)version,
                     reference ? reference : "");
    return (w < 0 || (size_t)w >= n) ? CORE_INVALID : CORE_OK;
}

int rmd_wrap_key(const rmd_service *svc, int64_t org_id, int64_t version, const char *reference,
                 const unsigned char key[32], char out[CRY_WRAPPED_KEY_LEN + 1])
{
    char ad[128];
    int rc = wrap_ad(ad, sizeof ad, org_id, version, reference);
    if (rc != CORE_OK)
        return rc;
    unsigned char kek[32];
    rmd_kek(svc, org_id, version, kek);
    rc = cry_key_wrap(kek, ad, key, out, CRY_WRAPPED_KEY_LEN + 1);
    sodium_memzero(kek, sizeof kek);
    return rc;
}

int rmd_unwrap_key(const rmd_service *svc, int64_t org_id, int64_t version, const char *reference,
                   const char *wrapped, unsigned char key[32])
{
    if (!wrapped)
        return CORE_CORRUPT;
    char ad[128];
    int rc = wrap_ad(ad, sizeof ad, org_id, version, reference);
    if (rc != CORE_OK)
        return rc;
    unsigned char kek[32];
    rmd_kek(svc, org_id, version, kek);
    rc = cry_key_unwrap(kek, ad, wrapped, key);
    sodium_memzero(kek, sizeof kek);
    return rc;
}

int rmd_case_key(const rmd_service *svc, const store_grievance *g, unsigned char key[32])
{
    return rmd_unwrap_key(svc, g->org_id, g->key_version, g->reference, g->wrapped_key, key);
}

static int field_ad(char *buf, size_t n, const char *reference, const char *field)
{
    int w = snprintf(buf, n, "case:%s:%s", reference ? reference : "", field ? field : "");
    return (w < 0 || (size_t)w >= n) ? CORE_INVALID : CORE_OK;
}

int rmd_seal(const unsigned char key[32], const char *reference, const char *field,
             const void *data, size_t n, core_arena *a, char **out)
{
    *out = NULL;
    char ad[160];
    int rc = field_ad(ad, sizeof ad, reference, field);
    if (rc != CORE_OK)
        return rc;
    return cry_aead_seal_arena(key, ad, data, n, a, out);
}

int rmd_seal_text(const unsigned char key[32], const char *reference, const char *field,
                  const char *text, core_arena *a, char **out)
{
    *out = NULL;
    if (!text || !*text)
        return CORE_OK;
    return rmd_seal(key, reference, field, text, strlen(text), a, out);
}

int rmd_unseal(const unsigned char key[32], const char *reference, const char *field,
             const char *b64, core_arena *a, char **out, size_t *n)
{
    *out = NULL;
    if (n)
        *n = 0;
    if (!b64)
        return CORE_OK;
    char ad[160];
    int rc = field_ad(ad, sizeof ad, reference, field);
    if (rc != CORE_OK)
        return rc;
    return cry_aead_open(key, ad, b64, a, out, n);
}

int rmd_receipt_hash(const rmd_service *svc, const char *receipt, char out[CRY_HASH_HEX_LEN + 1])
{
    char norm[GRV_RECEIPT_CHARS + 1];
    if (!receipt || grv_receipt_normalize(receipt, norm) != CORE_OK) {
        /* Same work as a well-formed code, so timing tells nothing. */
        memset(norm, '0', GRV_RECEIPT_CHARS);
        norm[GRV_RECEIPT_CHARS] = '\0';
        cry_keyed_hash_hex(svc->receipt_key, norm, GRV_RECEIPT_CHARS, out);
        return CORE_INVALID;
    }
    cry_keyed_hash_hex(svc->receipt_key, norm, GRV_RECEIPT_CHARS, out);
    return CORE_OK;
}

int rmd_audit(store_conn *c, core_arena *a, int64_t org_id, const char *actor,
              int64_t actor_user_id, int64_t now, int64_t case_id, const char *action,
              const char *after_state)
{
    store_audit_entry e;
    memset(&e, 0, sizeof e);
    e.at = now;
    e.org_id = org_id;
    e.actor_user_id = actor_user_id;
    e.actor = actor ? actor : "system";
    e.object_type = "grievance";
    e.object_id = core_arena_printf(a, "%lld", (long long)case_id);
    e.action = action;
    char d[CRY_HASH_HEX_LEN + 1];
    if (after_state) {
        /* A digest of the new state only: the audit row holds no content. */
        char buf[96];
        int w = snprintf(buf, sizeof buf, "grievance:%lld:%s", (long long)case_id, after_state);
        cry_hash_hex(buf, w > 0 ? (size_t)w : 0, d);
        e.after_digest = d;
    }
    if (!e.object_id)
        return CORE_NOMEM;
    return store_audit_append(c, a, &e);
}
