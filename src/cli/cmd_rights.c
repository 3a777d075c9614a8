/* cmd_rights: `hrdd rights list [--tag T] [--json]` prints the rights
 * catalogue compiled into hrdd (src/dd/rights.json): identifier,
 * instrument, article, short title and digital-harm tags, one right per
 * line, or a JSON array with the plain-language labels too. --tag keeps
 * the rights carrying one of the ten tags; an unknown tag is a usage error
 * that names the valid ones. Needs no database.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "dd/dd.h"

static json_t *right_json(const dd_right *r)
{
    json_t *tags = json_array();
    for (size_t i = 0; i < r->ntags; i++) json_array_append_new(tags, json_string(r->tags[i]));
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "id", r->id, "instrument", r->instrument,
                     "article", r->article, "title", r->title, "label", r->label, "tags", tags);
}

static int list_run(cli_run *r)
{
    if (r->nargs) return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    const char *tag = cli_opt_get(r, "tag");
    if (tag && !dd_tag_valid(tag)) {
        size_t nt = 0;
        const char *const *tags = dd_tags(&nt);
        char list[512] = "";
        size_t off = 0;
        for (size_t i = 0; i < nt && off < sizeof list; i++) {
            int w = snprintf(list + off, sizeof list - off, "%s%s", i ? ", " : "", tags[i]);
            if (w < 0) break;
            off += (size_t)w;
        }
        return cli_usage_err(r, "unknown tag '%s' (one of: %s)", tag, list);
    }
    size_t n = 0;
    const dd_right *all = dd_rights(&n);
    if (cli_opt_has(r, "json")) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            if (!tag || dd_right_has_tag(&all[i], tag)) json_array_append_new(arr, right_json(&all[i]));
        cli_print_json(arr);
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < n; i++) {
        if (tag && !dd_right_has_tag(&all[i], tag)) continue;
        printf("%-10s %-7s %-5s %s", all[i].id, all[i].instrument, all[i].article, all[i].title);
        for (size_t k = 0; k < all[i].ntags; k++) printf("%s%s", k ? "," : "  [", all[i].tags[k]);
        printf("%s\n", all[i].ntags ? "]" : "");
    }
    return CLI_EXIT_OK;
}

static const cli_opt list_opts[] = {
    {"tag", "T", "only rights with this tag (privacy, expression_information, non_discrimination, "
                 "assembly_association, liberty_fair_trial, health, standard_of_living, work, children, "
                 "political_participation)"},
    {"json", NULL, "print a JSON array (with the plain-language labels)"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_rights_list = {
    .name = "rights list",
    .summary = "List the internationally recognised rights catalogue",
    .synopsis = "rights list [--tag T] [--json]",
    .description =
        "Prints the rights catalogue shipped with hrdd: the articles of the Universal\n"
        "Declaration, ICCPR, ICESCR, CERD, CEDAW, CRC and CRPD, and the ILO fundamental\n"
        "conventions, each with its identifier (\"ICCPR-17\", \"ILO-C87\"), a short title\n"
        "and the digital-harm tags used to find it. Impacts in the due diligence\n"
        "register name their rights by these identifiers.",
    .opts = list_opts,
    .examples = "  hrdd rights list\n  hrdd rights list --tag privacy\n  hrdd rights list --tag children --json\n",
    .run = list_run,
};
