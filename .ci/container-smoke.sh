#!/usr/bin/env bash
# Builds both flavours of the Dockerfile with podman, with no Docker engine and no registry, on
# local stand-in bases, and smoke-runs them (docs/deploy.md, "The container smoke test"):
#   bases  Debian 12 (debootstrap from the host's apt mirror); an SDK and an ASP.NET runtime
#          stand-in made of it plus the host's .NET; the Debian base also stands in for CUDA.
#   cpu    runs as 1654; --drain on a read-only root with a tmpfs /tmp scores the ten samples with
#          the README's numbers; detached, /healthz/ready answers 200 and the image's HEALTHCHECK
#          passes; `podman stop` exits 0 within the grace period; the image keeps its HEALTHCHECK.
#   gpu    Auto falls back to CPU with a warning and scores the samples; ExecutionProvider=Cuda
#          stops at start with exit 2 and one line naming the setting.
#   sizes  both images within the budget in docs/deploy.md.
# Runs as root. Without CI=true and without podman it skips with a message; CI never skips.
# The bases are cached as local images (rebuilt when missing); IPIQA_CI_REBUILD_BASES=1 rebuilds them.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

packages=(podman buildah runc debootstrap)
missing=()
for pkg in "${packages[@]}"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
if [ "${CI:-}" != true ] && ! command -v podman >/dev/null 2>&1; then
  echo "container smoke: skipped: podman is not installed (CI=true installs it: apt-get install ${packages[*]})"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "container smoke: must run as root (rootful podman, debootstrap)" >&2
  exit 1
