// Just enough SDP for WHIP and WHEP (RFC 9725, draft-ietf-wish-whep): read a browser's or OBS's
// offer into mediasoup's RTP parameters and capabilities, and write the answer mediasoup's ICE-lite
// transport gives. Pure functions; the offer is untrusted text, so anything missing or malformed
// is a thrown SdpError (answered 400), never a crash.
import type { types } from 'mediasoup';

export class SdpError extends Error {}

export interface MediaSection {
  kind: string;
  port: number;
  protocol: string;
  formats: string[];
  attributes: Array<[name: string, value: string]>;
}

export interface SessionDescription {
  attributes: Array<[name: string, value: string]>;
  media: MediaSection[];
}

const MAX_SDP_BYTES = 64 * 1024;

export function parseSdp(text: string): SessionDescription {
  if (text.length > MAX_SDP_BYTES) throw new SdpError('SDP too long');
  const sdp: SessionDescription = { attributes: [], media: [] };
  let current: MediaSection | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (line[1] !== '=') throw new SdpError(`not an SDP line: ${line.slice(0, 40)}`);
    const value = line.slice(2);
    if (line[0] === 'm') {
      const [kind = '', port = '', protocol = '', ...formats] = value.split(' ');
      current = { kind, port: Number(port), protocol, formats, attributes: [] };
      sdp.media.push(current);
    } else if (line[0] === 'a') {
      const colon = value.indexOf(':');
      const attribute: [string, string] = colon < 0 ? [value, ''] : [value.slice(0, colon), value.slice(colon + 1)];
      (current ? current.attributes : sdp.attributes).push(attribute);
    }
  }
  if (sdp.media.length === 0) throw new SdpError('SDP has no media section');
  return sdp;
}

const values = (attributes: Array<[string, string]>, name: string): string[] =>
  attributes.filter(([n]) => n === name).map(([, v]) => v);

/** An attribute from the media section, else from the session. */
function pick(sdp: SessionDescription, section: MediaSection, name: string): string | undefined {
  return values(section.attributes, name)[0] ?? values(sdp.attributes, name)[0];
}

export interface RemoteTransport {
  iceUfrag: string;
  icePwd: string;
  dtls: types.DtlsParameters;
}

/** The ICE and DTLS parameters of the offer (BUNDLE: the first section's, as browsers send them). */
export function remoteTransport(sdp: SessionDescription): RemoteTransport {
  const section = sdp.media[0];
  if (!section) throw new SdpError('SDP has no media section');
  const iceUfrag = pick(sdp, section, 'ice-ufrag');
  const icePwd = pick(sdp, section, 'ice-pwd');
  const fingerprint = pick(sdp, section, 'fingerprint');
  const setup = pick(sdp, section, 'setup') ?? 'actpass';
  if (!iceUfrag || !icePwd || !fingerprint) throw new SdpError('offer lacks ICE credentials or a DTLS fingerprint');
  const [algorithm = '', value = ''] = fingerprint.split(' ');
  const algorithms = ['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512'] as const;
  const known = algorithms.find((a) => a === algorithm.toLowerCase());
  if (!known || !/^[0-9A-Fa-f:]+$/.test(value)) throw new SdpError('offer has an unusable DTLS fingerprint');
  // Our answer takes the server side of DTLS unless the offer insists on it.
  const role: types.DtlsRole = setup === 'passive' ? 'server' : 'client';
  return { iceUfrag, icePwd, dtls: { role, fingerprints: [{ algorithm: known, value }] } };
}

interface OfferedCodec {
  payloadType: number;
  mimeType: string;
  clockRate: number;
  channels?: number;
  parameters: Record<string, string | number>;
  rtcpFeedback: types.RtcpFeedback[];
}

function fmtpParameters(text: string | undefined): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const pair of (text ?? '').split(';')) {
    const [k, v] = pair.trim().split('=');
    if (!k || v === undefined) continue;
    out[k] = /^\d+$/.test(v) ? Number(v) : v;
  }
  return out;
}

export function offeredCodecs(section: MediaSection): OfferedCodec[] {
  const codecs: OfferedCodec[] = [];
  for (const format of section.formats) {
    const payloadType = Number(format);
    if (!Number.isInteger(payloadType)) continue;
    const rtpmap = values(section.attributes, 'rtpmap').find((v) => v.startsWith(`${format} `));
    if (!rtpmap) continue;
    const [name = '', clock = '', channels] = rtpmap.slice(format.length + 1).split('/');
    const fmtp = values(section.attributes, 'fmtp').find((v) => v.startsWith(`${format} `));
    const rtcpFeedback = values(section.attributes, 'rtcp-fb')
      .filter((v) => v.startsWith(`${format} `))
      .map((v) => {
        const [type = '', parameter] = v.slice(format.length + 1).split(' ');
        return parameter ? { type, parameter } : { type };
      });
    codecs.push({
      payloadType,
      mimeType: `${section.kind}/${name}`,
      clockRate: Number(clock),
      ...(channels ? { channels: Number(channels) } : {}),
      parameters: fmtpParameters(fmtp?.slice(format.length + 1)),
      rtcpFeedback,
    });
  }
  return codecs;
}

