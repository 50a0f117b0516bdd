// Reading a relay ffmpeg's stderr: the progress line (bytes sent so far) and the known failures
// of a push to a platform, each mapped to a problem code whose advice is in the message
// catalogue; and scrubbing, because ffmpeg prints the target URL — stream key included.
import type { DestinationProblemCode } from '../../../protocol/restream.ts';

export type RelaySignal = { kind: 'progress'; bytes: number } | { kind: 'problem'; code: DestinationProblemCode };

const PROGRESS = /\bsize=\s*(\d+)kB\b/;

/** First match wins: a refused connection also prints "Cannot open connection tls://…". */
const PROBLEMS: [RegExp, DestinationProblemCode][] = [
  [/Server error|NetStream\.Publish\.(?:BadName|Rejected|Denied)|[Uu]nauthori[sz]ed|[Aa]uthentication failed/, 'wrong-key'],
  [/Failed to resolve hostname|Name or service not known|Temporary failure in name resolution|No address associated/, 'dns'],
  [/Connection refused/, 'refused'],
  [/[Tt]imed out/, 'timeout'],
  [/Broken pipe|Connection reset by peer|non-properly terminated|Error in the (?:push|pull) function/, 'dropped'],
  [/[Cc]ertificate|\bTLS\b|handshake/, 'tls'],
];

export function classifyRelayLine(line: string): RelaySignal | null {
  const progress = PROGRESS.exec(line);
  if (progress) return { kind: 'progress', bytes: Number(progress[1]) * 1024 };
  for (const [pattern, code] of PROBLEMS) if (pattern.test(line)) return { kind: 'problem', code };
  return null;
}

/** Replaces every form of the secret ffmpeg might print (as given, URL-encoded) with ***. */
export function scrubber(secret: string): (text: string) => string {
  const forms = [...new Set([secret, encodeURIComponent(secret), encodeURI(secret)])].filter((f) => f.length > 0);
  return (text) => forms.reduce((out, form) => out.split(form).join('***'), text);
}
