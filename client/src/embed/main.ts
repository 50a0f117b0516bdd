// The embeddable player: /embed/<room>.
import { mount } from 'svelte';
import EmbedPage from './EmbedPage.svelte';
import '../site.css';
import { showIntegrityAlarm } from '../../lib/integrityAlarm.ts';

mount(EmbedPage, { target: document.getElementById('app')! });
void showIntegrityAlarm();
