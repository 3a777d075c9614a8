/* asm_shipped: the methodologies hrdd ships, compiled in from
 * src/assess/methodologies/ (one .yaml each) by gen_methodologies.py (meson custom
 * target), looked up by id and loaded through the same loader as any file.
 */
#include <stdio.h>
#include <string.h>

#include "assess/assess.h"

extern const asm_shipped asm_shipped_table[];
extern const size_t asm_shipped_n;

size_t asm_shipped_count(void)
{
    return asm_shipped_n;
}

const asm_shipped *asm_shipped_at(size_t i)
{
    return i < asm_shipped_n ? &asm_shipped_table[i] : NULL;
}

const asm_shipped *asm_shipped_find(const char *id)
{
    for (size_t i = 0; id && i < asm_shipped_n; i++)
        if (!strcmp(asm_shipped_table[i].id, id)) return &asm_shipped_table[i];
    return NULL;
}

int asm_shipped_load(core_arena *a, const char *id, asm_methodology **out, asm_error *err)
{
    const asm_shipped *s = asm_shipped_find(id);
    *out = NULL;
    if (!s) {
        if (err) {
            memset(err, 0, sizeof *err);
            snprintf(err->file, sizeof err->file, "%s", id ? id : "");
            snprintf(err->message, sizeof err->message, "no shipped methodology with this id");
        }
        return CORE_NOTFOUND;
    }
    return asm_load_yaml(a, s->file, s->yaml, s->len, out, err);
}
