'use strict';
// One queue (or dead-letter queue): stored messages, consumers, peek-locks and their expiry.

const crypto = require('crypto');
const { types } = require('rhea');
const codec = require('./codec');
const lockTokens = require('./lock-tokens');

const MAX_DELIVERY_COUNT_EXCEEDED = 'MaxDeliveryCountExceeded';

class Queue {
  /**
   * @param {string} name entity path, e.g. "jobs" or "jobs/$deadletterqueue"
   * @param {{lockDurationMs:number, maxDeliveryCount:number}} options
   * @param {Queue|undefined} deadLetterQueue where dead-lettered messages go (none for a DLQ)
   */
  constructor(name, options, deadLetterQueue) {
    this.name = name;
    this.options = options;
    this.deadLetterQueue = deadLetterQueue;
    this.messages = []; // ordered by sequence number
    this.nextSequenceNumber = 1;
    this.consumers = [];
    this.nextConsumer = 0;
    this.locks = new Map(); // lock token (hex, as on the wire) -> lock
  }

  enqueue(stored) {
    stored.sequenceNumber = this.nextSequenceNumber++;
    stored.enqueuedTime = Date.now();
    stored.deliveryCount = stored.deliveryCount || 0;
    stored.state = 'available';
    this.messages.push(stored);
    this.dispatch();
  }

  addConsumer(link, receiveAndDelete) {
    this.consumers.push({ link, receiveAndDelete });
    this.dispatch();
  }

  /** Forgets a detached consumer; its unsettled locks are released without counting a delivery. */
  removeConsumer(link) {
    this.consumers = this.consumers.filter((c) => c.link !== link);
    for (const lock of [...this.locks.values()]) {
      if (lock.link === link) {
        this.unlock(lock);
        lock.stored.state = 'available';
      }
    }
    this.dispatch();
  }

  /**
   * Sends available messages to consumers with credit, round robin; answers drain requests.
   * rhea takes a link's credit only when it writes a transfer, so a consumer gets at most its
   * credit less the deliveries still waiting to be written: a message is locked only when it can
   * go out at once. A link whose attach has not been written yet gets nothing (rhea writes
   * transfers before attaches within one pass), so dispatch runs again once the pending output
   * is flushed.
   */
  dispatch() {
    if (this.consumers.some((c) => c.link.state.local_open && !attachWritten(c.link))) this.dispatchSoon();
    for (;;) {
      const stored = this.messages.find((m) => m.state === 'available');
      if (!stored) break;
      const consumer = this.takeConsumerWithCredit();
      if (!consumer) break;
      this.deliver(consumer, stored);
    }
    for (const consumer of this.consumers) {
      const link = consumer.link;
      if (!attachWritten(link) || !link._draining) continue;
      if (link.credit <= 0) answerSpentDrain(link);
      // A drain answered now would take the credit that the unwritten deliveries still need.
      else if (unsentDeliveries(link) > 0) this.dispatchSoon();
      else link.set_drained(true);
    }
  }

  dispatchSoon() {
    if (this.dispatchScheduled) return;
    this.dispatchScheduled = true;
    setImmediate(() => {
      this.dispatchScheduled = false;
      this.dispatch();
    });
  }

  takeConsumerWithCredit() {
    for (let i = 0; i < this.consumers.length; i++) {
      const consumer = this.consumers[(this.nextConsumer + i) % this.consumers.length];
      if (attachWritten(consumer.link) && consumer.link.is_open() && unusedCredit(consumer.link) > 0) {
        this.nextConsumer = (this.nextConsumer + i + 1) % this.consumers.length;
        return consumer;
      }
    }
    return undefined;
  }

  deliver(consumer, stored) {
    const annotations = this.brokerAnnotations(stored);
    const tag = crypto.randomBytes(16);
    if (consumer.receiveAndDelete) {
      this.remove(stored);
      consumer.link.send(codec.encodeForDelivery(stored, annotations), tag, 0);
      return;
    }
    const lock = this.lock(stored, tag, consumer.link, annotations);
    const delivery = consumer.link.send(codec.encodeForDelivery(stored, annotations), tag, 0);
    delivery.lock = lock;
  }

  /**
   * Locks a message under a new token from now for the lock duration. A token is never reused, so
   * a token whose lock expired cannot settle or renew the message's next lock.
   */
  lock(stored, token, link, annotations) {
    stored.state = 'locked';
    stored.lockedUntil = Date.now() + this.options.lockDurationMs;
    annotations['x-opt-locked-until'] = types.wrap_timestamp(stored.lockedUntil);
    // A deferred message received by sequence number goes back to the deferred set, not the queue.
    const lock = { token, stored, link, queue: this, restingState: link ? 'available' : 'deferred' };
    stored.lock = lock;
    this.locks.set(token.toString('hex'), lock);
    this.armTimer(lock);
    return lock;
  }

  /**
   * Receive-by-sequence-number of deferred messages (the $management operation): each is locked
   * under a new token (peek-lock) or removed (receive-and-delete). Throws naming the first number
   * that is not a deferred message of this queue.
   * @returns {{message: Buffer, token: Buffer|undefined}[]}
   */
  receiveDeferred(sequenceNumbers, receiveAndDelete) {
    const found = sequenceNumbers.map((n) => {
      const stored = this.messages.find((m) => m.sequenceNumber === n && m.state === 'deferred');
      if (!stored) throw new RangeError(`No deferred message with sequence number ${n} in '${this.name}'.`);
      return stored;
    });
    return found.map((stored) => {
      const annotations = this.brokerAnnotations(stored);
      if (receiveAndDelete) {
        this.remove(stored);
        return { message: codec.encodeForDelivery(stored, annotations), token: undefined };
      }
      const token = crypto.randomBytes(16);
      this.lock(stored, token, undefined, annotations);
      return { message: codec.encodeForDelivery(stored, annotations), token };
    });
  }

