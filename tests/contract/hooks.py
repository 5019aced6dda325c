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
   - a request with one of the known-good filters from schemathesis-known-ids.toml must answer 200;
   - a random `filter` or `fields` may answer 200 or 400 (invalid_filter_field /
     invalid_selection_field).
4. A recorder of status codes per operation (written to CONTRACT_STATS at exit), which the script
   uses to prove that every operation produced at least one 200 that was validated.
"""

from __future__ import annotations

import atexit
import json
import os
import threading
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
# KNOWN_GOOD_FILTERS in schemathesis.sh.
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
        raise AssertionError(f"a real id answered 404 ({ids}); these ids were discovered on the server")
    has_filter, has_fields = "filter" in query, "fields" in query
    if has_filter and query.get("filter") in KNOWN_GOOD_FILTERS and not has_fields and status != 200:
        raise AssertionError(f"filter={query.get('filter')!r} is valid for every entity but got HTTP {status}")
    if not has_filter and not has_fields and status != 200:
        raise AssertionError(f"a valid request (real ids, no filter, no fields) got HTTP {status}, expected 200")
    if (has_filter or has_fields) and status not in (200, 400):
        raise AssertionError(f"expected 200, or 400 for a rejected filter/fields, got HTTP {status}")
    return None
