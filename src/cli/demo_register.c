/* demo_register: the human rights due diligence register of the demo
 * installation (issue 4).
 *
 * Kestrel Social, a year into doing due diligence: an approved policy
 * commitment (communicated to staff, users and suppliers, embedded in four
 * operational policies) and a newer draft; its products, services and
 * features as scope objects, plus business relationships with high-risk
 * markers (a police unit buying a public-post analytics feed, an
 * outsourced moderation supplier in Nairobi, a payments investee, a
 * telecom partner zero-rating the app in conflict-affected regions);
 * sixteen impacts over more than a dozen rights with every involvement
 * (cause, contribute, directly linked), actual and potential; actions of
 * every kind over the company's functions; indicators with seven monthly
 * measurements ending this month (some on track, one flat and off track);
 * stakeholders in the global South and in Europe, affected groups and
 * representatives, and engagements, one organisation asked often enough
 * this quarter to raise the fatigue warning; assessments approved,
 * completed, overdue, due soon and upcoming; and links from the demo
 * grievances (demo_cases.c) to impacts: a potential impact a grievance
 * points to shows as possibly actual, with its reassessment queued.
 *
 * Everything goes through the reg_* service (validation, role checks,
 * audit), never raw SQL; dates are backdated with the service's injectable
 * clock like demo_cases.c does. Every organisation, person and story is
 * fictional, written for this demo.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/demo.h"
#include "register/register.h"

#define DAY 86400
#define NONE (-100000)               /* "no day" in the tables */

typedef struct rd_ctx {
    cli_run *r;
    reg_service *svc;
    core_arena *a;
    int64_t org_id;
    int64_t base;                    /* the real "now" of the seed */
    int64_t today;                   /* its day number */
    reg_principal lead, admin;
    int rc;                          /* first failure, sticky */
} rd_ctx;

static int64_t rd_clock;
static int64_t rd_now(void) { return rd_clock; }

static void rd_at(rd_ctx *d, int days_ago)
{
    rd_clock = d->base - (int64_t)days_ago * DAY;
}

static int rd_check(rd_ctx *d, int rc, const reg_error *e, const char *what)
{
    if (rc != CORE_OK && d->rc == CORE_OK) {
        cli_err(d->r, "demo register: %s failed: %s%s%s%s%s", what, core_strerror(rc),
                e && e->field ? " at " : "", e && e->field ? e->field : "",
                e && e->detail ? ": " : "", e && e->detail ? e->detail : "");
        d->rc = rc;
    }
    return d->rc;
}

/* ---- scope objects ---- */

typedef struct rd_scope {
    const char *slug, *kind, *name, *description, *phase, *countries, *markers;
    const char *product;             /* slug of the catalogue's product, or NULL */
    const char *parent;              /* slug of the parent scope object, or NULL */
} rd_scope;

enum { S_FEED, S_MESSENGER, S_ADS, S_MARKET, S_MODERATION, S_LIVE, S_GROUPS, S_AUTOTAG, S_PAY, S_POLICE,
       S_SUPPLIER, S_INVESTEE, S_TELECOM, S__COUNT };

static const rd_scope rd_scopes[S__COUNT] = {
    {"kestrel-feed", "product", "Kestrel Feed",
     "Ranked home feed; engagement models choose recommended posts and short videos.", "use", "",
     "children_users automated_decisions mass_data", "kestrel-feed", NULL},
    {"kestrel-messenger", "product", "Kestrel Messenger",
     "End-to-end encrypted one-to-one and group messaging, calls and disappearing messages.", "use", "",
     "mass_data", "kestrel-messenger", NULL},
    {"kestrel-ads", "service", "Kestrel Ads",
     "Self-serve advertising with interest, location, age and lookalike targeting.", "sale_or_licensing", "",
     "automated_decisions mass_data", "kestrel-ads", NULL},
    {"kestrel-marketplace", "product", "Kestrel Marketplace",
     "Local buying, selling, rentals and job listings with in-app payments in 14 countries.", "use",
     "DE FR PL ES NG KE IN BR", "", "kestrel-marketplace", NULL},
    {"content-moderation", "service", "Content moderation",
     "Review of reported content by in-house and outsourced moderators in 12 languages, with classifiers.",
     "use", "", "automated_decisions", "content-moderation", NULL},
    {"kestrel-live", "feature", "Kestrel Live",
     "Live streaming for creators with real-time comments and paid virtual gifts.", "use", "",
     "children_users", "kestrel-live", "kestrel-feed"},
    {"kestrel-groups", "feature", "Kestrel Groups",
     "Public and private groups run by volunteer administrators, including activist and diaspora groups.",
     "use", "", "", "kestrel-groups", "kestrel-feed"},
    {"feed-auto-tag", "feature", "Auto-tag suggestions",
     "Suggests tagging people recognised in photos uploaded by others (face matching). In development; "
     "not released.", "development", "", "automated_decisions mass_data", NULL, "kestrel-feed"},
    {"kestrel-pay", "product", "Kestrel Pay",
     "Planned wallet and small loans inside Marketplace, first in Nigeria, Kenya and Ghana.", "design",
     "NG KE GH", "automated_decisions mass_data", NULL, NULL},
    {"police-insights-customer", "state_agency", "National police cyber unit (fictional customer)",
     "Licenses Kestrel Insights, a search and analytics feed over public posts, for \"threat monitoring\". "
     "Organisers of recent protests in the customer's country were prosecuted for posts.",
     "sale_or_licensing", "", "surveillance_to_state state_customer high_risk_area", NULL, NULL},
    {"lakeside-review", "supplier", "Lakeside Review Services (fictional)",
     "Outsourced content moderation centre in Nairobi, about 400 moderators reviewing graphic content in "
     "English, Swahili, Somali and Amharic.", "use", "KE", "high_risk_area", NULL, NULL},
    {"sokoni-pay", "investee", "Sokoni Pay (fictional)",
     "Mobile payments and credit scoring start-up; Kestrel holds 18% and a board observer seat.", "use",
     "NG GH", "automated_decisions mass_data", NULL, NULL},
    {"telenord-zero-rating", "partner", "TeleNord Mobile (fictional)",
     "Telecom partner that zero-rates Kestrel Lite for prepaid users, including in conflict-affected "
     "northern regions where it has been ordered to cut networks before.", "deployment", "",
     "conflict_affected state_customer", NULL, NULL},
};

