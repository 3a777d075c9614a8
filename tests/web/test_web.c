/* tests/web: the template engine (escaping, sections, each, if/else,
 * partials, unknown keys, malformed templates), the embedded templates (all
 * compile, all render, no hard-coded prose), and the message catalogue
 * (every key a template or handler uses exists; every language is complete).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>

#include "core/core.h"
#include "grievance/grievance.h"
#include "store/store.h"
#include "web/web.h"
#include "web/web_internal.h"
#include "web/web_dd.h"
#include "dd/dd.h"

/* ---- helpers ---- */

typedef struct partials {
    const char *names[4];
    web_tpl *tpls[4];
    size_t n;
} partials;

static const web_tpl *resolve(const char *name, void *ud)
{
    partials *p = ud;
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->names[i], name) == 0)
            return p->tpls[i];
    return NULL;
}

static void add_partial(partials *p, const char *name, const char *src)
{
    char err[200];
    assert_int_equal(web_tpl_compile(name, src, strlen(src), &p->tpls[p->n], err, sizeof err), CORE_OK);
    p->names[p->n++] = name;
}

static void free_partials(partials *p)
{
    for (size_t i = 0; i < p->n; i++)
        web_tpl_free(p->tpls[i]);
}

/* Renders src with ctx (JSON text) and compares with want. */
static void check_p(const char *src, const char *ctx_json, const char *want, partials *parts)
{
    char err[200] = "";
    web_tpl *t = NULL;
    int rc = web_tpl_compile("test", src, strlen(src), &t, err, sizeof err);
    if (rc != CORE_OK)
        fail_msg("compile failed: %s", err);
    json_error_t je;
    json_t *ctx = ctx_json ? json_loads(ctx_json, 0, &je) : NULL;
    if (ctx_json && !ctx)
        fail_msg("bad test JSON: %s", je.text);
    core_buf b;
    core_buf_init(&b);
    rc = web_tpl_render(t, &b, ctx, "en", parts ? resolve : NULL, parts);
    assert_int_equal(rc, CORE_OK);
    assert_string_equal(core_buf_cstr(&b), want);
    core_buf_cleanup(&b);
    json_decref(ctx);
    web_tpl_free(t);
}

static void check(const char *src, const char *ctx_json, const char *want)
{
    check_p(src, ctx_json, want, NULL);
}

static void check_bad(const char *src, int want_line)
{
    char err[200] = "";
    web_tpl *t = NULL;
    int rc = web_tpl_compile("bad", src, strlen(src), &t, err, sizeof err);
    if (rc != CORE_INVALID)
        fail_msg("template compiled but should not: %s", src);
    assert_null(t);
    char prefix[32];
    snprintf(prefix, sizeof prefix, "bad:%d:", want_line);
    if (strncmp(err, prefix, strlen(prefix)) != 0)
        fail_msg("error \"%s\" does not start with \"%s\" for %s", err, prefix, src);
}

/* ---- engine ---- */

static void test_escaping(void **state)
{
    (void)state;
    check("{{x}}", "{\"x\": \"<a href='/'>\\\"&\\\"</a>\"}",
          "&lt;a href=&#39;&#47;&#39;&gt;&quot;&amp;&quot;&lt;&#47;a&gt;");
    check("<p title=\"{{x}}\">{{x}}</p>", "{\"x\": \"\\\" onmouseover=\\\"alert(1)\"}",
          "<p title=\"&quot; onmouseover=&quot;alert(1)\">&quot; onmouseover=&quot;alert(1)</p>");
    /* each special character on its own */
    check("{{a}}{{b}}{{c}}{{d}}{{e}}{{f}}",
          "{\"a\":\"&\",\"b\":\"<\",\"c\":\">\",\"d\":\"\\\"\",\"e\":\"'\",\"f\":\"/\"}",
          "&amp;&lt;&gt;&quot;&#39;&#47;");
    /* raw only with triple braces */
    check("{{{x}}}|{{x}}", "{\"x\": \"<b>&</b>\"}", "<b>&</b>|&lt;b&gt;&amp;&lt;&#47;b&gt;");
    /* UTF-8 passes through untouched */
    check("{{x}}", "{\"x\": \"Droits de l\\u2019homme \\u2013 \\u4eba\\u6a29\"}",
          "Droits de l\xe2\x80\x99homme \xe2\x80\x93 \xe4\xba\xba\xe6\xa8\xa9");
}

static void test_values_and_unknown(void **state)
{
    (void)state;
    check("a{{missing}}b{{{missing}}}c{{x.y.z}}d", "{\"x\": {\"y\": 1}}", "abcd");
    check("{{n}} {{r}} {{t}} [{{f}}] [{{z}}] [{{o}}] [{{l}}]",
          "{\"n\": -42, \"r\": 1.5, \"t\": true, \"f\": false, \"z\": null, \"o\": {}, \"l\": [1]}",
          "-42 1.5 true [] [] [] []");
    check("{{user.email}} {{ user.name }}", "{\"user\": {\"email\": \"a@b.org\", \"name\": \"A\"}}",
          "a@b.org A");
    check("no tags at all", NULL, "no tags at all");
    check("{{x}}", NULL, "");
    check("{{! a comment }}x", "{}", "x");
    check("{ single } braces } stay", "{}", "{ single } braces } stay");
}

