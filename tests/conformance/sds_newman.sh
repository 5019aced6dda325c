#!/usr/bin/env bash
# tests/conformance/sds_newman.sh — run Microsoft's School Data Sync OneRoster 1.1 provider test
# collection (Postman, run with newman) against a running ums-oneroster server.
#
# Usage:
#   tests/conformance/sds_newman.sh [BASE_URL] [CLIENT_SECRET]
#
#   BASE_URL       host part only, e.g. http://127.0.0.1:8089 (no /ims/oneroster/v1p1 suffix).
#                  Default: $SDS_BASE_URL.
#   CLIENT_SECRET  OAuth2 client secret of client `WebserviceUser`.
#                  Default: $SDS_CLIENT_SECRET, else $UMS_DEMO_CLIENT_SECRET.
#
# Optional environment:
#   SDS_CLIENT_ID        OAuth2 client id (default WebserviceUser)
#   SDS_DELTA_DATETIME   DeltaDateTime for the delta requests (default 2020-01-01T01:00:00.000Z)
#   SDS_COLLECTION_DIR   folder holding Microsoft's collection (default: the project's
#                        shared/conformance/sds beside the repo, else /work/shared/conformance/sds)
#   SDS_OUT_DIR          output folder (default <repo>/target/conformance)
#   SDS_NEWMAN           path of a newman binary to use instead of the local install
#
# What it does:
#   1. installs newman@6 locally under target/conformance/node_modules if missing (never globally);
#   2. gets a token with curl and discovers real ids from the server (python3, stdlib only):
#      a school with classes/students/teachers/enrollments, a class of it with students, teachers
#      and terms, a student and a teacher enrolled in that class, a term of that class, an active
#      schoolYear, the teacher's e-mail;
#   3. writes a newman environment + a one-row iteration-data file to target/conformance/;
#   4. runs the three SDS folders (the token request is the first request of each folder);
#   5. summarises target/conformance/sds-newman-report.json and exits non-zero when an assertion
#      fails that is not on the allow-list below, when a script/request errors, or when no
#      assertion ran.
#
# Outputs (target/conformance/): sds.postman_environment.json (contains the secret; mode 600),
# sds-iteration-data.json, sds-discovered.json, sds-newman-report.json, sds-summary.txt.
#
# Exit codes: 0 all good (allow-listed failures only), 1 conformance failures, 2 usage/setup error.

set -euo pipefail

# ----------------------------------------------------------------------------------------------
# Allow-list: assertions that NO correct server can pass. One per line:
#     <request name> | <assertion name> | <reason>
# Matched on request name + assertion name (exact). Keep this list conservative: everything else
# in the three folders was shown passable by a conforming stub server.
#
# Investigated and deliberately NOT listed:
#  - the `schoo9l_id` misspelling: all 12 occurrences (Classic + Deltas user/student/teacher
#    requests) are inside commented-out code (`//pm.environment.set("schoo9l_id", ...)`), so it
#    sets nothing and asserts nothing. {{school_id}} is supplied by us (see step 3).
#  - "X-Total-Count header is present" on by-id requests (School/Class/Student/Teacher by ID,
#    AcademicSessions by Term, Term by ID): odd but passable (send X-Total-Count: 1).
#  - "No Records" requests on /schools/1000000/...: passable (200 + empty array).
#  - duplicate assertion names inside one request (e.g. "Require class.terms[0].sourcedId" is used
#    for both the sourcedId and the type check): both instances are passable.
# ----------------------------------------------------------------------------------------------
ALLOW_LIST="$(cat <<'EOF'
Get Users - Student of Contact | user (student) success response/ 200 | requests GET /users/a1 with the sourcedId "a1" hard-coded (the preceding "Get Users - Contact (optional)" stores the guardian's agent id in student_id, but this request never uses it), so it passes only on a server that happens to hold a user "a1"; everything else in the request sits behind `if (status === 200)`
EOF
)"

FOLDERS=(
  "APIs required for SDS Classic"
  "APIs used for SDS Classic Deltas"
  "APIs required for SDS (*new*)"
)

die() { echo "sds_newman: $*" >&2; exit 2; }