/* ---- impacts ---- */

typedef struct rd_impact {
    int scope;                       /* S_* */
    const char *title, *description, *status, *rights, *affected, *vulnerable, *countries, *involvement;
    int business_model, scale, scope_r, irremediable, likelihood;
    const char *competing, *evidence;
} rd_impact;

enum { I_TEEN_HARM, I_ELECTION, I_JOB_ADS, I_HEALTH_ADS, I_STALKING, I_SCANNING, I_PROTEST, I_MODERATORS,
       I_POLICE, I_RENTAL_SCAMS, I_FORCED_LABOUR, I_LIVE_GIFTS, I_DOXXING, I_CREDIT, I_FACES, I_SHUTDOWN,
       I__COUNT };

static const rd_impact rd_impacts[I__COUNT] = {
    {S_FEED, "Recommendations push self-harm and eating-disorder content to teenagers",
     "Engagement-ranked recommendations lead teenagers who linger on dieting or sad content into ever more "
     "extreme posts within days.", "actual", "CRC-24 ICESCR-12 CRC-17",
     "Users aged 13-17", "Teenagers with mental health conditions", "", "contribute", 1, 4, 4, 3, 0,
     "Cutting recommendations for teenagers also cuts access to recovery communities and health information "
     "(CRC-17); the mitigation keeps search and followed accounts.", "stakeholder_input media audit"},
    {S_FEED, "Ranking amplifies election disinformation and voter intimidation",
     "Before elections, false claims about polling places and threats against candidates spread faster "
     "than corrections because they draw engagement.", "potential", "ICCPR-25 ICCPR-19 CEDAW-7",
     "Voters, candidates, election workers", "Women candidates", "", "contribute", 1, 4, 5, 2, 3,
     "Demoting content risks over-removal of legitimate political speech (ICCPR-19); labels are preferred "
     "to removals.", "media stakeholder_input"},
    {S_ADS, "Job adverts hidden from older people and women through age and gender targeting",
     "Advertisers of warehouse and driving jobs select age bands and audience suggestions that exclude "
     "older and female candidates.", "actual", "ILO-C111 ICCPR-26 CEDAW-11 ICESCR-6",
     "Job seekers over 45 and women", "Older unemployed workers", "DE ES IE", "cause", 1, 3, 4, 2, 0, NULL,
     "grievance audit"},
    {S_ADS, "Ad targeting on inferred health conditions",
     "Interest categories inferred from browsing (pregnancy, depression, HIV) can be used to target or "
     "exclude people.", "potential", "ICCPR-17 CRPD-22 ICCPR-26",
     "Users whose health conditions are inferred", "People living with HIV, pregnant women", "", "cause", 1,
     4, 4, 4, 3, NULL, "assessment"},
    {S_MESSENGER, "Stalking and harassment through new accounts after blocking",
     "People who are blocked open new accounts and keep messaging their target, including with photos of "
     "their home.", "actual", "ICCPR-17 ICCPR-9 CEDAW-2",
     "Users harassed by former partners or colleagues", "Women, LGBTI users", "", "contribute", 0, 4, 2, 3,
     0, NULL, "grievance"},
    {S_MESSENGER, "Client-side scanning demanded by governments would break encrypted messaging",
     "Draft laws in several markets would require scanning messages on the device; once built, the "
     "capability can be extended to political content.", "potential", "ICCPR-17 ICCPR-19 ICCPR-22",
     "All Messenger users", "Journalists, human rights defenders", "", "cause", 0, 4, 5, 4, 2,
     "Child protection (CRC-34) is the stated aim; the company's position paper weighs alternatives that do "
     "not break encryption.", "assessment stakeholder_input"},
    {S_MODERATION, "Wrongful removal of protest images and suspension of organisers",
     "Classifiers flag protest photos as glorifying violence; accounts that coordinate community support "
     "are suspended.", "actual", "ICCPR-19 ICCPR-21 UDHR-20",
     "Protest organisers, community groups", "Human rights defenders", "KE IN", "cause", 0, 3, 3, 2, 0,
     NULL, "grievance stakeholder_input"},
    {S_SUPPLIER, "Moderators' mental health and working conditions at the moderation supplier",
     "Moderators review graphic violence for nine hours with one break; counselling was stopped and "
     "complaints are met with lost shifts.", "actual", "ICESCR-7 ICESCR-12 ILO-C155 ILO-C87",
     "About 400 outsourced moderators", "Migrant workers on short contracts", "KE", "directly_linked", 0, 4,
     3, 4, 0, NULL, "grievance audit"},
    {S_POLICE, "Public-post analytics used to monitor and prosecute protest organisers",
     "The customer's keyword and network searches over public posts can map organisers and their "
     "contacts.", "potential", "ICCPR-21 ICCPR-22 ICCPR-17 ICCPR-14",
     "Activists, journalists, their contacts", "Human rights defenders", "", "directly_linked", 0, 5, 3, 5,
     3, "Public safety requests may be lawful; the licence limits use to imminent threats to life.",
     "media stakeholder_input"},
    {S_MARKET, "Rental scams take deposits for flats that do not exist",
     "Fake rental listings with stolen photos take deposits from people looking for housing.", "actual",
     "ICESCR-11 UDHR-25", "People looking for housing", "Students, migrants, low-income tenants",
     "DE PL NG", "contribute", 0, 2, 3, 2, 0, NULL, "grievance"},
    {S_MARKET, "Job listings used to recruit people into forced labour",
     "Listings promising jobs abroad are used by traffickers who keep passports and wages.", "potential",
     "ILO-C29 ICCPR-8 ILO-C105", "Job seekers", "Migrant workers, young women", "NG KE IN", "contribute", 0,
     5, 2, 5, 2, NULL, "media"},
    {S_LIVE, "Children exploited through paid gifts in live streams",
     "Adults use virtual gifts to push children into acts on camera during live streams.", "potential",
     "CRC-34 CRC-19 CRC-16", "Children streaming live", "Children 13-15", "", "contribute", 1, 5, 2, 5, 2,
     NULL, "assessment media"},
    {S_GROUPS, "Doxxing of activists by group administrators",
     "Administrators of local groups publish the address and employer of people who criticise local "
     "politicians.", "actual", "ICCPR-17 ICCPR-19 ICCPR-9", "Activists and critics", "Human rights defenders",
     "PH", "contribute", 0, 4, 1, 3, 0, NULL, "grievance"},
    {S_INVESTEE, "Credit scoring that excludes women and informal workers",
     "The investee's credit model uses phone and social data that correlate with gender and informal "
     "work.", "potential", "ICESCR-2 CEDAW-2 ICESCR-11", "Loan applicants", "Women traders, informal workers",
     "NG GH", "directly_linked", 1, 3, 3, 2, 3, NULL, "audit"},
    {S_AUTOTAG, "Face recognition without consent in tag suggestions",
     "Matching faces in photos uploaded by others processes biometric data of people who never agreed.",
     "potential", "ICCPR-17 UDHR-12", "Anyone photographed by a user", "Protesters, people in hiding", "",
     "cause", 1, 3, 4, 4, 4, NULL, "assessment"},
    {S_TELECOM, "Network shutdowns cut access to information in conflict-affected regions",
     "When the partner is ordered to cut networks, people lose news, contact with family and emergency "
     "information.", "potential", "ICCPR-19 UDHR-19 ICESCR-12", "People in the northern regions",
     "Displaced people", "", "directly_linked", 0, 4, 4, 3, 3, NULL, "media stakeholder_input"},
};

