// A number field as a clerk types into it: focusing selects what is there (typing replaces a
// 0 instead of appending to it), and a leading zero never stays on screen ("025" → "25"). A
// Svelte action; the bound value is the same number either way.
export function plainNumber(node: HTMLInputElement): { destroy: () => void } {
  const select = () => node.select();
  const trim = () => {
    if (/^-?0\d/.test(node.value)) node.value = String(Number(node.value));
  };
  node.addEventListener('focus', select);
  node.addEventListener('input', trim);
  return {
    destroy() {
      node.removeEventListener('focus', select);
      node.removeEventListener('input', trim);
    },
  };
}