static void test_if_else(void **state)
{
    (void)state;
    const char *tpl = "{{#if v}}yes{{else}}no{{/if}}";
    check(tpl, "{\"v\": true}", "yes");
    check(tpl, "{\"v\": false}", "no");
    check(tpl, "{\"v\": null}", "no");
    check(tpl, "{}", "no");
    check(tpl, "{\"v\": \"\"}", "no");
    check(tpl, "{\"v\": \"x\"}", "yes");
    check(tpl, "{\"v\": 0}", "no");
    check(tpl, "{\"v\": 3}", "yes");
    check(tpl, "{\"v\": 0.0}", "no");
    check(tpl, "{\"v\": []}", "no");
    check(tpl, "{\"v\": [0]}", "yes");
    check(tpl, "{\"v\": {}}", "no");
    check(tpl, "{\"v\": {\"a\": 1}}", "yes");
    check("{{#if a}}A{{#if b}}B{{else}}b{{/if}}{{else}}-{{/if}}", "{\"a\": 1, \"b\": 0}", "Ab");
    check("{{#if a.b}}deep{{/if}}", "{\"a\": {\"b\": 1}}", "deep");
    check("[{{#if a}}x{{/if}}]", "{}", "[]");
}

static void test_each(void **state)
{
    (void)state;
    check("{{#each xs}}<{{.}}>{{/each}}", "{\"xs\": [\"a\", \"<\", 3]}", "<a><&lt;><3>");
    check("{{#each people}}{{name}} of {{org}}; {{/each}}",
          "{\"org\": \"Acme\", \"people\": [{\"name\": \"A\"}, {\"name\": \"B\", \"org\": \"Other\"}]}",
          "A of Acme; B of Other; ");
    check("{{#each rows}}[{{#each cells}}{{.}}{{/each}}]{{/each}}",
          "{\"rows\": [{\"cells\": [1, 2]}, {\"cells\": []}, {\"cells\": [3]}]}", "[12][][3]");
    check("{{#each xs}}x{{else}}empty{{/each}}", "{\"xs\": []}", "empty");
    check("{{#each xs}}x{{else}}empty{{/each}}", "{}", "empty");
    check("{{#each xs}}x{{else}}empty{{/each}}", "{\"xs\": \"not a list\"}", "empty");
    check("{{#each xs}}{{#if first}}<t>{{/if}}{{v}}{{#if last}}</t>{{/if}}{{/each}}",
          "{\"xs\": [{\"v\": 1, \"first\": true}, {\"v\": 2}, {\"v\": 3, \"last\": true}]}", "<t>123</t>");
    /* the item's fields shadow the outer ones, the outer ones stay reachable */
    check("{{#each xs}}{{csrf}}:{{id}} {{/each}}", "{\"csrf\": \"T\", \"id\": 0, \"xs\": [{\"id\": 1}, {\"id\": 2}]}",
          "T:1 T:2 ");
}

static void test_partials(void **state)
{
    (void)state;
    partials p = {0};
    add_partial(&p, "item", "<li>{{name}}</li>");
    add_partial(&p, "list", "<ul>{{#each xs}}{{> item}}{{/each}}</ul>");
    add_partial(&p, "loop", "{{> loop}}");
    check_p("{{> list}}", "{\"xs\": [{\"name\": \"a&b\"}, {\"name\": \"c\"}]}",
            "<ul><li>a&amp;b</li><li>c</li></ul>", &p);

    /* unknown partials and endless recursion are render errors, not crashes */
    char err[200];
    web_tpl *t = NULL;
    core_buf b;
    core_buf_init(&b);
    assert_int_equal(web_tpl_compile("t", "{{> nope}}", 10, &t, err, sizeof err), CORE_OK);
    assert_int_not_equal(web_tpl_render(t, &b, NULL, "en", resolve, &p), CORE_OK);
    web_tpl_free(t);
    assert_int_equal(web_tpl_compile("t", "{{> loop}}", 10, &t, err, sizeof err), CORE_OK);
    assert_int_not_equal(web_tpl_render(t, &b, NULL, "en", resolve, &p), CORE_OK);
    web_tpl_free(t);
    core_buf_cleanup(&b);
    free_partials(&p);
}

/* Sections nested over long lists grow as the product of their lengths
 * (found by fuzz/fuzz_tpl: nine nested eachs timed out): the render stops
 * with an error past its work bound, while a long flat list still renders. */
static void test_render_bounded(void **state)
{
    (void)state;
    json_t *xs = json_array();
    for (int i = 0; i < 100; i++)
        json_array_append_new(xs, json_integer(i));
    json_t *ctx = json_pack("{s:o}", "xs", xs);
    web_tpl *t = NULL;
    core_buf b;
    core_buf_init(&b);
    const char *deep = "{{#each xs}}{{#each xs}}{{#each xs}}{{#each xs}}{{.}}{{/each}}{{/each}}{{/each}}{{/each}}";
    assert_int_equal(web_tpl_compile("deep", deep, strlen(deep), &t, NULL, 0), CORE_OK);
    assert_int_equal(web_tpl_render(t, &b, ctx, "en", NULL, NULL), CORE_INVALID);   /* 10^8 visits */
    web_tpl_free(t);
    core_buf_reset(&b);
    const char *flat = "{{#each xs}}{{#each xs}}{{.}},{{/each}}{{/each}}";                /* 10^4 */
    assert_int_equal(web_tpl_compile("flat", flat, strlen(flat), &t, NULL, 0), CORE_OK);
    assert_int_equal(web_tpl_render(t, &b, ctx, "en", NULL, NULL), CORE_OK);
    assert_true(b.len > 20000);
    web_tpl_free(t);
    core_buf_cleanup(&b);
    json_decref(ctx);
}

static void test_messages_in_templates(void **state)
{
    (void)state;
    char want[256];
    snprintf(want, sizeof want, "<b>%s</b>", web_msg("en", "login.submit"));
    check("<b>{{t \"login.submit\"}}</b>", "{}", want);
    check("{{t \"no.such.key\"}}", "{}", "no.such.key");
    check("{{ t  \"login.title\" }}", NULL, web_msg("en", "login.title"));
}

