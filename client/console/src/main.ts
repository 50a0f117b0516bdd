import { mount } from 'svelte';
import App from './App.svelte';
import './console.css';
import { showIntegrityAlarm } from '../../lib/integrityAlarm.ts';
import { mountPoint } from '../../lib/mountPoint.ts';

mount(App, { target: mountPoint('app') });
void showIntegrityAlarm();
