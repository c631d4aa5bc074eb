'use strict';
// The ENTITY/$management request/response node: renew-lock, peek, receive-by-sequence-number,
// update-disposition.

const { types } = require('rhea');

const STATUS = Object.freeze({ ok: 200, noContent: 204, badRequest: 400, notFound: 404, gone: 410, notImplemented: 501 });
const TIMESTAMP_TYPECODE = 0x83;

class ManagementError extends Error {
  constructor(status, condition, description) {
    super(description);
    this.status = status;
    this.condition = condition;
  }
}

class Management {
  constructor(broker) {
    this.broker = broker;
  }

  handle(connection, entity, request) {
    const operation = request.application_properties && request.application_properties.operation;
    const body = request.body && typeof request.body === 'object' ? request.body : {};
    let status = STATUS.ok;
    let responseBody = {};
    let error;
    try {
      const queue = this.broker.queue(entity);
      switch (operation) {
        case 'com.microsoft:renew-lock':
          responseBody = { expirations: types.wrap_array(this.renewLocks(queue, body), TIMESTAMP_TYPECODE) };
          break;
        case 'com.microsoft:peek-message': {
          const messages = queue.peek(Number(body['from-sequence-number'] ?? 0), Number(body['message-count'] ?? 1));
          if (messages.length === 0) status = STATUS.noContent;
          else responseBody = { messages: messages.map((m) => ({ message: m })) };
          break;
        }
        case 'com.microsoft:receive-by-sequence-number':
          responseBody = { messages: this.receiveBySequenceNumber(queue, body) };
          break;
        case 'com.microsoft:update-disposition':
          this.updateDisposition(queue, body);
          break;
        default:
          throw new ManagementError(STATUS.notImplemented, 'amqp:not-implemented',
            `The Service Bus test double does not implement the management operation '${operation}'.`);
      }
    } catch (e) {
      error = e instanceof ManagementError ? e : new ManagementError(STATUS.badRequest, 'amqp:internal-error', String(e && e.message));
      this.broker.log(`management ${operation} on '${entity}' failed: ${error.message}`);
    }
    const properties = error
      ? { statusCode: types.wrap_int(error.status), statusDescription: error.message, errorCondition: types.wrap_symbol(error.condition) }
      : { statusCode: types.wrap_int(status), statusDescription: status === STATUS.ok ? 'OK' : 'No Content' };
    this.broker.reply(connection, request, properties, error ? null : responseBody);
  }

  locksFor(queue, body) {
    const tokens = body['lock-tokens'];
    if (!Array.isArray(tokens) || tokens.length === 0) {
      throw new ManagementError(STATUS.badRequest, 'amqp:invalid-field', "The request has no 'lock-tokens' array.");
    }
    return tokens.map((token) => {
      const lock = queue.findLock(token);
      if (!lock || !queue.isHeld(lock)) {
        throw new ManagementError(STATUS.gone, 'com.microsoft:message-lock-lost',
          `The lock supplied is invalid: it expired, or the message was already settled (entity '${queue.name}').`);
      }
      return lock;
    });
  }

  /** Deferred messages by sequence number; receiver-settle-mode 0 is receive-and-delete, 1 peek-lock. */
  receiveBySequenceNumber(queue, body) {
    const numbers = body['sequence-numbers'];
    if (!Array.isArray(numbers) || numbers.length === 0) {
      throw new ManagementError(STATUS.badRequest, 'amqp:invalid-field', "The request has no 'sequence-numbers' array.");
    }
    const receiveAndDelete = Number(body['receiver-settle-mode'] ?? 1) === 0;
    let received;
    try {
      received = queue.receiveDeferred(numbers.map(Number), receiveAndDelete);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      throw new ManagementError(STATUS.notFound, 'com.microsoft:message-not-found', e.message);
    }
    return received.map(({ message, token }) => (token ? { message, 'lock-token': types.wrap_uuid(token) } : { message }));
  }

  renewLocks(queue, body) {
    return this.locksFor(queue, body).map((lock) => queue.renew(lock));
  }

  updateDisposition(queue, body) {
    const status = body['disposition-status'];
    const properties = body['properties-to-modify'] || {};
    for (const lock of this.locksFor(queue, body)) {
      switch (status) {
        case 'completed': queue.complete(lock); break;
        case 'abandoned': queue.abandon(lock, properties); break;
        case 'defered': queue.defer(lock, properties); break;
        case 'suspended': queue.deadLetter(lock, body['deadletter-reason'], body['deadletter-description'], properties); break;
        default:
          throw new ManagementError(STATUS.badRequest, 'amqp:invalid-field', `Unknown disposition-status '${status}'.`);
      }
    }
  }
}

module.exports = { Management };
