// AMF0, the value encoding of RTMP commands (connect, createStream, publish, onStatus) and of
// stream metadata. Decodes the types encoders send; encodes the few the server answers with.

export type AmfValue = number | boolean | string | null | undefined | Date | AmfValue[] | AmfObject;
export interface AmfObject {
  [key: string]: AmfValue;
}

const NUMBER = 0x00;
const BOOLEAN = 0x01;
const STRING = 0x02;
const OBJECT = 0x03;
const NULL = 0x05;
const UNDEFINED = 0x06;
const ECMA_ARRAY = 0x08;
const OBJECT_END = 0x09;
const STRICT_ARRAY = 0x0a;
const DATE = 0x0b;
const LONG_STRING = 0x0c;

export class AmfError extends Error {
  override name = 'AmfError';
}

/** Reads one value at `offset`; returns it and the offset just past it. */
export function decodeValue(buf: Buffer, offset: number, depth = 0): { value: AmfValue; next: number } {
  if (depth > 32) throw new AmfError('AMF0 nesting too deep');
  const need = (n: number) => {
    if (offset + n > buf.length) throw new AmfError(`AMF0 value truncated [offset:${offset}]`);
  };
  need(1);
  const marker = buf.readUInt8(offset);
  let at = offset + 1;
  switch (marker) {
    case NUMBER:
      need(9);
      return { value: buf.readDoubleBE(at), next: at + 8 };
    case BOOLEAN:
      need(2);
      return { value: buf[at] !== 0, next: at + 1 };
    case STRING: {
      const { text, next } = readString(buf, at, 2);
      return { value: text, next };
    }
    case LONG_STRING: {
      const { text, next } = readString(buf, at, 4);
      return { value: text, next };
    }
    case NULL:
      return { value: null, next: at };
    case UNDEFINED:
      return { value: undefined, next: at };
    case ECMA_ARRAY:
      need(5);
      // The count is advisory; the pairs end with an object-end marker, as in an object.
      return readObject(buf, at + 4, depth);
    case OBJECT:
      return readObject(buf, at, depth);
    case STRICT_ARRAY: {
      need(5);
      const count = buf.readUInt32BE(at);
      at += 4;
      if (count > buf.length - at) throw new AmfError(`AMF0 array too long [count:${count}]`);
      const items: AmfValue[] = [];
      for (let i = 0; i < count; i++) {
        const item = decodeValue(buf, at, depth + 1);
        items.push(item.value);
        at = item.next;
      }
      return { value: items, next: at };
    }
    case DATE:
      need(11);
      return { value: new Date(buf.readDoubleBE(at)), next: at + 10 };
    default:
      throw new AmfError(`unsupported AMF0 type [marker:${marker}, offset:${offset}]`);
  }
}

function readObject(buf: Buffer, start: number, depth: number): { value: AmfObject; next: number } {
  const object: AmfObject = {};
  let at = start;
  for (;;) {
    const key = readString(buf, at, 2);
    if (key.next >= buf.length) throw new AmfError(`AMF0 object truncated [offset:${at}]`);
    if (key.text === '' && buf[key.next] === OBJECT_END) return { value: object, next: key.next + 1 };
    const item = decodeValue(buf, key.next, depth + 1);
    object[key.text] = item.value;
    at = item.next;
  }
}

function readString(buf: Buffer, at: number, lengthBytes: 2 | 4): { text: string; next: number } {
  if (at + lengthBytes > buf.length) throw new AmfError(`AMF0 string truncated [offset:${at}]`);
  const length = lengthBytes === 2 ? buf.readUInt16BE(at) : buf.readUInt32BE(at);
  const start = at + lengthBytes;
  if (start + length > buf.length) throw new AmfError(`AMF0 string truncated [offset:${at}]`);
  return { text: buf.toString('utf8', start, start + length), next: start + length };
}

/** Decodes every value of a command message body. */
export function decodeAll(buf: Buffer): AmfValue[] {
  const values: AmfValue[] = [];
  let at = 0;
  while (at < buf.length) {
    const { value, next } = decodeValue(buf, at);
    values.push(value);
    at = next;
  }
  return values;
}

function encodeString(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > 0xffff) {
    const head = Buffer.alloc(5);
    head[0] = LONG_STRING;
    head.writeUInt32BE(bytes.length, 1);
    return Buffer.concat([head, bytes]);
  }
  const head = Buffer.alloc(3);
  head[0] = STRING;
  head.writeUInt16BE(bytes.length, 1);
  return Buffer.concat([head, bytes]);
}

function encodeKey(key: string): Buffer {
  const bytes = Buffer.from(key, 'utf8');
  const head = Buffer.alloc(2);
  head.writeUInt16BE(bytes.length, 0);
  return Buffer.concat([head, bytes]);
}

export function encodeValue(value: AmfValue): Buffer {
  if (value === null) return Buffer.from([NULL]);
  if (value === undefined) return Buffer.from([UNDEFINED]);
  if (typeof value === 'number') {
    const out = Buffer.alloc(9);
    out[0] = NUMBER;
    out.writeDoubleBE(value, 1);
    return out;
  }
  if (typeof value === 'boolean') return Buffer.from([BOOLEAN, value ? 1 : 0]);
  if (typeof value === 'string') return encodeString(value);
  if (value instanceof Date) {
    const out = Buffer.alloc(11);
    out[0] = DATE;
    out.writeDoubleBE(value.getTime(), 1);
    return out;
  }
  if (Array.isArray(value)) {
    const head = Buffer.alloc(5);
    head[0] = STRICT_ARRAY;
    head.writeUInt32BE(value.length, 1);
    return Buffer.concat([head, ...value.map(encodeValue)]);
  }
  const parts: Buffer[] = [Buffer.from([OBJECT])];
  for (const [key, item] of Object.entries(value)) parts.push(encodeKey(key), encodeValue(item));
  parts.push(Buffer.from([0, 0, OBJECT_END]));
  return Buffer.concat(parts);
}

export function encodeAll(values: AmfValue[]): Buffer {
  return Buffer.concat(values.map(encodeValue));
}