BASE_URL="${1:-${SDS_BASE_URL:-}}"
SECRET="${2:-${SDS_CLIENT_SECRET:-${UMS_DEMO_CLIENT_SECRET:-}}}"
CLIENT_ID="${SDS_CLIENT_ID:-WebserviceUser}"
DELTA_DATETIME="${SDS_DELTA_DATETIME:-2020-01-01T01:00:00.000Z}"
[[ -n "$BASE_URL" ]] || die "usage: $0 BASE_URL [CLIENT_SECRET]   (or set SDS_BASE_URL)"
[[ -n "$SECRET" ]] || die "no client secret: pass it as 2nd argument or set SDS_CLIENT_SECRET / UMS_DEMO_CLIENT_SECRET"
BASE_URL="${BASE_URL%/}"
BASE_URL="${BASE_URL%/ims/oneroster/v1p1}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${SDS_OUT_DIR:-$ROOT/target/conformance}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

if [[ -n "${SDS_COLLECTION_DIR:-}" ]]; then
  COLL_DIR="$SDS_COLLECTION_DIR"
else
  COLL_DIR=""
  for d in "$ROOT/../shared/conformance/sds" "$ROOT/shared/conformance/sds" "/work/shared/conformance/sds"; do
    if [[ -f "$d/sds-v2-oneroster-v1p1-oauth2.postman_collection.json" ]]; then COLL_DIR="$d"; break; fi
  done
  [[ -n "$COLL_DIR" ]] || die "collection not found; set SDS_COLLECTION_DIR"
fi
COLLECTION="$COLL_DIR/sds-v2-oneroster-v1p1-oauth2.postman_collection.json"
[[ -f "$COLLECTION" ]] || die "missing $COLLECTION"

command -v python3 >/dev/null || die "python3 is required"
command -v curl >/dev/null || die "curl is required"

# ---- 1. newman (local install, cached under target/) -------------------------------------------
NEWMAN="${SDS_NEWMAN:-$OUT/node_modules/.bin/newman}"
if [[ ! -x "$NEWMAN" ]]; then
  command -v npm >/dev/null || die "npm is required to install newman (apt-get install nodejs npm)"
  echo "sds_newman: installing newman@6 into $OUT/node_modules"
  npm install --prefix "$OUT" --no-audit --no-fund --loglevel=error newman@6 >&2
  [[ -x "$NEWMAN" ]] || die "newman install failed ($NEWMAN missing)"
fi
echo "sds_newman: newman $("$NEWMAN" --version)"

# ---- 2. token (curl; the secret goes through a config on stdin, not the command line) -----------
TOKEN_URL="$BASE_URL/ims/oneroster/v1p1/token"
# shellcheck source=../support/token.sh
source "$(dirname "${BASH_SOURCE[0]}")/../support/token.sh"
SDS_TOKEN="$(fetch_token "$TOKEN_URL" "$CLIENT_ID" "$SECRET")" || die "no token"

# ---- 3. discover ids and write environment + iteration data ------------------------------------
# How the collection uses variables (this decides where our values go):
#  - Requests read {{school_id}}, {{class_id}}, {{student_id}}, {{teacher_id}}, {{term_id}},
#    {{teacher_email_address}}, {{SchoolYear}}, {{DeltaDateTime}}, {{OneRosterHost}},
#    {{Oauth2TokenAddress}}, {{OneRosterConsumerKey/Secret}} and (collection-level bearer auth)
#    {{OAuth2AccessToken}}; scripts read them with pm.variables.get().
#  - Scripts WRITE with pm.environment.set(): the token requests set OAuth2AccessToken; "Get Classes"
#    / "Get Classes by School" / "Get Class by ID" / "Get Classes - Delta" set class_id, school_id,
#    term_id from the first class they get; "Get Schools - Delta" sets school_id to the first
#    school; "Get Students*" / "Get Teachers" set student_id / teacher_id / teacher_email_address;
#    "Get Users - Contact (optional)" sets student_id to a guardian's agent; the *_enroll_id,
#    user_id, session_id, org_id, ... used by the paging checks are set by their offset=0 request.
#  - Postman precedence is: iteration data > environment > collection > globals. The collection's
#    own variables (school_id...) are disabled, and anything we put in the environment or in
#    --env-var/--global-var would be overwritten by those pm.environment.set() calls. So the ids we
#    discovered go in a one-row ITERATION DATA file (they win over the scripts' writes, for
#    {{...}} and pm.variables.get alike), and also in the environment/--env-var as initial values.
#  - OAuth2AccessToken stays an environment value only (pre-filled with our curl token as a
#    fallback) so that the token request at the top of each folder really supplies the token.
#  - Ids are chosen as the first qualifying record in the server's own order (what the scripts
#    would pick), never the record at offset 2 of the lists the "Paging" checks compare with.
export SDS_BASE_URL="$BASE_URL" SDS_TOKEN SDS_OUT="$OUT" SDS_CLIENT_ID_V="$CLIENT_ID" \
  SDS_SECRET_V="$SECRET" SDS_DELTA_V="$DELTA_DATETIME"
