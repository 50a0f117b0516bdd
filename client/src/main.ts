import { mount } from 'svelte';
import SittingsIndex from './SittingsIndex.svelte';

mount(SittingsIndex, { target: document.getElementById('app')! });
