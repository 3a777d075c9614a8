/* asm_int: private helpers shared by the files of the assess module: the
 * YAML node tree (built from libyaml parser events, with 1-based marks),
 * error setting, the element-id hash and a tiny CSV reader for the RDR
 * import. Never included outside src/assess.
 */
#ifndef HRDD_ASM_INT_H
#define HRDD_ASM_INT_H

#include <stddef.h>

#include "assess/assess.h"

typedef enum asm_ytype { ASM_Y_SCALAR = 0, ASM_Y_MAP, ASM_Y_SEQ } asm_ytype;

typedef struct asm_ynode {
    asm_ytype type;
    int line, col;                   /* 1-based start mark */
    const char *text;                /* scalar: NUL-terminated copy (arena) */
    size_t len;
    int plain;                       /* scalar written without quotes */
    struct asm_ynode **items;        /* seq: items; map: key, value, key, value ... */
    size_t n;                        /* number of items (map: 2 x pairs) */
} asm_ynode;

/* Parses one YAML document into a node tree in a. An empty document gives
 * an empty map. Aliases and multiple documents are errors. */
int asm_yaml_tree(core_arena *a, const char *file, const char *text, size_t len, asm_ynode **root,
                  asm_error *err);

void asm_err_set(asm_error *err, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Element-id hash (open addressing, arena). */
int asm_index_build(core_arena *a, asm_methodology *m);

/* Appends s as a YAML double-quoted scalar. */
int asm_yaml_quote(core_buf *b, const char *s);

/* ---- CSV (RFC 4180: quotes, doubled quotes, CRLF) ---- */
typedef struct asm_csv {
    char ***rows;                    /* rows[r][c], arena */
    size_t *ncols;
    size_t nrows;                    /* the header row included */
} asm_csv;
int asm_csv_parse(core_arena *a, const char *text, size_t len, asm_csv *out);
int asm_csv_col(const asm_csv *t, const char *name);                 /* header index or -1 */
const char *asm_csv_get(const asm_csv *t, size_t row, int col);     /* "" when missing */

/* Reads a whole file into a (NUL-terminated); CORE_ERR if unreadable. */
int asm_read_file(core_arena *a, const char *path, char **out, size_t *len);

#endif
