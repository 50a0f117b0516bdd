// The scenes' text function: a text on air (protocol/messages/overlay.ts) in the overlay's language.
import type { MessageParams } from '../../protocol/messages/lookup.ts';
import type { OverlayMessageKey } from '../../protocol/messages/overlay.ts';

export type Translate = (key: OverlayMessageKey, params?: MessageParams) => string;
