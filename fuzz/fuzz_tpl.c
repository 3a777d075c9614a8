/* fuzz_tpl: libFuzzer target for the template engine (web_tpl): compiling a
 * template source and rendering it against a JSON context. Input:
 *   template source \n%%\n JSON context
 * (without the separator the whole input is the template and a fixed context
 * is used). Every partial ({{> name}}) resolves to the template itself, so
 * the partial-depth and scope limits are exercised too. The compiled
 * template and the output buffer are released per input; no I/O.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "web/web.h"
#include "web/web_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char default_ctx[] =
    "{\"lang\":\"en\",\"title\":\"<b>x</b>\",\"n\":3,\"ok\":true,\"no\":false,\"nil\":null,"
    "\"user\":{\"email\":\"a@b.c\",\"roles\":[\"admin\",\"handler\"]},"
    "\"items\":[{\"id\":1,\"name\":\"a&b\"},{\"id\":2,\"name\":\"\\\"q\\\"\"},\"s\",4.5,[],{}],"
    "\"empty\":[]}";

static const web_tpl *self_resolver(const char *name, void *ud)
{
    (void)name;
    return ud;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *src = (const char *)data;
    size_t slen = size;
    json_t *ctx = NULL;
    const char *sep = memmem(data, size, "\n%%\n", 4);
    if (sep) {
        slen = (size_t)(sep - src);
        const char *js = sep + 4;
        json_error_t jerr;
        ctx = json_loadb(js, size - slen - 4, 0, &jerr);
    }
    if (!ctx) {
        json_error_t jerr;
        ctx = json_loads(default_ctx, 0, &jerr);
        if (!ctx)
            abort();
    }
    web_tpl *t = NULL;
    char err[256];
    if (web_tpl_compile("fuzz", src, slen, &t, err, sizeof err) == CORE_OK) {
        if (!t)
            abort();
        static const char *const langs[] = {"en", "ar", "fr"};
        core_buf b;
        core_buf_init(&b);
        (void)web_tpl_render(t, &b, ctx, langs[size % 3], self_resolver, t);
        core_buf_cleanup(&b);
        web_tpl_free(t);
    }
    json_decref(ctx);
    return 0;
}
