#!/usr/bin/env bash
# Validates the deployment side of the repository without a Docker engine or an Azure account:
#   1. Bicep: build and lint infra/ (bicep from NuGet; warnings fail, see infra/bicepconfig.json),
#      check the compiled template (.ci/check-arm-template.py: Entra-only data planes, scale to
#      zero on the queue with a managed identity, probes, no privileged roles, no keys; the optional
#      scoring API app: internal ingress, Entra ID, concurrent-request rule), and that
#      main.parameters.json agrees with it.
#   2. Kubernetes: yamllint (strict) on infra/k8s. Structure (GPU, probes, security context,
#      workload identity, KEDA, CronJob) and configuration keys are checked by the tests in
#      tests/IpIqa.Worker.Tests/Deployment, which .ci/run runs next.
#   3. Dockerfile: dockerfile-utils lint (warnings fail), shellcheck on the scripts (build, CI, the GPU kit).
#   4. The GPU publish the Dockerfile runs, through the same script (build/publish-worker.sh).
# Not validated here: that Azure accepts the deployment (needs `azd provision --preview` or
# what-if against a subscription), that a cluster admits the manifests (needs kubectl/kubeconform
# and the KEDA CRDs), and that the image builds and starts: .ci/container-smoke.sh does that with
# podman on stand-in bases, after the tests; the real bases and a GPU stay unchecked.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
step() { printf '\n== validate-infra: %s\n' "$*"; }
# Runs a linter; fails when it exits non-zero or prints any warning or error line.
strict() {
  local log="$work/lint.log" status=0
  "$@" >"$log" 2>&1 || status=$?
  cat "$log"
  if [ "$status" -ne 0 ] || grep -Eqi '(^|[ :])(warning|error)[ :]' "$log"; then
    echo "validate-infra: '$*' reported problems" >&2
    return 1
  fi
}

step "bicep $(build/tools/bicep/bicep.sh --version)"
strict build/tools/bicep/bicep.sh build infra/main.bicep --outfile "$work/main.json"
strict build/tools/bicep/bicep.sh lint --pattern 'infra/**/*.bicep'
python3 .ci/check-arm-template.py "$work/main.json"
python3 - "$work/main.json" infra/main.parameters.json <<'PY'
import json, sys
template, parameters = sys.argv[1:]
declared = json.load(open(template))["parameters"]
given = json.load(open(parameters))["parameters"]
unknown = sorted(set(given) - set(declared))
missing = sorted(p for p, d in declared.items() if "defaultValue" not in d and p not in given)
assert not unknown, f"{parameters}: parameters main.bicep does not declare: {unknown}"
assert not missing, f"{parameters}: required parameters without a value: {missing}"
print(f"{parameters}: {len(given)} of {len(declared)} parameters set, none unknown, none missing")
PY

step "yamllint infra/k8s"
strict yamllint --strict -c infra/k8s/.yamllint.yaml infra/k8s

step "dockerfile-utils lint Dockerfile"
command -v npm >/dev/null || { echo "validate-infra: npm is required (Node.js)" >&2; exit 1; }
npm ci --prefix build/tools/dockerfile-lint --no-audit --no-fund --silent
strict build/tools/dockerfile-lint/node_modules/.bin/dockerfile-utils lint Dockerfile
strict shellcheck .ci/validate-infra.sh .ci/tools.sh .ci/container-smoke.sh build/publish-worker.sh build/apt-install.sh build/tools/bicep/bicep.sh bench/gpu/*.sh

step "publish (GPU), as the Dockerfile does"
bash build/publish-worker.sh "$work/publish" true
# The worker serves health and metrics on Kestrel, so it needs the ASP.NET Core shared framework:
# the runtime base must be the aspnet image (it carries both shared frameworks).
if grep -q '"Microsoft.AspNetCore.App"' "$work"/publish/*.runtimeconfig.json \
  && ! grep -q '^ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:' Dockerfile; then
  echo "validate-infra: the published apps need Microsoft.AspNetCore.App; set RUNTIME_IMAGE in the Dockerfile to mcr.microsoft.com/dotnet/aspnet" >&2
  exit 1
fi
du -sh "$work/publish" | sed 's/^/published size: /'
step "ok"
