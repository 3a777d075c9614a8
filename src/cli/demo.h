/* demo: the grievance part of `hrdd demo`'s seed (demo_cases.c), kept apart
 * from cmd_demo.c (organisations, products, accounts, serving).
 */
#ifndef HRDD_CLI_DEMO_H
#define HRDD_CLI_DEMO_H

#include <stdint.h>

#include "cli/cli.h"
#include "grievance/grievance.h"

#define DEMO_NRECEIPTS 2

typedef struct demo_staff {
    int64_t org_id;                  /* Kestrel Social */
    int64_t admin_id, lead_id, handler_id;
} demo_staff;

/* A receipt printed in the credentials file so a newcomer can try the
 * receipt page (what the complainant can do with it, in one line). */
typedef struct demo_receipt {
    char receipt[GRV_RECEIPT_TEXT + 1];
    char reference[16];
    const char *what;
} demo_receipt;

/* Imports the directory of external mechanisms from mech_dir (skipped with a
 * note when the folder is missing), then files and walks Kestrel's demo
 * grievances through every state with the rmd_* service, backdated with the
 * service's injectable clock. root: the server secret. Fills out[]. */
int demo_seed_grievances(cli_run *r, store *s, const unsigned char root[CRY_SECRET_LEN],
                         const demo_staff *staff, const char *mech_dir,
                         demo_receipt out[DEMO_NRECEIPTS]);

/* The due diligence register of Kestrel Social (demo_register.c), written
 * through the reg_* service after the grievances (some of which it links
 * to impacts). */
int demo_seed_register(cli_run *r, store *s, const demo_staff *staff);
/* The assessments (demo_assess.c): the RDR 2020 index when its data is next
 * to the repository (HRDD_RDR_DIR), a UNGP 31 self-assessment of Kestrel's
 * mechanism with the evidence from the demo grievances, a proposal check and
 * a supplier questionnaire when those methodologies are shipped. */
int demo_seed_assess(cli_run *r, store *s, const unsigned char secret[CRY_SECRET_LEN], const demo_staff *staff);

/* Two weeks of synthetic statements of reasons for Kestrel Social through the
 * stored-ingest path, and a half-year of government requests
 * (demo_transparency.c), so its public transparency page shows real numbers. */
int demo_seed_transparency(cli_run *r, store *s, const demo_staff *staff);

#endif
