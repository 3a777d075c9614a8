/* core_arena: bump allocator for everything one request or command needs.
 *
 * Memory comes in blocks of at least CORE_ARENA_BLOCK bytes, chained newest
 * first. Small allocations bump a pointer in the head block; an allocation
 * larger than a quarter block gets a block of its own, linked behind the head
 * so the head keeps serving small requests. Every allocation is 16-byte
 * aligned and zeroed. core_arena_cleanup frees all blocks at once.
 */
#include "core/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CORE_ARENA_BLOCK 8192u
#define CORE_ARENA_ALIGN 16u

struct core_arena_block {
    core_arena_block *next;
    size_t size;                 /* usable bytes in data */
    size_t used;
    _Alignas(16) unsigned char data[];
};

void core_arena_init(core_arena *a)
{
    a->head = NULL;
    a->used_total = 0;
}

void core_arena_cleanup(core_arena *a)
{
    core_arena_block *b = a->head;
    while (b) {
        core_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used_total = 0;
}

static core_arena_block *block_new(size_t size)
{
    if (size > SIZE_MAX - sizeof(core_arena_block))
        return NULL;
    core_arena_block *b = malloc(sizeof(core_arena_block) + size);
    if (!b)
        return NULL;
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

void *core_arena_alloc(core_arena *a, size_t n)
{
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX - CORE_ARENA_ALIGN)
        return NULL;
    size_t need = (n + CORE_ARENA_ALIGN - 1) & ~(size_t)(CORE_ARENA_ALIGN - 1);
    core_arena_block *b = a->head;
    unsigned char *p;

    if (b && b->size - b->used >= need) {
        p = b->data + b->used;
        b->used += need;
    } else if (need > CORE_ARENA_BLOCK / 4) {
        /* large: its own block, kept behind the head */
        core_arena_block *big = block_new(need);
        if (!big)
            return NULL;
        big->used = need;
        if (b) {
            big->next = b->next;
            b->next = big;
        } else {
            a->head = big;
        }
        p = big->data;
    } else {
        core_arena_block *nb = block_new(CORE_ARENA_BLOCK);
        if (!nb)
            return NULL;
        nb->next = b;
        a->head = nb;
        nb->used = need;
        p = nb->data;
    }
    memset(p, 0, need);
    a->used_total += need;
    return p;
}

char *core_arena_strndup(core_arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    size_t len = strnlen(s, n);
    if (len == SIZE_MAX)
        return NULL;
    char *d = core_arena_alloc(a, len + 1);
    if (!d)
        return NULL;
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

char *core_arena_strdup(core_arena *a, const char *s)
{
    if (!s)
        return NULL;
    return core_arena_strndup(a, s, strlen(s));
}

char *core_arena_vprintf(core_arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *d = core_arena_alloc(a, (size_t)n + 1);
    if (!d)
        return NULL;
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    return d;
}

char *core_arena_printf(core_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *d = core_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return d;
}