fi
started=$SECONDS
if [ ${#missing[@]} -gt 0 ]; then
  echo "container smoke: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

work=$(mktemp -d)
prefix=ipiqa-ci-$$
cleanup() {
  local name
  for name in $(podman ps -a --format '{{.Names}}' 2>/dev/null | grep "^${prefix}-" || true); do
    podman rm -f -t 0 "$name" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

# crun fails on this kind of host's hybrid cgroups, and podman's default ulimits exceed the hard ones.
nproc_limit=$(ulimit -Hu)
if [ "$nproc_limit" = unlimited ] || [ "$nproc_limit" -gt 32768 ]; then nproc_limit=32768; fi
cat >"$work/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=${nproc_limit}:${nproc_limit}"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
export CONTAINERS_CONF="$work/containers.conf" BUILDAH_ISOLATION=oci
podman() { command nice -n 10 podman --runtime runc "$@"; }

failures=0
pass() { printf 'container smoke: PASS %s\n' "$*"; }
fail() { printf 'container smoke: FAIL %s\n' "$*"; failures=$((failures + 1)); }
step() { printf '\n== container smoke: %s (%ds)\n' "$*" "$((SECONDS - started))"; }
has_image() { podman image exists "$1"; }

# ---- stand-in bases ----
debian=localhost/ipiqa-ci/debian:12
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
sdk_version=$(dotnet --version)
runtime_version=$(dotnet --list-runtimes | awk '$1 == "Microsoft.AspNetCore.App" { v = $2 } END { print v }')
sdk=localhost/ipiqa-ci/dotnet-sdk:$sdk_version
runtime=localhost/ipiqa-ci/dotnet-aspnet:$runtime_version
if [ "${IPIQA_CI_REBUILD_BASES:-}" = 1 ]; then podman rmi -f "$sdk" "$runtime" "$debian" >/dev/null 2>&1 || true; fi

if ! has_image "$debian"; then
  step "debootstrap Debian 12 (minbase) as $debian"
  # The Debian mirror apt already uses (one-line or deb822 sources).
  mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null | grep -oE '^(URIs: |deb )https?://[^ ]+/debian/?( |$)' | awk 'NR == 1 { print $2 }' || true)
  rootfs="$work/rootfs"
  nice -n 10 debootstrap --variant=minbase bookworm "$rootfs" "${mirror:-http://deb.debian.org/debian}" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
  tar -C "$rootfs" -c . | podman import --quiet - "$debian" >/dev/null
  rm -rf "$rootfs"
fi

# The host's .NET as a build context, hard-linked when it can be (the same file system).
dotnet_context() { # DIR PATH...: copies the named parts of the host's .NET into DIR/dotnet
  local dir=$1; shift
  mkdir -p "$dir/dotnet"
  for part in "$@"; do
    mkdir -p "$dir/dotnet/$(dirname "$part")"
    cp -al "$dotnet_root/$part" "$dir/dotnet/$part" 2>/dev/null || cp -a "$dotnet_root/$part" "$dir/dotnet/$part"
  done
}

if ! has_image "$sdk"; then
  step "SDK stand-in $sdk (Debian 12 + the host's .NET SDK)"
  dotnet_context "$work/sdk" dotnet host packs sdk sdk-manifests shared templates
  # SSL_CERT_FILE names where the build mounts the host's CA bundle (read-only, never in a layer).
  cat >"$work/sdk/Containerfile" <<EOF
FROM $debian
ENV DOTNET_ROOT=/usr/share/dotnet DOTNET_RUNNING_IN_CONTAINER=true DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    NUGET_CERT_REVOCATION_MODE=offline SSL_CERT_FILE=/run/ipiqa-ci/ca-certificates.crt
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates libicu72 libssl3 libstdc++6 zlib1g \
    && rm -rf /var/lib/apt/lists/*
COPY dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
EOF
  podman build --quiet --format docker -t "$sdk" "$work/sdk" >/dev/null
fi

if ! has_image "$runtime"; then
  step "runtime stand-in $runtime (Debian 12 + the host's .NET and ASP.NET Core runtimes, user app 1654)"
  netcore=$(dotnet --list-runtimes | awk '$1 == "Microsoft.NETCore.App" { v = $2 } END { print v }')
  dotnet_context "$work/runtime" dotnet host "shared/Microsoft.NETCore.App/$netcore" "shared/Microsoft.AspNetCore.App/$runtime_version"
  # As in Microsoft's images: runtime dependencies, APP_UID, the app user, port 8080.
  cat >"$work/runtime/Containerfile" <<EOF
FROM $debian
ENV APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080 DOTNET_RUNNING_IN_CONTAINER=true
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates libc6 libgcc-s1 libicu72 libssl3 libstdc++6 tzdata zlib1g \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid=\$APP_UID app && useradd --no-log-init --uid=\$APP_UID --gid=\$APP_UID --create-home app
COPY dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
EOF
  podman build --quiet --format docker -t "$runtime" "$work/runtime" >/dev/null
fi

# ---- the two flavours ----
build() { # FLAVOUR GPU
  local image=localhost/ipiqa-worker:ci-$1 old
  old=$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
  step "build $image (GPU=$2)"
  # Docker format keeps HEALTHCHECK (OCI image configs have no field for it). Not --layers=false: podman
  # 4.3 then deletes a base that a stage uses with no instruction of its own (dotnet-runtime).
  if podman build --format docker --layers -t "$image" -f Dockerfile \
      --build-arg GPU="$2" --build-arg SDK_IMAGE="$sdk" --build-arg RUNTIME_IMAGE="$runtime" --build-arg CUDA_IMAGE="$debian" \
      -v /etc/ssl/certs/ca-certificates.crt:/run/ipiqa-ci/ca-certificates.crt:ro \
      . >"$work/build-$1.log" 2>&1; then
    pass "$1: image builds ($((SECONDS - started))s so far)"
    # The previous build of this tag, now untagged.
    if [ -n "$old" ] && [ "$old" != "$(podman image inspect --format '{{.Id}}' "$image")" ]; then podman rmi "$old" >/dev/null 2>&1 || true; fi
  else
    tail -n 40 "$work/build-$1.log"
    fail "$1: image builds (podman build, log above)"
    return 1
  fi
}

# Runs the image with the samples mounted, read-only root, tmpfs /tmp, no network; results go to OUT.
run_args() { # OUT
  # --health-interval disable: no systemd timer for the HEALTHCHECK (there is no systemd here).
  printf '%s\n' --network none --health-interval disable --read-only --tmpfs /tmp:rw,size=64m \
    -v "$root/samples:/app/samples:ro" -v "$1:/out" -e IpIqa__Local__ResultsPath=/out/results.jsonl
}

# The README's table of command 1 against a results.jsonl: same jobs, scores to 4 places, verdicts.
compare_with_readme() { # RESULTS
  python3 - "$root/README.md" "$1" <<'PY'
import json, sys
readme, results = sys.argv[1:]
expected = {}
for line in open(readme, encoding="utf-8"):
    cells = [c.strip() for c in line.strip().strip("│").split("│")]
    if len(cells) == 5 and cells[2].replace(".", "", 1).isdigit():
        expected[cells[0]] = (cells[2], cells[3], cells[4].split()[0])
got = {}
for line in open(results, encoding="utf-8"):
    r = json.loads(line)
    got[r["jobId"]] = (f'{r["scores"]["quality"]:.4f}', f'{r["scores"]["alignment"]:.4f}', r["verdict"]["outcome"])
same = [j for j in expected if got.get(j) == expected[j]]
for j in sorted(set(expected) | set(got)):
    if got.get(j) != expected.get(j):
        print(f"  {j}: README {expected.get(j)}, image {got.get(j)}")
print(f"{len(same)} of {len(expected)} as in the README")
sys.exit(0 if expected and len(same) == len(expected) == len(got) else 1)
PY
}

drain() { # FLAVOUR IMAGE [ENV...]: --drain over the samples; leaves $work/FLAVOUR-drain.{log,status} and out/
  local flavour=$1 image=$2 out; shift 2
  out="$work/$flavour-out"; mkdir -p "$out"; chmod 777 "$out"
  mapfile -t args < <(run_args "$out")
  local status=0
  podman run --rm --name "$prefix-$flavour-drain" "${args[@]}" "$@" "$image" --drain >"$work/$flavour-drain.log" 2>&1 || status=$?
  echo "$status" >"$work/$flavour-drain.status"
}

check_drain_scores() { # FLAVOUR WHAT
  local flavour=$1 out status summary
  out="$work/$flavour-out"; status=$(cat "$work/$flavour-drain.status")
  if [ "$status" -eq 0 ] && [ -f "$out/results.jsonl" ] && summary=$(compare_with_readme "$out/results.jsonl"); then
    pass "$flavour: --drain on a read-only root with tmpfs /tmp: $(tail -n 1 <<<"$summary")"
  else
    tail -n 30 "$work/$flavour-drain.log"; [ -z "${summary:-}" ] || echo "$summary"
    fail "$flavour: --drain on a read-only root with tmpfs /tmp scores the samples as in the README (exit $status)"
  fi
}

# /healthz/ready's status line, asked from inside the container (the image has bash, no curl).
ready_status() { # CONTAINER
  podman exec "$1" bash -c 'exec 3<>/dev/tcp/127.0.0.1/${IpIqa__Health__Port:-8080} && printf "GET /healthz/ready HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && head -n 1 <&3' 2>/dev/null | tr -d '\r' || true
}

check_cpu() {
  local image=localhost/ipiqa-worker:ci-cpu name="$prefix-cpu" uid healthcheck line i out
  step "checks: cpu"
  uid=$(podman run --rm --network none --no-healthcheck --entrypoint id "$image" -u 2>"$work/id.log" || cat "$work/id.log")
  if [ "$uid" = 1654 ]; then pass "cpu: runs as uid 1654"; else fail "cpu: runs as uid 1654 (got '$uid')"; fi

  drain cpu "$image"
  check_drain_scores cpu

  healthcheck=$(podman image inspect --format '{{json .Config.Healthcheck}}' "$image" 2>/dev/null || true)
  if grep -q '/healthz/ready' <<<"$healthcheck"; then pass "cpu: HEALTHCHECK in the image config"; else fail "cpu: HEALTHCHECK in the image config (got '$healthcheck')"; fi

  out="$work/cpu-detached"; mkdir -p "$out"; chmod 777 "$out"
  mapfile -t args < <(run_args "$out")
  podman run -d --name "$name" "${args[@]}" "$image" >/dev/null 2>"$work/cpu-detached.log"
  line=
  for i in $(seq 1 120); do
    line=$(ready_status "$name")
    case "$line" in *' 200 '*) break ;; esac
    [ "$(podman inspect --format '{{.State.Running}}' "$name")" = true ] || break
    sleep 1
  done
  if [[ "$line" == *' 200 '* ]]; then pass "cpu: detached, /healthz/ready answers '$line' after ${i}s"; else podman logs --tail 30 "$name"; fail "cpu: detached, /healthz/ready 200 (got '$line')"; fi
  if podman healthcheck run "$name" >>"$work/cpu-detached.log" 2>&1; then pass "cpu: the image's HEALTHCHECK command passes"; else fail "cpu: the image's HEALTHCHECK command passes"; fi

  # The grace period of the Kubernetes Deployment: DOTNET_shutdownTimeoutSeconds (90) + 30.
  local grace=120 t0 took code
  t0=$SECONDS
  podman stop -t "$grace" "$name" >/dev/null 2>>"$work/cpu-detached.log"
  took=$((SECONDS - t0))
  code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
  if [ "$code" = 0 ] && [ "$took" -lt "$grace" ]; then pass "cpu: podman stop (SIGTERM) exits 0 in ${took}s (grace ${grace}s)"; else podman logs --tail 30 "$name"; fail "cpu: podman stop exits 0 within ${grace}s (exit $code after ${took}s)"; fi
  podman rm -f "$name" >/dev/null 2>&1 || true
}

check_gpu() {
  local image=localhost/ipiqa-worker:ci-gpu status
  step "checks: gpu (on the Debian stand-in: no CUDA)"
  drain gpu "$image"
  if grep -q 'Execution provider Auto was asked for but the model runs on CPU' "$work/gpu-drain.log"; then
    pass "gpu: Auto logs that CUDA is unavailable and falls back to CPU: $(grep -o 'the model runs on CPU: .*' "$work/gpu-drain.log" | head -n 1 | cut -c 1-160)"
  else
    tail -n 30 "$work/gpu-drain.log"; fail "gpu: Auto logs that CUDA is unavailable and falls back to CPU"
  fi
  check_drain_scores gpu

  drain gpu-cuda "$image" -e IpIqa__Model__ExecutionProvider=Cuda
  status=$(cat "$work/gpu-cuda-drain.status")
  # Exit 2 (a configuration error: nothing scored) with the one-line reason, no stack trace.
  if [ "$status" -eq 2 ] && grep -q 'IpIqa:Model:ExecutionProvider is Cuda' "$work/gpu-cuda-drain.log" && ! grep -q '   at ' "$work/gpu-cuda-drain.log"; then
    pass "gpu: ExecutionProvider=Cuda stops at start (exit $status): $(grep -o 'IpIqa:Model:ExecutionProvider is Cuda.*' "$work/gpu-cuda-drain.log" | head -n 1 | cut -c 1-160)"
  else
    tail -n 30 "$work/gpu-cuda-drain.log"; fail "gpu: ExecutionProvider=Cuda stops at start with exit 2 and one message naming the key (exit $status)"
  fi
}

check_sizes() {
  local flavour size budget
  step "image sizes (budget: docs/deploy.md)"
  for flavour in cpu gpu; do
    podman image exists "localhost/ipiqa-worker:ci-$flavour" || continue
    size=$(( $(podman image inspect --format '{{.Size}}' "localhost/ipiqa-worker:ci-$flavour") / 1000000 ))
    budget=$(awk -F'|' -v key="\`$flavour\`" '$2 ~ key { gsub(/[^0-9]/, "", $4); print $4; exit }' docs/deploy.md)
    if [ -z "$budget" ]; then fail "$flavour: no size budget in docs/deploy.md"
    elif [ "$size" -le "$budget" ]; then pass "$flavour: image $size MB (budget $budget MB)"
    else fail "$flavour: image $size MB over its budget of $budget MB"; fi
  done
}

if build cpu false; then check_cpu; fi
if build gpu true; then check_gpu; fi
check_sizes

# The builds' intermediate images (1-2 GB a flavour, new with every source change): a CI machine drops
# them; elsewhere they stay as the layer cache of the next run.
if [ "${CI:-}" = true ]; then
  podman image prune -f >/dev/null
else
  echo "container smoke: 'podman image prune' frees the intermediate images of the builds"
fi

step "done"
if [ "$failures" -ne 0 ]; then echo "container smoke: $failures check(s) failed" >&2; exit 1; fi
echo "container smoke: all checks passed in $((SECONDS - started))s"