/* ---- actions ---- */

typedef struct rd_action {
    int impact;
    const char *kind, *title, *description, *owner_name, *function;
    int due_in;                      /* days from today, NONE = no due day */
    const char *status, *integration;
    int by_lead;                     /* owner is the human rights lead's account */
} rd_action;

enum { A_TEEN_DEFAULTS, A_AGE_BANDS, A_HEALTH_CATS, A_PROTEST_CLASSIFIER, A_COUNSELLING, A_BAN_EVASION };

static const rd_action rd_actions[] = {
    {I_TEEN_HARM, "mitigate", "Teen accounts: no recommendations of dieting or self-harm content",
     "Sensitive-content filter on by default for accounts under 18; recovery resources in search.",
     "Feed ranking lead", "product", -20, "done",
     "Launch checklist for ranking changes now includes a teen-safety review.", 0},
    {I_JOB_ADS, "prevent", "Remove age and gender targeting from employment, housing and credit ads",
     "Special ad category worldwide, not only in the US; audience suggestions off for these ads.",
     "Ads policy manager", "product", 30, "in_progress", NULL, 0},
    {I_HEALTH_ADS, "prevent", "Delete inferred health interest categories",
     "Remove categories inferred about health, sexuality and religion from the targeting catalogue.", NULL,
     "engineering", 60, "planned", NULL, 1},
    {I_PROTEST, "mitigate", "Retrain the violence classifier on protest imagery; human review before suspension",
     "Protest images in Swahili and English added to training data; suspension of community organisers "
     "needs a second, human review.", "Head of Trust & Safety", "trust_and_safety", -5, "done",
     "Moderator guidelines v14 include a protest imagery section.", 0},
    {I_MODERATORS, "use_leverage", "Require counselling and shift limits from the moderation supplier",
     "Contract amendment: weekly counselling, six-hour exposure limit, no retaliation; quarterly audit.",
     "Procurement lead", "procurement", 15, "in_progress",
     "Supplier code of conduct section 7 applies to all content-review suppliers.", 0},
    {I_STALKING, "mitigate", "Detect ban evasion by blocked accounts",
     "Device and behaviour signals stop new accounts from messaging someone who blocked their owner.",
     "Messenger integrity team", "engineering", 45, "in_progress", NULL, 0},
    {I_MODERATORS, "remediate", "Fund independent counselling for current and former moderators",
     "Twelve months of counselling through an independent provider, whatever the supplier decides.", NULL,
     "human_rights", NONE, "planned", NULL, 1},
    {I_POLICE, "use_leverage", "Licence conditions and audits for the police customer",
     "Use limited to imminent threats to life; no searches on protest organisers; logs audited quarterly.",
     "Head of sales, public sector", "sales", 20, "in_progress", NULL, 0},
    {I_POLICE, "suspend_relationship", "Suspend renewal of the Insights licence pending the audit",
     "No renewal or expansion until the first audit shows the conditions are met.", "General counsel",
     "legal", 75, "planned", NULL, 0},
    {I_RENTAL_SCAMS, "mitigate", "Verified listers for rentals and faster removal of scam listings", NULL,
     "Marketplace trust lead", "trust_and_safety", -40, "done",
     "Rental listings need a verified lister since release 40.3.", 0},
    {I_RENTAL_SCAMS, "remediate", "Refund deposits paid through in-app payments to scam listings",
     "Buyer protection extended to rental deposits paid in the app.", "Payments operations", "other", 10,
     "in_progress", NULL, 0},
    {I_ELECTION, "prevent", "Election integrity plan: labels, reduced virality, local fact-checkers",
     NULL, "Public policy lead", "trust_and_safety", 50, "planned", NULL, 0},
    {I_CREDIT, "use_leverage", "Ask the investee for a fairness audit of its credit model",
     "Raised at the board as observer; offer to fund an independent audit.", NULL, "human_rights", 25,
     "planned", NULL, 1},
    {I_SHUTDOWN, "use_leverage", "Agree a shutdown protocol with the telecom partner",
     "Partner to publish orders it receives, challenge them where the law allows, and restore fast.",
     "Partnerships director", "legal", 40, "planned", NULL, 0},
    {I_DOXXING, "prevent", "Second administrator approval for posts with addresses in groups", NULL,
     "Groups product manager", "product", -44, "done",
     "Shipped in release 41.2 after the demo grievance about doxxing.", 0},
    {I_LIVE_GIFTS, "prevent", "No gifts to accounts under 16; age checks for live streaming", NULL,
     "Live product manager", "product", 90, "planned", NULL, 0},
    {I_FORCED_LABOUR, "end_relationship", "End listings from recruitment agencies that charge workers fees",
     "Agencies charging recruitment fees to workers are removed and barred.", "Marketplace policy",
     "trust_and_safety", -10, "done", NULL, 0},
};
#define RD_NACTIONS (sizeof rd_actions / sizeof rd_actions[0])

