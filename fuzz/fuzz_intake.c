/* fuzz_intake: libFuzzer target for JSON intake validation: the body of
 * POST .../grievances (grv_intake_from_json, then grv_intake_validate_all at
 * a fixed "now" so runs are deterministic) and a staff mechanism edit
 * (rmd_mechanism_from_json, creating and updating). Pure functions: no
 * database, no I/O. The JSON is released before the next input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "grievance/grievance.h"
#include "remedy/remedy.h"

#define FIXED_NOW INT64_C(1767225600)   /* 2026-01-01T00:00:00Z */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t jerr;
    json_t *obj = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
    if (!obj)
        return 0;
    if (json_is_object(obj)) {
        grv_intake in;
        grv_error err;
        memset(&in, 0, sizeof in);
        memset(&err, 0, sizeof err);
        if (grv_intake_from_json(obj, &in, &err) == CORE_OK) {
            grv_policy p;
            grv_policy_defaults(&p);
            grv_error errv[8];
            size_t n = 0;
            int rc = grv_intake_validate(&in, FIXED_NOW, &p, &err);
            int rc_all = grv_intake_validate_all(&in, FIXED_NOW, &p, errv, 8, &n);
            /* both checks must agree on whether the intake is valid */
            if ((rc == CORE_OK) != (rc_all == CORE_OK) || (rc_all == CORE_OK && n != 0))
                abort();
            for (size_t i = 0; i < n && i < 8; i++)
                if (!errv[i].field || !errv[i].key)
                    abort();
        } else if (!err.field || !err.key) {
            abort();
        }
        for (int creating = 0; creating <= 1; creating++) {
            core_arena a;
            core_arena_init(&a);
            store_mechanism m;
            memset(&m, 0, sizeof m);
            grv_error merr;
            memset(&merr, 0, sizeof merr);
            (void)rmd_mechanism_from_json(obj, &a, creating, &m, &merr);
            core_arena_cleanup(&a);
        }
    }
    json_decref(obj);
    return 0;
}
