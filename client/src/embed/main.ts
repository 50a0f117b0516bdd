// The embeddable player: /embed/<room>.
import { mount } from 'svelte';
import EmbedPage from './EmbedPage.svelte';
import '../site.css';

mount(EmbedPage, { target: document.getElementById('app')! });