/* ---- indicators (seven monthly values, oldest first, the last this month) ---- */

typedef struct rd_indicator {
    int impact;                      /* -1 = on an action */
    int action;                      /* index into rd_actions, -1 = on an impact */
    const char *name, *unit, *direction;
    double target, tolerance;
    int target_in;                   /* days from today, NONE */
    double values[7];
} rd_indicator;

static const rd_indicator rd_indicators[] = {
    {I_MODERATORS, -1, "Moderators with weekly counselling access", "%", "increase", 100, 0, 120,
     {40, 45, 52, 60, 68, 77, 85}},
    {I_JOB_ADS, -1, "Employment ads using age bands", "%", "decrease", 0, 0, 60, {12, 11, 9, 7, 5, 3, 2}},
    {-1, A_PROTEST_CLASSIFIER, "Protest-image removals overturned on appeal", "per month", "decrease", 20, 0,
     NONE, {140, 128, 115, 92, 71, 60, 48}},
    {I_TEEN_HARM, -1, "Teen sessions shown self-harm content", "per 10,000 sessions", "decrease", 1, 0, 90,
     {6.1, 5.8, 6.0, 5.9, 6.2, 6.0, 6.1}},
    {I_RENTAL_SCAMS, -1, "Median days to remove a reported scam listing", "days", "decrease", 2, 0, 90,
     {9, 8, 8, 7, 6, 5, 4}},
    {I_STALKING, -1, "Repeat-contact reports after blocking", "reports per month", "decrease", 50, 0, NONE,
     {410, 395, 380, 352, 330, 301, 288}},
};
#define RD_NINDICATORS (sizeof rd_indicators / sizeof rd_indicators[0])

/* ---- stakeholders and engagements ---- */

typedef struct rd_stakeholder {
    const char *name, *kind, *region, *countries;
    int global_south;
    const char *contact;
} rd_stakeholder;

enum { K_DRK, K_MODNET, K_UNION, K_PARENTS, K_EXPERT, K_PROTEST, K_SELLERS, K_ODD, K__COUNT };

static const rd_stakeholder rd_stakeholders[K__COUNT] = {
    {"Digital Rights Kenya (fictional)", "organisation", "East Africa", "KE", 1,
     "Programme officer via the shared Signal group; prefers written agendas a week ahead."},
    {"Content moderators' peer network, Nairobi (fictional)", "affected_group", "East Africa", "KE", 1,
     "Meet outside working hours, away from the supplier's premises; never through the supplier."},
    {"Fair Work Network (fictional trade union)", "representative", "Europe", "DE", 0,
     "jobs-watch@fairwork.example"},
    {"Parents for Safer Apps (fictional)", "organisation", "Europe", "FR BE", 0, NULL},
    {"Dr. Amina Yusuf, privacy researcher (fictional)", "expert", "West Africa", "NG", 1, NULL},
    {"Protest organisers' collective, Mombasa (fictional)", "affected_group", "East Africa", "KE", 1,
     "Through Digital Rights Kenya only."},
    {"Marketplace sellers' association, Lagos (fictional)", "representative", "West Africa", "NG", 1, NULL},
    {"Observatorio de Derechos Digitales (fictional)", "organisation", "Latin America", "BR MX", 1, NULL},
};

typedef struct rd_engagement {
    int stakeholder;
    int days_ago;                    /* < 0: days after the start of this quarter (fatigue series) */
    const char *step, *topics, *format, *outcome, *follow_up;
    int impacts[3];                  /* I_*, -1 ends */
} rd_engagement;