  brokerAnnotations(stored) {
    return {
      'x-opt-sequence-number': types.Long(stored.sequenceNumber),
      'x-opt-enqueued-time': types.wrap_timestamp(stored.enqueuedTime),
    };
  }

  armTimer(lock) {
    clearTimeout(lock.timer);
    lock.timer = setTimeout(() => this.expire(lock), Math.max(0, lock.stored.lockedUntil - Date.now()));
    lock.timer.unref();
  }

  /** The lock for a token as the SDK sends it (either GUID byte order), if it is still held. */
  findLock(token) {
    for (const candidate of lockTokens.candidates(token)) {
      const lock = this.locks.get(candidate);
      if (lock) return lock;
    }
    return undefined;
  }

  isHeld(lock) {
    return lock !== undefined && this.locks.get(lock.token.toString('hex')) === lock && lock.stored.lock === lock
      && lock.stored.lockedUntil > Date.now();
  }

  unlock(lock) {
    clearTimeout(lock.timer);
    this.locks.delete(lock.token.toString('hex'));
    lock.stored.lock = undefined;
    lock.stored.lockedUntil = undefined;
  }

  renew(lock) {
    lock.stored.lockedUntil = Date.now() + this.options.lockDurationMs;
    this.armTimer(lock);
    return lock.stored.lockedUntil;
  }

  complete(lock) {
    this.unlock(lock);
    this.remove(lock.stored);
    this.dispatch();
  }

  /** Abandon: merge properties, count the delivery, make it available again (or dead-letter it). */
  abandon(lock, propertiesToModify) {
    this.unlock(lock);
    codec.mergeApplicationProperties(lock.stored, propertiesToModify);
    this.countFailedDelivery(lock.stored, 'Message was abandoned too many times.', lock.restingState);
  }

  /** Released without an outcome: the delivery does not count. */
  release(lock) {
    this.unlock(lock);
    lock.stored.state = lock.restingState;
    this.dispatch();
  }

  defer(lock, propertiesToModify) {
    this.unlock(lock);
    codec.mergeApplicationProperties(lock.stored, propertiesToModify);
    lock.stored.state = 'deferred';
    this.dispatch();
  }

  deadLetter(lock, reason, description, propertiesToModify) {
    this.unlock(lock);
    codec.mergeApplicationProperties(lock.stored, propertiesToModify);
    this.moveToDeadLetterQueue(lock.stored, reason, description);
    this.dispatch();
  }

  expire(lock) {
    if (this.locks.get(lock.token.toString('hex')) !== lock) return;
    this.unlock(lock);
    this.countFailedDelivery(lock.stored, 'Message lock expired too many times.', lock.restingState);
  }

  countFailedDelivery(stored, description, restingState) {
    stored.deliveryCount += 1;
    if (this.deadLetterQueue && stored.deliveryCount >= this.options.maxDeliveryCount) {
      this.moveToDeadLetterQueue(stored, MAX_DELIVERY_COUNT_EXCEEDED, description);
    } else {
      stored.state = restingState;
    }
    this.dispatch();
  }

  moveToDeadLetterQueue(stored, reason, description) {
    this.remove(stored);
    const target = this.deadLetterQueue;
    if (!target) {
      // A message in a dead-letter queue that is dead-lettered again stays where it is.
      stored.state = 'available';
      this.messages.push(stored);
      return;
    }
    codec.mergeApplicationProperties(stored, { DeadLetterReason: reason, DeadLetterErrorDescription: description });
    target.enqueue(stored);
  }

  remove(stored) {
    const index = this.messages.indexOf(stored);
    if (index >= 0) this.messages.splice(index, 1);
  }

  /** Messages from a sequence number on, encoded as the peek operation returns them. */
  peek(fromSequenceNumber, count) {
    return this.messages
      .filter((m) => m.sequenceNumber >= fromSequenceNumber)
      .sort((a, b) => a.sequenceNumber - b.sequenceNumber)
      .slice(0, count)
      .map((m) => {
        const annotations = this.brokerAnnotations(m);
        if (m.state === 'locked') annotations['x-opt-locked-until'] = types.wrap_timestamp(m.lockedUntil);
        return codec.encodeForDelivery(m, annotations);
      });
  }
}

/** True once rhea has written the link's attach frame (it counts pending open requests). */
/**
 * A drain whose credit a transfer already spent (the request crossed the transfer): AMQP 1.0
 * (2.6.7) still wants the sender's flow state in answer, and the SDK's receiver waits for that
 * flow before it closes. rhea writes no flow for a drain without credit, so one is issued here,
 * once per request (rhea sets the flag again on the receiver's next flow).
 */
function answerSpentDrain(link) {
  link._draining = false;
  link.issue_flow = true;
  link.connection._register();
}

function attachWritten(link) {
  return link.state.local_open && link.state.open_requests === 0;
}

/** Credit not yet spoken for: rhea's credit less the deliveries queued on the link but not written. */
function unusedCredit(link) {
  if (!link.sendable()) return 0;
  return link.credit - unsentDeliveries(link);
}

/** Deliveries rhea holds for the link that it has not written yet (it writes them in order, as credit allows). */
function unsentDeliveries(link) {
  const outgoing = link.session.outgoing;
  let count = 0;
  for (let id = outgoing.next_pending_delivery; id < outgoing.next_delivery_id; id++) {
    const delivery = outgoing.deliveries.by_id(id);
    if (delivery && delivery.link === link) count++;
  }
  return count;
}

module.exports = { Queue, MAX_DELIVERY_COUNT_EXCEEDED };
