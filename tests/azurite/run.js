#!/usr/bin/env node
'use strict';
// Starts the pinned Azurite (Blob, Queue, Table) in memory on 127.0.0.1 with ephemeral ports,
// prints one JSON line {"event":"listening","blobPort":..,"queuePort":..,"tablePort":..} once all
// three services listen, and stops Azurite when its standard input closes or on SIGTERM / SIGINT.

const path = require('path');
const { spawn } = require('child_process');
const readline = require('readline');

const host = '127.0.0.1';
const azurite = path.join(__dirname, 'node_modules', 'azurite', 'dist', 'src', 'azurite.js');
const args = [
  azurite,
  '--inMemoryPersistence', '--skipApiVersionCheck', '--loose', '--disableProductStyleUrl',
  '--blobHost', host, '--blobPort', '0',
  '--queueHost', host, '--queuePort', '0',
  '--tableHost', host, '--tablePort', '0',
  ...process.argv.slice(2),
];

const child = spawn(process.execPath, args, { cwd: __dirname, stdio: ['ignore', 'pipe', 'pipe'] });
const ports = {};
const pattern = /Azurite (Blob|Queue|Table) service is successfully listening at https?:\/\/[^:]+:(\d+)/;

readline.createInterface({ input: child.stdout }).on('line', (line) => {
  process.stderr.write(`[azurite] ${line}\n`);
  const match = pattern.exec(line);
  if (!match) return;
  ports[`${match[1].toLowerCase()}Port`] = Number(match[2]);
  if (ports.blobPort && ports.queuePort && ports.tablePort) {
    process.stdout.write(JSON.stringify({ event: 'listening', host, ...ports }) + '\n');
  }
});
child.stderr.on('data', (chunk) => process.stderr.write(chunk));
let stopping = false;
child.on('exit', (code, signal) => {
  process.stderr.write(`[azurite] exited (code ${code}, signal ${signal})\n`);
  process.exit(stopping ? 0 : code ?? 1);
});

// Data lives in memory only, so a short grace period is enough.
function shutdown() {
  if (stopping) return;
  stopping = true;
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), 1500).unref();
}

process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.stdin.on('end', shutdown);
process.stdin.on('error', shutdown);
process.stdin.resume();
