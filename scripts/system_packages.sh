#!/usr/bin/env bash
# The servers the test suite starts on 127.0.0.1, installed from Debian's packages when missing:
# PostgreSQL (the shared journal's backend) and Redis (shared tokens and pacing). Needs root when one is missing.
set -euo pipefail

missing=()
if ! command -v pg_ctl >/dev/null && ! compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null; then
    missing+=(postgresql)
fi
command -v redis-server >/dev/null || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "shipspec: the tests need ${missing[*]} (Debian packages); install them as root:" >&2
    echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "installing ${missing[*]} (Debian packages) for the test servers" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
