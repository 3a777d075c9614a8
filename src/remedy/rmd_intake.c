/* rmd_intake: filing a grievance (public intake and staff-recorded ones).
 *
 * Everything that can be refused is checked before the transaction opens
 * (grv_intake_validate, the product slug, the files), so a refused grievance
 * leaves nothing behind. Then one transaction: the case row with every
 * sensitive field sealed under a fresh case key, the clocks of its
 * category, the "received" event, the files and one audit entry. The
 * receipt is returned only after the commit; on SQLite the commit runs with
 * synchronous=FULL (rmd_options.durable_intake), so a returned receipt
 * survives even a power loss, and concurrent filings share one commit
 * (group commit, below) so that the sync is paid once per batch. A
 * reference or receipt collision (unique index) retries with fresh codes.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "remedy/rmd_internal.h"

#define FILE_RETRIES 4

static int fail(grv_error *err, const char *field, const char *key, const char *detail)
{
    err->field = field;
    err->key = key;
    err->detail = detail;
    return CORE_INVALID;
}

static int check_files(const rmd_service *svc, const rmd_upload *files, size_t nfiles,
                       grv_error *err)
{
    if (nfiles > (size_t)svc->opt.max_attachments_per_case) {
        return fail(err, "/attachments", "grv.err.too_many_files",
                    "too many files for one grievance");
    }
    for (size_t i = 0; i < nfiles; i++) {
        const char *key = NULL, *detail = NULL;
        if (!files[i].data || files[i].len == 0) {
            key = "grv.err.file_empty";
            detail = "the file is empty";
        } else if (files[i].len > svc->opt.max_attachment_bytes) {
            key = "grv.err.file_too_big";
            detail = "the file is too big";
        } else if (!grv_sniff_type(files[i].data, files[i].len)) {
            key = "grv.err.file_type";
            detail = "this type of file is not accepted (PDF, PNG, JPEG, GIF, WebP or plain text)";
        } else if (files[i].filename &&
                   (strlen(files[i].filename) > 255 ||
                    !core_utf8_valid(files[i].filename, strlen(files[i].filename)))) {
            key = "grv.err.file_name";
            detail = "the file name is too long or not valid UTF-8";
        }
        if (key) {
            snprintf(err->buf, sizeof err->buf, "/attachments/%zu", i);
            return fail(err, err->buf, key, detail);
        }
    }
    return CORE_OK;
}

/* Seals every sensitive intake field into g. */
static int seal_fields(rmd_tx *tx, const grv_intake *in, int anonymous)
{
    struct {
        const char *field;
        const char *text;
        const char **dst;
    } f[] = {
        {"narrative", in->narrative, &tx->g.enc_narrative},
        {"product_text", in->product_text, &tx->g.enc_product_text},
        {"rights_text", in->rights_text, &tx->g.enc_rights_text},
        {"vulnerable_group", in->vulnerable_group, &tx->g.enc_vulnerable_group},
        {"outcome_sought", in->outcome_sought, &tx->g.enc_outcome_sought},
        {"contact_name", anonymous ? NULL : in->contact_name, &tx->g.enc_contact_name},
        {"contact_email", anonymous ? NULL : in->contact_email, &tx->g.enc_contact_email},
        {"contact_phone", anonymous ? NULL : in->contact_phone, &tx->g.enc_contact_phone},
        {"partner", in->partner, &tx->g.enc_partner},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        char *out = NULL;
        int rc = rmd_seal_text(tx->key, tx->g.reference, f[i].field, f[i].text, tx->a, &out);
        if (rc != CORE_OK)
            return rc;
        *f[i].dst = out;
    }
    return tx->g.enc_narrative ? CORE_OK : CORE_INVALID;
}

