/* fuzz_yaml: libFuzzer target for the methodology loader (asm_load_yaml:
 * libyaml events, the schema check, references between scales, categories,
 * indicators and elements). A methodology that loads is written back as
 * YAML (asm_write_yaml), which must load again (the RDR import stores what
 * asm_write_yaml produced), and rendered as JSON. Everything is in an arena
 * per input; no file I/O.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    core_arena a;
    core_arena_init(&a);
    asm_methodology *m = NULL;
    asm_error err;
    memset(&err, 0, sizeof err);
    int rc = asm_load_yaml(&a, "fuzz.yaml", (const char *)data, size, &m, &err);
    if (rc == CORE_OK) {
        if (!m)
            abort();
        core_buf out;
        core_buf_init(&out);
        if (asm_write_yaml(m, &out) == CORE_OK) {
            asm_methodology *m2 = NULL;
            asm_error err2;
            memset(&err2, 0, sizeof err2);
            if (asm_load_yaml(&a, "again.yaml", out.data, out.len, &m2, &err2) != CORE_OK) {
                char msg[600];
                asm_error_format(&err2, msg, sizeof msg);
                fprintf(stderr, "written methodology does not load again: %s\n", msg);
                abort();
            }
        }
        core_buf_cleanup(&out);
        json_t *j = asm_methodology_json(m);
        json_decref(j);
    } else {
        char msg[600];
        asm_error_format(&err, msg, sizeof msg);
    }
    core_arena_cleanup(&a);
    return 0;
}
