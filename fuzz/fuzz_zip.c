/* fuzz_zip: libFuzzer target for the streaming zip reader (ing_zip): local
 * headers, stored and deflate entries, data descriptors, zip64 sizes, CRC
 * checks, and one level of nesting (an entry whose name ends in ".zip" is
 * read as an archive from its inflated stream, as ing_run does). The source
 * is a memory block; nothing touches the disk.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct mem {
    const uint8_t *p;
    size_t n, off;
} mem;

static long mem_read(void *ctx, void *buf, size_t n)
{
    mem *m = ctx;
    size_t left = m->n - m->off;
    if (n > left)
        n = left;
    memcpy(buf, m->p + m->off, n);
    m->off += n;
    return (long)n;
}

static void walk(ing_src *src, int depth)
{
    ing_zip *z = NULL;
    if (ing_zip_open(&z, src) != CORE_OK)
        return;
    char err[256];
    ing_zip_entry e;
    unsigned entries = 0;
    while (entries++ < 64 && ing_zip_next(z, &e, err, sizeof err) == CORE_OK) {
        size_t nl = strnlen(e.name, sizeof e.name);
        if (nl == sizeof e.name)
            abort();   /* the name must be NUL-terminated */
        if (depth == 0 && nl > 4 && strcmp(e.name + nl - 4, ".zip") == 0) {
            ing_src inner;
            ing_zip_entry_src(z, &inner);
            walk(&inner, depth + 1);
            continue;
        }
        char buf[4096];
        long r;
        uint64_t total = 0;
        while ((r = ing_zip_read(z, buf, sizeof buf)) > 0) {
            total += (uint64_t)r;
            if (total > (16u << 20))
                break;   /* bound the work per input (a deflate bomb) */
        }
        if (r < 0 && !ing_zip_error(z))
            abort();
    }
    ing_zip_close(z);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mem m = {.p = data, .n = size, .off = 0};
    ing_src src = {.read = mem_read, .ctx = &m, .offset = 0};
    walk(&src, 0);
    return 0;
}
