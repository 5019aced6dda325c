# Sourced by the suites in tests/: fetch_token TOKEN_URL CLIENT_ID SECRET prints an access token
# from the OAuth 2 client-credentials endpoint, or prints the reason to stderr and returns 1.
# The secret goes to curl through a config on stdin, never on a command line.

fetch_token() {
  local url="$1" id="$2" secret="$3" reply code
  esc() { local s="${1//\\/\\\\}"; printf '%s' "${s//\"/\\\"}"; }
  reply="$(printf 'user = "%s:%s"\n' "$(esc "$id")" "$(esc "$secret")" \
    | curl -sS --max-time 30 -K - -H 'Accept: application/json' \
        --data-urlencode 'grant_type=client_credentials' -w '\n%{http_code}' "$url")" \
    || { echo "token request to $url failed (is the server running?)" >&2; return 1; }
  code="${reply##*$'\n'}"
  reply="${reply%$'\n'*}"
  if [[ "$code" != 200 ]]; then
    echo "token request to $url returned HTTP $code: $reply" >&2
    return 1
  fi
  printf '%s' "$reply" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])' \
    || { echo "token response has no access_token: $reply" >&2; return 1; }
}