/** Header extensions both sides understand; anything else in the offer is left out of the answer. */
const EXTENSIONS: readonly types.RtpHeaderExtensionUri[] = [
  'urn:ietf:params:rtp-hdrext:sdes:mid',
  'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
];

function offeredExtensions(section: MediaSection): types.RtpHeaderExtensionParameters[] {
  const out: types.RtpHeaderExtensionParameters[] = [];
  for (const v of values(section.attributes, 'extmap')) {
    const [idText = '', uri = ''] = v.split(' ');
    const id = Number(idText.split('/')[0]);
    const known = EXTENSIONS.find((u) => u === uri);
    if (known && Number.isInteger(id)) out.push({ uri: known, id });
  }
  return out;
}

const mimeIs = (codec: { mimeType: string }, mime: string) => codec.mimeType.toLowerCase() === mime.toLowerCase();
const isRtxFor = (codec: OfferedCodec, pt: number) => mimeIs(codec, `${codec.mimeType.split('/')[0]}/rtx`) && codec.parameters.apt === pt;

/** Video the pipeline can copy into HLS untouched: H.264 packetization-mode 1. */
export const isCopyableH264 = (codec: { mimeType: string; parameters?: Record<string, unknown> }) =>
  mimeIs(codec, 'video/H264') && Number(codec.parameters?.['packetization-mode']) === 1;

/** H.264 (packetization mode 1, the profiles the router offers) first, else VP8; Opus for audio. */
function chooseCodec(kind: string, codecs: OfferedCodec[], routerCodecs: readonly types.RouterRtpCodecCapability[]): OfferedCodec | undefined {
  if (kind === 'audio') return codecs.find((c) => mimeIs(c, 'audio/opus'));
  const profiles = routerCodecs.filter(isCopyableH264).map((c) => String(c.parameters?.['profile-level-id']).slice(0, 4).toLowerCase());
  const h264 = codecs.find((c) => isCopyableH264(c) && profiles.includes(String(c.parameters['profile-level-id'] ?? '42e01f').slice(0, 4).toLowerCase()));
  return h264 ?? codecs.find((c) => mimeIs(c, 'video/VP8'));
}

/** What a publisher's (WHIP) offer sends, per media section, as mediasoup producer parameters. */
export interface OfferedSend {
  mid: string;
  kind: types.MediaKind;
  rtpParameters: types.RtpParameters;
}

function ssrcsOf(section: MediaSection): { ssrc?: number; rtx?: number; cname?: string } {
  const fid = values(section.attributes, 'ssrc-group').find((v) => v.startsWith('FID '));
  const [, main, rtx] = fid?.split(' ') ?? [];
  const first = values(section.attributes, 'ssrc')[0]?.split(' ')[0];
  const ssrc = Number(main ?? first);
  const cname = values(section.attributes, 'ssrc').find((v) => v.includes(' cname:'))?.split(' cname:')[1];
  return {
    ...(Number.isInteger(ssrc) && ssrc > 0 ? { ssrc } : {}),
    ...(rtx && Number.isInteger(Number(rtx)) ? { rtx: Number(rtx) } : {}),
    ...(cname ? { cname } : {}),
  };
}

const isMediaKind = (kind: string): kind is types.MediaKind => kind === 'audio' || kind === 'video';
const midOf = (section: MediaSection, index: number) => values(section.attributes, 'mid')[0] ?? String(index);