/* Fresh key and codes, every field sealed: the job is ready to be written. */
static int prepare(rmd_tx *tx, const grv_intake *in, int64_t kek_version,
                   char receipt[GRV_RECEIPT_TEXT + 1])
{
    rmd_service *svc = tx->svc;
    unsigned char rb[GRV_RECEIPT_BYTES], fb[5];
    char norm[GRV_RECEIPT_CHARS + 1];
    char *ref = core_arena_alloc(tx->a, RMD_REFERENCE_LEN + 1);
    char *wrapped = core_arena_alloc(tx->a, CRY_WRAPPED_KEY_LEN + 1);
    char *rh = core_arena_alloc(tx->a, CRY_HASH_HEX_LEN + 1);
    if (!ref || !wrapped || !rh)
        return CORE_NOMEM;
    cry_random_bytes(rb, sizeof rb);
    cry_random_bytes(fb, sizeof fb);
    cry_key_new(tx->key);
    if (grv_receipt_format(rb, receipt) != CORE_OK || grv_receipt_normalize(receipt, norm) != CORE_OK ||
        grv_reference_format(fb, ref) != CORE_OK)
        return CORE_ERR;
    cry_keyed_hash_hex(svc->receipt_key, norm, GRV_RECEIPT_CHARS, rh);
    tx->g.reference = ref;
    tx->g.receipt_hash = rh;
    int anonymous = strcmp(in->contact_preference, "anonymous") == 0;
    int rc = seal_fields(tx, in, anonymous);
    if (rc == CORE_OK)
        rc = rmd_wrap_key(svc, tx->g.org_id, kek_version, ref, tx->key, wrapped);
    tx->g.wrapped_key = wrapped;
    tx->g.key_version = kek_version;
    return rc;
}

/* Writes a prepared case inside the open transaction on tx->c. */
static int write_case(rmd_tx *tx, const grv_intake *in, grv_category cat, const rmd_upload *files,
                      size_t nfiles, grv_error *err)
{
    (void)in;
    tx->clocks = NULL;
    tx->nclocks = 0;
    tx->g.id = 0;
    int rc = store_grievance_create(tx->c, &tx->g);
    grv_clock_kind kinds[GRV_CLOCK__COUNT];
    int limits[GRV_CLOCK__COUNT];
    int nk = rc == CORE_OK ? grv_clocks_for(cat, &tx->policy, kinds, limits) : 0;
    for (int i = 0; rc == CORE_OK && i < nk; i++) {
        grv_clock k;
        grv_clock_start(&k, kinds[i], tx->now, limits[i]);
        rc = rmd_tx_clock_save(tx, &k);
    }
    grv_actor_kind by = tx->actor ? GRV_BY_STAFF : GRV_BY_COMPLAINANT;
    if (rc == CORE_OK)
        rc = rmd_tx_event(tx, "received", -1, -1, (int)GRV_RECEIVED, by, 0, NULL,
                          grv_state_public_key(GRV_RECEIVED), 0, NULL);
    for (size_t i = 0; rc == CORE_OK && i < nfiles; i++) {
        const char *ferr = NULL;
        rc = rmd_tx_attach(tx, files[i].filename, files[i].data, files[i].len, by, 0, NULL, &ferr);
        if (rc == CORE_INVALID) {
            snprintf(err->buf, sizeof err->buf, "/attachments/%zu", i);
            fail(err, err->buf, ferr ? ferr : "grv.err.file_type", "the file was refused");
        }
    }
    if (rc == CORE_OK)
        rc = rmd_tx_audit(tx, "file");
    return rc;
}

/* ---- group commit (SQLite) ----
 * SQLite writes one transaction at a time and, with synchronous=FULL, syncs
 * the WAL at every commit: one fsync per grievance would cap intake at the
 * disk's sync rate. Instead, concurrent filings queue their prepared cases;
 * whoever finds no writer at work becomes the writer, takes the whole queue
 * and writes it in one transaction (one fsync), then wakes everyone whose
 * case it wrote. If any case of a batch fails, the batch is rolled back and
 * each case is written alone, so one bad case never takes others down. No
 * caller returns before its own case is committed. */
typedef struct rmd_job {
    rmd_tx *tx;
    const grv_intake *in;
    grv_category cat;
    const rmd_upload *files;
    size_t nfiles;
    grv_error *err;
    int rc;
    int done;
    struct rmd_job *next;
} rmd_job;

struct rmd_group {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    rmd_job *head, *tail;
    int writing;
};

int rmd_group_new(rmd_group **out)
{
    rmd_group *g = calloc(1, sizeof *g);
    if (!g)
        return CORE_NOMEM;
    if (pthread_mutex_init(&g->mu, NULL) != 0) {
        free(g);
        return CORE_ERR;
    }
    if (pthread_cond_init(&g->cv, NULL) != 0) {
        pthread_mutex_destroy(&g->mu);
        free(g);
        return CORE_ERR;
    }
    *out = g;
    return CORE_OK;
}

void rmd_group_free(rmd_group *g)
{
    if (!g)
        return;
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->mu);
    free(g);
}

