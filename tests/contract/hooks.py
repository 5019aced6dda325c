"""Schemathesis hooks for the OneRoster 1.2 contract run (tests/contract/schemathesis.sh).

Loaded with SCHEMATHESIS_HOOKS=<path to this file>; written for schemathesis 4.32.5 (pinned by the
script). Environment it reads:

  CONTRACT_PASS   "fuzz" (random path ids) or "known-ids" (path ids discovered from the server)
  CONTRACT_STATS  file to write per-operation status-code counts to when the process exits

What it adds to schemathesis' built-in checks:

1. filter_failure: `fields` projection. A request with `fields=` gets records that carry only the
   selected properties, and OAS12 marks properties `required`, so a correct projection fails
   `required` at the record level. Only exactly that failure is dropped: a JSON-schema `required`
   error on a request that has `fields`, located at a record itself (`/users/3`, `/user`), not
   deeper (`/users/3/roles/0` keeps failing). Everything else about a projected response (unknown
   properties, types, formats, enums, the envelope) is still validated.
2. oneroster_declared_status: status-code conformance that ignores `default`. Every OAS12
   operation declares a `default` response, which makes the built-in status_code_conformance
   accept any status at all. This check requires the status to be one OAS12 lists explicitly
   (200, 400, 401, 403, 422, 429, 500; 404 on the 12 singletons), plus 404 on the 17
   parent-scoped collections: OAS12's own description of those says an unknown parent "must" be
   reported as 'unknownobject', but it forgot to declare the 404 (a defect of the spec). A
   correct server can pass it: it never needs a 404 on a top-level collection.
3. oneroster_known_ids (CONTRACT_PASS=known-ids only): the path ids exist, so
   - 404 is a failure ("a real id answered 404");
   - a request without `filter` and without `fields` must answer 200 (limit/offset/sort/orderBy
     are generated valid in this pass, and an unknown `sort` field falls back to the default
     order, see the reference §6);
   - a request whose `filter` is one of the known-good filters (schemathesis-known-ids.toml) and
     whose `fields` (if any) is one of the known-good selections that map_case put in must
     answer 200;
   - a random `filter` may answer 200 or 400 (invalid_filter_field);
   - negative cases (mode all) are left to negative_data_rejection.
4. oneroster_auth_required: once per operation, after its first 200, the same URL without a
   token and with an invalid token must answer 401 with a conforming imsx_StatusInfoDType body.
5. map_case (known-ids pass, positive cases): a generated `fields` value is replaced by a
   known-good selection for the record type (exploded or comma form), so projected records are
   actually returned and validated under rule 1.
6. A recorder of status codes per operation (written to CONTRACT_STATS at exit), which the script
   uses to prove that every operation produced at least one 200 that was validated.
"""

from __future__ import annotations

import atexit
import json
import os
import threading
import zlib
from collections import defaultdict

import schemathesis

try:  # internal helper; present in 4.32.x. Probes that target the request shape are skipped.
    from schemathesis.specs.openapi.checks import is_unexpected_http_status_case
except ImportError:  # pragma: no cover

    def is_unexpected_http_status_case(case):  # type: ignore[misc]
        return False


PASS = os.environ.get("CONTRACT_PASS", "fuzz")
STATS_FILE = os.environ.get("CONTRACT_STATS")

# Filters that are valid for every OneRoster entity (status, dateLastModified and sourcedId are
# common fields); schemathesis-known-ids.toml offers them through a dictionary. Keep in sync with
# known_good_filters in schemathesis.sh (id discovery step).
KNOWN_GOOD_FILTERS = {
    "status='active'",
    "dateLastModified>'2000-01-01T00:00:00.000Z'",
    "sourcedId!='contract-no-such-id'",
    "sourcedId='contract-no-such-id'",
}

_lock = threading.Lock()
_stats: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))


def _label(case) -> str:
    return f"{case.method.upper()} {case.operation.path}"


def _operation_id(case) -> str:
    try:
        return case.operation.definition.raw.get("operationId") or _label(case)
    except AttributeError:  # pragma: no cover
        return _label(case)


def _is_get(case) -> bool:
    return str(case.method).upper() == "GET"


