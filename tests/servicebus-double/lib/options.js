'use strict';
// Command-line options. Durations take a unit: "30s", "1500ms", "2m".

const USAGE = 'usage: node server.js [--host 127.0.0.1] [--port 0] [--lock-duration 30s] [--max-delivery-count 10]';

function parseDuration(text, name) {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(String(text).trim());
  if (!match) throw new Error(`${name}: '${text}' is not a duration such as 30s, 1500ms or 2m`);
  const value = Number(match[1]) * { ms: 1, s: 1000, m: 60000 }[match[2]];
  if (value < 1) throw new Error(`${name}: must be at least 1ms, got '${text}'`);
  return Math.round(value);
}

function parsePositiveInt(text, name, min) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name}: '${text}' is not an integer >= ${min}`);
  return value;
}

function parseOptions(argv) {
  const options = { host: '127.0.0.1', port: 0, lockDurationMs: 30000, maxDeliveryCount: 10 };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const value = argv[i + 1];
    if (name === '--help' || name === '-h') throw new Error(USAGE);
    if (value === undefined) throw new Error(`${name}: a value is missing\n${USAGE}`);
    switch (name) {
      case '--host': options.host = value; break;
      case '--port': options.port = parsePositiveInt(value, name, 0); break;
      case '--lock-duration': options.lockDurationMs = parseDuration(value, name); break;
      case '--max-delivery-count': options.maxDeliveryCount = parsePositiveInt(value, name, 1); break;
      default: throw new Error(`unknown option '${name}'\n${USAGE}`);
    }
    i++;
  }
  return options;
}

module.exports = { parseOptions, parseDuration };