static int write_alone(store_conn *c, rmd_job *j)
{
    j->tx->c = c;
    int rc = store_begin(c);
    if (rc != CORE_OK)
        return rc;
    rc = write_case(j->tx, j->in, j->cat, j->files, j->nfiles, j->err);
    if (rc == CORE_OK)
        rc = store_commit(c);
    else
        store_rollback(c);
    return rc;
}

static void run_batch(rmd_service *svc, rmd_job *batch)
{
    store_conn *c = NULL;
    int rc = store_acquire(svc->st, &c);
    if (rc == CORE_OK && svc->opt.durable_intake)
        rc = store_grievance_durable(c, 1);
    int one = batch && !batch->next;
    if (rc == CORE_OK && !one) {
        rc = store_begin(c);
        for (rmd_job *j = batch; rc == CORE_OK && j; j = j->next) {
            j->tx->c = c;
            rc = write_case(j->tx, j->in, j->cat, j->files, j->nfiles, j->err);
        }
        if (rc == CORE_OK)
            rc = store_commit(c);
        else
            store_rollback(c);
        if (rc == CORE_OK)
            for (rmd_job *j = batch; j; j = j->next)
                j->rc = CORE_OK;
    }
    if (c && (one || rc != CORE_OK)) {
        /* alone, or the batch failed: each case in its own transaction */
        for (rmd_job *j = batch; j; j = j->next)
            j->rc = write_alone(c, j);
    } else if (!c) {
        for (rmd_job *j = batch; j; j = j->next)
            j->rc = rc;
    }
    if (c) {
        if (svc->opt.durable_intake)
            store_grievance_durable(c, 0);
        store_release(svc->st, c);
    }
    for (rmd_job *j = batch; j; j = j->next)
        j->tx->c = NULL;
}

static int group_write(rmd_service *svc, rmd_job *job)
{
    rmd_group *g = svc->group;
    pthread_mutex_lock(&g->mu);
    job->next = NULL;
    if (g->tail)
        g->tail->next = job;
    else
        g->head = job;
    g->tail = job;
    while (!job->done) {
        if (!g->writing) {
            g->writing = 1;
            rmd_job *batch = g->head;
            g->head = g->tail = NULL;
            pthread_mutex_unlock(&g->mu);
            run_batch(svc, batch);
            pthread_mutex_lock(&g->mu);
            for (rmd_job *j = batch; j;) {
                rmd_job *next = j->next;
                j->done = 1;
                j = next;
            }
            g->writing = 0;
            pthread_cond_broadcast(&g->cv);
        } else {
            pthread_cond_wait(&g->cv, &g->mu);
        }
    }
    pthread_mutex_unlock(&g->mu);
    return job->rc;
}

int rmd_file(rmd_service *svc, core_arena *a, int64_t org_id, const grv_intake *in,
             const rmd_actor *staff, rmd_filed *out, grv_error *err)
{
    return rmd_file_with(svc, a, org_id, in, staff, NULL, 0, out, err);
}