export function publisherOffer(sdp: SessionDescription, routerCodecs: readonly types.RouterRtpCodecCapability[]): OfferedSend[] {
  const sends: OfferedSend[] = [];
  sdp.media.forEach((section, index) => {
    if (!isMediaKind(section.kind) || section.port === 0) return;
    const direction = ['sendonly', 'sendrecv', 'recvonly', 'inactive'].find((d) => values(section.attributes, d).length > 0) ?? 'sendrecv';
    if (direction !== 'sendonly' && direction !== 'sendrecv') return;
    const codecs = offeredCodecs(section);
    const chosen = chooseCodec(section.kind, codecs, routerCodecs);
    if (!chosen) return;
    const rtx = codecs.find((c) => isRtxFor(c, chosen.payloadType));
    const { ssrc, rtx: rtxSsrc, cname } = ssrcsOf(section);
    const mid = midOf(section, index);
    const encoding: types.RtpEncodingParameters = {
      ...(ssrc !== undefined ? { ssrc } : {}),
      ...(ssrc !== undefined && rtx && rtxSsrc !== undefined ? { rtx: { ssrc: rtxSsrc } } : {}),
    };
    sends.push({
      mid,
      kind: section.kind,
      rtpParameters: {
        mid,
        codecs: [chosen, ...(rtx ? [rtx] : [])].map(({ payloadType, mimeType, clockRate, channels, parameters, rtcpFeedback }) => ({
          payloadType,
          mimeType,
          clockRate,
          ...(channels !== undefined ? { channels } : {}),
          parameters,
          rtcpFeedback,
        })),
        headerExtensions: offeredExtensions(section),
        encodings: [encoding],
        rtcp: { cname: cname ?? 'whip', reducedSize: true },
      },
    });
  });
  if (sends.length === 0) throw new SdpError('offer sends no audio or video the server can take (H.264, VP8, Opus)');
  return sends;
}

/** A viewer's (WHEP) offer as mediasoup capabilities, per media section. */
export interface OfferedReceive {
  mid: string;
  kind: types.MediaKind;
  capabilities: types.RtpCapabilities;
}

export function viewerOffer(sdp: SessionDescription): OfferedReceive[] {
  return sdp.media.flatMap((section, index) => {
    if (!isMediaKind(section.kind)) return [];
    const kind = section.kind;
    return [
      {
        mid: midOf(section, index),
        kind,
        capabilities: {
          codecs: offeredCodecs(section).map((c) => ({
            kind,
            mimeType: c.mimeType,
            preferredPayloadType: c.payloadType,
            clockRate: c.clockRate,
            ...(c.channels !== undefined ? { channels: c.channels } : {}),
            parameters: c.parameters,
            rtcpFeedback: c.rtcpFeedback,
          })),
          headerExtensions: offeredExtensions(section).map((e) => ({ kind, uri: e.uri, preferredId: e.id, direction: 'sendrecv' as const })),
        },
      },
    ];
  });
}

/**
 * The router codecs a viewer can take, numbered with the viewer's own payload types: a mediasoup
 * consumer sends with its router's numbers, and a browser that offered reads packets by the numbers
 * it offered. RTX is left out (its numbers cannot be chosen); a lost packet is resent as itself.
 */
export function viewerRouterCodecs(
  wants: OfferedReceive[],
  routerCodecs: readonly types.RouterRtpCodecCapability[],
): types.RouterRtpCodecCapability[] {
  const profile = (c: { parameters?: Record<string, unknown> }) => String(c.parameters?.['profile-level-id'] ?? '42e01f').slice(0, 4).toLowerCase();
  const out: types.RouterRtpCodecCapability[] = [];
  for (const codec of routerCodecs) {
    const offered = wants
      .filter((w) => w.kind === codec.kind)
      .flatMap((w) => w.capabilities.codecs ?? [])
      .find(
        (c) =>
          mimeIs(c, codec.mimeType) &&
          c.clockRate === codec.clockRate &&
          (!isCopyableH264(codec) || (isCopyableH264(c) && profile(c) === profile(codec))),
      );
    if (offered && !out.some((o) => o.preferredPayloadType === offered.preferredPayloadType)) {
      out.push({ ...codec, preferredPayloadType: offered.preferredPayloadType });
    }
  }
  return out;
}

/** A viewer's capabilities without RTX (see viewerRouterCodecs). */
export function withoutRtx(capabilities: types.RtpCapabilities): types.RtpCapabilities {
  return { ...capabilities, codecs: (capabilities.codecs ?? []).filter((c) => !/\/rtx$/i.test(c.mimeType)) };
}

/** mediasoup's side of the connection, as the answer announces it. */
export interface LocalTransport {
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
}

/** One answered media section: what we send or receive, or nothing (port 0). */
export interface AnsweredSection {
  mid: string;
  kind: string;
  direction: 'recvonly' | 'sendonly' | 'inactive';
  rtpParameters: types.RtpParameters | null;
  /** For sendonly: the stream and track ids (a=msid). */
  msid?: string;
}

