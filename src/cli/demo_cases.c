/* demo_cases: the grievances of the demo installation.
 *
 * Kestrel Social's mechanism, a few weeks into its life: cases in every state
 * of the workflow (received, acknowledged, in assessment, inadmissible with
 * reasons, in investigation, remedy proposed / accepted / rejected /
 * implemented, closed and rated, referred to a data protection authority,
 * escalated, withdrawn, appealed), over the categories a social platform
 * sees (moderation appeals, data-subject requests, harassment through the
 * messenger, discriminatory ad targeting, marketplace scams, a whistleblowing
 * report), every intake channel (web, phone, letter, partner), several
 * countries and languages, triage values, one collective case of three
 * complaints about the same systemic harm, messages both ways, internal notes
 * and two overdue clocks.
 *
 * Everything goes through the rmd_* service functions, exactly as the pages
 * and the API would (encryption, clocks, events, audit entries), never raw
 * SQL. History is backdated with the service's injectable clock: demo_at()
 * moves the clock to "N days ago" before each step, so the timelines, the
 * clocks and the overdue flags are those of real cases. Every person,
 * account and story is fictional.
 *
 * Before the cases, the shared directory of external mechanisms is imported
 * from the data folder (the European data protection authorities), so the
 * pathway and the referral to a DPA are real entries; without the folder the
 * referral falls back to a plain "refer" step.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/demo.h"
#include "remedy/remedy.h"

#define DAY 86400

typedef struct demo_ctx {
    cli_run *r;
    rmd_service *svc;
    core_arena *a;
    int64_t org_id;
    int64_t base;                    /* the real "now" of the seed */
    rmd_actor handler, admin;
    int rc;                          /* first failure, sticky */
} demo_ctx;

typedef struct demo_case {
    int64_t id;
    char receipt[GRV_RECEIPT_TEXT + 1];
    char reference[RMD_REFERENCE_LEN + 1];
} demo_case;

/* The service's clock during the seed. */
static int64_t demo_clock;
static int64_t demo_now(void) { return demo_clock; }

static void demo_at(demo_ctx *d, double days_ago)
{
    demo_clock = d->base - (int64_t)(days_ago * DAY);
}

/* "YYYY-MM-DD" of days_ago (UTC), in the arena. */
static const char *demo_date(demo_ctx *d, int days_ago)
{
    time_t t = (time_t)(d->base - (int64_t)days_ago * DAY);
    struct tm tm;
    char *out = core_arena_alloc(d->a, 11);
    if (!out || !gmtime_r(&t, &tm)) return NULL;
    strftime(out, 11, "%Y-%m-%d", &tm);
    return out;
}

static int demo_check(demo_ctx *d, int rc, const demo_case *c, const char *step)
{
    if (rc != CORE_OK && d->rc == CORE_OK) {
        cli_err(d->r, "demo grievance %s: %s failed: %s", c && c->reference[0] ? c->reference : "(new)",
                step, core_strerror(rc));
        d->rc = rc;
    }
    return d->rc;
}

static void demo_file(demo_ctx *d, demo_case *c, double days_ago, grv_intake *in, int by_staff)
{
    memset(c, 0, sizeof *c);
    if (d->rc != CORE_OK) return;
    demo_at(d, days_ago);
    if (!in->channel) in->channel = "web";
    rmd_filed f;
    grv_error err = {0};
    int rc = rmd_file(d->svc, d->a, d->org_id, in, by_staff ? &d->handler : NULL, &f, &err);
    if (rc == CORE_INVALID && err.field)
        cli_err(d->r, "demo grievance: field %s: %s", err.field, err.detail ? err.detail : "invalid");
    if (demo_check(d, rc, c, "filing") != CORE_OK) return;
    c->id = f.case_id;
    snprintf(c->receipt, sizeof c->receipt, "%s", f.receipt);
    snprintf(c->reference, sizeof c->reference, "%s", f.reference);
}

static void demo_act(demo_ctx *d, demo_case *c, double days_ago, grv_action act, const char *reason,
                     const char *public_text)
{
    if (d->rc != CORE_OK) return;
    demo_at(d, days_ago);
    const rmd_actor *who = act == GRV_ACT_REVIEW_APPEAL ? &d->admin : &d->handler;
    demo_check(d, rmd_case_act(d->svc, d->a, who, c->id, act, reason, public_text), c, grv_action_name(act));
}