static const rd_engagement rd_engagements[] = {
    {K_MODNET, 160, "identify", "Working conditions, exposure to graphic content, counselling", "interview",
     "Counselling stopped in March; complaints lead to lost shifts.", "Raise with the supplier under the code.",
     {I_MODERATORS, -1, -1}},
    {K_MODNET, 35, "track", "Whether the new counselling is reachable on night shifts", "meeting",
     "Reachable by phone, not yet on site.", "Ask for on-site sessions in the amendment.", {I_MODERATORS, -1, -1}},
    {K_UNION, 50, "assess", "Age and gender targeting of job adverts", "meeting",
     "Shared 38 screenshots; asked for the special ad category in Europe.", "Share the product change plan.",
     {I_JOB_ADS, -1, -1}},
    {K_PARENTS, 120, "identify", "Teen recommendations and live gifts", "workshop",
     "Parents want defaults, not settings to find.", NULL, {I_TEEN_HARM, I_LIVE_GIFTS, -1}},
    {K_EXPERT, 90, "assess", "Inferred health categories and face matching", "consultation",
     "Recommends deleting inferred sensitive categories rather than restricting them.", NULL,
     {I_HEALTH_ADS, I_FACES, -1}},
    {K_PROTEST, 70, "assess", "Account suspensions after protests; police use of public posts", "meeting",
     "Organisers now avoid public posts; two were questioned about their posts.",
     "Bring the police customer findings to the human rights lead.", {I_PROTEST, I_POLICE, -1}},
    {K_SELLERS, 60, "act", "Rental scams and verified listers", "survey",
     "Verification is slow for sellers without a bank account.", "Accept mobile money verification.",
     {I_RENTAL_SCAMS, -1, -1}},
    {K_ODD, 100, "identify", "Election integrity before the regional elections", "written",
     "Written submission on voter intimidation against women candidates.", NULL, {I_ELECTION, -1, -1}},
    {K_DRK, 150, "identify", "Salient risks in East Africa", "workshop", "Shortlist of five salient issues.",
     NULL, {I_PROTEST, I_POLICE, I_MODERATORS}},
    /* Digital Rights Kenya again and again this quarter: the fourth is over
     * the limit of three per quarter and raises the fatigue warning. */
    {K_DRK, -1, "assess", "Police customer: licence conditions", "meeting", "Conditions too broad.", NULL,
     {I_POLICE, -1, -1}},
    {K_DRK, -2, "act", "Protest imagery classifier: test set review", "workshop",
     "Reviewed 200 false positives.", NULL, {I_PROTEST, -1, -1}},
    {K_DRK, -3, "track", "Moderators' counselling: follow-up", "meeting", NULL, NULL, {I_MODERATORS, -1, -1}},
    {K_DRK, -4, "communicate", "Draft of the company report, East Africa section", "written",
     "Asked for more time: four requests this quarter.", "Spread requests over partners.", {-1, -1, -1}},
};
#define RD_NENGAGEMENTS (sizeof rd_engagements / sizeof rd_engagements[0])

/* ---- steps ---- */

static void rd_policies(rd_ctx *d)
{
    reg_error e;
    memset(&e, 0, sizeof e);
    rd_at(d, 420);
    store_dd_policy p1 = {
        .org_id = d->org_id,
        .title = "Kestrel Social human rights policy",
        .body_md =
            "# Our commitment\n\n"
            "Kestrel Social respects all internationally recognised human rights, as set out in the "
            "International Bill of Human Rights and the ILO Declaration on Fundamental Principles and Rights "
            "at Work, in line with the UN Guiding Principles on Business and Human Rights.\n\n"
            "## What we do\n\n"
            "- We identify and assess how our products, our business model and our business relationships "
            "can harm people, and we act on what we find, starting with the most severe harms.\n"
            "- We track whether our actions work and report on them every year.\n"
            "- We engage the people affected, and the organisations that represent them, at every step.\n"
            "- We provide a grievance mechanism open to anyone harmed, and cooperate with other routes to "
            "remedy.\n\n"
            "## What we expect\n\n"
            "Every employee, contractor and supplier is expected to follow this policy. The human rights "
            "lead reports to the board twice a year.\n",
        .scope_rights = "", .own_operations = 1, .business_partners = 1, .end_use = 0,
    };
    rd_check(d, reg_policy_create(d->svc, d->a, &d->admin, &p1, &e), &e, "policy version 1");
    if (d->rc != CORE_OK) return;
    rd_at(d, 410);
    rd_check(d, reg_policy_approve(d->svc, d->a, &d->lead, p1.id, &e), &e, "policy approval");
    static const struct { int ago; const char *channel, *audience, *note; } comms[] = {
        {408, "website", "public", "Published at kestrel.example/human-rights."},
        {400, "intranet", "staff", "Announced by the CEO; required reading for product managers."},
        {380, "training", "staff", "Module in the annual ethics training (92% completion)."},
        {350, "supplier_code", "business_partners", "Annexed to the supplier code of conduct."},
    };
    for (size_t i = 0; i < sizeof comms / sizeof comms[0] && d->rc == CORE_OK; i++) {
        rd_at(d, comms[i].ago);
        store_dd_policy_comm m = {.org_id = d->org_id, .policy_id = p1.id, .day = d->today - comms[i].ago,
                                  .channel = comms[i].channel, .audience = comms[i].audience,
                                  .note = comms[i].note};
        rd_check(d, reg_policy_communicate(d->svc, d->a, &d->lead, &m, &e), &e, "policy communication");
    }
    static const struct { const char *title, *url, *function; } links[] = {
        {"Community standards: protest and political speech", "https://kestrel.example/policies/community",
         "trust_and_safety"},
        {"Law enforcement and government requests policy", "https://kestrel.example/policies/government",
         "legal"},
        {"Advertising policy: special ad categories", "https://kestrel.example/policies/ads", "product"},
        {"Supplier code of conduct", NULL, "procurement"},
    };
    for (size_t i = 0; i < sizeof links / sizeof links[0] && d->rc == CORE_OK; i++) {
        store_dd_policy_link l = {.org_id = d->org_id, .policy_id = p1.id, .title = links[i].title,
                                  .url = links[i].url, .function = links[i].function};
        rd_check(d, reg_policy_link_add(d->svc, d->a, &d->lead, &l, &e), &e, "policy link");
    }
    if (d->rc != CORE_OK) return;
    rd_at(d, 6);
    store_dd_policy p2 = p1;
    p2.id = 0;
    p2.title = "Kestrel Social human rights policy (2nd edition)";
    p2.body_md =
        "# Our commitment\n\n"
        "Kestrel Social respects all internationally recognised human rights, as set out in the "
        "International Bill of Human Rights and the ILO Declaration on Fundamental Principles and Rights at "
        "Work, in line with the UN Guiding Principles on Business and Human Rights.\n\n"
        "## New in this edition\n\n"
        "- **End use.** We assess how customers use what we sell, State agencies first. We do not license "
        "tools to monitor people for exercising their rights of expression, assembly or association.\n"
        "- **Investments.** We use our influence as an investor when an investee's products harm people.\n"
        "- **Workers in our supply chain.** Content moderators working for our suppliers have the same "
        "right to psychological support and fair conditions as our own staff.\n\n"
        "## What we do\n\n"
        "We identify and assess, act on the most severe harms first, track whether our actions work, "
        "engage the people affected and provide and cooperate in remedy.\n";
    p2.end_use = 1;
    rd_check(d, reg_policy_create(d->svc, d->a, &d->lead, &p2, &e), &e, "policy version 2 (draft)");
}

