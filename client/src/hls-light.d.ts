// hls.js ships its light build (no alternate audio, subtitles or DRM — none of which a council's
// stream uses) without its own type file; its API is the full build's.
declare module 'hls.js/light' {
  export * from 'hls.js';
  export { default } from 'hls.js';
}