static void demo_assign(demo_ctx *d, demo_case *c, double days_ago)
{
    if (d->rc != CORE_OK) return;
    demo_at(d, days_ago);
    demo_check(d, rmd_case_assign(d->svc, d->a, &d->admin, c->id, d->handler.user_id), c, "assign");
}

static void demo_triage(demo_ctx *d, demo_case *c, double days_ago, int scale, int scope, int irremediable,
                        int urgent, int vulnerable)
{
    if (d->rc != CORE_OK) return;
    demo_at(d, days_ago);
    grv_triage t = {scale, scope, irremediable, urgent, vulnerable};
    demo_check(d, rmd_case_triage(d->svc, d->a, &d->handler, c->id, &t), c, "triage");
}

static void demo_note(demo_ctx *d, demo_case *c, double days_ago, const char *text)
{
    if (d->rc != CORE_OK) return;
    demo_at(d, days_ago);
    demo_check(d, rmd_case_note(d->svc, d->a, &d->handler, c->id, text), c, "note");
}

/* A message to the complainant; ask = 1 for a question (clocks pause). */
static void demo_say(demo_ctx *d, demo_case *c, double days_ago, const char *text, int ask)
{
    if (d->rc != CORE_OK) return;
    demo_at(d, days_ago);
    demo_check(d, rmd_case_message(d->svc, d->a, &d->handler, c->id, text, ask), c, "message");
}

static void demo_reply(demo_ctx *d, demo_case *c, double days_ago, const char *text)
{
    if (d->rc != CORE_OK) return;
    demo_at(d, days_ago);
    rmd_peer p = {0};
    demo_check(d, rmd_receipt_message(d->svc, d->a, c->receipt, &p, text), c, "reply");
}

/* Acknowledge, then assess (the usual first two steps), assigned and triaged. */
static void demo_open(demo_ctx *d, demo_case *c, double ack_days_ago, double assess_days_ago,
                      const char *ack_text)
{
    demo_assign(d, c, ack_days_ago + 0.05);
    demo_act(d, c, ack_days_ago, GRV_ACT_ACKNOWLEDGE, NULL, ack_text);
    if (assess_days_ago >= 0) demo_act(d, c, assess_days_ago, GRV_ACT_ASSESS, NULL, NULL);
}

static void demo_propose(demo_ctx *d, demo_case *c, double days_ago, const char *type, const char *text)
{
    if (d->rc != CORE_OK) return;
    demo_at(d, days_ago);
    demo_check(d, rmd_remedy_propose(d->svc, d->a, &d->handler, c->id, type, text, NULL), c, "propose remedy");
}

static void demo_decide(demo_ctx *d, demo_case *c, double days_ago, int accept, const char *comment)
{
    if (d->rc != CORE_OK) return;
    demo_at(d, days_ago);
    rmd_peer p = {0};
    demo_check(d, rmd_receipt_remedy_decision(d->svc, d->a, c->receipt, &p, accept, comment), c,
               accept ? "accept remedy" : "reject remedy");
}

static void demo_implement(demo_ctx *d, demo_case *c, double days_ago, const char *evidence)
{
    if (d->rc != CORE_OK) return;
    demo_at(d, days_ago);
    demo_check(d, rmd_remedy_implement(d->svc, d->a, &d->handler, c->id, evidence), c, "implement remedy");
}

/* ---- the mechanisms directory ---- */

static void demo_import_error(void *ud, const char *file, int line, int column, const char *msg)
{
    cli_run *r = ud;
    cli_err(r, "mechanisms: %s:%d:%d: %s", file, line, column, msg);
}

