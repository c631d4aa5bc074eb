'use strict';
// A lock token is the 16-byte delivery tag, which the .NET SDK reads as a GUID (mixed-endian
// layout). When the SDK sends it back as an AMQP uuid it is in RFC 4122 (big-endian) order.
// Both spellings are accepted.

/** RFC 4122 byte order <-> .NET Guid.ToByteArray() order (the swap is its own inverse). */
function swapGuidByteOrder(bytes) {
  const b = Buffer.from(bytes);
  return Buffer.concat([
    Buffer.from([b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6]]),
    b.subarray(8),
  ]);
}

/** The hex keys under which a token sent by a client may be stored. */
function candidates(token) {
  const bytes = Buffer.from(token);
  if (bytes.length !== 16) return [];
  return [bytes.toString('hex'), swapGuidByteOrder(bytes).toString('hex')];
}

module.exports = { swapGuidByteOrder, candidates };
