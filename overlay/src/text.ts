// The scenes' text function: a message from the one catalogue in the overlay's language.
import type { MessageKey } from '../../protocol/messages.ts';

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;