static int demo_import_mechanisms(cli_run *r, store *s, const char *dir)
{
    struct stat sb;
    if (!dir || stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "hrdd demo: no mechanisms folder at %s; the directory of external mechanisms "
                        "stays empty (import one later with `hrdd mechanisms import`)\n",
                dir ? dir : "(none)");
        return CORE_OK;
    }
    store_conn *c = NULL;
    core_arena a;
    core_arena_init(&a);
    int rc = cli_begin(r, s, &c);
    rmd_import_stats st = {0};
    if (rc == CORE_OK)
        rc = rmd_mechanism_import(c, &a, 0, dir, "cli", (int64_t)time(NULL), demo_import_error, r, &st);
    rc = cli_finish(r, s, c, rc);
    core_arena_cleanup(&a);
    if (rc != CORE_OK) {
        cli_err(r, "importing the mechanisms from %s failed: %s", dir, core_strerror(rc));
        return rc;
    }
    fprintf(stderr, "hrdd demo: imported %d external mechanisms from %s (%d files failed)\n",
            st.created + st.updated + st.unchanged, dir, st.failed);
    return CORE_OK;
}

/* Refers c to the data protection authority its pathway proposes first, with
 * the complainant's recorded consent; a plain refer step when the directory
 * holds none. */
static void demo_refer_dpa(demo_ctx *d, demo_case *c, double days_ago)
{
    if (d->rc != CORE_OK) return;
    demo_at(d, days_ago);
    rmd_mechanism *m = NULL;
    size_t n = 0;
    int64_t mech = 0;
    if (rmd_pathway(d->svc, d->a, &d->handler, c->id, &m, &n) == CORE_OK) {
        for (size_t i = 0; i < n && !mech; i++)
            if (m[i].m.subkind && strcmp(m[i].m.subkind, "data_protection_authority") == 0) mech = m[i].m.id;
    }
    if (!mech) {
        demo_act(d, c, days_ago, GRV_ACT_REFER,
                 "Referred to the national data protection authority (complainant agreed by message).",
                 "With your agreement we have passed your complaint to the data protection authority, "
                 "which can order the company to change how it processes personal data.");
        return;
    }
    rmd_consent consent = {
        .given = 1, .share_contact = 1,
        .text = "Complainant agreed by message through the receipt page to the referral and to their "
                "contact details being passed on.",
    };
    demo_check(d, rmd_referral_create(d->svc, d->a, &d->handler, c->id, mech, "referral", &consent, NULL), c,
               "referral");
}

/* ---- the cases ---- */