static void test_malformed(void **state)
{
    (void)state;
    check_bad("{{#if x}}open", 1);
    check_bad("a\n{{/if}}", 2);
    check_bad("{{#if x}}\n\n{{/each}}", 3);
    check_bad("{{#each x}}{{/if}}", 1);
    check_bad("x\n{{name", 2);
    check_bad("{{{raw}}", 1);
    check_bad("{{bad name}}", 1);
    check_bad("{{a..b}}", 1);
    check_bad("{{.a}}", 1);
    check_bad("{{}}", 1);
    check_bad("{{t key}}", 1);
    check_bad("{{t \"a\" \"b\"}}", 1);
    check_bad("{{t \"\"}}", 1);
    check_bad("{{else}}", 1);
    check_bad("{{#if a}}{{else}}{{else}}{{/if}}", 1);
    check_bad("{{> }}", 1);
    check_bad("{{> a.b}}", 1);
    check_bad("{{#if }}x{{/if}}", 1);
    check_bad("{{#unless a}}x{{/unless}}", 1);
    check_bad("{{a{b}}", 1);
    char nul[] = {'a', '\0', 'b'};
    web_tpl *t = NULL;
    assert_int_equal(web_tpl_compile("n", nul, sizeof nul, &t, NULL, 0), CORE_INVALID);
    /* deep nesting is refused at compile time, not at render time */
    core_buf b;
    core_buf_init(&b);
    for (int i = 0; i < 40; i++)
        core_buf_puts(&b, "{{#if a}}");
    for (int i = 0; i < 40; i++)
        core_buf_puts(&b, "{{/if}}");
    assert_int_equal(web_tpl_compile("deep", b.data, b.len, &t, NULL, 0), CORE_INVALID);
    core_buf_cleanup(&b);
}

/* ---- embedded templates ---- */

static void test_every_template_compiles(void **state)
{
    (void)state;
    char err[256] = "";
    int rc = web_tpl_check_all(err, sizeof err);
    if (rc != CORE_OK)
        fail_msg("embedded template does not compile: %s", err);
    assert_true(web_embed_ntemplates >= 10);
    /* each renders with an empty context (unknown values are empty) */
    for (size_t i = 0; i < web_embed_ntemplates; i++) {
        core_buf b;
        core_buf_init(&b);
        json_t *ctx = json_object();
        rc = web_render(&b, web_embed_templates[i].name, ctx, "en");
        if (rc != CORE_OK)
            fail_msg("template %s does not render: %s", web_embed_templates[i].name, core_strerror(rc));
        json_decref(ctx);
        core_buf_cleanup(&b);
    }
    core_buf b;
    core_buf_init(&b);
    assert_int_equal(web_render(&b, "no_such_template", NULL, "en"), CORE_NOTFOUND);
    core_buf_cleanup(&b);
}

static void test_layout_landmarks(void **state)
{
    (void)state;
    json_t *ctx = json_pack("{s:s, s:s, s:s, s:b, s:s, s:[{s:s,s:s,s:b}], s:b, s:[{s:i,s:s,s:b},{s:i,s:s,s:b}], s:{s:s}}",
                            "lang", "en", "title", "T<", "content", "<p id=\"c\">C</p>", "signed_in", 1,
                            "csrf", "tok\"", "nav", "href", "/users", "label", "Members", "current", 1,
                            "multi_org", 1, "orgs", "id", 1, "name", "One", "selected", 1, "id", 2,
                            "name", "Two&", "selected", 0, "user", "name", "Ana");
    core_buf b;
    core_buf_init(&b);
    assert_int_equal(web_render(&b, "layout", ctx, "en"), CORE_OK);
    const char *h = core_buf_cstr(&b);
    assert_non_null(strstr(h, "<html lang=\"en\">"));
    assert_non_null(strstr(h, "<main id=\"main\""));
    assert_non_null(strstr(h, "href=\"#main\""));
    assert_non_null(strstr(h, "<p id=\"c\">C</p>"));            /* content is raw */
    assert_non_null(strstr(h, "T&lt;"));                        /* title is escaped */
    assert_non_null(strstr(h, "value=\"tok&quot;\""));          /* CSRF field, escaped */
    assert_non_null(strstr(h, "action=\"&#47;org&#47;switch\"") || strstr(h, "action=\"/org/switch\""));
    assert_non_null(strstr(h, "aria-current=\"page\""));
    assert_non_null(strstr(h, "Two&amp;"));
    assert_null(strstr(h, "style="));                           /* CSP: no inline styles */
    assert_null(strstr(h, "<script>"));                         /* nor inline scripts */
    json_decref(ctx);
    core_buf_cleanup(&b);
}

/* Text outside tags and {{...}} must contain no letters: all prose comes from
 * the catalogue. Attribute values are checked too (alt, title, placeholder,
 * aria-label), except a known set of technical attributes. */