umask 077
python3 - <<'PY' || die "discovery failed"
import json, os, sys, urllib.error, urllib.parse, urllib.request

BASE = os.environ["SDS_BASE_URL"]
API = BASE + "/ims/oneroster/v1p1"
TOKEN = os.environ["SDS_TOKEN"]
OUT = os.environ["SDS_OUT"]
warnings = []

def url_of(path, params):
    # same encoding newman uses: '=' ':' '@' kept, quote/space/'>' percent-encoded
    q = "&".join("%s=%s" % (k, urllib.parse.quote(str(v), safe="=:@")) for k, v in params.items())
    return API + path + ("?" + q if q else "")

def get(path, **params):
    req = urllib.request.Request(url_of(path, params), headers={
        "Authorization": "Bearer " + TOKEN, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read().decode("utf-8") or "null")
    except urllib.error.HTTPError as e:
        return e.code, None
    except (urllib.error.URLError, OSError, ValueError) as e:
        return None, None

def records(body):
    if isinstance(body, dict):
        for v in body.values():
            if isinstance(v, list):
                return [x for x in v if isinstance(x, dict)]
    return []

def one(body):
    if isinstance(body, dict):
        for v in body.values():
            if isinstance(v, dict):
                return v
    return None

def get_all(path, **params):
    # page until an empty page (works whatever maximum limit the server enforces); stop if a page
    # repeats a record already seen (a server ignoring offset)
    out, seen, offset = [], set(), 0
    for _ in range(200):
        code, body = get(path, offset=offset, limit=1000, **params)
        if code != 200:
            warnings.append("GET %s -> HTTP %s" % (url_of(path, dict(params)), code))
            break
        recs = records(body)
        if not recs or recs[0].get("sourcedId") in seen:
            break
        seen.update(r.get("sourcedId") for r in recs)
        out += recs
        offset += len(recs)
    return out

def at_offset2(path, **params):
    code, body = get(path, offset=2, limit=1, **params)
    recs = records(body) if code == 200 else []
    return recs[0].get("sourcedId") if recs else None

def sid(x):
    return (x or {}).get("sourcedId") if isinstance(x, dict) else None

def active(x):
    return x.get("status", "active") == "active"

ACT = "status='active'"

# --- schools, in the order "Get Schools" sees them
schools = [o for o in get_all("/schools", filter=ACT) if active(o) and o.get("type", "school") == "school"]
if not schools:
    schools = [o for o in get_all("/orgs", filter=ACT) if active(o) and o.get("type") == "school"]
    warnings.append("/schools returned no active school; fell back to /orgs type=school")
ex_school = at_offset2("/schools", filter=ACT)
ex_class_all = at_offset2("/classes")
ex_student_all = at_offset2("/students")
ex_teacher_all = at_offset2("/teachers", filter=ACT)
teachers_all = [u for u in get_all("/teachers", filter=ACT) if active(u)]
teacher_order = {u.get("sourcedId"): i for i, u in enumerate(teachers_all)}
students_all = [u for u in get_all("/students", filter=ACT) if active(u)]
sessions = [s for s in get_all("/academicSessions", filter=ACT) if active(s)]
session_by_id = {s.get("sourcedId"): s for s in sessions}
sy_years = [str(s.get("schoolYear")) for s in sessions if s.get("type") == "schoolYear" and s.get("schoolYear")]

def year_for(term):
    y = str(term.get("schoolYear") or "") if term else ""
    if y in sy_years:
        return y, []
    if sy_years:
        return sy_years[0], ["term's schoolYear %r has no active schoolYear session" % y]
    return (y or ""), ["no active academicSession of type schoolYear"]

def pick_term(cls):
    best = None
    for ref in cls.get("terms") or []:
        tid = sid(ref)
        if not tid:
            continue
        t = session_by_id.get(tid)
        if t is None:
            code, body = get("/academicSessions/" + tid)
            t = one(body) if code == 200 else None
        probs = []
        if t is None:
            probs.append("term %s not found among active academicSessions" % tid)
        elif t.get("type") != "term":
            probs.append("term %s has type %r (GET /terms/{id} wants a term)" % (tid, t.get("type")))
        year, yp = year_for(t)
        probs += yp
        if year and at_offset2("/academicSessions", filter="schoolYear='%s' AND %s" % (year, ACT)) == tid:
            probs.append("term %s is the record the academicSessions paging check compares with" % tid)
        cand = (len(probs), tid, year, probs)
        if best is None or cand[0] < best[0]:
            best = cand
        if not probs:
            break
    return best

def email_unique(email):
    code, body = get("/users", filter="email='%s'" % email)
    code2, body2 = get("/teachers", filter="email='%s'" % email)
    return code == 200 and code2 == 200 and len(records(body)) == 1 and len(records(body2)) == 1

best = None
for school in schools:
    s_id = school.get("sourcedId")
    sprobs = []
    if s_id == ex_school:
        sprobs.append("school is the record the schools paging check compares with")
    classes = [c for c in get_all("/schools/%s/classes" % s_id, filter=ACT) if active(c)]
    enrolls = [e for e in get_all("/schools/%s/enrollments" % s_id) if active(e)]
    s_students = [u for u in get_all("/schools/%s/students" % s_id, filter=ACT) if active(u)]
    s_teachers = [u for u in get_all("/schools/%s/teachers" % s_id, filter=ACT) if active(u)]
    for what, lst in (("classes", classes), ("enrollments", enrolls), ("students", s_students), ("teachers", s_teachers)):
        if not lst:
            sprobs.append("school %s has no active %s" % (s_id, what))
    ex_class_s = at_offset2("/schools/%s/classes" % s_id, filter=ACT)
    ex_student_s = at_offset2("/schools/%s/students" % s_id, filter=ACT)
    student_order = {u.get("sourcedId"): i for i, u in enumerate(s_students + students_all)}
    for cls in classes or [{}]:
        c_id = cls.get("sourcedId")
        probs = list(sprobs)
        if not c_id:
            probs.append("no class")
        if c_id and c_id in (ex_class_all, ex_class_s):
            probs.append("class %s is the record a classes paging check compares with" % c_id)
        members = [e for e in enrolls if sid(e.get("class")) == c_id]
        stu = [sid(e.get("user")) for e in members if e.get("role") == "student"]
        tea = [sid(e.get("user")) for e in members if e.get("role") == "teacher"]
        stu = sorted({x for x in stu if x and x not in (ex_student_all, ex_student_s)},
                     key=lambda x: student_order.get(x, 1 << 30))
        # A teacher enrollment may belong to an aide (a pædagog teaching the class); the
        # collection's by-id request goes to /teachers/{id}, so only users with role teacher fit.
        tea = sorted({x for x in tea if x and x != ex_teacher_all and x in teacher_order},
                     key=lambda x: teacher_order.get(x, 1 << 30))
        if not stu:
            probs.append("class %s has no usable active student enrollment" % c_id)
        if not tea:
            probs.append("class %s has no usable active teacher enrollment" % c_id)
        term = pick_term(cls) if c_id else None
        if term is None:
            probs.append("class %s has no terms" % c_id)
            term = (0, "", year_for(None)[0], [])
        probs += term[3]
        cand = (len(probs), s_id, c_id, stu[0] if stu else "", tea[0] if tea else "", term[1], term[2], probs)
        if best is None or cand[0] < best[0]:
            best = cand
        if not probs:
            break
    if best is not None and best[0] == 0:
        break

if best is None:
    best = (1, "", "", "", "", "", sy_years[0] if sy_years else "", ["no active school found"])
_, school_id, class_id, student_id, teacher_id, term_id, school_year, probs = best
warnings += probs

# teacher e-mail for "Get User by Email"/"Get Teacher by Email": the chosen teacher's if unique,
# else the first active teacher (server order) with a unique e-mail.
teacher_email = ""
cands = [u for u in teachers_all if u.get("sourcedId") == teacher_id] + teachers_all
for u in cands[:15]:
    em = u.get("email")
    if isinstance(em, str) and em and email_unique(em):
        teacher_email = em
        break
if not teacher_email:
    warnings.append("no active teacher with an e-mail that filter=email='...' finds exactly once")

# sanity: the by-id requests should find our ids
for path, val in (("/schools/", school_id), ("/classes/", class_id), ("/students/", student_id),
                  ("/teachers/", teacher_id), ("/academicSessions/", term_id), ("/terms/", term_id)):
    if val:
        code, _ = get(path + val)
        if code != 200:
            warnings.append("GET %s%s -> HTTP %s" % (path, val, code))
if not school_year:
    warnings.append("no SchoolYear found")

values = {"school_id": school_id, "class_id": class_id, "student_id": student_id,
          "teacher_id": teacher_id, "term_id": term_id, "teacher_email_address": teacher_email}
# a value we could not discover is left out: an empty iteration-data value would also mask
# whatever the collection's own scripts set
values = {k: v for k, v in values.items() if v}
env = {
    "OneRosterHost": BASE,
    "Oauth2TokenAddress": API + "/token",
    "OneRosterConsumerKey": os.environ["SDS_CLIENT_ID_V"],
    "OneRosterConsumerSecret": os.environ["SDS_SECRET_V"],
    "SchoolYear": school_year,
    "DeltaDateTime": os.environ["SDS_DELTA_V"],
    "Scopes": "",
    "OAuth2AccessToken": TOKEN,
    "OAuth2RefreshToken": "",
}
env.update(values)
if teacher_email:
    env["TeacherEmailAddress"] = teacher_email  # only read by a console.log pre-request check
with open(os.path.join(OUT, "sds.postman_environment.json"), "w") as f:
    json.dump({"id": "ums-oneroster-sds", "name": "ums-oneroster SDS conformance",
               "values": [{"key": k, "value": v, "type": "default", "enabled": True} for k, v in env.items()],
               "_postman_variable_scope": "environment"}, f, indent=1)
with open(os.path.join(OUT, "sds-iteration-data.json"), "w") as f:
    json.dump([values], f, indent=1)
with open(os.path.join(OUT, "sds-discovered.json"), "w") as f:
    json.dump({"values": dict(values, SchoolYear=school_year, DeltaDateTime=os.environ["SDS_DELTA_V"]),
               "warnings": warnings}, f, indent=1)

print("sds_newman: discovered values")
shown = [("school_id", school_id), ("class_id", class_id), ("student_id", student_id),
         ("teacher_id", teacher_id), ("term_id", term_id), ("teacher_email_address", teacher_email),
         ("SchoolYear", school_year), ("DeltaDateTime", os.environ["SDS_DELTA_V"])]
for k, v in shown:
    print("  %-22s %s" % (k, v if v else "<none>"))
for w in warnings:
    print("  warning: " + w)
PY
unset SDS_SECRET_V

ENV_FILE="$OUT/sds.postman_environment.json"
DATA_FILE="$OUT/sds-iteration-data.json"
REPORT="$OUT/sds-newman-report.json"
mapfile -t ENV_VARS < <(python3 -c '
import json, sys
for k, v in json.load(open(sys.argv[1]))[0].items():
    print("%s=%s" % (k, v))' "$DATA_FILE")

# ---- 4. run the three folders ------------------------------------------------------------------
args=(run "$COLLECTION" -e "$ENV_FILE" -d "$DATA_FILE"
      -r "cli,json" --reporter-json-export "$REPORT"
      --reporter-cli-no-assertions --reporter-cli-no-console
      --reporter-cli-no-summary --reporter-cli-no-failures
      --color off --disable-unicode --timeout-request 30000 --timeout 900000)
for f in "${FOLDERS[@]}"; do args+=(--folder "$f"); done
for kv in "${ENV_VARS[@]}"; do args+=(--env-var "$kv"); done
rm -f "$REPORT"
newman_rc=0
"$NEWMAN" "${args[@]}" || newman_rc=$?
[[ -s "$REPORT" ]] || die "newman produced no report (exit $newman_rc)"

# ---- 5. summary + verdict ----------------------------------------------------------------------
export SDS_ALLOW_LIST="$ALLOW_LIST" SDS_REPORT="$REPORT" SDS_SUMMARY="$OUT/sds-summary.txt"
SDS_FOLDERS="$(printf '%s\n' "${FOLDERS[@]}")"
export SDS_FOLDERS
python3 - <<'PY'
import json, os, sys

allow = {}
for line in os.environ["SDS_ALLOW_LIST"].splitlines():
    if line.strip():
        req, assertion, reason = [p.strip() for p in line.split("|", 2)]
        allow[(req, assertion)] = reason
folders = [f for f in os.environ["SDS_FOLDERS"].splitlines() if f]
rep = json.load(open(os.environ["SDS_REPORT"]))
run = rep["run"]

folder_of = {}
def index(items, top=None):
    for it in items:
        if "item" in it:
            index(it["item"], top or it.get("name"))
        else:
            folder_of[it.get("id")] = top
index(rep["collection"].get("item", []))

rows, problems, seen_folders = [], [], set()
allowed_seen = set()
for ex in run.get("executions", []):
    item = ex.get("item", {})
    req, folder = item.get("name", "?"), folder_of.get(item.get("id"), "?")
    seen_folders.add(folder)
    code = (ex.get("response") or {}).get("code", "-")
    if ex.get("requestError"):
        msg = ex["requestError"].get("message", "request error")
        rows.append((folder, req, code, "<request>", "ERROR", msg))
    for a in ex.get("assertions") or []:
        name = a.get("assertion", "?")
        err = a.get("error")
        if a.get("skipped"):
            rows.append((folder, req, code, name, "SKIP", ""))
        elif err is None:
            res = "pass"
            if (req, name) in allow:
                res = "PASS(allow-listed)"
                allowed_seen.add((req, name))
            rows.append((folder, req, code, name, res, ""))
        else:
            res = "FAIL"
            if (req, name) in allow:
                res = "xfail"
                allowed_seen.add((req, name))
            rows.append((folder, req, code, name, res, err.get("message", "")))
    for key in ("prerequestScript", "testScript"):
        for s in ex.get(key) or []:
            if s.get("error"):
                e = s["error"]
                rows.append((folder, req, code, "<%s error>" % key, "ERROR", "%s: %s" % (e.get("name"), e.get("message"))))

# newman also records script errors in run.failures; catch any not attached to an execution
for f in run.get("failures", []):
    e = f.get("error") or {}
    if e.get("name") != "AssertionError" and "test" not in e and f.get("at") and "script" in f.get("at", "") \
            and not any(r[4] == "ERROR" and r[1] == (f.get("source") or {}).get("name") for r in rows):
        src = f.get("source") or {}
        rows.append((folder_of.get(src.get("id"), "?"), src.get("name", "?"), "-", "<%s>" % f.get("at"), "ERROR",
                     "%s: %s" % (e.get("name"), e.get("message"))))

lines = []
last = None
for folder, req, code, name, res, msg in rows:
    if (folder, req) != last:
        lines.append("")
        lines.append("[%s] %s  (HTTP %s)" % (folder, req, code))
        last = (folder, req)
    lines.append("    %-20s %s%s" % (res, name, ("   -- " + msg) if msg and res != "pass" else ""))
table = "\n".join(lines)
with open(os.environ["SDS_SUMMARY"], "w") as fh:
    fh.write(table + "\n")
print("\n==== SDS conformance: request -> assertion -> result ====")
print(table)

n_pass = sum(1 for r in rows if r[4] in ("pass", "PASS(allow-listed)"))
n_fail = sum(1 for r in rows if r[4] in ("FAIL", "ERROR"))
n_xfail = sum(1 for r in rows if r[4] == "xfail")
n_assert = sum(1 for r in rows if not r[3].startswith("<"))

print("\n==== Verdict ====")
for r in rows:
    if r[4] in ("FAIL", "ERROR"):
        problems.append("FAIL  [%s] %s -> %s -- %s" % (r[0], r[1], r[3], r[5]))
for p in problems:
    print(p)
for (req, name), reason in allow.items():
    if (req, name) not in allowed_seen:
        print("note  allow-listed assertion did not run: %s -> %s" % (req, name))
for r in rows:
    if r[4] == "xfail":
        print("xfail [%s] %s -> %s (allow-listed: %s)" % (r[0], r[1], r[3], allow[(r[1], r[3])]))
    if r[4] == "PASS(allow-listed)":
        print("note  allow-listed assertion PASSED: %s -> %s" % (r[1], r[3]))
missing = [f for f in folders if f not in seen_folders]
for f in missing:
    print("FAIL  folder did not run: %s" % f)
if run.get("error"):
    print("FAIL  newman run error: %s" % run["error"])

ok = n_assert > 0 and n_fail == 0 and not missing and not run.get("error")
if n_assert == 0:
    print("FAIL  no assertion ran")
print("summary written to %s" % os.environ["SDS_SUMMARY"])
# plain closing line; allow-listed (known impossible) failures are counted as skipped
print("sds: %d passed, %d failed, %d skipped" % (n_pass, n_fail, n_xfail))
sys.exit(0 if ok else 1)
PY
