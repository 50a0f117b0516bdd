// WebRTC without its native part, and its settings: a server with no mediasoup worker starts and
// serves as before, WHIP and WHEP answer 503 naming the one command that enables them; the
// settings are validated like every other; an offer the server cannot use is a 400, not a crash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { MEDIA_CODECS } from '../../server/media/webrtc/WebRtcService.ts';
import { parseSdp, publisherOffer, SdpError } from '../../server/media/webrtc/sdp.ts';
import { startTestServer, tempDir, type TestServer } from '../support/testServer.ts';

/** An offer as Chrome writes it for WHIP: H.264 (with RTX) and VP8, Opus, one SSRC each. */
const CHROME_OFFER = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:abcd',
  'a=ice-pwd:aaaaaaaaaaaaaaaaaaaaaaaa',
  'a=fingerprint:sha-256 12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0',
  'a=setup:actpass',
  'a=mid:0',
  'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
  'a=extmap:9 urn:ietf:params:rtp-hdrext:toffset',
  'a=sendonly',
  'a=rtcp-mux',
  'a=rtpmap:96 VP8/90000',
  'a=rtcp-fb:96 nack pli',
  'a=rtpmap:97 rtx/90000',
  'a=fmtp:97 apt=96',
  'a=rtpmap:102 H264/90000',
  'a=rtcp-fb:102 nack',
  'a=rtcp-fb:102 nack pli',
  'a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
  'a=rtpmap:103 rtx/90000',
  'a=fmtp:103 apt=102',
  'a=ssrc-group:FID 1111 2222',
  'a=ssrc:1111 cname:chrome',
  'a=ssrc:2222 cname:chrome',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 0.0.0.0',
  'a=mid:1',
  'a=sendonly',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=ssrc:3333 cname:chrome',
  '',
].join('\r\n');

describe('WebRTC offers', () => {
  it('takes H.264 over VP8 with its RTX, and Opus, with the offer’s SSRCs', () => {
    const sends = publisherOffer(parseSdp(CHROME_OFFER), MEDIA_CODECS);
    expect(sends.map((s) => [s.mid, s.kind, s.rtpParameters.codecs.map((c) => `${c.payloadType} ${c.mimeType}`)])).toEqual([
      ['0', 'video', ['102 video/H264', '103 video/rtx']],
      ['1', 'audio', ['111 audio/opus']],
    ]);
    expect(sends[0]!.rtpParameters.encodings).toEqual([{ ssrc: 1111, rtx: { ssrc: 2222 } }]);
    expect(sends[0]!.rtpParameters.headerExtensions).toEqual([{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4 }]);
  });

  it('refuses what it cannot use with a reason', () => {
    expect(() => parseSdp('hello')).toThrow(SdpError);
    const pcmuOnly = CHROME_OFFER.split('m=video')[0] + 'm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\na=sendonly\r\na=rtpmap:0 PCMU/8000\r\n';
    expect(() => publisherOffer(parseSdp(pcmuOnly), MEDIA_CODECS)).toThrow(/H\.264, VP8, Opus/);
  });
});

describe('WebRTC settings', () => {
  it('defaults to all addresses and ports 40000–40999; the announced address and range can be set', () => {
    expect(loadConfig({}).webrtc).toEqual({ listenIp: '0.0.0.0', announcedIp: undefined, minPort: 40000, maxPort: 40999, turn: null });
    const set = loadConfig({ RADACAST_WEBRTC_ANNOUNCED_IP: '203.0.113.7', RADACAST_WEBRTC_PORTS: '50000-50099' }).webrtc;
    expect(set).toMatchObject({ announcedIp: '203.0.113.7', minPort: 50000, maxPort: 50099 });
  });

  it('takes TURN servers with the secret coturn shares (credentials for 12 hours unless set)', () => {
    const turn = loadConfig({
      RADACAST_TURN_URLS: 'turn:turn.rada.example:3478?transport=udp, turns:turn.rada.example:5349',
      RADACAST_TURN_SECRET: 'a-static-auth-secret-of-coturn',
    }).webrtc.turn;
    expect(turn).toEqual({
      urls: ['turn:turn.rada.example:3478?transport=udp', 'turns:turn.rada.example:5349'],
      secret: 'a-static-auth-secret-of-coturn',
      ttlSeconds: 12 * 3600,
    });
    expect(() => loadConfig({ RADACAST_TURN_URLS: 'turn:turn.rada.example:3478' })).toThrow('RADACAST_TURN_SECRET');
  });

  it.each([
    ['RADACAST_WEBRTC_PORTS', '50000'],
    ['RADACAST_WEBRTC_PORTS', '60000-50000'],
    ['RADACAST_WEBRTC_PORTS', '80-90'],
    ['RADACAST_WEBRTC_ANNOUNCED_IP', 'not an ip!'],
    ['RADACAST_TURN_URLS', 'stun:stun.example:3478'],
    ['RADACAST_TURN_URLS', 'https://turn.example'],
    ['RADACAST_TURN_SECRET', 'short'],
    ['RADACAST_TURN_TTL_MINUTES', '0'],
  ])(
    'stops at start on %s=%s, naming it',
    (name, value) => {
      expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: value })).toThrow(name);
    },
  );
});

describe('a server without the mediasoup worker', () => {
  let t: TestServer;

  beforeAll(async () => {
    // No binary anywhere: an empty cache and no MEDIASOUP_WORKER_BIN.
    delete process.env.MEDIASOUP_WORKER_BIN;
    process.env.RADACAST_CACHE_DIR = tempDir('radacast-no-worker-');
    t = await startTestServer();
    await t.command({ type: 'room.upsert', room: { id: 'plenary', name: 'Сесійна зала' } });
  });

  afterAll(async () => {
    await t.close();
  });

  it('starts and serves; WHIP and WHEP answer 503 naming npm run setup:webrtc', async () => {
    expect((await fetch(`${t.url}/api/health`)).status).toBe(200);
    expect(t.server.webrtc.unavailable).toContain('npm run setup:webrtc');
    const whip = await fetch(`${t.url}/whip/plenary`, {
      method: 'POST',
      headers: { 'content-type': 'application/sdp', authorization: 'Bearer whatever' },
      body: CHROME_OFFER,
    });
    expect(whip.status).toBe(503);
    const body = (await whip.json()) as { error: { code: string; messages: { uk: string; en: string } } };
    expect(body.error.code).toBe('webrtc-unavailable');
    expect(body.error.messages.en).toContain('npm run setup:webrtc');
    expect(body.error.messages.uk).toContain('npm run setup:webrtc');

    const cookie = await t.login();
    const whep = await fetch(`${t.url}/whep/plenary`, {
      method: 'POST',
      headers: { 'content-type': 'application/sdp', cookie, 'x-requested-with': 'test' },
      body: CHROME_OFFER,
    });
    expect(whep.status).toBe(503);
    const status = await fetch(`${t.url}/api/webrtc`, { headers: { cookie } });
    expect(await status.json()).toMatchObject({ available: false, setup: 'npm run setup:webrtc' });
    expect(t.server.media.status('plenary')!.state).toBe('offline');
  });
});
