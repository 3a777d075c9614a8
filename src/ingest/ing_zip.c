/* ing_zip: a streaming zip reader (no seeking, no central directory).
 *
 * Reads local file headers in archive order from an ing_src: the official
 * DSA daily archives are written front to back, and a nested archive can
 * only be read that way (its bytes come out of the outer entry's inflater).
 * Supported: stored and deflate (raw inflate, zlib), data descriptors (bit
 * 3; with or without their signature; 8-byte sizes when the entry carries
 * a zip64 extra field), zip64 sizes in the local header. Each entry's
 * CRC-32 and size are checked at its end. The central directory signature
 * ends the walk. Faults (bad signature, truncation, corrupt deflate data,
 * CRC mismatch, encryption, a stored entry of unknown size) carry the
 * offset in the archive of the byte where they were found.
 */
#include "ingest/ing_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define ZBUF (256u << 10)

struct ing_zip {
    ing_src *src;
    unsigned char *buf;
    size_t pos, len;
    uint64_t off;                    /* archive offset of buf[pos] */
    int eof;
    /* current entry */
    int in_entry, method, desc, zip64, done;
    uint64_t csize, usize, left, out;
    uint32_t crc, want_crc;
    char name[512];
    z_stream zs;
    int zinit;
    char err[256];
};

static int fill(ing_zip *z, size_t need)
{
    while (z->len - z->pos < need) {
        if (z->eof) return 0;
        if (z->pos > 0) {
            memmove(z->buf, z->buf + z->pos, z->len - z->pos);
            z->len -= z->pos;
            z->pos = 0;
        }
        long r = z->src->read(z->src->ctx, z->buf + z->len, ZBUF - z->len);
        if (r < 0) {
            snprintf(z->err, sizeof z->err, "read error at offset %llu", (unsigned long long)z->off);
            return -1;
        }
        if (r == 0) z->eof = 1;
        z->len += (size_t)r;
        z->src->offset += (uint64_t)r;
    }
    return 1;
}