static void test_no_hardcoded_prose(void **state)
{
    (void)state;
    static const char *const PROSE_ATTRS[] = {"title=\"", "alt=\"", "placeholder=\"", "aria-label=\"",
                                              "value=\"", NULL};
    for (size_t i = 0; i < web_embed_ntemplates; i++) {
        const char *s = web_embed_templates[i].data;
        const char *name = web_embed_templates[i].name;
        int in_tag = 0;
        for (const char *p = s; *p; p++) {
            if (p[0] == '{' && p[1] == '{') {
                const char *e = strstr(p, "}}");
                assert_non_null(e);
                p = e + 1;
                continue;
            }
            if (*p == '<') {
                in_tag = 1;
                if (strncmp(p, "<!doctype", 9) == 0) {
                    p = strchr(p, '>');
                    in_tag = 0;
                }
                continue;
            }
            if (*p == '>') {
                in_tag = 0;
                continue;
            }
            if (in_tag) {
                for (size_t k = 0; PROSE_ATTRS[k]; k++) {
                    size_t l = strlen(PROSE_ATTRS[k]);
                    if (strncmp(p, PROSE_ATTRS[k], l) == 0 && (p == s || p[-1] == ' ')) {
                        const char *v = p + l;
                        while (*v && *v != '"') {
                            if (v[0] == '{' && v[1] == '{') {
                                v = strstr(v, "}}") + 2;
                                continue;
                            }
                            int letter = (*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z');
                            /* value="1", value="enable" etc. are data, not prose */
                            if (letter && strcmp(PROSE_ATTRS[k], "value=\"") != 0)
                                fail_msg("template %s: prose in attribute near \"%.30s\"", name, p);
                            v++;
                        }
                    }
                }
                continue;
            }
            if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
                fail_msg("template %s: hard-coded text near \"%.30s\"", name, p);
        }
    }
}

/* The CSP forbids inline script and style: no template may rely on them. */
static void test_no_inline_script_or_style(void **state)
{
    (void)state;
    for (size_t i = 0; i < web_embed_ntemplates; i++) {
        const char *s = web_embed_templates[i].data;
        const char *name = web_embed_templates[i].name;
        if (strstr(s, "style=") || strstr(s, "<style"))
            fail_msg("template %s: inline style", name);
        for (const char *p = strstr(s, "<script"); p; p = strstr(p + 1, "<script"))
            if (strncmp(p, "<script src=", 12) != 0)
                fail_msg("template %s: inline script", name);
        if (strstr(s, "javascript:"))
            fail_msg("template %s: javascript: URL", name);
        for (const char *p = s; *p; p++) {
            if (p[0] == ' ' && p[1] == 'o' && p[2] == 'n' && p[3] >= 'a' && p[3] <= 'z') {
                const char *q = p + 3;
                while (*q >= 'a' && *q <= 'z')
                    q++;
                if (*q == '=')
                    fail_msg("template %s: inline event handler near \"%.20s\"", name, p);
            }
        }
    }
}

/* ---- catalogue ---- */

static void assert_key(const char *key, const char *where)
{
    const char *v = web_msg("en", key);
    if (v == key || !*v)
        fail_msg("message key \"%s\" (used in %s) is missing from en.json", key, where);
}

static void test_template_keys_exist(void **state)
{
    (void)state;
    size_t count = 0;
    for (size_t i = 0; i < web_embed_ntemplates; i++) {
        const char *s = web_embed_templates[i].data;
        for (const char *p = strstr(s, "{{t \""); p; p = strstr(p + 1, "{{t \"")) {
            const char *k = p + 5, *e = strchr(k, '"');
            assert_non_null(e);
            char key[128];
            snprintf(key, sizeof key, "%.*s", (int)(e - k), k);
            assert_key(key, web_embed_templates[i].name);
            count++;
        }
    }
    assert_true(count > 50);
}

/* String literals in the handlers that look like message keys must exist. */
static void test_handler_keys_exist(void **state)
{
    (void)state;
    static const char *const PREFIXES[] = {"login.", "users.", "account.", "tokens.", "products.",
                                           "error.", "notice.", "totp.", "audit.", "dashboard.",
                                           "nav.", "layout.", "form.", "report.", "receipt.",
                                           "mechanism.", "cases.", "case.", "case_new.", "gstats.",
                                           "mech.", "dd.", "reg.err.", NULL};
    const char *root = getenv("HRDD_SOURCE_ROOT");
    if (!root)
        skip();
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/src/web", root);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    size_t count = 0;
    while ((de = readdir(d)) != NULL) {
        size_t nl = strlen(de->d_name);
        if (nl < 3 || strcmp(de->d_name + nl - 2, ".c") != 0)
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        static char src[256 * 1024];
        size_t n = fread(src, 1, sizeof src - 1, f);
        fclose(f);
        src[n] = '\0';
        for (char *p = strchr(src, '"'); p; p = strchr(p + 1, '"')) {
            char *e = strchr(p + 1, '"');
            if (!e)
                break;
            size_t l = (size_t)(e - p - 1);
            for (size_t k = 0; PREFIXES[k]; k++) {
                size_t pl = strlen(PREFIXES[k]);
                if (l > pl && strncmp(p + 1, PREFIXES[k], pl) == 0 && p[1 + l - 1] != '.' &&
                    !memchr(p + 1, '%', l) && !memchr(p + 1, ' ', l)) {
                    char key[128];
                    snprintf(key, sizeof key, "%.*s", (int)l, p + 1);
                    assert_key(key, de->d_name);
                    count++;
                }
            }
            p = e;
        }
    }
    closedir(d);
    assert_true(count > 40);
}

static void test_dynamic_keys_exist(void **state)
{
    (void)state;
    char key[64];
    for (int r = 0; r < CORE_ROLE__COUNT; r++) {
        snprintf(key, sizeof key, "role.%s", core_role_name((core_role)r));
        assert_key(key, "role labels");
        assert_string_not_equal(web_role_label("en", (core_role)r), core_role_name((core_role)r));
    }
    static const char *const more[] = {"org.kind.company", "org.kind.sector_body",
        "product.kind.product", "product.kind.service", "product.kind.feature",
        "error.title.400", "error.title.401", "error.title.403", "error.title.404",
        "error.title.405", "error.title.409", "error.title.413", "error.title.429",
        "error.title.500", "error.title.503", "app.name", NULL};
    for (size_t i = 0; more[i]; i++)
        assert_key(more[i], "handlers");
}

static void test_static_assets(void **state)
{
    (void)state;
    const web_embedded *css = web_static_find("app.css");
    assert_non_null(css);
    assert_true(css->len > 1000);
    assert_int_equal(strlen(css->version), 12);
    assert_null(web_static_find("../web.h"));
    assert_null(web_static_find(NULL));
    core_arena a;
    core_arena_init(&a);
    const char *url = web_static_url(&a, "app.css");
    assert_int_equal(strncmp(url, "/static/app.css?v=", 18), 0);
    core_arena_cleanup(&a);
}

static void test_local_paths(void **state)
{
    (void)state;
    assert_true(web_local_path_ok("/dashboard"));
    assert_true(web_local_path_ok("/users?x=1"));
    assert_false(web_local_path_ok("//evil.example"));
    assert_false(web_local_path_ok("/\\evil.example"));
    assert_false(web_local_path_ok("https://evil.example"));
    assert_false(web_local_path_ok("dashboard"));
    assert_false(web_local_path_ok("/a\r\nSet-Cookie: x"));
    assert_false(web_local_path_ok(NULL));
}

static void test_helpers(void **state)
{
    (void)state;
    core_arena a;
    core_arena_init(&a);
    assert_string_equal(web_time(&a, 0), "");
    assert_string_equal(web_time(&a, 86400 + 3600 + 60), "1970-01-02 01:01 UTC");
    assert_string_equal(web_role_label("en", CORE_ROLE_HR_LEAD), web_msg("en", "role.hr_lead"));

    store_member m[1];
    memset(m, 0, sizeof m);
    m[0].user.id = 7;
    m[0].user.display_name = "Ana <A>";
    store_audit_entry e[3];
    memset(e, 0, sizeof e);
    const char *hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    for (int i = 0; i < 3; i++) {
        e[i].seq = 3 - i;
        e[i].at = 86400;
        e[i].hash = hash;
        e[i].object_type = "user";
        e[i].object_id = "7";
        e[i].action = "create";
    }
    e[0].actor_user_id = 7;
    e[0].actor = "user:7";
    e[1].actor_user_id = 99;          /* not a member here: shown as recorded */
    e[1].actor = "user:99";
    e[2].actor = "cli";
    json_t *rows = web_audit_rows(&a, e, 3, m, 1);
    assert_int_equal(json_array_size(rows), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "actor")), "Ana <A>");
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 1), "actor")), "user:99");
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 2), "actor")), "cli");
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "hash_prefix")), "0123456789ab");
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "iso")), "1970-01-02T00:00:00Z");
    assert_true(json_is_true(json_object_get(json_array_get(rows, 0), "first")));
    assert_true(json_is_true(json_object_get(json_array_get(rows, 2), "last")));
    assert_null(json_object_get(json_array_get(rows, 1), "first"));

    /* the audit table partial renders them, escaped, framed once */
    json_t *ctx = json_pack("{s:O}", "audit", rows);
    core_buf b;
    core_buf_init(&b);
    assert_int_equal(web_render(&b, "_audit_table", ctx, "en"), CORE_OK);
    const char *h = core_buf_cstr(&b);
    assert_non_null(strstr(h, "Ana &lt;A&gt;"));
    assert_non_null(strstr(h, "<table>"));
    assert_null(strstr(strstr(h, "<table>") + 1, "<table>"));
    core_buf_reset(&b);
    json_object_set_new(ctx, "audit", json_array());
    assert_int_equal(web_render(&b, "_audit_table", ctx, "en"), CORE_OK);
    assert_null(strstr(core_buf_cstr(&b), "<table>"));
    assert_non_null(strstr(core_buf_cstr(&b), web_msg("en", "audit.empty")));
    core_buf_cleanup(&b);
    json_decref(ctx);
    json_decref(rows);

    json_t *opts = web_role_options("en", CORE_ROLE_AUDITOR);
    assert_int_equal(json_array_size(opts), CORE_ROLE__COUNT - 1);
    size_t sel = 0;
    for (size_t i = 0; i < json_array_size(opts); i++)
        sel += json_is_true(json_object_get(json_array_get(opts, i), "selected"));
    assert_int_equal(sel, 1);
    json_decref(opts);
    core_arena_cleanup(&a);
}