static void demo_cases(demo_ctx *d, demo_receipt out[DEMO_NRECEIPTS])
{
    demo_case c;

    /* 1. received, just now: harassment through the messenger (FR, French, web). */
    grv_intake g1 = {
        .narrative = "Depuis trois semaines, un ancien collègue m'envoie des dizaines de messages par "
                     "Kestrel Messenger, avec des photos de mon immeuble. Je l'ai bloqué, il revient avec "
                     "de nouveaux comptes. Vos signalements automatiques répondent que rien n'enfreint "
                     "les règles.",
        .category = "general", .product = "kestrel-messenger", .country = "FR",
        .incident_date = demo_date(d, 20), .affected = "self", .affected_count = 1,
        .rights_text = "sécurité, vie privée", .outcome_sought = "Que ces comptes soient bloqués durablement.",
        .contact_preference = "anonymous", .language = "fr",
    };
    demo_file(d, &c, 0.3, &g1, 0);

    /* 2. received 11 days ago and never acknowledged: the acknowledgement
     * clock (7 days) is overdue. Marketplace scam (PL, Polish, web). */
    grv_intake g2 = {
        .narrative = "Sprzedawca na Kestrel Marketplace wziął ode mnie 1200 zł zaliczki za laptopa i zniknął. "
                     "Ogłoszenie nadal jest widoczne pod inną nazwą. Zgłosiłam je trzy razy.",
        .category = "general", .product = "kestrel-marketplace", .country = "PL",
        .incident_date = demo_date(d, 16), .affected = "group", .affected_count = 6,
        .outcome_sought = "Zwrot pieniędzy i usunięcie ogłoszeń tego sprzedawcy.",
        .contact_preference = "anonymous", .language = "pl",
    };
    demo_file(d, &c, 11, &g2, 0);

    /* 3. acknowledged, waiting for the complainant's answer (letter, DE). */
    grv_intake g3 = {
        .narrative = "Letter received at the Berlin office, transcribed by the handler: the writer paid a "
                     "deposit of 650 euros for a flat advertised on Kestrel Marketplace in Leipzig. The "
                     "flat does not exist; the seller's profile used photos of another building. Kestrel "
                     "support closed the report after an automated check.",
        .category = "general", .product = "kestrel-marketplace", .country = "DE",
        .incident_date = demo_date(d, 30), .affected = "self", .affected_count = 1,
        .outcome_sought = "Die Kaution zurück und dass der Verkäufer gesperrt wird.",
        .contact_preference = "confidential", .contact_name = "Heinrich Vogel (fictional)",
        .contact_phone = "+49 341 555 0142", .language = "de", .channel = "letter",
    };
    demo_case wait;
    demo_file(d, &wait, 6, &g3, 1);
    demo_open(d, &wait, 4, -1,
              "Wir haben Ihren Brief erhalten und prüfen Ihre Beschwerde. Sie können den Stand jederzeit "
              "mit Ihrem Code abrufen.");
    demo_triage(d, &wait, 4, 3, 2, 2, 0, 0);
    demo_say(d, &wait, 2,
             "Können Sie uns den Namen des Verkäuferprofils und das Datum der Überweisung nennen? "
             "Dann können wir die Zahlung zuordnen.", 1);

    /* 4. in assessment; a data-subject request whose one-month clock is
     * overdue (ES, Spanish, web, confidential). */
    grv_intake g4 = {
        .narrative = "Solicito acceso a todos los datos personales que Kestrel tiene sobre mí, incluido el "
                     "perfil de intereses que usan los anunciantes y las categorías inferidas sobre mi salud. "
                     "Pedí lo mismo en la configuración de la app hace dos meses y nunca recibí nada.",
        .category = "data_protection", .product = "kestrel-ads", .country = "ES",
        .affected = "self", .rights_text = "privacidad, protección de datos",
        .outcome_sought = "Una copia completa de mis datos y que borren las categorías sobre salud.",
        .contact_preference = "confidential", .contact_name = "Lucía Romero (ficticia)",
        .contact_email = "lucia.romero@example.org", .language = "es",
    };
    demo_case dsr;
    demo_file(d, &dsr, 38, &g4, 0);
    demo_open(d, &dsr, 36, 35, "Hemos recibido su solicitud de acceso y la estamos tramitando.");
    demo_triage(d, &dsr, 35, 2, 1, 2, 0, 0);
    demo_say(d, &dsr, 30, "Para verificar su identidad, ¿puede confirmarnos el correo electrónico de su "
                          "cuenta de Kestrel?", 1);
    demo_reply(d, &dsr, 27, "Es el mismo correo que les di en el formulario.");
    demo_note(d, &dsr, 25, "Identity confirmed against the account. Export requested from the ads data team; "
                           "their queue is three weeks behind. Escalate to the DPO if not in by Friday.");

    /* 5. inadmissible, with reasons and other routes (IN, English, web). */
    grv_intake g5 = {
        .narrative = "My neighbour installed a camera that films our entrance and posts clips of my family "
                     "in his WhatsApp group. I want it removed.",
        .category = "general", .country = "IN", .incident_date = demo_date(d, 25), .affected = "group",
        .affected_count = 4, .contact_preference = "anonymous", .language = "en",
    };
    demo_file(d, &c, 21, &g5, 0);
    demo_open(d, &c, 20, 19, NULL);
    demo_act(d, &c, 15, GRV_ACT_DECLARE_INADMISSIBLE,
             "Not linked to any Kestrel product or service: the clips are shared through another company's "
             "messaging app and the camera is a private installation.",
             "We cannot handle this complaint: it does not concern a Kestrel product or service. You can "
             "complain to the messaging service where the clips are shared, and to the local police or the "
             "State data protection authority about the camera. If clips appear on Kestrel, send us a new "
             "report with the links.");

    /* 6. inadmissible, then appealed by the complainant (BR, Portuguese,
     * content moderation appeal, web). */
    grv_intake g6 = {
        .narrative = "Meu vídeo sobre a ocupação de uma escola pelos estudantes foi removido por "
                     "\"organizações perigosas\". A conta foi restaurada, mas a advertência continua e "
                     "perdi o acesso ao Kestrel Live por 90 dias.",
        .category = "content_moderation", .product = "content-moderation", .country = "BR",
        .decision_date = demo_date(d, 40), .affected = "self",
        .rights_text = "liberdade de expressão, liberdade de reunião",
        .outcome_sought = "Retirar a advertência e devolver o acesso ao Live.",
        .contact_preference = "anonymous", .language = "pt",
    };
    demo_file(d, &c, 30, &g6, 0);
    demo_open(d, &c, 29, 28, NULL);
    demo_act(d, &c, 20, GRV_ACT_DECLARE_INADMISSIBLE,
             "The account was already restored through the in-app appeal; the mechanism does not review "
             "strikes that the standard appeal has decided.",
             "Sua conta já foi restaurada pelo recurso no aplicativo, por isso não analisamos o caso aqui.");
    if (d->rc == CORE_OK) {
        demo_at(d, 18);
        rmd_peer p = {0};
        demo_check(d, rmd_receipt_appeal(d->svc, d->a, c.receipt, &p,
                                         "A advertência continua e me impede de transmitir ao vivo: o caso "
                                         "não foi resolvido. Peço que outra pessoa reveja."),
                   &c, "appeal");
    }

    /* 7. in investigation, urgent: threats against a journalist through the
     * messenger, recorded by phone (KE, Swahili, confidential). */
    grv_intake g7 = {
        .narrative = "Recorded by phone (call in Swahili, summary by the handler): a journalist covering "
                     "land evictions receives threats through Kestrel Messenger from accounts that share her "
                     "home address and her children's school. New accounts appear after each block.",
        .category = "general", .product = "kestrel-messenger", .country = "KE",
        .incident_date = demo_date(d, 9), .affected = "someone_else", .affected_count = 3,
        .rights_text = "life and security, freedom of expression, privacy",
        .vulnerable_group = "human rights defender; journalist", .outcome_sought = "Stop the accounts; protect her family.",
        .contact_preference = "confidential", .contact_name = "Wanjiru K. (fictional)",
        .contact_phone = "+254 700 555 013", .language = "sw", .channel = "phone",
    };
    demo_file(d, &c, 8, &g7, 1);
    demo_open(d, &c, 7.9, 7.8, "Tumepokea malalamiko yako na tunayashughulikia kwa haraka.");
    demo_triage(d, &c, 7.8, 5, 2, 4, 1, 1);
    demo_act(d, &c, 7.5, GRV_ACT_INVESTIGATE, NULL, NULL);
    demo_note(d, &c, 7.4, "Safety team engaged: the sender accounts share a device fingerprint; trust & safety "
                          "to review ban evasion signals. Do not contact her by SMS (shared phone).");
    demo_say(d, &c, 6, "We have blocked 14 accounts and are looking into how they were created. Call us "
                       "at any time if new messages arrive.", 0);

    /* 8-10. collective case: job adverts hidden by age and gender. */
    grv_intake g8 = {
        .narrative = "Members of our union over 45 do not see the warehouse and delivery driver jobs that "
                     "agencies advertise on Kestrel; younger colleagues on the same phones see them every "
                     "day. We collected 38 screenshots over two weeks.",
        .category = "general", .product = "kestrel-ads", .country = "DE",
        .incident_date = demo_date(d, 35), .affected = "group", .affected_count = 240,
        .rights_text = "non-discrimination, right to work", .outcome_sought = "End age targeting of job ads.",
        .contact_preference = "named", .contact_name = "Fair Work Network (fictional trade union)",
        .contact_email = "jobs-watch@fairwork.example", .language = "de", .channel = "partner",
        .partner = "Fair Work Network",
    };
    grv_intake g9 = {
        .narrative = "Las ofertas de empleo de conductora que ven mis compañeros nunca me aparecen a mí. "
                     "Creo que los anuncios se dirigen solo a hombres.",
        .category = "general", .product = "kestrel-ads", .country = "ES",
        .incident_date = demo_date(d, 28), .affected = "self", .rights_text = "no discriminación",
        .contact_preference = "anonymous", .language = "es",
    };
    grv_intake g10 = {
        .narrative = "I am 58 and looking for work. A recruiter told me their ads on Kestrel are set to 18-44 "
                     "because the platform suggested it for better results.",
        .category = "general", .product = "kestrel-ads", .country = "IE",
        .incident_date = demo_date(d, 22), .affected = "self", .rights_text = "equal treatment in employment",
        .outcome_sought = "Stop age limits on job ads.", .contact_preference = "confidential",
        .contact_email = "s.oconnell@example.org", .language = "en",
    };
    grv_intake *coll[3] = {&g8, &g9, &g10};
    double filed[3] = {26, 24, 20};
    demo_case members[3];
    for (int i = 0; i < 3; i++) {
        demo_file(d, &members[i], filed[i], coll[i], i == 0);
        demo_open(d, &members[i], filed[i] - 1, filed[i] - 2, NULL);
        demo_triage(d, &members[i], filed[i] - 2, 3, 4, 2, 0, i == 2);
    }
    int64_t collective = 0;
    if (d->rc == CORE_OK) {
        demo_at(d, 17);
        demo_check(d, rmd_collective_create(d->svc, d->a, &d->handler, "Job ads hidden by age and gender",
                                            "Three complaints that job adverts bought through Kestrel Ads "
                                            "exclude older people and women: audience suggestions and age "
                                            "bands on employment ads.", &collective),
                   NULL, "collective create");
    }
    for (int i = 0; i < 3 && d->rc == CORE_OK; i++)
        demo_check(d, rmd_collective_add(d->svc, d->a, &d->handler, members[i].id, collective), &members[i],
                   "collective add");
    if (d->rc == CORE_OK) {
        demo_at(d, 16);
        demo_check(d, rmd_collective_act(d->svc, d->a, &d->handler, collective, GRV_ACT_INVESTIGATE, NULL,
                                         "Your complaint is investigated together with similar complaints "
                                         "about job adverts.", NULL, NULL),
                   NULL, "collective investigate");
        demo_note(d, &members[0], 12, "Ads policy confirms age bands are still offered for employment ads "
                                      "outside the US special ad category. Product change under discussion.");
    }

    /* 11. remedy proposed: a moderation appeal (KE, English, web). Receipt printed. */
    grv_intake g11 = {
        .narrative = "My account was suspended after I posted photos from the protest in our town. The notice "
                     "said the post glorified violence, but it only showed people holding banners. I use the "
                     "account to coordinate a neighbourhood food bank and we lost contact with 300 families.",
        .category = "content_moderation", .product = "content-moderation", .country = "KE",
        .decision_date = demo_date(d, 14), .affected = "group", .affected_count = 300,
        .rights_text = "freedom of expression, peaceful assembly", .outcome_sought = "Restore my account.",
        .contact_preference = "anonymous", .language = "en",
    };
    demo_case proposed;
    demo_file(d, &proposed, 12, &g11, 0);
    demo_open(d, &proposed, 11, 10, "We received your complaint about the suspension and are reviewing it.");
    demo_triage(d, &proposed, 10, 3, 3, 2, 0, 0);
    demo_act(d, &proposed, 8, GRV_ACT_INVESTIGATE, NULL, NULL);
    demo_note(d, &proposed, 6, "Second review: banners and slogans only; classifier false positive. Moderator "
                               "guidance for protest imagery in Swahili/English to be updated.");
    demo_propose(d, &proposed, 3, "restitution",
                 "Your account and the removed post are restored and the strike is deleted from your record. "
                 "We also add your case to the review of how protest photos are classified.");

    /* 12. remedy accepted, not yet carried out (IN, Hindi, web). */
    grv_intake g12 = {
        .narrative = "मेरी पोस्ट, जिसमें बाढ़ पीड़ितों के लिए राहत शिविर का पता था, \"स्पैम\" बताकर हटा दी गई। "
                     "लोग शिविर तक नहीं पहुँच पाए।",
        .category = "content_moderation", .product = "kestrel-feed", .country = "IN",
        .decision_date = demo_date(d, 20), .affected = "group", .affected_count = 50,
        .contact_preference = "anonymous", .language = "hi",
    };
    demo_file(d, &c, 18, &g12, 0);
    demo_open(d, &c, 17, 16, NULL);
    demo_act(d, &c, 14, GRV_ACT_INVESTIGATE, NULL, NULL);
    demo_propose(d, &c, 9, "restitution", "The post is restored and its reach during the next 7 days is "
                                          "not limited.");
    demo_decide(d, &c, 7, 1, "धन्यवाद। कृपया जल्दी करें।");

    /* 13. remedy rejected: a marketplace scam (NG, English, web, confidential). */
    grv_intake g13 = {
        .narrative = "I paid 180,000 naira for a phone on Kestrel Marketplace with the in-app payment. The box "
                     "contained a brick. Buyer protection refused because the seller marked it delivered.",
        .category = "general", .product = "kestrel-marketplace", .country = "NG",
        .incident_date = demo_date(d, 45), .affected = "self", .contact_preference = "confidential",
        .contact_email = "chinedu.o@example.org", .language = "en", .outcome_sought = "My money back.",
    };
    demo_file(d, &c, 40, &g13, 0);
    demo_open(d, &c, 38, 37, NULL);
    demo_act(d, &c, 33, GRV_ACT_INVESTIGATE, NULL, NULL);
    demo_propose(d, &c, 20, "compensation", "A refund of half the price (90,000 naira) as a goodwill "
                                            "payment; the seller's account is closed.");
    demo_decide(d, &c, 17, 0, "Half is not enough: the payment went through your system.");
    demo_note(d, &c, 15, "Payments team: the seller used a drop-shipping address; full refund possible from "
                         "the held payout. Propose again.");

    /* 14. remedy implemented: erasure request (data protection, PL, web). */
    grv_intake g14 = {
        .narrative = "I closed my account two years ago but Kestrel still shows my old photos in search "
                     "results and uses my phone number for friend suggestions.",
        .category = "data_protection", .product = "kestrel-feed", .country = "PL", .affected = "self",
        .outcome_sought = "Delete all my data.", .contact_preference = "confidential",
        .contact_email = "ewa.n@example.org", .language = "en",
    };
    demo_file(d, &c, 34, &g14, 0);
    demo_open(d, &c, 33, 32, NULL);
    demo_act(d, &c, 30, GRV_ACT_INVESTIGATE, NULL, NULL);
    demo_propose(d, &c, 24, "data_correction", "Erasure of the remaining photos, the phone number and the "
                                               "friend-suggestion graph entries; confirmation in writing.");
    demo_decide(d, &c, 23, 1, NULL);
    demo_implement(d, &c, 19, "Deletion job DS-4471 completed; search index purged; confirmation letter sent.");

    /* 15. closed and rated: doxxing in a group (PH, English, web). */
    grv_intake g15 = {
        .narrative = "An admin of a Kestrel Group posted my address and my employer and told people to "
                     "\"visit\" me after I criticised a local politician.",
        .category = "general", .product = "kestrel-groups", .country = "PH",
        .incident_date = demo_date(d, 62), .affected = "self", .rights_text = "safety, privacy, expression",
        .vulnerable_group = "activist", .contact_preference = "anonymous", .language = "en",
    };
    demo_file(d, &c, 60, &g15, 0);
    demo_open(d, &c, 59.5, 59, NULL);
    demo_triage(d, &c, 59, 4, 2, 3, 1, 1);
    demo_act(d, &c, 58, GRV_ACT_INVESTIGATE, NULL, NULL);
    demo_propose(d, &c, 50, "non_repetition",
                 "The post was removed, the admin lost admin rights and the group is under review; group "
                 "admins now need a second admin to approve posts that contain addresses.");
    demo_decide(d, &c, 48, 1, "Thank you.");
    demo_implement(d, &c, 44, "Group admin policy change shipped in release 41.2; removal logged.");
    demo_act(d, &c, 43, GRV_ACT_CLOSE, NULL, "Your case is closed. Thank you for telling us.");
    if (d->rc == CORE_OK) {
        demo_at(d, 42);
        rmd_peer p = {0};
        demo_check(d, rmd_receipt_rate(d->svc, d->a, c.receipt, &p, 4,
                                       "Took long to start but they listened."),
                   &c, "rate");
    }

    /* 16. referred to a data protection authority (FR, French, web). */
    grv_intake g16 = {
        .narrative = "Kestrel propose de m'identifier automatiquement sur les photos publiées par d'autres, "
                     "alors que je n'ai jamais donné mon accord à la reconnaissance faciale.",
        .category = "data_protection", .product = "kestrel-feed", .country = "FR", .affected = "self",
        .rights_text = "vie privée, données biométriques", .contact_preference = "confidential",
        .contact_email = "claire.m@example.org", .language = "fr",
    };
    demo_file(d, &c, 27, &g16, 0);
    demo_open(d, &c, 26, 25, NULL);
    demo_say(d, &c, 15, "Nous ne pouvons pas trancher la question du consentement biométrique nous-mêmes. "
                        "Acceptez-vous que nous transmettions votre plainte à la CNIL ?", 0);
    demo_reply(d, &c, 14, "Oui, j'accepte, y compris mes coordonnées.");
    demo_refer_dpa(d, &c, 13);

    /* 17. escalated: a whistleblowing report about outsourced moderators (KE, web). */
    grv_intake g17 = {
        .narrative = "I work for the contractor that moderates Kestrel content in Nairobi. We review graphic "
                     "violence for nine hours with one break, counselling was stopped in March, and people "
                     "who complain lose their shifts.",
        .category = "whistleblowing", .product = "content-moderation", .country = "KE",
        .affected = "group", .affected_count = 400, .rights_text = "just and favourable conditions of work, health",
        .vulnerable_group = "outsourced workers", .contact_preference = "anonymous", .language = "en",
    };
    demo_file(d, &c, 25, &g17, 0);
    demo_open(d, &c, 24, 23, "Thank you for your report. You are protected against retaliation for it.");
    demo_triage(d, &c, 23, 4, 4, 3, 0, 1);
    demo_act(d, &c, 21, GRV_ACT_INVESTIGATE, NULL, NULL);
    demo_act(d, &c, 10, GRV_ACT_ESCALATE,
             "Raised with the contractor's board under the supplier code and reported to the labour inspectorate.",
             "Your report has been taken up with the contractor's management and the labour inspectorate; "
             "our investigation continues.");

    /* 18. withdrawn by the complainant (BR, Portuguese, web). */
    grv_intake g18 = {
        .narrative = "Um criador no Kestrel Live prometeu prêmios em troca de presentes virtuais e nunca pagou.",
        .category = "general", .product = "kestrel-live", .country = "BR", .affected = "self",
        .contact_preference = "anonymous", .language = "pt",
    };
    demo_file(d, &c, 15, &g18, 0);
    demo_open(d, &c, 14, -1, NULL);
    if (d->rc == CORE_OK) {
        demo_at(d, 9);
        rmd_peer p = {0};
        demo_check(d, rmd_receipt_withdraw(d->svc, d->a, c.receipt, &p, "O criador devolveu o dinheiro."), &c,
                   "withdraw");
    }

    if (d->rc == CORE_OK) {
        snprintf(out[0].receipt, sizeof out[0].receipt, "%s", proposed.receipt);
        snprintf(out[0].reference, sizeof out[0].reference, "%s", proposed.reference);
        out[0].what = "a remedy is proposed: accept or reject it";
        snprintf(out[1].receipt, sizeof out[1].receipt, "%s", wait.receipt);
        snprintf(out[1].reference, sizeof out[1].reference, "%s", wait.reference);
        out[1].what = "the handler asked a question: answer it";
    }
}

