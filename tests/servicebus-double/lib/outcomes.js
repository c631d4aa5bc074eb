'use strict';
// Applies the outcome a peek-lock receiver settled a delivery with.

const rhea = require('rhea');
const codec = require('./codec');

const DEAD_LETTER_CONDITION = 'com.microsoft:dead-letter';
const LOCK_LOST_CONDITION = 'com.microsoft:message-lock-lost';

function field(list, index) {
  const item = list && list[index];
  return item === undefined || item === null ? undefined : item;
}

function isTrue(typed) {
  return typed !== undefined && typed.value === true;
}

/** Typed map entries of a list field, empty when absent. */
function mapField(list, index) {
  const typed = field(list, index);
  return typed && Array.isArray(typed.value) ? codec.typedMapEntries(typed) : new Map();
}

function textOf(entries, name) {
  const entry = entries.get(name);
  return entry && entry.value && entry.value.value !== null ? String(entry.value.value) : undefined;
}

/**
 * @param {'accepted'|'rejected'|'modified'|'released'} outcome
 * @param {{raw: object}|undefined} state the outcome as rhea decoded it, with its typed form in raw
 * @param lock the lock the delivery holds
 */
function apply(outcome, state, lock) {
  const queue = lock.queue;
  const fields = state && state.raw ? state.raw.value : [];
  switch (outcome) {
    case 'accepted':
      queue.complete(lock);
      break;
    case 'released':
      queue.release(lock);
      break;
    case 'modified': {
      // [delivery-failed, undeliverable-here, message-annotations (the properties to modify)]
      const properties = mapField(fields, 2);
      if (isTrue(field(fields, 1))) queue.defer(lock, properties);
      else queue.abandon(lock, properties);
      break;
    }
    case 'rejected': {
      // [error: described list [condition, description, info]]
      const error = field(fields, 0);
      const parts = error && Array.isArray(error.value) ? error.value : [];
      const condition = field(parts, 0) ? String(parts[0].value) : undefined;
      const info = mapField(parts, 2);
      const reason = textOf(info, 'DeadLetterReason') ?? (condition === DEAD_LETTER_CONDITION ? undefined : condition);
      const description = textOf(info, 'DeadLetterErrorDescription') ?? (field(parts, 1) ? String(parts[1].value) : undefined);
      info.delete('DeadLetterReason');
      info.delete('DeadLetterErrorDescription');
      queue.deadLetter(lock, reason, description, info);
      break;
    }
    default:
      break;
  }
}

/**
 * The state of the broker's settled disposition. A `rejected` state there means the request
 * failed, so a successful dead-letter is confirmed as `accepted`; other outcomes are echoed.
 */
function confirmation(outcome, state) {
  if (outcome === 'rejected' || !state || !state.raw) return rhea.message.accepted().described();
  return state.raw;
}

/** The outcome that tells the SDK its lock is gone (MessageLockLost). */
function lockLost(lock) {
  return rhea.message.rejected({
    error: { condition: LOCK_LOST_CONDITION, description: `The lock on message ${lock.stored.sequenceNumber} in '${lock.queue.name}' has expired or was already released.` },
  }).described();
}

module.exports = { apply, confirmation, lockLost, DEAD_LETTER_CONDITION, LOCK_LOST_CONDITION };
