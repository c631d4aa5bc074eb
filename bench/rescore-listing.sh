#!/usr/bin/env bash
# Listing throughput of the rescore sources on Azurite (#19): starts the pinned Azurite (in memory,
# loopback), seeds BLOBS blobs in PREFIXES prefixes and lists them with the single and the parallel
# lister, alternating. Usage: bench/rescore-listing.sh [BLOBS] [PREFIXES] [ROUNDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
node "$root/tests/azurite/node_modules/azurite/dist/src/blob/main.js" --inMemoryPersistence --skipApiVersionCheck --loose \
  --blobHost 127.0.0.1 --blobPort "$port" >/dev/null 2>&1 &
azurite=$!
trap 'kill $azurite' EXIT
for _ in $(seq 50); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
connection="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$port/devstoreaccount1;"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'); load: $(uptime | sed 's/.*load average: //')"
dotnet run -c Release "$root/bench/rescore-listing.cs" -- "$connection" "$@"
echo "load after: $(uptime | sed 's/.*load average: //')"