/* ---- SVG charts ---- */

static size_t count_of(const char *h, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(h, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_svg_chart(void **state)
{
    (void)state;
    web_bar bars[] = {{"Received", 4, NULL}, {"<script>alert(1)</script> & \"q\"", 2, NULL},
                      {"Closed", 0, NULL}, {"Small", 0.01, "fewer than 5"}};
    core_buf b;
    core_buf_init(&b);
    assert_int_equal(web_svg_bar_chart(&b, "by-state", "Cases <by> state", "Counts & more", bars, 4, "en"), CORE_OK);
    const char *h = core_buf_cstr(&b);
    /* accessible: role img, labelled by its title and description */
    assert_non_null(strstr(h, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\""));
    assert_non_null(strstr(h, "aria-labelledby=\"by-state-title by-state-desc\""));
    assert_non_null(strstr(h, "<title id=\"by-state-title\">Cases &lt;by&gt; state</title>"));
    assert_non_null(strstr(h, "<desc id=\"by-state-desc\">Counts &amp; more Received: 4; "));
    /* escaped everywhere, never raw */
    assert_null(strstr(h, "<script"));
    assert_non_null(strstr(h, "&lt;script&gt;alert(1)&lt;&#47;script&gt; &amp; &quot;q&quot;"));
    /* shapes: background + one bar per value; widths proportional to the max (320 px) */
    assert_int_equal(count_of(h, "<rect "), 5);
    assert_int_equal(count_of(h, "<g class=\"bar\">"), 4);
    assert_non_null(strstr(h, "width=\"320\" height=\"18\""));   /* 4 of 4 */
    assert_non_null(strstr(h, "width=\"160\" height=\"18\""));   /* 2 of 4 */
    assert_non_null(strstr(h, "width=\"0\" height=\"18\""));     /* 0 */
    assert_non_null(strstr(h, "width=\"2\" height=\"18\""));     /* tiny but visible */
    assert_non_null(strstr(h, ">fewer than 5</text>"));              /* value text shown */
    /* the CSP forbids inline style: presentation attributes only */
    assert_null(strstr(h, "style="));
    assert_null(strstr(h, "<style"));
    assert_true(strncmp(h + b.len - 6, "</svg>", 6) == 0);

    /* a long label is shortened in the drawing (UTF-8 aware), never in the title */
    web_bar longb[] = {{"Restitution (for example content or account restored)", 1, NULL},
                       {"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                        "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                        "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 1, NULL}};
    core_buf_reset(&b);
    assert_int_equal(web_svg_bar_chart(&b, "long", "Long", NULL, longb, 2, "en"), CORE_OK);
    h = core_buf_cstr(&b);
    assert_non_null(strstr(h, "<title>Restitution (for example content or account restored): 1</title>"));
    assert_non_null(strstr(h, ">Restitution (for example\xe2\x80\xa6</text>"));
    assert_int_equal(core_utf8_valid(h, b.len), 1);
    core_buf_cleanup(&b);

    /* empty chart, bad ids and values */
    core_buf_init(&b);
    assert_int_equal(web_svg_bar_chart(&b, "e", "Empty", NULL, NULL, 0, "en"), CORE_OK);
    assert_non_null(strstr(core_buf_cstr(&b), "</desc>"));
    /* values in the chart's language */
    core_buf_reset(&b);
    web_bar frb[] = {{"Un", 12.5, NULL}, {"Deux", 1500, NULL}};
    assert_int_equal(web_svg_bar_chart(&b, "fr", "T", NULL, frb, 2, "fr"), CORE_OK);
    assert_non_null(strstr(core_buf_cstr(&b), "<desc id=\"fr-desc\">Un: 12,5; Deux: 1\xe2\x80\xaf""500.</desc>"));
    assert_non_null(strstr(core_buf_cstr(&b), ">12,5</text>"));
    core_buf_reset(&b);
    assert_int_equal(web_svg_bar_chart(&b, "bad id\"", "t", NULL, bars, 1, "en"), CORE_INVALID);
    assert_int_equal(web_svg_bar_chart(&b, "", "t", NULL, bars, 1, "en"), CORE_INVALID);
    web_bar neg[] = {{"x", -1, NULL}};
    assert_int_equal(web_svg_bar_chart(&b, "n", "t", NULL, neg, 1, "en"), CORE_INVALID);
    core_buf_cleanup(&b);
}

static void test_grievance_keys(void **state)
{
    (void)state;
    /* every state's label and plain-language text, every action, rubric and clock */
    char key[96];
    for (int s = 0; s < GRV_STATE__COUNT; s++) {
        assert_key(grv_state_public_key((grv_state)s), "grv_state_public_key");
        snprintf(key, sizeof key, "grv.state.%s", grv_state_name((grv_state)s));
        assert_key(key, "state labels");
    }
    for (int a = 0; a < GRV_ACT__COUNT; a++) {
        snprintf(key, sizeof key, "grv.action.%s", grv_action_name((grv_action)a));
        assert_key(key, "action labels");
    }
    static const char *const dims[] = {"scale", "scope", "irremediable", NULL};
    for (size_t d = 0; dims[d]; d++)
        for (int l = 1; l <= 5; l++) {
            const char *k = grv_rubric_key(dims[d], l);
            assert_non_null(k);
            assert_key(k, "grv_rubric_key");
        }
    for (int c = 0; c < GRV_CLOCK__COUNT; c++) {
        snprintf(key, sizeof key, "grv.clock.%s", grv_clock_name((grv_clock_kind)c));
        assert_key(key, "clock labels");
    }
    for (int c = 0; c < GRV_CAT__COUNT; c++) {
        snprintf(key, sizeof key, "grv.category.%s", grv_category_name((grv_category)c));
        assert_key(key, "category labels");
    }
    size_t nt = 0;
    const char *const *types = grv_remedy_types(&nt);
    for (size_t i = 0; i < nt; i++) {
        snprintf(key, sizeof key, "grv.remedy.%s", types[i]);
        assert_key(key, "remedy types");
    }
    static const grv_clock_status sts[] = {GRV_CLOCK_RUNNING, GRV_CLOCK_DUE_SOON, GRV_CLOCK_OVERDUE,
                                           GRV_CLOCK_PAUSED, GRV_CLOCK_MET, GRV_CLOCK_MISSED};
    for (size_t i = 0; i < sizeof sts / sizeof sts[0]; i++) {
        snprintf(key, sizeof key, "grv.clock_status.%s", grv_clock_status_name(sts[i]));
        assert_key(key, "clock status labels");
    }
}

/* The register pages label every vocabulary value and rubric level through
 * the catalogue (web_dd_label: "dd.<kind>.<name>"); each must exist. */
static void test_dd_keys(void **state)
{
    (void)state;
    char key[96];
    static const char *const DIMS[] = {"scale", "scope", "irremediable", "likelihood"};
    for (size_t d = 0; d < 4; d++)
        for (int l = 1; l <= 5; l++) {
            assert_key(dd_rubric_key(DIMS[d], l), "rubric");
            snprintf(key, sizeof key, "dd.rubric_help.%s.%d", DIMS[d], l);
            assert_key(key, "rubric help");
            snprintf(key, sizeof key, "dd.form.hint_%s", DIMS[d]);
            assert_key(key, "rating hints");
        }
    size_t nt = 0;
    const char *const *tags = dd_tags(&nt);
    for (size_t i = 0; i < nt; i++)
        assert_key(dd_tag_key(tags[i]), "tags");
    struct { const char *kind; const char *const *names; } V[] = {
        {"scope_kind", WEB_DD_SCOPE_KINDS}, {"marker", WEB_DD_MARKERS}, {"phase", WEB_DD_PHASES},
        {"status", WEB_DD_STATUSES}, {"involvement", WEB_DD_INVOLVEMENTS}, {"evidence", WEB_DD_EVIDENCE},
        {"trigger", WEB_DD_TRIGGERS}, {"assess_kind", WEB_DD_ASSESS_KINDS}, {"action_kind", WEB_DD_ACTION_KINDS},
        {"function", WEB_DD_FUNCTIONS}, {"action_status", WEB_DD_ACTION_STATES}, {"direction", WEB_DD_DIRECTIONS},
        {"sh_kind", WEB_DD_SH_KINDS}, {"step", WEB_DD_STEPS}, {"format", WEB_DD_FORMATS},
        {"channel", WEB_DD_CHANNELS}, {"audience", WEB_DD_AUDIENCES}};
    for (size_t v = 0; v < sizeof V / sizeof V[0]; v++)
        for (size_t i = 0; V[v].names[i]; i++) {
            snprintf(key, sizeof key, "dd.%s.%s", V[v].kind, V[v].names[i]);
            assert_key(key, "register vocabulary");
            assert_string_not_equal(web_dd_label("en", V[v].kind, V[v].names[i]), V[v].names[i]);
        }
    for (int i = 0; i < DD_STATUS__COUNT; i++) {
        snprintf(key, sizeof key, "dd.status.%s", dd_status_name((dd_status)i));
        assert_key(key, "statuses");
    }
    for (int i = 0; i < DD_TRIG__COUNT; i++) {
        snprintf(key, sizeof key, "dd.trigger.%s", dd_trigger_name((dd_trigger)i));
        assert_key(key, "triggers");
    }
    for (int i = 0; i < DD_DUE__COUNT; i++) {
        snprintf(key, sizeof key, "dd.due.%s", dd_due_status_name((dd_due_status)i));
        assert_key(key, "due statuses");
    }
    for (int i = 0; i < DD_TREND__COUNT; i++) {
        snprintf(key, sizeof key, "dd.trend.%s", dd_trend_name((dd_trend)i));
        assert_key(key, "trends");
    }
    for (int i = 0; i < DD_TRACK__COUNT; i++) {
        snprintf(key, sizeof key, "dd.track.%s", dd_track_name((dd_track)i));
        assert_key(key, "tracks");
    }
    for (unsigned bit = 1; bit < DD_RESP__ALL; bit <<= 1) {
        snprintf(key, sizeof key, "dd.response.%s", dd_response_name(bit));
        assert_key(key, "responses");
    }
    for (int b = 1; b <= 5; b++) {
        snprintf(key, sizeof key, "dd.band.%d", b);
        assert_key(key, "heat map bands");
    }
    static const char *const NOTICES[] = {"dd_impact_saved", "dd_saved", "dd_action_added", "dd_indicator_added",
        "dd_measured", "dd_scope_added", "dd_assessment_added", "dd_assessment_completed", "dd_assessment_approved",
        "dd_stakeholder_added", "dd_engagement_added", "dd_policy_saved", "dd_policy_approved", "dd_linked",
        "dd_linked_reassess", "dd_link_exists", NULL};
    for (size_t i = 0; NOTICES[i]; i++) {
        snprintf(key, sizeof key, "notice.%s", NOTICES[i]);
        assert_key(key, "register notices");
    }
    static const char *const REG_ERRS[] = {"required", "too_long", "range", "enum", "unknown_right", "country",
        "date", "reference", "slug", "duplicate", "state", "role", "json", NULL};
    for (size_t i = 0; REG_ERRS[i]; i++) {
        snprintf(key, sizeof key, "reg.err.%s", REG_ERRS[i]);
        assert_key(key, "register service errors");
    }
}

/* The register's SVG charts: accessible, escaped, no style attribute. */
static void test_dd_svg(void **state)
{
    (void)state;
    core_buf b;
    core_buf_init(&b);
    web_heatmap h;
    memset(&h, 0, sizeof h);
    h.title = "Heat <map>";
    h.row_label = "Band";
    h.col_label = "Likelihood";
    for (int i = 0; i < 5; i++)
        h.band_names[i] = "b";
    h.count[4][2] = 3;
    h.href_prefix = "/register/impacts?";
    assert_int_equal(web_svg_heatmap(&b, "hm", &h), CORE_OK);
    const char *s = core_buf_cstr(&b);
    /* links inside an image would be hidden: a linked heat map is a group,
     * each link named by its own title */
    assert_non_null(strstr(s, "role=\"group\""));
    assert_non_null(strstr(s, "likelihood=3\"><title>Band 5, Likelihood 3: 3</title>"));
    assert_non_null(strstr(s, "Heat &lt;map&gt;"));
    assert_non_null(strstr(s, "href=\"/register/impacts?band=5&amp;likelihood=3\""));
    assert_non_null(strstr(s, ">3</text>"));
    assert_non_null(strstr(s, "Band 5, Likelihood 3: 3"));
    assert_null(strstr(s, "style="));
    assert_int_equal(web_svg_heatmap(&b, "Bad Id", &h), CORE_INVALID);
    core_buf_reset(&b);
    h.href_prefix = NULL;
    assert_int_equal(web_svg_heatmap(&b, "hm", &h), CORE_OK);
    assert_non_null(strstr(core_buf_cstr(&b), "role=\"img\""));
    assert_null(strstr(core_buf_cstr(&b), "<a "));
    core_buf_reset(&b);
    web_trend_point pts[] = {{20000, 10}, {20030, 8}, {20060, 5.5}};
    assert_int_equal(web_svg_trend(&b, "tr", "Trend & co", "d", pts, 3, 1, 4, "Target", "en"), CORE_OK);
    s = core_buf_cstr(&b);
    assert_non_null(strstr(s, "Trend &amp; co"));
    assert_non_null(strstr(s, "<polyline"));
    assert_non_null(strstr(s, "stroke-dasharray"));
    assert_non_null(strstr(s, "2024-12-03: 5.5"));
    assert_null(strstr(s, "style="));
    /* in French: French dates and decimal commas, in the description, the
     * points' titles, the target and the axes (no C "%g" left) */
    core_buf_reset(&b);
    web_trend_point frp[] = {{20000, 1234.5}, {20060, 5.5}};
    assert_int_equal(web_svg_trend(&b, "tr", "T", NULL, frp, 2, 1, 0.25, "Cible", "fr"), CORE_OK);
    s = core_buf_cstr(&b);
    assert_non_null(strstr(s, "3 d\xc3\xa9""c. 2024: 5,5."));
    assert_non_null(strstr(s, "<title>3 d\xc3\xa9""c. 2024: 5,5</title>"));
    assert_non_null(strstr(s, "1\xe2\x80\xaf""234,5"));
    assert_non_null(strstr(s, "Cible: 0,25."));
    assert_non_null(strstr(s, "Cible 0,25</text>"));
    assert_null(strstr(s, "2024-12-03"));
    assert_null(strstr(s, "5.5"));
    core_buf_reset(&b);
    assert_int_equal(web_svg_trend(&b, "tr", "empty", NULL, NULL, 0, 0, 0, NULL, "en"), CORE_OK);
    core_buf_cleanup(&b);
    /* register days: ISO for form values, the page language in text */
    core_arena a;
    core_arena_init(&a);
    assert_string_equal(web_dd_day(&a, 20060), "2024-12-03");
    assert_string_equal(web_dd_date(&a, "en", 20060), "2024-12-03");
    assert_string_equal(web_dd_date(&a, "fr", 20060), "3 d\xc3\xa9""c. 2024");
    assert_string_equal(web_dd_date(&a, "zh", 20060), "2024\xe5\xb9\xb4""12\xe6\x9c\x88""3\xe6\x97\xa5");
    assert_string_equal(web_dd_date(&a, "fr", -1), "");
    assert_string_equal(web_dd_date(&a, "fr", 0), "1970-01-01");
    core_arena_cleanup(&a);
}

static void test_routes(void **state)
{
    (void)state;
    size_t n = 0;
    const http_route *r = web_routes(&n);
    assert_true(n >= 20);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(r[i].kind, HTTP_KIND_HTML);
        assert_non_null(r[i].handler);
        assert_non_null(r[i].summary);
        int is_public = strcmp(r[i].pattern, "/") == 0 || strncmp(r[i].pattern, "/login", 6) == 0 ||
                        strncmp(r[i].pattern, "/static/", 8) == 0 ||
                        strcmp(r[i].pattern, "/logout") == 0 || /* a session without membership must still sign out */
                        strcmp(r[i].pattern, "/report") == 0 || strcmp(r[i].pattern, "/receipt") == 0 ||
                        strcmp(r[i].pattern, "/mechanism") == 0 ||  /* the grievance mechanism's public pages */
                        strncmp(r[i].pattern, "/orgs/", 6) == 0 ||   /* an organisation's published pages */
                        strncmp(r[i].pattern, "/scorecards", 11) == 0; /* published (final) scorecards */
        if (is_public)
            assert_int_equal(r[i].perm, CORE_PERM_PUBLIC);
        else
            assert_int_not_equal(r[i].perm, CORE_PERM_PUBLIC);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_dd_keys),
        cmocka_unit_test(test_dd_svg),
        cmocka_unit_test(test_values_and_unknown),
        cmocka_unit_test(test_if_else),
        cmocka_unit_test(test_each),
        cmocka_unit_test(test_partials),
        cmocka_unit_test(test_render_bounded),
        cmocka_unit_test(test_messages_in_templates),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_every_template_compiles),
        cmocka_unit_test(test_layout_landmarks),
        cmocka_unit_test(test_no_hardcoded_prose),
        cmocka_unit_test(test_no_inline_script_or_style),
        cmocka_unit_test(test_template_keys_exist),
        cmocka_unit_test(test_handler_keys_exist),
        cmocka_unit_test(test_dynamic_keys_exist),
        cmocka_unit_test(test_static_assets),
        cmocka_unit_test(test_local_paths),
        cmocka_unit_test(test_helpers),
        cmocka_unit_test(test_routes),
        cmocka_unit_test(test_svg_chart),
        cmocka_unit_test(test_grievance_keys),
    };
    return cmocka_run_group_tests_name("web", tests, NULL, NULL);
}
