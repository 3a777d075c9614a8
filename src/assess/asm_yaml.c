/* asm_yaml: libyaml parser events -> a small node tree with line:column
 * marks, so that the methodology loader can report every schema error at
 * the exact place in the file. Also the error helper, file reading and the
 * YAML quoting used by asm_write_yaml.
 *
 * The tree lives in the caller's arena. Child arrays grow by doubling into
 * the arena (a methodology file is small; the garbage dies with the arena).
 * Anchors are accepted and ignored; aliases are refused (a methodology is
 * plain data, and refusing them rules out alias-expansion bombs). Nesting
 * is limited to ASM_Y_DEPTH.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <yaml.h>

#include "assess/asm_int.h"

#define ASM_Y_DEPTH 64

void asm_err_set(asm_error *err, const char *file, int line, int col, const char *fmt, ...)
{
    if (!err) return;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "<input>");
    err->line = line;
    err->column = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

void asm_error_format(const asm_error *err, char *buf, size_t n)
{
    if (!buf || n == 0) return;
    if (!err) {
        buf[0] = '\0';
        return;
    }
    if (err->line > 0)
        snprintf(buf, n, "%s:%d:%d: %s", err->file, err->line, err->column, err->message);
    else
        snprintf(buf, n, "%s: %s", err->file, err->message);
}

typedef struct ystack {
    asm_ynode *node;
    size_t cap;
} ystack;

static asm_ynode *ynew(core_arena *a, asm_ytype t, const yaml_mark_t *m)
{
    asm_ynode *n = core_arena_alloc(a, sizeof *n);
    if (!n) return NULL;
    n->type = t;
    n->line = (int)m->line + 1;
    n->col = (int)m->column + 1;
    return n;
}

static int yadd(core_arena *a, ystack *top, asm_ynode *child)
{
    asm_ynode *p = top->node;
    if (p->n == top->cap) {
        size_t ncap = top->cap ? top->cap * 2 : 8;
        asm_ynode **ni = core_arena_alloc(a, ncap * sizeof *ni);
        if (!ni) return CORE_NOMEM;
        if (p->n) memcpy(ni, p->items, p->n * sizeof *ni);
        p->items = ni;
        top->cap = ncap;
    }
    p->items[p->n++] = child;
    return CORE_OK;
}

int asm_yaml_tree(core_arena *a, const char *file, const char *text, size_t len, asm_ynode **root,
                  asm_error *err)
{
    yaml_parser_t p;
    yaml_event_t ev;
    ystack st[ASM_Y_DEPTH];
    int depth = 0, rc = CORE_OK, done = 0, docs = 0;
    asm_ynode *top = NULL;

    *root = NULL;
    if (!yaml_parser_initialize(&p)) return CORE_NOMEM;
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    while (!done) {
        if (!yaml_parser_parse(&p, &ev)) {
            const yaml_mark_t *m = &p.problem_mark;
            if (p.context)
                asm_err_set(err, file, (int)m->line + 1, (int)m->column + 1, "YAML syntax error: %s %s",
                            p.problem ? p.problem : "error", p.context);
            else
                asm_err_set(err, file, (int)m->line + 1, (int)m->column + 1, "YAML syntax error: %s",
                            p.problem ? p.problem : "error");
            rc = CORE_INVALID;
            break;
        }
        asm_ynode *n = NULL;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1) {
                asm_err_set(err, file, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1,
                            "only one YAML document is allowed");
                rc = CORE_INVALID;
            }
            break;
        case YAML_ALIAS_EVENT:
            asm_err_set(err, file, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1,
                        "aliases are not supported in methodology files");
            rc = CORE_INVALID;
            break;
        case YAML_SCALAR_EVENT:
            n = ynew(a, ASM_Y_SCALAR, &ev.start_mark);
            if (n) {
                n->text = core_arena_strndup(a, (const char *)ev.data.scalar.value, ev.data.scalar.length);
                n->len = ev.data.scalar.length;
                n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
                if (!n->text) n = NULL;
            }
            if (!n) rc = CORE_NOMEM;
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            n = ynew(a, ev.type == YAML_SEQUENCE_START_EVENT ? ASM_Y_SEQ : ASM_Y_MAP, &ev.start_mark);
            if (!n) rc = CORE_NOMEM;
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (depth > 0) {
                asm_ynode *fin = st[--depth].node;
                if (depth == 0) top = fin;
                else rc = yadd(a, &st[depth - 1], fin);
            }
            break;
        default:
            break;
        }
        if (rc == CORE_OK && n) {
            if (n->type == ASM_Y_SCALAR) {
                if (depth == 0) top = n;
                else rc = yadd(a, &st[depth - 1], n);
            } else {
                if (depth == ASM_Y_DEPTH) {
                    asm_err_set(err, file, n->line, n->col, "nesting deeper than %d levels", ASM_Y_DEPTH);
                    rc = CORE_INVALID;
                } else {
                    st[depth].node = n;
                    st[depth].cap = 0;
                    depth++;
                }
            }
        }
        yaml_event_delete(&ev);
        if (rc != CORE_OK) break;
    }
    yaml_parser_delete(&p);
    if (rc != CORE_OK) return rc;
    if (!top) {
        yaml_mark_t m = {0, 0, 0};
        top = ynew(a, ASM_Y_MAP, &m);
        if (!top) return CORE_NOMEM;
    }
    *root = top;
    return CORE_OK;
}

int asm_read_file(core_arena *a, const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return CORE_ERR;
    core_buf b;
    core_buf_init(&b);
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) core_buf_append(&b, chunk, got);
    int bad = ferror(f);
    fclose(f);
    if (bad || b.oom) {
        core_buf_cleanup(&b);
        return bad ? CORE_ERR : CORE_NOMEM;
    }
    *len = b.len;
    *out = core_arena_strndup(a, core_buf_cstr(&b), b.len);
    core_buf_cleanup(&b);
    return *out ? CORE_OK : CORE_NOMEM;
}

int asm_yaml_quote(core_buf *b, const char *s)
{
    core_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"': core_buf_puts(b, "\\\""); break;
        case '\\': core_buf_puts(b, "\\\\"); break;
        case '\n': core_buf_puts(b, "\\n"); break;
        case '\r': core_buf_puts(b, "\\r"); break;
        case '\t': core_buf_puts(b, "\\t"); break;
        default:
            if (*p < 0x20) core_buf_printf(b, "\\x%02x", *p);
            else core_buf_putc(b, (char)*p);
        }
    }
    return core_buf_putc(b, '"');
}
