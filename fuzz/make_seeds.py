#!/usr/bin/env python3
"""fuzz/make_seeds.py: writes the seed corpora under fuzz/corpus/<target>/.

The seeds are small hand-written inputs (valid and invalid) modelled on the
test fixtures; they are committed, and this script documents (and can
regenerate) them. Run from the repository root: python3 fuzz/make_seeds.py
"""
import io
import os
import zipfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def put(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---- http: pseudo requests (request line, headers, blank line, body)
put("fuzz_http", "get_root", "GET /\nAccept-Language: fr-CH, fr;q=0.9, en;q=0.8\n\n")
put("fuzz_http", "get_query", "GET /api/v1/orgs/acme/grievances?state=received&limit=10&lang=ar%20x+y\n\n")
put("fuzz_http", "cookie", "GET /staff\nCookie: hrdd_session=abc; lang=\"fr\"; x=%41\n\n")
put("fuzz_http", "post_form", "POST /login\nContent-Type: application/x-www-form-urlencoded\n\n"
    "email=a%40b.c&password=p+w&csrf=deadbeef")
put("fuzz_http", "post_multipart",
    "POST /o/acme/grievance\nContent-Type: multipart/form-data; boundary=XyZ\n\n"
    "--XyZ\r\nContent-Disposition: form-data; name=\"narrative\"\r\n\r\nSomething happened.\r\n"
    "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
    "Content-Type: text/plain\r\n\r\nhello\r\n--XyZ--\r\n")
put("fuzz_http", "bad_escape", "DELETE /api/v1/orgs/%zz/users/%00\n\nx=%G1&&=&a")
put("fuzz_http", "receipt", "POST /receipt\nContent-Type: application/x-www-form-urlencoded\n\n"
    "receipt=ABCDE-FGHJK-MNPQR-STVWX")

# ---- intake: JSON bodies of POST /api/v1/grievances and mechanism edits
put("fuzz_intake", "minimal", '{"narrative":"A worker was injured.","contact_preference":"anonymous"}')
put("fuzz_intake", "full",
    '{"narrative":"Trucks block the village road.","category":"general","country":"FR",'
    '"incident_date":"2025-06-01","affected":"group","affected_count":40,'
    '"rights_text":"access to water","vulnerable_group":"children","outcome_sought":"stop",'
    '"contact_preference":"confidential","contact_email":"x@example.org","language":"fr",'
    '"channel":"web","attachments":null}')
put("fuzz_intake", "moderation",
    '{"narrative":"My post was removed.","category":"content_moderation",'
    '"decision_date":"2025-12-01","contact_preference":"named","contact_name":"A",'
    '"language":"ar-EG","product":"app"}')
put("fuzz_intake", "bad_types", '{"narrative":5,"contact_preference":["x"],"unknown":1}')
put("fuzz_intake", "bad_values",
    '{"narrative":"","country":"XX","incident_date":"2999-02-30","affected":"all",'
    '"contact_preference":"anonymous","contact_name":"not allowed","language":"english"}')
put("fuzz_intake", "mechanism",
    '{"slug":"cnil-test","kind":"state_non_judicial","subkind":"data_protection_authority",'
    '"name":"CNIL","jurisdictions":"FR EU","subjects":["data_protection"],'
    '"languages":["fr","en"],"website":"https://www.cnil.fr","last_verified":"2025-01-01"}')

# ---- receipt codes and attachment prefixes
put("fuzz_receipt", "code", "ABCDE-FGHJK-MNPQR-STVWX")
put("fuzz_receipt", "code_lower", "abcde fghjk mnpqr stvwx\n")
put("fuzz_receipt", "code_ilo", "I0L0O-11111-22222-33333")
put("fuzz_receipt", "code_bad", "ABCDE-FGHJK-MNPQR-STVWU")
put("fuzz_receipt", "pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
put("fuzz_receipt", "png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
put("fuzz_receipt", "webp", b"RIFF\x10\x00\x00\x00WEBPVP8 ")

# ---- statements of reasons (CSV), V2 and V1 headers
COLS = ("uuid,decision_visibility,decision_visibility_other,end_date_visibility_restriction,"
        "decision_monetary,decision_monetary_other,end_date_monetary_restriction,decision_provision,"
        "end_date_service_restriction,decision_account,end_date_account_restriction,account_type,"
        "decision_ground,decision_ground_reference_url,illegal_content_legal_ground,"
        "illegal_content_explanation,incompatible_content_ground,incompatible_content_explanation,"
        "incompatible_content_illegal,category,category_addition,category_specification,"
        "category_specification_other,content_type,content_type_other,content_language,content_date,"
        "content_id_ean,territorial_scope,application_date,decision_facts,source_type,source_identity,"
        "automated_detection,automated_decision,platform_name,platform_uid,created_at").split(",")


def row(over=None, v1=False):
    f = dict.fromkeys(COLS, "")
    f.update({
        "uuid": "0c55ad57-e44b-40ad-a48c-6922afb06355",
        "decision_visibility": '"[""DECISION_VISIBILITY_CONTENT_REMOVED""]"',
        "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
        "incompatible_content_ground": '"Section 3, ""spam"""',
        "category": "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
        "content_type": '"[""CONTENT_TYPE_TEXT""]"',
        "territorial_scope": '"[""DE"",""FR""]"',
        "application_date": "2025-07-01 00:00:00",
        "decision_facts": '"line one\nline two"',
        "source_type": "SOURCE_VOLUNTARY",
        "automated_detection": "Yes",
        "automated_decision": "AUTOMATED_DECISION_FULLY",
        "platform_name": "Example",
        "platform_uid": "p-1",
        "created_at": "2025-07-01 00:00:01",
    })
    f.update(over or {})
    cols = [c for c in COLS if not (v1 and c == "content_id_ean")]
    return ",".join(f[c] for c in cols) + "\r\n"


HDR2 = ",".join(COLS) + "\n"
HDR1 = ",".join(c for c in COLS if c != "content_id_ean") + "\n"
put("fuzz_sor_csv", "v2_one", HDR2 + row())
put("fuzz_sor_csv", "v1_one", HDR1 + row(v1=True))
put("fuzz_sor_csv", "v2_bad_rows", HDR2 + row({"category": "STATEMENT_CATEGORY_NOPE"})
    + row({"created_at": "2025-02-30 00:00:00"}) + row({"platform_name": '"Exa"mple'})
    + row({"territorial_scope": '"[""XX""]"'}) + row({"content_type": "not json"}))
put("fuzz_sor_csv", "unterminated", HDR2 + '"open quote,' + "\n")
put("fuzz_sor_csv", "bad_header", "uuid,nope\n1,2\n")


def zbytes(entries, method=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", compression=method) as z:
        for name, data in entries:
            z.writestr(name, data)
    return b.getvalue()


class Unseekable(io.RawIOBase):
    def __init__(self, f):
        self.f = f

    def writable(self):
        return True

    def write(self, b):
        return self.f.write(b)


def zstream(entries):
    """Written through a pipe: data descriptors after each entry."""
    raw = io.BytesIO()
    with zipfile.ZipFile(Unseekable(raw), "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            with z.open(name, "w") as e:
                e.write(data)
    return raw.getvalue()


small = (HDR2 + row()).encode()
put("fuzz_zip", "stored", zbytes([("a.csv", b"x,y\n1,2\n")], zipfile.ZIP_STORED))
put("fuzz_zip", "deflate", zbytes([("a.csv", small)]))
put("fuzz_zip", "descriptor", zstream([("a.csv", b"hello hello hello\n"), ("dir/", b"")]))
put("fuzz_zip", "nested", zstream([("part-00000.csv.zip", zbytes([("chunk.csv", b"a,b\n1,2\n")]))]))
put("fuzz_zip", "truncated", zbytes([("a.csv", small)])[:60])
# the sniffing pipeline also reads archives: one in the CSV corpus too
put("fuzz_sor_csv", "archive", zbytes([("day.csv", small)]))

# ---- methodologies (YAML)
put("fuzz_yaml", "small", """methodology:
  id: tiny
  name: "Tiny"
  version: "1.0"
  entity_kinds: [supplier]
  levels: false
  total: weighted
  default_scale: evidence
scales:
  - id: evidence
    label: "Evidence"
    choices:
      - {key: yes, label: "Yes", points: 100}
      - {key: no, label: "No", points: 0}
      - {key: na, label: "n/a", na: true}
categories:
  - id: policy
    label: "Policy"
indicators:
  - id: S1
    category: policy
    label: "Commitment"
    weight: 2
    elements:
      - id: S1.1
        text: "Is there a policy?"
      - id: S1.2
        text: "Is it public?"
  - id: S1a
    parent: S1
    category: policy
    label: "Sub"
    elements:
      - id: S1a.1
        text: "x"
""")
put("fuzz_yaml", "syntax_error", "methodology: {id: [unclosed\n  name: x\n")
put("fuzz_yaml", "unknown_key", "methodology:\n  id: x\n  colour: red\nscales: []\n")
put("fuzz_yaml", "anchors", "a: &x [1, 2]\nb: *x\nmethodology: *x\n")

# ---- templates: source \n%%\n JSON context
put("fuzz_tpl", "vars", "<p>{{title}} {{{title}}} {{user.email}} {{n}}</p>")
put("fuzz_tpl", "sections", "{{#if ok}}yes{{else}}no{{/if}}{{#each items}}<li>{{name}}{{.}}</li>{{else}}none{{/each}}"
    "{{#each empty}}x{{else}}empty{{/each}}{{! comment }}")
put("fuzz_tpl", "msg_partial", "{{t \"form.errors_title\"}}{{#if depth}}{{> self}}{{/if}}\n%%\n{\"depth\":1}")
put("fuzz_tpl", "errors", "{{#if errors}}<ul>{{#each errors}}<li><a href=\"#{{field}}\">{{message}}</a></li>{{/each}}</ul>{{/if}}"
    "\n%%\n{\"errors\":[{\"field\":\"narrative\",\"message\":\"<required>\"}]}")
put("fuzz_tpl", "unbalanced", "{{#each items}}{{#if x}}{{/each}}{{/if}}{{")
