/* fuzz_sor_csv: libFuzzer target for the statement-of-reasons CSV reader:
 * the whole ingest pipeline over one memory block (ing_run_mem: framing,
 * RFC 4180 splitting, UTF-8 checks, header detection V1/V2, every field's
 * validation), with a record consumer that touches every field and an
 * aggregation, so the record view is exercised as consumers see it. Also the
 * low-level splitter on the raw input. No file I/O.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "ingest/ing_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink;

static int on_record(void *ctx, const ing_rec *rec)
{
    size_t total = 0;
    for (int c = 0; c < ING_C__COUNT; c++) {
        for (size_t i = 0; i < rec->f[c].len; i++)
            total += (unsigned char)rec->f[c].p[i];
        for (unsigned k = 0; k < rec->narr[c]; k++)
            for (size_t i = 0; i < rec->arr[c][k].len; i++)
                total += (unsigned char)rec->arr[c][k].p[i];
    }
    char day[11];
    ing_day_format(rec->created_day, day);
    sink += total + strlen(day);
    return ing_agg_add((ing_agg *)ctx, rec);
}

static void on_reject(void *ctx, const ing_reject *rj)
{
    (void)ctx;
    sink += strlen(rj->source) + strlen(rj->column) + strlen(rj->reason);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ing_agg *agg = NULL;
    if (ing_agg_new(&agg) != CORE_OK)
        return 0;
    static const ing_col by[] = {ING_C_PLATFORM_NAME, ING_C_CATEGORY, ING_C_CREATED_AT};
    if (ing_agg_add_set(agg, by, 3) != CORE_OK)
        abort();
    ing_opts o;
    memset(&o, 0, sizeof o);
    o.threads = 1;
    o.on_record = on_record;
    o.record_ctx = agg;
    o.on_reject = on_reject;
    ing_stats st;
    char err[256];
    (void)ing_run_mem("fuzz.csv", data, size, &o, &st, err, sizeof err);
    json_t *j = ing_agg_json(agg, &st);
    json_decref(j);
    ing_agg_free(agg);

    /* the splitter on its own, record by record */
    const char *p = (const char *)data;
    size_t left = size;
    while (left > 0) {
        ing_field f[ING_C__COUNT];
        size_t used = 0;
        const char *reason = NULL;
        long nf = ing_csv_split(p, left, f, ING_C__COUNT, &used, &reason);
        if (nf < 0 && !reason)
            abort();
        if (used == 0 || used > left)
            abort();
        long keep = nf < ING_C__COUNT ? nf : ING_C__COUNT;
        for (long i = 0; i < keep; i++) {
            char *dst = malloc((size_t)f[i].len + 1);
            if (!dst)
                abort();
            if (ing_csv_unescape(&f[i], dst) > f[i].len)
                abort();
            free(dst);
        }
        p += used;
        left -= used;
    }
    return 0;
}