int demo_seed_grievances(cli_run *r, store *s, const unsigned char root[CRY_SECRET_LEN],
                         const demo_staff *staff, const char *mech_dir, demo_receipt out[DEMO_NRECEIPTS])
{
    memset(out, 0, sizeof(demo_receipt) * DEMO_NRECEIPTS);
    int rc = demo_import_mechanisms(r, s, mech_dir);
    if (rc != CORE_OK) return rc;
    rmd_options o;
    rmd_options_defaults(&o);
    o.now = demo_now;
    demo_clock = (int64_t)time(NULL);
    rmd_service *svc = NULL;
    rc = rmd_open(&svc, s, root, &o);
    if (rc != CORE_OK) {
        cli_err(r, "cannot open the grievance service: %s", core_strerror(rc));
        return rc;
    }
    core_arena a;
    core_arena_init(&a);
    demo_ctx d = {
        .r = r, .svc = svc, .a = &a, .org_id = staff->org_id, .base = demo_clock,
        .handler = {staff->handler_id, staff->org_id, CORE_ROLE_CASE_HANDLER, "cli"},
        .admin = {staff->admin_id, staff->org_id, CORE_ROLE_ADMIN, "cli"},
        .rc = CORE_OK,
    };
    fprintf(stderr, "hrdd demo: filing the demo grievances...\n");
    demo_cases(&d, out);
    core_arena_cleanup(&a);
    rmd_close(svc);
    return d.rc;
}
