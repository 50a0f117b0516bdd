// The ffmpeg command lines, one test per shape (as Owncast tests each generated command), and
// how ffmpeg's stderr is read: signals the supervisor acts on, known failures with advice.
import { describe, expect, it } from 'vitest';
import { demoCameraArgs, packagerArgs, srtListenerScript, srtListenerUrl } from '../../server/media/ffmpegArgs.ts';
import { classifyLine, LineSplitter } from '../../server/media/ffmpegLog.ts';
import { backoffDelay, DEFAULT_BACKOFF, nextAttempt } from '../../server/media/backoff.ts';

/** The value following a flag. */
const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('packager arguments', () => {
  it('RTMP: FLV from stdin, video and AAC audio copied, fragmented MP4 of 200 ms fragments on stdout', () => {
    const args = packagerArgs({ input: { kind: 'flv-pipe' }, audio: 'copy' });
    expect(args.slice(0, 10)).toEqual(['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info', '-f', 'flv', '-i', 'pipe:0', '-map']);
    expect(after(args, '-c:v')).toBe('copy');
    expect(after(args, '-c:a')).toBe('copy');
    expect(args).toContain('0:a:0?'); // audio optional
    expect(args[args.lastIndexOf('-f') + 1]).toBe('mp4');
    expect(after(args, '-movflags')).toBe('frag_keyframe+empty_moov+default_base_moof');
    expect(after(args, '-frag_duration')).toBe('200000');
    expect(args.at(-1)).toBe('pipe:1');
  });

  it('transcodes audio to AAC when the encoder sends something else', () => {
    const args = packagerArgs({ input: { kind: 'flv-pipe' }, audio: 'aac' });
    expect(after(args, '-c:a')).toBe('aac');
    expect(after(args, '-b:a')).toBe('128k');
  });

  it('SRT: a listener on the room port, the stream key as passphrase — in a script file, not on the command line', () => {
    const listener = { host: '0.0.0.0', port: 9001, passphrase: 'k3y-with_url-safe-chars' };
    const args = packagerArgs({ input: { kind: 'srt-listener', script: '/m/pids/plenary.srt.ffconcat' }, audio: 'aac' });
    expect(after(args, '-f')).toBe('concat');
    expect(after(args, '-i')).toBe('/m/pids/plenary.srt.ffconcat');
    expect(args.join(' ')).not.toContain('passphrase');
    expect(srtListenerScript(listener).split('\n')).toEqual([
      'ffconcat version 1.0',
      "file 'srt://0.0.0.0:9001?mode=listener&passphrase=k3y-with_url-safe-chars'",
      'option analyzeduration 2000000',
      '',
    ]);
    expect(srtListenerUrl({ host: '::', port: 1, passphrase: "a&b'" })).toBe('srt://:::1?mode=listener&passphrase=a%26b%27');
  });
});

describe('demo camera arguments', () => {
  it('encodes as the docs recommend: H.264, keyframe each second, no B-frames, AAC, FLV to the URL', () => {
    const args = demoCameraArgs({ url: 'rtmp://127.0.0.1:1935/live/KEY', width: 1280, height: 720, fps: 25, videoKbps: 2500 });
    expect(after(args, '-c:v')).toBe('libx264');
    expect(after(args, '-g')).toBe('25');
    expect(after(args, '-bf')).toBe('0');
    expect(after(args, '-c:a')).toBe('aac');
    expect(after(args, '-vf')).toMatch(/^drawtext=text='%\{localtime\\:%T\}'/);
    expect(args.slice(-3)).toEqual(['-f', 'flv', 'rtmp://127.0.0.1:1935/live/KEY']);
  });
});

describe('reading ffmpeg stderr', () => {
  it('recognises the lines the supervisor acts on', () => {
    expect(classifyLine("[hls @ 0x55] Opening '/m/r1/seg-00003.m4s.tmp' for writing")).toBeNull();
    expect(classifyLine("Input #0, flv, from 'pipe:0':")).toEqual({ kind: 'input-opened', format: 'flv' });
    expect(classifyLine("Output #0, mp4, to 'pipe:1':")).toEqual({ kind: 'output-opened' });
    expect(
      classifyLine('  Stream #0:0: Video: h264 (High), yuv420p(progressive), 1920x1080 [SAR 1:1 DAR 16:9], 29.97 fps, 29.97 tbr, 1k tbn'),
    ).toEqual({ kind: 'video', codec: 'h264', profile: 'High', width: 1920, height: 1080, fps: 29.97 });
    expect(classifyLine('  Stream #0:1[0x101]: Audio: aac (LC) ([15][0][0][0] / 0x000F), 48000 Hz, stereo, fltp, 128 kb/s')).toEqual({
      kind: 'audio',
      codec: 'aac',
      sampleRate: 48000,
      channels: 'stereo',
    });
  });

  it('maps known failures to problems the operator can fix', () => {
    const cases: [string, string][] = [
      ['10:01:51/SRT:RcvQ:w1!W:SRT.cn: processConnectRequest: rsp(REJECT): 1010 - Incorrect passphrase', 'srt-wrong-passphrase'],
      ['srt://0.0.0.0:9000?mode=listener: Address already in use', 'port-busy'],
      ["Stream map '0:v:0' matches no streams.", 'no-video'],
      ['[hls @ 0x1] Could not find tag for codec pcm_alaw in stream #1, codec not currently supported in container', 'unsupported-codec'],
      ['[hls @ 0x1] Non-monotonous DTS in output stream 0:0; previous: 10, current: 9', 'timestamps'],
      ['/m/r1/seg-00009.m4s.tmp: No space left on device', 'disk-full'],
      ['pipe:0: Invalid data found when processing input', 'invalid-input'],
    ];
    for (const [line, code] of cases) expect(classifyLine(line)).toEqual({ kind: 'problem', code });
    expect(classifyLine('frame=  100 fps= 25 q=-1.0 size=N/A time=00:00:04.00')).toBeNull();
  });

  it('splits on \\n, \\r\\n and a lone \\r, keeping a partial line for later', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('a\r\nb\rc')).toEqual(['a', 'b']);
    expect(splitter.push('d\n')).toEqual(['cd']);
    expect(splitter.push('tail')).toEqual([]);
    expect(splitter.end()).toEqual(['tail']);
  });
});

describe('restart backoff', () => {
  it('doubles up to the cap and starts over after a healthy run', () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffDelay(DEFAULT_BACKOFF, n))).toEqual([500, 1000, 2000, 4000, 15_000]);
    expect(nextAttempt(DEFAULT_BACKOFF, 3, 1000)).toBe(4);
    expect(nextAttempt(DEFAULT_BACKOFF, 3, 60_000)).toBe(0);
  });
});
