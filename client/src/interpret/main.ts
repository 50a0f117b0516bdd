// The sign-language interpreter's page: /interpret/<token> (issue 17).
import { mount } from 'svelte';
import InterpretPage from './InterpretPage.svelte';
import '../site.css';
import { mountPoint } from '../../lib/mountPoint.ts';

mount(InterpretPage, { target: mountPoint('app') });