def _record(case, response) -> None:
    key = _operation_id(case)
    bucket = str(response.status_code)
    if _is_get(case) and response.status_code == 200 and (case.query or {}).get("fields") not in (None, [], ""):
        bucket = "200-fields"
    with _lock:
        _stats[key][bucket] += 1


def _dump_stats() -> None:
    if not STATS_FILE:
        return
    with _lock:
        data = {op: dict(counts) for op, counts in _stats.items()}
    with open(STATS_FILE, "w", encoding="utf-8") as fh:
        json.dump({"pass": PASS, "operations": data}, fh, indent=1, sort_keys=True)


atexit.register(_dump_stats)


# -- 1. `fields` projection ------------------------------------------------------------------------

# Known-good `fields` selections per record type (the 200 schema's name without Set/Single/DType).
# In the known-ids pass, map_case replaces a generated `fields` value on positive cases by one of
# these, alternating the exploded form (fields=a&fields=b) and the comma form (fields=a,b), so
# that projected records really come back and get validated (random names only earn a 400).
KNOWN_GOOD_FIELDS = {
    "AcademicSession": [["sourcedId", "title"], ["type", "startDate", "endDate", "parent", "schoolYear"]],
    "Class": [["sourcedId", "title"], ["course", "school", "terms", "classCode"]],
    "Course": [["sourcedId", "title"], ["courseCode", "org", "schoolYear"]],
    "Demographics": [["sourcedId", "status"], ["birthDate", "sex"]],
    "Enrollment": [["sourcedId", "role"], ["user", "class", "school", "primary"]],
    "Org": [["sourcedId", "name"], ["type", "identifier", "parent", "children"]],
    "User": [["sourcedId", "givenName"], ["familyName", "roles", "primaryOrg", "enabledUser"]],
}
_injected_fields: set[str] = set()


