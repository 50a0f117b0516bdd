// The residents' front page.
import { mount } from 'svelte';
import Home from './Home.svelte';
import '../site.css';
import { showIntegrityAlarm } from '../../lib/integrityAlarm.ts';
import { mountPoint } from '../../lib/mountPoint.ts';

mount(Home, { target: mountPoint('app') });
void showIntegrityAlarm();
