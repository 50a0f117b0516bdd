// Which encoder the transcoded renditions use: libx264 unless a hardware encoder is configured
// (RADACAST_HW_ENCODER) and found present — its device and ffmpeg's support for it. Never
// required: without it the ladder runs on the CPU and the log says why.
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import type { Logger } from '../logger.ts';
import { VAAPI_DEVICE, type LadderEncoder } from './ffmpegArgs.ts';
import type { HwEncoder } from './mediaConfig.ts';

const NEEDS: Record<Exclude<HwEncoder, 'off'>, { device: string; encoder: string }> = {
  vaapi: { device: VAAPI_DEVICE, encoder: 'h264_vaapi' },
  nvenc: { device: '/dev/nvidia0', encoder: 'h264_nvenc' },
};

function encoders(ffmpegPath: string): Promise<string> {
  return new Promise((resolve) => execFile(ffmpegPath, ['-hide_banner', '-encoders'], (err, stdout) => resolve(err ? '' : stdout)));
}

export async function ladderEncoder(ffmpegPath: string, wanted: HwEncoder, logger: Logger): Promise<LadderEncoder> {
  if (wanted === 'off') return 'libx264';
  const { device, encoder } = NEEDS[wanted];
  const present = await access(device, constants.R_OK | constants.W_OK).then(
    () => true,
    () => false,
  );
  const supported = present && new RegExp(`\\s${encoder}\\s`).test(await encoders(ffmpegPath));
  if (!supported) {
    logger.warn({ wanted, device, encoder, present }, 'hardware encoder not available: the renditions are encoded with libx264');
    return 'libx264';
  }
  logger.info({ encoder }, 'renditions encoded in hardware');
  return wanted;
}
