import { mount } from 'svelte';
import App from './App.svelte';
import './console.css';
import { showIntegrityAlarm } from '../../lib/integrityAlarm.ts';

mount(App, { target: document.getElementById('app')! });
void showIntegrityAlarm();
