// The residents' front page.
import { mount } from 'svelte';
import Home from './Home.svelte';
import '../site.css';
import { showIntegrityAlarm } from '../../lib/integrityAlarm.ts';

mount(Home, { target: document.getElementById('app')! });
void showIntegrityAlarm();