function codecLines(parameters: types.RtpParameters): string[] {
  const lines: string[] = [];
  for (const codec of parameters.codecs) {
    const [, name] = codec.mimeType.split('/');
    lines.push(`a=rtpmap:${codec.payloadType} ${name}/${codec.clockRate}${codec.channels && codec.channels > 1 ? `/${codec.channels}` : ''}`);
    const params = Object.entries(codec.parameters ?? {}).map(([k, v]) => `${k}=${String(v)}`);
    if (params.length > 0) lines.push(`a=fmtp:${codec.payloadType} ${params.join(';')}`);
    for (const fb of codec.rtcpFeedback ?? []) lines.push(`a=rtcp-fb:${codec.payloadType} ${fb.type}${fb.parameter ? ` ${fb.parameter}` : ''}`);
  }
  for (const ext of parameters.headerExtensions ?? []) lines.push(`a=extmap:${ext.id} ${ext.uri}`);
  return lines;
}

function candidateLines(local: LocalTransport): string[] {
  return local.iceCandidates.map(
    (c, i) =>
      `a=candidate:${c.foundation} 1 ${c.protocol} ${c.priority} ${c.address} ${c.port} typ host` +
      (c.protocol === 'tcp' ? ` tcptype ${c.tcpType ?? 'passive'}` : '') +
      ` generation 0 network-id ${i + 1}`,
  );
}

/** The answer: ICE-lite, one BUNDLE over mediasoup's transport, DTLS as the server side. */
export function answerSdp(offer: SessionDescription, local: LocalTransport, sections: AnsweredSection[]): string {
  const fingerprint = local.dtlsParameters.fingerprints.find((f) => f.algorithm === 'sha-256') ?? local.dtlsParameters.fingerprints[0];
  if (!fingerprint) throw new Error('the transport has no DTLS fingerprint');
  const bundled = sections.filter((s) => s.direction !== 'inactive').map((s) => s.mid);
  const lines = [
    'v=0',
    `o=radacast ${Date.now()} 1 IN IP4 0.0.0.0`,
    's=-',
    't=0 0',
    'a=ice-lite',
    `a=group:BUNDLE ${bundled.join(' ')}`,
    'a=msid-semantic: WMS *',
  ];
  offer.media.forEach((offered, index) => {
    const section = sections.find((s) => s.mid === midOf(offered, index));
    const params = section?.rtpParameters ?? null;
    if (!section || !params) {
      lines.push(`m=${offered.kind} 0 ${offered.protocol} ${offered.formats.join(' ')}`, 'c=IN IP4 0.0.0.0', `a=mid:${midOf(offered, index)}`, 'a=inactive');
      return;
    }
    lines.push(
      `m=${offered.kind} 9 UDP/TLS/RTP/SAVPF ${params.codecs.map((c) => c.payloadType).join(' ')}`,
      'c=IN IP4 0.0.0.0',
      `a=mid:${section.mid}`,
      `a=${section.direction}`,
      `a=ice-ufrag:${local.iceParameters.usernameFragment}`,
      `a=ice-pwd:${local.iceParameters.password}`,
      'a=ice-options:renomination',
      `a=fingerprint:${fingerprint.algorithm} ${fingerprint.value}`,
      `a=setup:${local.dtlsParameters.role === 'client' ? 'active' : 'passive'}`,
      'a=rtcp-mux',
      'a=rtcp-rsize',
      ...codecLines(params),
      ...candidateLines(local),
      'a=end-of-candidates',
    );
    if (section.direction === 'sendonly') {
      const encoding = params.encodings?.[0];
      const cname = params.rtcp?.cname ?? 'radacast';
      lines.push(`a=msid:${section.msid ?? `radacast ${section.mid}`}`);
      if (encoding?.ssrc !== undefined) {
        if (encoding.rtx) lines.push(`a=ssrc-group:FID ${encoding.ssrc} ${encoding.rtx.ssrc}`);
        lines.push(`a=ssrc:${encoding.ssrc} cname:${cname}`);
        if (encoding.rtx) lines.push(`a=ssrc:${encoding.rtx.ssrc} cname:${cname}`);
      }
    }
  });
  return lines.join('\r\n') + '\r\n';
}

/** An ICE restart's `application/trickle-ice-sdpfrag` body: the new credentials, if any. */
export function sdpFragCredentials(text: string): { ufrag: string; pwd: string } | null {
  const ufrag = /^a=ice-ufrag:(\S+)/m.exec(text)?.[1];
  const pwd = /^a=ice-pwd:(\S+)/m.exec(text)?.[1];
  return ufrag && pwd ? { ufrag, pwd } : null;
}

export function sdpFragAnswer(local: LocalTransport): string {
  return [
    `a=ice-ufrag:${local.iceParameters.usernameFragment}`,
    `a=ice-pwd:${local.iceParameters.password}`,
    ...candidateLines(local),
    'a=end-of-candidates',
    '',
  ].join('\r\n');
}