int rmd_file_with(rmd_service *svc, core_arena *a, int64_t org_id, const grv_intake *in,
                  const rmd_actor *staff, const rmd_upload *files, size_t nfiles,
                  rmd_filed *out, grv_error *err)
{
    grv_error dummy;
    if (!err)
        err = &dummy;
    memset(err, 0, sizeof *err);
    if (!svc || !a || !in || !out)
        return CORE_INVALID;
    memset(out, 0, sizeof *out);
    if (staff) {
        if (!rmd_may(staff, CORE_PERM_CASES_HANDLE))
            return CORE_DENIED;
        org_id = staff->org_id;
    }
    grv_intake x = *in;
    /* an empty string is "not given" (HTML forms send every field) */
    const char **opt[] = {&x.category, &x.product, &x.product_text, &x.country,
                          &x.incident_date, &x.decision_date, &x.affected, &x.rights_text,
                          &x.vulnerable_group, &x.outcome_sought, &x.contact_name,
                          &x.contact_email, &x.contact_phone, &x.language, &x.channel, &x.partner};
    for (size_t i = 0; i < sizeof opt / sizeof opt[0]; i++)
        if (*opt[i] && !**opt[i])
            *opt[i] = NULL;
    if (!x.category)
        x.category = "general";
    if (!x.language)
        x.language = "en";
    if (!x.channel)
        x.channel = staff ? "phone" : "web";
    if (!grv_channel_valid(x.channel))
        return fail(err, "/channel", "grv.err.invalid", "unknown channel");
    if (!staff && grv_channel_is_staff(x.channel))
        return fail(err, "/channel", "grv.err.channel_staff_only",
                    "only staff record grievances received by phone, letter, e-mail or partner");
    if (files == NULL)
        nfiles = 0;

    rmd_tx tx;
    memset(&tx, 0, sizeof tx);
    tx.svc = svc;
    tx.a = a;
    tx.actor = staff;
    tx.now = rmd_now(svc);
    tx.audit_actor = staff ? (staff->label ? staff->label
                                           : core_arena_printf(a, "user:%lld", (long long)staff->user_id))
                           : "public";
    if (!tx.audit_actor)
        return CORE_NOMEM;
    int rc = store_acquire(svc->st, &tx.c);
    if (rc != CORE_OK)
        return rc;
    if (org_id == 0)
        rc = rmd_first_org(svc, tx.c, &org_id);
    int64_t kekv = 1;
    if (rc == CORE_OK)
        rc = rmd_org_info(svc, tx.c, org_id, &tx.policy, &kekv);
    if (rc == CORE_OK)
        rc = grv_intake_validate(&x, tx.now, &tx.policy, err);
    int64_t product_id = 0;
    if (rc == CORE_OK && x.product && *x.product) {
        rc = store_grievance_product_id(tx.c, org_id, x.product, &product_id);
        if (rc == CORE_NOTFOUND)
            rc = fail(err, "/product", "grv.err.unknown_product",
                      "no such product or service in the catalogue");
    }
    if (rc == CORE_OK)
        rc = check_files(svc, files, nfiles, err);
    grv_category cat = GRV_CAT_GENERAL;
    if (rc == CORE_OK && grv_category_parse(x.category, &cat) != CORE_OK)
        rc = fail(err, "/category", "grv.err.invalid", "unknown category");
    if (rc != CORE_OK) {
        store_release(svc->st, tx.c);
        return rc;
    }

    memset(&tx.g, 0, sizeof tx.g);
    tx.g.org_id = org_id;
    tx.g.state = grv_state_name(GRV_RECEIVED);
    tx.g.category = x.category;
    tx.g.channel = x.channel;
    tx.g.language = x.language;
    tx.g.country = x.country;
    tx.g.incident_date = x.incident_date;
    tx.g.decision_date = x.decision_date;
    tx.g.affected = x.affected;
    tx.g.affected_count = x.affected_count;
    tx.g.contact_preference = x.contact_preference;
    tx.g.product_id = product_id;
    tx.g.priority = 3;
    tx.g.created_at = tx.now;
    tx.g.updated_at = tx.now;

    int group = strcmp(store_engine(svc->st), "sqlite") == 0;
    if (group) {
        store_release(svc->st, tx.c);  /* the writer takes its own connection */
        tx.c = NULL;
    }
    for (int attempt = 0; rc == CORE_OK && attempt < FILE_RETRIES; attempt++) {
        rc = prepare(&tx, &x, kekv, out->receipt);
        if (rc != CORE_OK)
            break;
        if (group) {
            rmd_job job = {&tx, &x, cat, files, nfiles, err, CORE_ERR, 0, NULL};
            rc = group_write(svc, &job);
        } else {
            rc = store_begin(tx.c);
            if (rc == CORE_OK) {
                rc = write_case(&tx, &x, cat, files, nfiles, err);
                if (rc == CORE_OK)
                    rc = store_commit(tx.c);
                else
                    store_rollback(tx.c);
            }
        }
        if (rc != CORE_CONFLICT)
            break;
        if (attempt + 1 < FILE_RETRIES)
            rc = CORE_OK;
    }
    if (tx.c)
        store_release(svc->st, tx.c);
    sodium_memzero(tx.key, sizeof tx.key);
    if (rc != CORE_OK) {
        sodium_memzero(out->receipt, sizeof out->receipt);
        return rc;
    }
    snprintf(out->reference, sizeof out->reference, "%s", tx.g.reference);
    out->case_id = tx.g.id;
    out->org_id = org_id;
    out->state = GRV_RECEIVED;
    out->created_at = tx.now;
    for (size_t i = 0; i < tx.nclocks; i++)
        if (strcmp(tx.clocks[i].kind, grv_clock_name(GRV_CLOCK_ACK)) == 0)
            out->ack_due_at = tx.clocks[i].due_at;
    return CORE_OK;
}