static int rd_find_product(const store_product *ps, size_t n, const char *slug, int64_t *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(ps[i].slug, slug) == 0) {
            *id = ps[i].id;
            return CORE_OK;
        }
    return CORE_NOTFOUND;
}

static void rd_scope_objects(rd_ctx *d, store *s, int64_t ids[S__COUNT])
{
    store_conn *c = NULL;
    store_product *ps = NULL;
    size_t n = 0;
    int rc = store_acquire(s, &c);
    if (rc == CORE_OK) {
        rc = store_product_list(c, d->a, d->org_id, &ps, &n);
        store_release(s, c);
    }
    if (rd_check(d, rc, NULL, "reading the products") != CORE_OK) return;
    rd_at(d, 400);
    for (int i = 0; i < S__COUNT && d->rc == CORE_OK; i++) {
        const rd_scope *x = &rd_scopes[i];
        store_dd_scope sc = {.org_id = d->org_id, .slug = x->slug, .kind = x->kind, .name = x->name,
                             .description = x->description, .phase = x->phase, .countries = x->countries,
                             .markers = x->markers};
        if (x->product && rd_find_product(ps, n, x->product, &sc.product_id) != CORE_OK) {
            rd_check(d, CORE_NOTFOUND, NULL, x->product);
            return;
        }
        for (int k = 0; x->parent && k < i; k++)
            if (strcmp(rd_scopes[k].slug, x->parent) == 0) sc.parent_id = ids[k];
        reg_error e;
        memset(&e, 0, sizeof e);
        rd_check(d, reg_scope_create(d->svc, d->a, &d->lead, &sc, &e), &e, x->slug);
        ids[i] = sc.id;
    }
}

static void rd_impacts_create(rd_ctx *d, const int64_t scopes[S__COUNT], int64_t ids[I__COUNT])
{
    for (int i = 0; i < I__COUNT && d->rc == CORE_OK; i++) {
        const rd_impact *x = &rd_impacts[i];
        rd_at(d, 330 - i * 12);
        store_dd_impact im = {
            .org_id = d->org_id, .scope_id = scopes[x->scope], .title = x->title,
            .description = x->description, .status = x->status, .rights = x->rights,
            .affected_groups = x->affected, .vulnerable_groups = x->vulnerable, .countries = x->countries,
            .involvement = x->involvement, .business_model = x->business_model, .scale = x->scale,
            .scope = x->scope_r, .irremediable = x->irremediable, .likelihood = x->likelihood,
            .competing_rights = x->competing, .evidence = x->evidence,
        };
        reg_error e;
        memset(&e, 0, sizeof e);
        rd_check(d, reg_impact_create(d->svc, d->a, i % 3 == 0 ? &d->admin : &d->lead, &im, &e), &e, x->title);
        ids[i] = im.id;
    }
}

static void rd_actions_create(rd_ctx *d, const demo_staff *staff, const int64_t impacts[I__COUNT],
                              int64_t ids[RD_NACTIONS])
{
    for (size_t i = 0; i < RD_NACTIONS && d->rc == CORE_OK; i++) {
        const rd_action *x = &rd_actions[i];
        rd_at(d, 200 - (int)i * 8);
        store_dd_action a = {
            .org_id = d->org_id, .impact_id = impacts[x->impact], .kind = x->kind, .title = x->title,
            .description = x->description, .owner_id = x->by_lead ? staff->lead_id : 0,
            .owner_name = x->owner_name, .function = x->function,
            .due_day = x->due_in == NONE ? -1 : d->today + x->due_in, .status = x->status,
            .integration = x->integration,
        };
        reg_error e;
        memset(&e, 0, sizeof e);
        rd_check(d, reg_action_create(d->svc, d->a, &d->lead, &a, &e), &e, x->title);
        ids[i] = a.id;
    }
}

static void rd_indicators_create(rd_ctx *d, const int64_t impacts[I__COUNT], const int64_t actions[RD_NACTIONS])
{
    for (size_t i = 0; i < RD_NINDICATORS && d->rc == CORE_OK; i++) {
        const rd_indicator *x = &rd_indicators[i];
        rd_at(d, 215);
        store_dd_indicator ind = {
            .org_id = d->org_id, .impact_id = x->impact >= 0 ? impacts[x->impact] : 0,
            .action_id = x->action >= 0 ? actions[x->action] : 0, .name = x->name, .unit = x->unit,
            .direction = x->direction, .target = x->target, .tolerance = x->tolerance,
            .target_day = x->target_in == NONE ? -1 : d->today + x->target_in,
        };
        reg_error e;
        memset(&e, 0, sizeof e);
        rd_check(d, reg_indicator_create(d->svc, d->a, &d->lead, &ind, &e), &e, x->name);
        /* monthly: 180, 150, ... 30 days ago, then today */
        for (int k = 0; k < 7 && d->rc == CORE_OK; k++) {
            int ago = (6 - k) * 30;
            rd_at(d, ago);
            store_dd_measure m = {.org_id = d->org_id, .indicator_id = ind.id, .day = d->today - ago,
                                  .value = x->values[k],
                                  .note = k == 6 ? "Monthly dashboard, this month" : "Monthly dashboard"};
            rd_check(d, reg_measure_put(d->svc, d->a, &d->lead, &m, &e), &e, "measurement");
        }
    }
}

