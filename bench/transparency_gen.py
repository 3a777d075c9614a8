#!/usr/bin/env python3
"""bench/transparency_gen.py N SEED > file.csv

Synthetic statements of reasons in the full V2 dump layout (38 columns,
header row, RFC 4180 quoting, JSON arrays inside CSV), for
bench/transparency.sh. Seeded; the distributions follow the shape of real
dumps: a few platforms make most rows, most decisions are automated, most
rows restrict visibility, territorial scope is usually all of the EEA,
and free-text columns are a few hundred bytes. Rows are built from a pool
of pre-rendered bodies plus a fresh uuid, puid and timestamp each.
"""
import random
import sys

N = int(sys.argv[1])
rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)

COLS = ("uuid,decision_visibility,decision_visibility_other,end_date_visibility_restriction,"
        "decision_monetary,decision_monetary_other,end_date_monetary_restriction,decision_provision,"
        "end_date_service_restriction,decision_account,end_date_account_restriction,account_type,"
        "decision_ground,decision_ground_reference_url,illegal_content_legal_ground,"
        "illegal_content_explanation,incompatible_content_ground,incompatible_content_explanation,"
        "incompatible_content_illegal,category,category_addition,category_specification,"
        "category_specification_other,content_type,content_type_other,content_language,content_date,"
        "content_id_ean,territorial_scope,application_date,decision_facts,source_type,source_identity,"
        "automated_detection,automated_decision,platform_name,platform_uid,created_at")

PLATFORMS = [("TikTok", 30), ("Google Shopping", 25), ("Facebook", 12), ("Instagram", 8),
             ("Pinterest", 6), ("AliExpress", 5), ("Amazon Store", 4), ("YouTube", 3),
             ("Kleinanzeigen", 2), ("Wallapop", 1), ("Temu", 2), ("LinkedIn", 1), ("X", 1)]
CATS = [("STATEMENT_CATEGORY_OTHER_VIOLATION_TC", 40), ("STATEMENT_CATEGORY_SCAMS_AND_FRAUD", 12),
        ("STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", 10), ("STATEMENT_CATEGORY_PROTECTION_OF_MINORS", 8),
        ("STATEMENT_CATEGORY_CYBER_VIOLENCE", 6), ("STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS", 6),
        ("STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS", 5), ("STATEMENT_CATEGORY_VIOLENCE", 4),
        ("STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS", 2), ("STATEMENT_CATEGORY_SELF_HARM", 2),
        ("STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS", 2),
        ("STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY", 1), ("STATEMENT_CATEGORY_ANIMAL_WELFARE", 1),
        ("STATEMENT_CATEGORY_CONSUMER_INFORMATION", 1)]
VIS = [("DECISION_VISIBILITY_CONTENT_REMOVED", 40), ("DECISION_VISIBILITY_CONTENT_DISABLED", 20),
       ("DECISION_VISIBILITY_CONTENT_DEMOTED", 15), ("DECISION_VISIBILITY_OTHER", 8),
       ("DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED", 5), ("DECISION_VISIBILITY_CONTENT_LABELLED", 2)]
CTYPES = [("CONTENT_TYPE_VIDEO", 30), ("CONTENT_TYPE_TEXT", 25), ("CONTENT_TYPE_IMAGE", 20),
          ("CONTENT_TYPE_PRODUCT", 15), ("CONTENT_TYPE_OTHER", 8), ("CONTENT_TYPE_AUDIO", 2)]
SOURCES = [("SOURCE_VOLUNTARY", 85), ("SOURCE_ARTICLE_16", 10), ("SOURCE_TRUSTED_FLAGGER", 2),
           ("SOURCE_TYPE_OTHER_NOTIFICATION", 3)]
AUTODEC = [("AUTOMATED_DECISION_FULLY", 60), ("AUTOMATED_DECISION_PARTIALLY", 15),
           ("AUTOMATED_DECISION_NOT_AUTOMATED", 25)]
EEA = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
       "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK"]
