/* dd_rights_table: the internal interface between the generated catalogue
 * tables (dd_rights_table.c, written by gen_rights.py from rights.json at
 * build time) and dd_rights.c, which exposes them through dd.h. Not for use
 * outside src/dd.
 */
#ifndef HRDD_DD_RIGHTS_TABLE_H
#define HRDD_DD_RIGHTS_TABLE_H

#include "dd/dd.h"

extern const char *const dd_tag_table[];
extern const char *const dd_tag_key_table[];
extern const char *const dd_tag_label_table[];
extern const size_t dd_tag_count;
extern const dd_instrument dd_instrument_table[];
extern const size_t dd_instrument_count;
extern const dd_right dd_right_table[];
extern const size_t dd_right_count;

#endif
