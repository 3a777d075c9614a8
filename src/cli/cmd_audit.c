/* cmd_audit: the audit trail from the command line. `hrdd audit verify`
 * recomputes the whole hash chain and names the first entry whose hash or
 * link does not hold; `hrdd audit list` prints recent entries.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static int audit_verify_run(cli_run *r)
{
    if (r->nargs) return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    if (cli_need_db(r) != CORE_OK) return CLI_EXIT_USAGE;
    store *s = NULL;
    if (cli_open_store(r, &s, 1, 0) != CORE_OK) return CLI_EXIT_FAIL;
    store_conn *c = NULL;
    int ex = CLI_EXIT_FAIL;
    if (store_acquire(s, &c) != CORE_OK) {
        cli_err(r, "cannot connect to the database");
    } else {
        int64_t checked = 0, bad = 0;
        int rc = store_audit_verify(c, &checked, &bad);
        store_release(s, c);
        if (rc == CORE_OK) {
            printf("audit chain OK: %lld entries\n", (long long)checked);
            ex = CLI_EXIT_OK;
        } else if (rc == CORE_CORRUPT) {
            printf("audit chain broken at entry %lld\n", (long long)bad);
        } else {
            cli_err(r, "cannot read the audit trail: %s", core_strerror(rc));
        }
    }
    store_close(s);
    return ex;
}

const cli_cmd cli_cmd_audit_verify = {
    .name = "audit verify",
    .summary = "Verify the audit trail's hash chain",
    .synopsis = "audit verify --db DB",
    .description =
        "Recomputes every entry's BLAKE2b hash (which covers the previous entry's\n"
        "hash) and checks the links and the sequence. Prints \"audit chain OK: N\n"
        "entries\" and exits 0, or \"audit chain broken at entry SEQ\" (the first\n"
        "entry that does not hold) and exits 1.",
    .keys = CLI_KEYS_STORE,
    .examples = "  hrdd audit verify --db /var/lib/hrdd/hrdd.db\n",
    .run = audit_verify_run,
};

static int audit_list_run(cli_run *r)
{
    if (r->nargs) return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    if (cli_need_db(r) != CORE_OK) return CLI_EXIT_USAGE;
    int64_t limit = 50;
    const char *lim = cli_opt_get(r, "limit");
    if (lim && (core_parse_int64(lim, &limit) != CORE_OK || limit < 1 || limit > 10000))
        return cli_usage_err(r, "--limit must be a number from 1 to 10000");
    store *s = NULL;
    if (cli_open_store(r, &s, 1, 0) != CORE_OK) return CLI_EXIT_FAIL;
    store_conn *c = NULL;
    core_arena a;
    core_arena_init(&a);
    int ex = CLI_EXIT_FAIL;
    if (store_acquire(s, &c) != CORE_OK) {
        cli_err(r, "cannot connect to the database");
        goto done;
    }
    int64_t org_id = 0;
    const char *slug = cli_opt_get(r, "org");
    if (slug) {
        store_org org;
        if (cli_org(r, c, &a, slug, &org) != CORE_OK) goto done;
        org_id = org.id;
    }
    store_audit_entry *e = NULL;
    size_t n = 0;
    int rc = store_audit_list(c, &a, org_id, INT64_MAX, (int)limit, &e, &n);
    if (rc != CORE_OK) {
        cli_err(r, "cannot read the audit trail: %s", core_strerror(rc));
        goto done;
    }
    if (cli_opt_has(r, "json")) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            json_array_append_new(arr, json_pack(
                "{s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s, s:s}",
                "seq", (json_int_t)e[i].seq, "at", (json_int_t)e[i].at, "org_id", (json_int_t)e[i].org_id,
                "actor_user_id", (json_int_t)e[i].actor_user_id, "actor", e[i].actor,
                "object_type", e[i].object_type, "object_id", e[i].object_id, "action", e[i].action,
                "before_digest", e[i].before_digest, "after_digest", e[i].after_digest,
                "prev_hash", e[i].prev_hash, "hash", e[i].hash));
        }
        cli_print_json(arr);
    } else {
        char t[32];
        printf("%-6s %-20s %-6s %-10s %-24s %s\n", "SEQ", "AT", "ORG", "ACTOR", "OBJECT", "ACTION");
        for (size_t i = 0; i < n; i++) {
            char obj[96];
            snprintf(obj, sizeof obj, "%s:%s", e[i].object_type, e[i].object_id);
            printf("%-6lld %-20s %-6lld %-10s %-24s %s\n", (long long)e[i].seq, cli_fmt_time(e[i].at, t, sizeof t),
                   (long long)e[i].org_id, e[i].actor, obj, e[i].action);
        }
    }
    ex = CLI_EXIT_OK;
done:
    if (c) store_release(s, c);
    core_arena_cleanup(&a);
    store_close(s);
    return ex;
}

static const cli_opt audit_list_opts[] = {
    {"org", "SLUG", "only this organisation's entries"},
    {"limit", "N", "how many entries, newest first (default 50)"},
    {"json", NULL, "print a JSON array"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_audit_list = {
    .name = "audit list",
    .summary = "List recent audit trail entries",
    .synopsis = "audit list --db DB [--org SLUG] [--limit N] [--json]",
    .keys = CLI_KEYS_STORE,
    .opts = audit_list_opts,
    .examples = "  hrdd audit list --db hrdd.db --org kestrel --limit 20\n",
    .run = audit_list_run,
};
