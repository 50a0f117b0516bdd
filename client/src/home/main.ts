// The residents' front page.
import { mount } from 'svelte';
import Home from './Home.svelte';
import '../site.css';

mount(Home, { target: document.getElementById('app')! });
