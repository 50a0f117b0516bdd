// The watch page: /live/<room> and /sittings/<id>.
import { mount } from 'svelte';
import WatchPage from './WatchPage.svelte';
import '../site.css';
import { showIntegrityAlarm } from '../../lib/integrityAlarm.ts';
import { mountPoint } from '../../lib/mountPoint.ts';

mount(WatchPage, { target: mountPoint('app') });
void showIntegrityAlarm();
