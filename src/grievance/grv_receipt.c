/* grv_receipt: the receipt code a complainant writes down, and the public
 * case reference.
 *
 * Receipt: 100 random bits as 20 Crockford base32 characters
 * (0-9 A-Z without I L O U), shown XXXXX-XXXXX-XXXXX-XXXXX. The bits are read
 * big-endian from 13 bytes: bytes 0-11 whole and the top 4 bits of byte 12
 * (its low 4 bits are ignored). Normalisation accepts what people type:
 * lower case, spaces/tabs/line breaks and hyphens anywhere, I and L read as
 * 1, O read as 0; anything else (U, punctuation, a wrong count) is
 * CORE_INVALID. Input longer than 64 bytes is refused before any work.
 * Reference: "G-" + 8 Crockford characters from 5 bytes (40 bits, not a
 * secret: it names the case in letters and on staff pages).
 */
#include "grievance/grievance.h"

#include <string.h>

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* Writes nchars base32 characters from the big-endian bit string of in. */
static void encode_bits(const unsigned char *in, int nchars, char *out)
{
    for (int i = 0; i < nchars; i++) {
        int bit = i * 5;
        int byte = bit / 8, off = bit % 8;
        unsigned v = (unsigned)in[byte] << 8;
        if (off > 3)
            v |= in[byte + 1];
        out[i] = crockford[(v >> (11 - off)) & 31];
    }
}

int grv_receipt_format(const unsigned char bytes[GRV_RECEIPT_BYTES], char out[GRV_RECEIPT_TEXT + 1])
{
    if (!bytes || !out)
        return CORE_INVALID;
    char raw[GRV_RECEIPT_CHARS];
    encode_bits(bytes, GRV_RECEIPT_CHARS, raw);
    size_t o = 0;
    for (int i = 0; i < GRV_RECEIPT_CHARS; i++) {
        if (i && i % 5 == 0)
            out[o++] = '-';
        out[o++] = raw[i];
    }
    out[o] = '\0';
    return CORE_OK;
}

static int crockford_char(unsigned char c)
{
    if (c >= 'a' && c <= 'z')
        c = (unsigned char)(c - 'a' + 'A');
    if (c == 'I' || c == 'L')
        return '1';
    if (c == 'O')
        return '0';
    if (c == 'U')
        return -1;
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))
        return c;
    return -1;
}

int grv_receipt_normalize(const char *in, char out[GRV_RECEIPT_CHARS + 1])
{
    if (!in || !out)
        return CORE_INVALID;
    out[0] = '\0';
    size_t len = strnlen(in, 65);
    if (len > 64)
        return CORE_INVALID;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == ' ' || c == '-' || c == '\t' || c == '\r' || c == '\n')
            continue;
        int v = crockford_char(c);
        if (v < 0 || o >= GRV_RECEIPT_CHARS) {
            out[0] = '\0';
            return CORE_INVALID;
        }
        out[o++] = (char)v;
    }
    if (o != GRV_RECEIPT_CHARS) {
        out[0] = '\0';
        return CORE_INVALID;
    }
    out[o] = '\0';
    return CORE_OK;
}

int grv_reference_format(const unsigned char bytes[5], char out[11])
{
    if (!bytes || !out)
        return CORE_INVALID;
    out[0] = 'G';
    out[1] = '-';
    encode_bits(bytes, 8, out + 2);
    out[10] = '\0';
    return CORE_OK;
}
