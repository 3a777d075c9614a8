/* fuzz_receipt: libFuzzer target for what a complainant types or sends on
 * the receipt side: the receipt code (grv_receipt_normalize, with its
 * round-trip through grv_receipt_format as an oracle) and the type sniffing
 * of a file they attach (grv_sniff_type). Pure functions, no I/O.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grievance/grievance.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = 0;

    char norm[GRV_RECEIPT_CHARS + 1];
    if (grv_receipt_normalize(s, norm) == CORE_OK) {
        if (strlen(norm) != GRV_RECEIPT_CHARS)
            abort();
        /* a normalised code normalises to itself */
        char again[GRV_RECEIPT_CHARS + 1];
        if (grv_receipt_normalize(norm, again) != CORE_OK || strcmp(norm, again) != 0)
            abort();
    } else if (norm[0] != 0) {
        abort();   /* a refused code leaves no partial output behind */
    }

    /* any 13 bytes format into a code that normalises back to its characters */
    if (size >= GRV_RECEIPT_BYTES) {
        char text[GRV_RECEIPT_TEXT + 1];
        if (grv_receipt_format(data, text) != CORE_OK || strlen(text) != GRV_RECEIPT_TEXT)
            abort();
        char back[GRV_RECEIPT_CHARS + 1];
        if (grv_receipt_normalize(text, back) != CORE_OK)
            abort();
        for (size_t i = 0, o = 0; text[i]; i++) {
            if (text[i] == '-')
                continue;
            if (back[o++] != text[i])
                abort();
        }
    }
    if (size >= 5) {
        char ref[11];
        if (grv_reference_format(data, ref) != CORE_OK || strncmp(ref, "G-", 2) != 0)
            abort();
    }
    (void)grv_sniff_type(data, size);
    free(s);
    return 0;
}
