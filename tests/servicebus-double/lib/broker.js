'use strict';
// Routes AMQP links of a rhea container to queues, the $cbs node and $management nodes.

const rhea = require('rhea');
const codec = require('./codec');
const { Queue } = require('./queue');
const { Management } = require('./management');
const outcomes = require('./outcomes');

const DEAD_LETTER_SUFFIX = '/$deadletterqueue';
const MANAGEMENT_SUFFIX = '/$management';
const CBS_NODE = '$cbs';
const MAX_MESSAGE_SIZE = 256 * 1024;
/** Entities whose name starts with this do not exist: attaching to one fails as on a real namespace. */
const ABSENT_PREFIX = 'absent-';

/** "amqp://host:port/Jobs" or "Jobs" -> "jobs" (entity names are case-insensitive). */
function entityPath(address) {
  return String(address || '').replace(/^[a-z]+:\/\/[^/]+\//i, '').replace(/^\/+/, '').toLowerCase();
}

class Broker {
  constructor(options, log) {
    this.options = options;
    this.log = log;
    this.queues = new Map();
    this.management = new Management(this);
  }

  /** The queue for an entity path, created on demand (a DLQ path gives the parent's DLQ). */
  queue(path) {
    const name = entityPath(path);
    if (name.endsWith(DEAD_LETTER_SUFFIX)) {
      return this.queue(name.slice(0, -DEAD_LETTER_SUFFIX.length)).deadLetterQueue;
    }
    let queue = this.queues.get(name);
    if (!queue) {
      const deadLetterQueue = new Queue(name + DEAD_LETTER_SUFFIX, this.options, undefined);
      queue = new Queue(name, this.options, deadLetterQueue);
      this.queues.set(name, queue);
    }
    return queue;
  }

  attach(container) {
    container.sasl_server_mechanisms.enable_anonymous();
    container.sasl_server_mechanisms.MSSBCBS = () => ({
      outcome: undefined,
      start() { this.outcome = true; this.username = 'cbs'; },
    });
    container.on('connection_open', (context) => { context.connection.replyLinks = new Map(); });
    container.on('sender_open', (context) => this.onSenderOpen(context.sender));
    container.on('receiver_open', (context) => this.onReceiverOpen(context.receiver));
    container.on('message', (context) => this.onMessage(context));
    container.on('sendable', (context) => this.consumerQueue(context.sender)?.dispatch());
    container.on('sender_draining', (context) => this.consumerQueue(context.sender)?.dispatch());
    container.on('sender_close', (context) => this.forgetLink(context.sender));
    container.on('connection_close', (context) => this.forgetConnection(context.connection));
    container.on('disconnected', (context) => this.forgetConnection(context.connection));
    for (const outcome of ['accepted', 'rejected', 'modified', 'released']) {
      container.on(outcome, (context) => this.onOutcome(outcome, context.delivery));
    }
    container.on('error', (error) => this.log(`amqp error: ${error && error.message}`));
    container.on('connection_error', (context) => this.log(`connection error: ${describe(context.connection.error)}`));
    container.on('protocol_error', (error) => this.log(`protocol error: ${error}`));
  }

  /** The client attached a receiver: we send on this link (queue consumer or reply link). */
  onSenderOpen(sender) {
    const source = entityPath(sender.source && sender.source.address);
    const target = sender.target && sender.target.address;
    mirrorAttach(sender);
    if (source === CBS_NODE || source.endsWith(MANAGEMENT_SUFFIX)) {
      sender.connection.replyLinks.set(target, sender);
      sender.connection.replyLinks.set(sender.name, sender);
      sender.role = 'reply';
      return;
    }
    if (refuseAbsent(sender, source)) return;
    // snd-settle-mode 1 (settled) is ReceiveAndDelete; otherwise PeekLock.
    sender.consumerOf = this.queue(source);
    sender.consumerOf.addConsumer(sender, sender.remote.attach.snd_settle_mode === 1);
  }

  /** The client attached a sender: we receive on this link (queue, $cbs or $management). */
  onReceiverOpen(receiver) {
    const target = entityPath(receiver.target && receiver.target.address);
    mirrorAttach(receiver);
    if (target === CBS_NODE) {
      receiver.role = 'cbs';
    } else if (target.endsWith(MANAGEMENT_SUFFIX)) {
      receiver.role = 'management';
      receiver.entity = target.slice(0, -MANAGEMENT_SUFFIX.length);
    } else {
      if (refuseAbsent(receiver, target)) return;
      receiver.role = 'queue';
      receiver.entity = target;
    }
  }

  /** Every incoming message is accepted once handled, or rejected with the reason it could not be. */
  onMessage(context) {
    const receiver = context.receiver;
    try {
      switch (receiver.role) {
        case 'cbs': this.reply(receiver.connection, context.message, { 'status-code': rhea.types.wrap_int(202), 'status-description': 'Accepted' }); break;
        case 'management': this.management.handle(receiver.connection, receiver.entity, context.message); break;
        default: this.enqueue(receiver.entity, context); break;
      }
      context.delivery.accept();
    } catch (error) {
      const description = `cannot take the message sent to '${receiver.entity || receiver.role}': ${error.message}`;
      this.log(description);
      context.delivery.reject({ condition: 'amqp:decode-error', description });
    }
  }

  enqueue(entity, context) {
    const queue = this.queue(entity);
    const buffers = context.format === codec.BATCH_FORMAT
      ? codec.unpackBatch(context.message)
      : [context.format === undefined || context.format === 0 ? context.message._raw : context.message];
    for (const buffer of buffers) {
      queue.enqueue(codec.parseMessage(buffer));
    }
  }

  /** Answers a request on the link whose address is its reply-to. */
  reply(connection, request, applicationProperties, body) {
    const link = connection.replyLinks && connection.replyLinks.get(request.reply_to);
    if (!link) {
      this.log(`no reply link for reply-to '${request.reply_to}'`);
      return;
    }
    const response = { application_properties: applicationProperties, body: body === undefined ? null : body };
    if (request.message_id !== undefined) response.correlation_id = request.message_id;
    link.send(response);
  }

  consumerQueue(sender) {
    return sender && sender.consumerOf;
  }

  onOutcome(outcome, delivery) {
    const lock = delivery && delivery.lock;
    if (!lock) return;
    if (!lock.queue.isHeld(lock)) {
      settle(delivery, outcomes.lockLost(lock));
      return;
    }
    try {
      outcomes.apply(outcome, delivery.remote_state, lock);
      settle(delivery, outcomes.confirmation(outcome, delivery.remote_state));
    } catch (error) {
      this.log(`cannot apply '${outcome}' to message ${lock.stored.sequenceNumber} in '${lock.queue.name}': ${error.message}`);
      settle(delivery, rhea.message.rejected({ error: { condition: 'amqp:internal-error', description: error.message } }).described());
    }
  }

  forgetLink(sender) {
    if (sender.consumerOf) {
      sender.consumerOf.removeConsumer(sender);
      sender.consumerOf = undefined;
    }
  }

  forgetConnection(connection) {
    for (const queue of this.queues.values()) {
      for (const q of [queue, queue.deadLetterQueue]) {
        for (const consumer of [...q.consumers]) {
          if (consumer.link.connection === connection) this.forgetLink(consumer.link);
        }
      }
    }
  }
}

/**
 * Settles a delivery the client has disposed of, with the broker's answer. In rcv-settle-mode second
 * the client settles on receiving that answer without another frame, so the delivery is also marked
 * settled by the client: rhea frees a session's delivery slots (2,048) only once both sides have
 * settled, and would otherwise stop sending after that many deliveries.
 */
function settle(delivery, state) {
  delivery.update(true, state);
  delivery.remote_settled = true;
}

/** Answers an attach with the peer's terminus and settle modes, and a max-message-size. */
function mirrorAttach(link) {
  const remote = link.remote.attach;
  if (remote.source) link.set_source({ address: remote.source.address });
  if (remote.target) link.set_target({ address: remote.target.address });
  link.local.attach.snd_settle_mode = remote.snd_settle_mode;
  link.local.attach.rcv_settle_mode = remote.rcv_settle_mode;
  link.local.attach.max_message_size = MAX_MESSAGE_SIZE;
}

/** Detaches a link to an absent entity with amqp:not-found, which the SDK reports as MessagingEntityNotFound. */
function refuseAbsent(link, name) {
  if (!name.startsWith(ABSENT_PREFIX)) return false;
  link.role = 'absent';
  // As a real namespace does: answer the attach with no terminus on the broker's side (the link is
  // refused), then detach at once with the error.
  if (link.is_receiver()) link.local.attach.target = null; else link.local.attach.source = null;
  link.attach();
  link.close({ condition: 'amqp:not-found', description: `The messaging entity '${name}' could not be found.` });
  return true;
}

function describe(error) {
  return error ? `${error.condition}: ${error.description}` : 'unknown';
}

module.exports = { Broker, entityPath };
