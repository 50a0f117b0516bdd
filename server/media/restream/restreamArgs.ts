// The command line of one destination's relay: FLV on stdin, every stream copied (no encoding),
// FLV out over RTMP or RTMPS. RTMPS always verifies the platform's certificate. An argument
// array for spawn(), never a shell string; the key is only in the target URL, which the logs
// never show (see `scrubber`).

export interface RelayArgs {
  /** The destination's URL joined with its key. */
  target: string;
  /** PEM bundle of trusted CAs; null: the system's trust store. */
  caFile: string | null;
}

/** `rtmp://host/app` + `key` → `rtmp://host/app/key`; an empty key leaves the URL as given. */
export function targetUrl(url: string, key: string): string {
  return key === '' ? url : `${url.replace(/\/+$/, '')}/${key}`;
}

export function relayArgs({ target, caFile }: RelayArgs): string[] {
  const tls = target.startsWith('rtmps://') ? ['-tls_verify', '1', ...(caFile ? ['-ca_file', caFile] : [])] : [];
  return [
    '-hide_banner',
    '-loglevel',
    'info',
    // A progress line each second: what was sent so far (the relay's live sign and bitrate).
    '-stats_period',
    '1',
    '-f',
    'flv',
    '-i',
    'pipe:0',
    '-map',
    '0',
    '-c',
    'copy',
    '-f',
    'flv',
    // The output cannot seek back to write duration and size at the end.
    '-flvflags',
    'no_duration_filesize',
    ...tls,
    target,
  ];
}
