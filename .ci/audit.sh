#!/usr/bin/env bash
# Fails when any package of the solution, direct or transitive, has a known vulnerability
# (`dotnet list package --vulnerable`, NuGet's vulnerability feed). A canary with a known
# advisory (Newtonsoft.Json 12.0.1, GHSA-5crp-9r3c-p9vr) first proves the feed answers: where it
# does not, the audit says it did not run, and fails only when IPIQA_AUDIT_REQUIRED=1.
set -euo pipefail
cd "$(dirname "$0")/.." || exit 1

canary=$(mktemp -d)
trap 'rm -rf "$canary"' EXIT
cat > "$canary/canary.csproj" <<'EOF'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><NuGetAudit>false</NuGetAudit></PropertyGroup>
  <ItemGroup><PackageReference Include="Newtonsoft.Json" Version="12.0.1" /></ItemGroup>
</Project>
EOF
if ! dotnet list "$canary/canary.csproj" package --vulnerable 2>&1 | grep -q 'GHSA-'; then
  echo "vulnerability audit NOT RUN: the package sources gave no vulnerability data (a known-vulnerable canary came back clean)." >&2
  if [ "${IPIQA_AUDIT_REQUIRED:-0}" = 1 ]; then exit 1; fi
  exit 0
fi

report=$(dotnet list IpIqa.Worker.sln package --vulnerable --include-transitive 2>&1)
echo "$report"
if grep -q 'GHSA-\|has the following vulnerable packages' <<<"$report"; then
  echo "vulnerable packages: update them in Directory.Packages.props" >&2
  exit 1
fi
echo "vulnerability audit: no vulnerable package"
