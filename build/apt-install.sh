#!/usr/bin/env bash
# Installs Debian/Ubuntu packages for the Dockerfile's runtime stages, then drops apt's lists.
# A name may list alternatives as `first|second`: the first one the distribution has is installed,
# so one list serves Ubuntu 24.04 (libturbojpeg, libssl3t64) and Debian 12 (libturbojpeg0, libssl3).
#
# Usage: build/apt-install.sh PACKAGE|ALTERNATIVE... [...]
# The Dockerfile bind-mounts this script into each RUN step, so it is not left in the image.
set -euo pipefail
[ "$#" -gt 0 ] || { echo "apt-install.sh: no packages given" >&2; exit 2; }

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq

# True when the package has an installable version (not only a virtual name).
# (grep reads to the end: with -q, apt-cache could die of SIGPIPE and fail the pipeline.)
available() { apt-cache show --no-all-versions "$1" 2>/dev/null | grep '^Package:' >/dev/null; }

picked=()
for spec in "$@"; do
  choice=
  IFS='|' read -r -a alternatives <<<"$spec"
  for name in "${alternatives[@]}"; do
    if available "$name"; then choice=$name; break; fi
  done
  if [ -z "$choice" ]; then
    # shellcheck source=/dev/null
    . /etc/os-release 2>/dev/null || true
    echo "apt-install.sh: none of '${spec}' is available on ${PRETTY_NAME:-this distribution}" >&2
    exit 1
  fi
  picked+=("$choice")
done

echo "apt-install.sh: installing ${picked[*]}"
apt-get install -y --no-install-recommends "${picked[@]}"
# apt's lists folder (/var/lib/apt/lists/ unless apt is configured otherwise): not kept in the image.
lists=
eval "$(apt-config shell lists Dir::State::Lists/d)"
rm -rf "${lists:?apt-config names no lists folder}"*
