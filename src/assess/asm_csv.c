/* asm_csv: a small RFC 4180 CSV reader for the RDR import (quoted fields,
 * doubled quotes, commas and newlines inside quotes, CRLF or LF). The whole
 * table goes into the caller's arena; the first row is the header.
 */
#include <string.h>

#include "assess/asm_int.h"

int asm_csv_parse(core_arena *a, const char *text, size_t len, asm_csv *out)
{
    memset(out, 0, sizeof *out);
    size_t cap_rows = 0, cap_cols = 0, ncols = 0;
    char **cols = NULL;
    core_buf f;
    core_buf_init(&f);
    size_t i = 0;
    int rc = CORE_OK;
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB && (unsigned char)text[2] == 0xBF)
        i = 3;                       /* UTF-8 byte order mark */
    while (i < len && rc == CORE_OK) {
        /* one field */
        core_buf_reset(&f);
        int quoted = 0;
        if (text[i] == '"') {
            quoted = 1;
            i++;
            while (i < len) {
                if (text[i] == '"') {
                    if (i + 1 < len && text[i + 1] == '"') {
                        core_buf_putc(&f, '"');
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                core_buf_putc(&f, text[i++]);
            }
        }
        while (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r') core_buf_putc(&f, text[i++]);
        (void)quoted;
        if (ncols == cap_cols) {
            size_t nc = cap_cols ? cap_cols * 2 : 16;
            char **n = core_arena_alloc(a, nc * sizeof *n);
            if (!n) { rc = CORE_NOMEM; break; }
            if (ncols) memcpy(n, cols, ncols * sizeof *n);
            cols = n;
            cap_cols = nc;
        }
        cols[ncols] = core_arena_strndup(a, core_buf_cstr(&f), f.len);
        if (!cols[ncols] || f.oom) { rc = CORE_NOMEM; break; }
        ncols++;
        int eol = i >= len || text[i] != ',';
        if (i < len && text[i] == ',') i++;
        if (eol) {
            if (i < len && text[i] == '\r') i++;
            if (i < len && text[i] == '\n') i++;
            if (out->nrows == cap_rows) {
                size_t nc = cap_rows ? cap_rows * 2 : 64;
                char ***nr = core_arena_alloc(a, nc * sizeof *nr);
                size_t *nn = core_arena_alloc(a, nc * sizeof *nn);
                if (!nr || !nn) { rc = CORE_NOMEM; break; }
                if (out->nrows) {
                    memcpy(nr, out->rows, out->nrows * sizeof *nr);
                    memcpy(nn, out->ncols, out->nrows * sizeof *nn);
                }
                out->rows = nr;
                out->ncols = nn;
                cap_rows = nc;
            }
            out->rows[out->nrows] = cols;
            out->ncols[out->nrows] = ncols;
            out->nrows++;
            cols = NULL;
            ncols = cap_cols = 0;
        }
    }
    core_buf_cleanup(&f);
    return rc;
}

int asm_csv_col(const asm_csv *t, const char *name)
{
    if (t->nrows == 0) return -1;
    for (size_t c = 0; c < t->ncols[0]; c++)
        if (!strcmp(t->rows[0][c], name)) return (int)c;
    return -1;
}

const char *asm_csv_get(const asm_csv *t, size_t row, int col)
{
    if (row >= t->nrows || col < 0 || (size_t)col >= t->ncols[row]) return "";
    return t->rows[row][col];
}
