#!/usr/bin/env bash
# Runs the Bicep command line from the NuGet package Azure.Bicep.CommandLine.linux-x64 (pinned in
# BicepCli.csproj beside this script), restoring it into the NuGet cache first if needed.
# Usage: build/tools/bicep/bicep.sh ARGS...   e.g. build/tools/bicep/bicep.sh lint infra/main.bicep
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=$(sed -n 's/.*Azure.Bicep.CommandLine.linux-x64" Version="\[\([0-9.]*\)\]".*/\1/p' "$here/BicepCli.csproj")
[ -n "$version" ] || { echo "bicep.sh: no pinned Azure.Bicep.CommandLine.linux-x64 version in BicepCli.csproj" >&2; exit 2; }
packages=${NUGET_PACKAGES:-$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')}
bicep="${packages%/}/azure.bicep.commandline.linux-x64/$version/tools/bicep"
if [ ! -x "$bicep" ]; then
  dotnet restore "$here/BicepCli.csproj" -nologo -v quiet >&2
  chmod +x "$bicep" 2>/dev/null || true
fi
[ -x "$bicep" ] || { echo "bicep.sh: $bicep not found after restore" >&2; exit 1; }
exec "$bicep" "$@"
