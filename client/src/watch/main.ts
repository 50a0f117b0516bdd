// The watch page: /live/<room> and /sittings/<id>.
import { mount } from 'svelte';
import WatchPage from './WatchPage.svelte';
import '../site.css';

mount(WatchPage, { target: document.getElementById('app')! });