def _record_type(case) -> str | None:
    try:
        ref = case.operation.definition.raw["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    except (KeyError, TypeError, AttributeError):
        return None
    name = ref.rsplit("/", 1)[-1]
    for prefix in ("Single",):
        if name.startswith(prefix):
            name = name[len(prefix):]
    for suffix in ("SetDType", "DType"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return name if name in KNOWN_GOOD_FIELDS else None


def _fields_key(value) -> str:
    return json.dumps(value if isinstance(value, list) else [value])


@schemathesis.hook
def map_case(context, case):
    if PASS != "known-ids" or case.meta is None or str(case.meta.generation.mode) != "positive":
        return case
    query = case.query
    kind = _record_type(case)
    if not query or "fields" not in query or kind is None:
        return case
    # Deterministic choice: derived from the generated value (crc32, not the salted hash()).
    pick = zlib.crc32(_fields_key(query["fields"]).encode("utf-8"))
    chosen = KNOWN_GOOD_FIELDS[kind][pick % 2]
    value = list(chosen) if (pick >> 1) % 2 == 0 else [",".join(chosen)]
    query["fields"] = value
    with _lock:
        _injected_fields.add(_fields_key(value))
    return case



def _has_fields(case) -> bool:
    value = (case.query or {}).get("fields")
    return value is not None


@schemathesis.hook
def filter_failure(context, failure, case, response) -> bool:
    """Return False to drop `failure`: only a record-level `required` error caused by `fields`."""
    if not _has_fields(case):
        return True
    schema_path = list(getattr(failure, "schema_path", None) or [])
    instance_path = list(getattr(failure, "instance_path", None) or [])
    if not schema_path or schema_path[-1] != "required":
        return True
    # A record is the envelope's value (`/user`) or an item of it (`/users/3`).
    at_record = (len(instance_path) == 1 and isinstance(instance_path[0], str)) or (
        len(instance_path) == 2 and isinstance(instance_path[0], str) and isinstance(instance_path[1], int)
    )
    return not (at_record and 200 <= response.status_code < 300)


# -- 2. declared status codes, `default` ignored ---------------------------------------------------


@schemathesis.check
def oneroster_declared_status(ctx, response, case):
    """The status must be one OAS12 declares explicitly for the operation (not just `default`)."""
    _record(case, response)
    if not _is_get(case) or is_unexpected_http_status_case(case):
        return None
    declared = sorted(str(code) for code in case.operation.definition.raw.get("responses", {}) if str(code) != "default")
    # OAS12 defect: the parent-scoped collections (getClassesForUser, getStudentsForClass, ...)
    # say in their description that an unknown parent "must" be reported as 'unknownobject', but
    # their `responses` declare no 404 (only the 12 singletons do). 404 is allowed on them.
    if response.status_code == 404 and "{" in case.operation.path:
        return None
    if str(response.status_code) not in declared:
        raise AssertionError(
            f"HTTP {response.status_code} is not declared for {_operation_id(case)} "
            f"(OAS12 declares {', '.join(declared)} and `default`)"
        )
    return None


# -- 3. real ids must resolve ----------------------------------------------------------------------


@schemathesis.check
def oneroster_known_ids(ctx, response, case):
    """CONTRACT_PASS=known-ids: the ids exist, so no 404, and plain requests answer 200."""
    if PASS != "known-ids" or not _is_get(case) or is_unexpected_http_status_case(case):
        return None
    if case.meta is not None and getattr(getattr(case.meta, "generation", None), "mode", None) is not None:
        mode = str(case.meta.generation.mode).lower()
        if "negative" in mode:
            return None
    query = case.query or {}
    status = response.status_code
    ids = ", ".join(f"{k}={v}" for k, v in sorted((case.path_parameters or {}).items()))
    if status == 404:
        raise AssertionError(f"a real id answered 404\n(path ids: {ids}; they were discovered on the server)")
    has_filter, has_fields = "filter" in query, "fields" in query
    good_filter = not has_filter or query.get("filter") in KNOWN_GOOD_FILTERS
    with _lock:
        good_fields = not has_fields or _fields_key(query.get("fields")) in _injected_fields
    what = ", ".join(f"{k}={query.get(k)!r}" for k in ("filter", "fields") if k in query) or "no filter, no fields"
    if good_filter and good_fields and status != 200:
        # First line stable (the summary groups failures by it), specifics on the second.
        raise AssertionError(f"a valid request answered HTTP {status}, expected 200\n(real ids; {what})")
    if status not in (200, 400):
        raise AssertionError(f"expected 200, or 400 for a rejected filter, got HTTP {status}\n({what})")
    return None


# -- 4. authentication is enforced, and the 401 body conforms --------------------------------------

_auth_probed: set[str] = set()


@schemathesis.check
def oneroster_auth_required(ctx, response, case):
    """Once per operation, after its first 200: the same request without a token, and with an
    invalid one, must answer 401 with an OAS12-conforming body (bare imsx_StatusInfoDType).

    Takes the place of the built-in ignored_auth, which does nothing here: the token is sent as a
    configured header, which that check does not consider the operation's declared OAuth2 auth.
    """
    if not _is_get(case) or response.status_code != 200 or is_unexpected_http_status_case(case):
        return None
    key = _operation_id(case)
    with _lock:
        if key in _auth_probed:
            return None
        _auth_probed.add(key)
    import requests
    from schemathesis.core.transport import Response

    url = response.request.url
    problems, bodies = [], []
    for label, extra in (
        ("no Authorization header", {}),
        ("Authorization: Bearer <invalid token>", {"Authorization": "Bearer contract-invalid-token"}),
    ):
        probe = requests.get(url, headers={"Accept": "application/json", **extra}, timeout=60)
        if probe.status_code != 401:
            problems.append(f"{label}: HTTP {probe.status_code}, expected 401")
        else:
            if not probe.headers.get("content-type", "").startswith("application/json"):
                problems.append(f"{label}: Content-Type {probe.headers.get('content-type')!r}, expected application/json")
            try:
                case.operation.validate_response(Response.from_requests(probe, verify=True), case=case)
            except Exception as exc:  # a Failure, or a group of them
                problems.append(f"{label}: the 401 body violates the OAS12 schema ({str(exc).splitlines()[0]})")
        bodies.append(f"{label} -> HTTP {probe.status_code}: {probe.text[:300]}")
    if problems:
        # First lines stable (the summary groups failures by them), specifics after.
        raise AssertionError(
            "authentication is not enforced as OAS12 requires\n" + "\n".join(problems) + f"\nGET {url}\n" + "\n".join(bodies)
        )
    return None