WORDS = ("content policy violation community guidelines review automated detection user report "
         "terms of service account restriction visibility product listing prohibited misleading "
         "harmful minors safety decision appeal notice information platform removed disabled "
         "according to section article our rules measures taken investigation").split()


def pick(pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def q(s):
    return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n\r') else s


def arr(items):
    return q("[" + ",".join('"%s"' % i for i in items) + "]") if items else ""


def text(lo, hi):
    n = rng.randint(lo, hi)
    words = []
    size = 0
    while size < n:
        w = rng.choice(WORDS)
        words.append(w)
        size += len(w) + 1
    s = " ".join(words)
    if rng.random() < 0.2:
        s += ', "quoted" part'
    if rng.random() < 0.05:
        s += "\nsecond line"
    return s


def body():
    vis = [pick(VIS)] if rng.random() < 0.85 else []
    prov = "DECISION_PROVISION_TOTAL_SUSPENSION" if rng.random() < 0.05 else ""
    acc = ("DECISION_ACCOUNT_SUSPENDED" if rng.random() < 0.5 else "DECISION_ACCOUNT_TERMINATED") \
        if (not vis or rng.random() < 0.1) else ""
    mon = "DECISION_MONETARY_SUSPENSION" if rng.random() < 0.03 else ""
    illegal = rng.random() < 0.08
    cat = pick(CATS)
    ct = [pick(CTYPES)]
    if rng.random() < 0.1:
        other = pick(CTYPES)
        if other not in ct:
            ct.append(other)
    r = rng.random()
    terr = EEA if r < 0.7 else ([x for x in EEA if x not in ("IS", "LI", "NO")] if r < 0.8
                                 else rng.sample(EEA, rng.randint(1, 3)))
    return [
        arr(vis), q("Not recommended in feeds") if "DECISION_VISIBILITY_OTHER" in vis else "", "",
        mon, "", "", prov, "", acc, "", "ACCOUNT_TYPE_BUSINESS" if rng.random() < 0.3 else "",
        "DECISION_GROUND_ILLEGAL_CONTENT" if illegal else "DECISION_GROUND_INCOMPATIBLE_CONTENT", "",
        q("Article 6 of the national law") if illegal else "", q(text(40, 200)) if illegal else "",
        "" if illegal else q(text(10, 60)), "" if illegal else q(text(80, 600)),
        "" if illegal else rng.choice(["", "Yes", "No"]), cat, "",
        arr(["KEYWORD_OTHER"]) if rng.random() < 0.1 else "", "",
        arr(ct), "Listing" if "CONTENT_TYPE_OTHER" in ct else "",
        rng.choice(["", "EN", "DE", "FR", "ES", "IT", "PL"]), "2025-06-%02d 00:00:00" % rng.randint(1, 30),
        "", arr(terr), "", q(text(40, 400)), pick(SOURCES), "",
        "Yes" if rng.random() < 0.7 else "No", pick(AUTODEC)]


def main():
    out = sys.stdout
    out.write(COLS + "\n")
    bodies = []
    for _ in range(4096):
        b = body()
        bodies.append((",".join(b[:28]), b[28], ",".join(b[29:]), pick(PLATFORMS)))
    days = ["2025-07-01", "2025-07-02"]
    buf = []
    getrandbits = rng.getrandbits
    for i in range(N):
        pre, _, post, plat = bodies[getrandbits(12)]
        h = "%032x" % getrandbits(128)
        uuid = "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])
        day = days[i * 2 // N] if N else days[0]
        sec = (i * 86400 * 2 // max(N, 1)) % 86400
        ts = "%s %02d:%02d:%02d" % (day, sec // 3600, sec // 60 % 60, sec % 60)
        # application_date (column 29) sits between pre and post
        buf.append("%s,%s,%s,%s,%s,%d,%s\n" % (uuid, pre, ts[:10] + " 00:00:00", post, q(plat), i, ts))
        if len(buf) == 4096:
            out.write("".join(buf))
            buf.clear()
    out.write("".join(buf))


main()
