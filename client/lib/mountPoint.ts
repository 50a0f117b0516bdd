// The element a page mounts into. Its HTML file holds it, so a missing one is a mistake in the
// build, said plainly rather than as a failure inside Svelte.
export function mountPoint(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id} to mount into`);
  return element;
}
