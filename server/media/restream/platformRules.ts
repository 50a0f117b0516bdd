// What each platform asks of the stream it is sent (published ingest guidance at the time of
// writing, see docs/restream.md), checked against what the ingest status measures. The relay
// copies, so a broken rule can only be fixed in the encoder: the console warns, it still runs.
import type { IngestStatus } from '../../../protocol/media.ts';
import type { DestinationKind, DestinationWarningCode } from '../../../protocol/restream.ts';

export interface PlatformRule {
  /** Longest keyframe interval the platform accepts, in seconds. */
  maxKeyframeSeconds: number | null;
  /** Highest bitrate it takes, kbit/s (the ingest measure includes container overhead). */
  maxBitrateKbps: number | null;
}

export const PLATFORM_RULES: Record<DestinationKind, PlatformRule> = {
  youtube: { maxKeyframeSeconds: 4, maxBitrateKbps: 51_000 },
  facebook: { maxKeyframeSeconds: 2, maxBitrateKbps: 9_000 },
  telegram: { maxKeyframeSeconds: 4, maxBitrateKbps: null },
  custom: { maxKeyframeSeconds: null, maxBitrateKbps: null },
};

export interface Warning {
  code: DestinationWarningCode;
  params: Record<string, number>;
}

/** The rules of `kind` the live ingest breaks; none while offline or not measured yet. */
export function brokenRules(kind: DestinationKind, ingest: Pick<IngestStatus, 'state' | 'keyframeInterval' | 'bitrateKbps'> | undefined): Warning[] {
  if (!ingest || ingest.state !== 'live') return [];
  const rule = PLATFORM_RULES[kind];
  const warnings: Warning[] = [];
  // A tenth of a second of slack: measured intervals jitter around a set value.
  if (rule.maxKeyframeSeconds !== null && ingest.keyframeInterval !== null && ingest.keyframeInterval > rule.maxKeyframeSeconds + 0.1) {
    warnings.push({ code: 'keyframe-interval', params: { max: rule.maxKeyframeSeconds, measured: Math.round(ingest.keyframeInterval * 10) / 10 } });
  }
  if (rule.maxBitrateKbps !== null && ingest.bitrateKbps !== null && ingest.bitrateKbps > rule.maxBitrateKbps) {
    warnings.push({ code: 'bitrate', params: { max: rule.maxBitrateKbps, measured: ingest.bitrateKbps } });
  }
  return warnings;
}
