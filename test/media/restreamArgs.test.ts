// The pure parts of the relay: its ffmpeg command line, what it reads from ffmpeg's stderr
// (lines as ffmpeg 5.1 prints them), the scrubbing of keys, the sealed keys, the platform rules,
// and the switch command as the decider takes it.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { brokenRules } from '../../server/media/restream/platformRules.ts';
import { classifyRelayLine, scrubber } from '../../server/media/restream/relayLog.ts';
import { relayArgs, targetUrl } from '../../server/media/restream/restreamArgs.ts';
import { keyHint } from '../../server/media/restream/DestinationStore.ts';
import { SecretBox } from '../../server/media/restream/SecretBox.ts';
import { demoCouncil, replay } from '../support/givenWhenThen.ts';

describe('relay command line', () => {
  it('copies FLV from stdin to the target, verifying RTMPS certificates, with no shell', () => {
    expect(targetUrl('rtmps://live-api-s.facebook.com:443/rtmp/', 'FB-1?s=2')).toBe('rtmps://live-api-s.facebook.com:443/rtmp/FB-1?s=2');
    expect(targetUrl('rtmp://tv.example.org/live/council', '')).toBe('rtmp://tv.example.org/live/council');
    const plain = relayArgs({ target: 'rtmp://a.rtmp.youtube.com/live2/k', caFile: null });
    expect(plain.join(' ')).toBe(
      '-hide_banner -loglevel info -stats_period 1 -f flv -i pipe:0 -map 0 -c copy -f flv -flvflags no_duration_filesize rtmp://a.rtmp.youtube.com/live2/k',
    );
    const secure = relayArgs({ target: 'rtmps://a.rtmps.youtube.com:443/live2/k', caFile: '/data/restream-ca.pem' });
    expect(secure.slice(-5)).toEqual(['-tls_verify', '1', '-ca_file', '/data/restream-ca.pem', 'rtmps://a.rtmps.youtube.com:443/live2/k']);
    expect(relayArgs({ target: 'rtmps://h/app/k', caFile: null }).slice(-3)).toEqual(['-tls_verify', '1', 'rtmps://h/app/k']);
  });
});

describe('reading ffmpeg', () => {
  it('maps what ffmpeg prints to advice codes, and reads the bytes sent', () => {
    const lines: [string, string | null][] = [
      ['[tcp @ 0x560f877e5ec0] Connection to tcp://127.0.0.1:19999?tcp_nodelay=0 failed: Connection refused', 'refused'],
      ['[tcp @ 0x55d59776fec0] Failed to resolve hostname no-such-host.invalid: Name or service not known', 'dns'],
      ['[tls @ 0x55cdb0bc8a00] Peer certificate failed verification', 'tls'],
      ['[rtmp @ 0x55f] Server error: Wrong stream key. / Неправильний ключ трансляції.', 'wrong-key'],
      ['[tcp @ 0x1] Connection to tcp://a.rtmp.youtube.com:1935 failed: Connection timed out', 'timeout'],
      ['av_interleaved_write_frame(): Broken pipe', 'dropped'],
      ['[rtmps @ 0x5648deddb240] Cannot open connection tls://127.0.0.1:19999', null],
      ['Output #0, flv, to \'rtmp://x/live2/***\':', null],
    ];
    for (const [line, code] of lines) {
      const signal = classifyRelayLine(line);
      expect(signal?.kind === 'problem' ? signal.code : null, line).toBe(code);
    }
    expect(classifyRelayLine('frame=  150 fps= 30 q=-1.0 size=    1536kB time=00:00:05.00 bitrate=2516.6kbits/s speed=   1x')).toEqual({
      kind: 'progress',
      bytes: 1536 * 1024,
    });
  });

  it('scrubs a key as given and URL-encoded', () => {
    const scrub = scrubber('FB-1?s_bl=1&a=Zz 9');
    expect(scrub("rtmps://live-api-s.facebook.com:443/rtmp/FB-1?s_bl=1&a=Zz 9: I/O error")).toBe('rtmps://live-api-s.facebook.com:443/rtmp/***: I/O error');
    expect(scrub('tcUrl FB-1%3Fs_bl%3D1%26a%3DZz%209')).toBe('tcUrl ***');
    expect(scrubber('')('nothing to hide')).toBe('nothing to hide');
  });
});

describe('sealed keys', () => {
  it('opens only with the same key and for the same destination', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal('abcd-efgh-ijkl-mnop', 'restream/plenary/yt');
    expect(sealed).not.toContain('abcd');
    expect(box.open(sealed, 'restream/plenary/yt')).toBe('abcd-efgh-ijkl-mnop');
    expect(box.open(sealed, 'restream/plenary/fb')).toBeNull();
    expect(new SecretBox(randomBytes(32)).open(sealed, 'restream/plenary/yt')).toBeNull();
    const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(box.open(tampered, 'restream/plenary/yt')).toBeNull();
    expect(box.seal('same', 'c')).not.toBe(box.seal('same', 'c'));
  });

  it('hints at most the last four characters', () => {
    expect(keyHint('abcd-efgh-ijkl-q7r8')).toBe('…q7r8');
    expect(keyHint('short-key')).toBe('…');
    expect(keyHint('')).toBeNull();
  });
});

describe('platform rules', () => {
  it('warns when the live ingest breaks a platform’s keyframe or bitrate rule', () => {
    const live = { state: 'live' as const, keyframeInterval: 3, bitrateKbps: 9500 };
    expect(brokenRules('facebook', live).map((w) => [w.code, w.params])).toEqual([
      ['keyframe-interval', { max: 2, measured: 3 }],
      ['bitrate', { max: 9000, measured: 9500 }],
    ]);
    expect(brokenRules('youtube', live)).toEqual([]);
    expect(brokenRules('custom', { ...live, keyframeInterval: 10 })).toEqual([]);
    expect(brokenRules('facebook', { ...live, state: 'offline' })).toEqual([]);
    expect(brokenRules('facebook', { state: 'live', keyframeInterval: 2.04, bitrateKbps: null })).toEqual([]);
  });
});

describe('the switch on the record', () => {
  it('goes on the room’s stream; an unknown room is refused and changes nothing', () => {
    const record = demoCouncil();
    expect(record.run({ type: 'destination.switch', room: 'plenary', destinationId: 'youtube', enabled: false })).toEqual([
      { type: 'destination.switched', room: 'plenary', destinationId: 'youtube', enabled: false },
    ]);
    expect(record.log.at(-1)?.stream).toBe('room/plenary');
    record.refused({ type: 'destination.switch', room: 'no-such-room', destinationId: 'youtube', enabled: true }, 'not-found');
    // Replayed at start-up like any other event: it leaves the domain's state as it was.
    expect(replay(record.log)).toEqual(record.world);
  });
});
