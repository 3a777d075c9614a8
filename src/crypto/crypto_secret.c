/* crypto_secret: the server secret, 32 random bytes in a file of its own.
 *
 * The file lives outside the database so that a leaked database dump does
 * not reveal the keyed digests' key. It is created with O_CREAT|O_EXCL and
 * mode 0600 (never overwritten), and refused when it is not a regular file,
 * is not exactly 32 bytes, or is readable or writable by group or others.
 */
#include "crypto/crypto.h"

#include "core/core.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int create_secret(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return errno == EEXIST ? CORE_CONFLICT : CORE_ERR;
    unsigned char key[CRY_SECRET_LEN];
    randombytes_buf(key, sizeof key);
    int ok = fchmod(fd, 0600) == 0 && write_all(fd, key, sizeof key) == 0 && fsync(fd) == 0;
    sodium_memzero(key, sizeof key);
    if (close(fd) != 0)
        ok = 0;
    if (!ok) {
        unlink(path);
        return CORE_ERR;
    }
    return CORE_OK;
}

int cry_secret_load(const char *path, int create, unsigned char out[CRY_SECRET_LEN])
{
    if (!path || !*path || !out)
        return CORE_INVALID;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        if (!create)
            return CORE_NOTFOUND;
        int rc = create_secret(path);
        if (rc != CORE_OK && rc != CORE_CONFLICT)   /* conflict: another process won */
            return rc;
        fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (fd < 0)
        return CORE_ERR;

    struct stat sb;
    int rc = CORE_OK;
    if (fstat(fd, &sb) != 0) {
        rc = CORE_ERR;
    } else if (!S_ISREG(sb.st_mode)) {
        rc = CORE_INVALID;
    } else if (sb.st_mode & (S_IRWXG | S_IRWXO)) {
        rc = CORE_DENIED;
    } else if (sb.st_size != CRY_SECRET_LEN) {
        rc = CORE_INVALID;
    } else {
        size_t got = 0;
        while (got < CRY_SECRET_LEN) {
            ssize_t r = read(fd, out + got, CRY_SECRET_LEN - got);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            got += (size_t)r;
        }
        if (got != CRY_SECRET_LEN) {
            rc = CORE_INVALID;
        } else {
            /* exactly 32 bytes: nothing may follow */
            unsigned char extra;
            if (read(fd, &extra, 1) != 0)
                rc = CORE_INVALID;
        }
        if (rc != CORE_OK)
            sodium_memzero(out, CRY_SECRET_LEN);
    }
    close(fd);
    return rc;
}
