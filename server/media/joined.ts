// Media flows through in chunks at the stream's bitrate: a lone chunk is passed on as it is,
// only several are copied into one buffer.
export function joined(parts: readonly Buffer[], length?: number): Buffer {
  const [only, ...more] = parts;
  return only && more.length === 0 ? only : Buffer.concat(parts, length);
}
