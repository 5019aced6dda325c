#!/usr/bin/env bash
# tests/contract/schemathesis.sh — OneRoster 1.2 rostering contract tests: schemathesis runs the
# official 1EdTech OpenAPI (OAS12) against a running ums-oneroster server.
#
# Usage:
#   tests/contract/schemathesis.sh BASE_URL SECRET
#
#   BASE_URL  scheme, host and port only, e.g. http://127.0.0.1:18300 (a trailing
#             /ims/oneroster/rostering/v1p2 is stripped)
#   SECRET    OAuth2 client secret of client `WebserviceUser` (the demo's UMS_DEMO_CLIENT_SECRET)
#
# Optional environment:
#   CONTRACT_CLIENT_ID     OAuth2 client id (default WebserviceUser)
#   CONTRACT_SPEC          path of the official OpenAPI file (default ../shared/spec/… beside the
#                          repo, else /work/shared/spec/oneroster-v1p2-rostering-openapi.json)
#   CONTRACT_OUT_DIR       output folder (default <repo>/target/contract)
#   CONTRACT_SEED          schemathesis --seed (default 20220919)
#   CONTRACT_MAX_EXAMPLES  schemathesis --max-examples per operation and pass (default 50)
#   CONTRACT_WORKERS       schemathesis --workers (default 2)
#   CONTRACT_PASSES        which passes to run: "fuzz known-ids" (default), or one of them
#
# What it does (tests/contract/README.md has the why):
#   1. installs schemathesis (pinned below) into <out>/venv if missing — never system-wide;
#   2. writes a localized copy of the spec to <out>/: servers[0].url = BASE_URL +
#      /ims/oneroster/rostering/v1p2, OAuth2 tokenUrl = BASE_URL + /token (python3, stdlib);
#   3. gets a token with curl (the secret goes through a config on stdin, not the command line);
#      schemathesis sends it as `Authorization: Bearer …` from a config file that reads it from
#      the environment, so it is not on a command line either;
#   4. discovers real sourcedIds through the 1.1 API (python3, stdlib) and writes
#      <out>/schemathesis-known-ids.toml, which pins every path parameter of every operation;
#   5. pass "fuzz": all 41 operations, random path ids, positive and negative data, phases
#      examples+coverage+fuzzing (stateful off: OAS12's links are invalid);
#      pass "known-ids": all 41 operations with the real ids, same data and phases, plus
#      known-good filters, sorts and field selections; every operation must produce at least one
#      validated 200;
#   6. summarises both JUnit reports and exits non-zero on any failure.
#
# Checks (both passes): not_a_server_error, status_code_conformance, content_type_conformance,
# response_schema_conformance (formats validated), response_headers_conformance,
# negative_data_rejection, and the custom oneroster_declared_status and oneroster_auth_required
# (hooks.py); pass "known-ids" adds the custom oneroster_known_ids. `fields` projection: hooks.py
# drops only the record-level `required` errors that a projected response must produce.
#
# Outputs (<out>/): oneroster-v1p2-rostering-openapi.localized.json, known-ids.json,
# schemathesis-known-ids.toml, schemathesis-auth.toml (mode 600, holds no secret: it reads the
# token from the environment), <pass>/junit.xml, <pass>/events.ndjson, <pass>/stats.json,
# <pass>/schemathesis.log, summary.txt.
#
# The last line reads `contract: N passed, N failed`, counting operations per pass: 41 in "fuzz"
# and 41 in "known-ids", so 82 when both run. An operation fails in a pass when schemathesis
# reports any failure or error for it, or (known-ids) when it produced no 200 to validate.
#
# Exit codes: 0 all passed, 1 contract failures, 2 usage/setup error.
set -euo pipefail

SCHEMATHESIS_VERSION="4.32.5"

die() { echo "contract: $*" >&2; exit 2; }

BASE_URL="${1:-}"
SECRET="${2:-}"
[[ -n "$BASE_URL" && -n "$SECRET" ]] || die "usage: $0 BASE_URL SECRET   (e.g. http://127.0.0.1:18300 s3cret)"
BASE_URL="${BASE_URL%/}"
BASE_URL="${BASE_URL%/ims/oneroster/rostering/v1p2}"
CLIENT_ID="${CONTRACT_CLIENT_ID:-WebserviceUser}"
SEED="${CONTRACT_SEED:-20220919}"
MAX_EXAMPLES="${CONTRACT_MAX_EXAMPLES:-50}"
WORKERS="${CONTRACT_WORKERS:-2}"
PASSES="${CONTRACT_PASSES:-fuzz known-ids}"
API12="$BASE_URL/ims/oneroster/rostering/v1p2"

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${CONTRACT_OUT_DIR:-$ROOT/target/contract}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

