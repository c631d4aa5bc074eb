'use strict';
// Section-level AMQP message handling. Messages are kept as their encoded sections so that
// everything the sender wrote (typed application properties, properties, body) goes back out
// byte for byte; only the header and the message annotations are rebuilt by the broker.

const types = require('rhea').types;

const SECTION = Object.freeze({
  header: 0x70,
  deliveryAnnotations: 0x71,
  messageAnnotations: 0x72,
  properties: 0x73,
  applicationProperties: 0x74,
  data: 0x75,
  sequence: 0x76,
  value: 0x77,
  footer: 0x78,
});

const SYMBOLIC_DESCRIPTORS = {
  'amqp:header:list': SECTION.header,
  'amqp:delivery-annotations:map': SECTION.deliveryAnnotations,
  'amqp:message-annotations:map': SECTION.messageAnnotations,
  'amqp:properties:list': SECTION.properties,
  'amqp:application-properties:map': SECTION.applicationProperties,
  'amqp:data:binary': SECTION.data,
  'amqp:amqp-sequence:list': SECTION.sequence,
  'amqp:value:*': SECTION.value,
  'amqp:footer:map': SECTION.footer,
};

/** Batch envelope format used by the Service Bus SDKs. */
const BATCH_FORMAT = 0x80013700;

function sectionCode(typed) {
  if (!typed.descriptor) {
    throw new Error('message section without a descriptor');
  }
  const value = typed.descriptor.value;
  if (typeof value === 'string') {
    const code = SYMBOLIC_DESCRIPTORS[value];
    if (code === undefined) throw new Error(`unknown message section descriptor '${value}'`);
    return code;
  }
  return Number(value);
}

/** Splits an encoded message into its sections: [{code, typed, raw}]. */
function readSections(buffer) {
  const reader = new types.Reader(buffer);
  const sections = [];
  while (reader.remaining()) {
    const start = reader.position;
    const typed = reader.read();
    sections.push({ code: sectionCode(typed), typed, raw: buffer.subarray(start, reader.position) });
  }
  return sections;
}

/** Typed map entries [k0, v0, k1, v1, ...] -> Map keyed by the JS key value. */
function typedMapEntries(typed) {
  const entries = new Map();
  const items = typed ? typed.value : [];
  for (let i = 0; i + 1 < items.length; i += 2) {
    entries.set(String(items[i].value), { key: items[i], value: items[i + 1] });
  }
  return entries;
}

function encodeTypedMap(code, entries) {
  const items = [];
  for (const entry of entries.values()) {
    items.push(entry.key, entry.value);
  }
  return encode(types.described(types.wrap_ulong(code), types.Map32(items)));
}

function encode(typed) {
  const writer = new types.Writer();
  writer.write(typed);
  return writer.toBuffer();
}

/**
 * Parses one encoded message as sent by a client into the stored form.
 * Returns { header, annotations, properties, applicationProperties, rest } where header is the
 * typed list (or undefined), annotations/applicationProperties are Maps of typed entries and
 * properties/rest are raw encoded bytes.
 */
function parseMessage(buffer) {
  const stored = { header: undefined, annotations: new Map(), properties: undefined, applicationProperties: new Map(), body: [], footer: undefined };
  for (const section of readSections(buffer)) {
    switch (section.code) {
      case SECTION.header: stored.header = section.typed.value; break;
      case SECTION.deliveryAnnotations: break;
      case SECTION.messageAnnotations: stored.annotations = typedMapEntries(section.typed); break;
      case SECTION.properties: stored.properties = section.raw; stored.propertyValues = section.typed.value; break;
      case SECTION.applicationProperties: stored.applicationProperties = typedMapEntries(section.typed); break;
      case SECTION.footer: stored.footer = section.raw; break;
      default: stored.body.push(section.raw); break;
    }
  }
  return stored;
}

/** Unpacks a batch envelope (format 0x80013700) into the encoded messages it carries. */
function unpackBatch(buffer) {
  return readSections(buffer)
    .filter((s) => s.code === SECTION.data)
    .map((s) => Buffer.from(s.typed.value));
}

function headerField(header, index, fallback) {
  const item = header && header[index];
  return item && item.value !== null && item.value !== undefined ? item : fallback;
}

/** Encodes a stored message for delivery, with the broker's header and annotations. */
function encodeForDelivery(stored, brokerAnnotations) {
  const header = types.described(types.wrap_ulong(SECTION.header), types.List32([
    headerField(stored.header, 0, types.False()),
    headerField(stored.header, 1, types.Ubyte(4)),
    headerField(stored.header, 2, types.Null()),
    headerField(stored.header, 3, types.False()),
    // Written explicitly, even when 0: the SDK reads it unconditionally.
    types.Uint(stored.deliveryCount),
  ]));
  const annotations = new Map(stored.annotations);
  for (const [name, value] of Object.entries(brokerAnnotations)) {
    annotations.set(name, { key: types.wrap_symbol(name), value });
  }
  const parts = [encode(header), encodeTypedMap(SECTION.messageAnnotations, annotations)];
  if (stored.properties) parts.push(stored.properties);
  if (stored.applicationProperties.size > 0) {
    parts.push(encodeTypedMap(SECTION.applicationProperties, stored.applicationProperties));
  }
  parts.push(...stored.body);
  if (stored.footer) parts.push(stored.footer);
  return Buffer.concat(parts);
}

/**
 * Merges values into a stored message's application properties: either a Map of typed entries
 * (as read off the wire, types kept) or a plain object of JS values.
 */
function mergeApplicationProperties(stored, values) {
  if (values instanceof Map) {
    for (const [name, entry] of values) {
      stored.applicationProperties.set(name, { key: types.wrap_string(name), value: entry.value });
    }
    return;
  }
  for (const [name, value] of Object.entries(values || {})) {
    if (value === undefined) continue;
    stored.applicationProperties.set(name, { key: types.wrap_string(name), value: toTyped(value) });
  }
}

function toTyped(value) {
  return value instanceof Object && typeof value.toRheaTyped === 'function' ? value.toRheaTyped() : types.wrap(value);
}

module.exports = { BATCH_FORMAT, SECTION, typedMapEntries, parseMessage, unpackBatch, encodeForDelivery, mergeApplicationProperties, encode };
