// The alarm every page (residents' pages and the console) raises when the server serves the
// record read-only because it failed verification at start-up (GET /api/health). A plain DOM
// banner at the top of the page, outside each page's own component tree, so no page can miss it.
import { sharedMessage } from '../../protocol/messages/shared.ts';

export async function showIntegrityAlarm(): Promise<void> {
  let health: unknown;
  try {
    health = await (await fetch('/api/health')).json();
  } catch {
    return; // the server is unreachable: the page's own connection state says so
  }
  if (typeof health !== 'object' || health === null || !('status' in health) || health.status !== 'read-only') return;
  const banner = document.createElement('div');
  banner.setAttribute('role', 'alert');
  banner.dataset.integrityAlarm = '';
  banner.lang = 'uk';
  const en = document.createElement('span');
  en.lang = 'en';
  en.textContent = sharedMessage('ui.integrity.alarm', 'en');
  banner.append(sharedMessage('ui.integrity.alarm', 'uk'), document.createElement('br'), en);
  Object.assign(banner.style, {
    position: 'sticky',
    top: '0',
    zIndex: '2147483647',
    padding: '0.75rem 1rem',
    background: '#b00020',
    color: '#fff',
    font: '600 1rem/1.4 system-ui, sans-serif',
    textAlign: 'center',
  });
  document.body.prepend(banner);
}
