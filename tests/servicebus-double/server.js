#!/usr/bin/env node
'use strict';
// Loopback AMQP 1.0 stand-in for the Azure Service Bus subset the tests use.
// Prints one JSON line {"event":"listening","host":...,"port":...} once it accepts connections,
// and exits when its standard input closes or on SIGTERM / SIGINT.

require('./lib/rhea-patches').apply();
const rhea = require('rhea');
const { Broker } = require('./lib/broker');
const { parseOptions } = require('./lib/options');

function log(text) {
  process.stderr.write(`[servicebus-double] ${text}\n`);
}

let options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  log(error.message);
  process.exit(2);
}

const container = rhea.create_container({
  id: 'servicebus-double',
  treat_modified_as_released: false,
  autoaccept: false, // the broker settles each incoming message itself
});
const broker = new Broker(options, log);
broker.attach(container);

const server = container.listen({ host: options.host, port: options.port });
server.on('error', (error) => {
  log(`cannot listen on ${options.host}:${options.port}: ${error.message}`);
  process.exit(1);
});
server.on('listening', () => {
  const address = server.address();
  process.stdout.write(JSON.stringify({
    event: 'listening', host: address.address, port: address.port,
    lockDurationMs: options.lockDurationMs, maxDeliveryCount: options.maxDeliveryCount,
  }) + '\n');
});

function shutdown(why) {
  log(`stopping (${why})`);
  server.close();
  process.exit(0);
}

// A fault in one handler must not take the double down under the other tests: log it and go on.
process.on('uncaughtException', (error) => log(`unexpected error: ${error.stack || error}`));
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
process.stdin.on('end', () => shutdown('stdin closed'));
process.stdin.on('error', () => shutdown('stdin error'));
process.stdin.resume();