static void rd_engage(rd_ctx *d, const int64_t impacts[I__COUNT])
{
    int64_t ids[K__COUNT] = {0};
    reg_error e;
    memset(&e, 0, sizeof e);
    rd_at(d, 200);
    for (int i = 0; i < K__COUNT && d->rc == CORE_OK; i++) {
        const rd_stakeholder *x = &rd_stakeholders[i];
        store_dd_stakeholder st = {.org_id = d->org_id, .name = x->name, .kind = x->kind, .region = x->region,
                                   .countries = x->countries, .global_south = x->global_south,
                                   .contact = x->contact};
        rd_check(d, reg_stakeholder_create(d->svc, d->a, &d->lead, &st, &e), &e, x->name);
        ids[i] = st.id;
    }
    /* the fatigue series: spread over the days of this quarter so far */
    int64_t year, qstart = d->today;
    int quarter;
    dd_quarter_of(d->today, &year, &quarter);
    dd_quarter_start(year, quarter, &qstart);
    int64_t span = d->today - qstart;
    int warned = 0;
    for (size_t i = 0; i < RD_NENGAGEMENTS && d->rc == CORE_OK; i++) {
        const rd_engagement *x = &rd_engagements[i];
        int64_t day = x->days_ago >= 0 ? d->today - x->days_ago : qstart + span * (-x->days_ago - 1) / 4;
        rd_at(d, (int)(d->today - day));
        char list[128] = "";
        size_t used = 0;
        for (int k = 0; k < 3 && x->impacts[k] >= 0; k++) {
            int w = snprintf(list + used, sizeof list - used, "%s%lld", used ? " " : "",
                             (long long)impacts[x->impacts[k]]);
            if (w > 0 && (size_t)w < sizeof list - used) used += (size_t)w;
        }
        store_dd_engagement en = {.org_id = d->org_id, .stakeholder_id = ids[x->stakeholder], .day = day,
                                  .step = x->step, .topics = x->topics, .format = x->format,
                                  .outcome = x->outcome, .follow_up = x->follow_up, .impact_ids = list};
        reg_fatigue f;
        memset(&f, 0, sizeof f);
        rd_check(d, reg_engagement_create(d->svc, d->a, &d->lead, &en, &f, &e), &e, x->topics);
        if (f.warning) warned = 1;
    }
    if (d->rc == CORE_OK && !warned)
        fprintf(stderr, "hrdd demo: note: no engagement raised the fatigue warning\n");
}

/* Opens an assessment event_ago days ago; completes (and approves) it when
 * asked. Returns its id (0 on failure). */
static int64_t rd_assess(rd_ctx *d, int64_t scope, const char *kind, const char *trigger, const char *note,
                         int event_ago, int complete_ago, int approve, const char *summary,
                         const int64_t *findings, size_t nf)
{
    if (d->rc != CORE_OK) return 0;
    reg_error e;
    memset(&e, 0, sizeof e);
    rd_at(d, event_ago > 0 ? event_ago : 0);
    store_dd_assessment x = {.org_id = d->org_id, .scope_id = scope, .kind = kind, .trigger = trigger,
                             .trigger_note = note, .event_day = d->today - event_ago};
    if (rd_check(d, reg_assessment_create(d->svc, d->a, &d->lead, &x, &e), &e, note) != CORE_OK) return 0;
    if (complete_ago >= 0) {
        rd_at(d, complete_ago);
        rd_check(d, reg_assessment_complete(d->svc, d->a, &d->lead, x.id, d->today - complete_ago, summary,
                                            findings, nf, &e), &e, "completing an assessment");
        if (approve && d->rc == CORE_OK) {
            rd_at(d, complete_ago > 2 ? complete_ago - 2 : 0);
            rd_check(d, reg_assessment_approve(d->svc, d->a, &d->lead, x.id, &e), &e, "approving an assessment");
        }
    }
    return x.id;
}

static void rd_assessments(rd_ctx *d, const int64_t sc[S__COUNT], const int64_t im[I__COUNT])
{
    const int64_t feed[] = {im[I_TEEN_HARM], im[I_ELECTION], im[I_LIVE_GIFTS], im[I_DOXXING]};
    rd_assess(d, sc[S_FEED], "hria", "periodic", "Annual human rights impact assessment of the feed", 340, 318, 1,
              "Recommendations to teenagers and election-period virality are the feed's most salient risks; "
              "teen defaults changed, an election integrity plan is under way.", feed, 4);
    const int64_t ads[] = {im[I_JOB_ADS], im[I_HEALTH_ADS]};
    rd_assess(d, sc[S_ADS], "dd_review", "major_change", "Lookalike audiences and automated audience suggestions",
              230, 205, 1,
              "Audience suggestions reproduce exclusion by age and gender in job ads; inferred sensitive "
              "categories must go.", ads, 2);
    const int64_t mod[] = {im[I_MODERATORS], im[I_PROTEST]};
    rd_assess(d, sc[S_SUPPLIER], "dd_review", "new_activity", "Contract renewal with the moderation supplier",
              170, 140, 1,
              "Working conditions at the supplier harm moderators' health; the contract is renewed with "
              "counselling, exposure limits and audits as conditions.", mod, 2);
    const int64_t mkt[] = {im[I_RENTAL_SCAMS], im[I_FORCED_LABOUR]};
    rd_assess(d, sc[S_MARKET], "dd_review", "environment_change",
              "Housing shortage: rental scams rising in several markets", 120, 100, 1,
              "Rental scams exploit the housing shortage; verified listers and deposit refunds in place.", mkt, 2);
    const int64_t pol[] = {im[I_POLICE]};
    rd_assess(d, sc[S_POLICE], "hria", "new_activity", "Licence of Kestrel Insights to a police unit", 95, 12, 0,
              "High risk of use against protest organisers; licence conditions and audits required before "
              "renewal. Awaiting approval by the human rights lead.", pol, 1);
    /* open: overdue, due soon, upcoming */
    rd_assess(d, sc[S_MESSENGER], "dd_review", "major_change",
              "Disappearing messages on by default; legal demands for client-side scanning", 45, -1, 0, NULL,
              NULL, 0);
    rd_assess(d, sc[S_PAY], "hria", "new_activity", "Launch of Kestrel Pay in Nigeria (planned start)", -20, -1,
              0, NULL, NULL, 0);
    rd_assess(d, sc[S_FEED], "hria", "periodic", "Next annual assessment of the feed", 0, -1, 0, NULL, NULL, 0);
    rd_assess(d, sc[S_TELECOM], "dd_review", "environment_change",
              "Conflict escalating in the partner's northern regions", 8, -1, 0, NULL, NULL, 0);
}

