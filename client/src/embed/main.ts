// The embeddable player: /embed/<room>.
import { mount } from 'svelte';
import EmbedPage from './EmbedPage.svelte';
import '../site.css';
import { showIntegrityAlarm } from '../../lib/integrityAlarm.ts';
import { mountPoint } from '../../lib/mountPoint.ts';

mount(EmbedPage, { target: mountPoint('app') });
void showIntegrityAlarm();
