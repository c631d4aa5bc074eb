'use strict';
// rhea decodes incoming messages and outcomes into plain JS values, which loses the AMQP
// types the broker must send back unchanged. These wrappers keep the encoded or typed form
// next to the decoded one (non-enumerable, so nothing else sees it).

const rhea = require('rhea');

let applied = false;

function apply() {
  if (applied) return;
  applied = true;
  const message = rhea.message;
  const decode = message.decode;
  message.decode = function (buffer) {
    const decoded = decode(buffer);
    Object.defineProperty(decoded, '_raw', { value: Buffer.from(buffer), enumerable: false });
    return decoded;
  };
  const unwrapOutcome = message.unwrap_outcome;
  message.unwrap_outcome = function (outcome) {
    const unwrapped = unwrapOutcome(outcome);
    if (unwrapped && typeof unwrapped === 'object') {
      Object.defineProperty(unwrapped, 'raw', { value: outcome, enumerable: false });
    }
    return unwrapped;
  };
}

module.exports = { apply };
