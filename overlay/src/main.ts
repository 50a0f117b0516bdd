// The on-air overlay page: reads the URL options, follows the room's live channel, and mounts
// once the bundled fonts are ready.
import { mount } from 'svelte';
import { fontsReady } from './fonts.ts';
import { parseOptions } from './options.ts';
import Overlay from './Overlay.svelte';
import { OverlayState } from './OverlayState.svelte.ts';
import './theme.css';
import './layout.css';
import { mountPoint } from '../../client/lib/mountPoint.ts';

const options = parseOptions(location.search);
document.documentElement.lang = options.lang;
document.documentElement.dataset.theme = options.theme;
document.documentElement.style.background = options.background;
if (options.accent) document.documentElement.style.setProperty('--rc-accent', options.accent);

const overlay = new OverlayState(options);
overlay.start();
void fontsReady().then(() => mount(Overlay, { target: mountPoint('overlay'), props: { overlay } }));