static uint32_t le16(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t le32(const unsigned char *p) { return le16(p) | le16(p + 2) << 16; }
static uint64_t le64(const unsigned char *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }

static void consume(ing_zip *z, size_t n)
{
    z->pos += n;
    z->off += n;
}

int ing_zip_open(ing_zip **out, ing_src *src)
{
    ing_zip *z = calloc(1, sizeof *z);
    if (!z) return CORE_NOMEM;
    z->buf = malloc(ZBUF);
    if (!z->buf) {
        free(z);
        return CORE_NOMEM;
    }
    z->src = src;
    *out = z;
    return CORE_OK;
}

void ing_zip_close(ing_zip *z)
{
    if (!z) return;
    if (z->zinit) inflateEnd(&z->zs);
    free(z->buf);
    free(z);
}

const char *ing_zip_error(const ing_zip *z)
{
    return z->err[0] ? z->err : "unknown fault";
}

static long fault(ing_zip *z, const char *what)
{
    snprintf(z->err, sizeof z->err, "%s in entry '%.160s' at offset %llu", what, z->name,
             (unsigned long long)z->off);
    return -1;
}

/* End of the entry's data: descriptor, checks. */
static long finish(ing_zip *z)
{
    if (z->desc) {
        int r = fill(z, 4);
        if (r < 0) return -1;
        if (r == 0) return fault(z, "truncated data descriptor");
        if (le32(z->buf + z->pos) == 0x08074b50u) consume(z, 4);
        size_t dl = z->zip64 ? 20 : 12;
        r = fill(z, dl);
        if (r < 0) return -1;
        if (r == 0) return fault(z, "truncated data descriptor");
        const unsigned char *p = z->buf + z->pos;
        z->want_crc = le32(p);
        uint64_t us = z->zip64 ? le64(p + 12) : le32(p + 8);
        z->usize = us;
        consume(z, dl);
    }
    if (z->crc != z->want_crc) return fault(z, "CRC mismatch");
    if (z->out != z->usize) return fault(z, "size mismatch");
    z->done = 1;
    return 0;
}

long ing_zip_read(ing_zip *z, void *dst, size_t n)
{
    if (!z->in_entry || z->done) return 0;
    if (n == 0) return 0;
    if (z->method == 0) {
        if (z->left == 0) return finish(z);
        int r = fill(z, 1);
        if (r < 0) return -1;
        if (r == 0) return fault(z, "truncated entry data");
        size_t k = z->len - z->pos;
        if (k > n) k = n;
        if (k > z->left) k = (size_t)z->left;
        memcpy(dst, z->buf + z->pos, k);
        consume(z, k);
        z->left -= k;
        z->out += k;
        z->crc = (uint32_t)crc32(z->crc, dst, (uInt)k);
        return (long)k;
    }
    /* deflate */
    z->zs.next_out = dst;
    z->zs.avail_out = (uInt)(n > (1u << 30) ? (1u << 30) : n);
    while (z->zs.avail_out == (uInt)(n > (1u << 30) ? (1u << 30) : n)) {
        if (z->pos == z->len) {
            int r = fill(z, 1);
            if (r < 0) return -1;
            if (r == 0) return fault(z, "truncated deflate data");
        }
        size_t avail = z->len - z->pos;
        if (!z->desc && avail > z->left) avail = (size_t)z->left;
        z->zs.next_in = z->buf + z->pos;
        z->zs.avail_in = (uInt)avail;
        int zr = inflate(&z->zs, Z_NO_FLUSH);
        size_t used = avail - z->zs.avail_in;
        consume(z, used);
        if (!z->desc) z->left -= used;
        if (zr == Z_STREAM_END) {
            size_t got = (size_t)((unsigned char *)z->zs.next_out - (unsigned char *)dst);
            z->crc = (uint32_t)crc32(z->crc, dst, (uInt)got);
            z->out += got;
            if (!z->desc && z->left != 0) return fault(z, "deflate data shorter than its size");
            long fr = finish(z);
            if (fr < 0) return -1;
            return got ? (long)got : 0;
        }
        if (zr != Z_OK && zr != Z_BUF_ERROR) return fault(z, "corrupt deflate data");
        if (zr == Z_BUF_ERROR && used == 0 && !z->desc && z->left == 0)
            return fault(z, "deflate data longer than its size");
    }
    size_t got = (size_t)((unsigned char *)z->zs.next_out - (unsigned char *)dst);
    z->crc = (uint32_t)crc32(z->crc, dst, (uInt)got);
    z->out += got;
    return (long)got;
}

int ing_zip_next(ing_zip *z, ing_zip_entry *e, char *err, size_t errlen)
{
    if (z->in_entry && !z->done) {
        unsigned char sink[16 << 10];   /* discarded bytes only */
        long r;
        while ((r = ing_zip_read(z, sink, sizeof sink)) > 0) {}
        if (r < 0) {
            snprintf(err, errlen, "%s", z->err);
            return CORE_INVALID;
        }
    }
    z->in_entry = 0;
    int r = fill(z, 4);
    if (r < 0) goto fail;
    if (r == 0) {
        snprintf(err, errlen, "truncated archive at offset %llu (no central directory)",
                 (unsigned long long)z->off);
        return CORE_INVALID;
    }
    uint32_t sig = le32(z->buf + z->pos);
    if (sig == 0x02014b50u || sig == 0x06054b50u || sig == 0x06064b50u) {
        /* the rest must end with a complete end-of-central-directory record
           (a cut archive would otherwise pass unnoticed) */
        const size_t keep = 22 + 65535;
        for (;;) {
            if (z->len - z->pos > keep) consume(z, z->len - z->pos - keep);
            if (z->eof) break;
            int fr = fill(z, z->len - z->pos + 1);
            if (fr < 0) goto fail;
        }
        const unsigned char *b = z->buf + z->pos;
        size_t n = z->len - z->pos;
        for (size_t i = n >= 22 ? n - 22 + 1 : 0; i-- > 0;) {
            if (le32(b + i) == 0x06054b50u && i + 22 + le16(b + i + 20) == n) return CORE_NOTFOUND;
        }
        snprintf(err, errlen, "truncated archive: no end of central directory (archive ends at "
                 "offset %llu)", (unsigned long long)(z->off + n));
        return CORE_INVALID;
    }
    if (sig != 0x04034b50u) {
        snprintf(err, errlen, "not a zip local header at offset %llu", (unsigned long long)z->off);
        return CORE_INVALID;
    }
    uint64_t hoff = z->off;
    r = fill(z, 30);
    if (r <= 0) {
        if (r == 0) snprintf(z->err, sizeof z->err, "truncated local header at offset %llu",
                             (unsigned long long)hoff);
        goto fail;
    }
    const unsigned char *p = z->buf + z->pos;
    unsigned flags = le16(p + 6), method = le16(p + 8);
    uint32_t crc = le32(p + 14);
    uint64_t cs = le32(p + 18), us = le32(p + 22);
    size_t nl = le16(p + 26), xl = le16(p + 28);
    consume(z, 30);
    r = fill(z, nl + xl);
    if (r <= 0) {
        if (r == 0) snprintf(z->err, sizeof z->err, "truncated local header at offset %llu",
                             (unsigned long long)hoff);
        goto fail;
    }
    p = z->buf + z->pos;
    size_t cn = nl < sizeof z->name - 1 ? nl : sizeof z->name - 1;
    memcpy(z->name, p, cn);
    z->name[cn] = 0;
    z->zip64 = 0;
    for (size_t x = nl; x + 4 <= nl + xl;) {
        unsigned id = le16(p + x), sz = le16(p + x + 2);
        if (x + 4 + sz > nl + xl) break;
        if (id == 0x0001) {
            z->zip64 = 1;
            size_t k = x + 4;
            if (us == 0xFFFFFFFFu && k + 8 <= x + 4 + sz) { us = le64(p + k); k += 8; }
            if (cs == 0xFFFFFFFFu && k + 8 <= x + 4 + sz) { cs = le64(p + k); k += 8; }
        }
        x += 4 + sz;
    }
    consume(z, nl + xl);
    if (flags & 1u) {
        snprintf(err, errlen, "encrypted entry '%.160s' at offset %llu is not supported", z->name,
                 (unsigned long long)hoff);
        return CORE_INVALID;
    }
    if (method != 0 && method != 8) {
        snprintf(err, errlen, "entry '%.160s' at offset %llu: compression method %u not supported",
                 z->name, (unsigned long long)hoff, method);
        return CORE_INVALID;
    }
    z->desc = (flags & 8u) != 0;
    if (method == 0 && z->desc && cs == 0) {
        snprintf(err, errlen, "stored entry '%.160s' at offset %llu has no size (data descriptor)",
                 z->name, (unsigned long long)hoff);
        return CORE_INVALID;
    }
    if (method == 0 && z->desc) z->desc = 1;
    z->method = (int)method;
    z->csize = cs;
    z->usize = us;
    z->left = cs;
    z->want_crc = crc;
    z->crc = 0;
    z->out = 0;
    z->done = 0;
    z->in_entry = 1;
    if (method == 8) {
        if (z->zinit) inflateEnd(&z->zs);
        memset(&z->zs, 0, sizeof z->zs);
        if (inflateInit2(&z->zs, -15) != Z_OK) {
            z->zinit = 0;
            snprintf(err, errlen, "out of memory");
            return CORE_ERR;
        }
        z->zinit = 1;
    }
    snprintf(e->name, sizeof e->name, "%s", z->name);
    e->csize = z->desc ? 0 : cs;
    e->usize = z->desc ? 0 : us;
    e->method = (int)method;
    e->header_offset = hoff;
    return CORE_OK;
fail:
    snprintf(err, errlen, "%s", z->err);
    return CORE_INVALID;
}

static long entry_read(void *ctx, void *buf, size_t n)
{
    return ing_zip_read(ctx, buf, n);
}

void ing_zip_entry_src(ing_zip *z, ing_src *out)
{
    out->read = entry_read;
    out->ctx = z;
    out->offset = 0;
}
