'use strict';
// A receiver's drain request that crosses a transfer in flight: the receiver asks to drain the
// credit it last granted, but the broker has already spent that credit on a transfer. AMQP 1.0
// (2.6.7) still wants the sender's flow state in answer; the Service Bus SDK waits for that flow
// before a receiver can close. Usage: node checks/drain-after-transfer.js PORT QUEUE
// Prints "answered" and exits 0 when the broker sends a flow after the drain, exits 1 otherwise.

const rhea = require('rhea');

const [port, queue] = process.argv.slice(2);
if (!port || !queue) {
  console.error('usage: node checks/drain-after-transfer.js PORT QUEUE');
  process.exit(2);
}

const container = rhea.create_container({ id: 'drain-check' });
const connection = container.connect({ host: '127.0.0.1', port: Number(port), reconnect: false });
let stage = 'connecting';
const timer = setTimeout(() => finish(1, `no flow answered the drain in 10 s (stage: ${stage})`), 10000);

function finish(code, text) {
  clearTimeout(timer);
  console.log(text);
  connection.close();
  setTimeout(() => process.exit(code), 100);
}

connection.on('connection_error', (context) => finish(1, `connection error: ${context.connection.error && context.connection.error.description}`));
const sender = connection.open_sender({ target: { address: queue } });
sender.once('accepted', () => {
  const receiver = connection.open_receiver({ source: { address: queue }, credit_window: 0, autoaccept: false });
  let drainSent = false;
  receiver.on('receiver_open', () => receiver.add_credit(1));
  receiver.on('message', () => {
    // The drain as it would be written before this transfer arrived: credit 1 at delivery count 0.
    receiver.credit += 1;
    receiver.delivery_count -= 1;
    receiver.drain_credit();
    drainSent = true;
    stage = 'drain sent after a transfer';
  });
  receiver.on('receiver_flow', () => {
    if (drainSent) finish(0, 'answered');
  });
});
sender.on('sendable', () => {
  if (sender.sent) return;
  sender.sent = true;
  sender.send({ body: 'drain-check' });
});