/* Links demo grievances to impacts: the cases are found by what their
 * intake recorded (category, country, product, collective). */
static void rd_links(rd_ctx *d, store *s, const int64_t im[I__COUNT])
{
    store_conn *c = NULL;
    store_grievance *gs = NULL;
    size_t n = 0;
    store_product *ps = NULL;
    size_t np = 0;
    store_grievance_filter f;
    memset(&f, 0, sizeof f);
    f.limit = 500;
    int rc = store_acquire(s, &c);
    if (rc == CORE_OK) {
        rc = store_grievance_list(c, d->a, d->org_id, &f, &gs, &n);
        if (rc == CORE_OK) rc = store_product_list(c, d->a, d->org_id, &ps, &np);
        store_release(s, c);
    }
    if (rd_check(d, rc, NULL, "reading the demo grievances") != CORE_OK) return;
    static const struct { const char *category, *country, *product; int collective, impact, ago; } want[] = {
        {"data_protection", "ES", "kestrel-ads", 0, I_HEALTH_ADS, 33},
        {"data_protection", "FR", "kestrel-feed", 0, I_FACES, 24},
        {"general", "DE", "kestrel-ads", 1, I_JOB_ADS, 20},
        {"general", "ES", "kestrel-ads", 1, I_JOB_ADS, 19},
        {"general", "IE", "kestrel-ads", 1, I_JOB_ADS, 18},
        {"whistleblowing", "KE", "content-moderation", 0, I_MODERATORS, 22},
        {"content_moderation", "KE", "content-moderation", 0, I_PROTEST, 9},
        {"general", "PH", "kestrel-groups", 0, I_DOXXING, 57},
        {"general", "DE", "kestrel-marketplace", 0, I_RENTAL_SCAMS, 5},
        {"general", "NG", "kestrel-marketplace", 0, I_RENTAL_SCAMS, 36},
        {"general", "FR", "kestrel-messenger", 0, I_STALKING, 0},
    };
    size_t linked = 0;
    for (size_t w = 0; w < sizeof want / sizeof want[0] && d->rc == CORE_OK; w++) {
        int64_t pid = 0;
        if (rd_find_product(ps, np, want[w].product, &pid) != CORE_OK) continue;
        for (size_t i = 0; i < n; i++) {
            const store_grievance *g = &gs[i];
            if (!g->category || strcmp(g->category, want[w].category) != 0 || !g->country ||
                strcmp(g->country, want[w].country) != 0 || g->product_id != pid ||
                (want[w].collective != 0) != (g->collective_id != 0))
                continue;
            rd_at(d, want[w].ago);
            reg_link_result res;
            reg_error e;
            memset(&e, 0, sizeof e);
            rc = reg_impact_link_grievance(d->svc, d->a, &d->lead, im[want[w].impact], g->id, &res, &e);
            if (rc == CORE_CONFLICT) rc = CORE_OK;   /* matched twice */
            else if (rc == CORE_OK) linked++;
            rd_check(d, rc, &e, "linking a grievance");
            break;
        }
    }
    if (d->rc == CORE_OK)
        fprintf(stderr, "hrdd demo: linked %zu demo grievances to impacts\n", linked);
}

int demo_seed_register(cli_run *r, store *s, const demo_staff *staff)
{
    reg_options o;
    reg_options_defaults(&o);
    o.now = rd_now;
    rd_clock = (int64_t)time(NULL);
    reg_service *svc = NULL;
    int rc = reg_open(&svc, s, &o);
    if (rc != CORE_OK) {
        cli_err(r, "cannot open the register service: %s", core_strerror(rc));
        return rc;
    }
    core_arena a;
    core_arena_init(&a);
    rd_ctx d = {
        .r = r, .svc = svc, .a = &a, .org_id = staff->org_id, .base = rd_clock,
        .lead = {staff->lead_id, staff->org_id, CORE_ROLE_HR_LEAD, "cli"},
        .admin = {staff->admin_id, staff->org_id, CORE_ROLE_ADMIN, "cli"},
        .rc = CORE_OK,
    };
    d.today = reg_today(svc);
    fprintf(stderr, "hrdd demo: writing the due diligence register...\n");
    int64_t scopes[S__COUNT] = {0}, impacts[I__COUNT] = {0}, actions[RD_NACTIONS] = {0};
    rd_policies(&d);
    rd_scope_objects(&d, s, scopes);
    rd_impacts_create(&d, scopes, impacts);
    rd_actions_create(&d, staff, impacts, actions);
    rd_indicators_create(&d, impacts, actions);
    rd_engage(&d, impacts);
    rd_assessments(&d, scopes, impacts);
    rd_links(&d, s, impacts);
    rd_clock = d.base;
    core_arena_cleanup(&a);
    reg_close(svc);
    return d.rc;
}