if [[ -n "${CONTRACT_SPEC:-}" ]]; then
  SPEC="$CONTRACT_SPEC"
else
  SPEC=""
  for f in "$ROOT/../shared/spec/oneroster-v1p2-rostering-openapi.json" \
           "/work/shared/spec/oneroster-v1p2-rostering-openapi.json"; do
    if [[ -f "$f" ]]; then SPEC="$f"; break; fi
  done
fi
[[ -n "$SPEC" && -f "$SPEC" ]] || die "official spec not found; set CONTRACT_SPEC"

command -v python3 >/dev/null || die "python3 is required"
command -v curl >/dev/null || die "curl is required"

# ---- 1. schemathesis in a local virtualenv ------------------------------------------------------
VENV="$OUT/venv"
ST="$VENV/bin/schemathesis"
if [[ ! -x "$ST" ]] || [[ "$("$ST" --version 2>/dev/null)" != *" $SCHEMATHESIS_VERSION" ]]; then
  echo "contract: installing schemathesis==$SCHEMATHESIS_VERSION into $VENV"
  [[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV" || die "python3 -m venv failed (apt-get install python3-venv?)"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    "schemathesis==$SCHEMATHESIS_VERSION" >&2 || die "pip install schemathesis==$SCHEMATHESIS_VERSION failed"
fi
echo "contract: $("$ST" --version)"

# ---- 2. localized copy of the official spec -----------------------------------------------------
LOCAL_SPEC="$OUT/oneroster-v1p2-rostering-openapi.localized.json"
python3 - "$SPEC" "$LOCAL_SPEC" "$BASE_URL" <<'PY' || die "could not localize $SPEC"
import json, sys
src, dst, base = sys.argv[1:4]
with open(src, encoding="utf-8") as fh:
    spec = json.load(fh)
servers = spec.get("servers") or [{}]
servers[0]["url"] = base + "/ims/oneroster/rostering/v1p2"
spec["servers"] = servers
flows = spec["components"]["securitySchemes"]["OAuth2CC"]["flows"]
flows["clientCredentials"]["tokenUrl"] = base + "/token"
with open(dst, "w", encoding="utf-8") as fh:
    json.dump(spec, fh, indent=1)
ops = sum(1 for item in spec["paths"].values() for m in item if m in ("get", "put", "post", "delete", "patch"))
print("contract: localized %s -> %s (%d operations)" % (src, dst, ops))
PY

# ---- 3. token -----------------------------------------------------------------------------------
TOKEN_URL="$BASE_URL/token"
# shellcheck source=../support/token.sh
source "$(dirname "${BASH_SOURCE[0]}")/../support/token.sh"
CONTRACT_TOKEN="$(fetch_token "$TOKEN_URL" "$CLIENT_ID" "$SECRET")" || die "no token"
export CONTRACT_TOKEN

# The 1.2 tree must exist: a 404 on /orgs means the server does not serve 1.2 at all.
PROBE_CODE="$(printf 'header = "Authorization: Bearer %s"\n' "$CONTRACT_TOKEN" \
  | curl -sS --max-time 30 -K - -o /dev/null -w '%{http_code}' "$API12/orgs?limit=1")" || PROBE_CODE=000
[[ "$PROBE_CODE" == 200 ]] || die "GET $API12/orgs?limit=1 answered HTTP $PROBE_CODE (is the 1.2 tree served?)"

umask 077
# Both config files: the token comes from the environment; schemathesis' project cache (which
# would replay earlier crashes first, making runs depend on history, and writes .schemathesis/
# into the working directory) is off.
cat >"$OUT/schemathesis-auth.toml" <<'EOF'
# Generated by tests/contract/schemathesis.sh.
[cache]
enabled = false

[headers]
Authorization = "Bearer ${CONTRACT_TOKEN}"
EOF

# ---- 4. real ids through the 1.1 API; per-operation path parameters -----------------------------
export CONTRACT_BASE_URL="$BASE_URL" CONTRACT_OUT="$OUT" CONTRACT_LOCAL_SPEC="$LOCAL_SPEC"
python3 - <<'PY' || die "id discovery failed"
import json, os, sys, urllib.error, urllib.parse, urllib.request

BASE = os.environ["CONTRACT_BASE_URL"]
OUT = os.environ["CONTRACT_OUT"]
TOKEN = os.environ["CONTRACT_TOKEN"]
API11 = BASE + "/ims/oneroster/v1p1"
warnings = []

def get(path, **params):
    url = API11 + path + ("?" + urllib.parse.urlencode(params) if params else "")
    req = urllib.request.Request(url, headers={"Authorization": "Bearer " + TOKEN, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read().decode("utf-8") or "null")
    except (urllib.error.URLError, OSError, ValueError) as e:
        warnings.append("GET %s: %s" % (url, e))
        return None

def records(body):
    if isinstance(body, dict):
        for v in body.values():
            if isinstance(v, list):
                return [x for x in v if isinstance(x, dict) and x.get("sourcedId")]
    return []

def first_id(path, **params):
    recs = records(get(path, limit=1, **params))
    return recs[0]["sourcedId"] if recs else None

def ref_id(value):
    if isinstance(value, list):
        value = value[0] if value else None
    return value.get("sourcedId") if isinstance(value, dict) else None

ids = {}
# A school with a class that has students and teachers (so every nested route has children).
schools = records(get("/schools", limit=50))
for school in schools:
    for klass in records(get("/schools/%s/classes" % school["sourcedId"], limit=50)):
        kid = klass["sourcedId"]
        students = records(get("/classes/%s/students" % kid, limit=1))
        teachers = records(get("/classes/%s/teachers" % kid, limit=1))
        if students and teachers:
            ids.update(school=school["sourcedId"], klass=kid, student=students[0]["sourcedId"],
                       teacher=teachers[0]["sourcedId"], course=ref_id(klass.get("course")),
                       term=ref_id(klass.get("terms")))
            break
    if "klass" in ids:
        break
if "klass" not in ids:
    warnings.append("no school with a class that has both students and teachers; falling back to first records")
    ids.update(school=first_id("/schools"), klass=first_id("/classes"), student=first_id("/students"),
               teacher=first_id("/teachers"), course=first_id("/courses"), term=first_id("/terms"))
ids["course"] = ids.get("course") or first_id("/courses")
ids["term"] = ids.get("term") or first_id("/terms")
# A grading period, preferably of that term.
gp = first_id("/terms/%s/gradingPeriods" % ids["term"]) if ids.get("term") else None
ids["gradingPeriod"] = gp or first_id("/gradingPeriods")
ids["academicSession"] = ids.get("term") or first_id("/academicSessions")
ids["org"] = ids.get("school") or first_id("/orgs")
enr = records(get("/schools/%s/classes/%s/enrollments" % (ids["school"], ids["klass"]), limit=1)) \
    if ids.get("school") and ids.get("klass") else []
ids["enrollment"] = enr[0]["sourcedId"] if enr else first_id("/enrollments")
# Demographics: the student's own record when there is one, else the first.
demo = get("/demographics/%s" % ids["student"]) if ids.get("student") else None
ids["demographics"] = ids["student"] if isinstance(demo, dict) and demo.get("demographics") else first_id("/demographics")
ids["user"] = ids.get("student") or first_id("/users")

# Which id each path parameter takes. Singletons: by the path's first segment.
SINGLETON = {"academicSessions": "academicSession", "classes": "klass", "courses": "course",
             "demographics": "demographics", "enrollments": "enrollment", "gradingPeriods": "gradingPeriod",
             "orgs": "org", "schools": "school", "students": "student", "teachers": "teacher",
             "terms": "term", "users": "user"}
PARENT = {"schoolSourcedId": "school", "classSourcedId": "klass", "termSourcedId": "term",
          "courseSourcedId": "course", "studentSourcedId": "student", "teacherSourcedId": "teacher",
          "userSourcedId": "user"}

with open(os.environ["CONTRACT_LOCAL_SPEC"], encoding="utf-8") as fh:
    spec = json.load(fh)

def toml_str(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'

blocks, missing = [], []
for path, item in sorted(spec["paths"].items()):
    for method, op in item.items():
        if method != "get":
            continue
        params = {}
        for p in op.get("parameters", []) + item.get("parameters", []):
            if p.get("in") != "path":
                continue
            key = SINGLETON.get(path.strip("/").split("/")[0]) if p["name"] == "sourcedId" else PARENT.get(p["name"])
            if key is None or not ids.get(key):
                missing.append("%s: no real id for {%s}" % (op["operationId"], p["name"]))
                continue
            params["path." + p["name"]] = ids[key]
        if not params:
            continue
        blocks.append("[[operations]]\ninclude-operation-id = %s\nparameters = { %s }\n" % (
            toml_str(op["operationId"]), ", ".join("%s = %s" % (toml_str(k), toml_str(v)) for k, v in sorted(params.items()))))

# Keep in sync with KNOWN_GOOD_FILTERS in hooks.py.
known_good_filters = ["status='active'", "dateLastModified>'2000-01-01T00:00:00.000Z'",
                      "sourcedId!='contract-no-such-id'", "sourcedId='contract-no-such-id'"]
with open(os.path.join(OUT, "schemathesis-known-ids.toml"), "w", encoding="utf-8") as fh:
    fh.write("# Generated by tests/contract/schemathesis.sh from %s/known-ids.json.\n" % OUT)
    fh.write("[cache]\nenabled = false\n\n[headers]\nAuthorization = \"Bearer ${CONTRACT_TOKEN}\"\n\n")
    fh.write("[dictionaries.filters]\nvalues = [%s]\n\n" % ", ".join(toml_str(f) for f in known_good_filters))
    fh.write("[dictionaries.sorts]\nvalues = [\"sourcedId\", \"dateLastModified\", \"status\"]\n\n")
    fh.write("[parameters]\n\"query.filter\" = { dictionary = \"filters\", probability = 0.5 }\n")
    fh.write("\"query.sort\" = { dictionary = \"sorts\", probability = 0.5 }\n\n")
    fh.write("\n".join(blocks))
with open(os.path.join(OUT, "known-ids.json"), "w", encoding="utf-8") as fh:
    json.dump({"ids": ids, "missing": missing, "warnings": warnings}, fh, indent=1)
print("contract: real ids (from %s): %s" % (API11, ", ".join("%s=%s" % kv for kv in sorted(ids.items()))))
for line in warnings + missing:
    print("contract: WARNING " + line)
PY

# ---- 5. schemathesis passes ---------------------------------------------------------------------
export SCHEMATHESIS_HOOKS="$HERE/hooks.py"
CHECKS_COMMON="not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,negative_data_rejection,oneroster_declared_status,oneroster_auth_required"

run_pass() {
  local pass="$1" config checks dir rc
  dir="$OUT/$pass"
  rm -rf "$dir"
  mkdir -p "$dir"
  case "$pass" in
    fuzz)      config="$OUT/schemathesis-auth.toml" ;      checks="$CHECKS_COMMON" ;;
    known-ids) config="$OUT/schemathesis-known-ids.toml"; checks="$CHECKS_COMMON,oneroster_known_ids" ;;
    *) die "unknown pass $pass" ;;
  esac
  local cmd=("$ST" --config-file "$config" --no-color run "$LOCAL_SPEC"
    --url "$API12"
    --phases "examples,coverage,fuzzing"
    --mode all
    --checks "$checks"
    --max-examples "$MAX_EXAMPLES"
    --seed "$SEED"
    --generation-database none
    --workers "$WORKERS"
    --continue-on-failure
    --request-timeout 60
    --suppress-health-check all
    --report "junit,ndjson" --report-dir "$dir"
    --report-junit-path "$dir/junit.xml" --report-ndjson-path "$dir/events.ndjson")
  echo
  echo "== contract pass '$pass'"
  echo "   ${cmd[*]}"
  local started=$SECONDS
  rc=0
  # Run from the output folder so nothing schemathesis writes lands in the repo.
  (cd "$dir" && CONTRACT_PASS="$pass" CONTRACT_STATS="$dir/stats.json" "${cmd[@]}") >"$dir/schemathesis.log" 2>&1 || rc=$?
  echo "   schemathesis exit code $rc after $((SECONDS - started))s; log: $dir/schemathesis.log"
  tail -n 25 "$dir/schemathesis.log" | sed 's/^/   | /'
  echo "$rc" >"$dir/exit-code"
}

for pass in $PASSES; do
  run_pass "$pass"
done

# ---- 6. summary ---------------------------------------------------------------------------------
# Per pass and operation: ok / FAIL with the status codes seen. Then the distinct failures, grouped
# by (pass, failure code, message with ids and numbers blanked), each with the operations it hit
# and one full example (request to reproduce, response excerpt).
export CONTRACT_PASSES="$PASSES"
set +e
python3 - <<'PY' | tee "$OUT/summary.txt"
import json, os, re, sys
import xml.etree.ElementTree as ET

OUT = os.environ["CONTRACT_OUT"]
spec = json.load(open(os.environ["CONTRACT_LOCAL_SPEC"], encoding="utf-8"))
ops = {}  # "GET /path" -> operationId
for path, item in spec["paths"].items():
    for method, op in item.items():
        if method == "get":
            ops["GET " + path] = op["operationId"]
known = json.load(open(os.path.join(OUT, "known-ids.json"), encoding="utf-8"))

def blocks_of(text):
    """Split a JUnit failure text into its numbered test cases."""
    parts = re.split(r"(?m)^\d+\. Test Case ID: \S+\s*$", text or "")
    return [p.strip() for p in parts if p.strip()] or [(text or "").strip()]

def signature(block):
    lines = [l.strip() for l in block.splitlines() if l.strip()]
    title = next((l for l in lines if l.startswith("- ST") or l.startswith("- ")), lines[0] if lines else "?")
    rest = lines[lines.index(title) + 1:] if title in lines else lines
    detail = []
    for l in rest:
        if l.startswith("[") and "]" in l[:6] or l.startswith("Reproduce with"):
            break
        if l.startswith("Expected:") or l == "Invalid data should have been rejected":
            continue
        detail.append(l)
        if len(detail) == 2:
            break
    key = title + " | " + " / ".join(detail)
    # The server's own explanation separates causes that share a check message.
    desc = re.search(r'"imsx_description"\s*:\s*"((?:[^"\\]|\\.)*)"', block)
    if desc:
        key += " | server: " + desc.group(1)
    key = re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`|\([^)]*\)", "…", key)
    key = re.sub(r"\d+", "N", key)
    return title, key

passed = failed = 0
groups = {}  # (pass, key) -> {"title":..., "ops": [...], "example": block}
for pass_name in os.environ["CONTRACT_PASSES"].split():
    d = os.path.join(OUT, pass_name)
    rc = open(os.path.join(d, "exit-code")).read().strip()
    results = {}  # operationId -> [(kind, text)]
    junit = os.path.join(d, "junit.xml")
    if not os.path.exists(junit):
        groups[(pass_name, "no-report")] = {"title": "schemathesis wrote no JUnit report (exit code %s)" % rc,
                                            "ops": [], "example": "see %s/schemathesis.log" % d}
    else:
        for tc in ET.parse(junit).getroot().iter("testcase"):
            name = tc.get("name", "")
            op = ops.get(name, name)
            texts = results.setdefault(op, [])
            for child in tc:
                if child.tag in ("failure", "error"):
                    texts.append((child.tag, (child.text or child.get("message") or child.tag)))
    stats = {}
    sp = os.path.join(d, "stats.json")
    if os.path.exists(sp):
        stats = json.load(open(sp, encoding="utf-8")).get("operations", {})
    print("\n== pass %s: per operation (status codes seen)" % pass_name)
    for op in sorted(ops.values()):
        texts = results.get(op)
        counts = stats.get(op, {})
        why = []
        if texts is None:
            why.append("not run")
        else:
            for kind, text in texts:
                for block in blocks_of(text):
                    title, key = signature(block)
                    why.append("%s: %s" % (kind, title.lstrip("- ")))
                    g = groups.setdefault((pass_name, key), {"title": title.lstrip("- "), "ops": [], "example": block})
                    if op not in g["ops"]:
                        g["ops"].append(op)
            if pass_name == "known-ids" and not counts.get("200"):
                why.append("no 200 response without `fields` was validated")
                g = groups.setdefault((pass_name, "no-200"), {"title": "no 200 response to validate", "ops": [],
                                      "example": "every request with the real ids got a non-200 answer"})
                g["ops"].append(op)
        hist = " ".join("%s×%d" % (k, v) for k, v in sorted(counts.items()))
        if why:
            failed += 1
            print("  FAIL %-32s %s" % (op, hist))
            for w in sorted(set(why)):
                print("       - " + w)
        else:
            passed += 1
            print("  ok   %-32s %s" % (op, hist))
if known.get("missing") or known.get("warnings"):
    print("\nid discovery warnings:")
    for w in known.get("warnings", []) + known.get("missing", []):
        print("  - " + w)
if groups:
    print("\n== %d distinct failure(s); full text in <out>/<pass>/schemathesis.log and junit.xml" % len(groups))
    for n, ((pass_name, key), g) in enumerate(sorted(groups.items()), 1):
        print("\n#%d [%s] %s" % (n, pass_name, g["title"]))
        if g["ops"]:
            print("   operations (%d): %s" % (len(g["ops"]), ", ".join(sorted(g["ops"]))))
        example = g["example"].splitlines()
        if len(example) > 40:
            example = example[:40] + ["   … (%d more lines)" % (len(example) - 40)]
        print("   example:")
        for line in example:
            print("   | " + line[:400])
print()
print("contract: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
status="${PIPESTATUS[0]}"
set -e
exit "$status"
