// The lint rules: a few that catch real bugs with the help of the type checker (a promise
// nobody awaits, a promise where a callback's result is ignored), the team's import style, and
// the walls between the compile units (tsconfig.*.json) spelled out once more for editors.
// Formatting is not linted; the code keeps the style it has.
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The walls: import paths a folder may not use. A later block replaces an earlier one for the
// files both match, so a folder's block repeats the walls of the folder around it.
const INTO_SERVER = { regex: '(^|/)server/', message: 'Pages never import the server; what both need lives in protocol/.' };
const INTO_PAGES = { regex: '(^|/)(client|overlay)/', message: 'The server never imports a page; what both need lives in protocol/.' };
const OUT_OF_PROTOCOL = { regex: '(^|/)(server|client|overlay)/', message: 'protocol/ is shared by the server and the pages and imports neither.' };
const INTO_OTHER_PAGES = {
  regex: '(^|/)client/(?!lib/)',
  message: 'The overlay shares only client/lib/ with the other pages.',
};
const INTO_OVERLAY = { regex: '(^|/)overlay/', message: 'The overlay is a page of its own; shared page code lives in client/lib/.' };
const OUT_OF_DOMAIN = {
  regex: '^node:|^\\.\\./(?!\\.\\./protocol/)',
  message: 'The domain is a pure decider: no I/O, nothing from the rest of the server, only protocol/.',
};
// The whole catalogue is the server's: a page takes its own area (and the protocol helpers a
// page uses take theirs), so each page bundles only its strings.
const WHOLE_CATALOGUE = {
  regex: '(^|/)(protocol/|\\./)messages\\.ts$',
  message: 'A page bundles only its own strings: import protocol/messages/<area>.ts, not the whole catalogue.',
};
const wall = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['dist/', '.tsbuild/', 'node_modules/', 'data/', 'test-results/', '.vitest-tmp/'] },
  {
    files: ['**/*.ts', '**/*.svelte'],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: {
        projectService: true,
        extraFileExtensions: ['.svelte'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // The console's command path: every outcome, a lost link included, comes back as an
          // answer (a refusal is shown by the control that sent it), so nothing is left to catch.
          allowForKnownSafeCalls: [{ from: 'file', name: 'send', path: 'client/console/src/state/ClerkLink.svelte.ts' }],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-non-null-asserted-optional-chain': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
    },
  },
  { files: ['server/**', 'protocol/**', 'client/**', 'overlay/**'], rules: { '@typescript-eslint/no-explicit-any': 'error' } },
  ...svelte.configs.recommended,
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: globals.browser,
      parserOptions: { parser: tseslint.parser, svelteConfig: {} },
    },
    rules: {
      // `let { … } = $props()` is how Svelte 5 declares props; svelte/prefer-const knows it.
      'prefer-const': 'off',
      'svelte/prefer-const': 'error',
      // These pages are not SvelteKit: links are plain URLs.
      'svelte/no-navigation-without-resolve': 'off',
      // Dates and URLSearchParams here are read once and dropped, never held as state.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  { files: ['client/**'], rules: wall(INTO_SERVER, INTO_OVERLAY, WHOLE_CATALOGUE) },
  { files: ['overlay/**'], rules: wall(INTO_SERVER, INTO_OTHER_PAGES, WHOLE_CATALOGUE) },
  { files: ['server/**'], rules: wall(INTO_PAGES) },
  { files: ['server/domain/**'], rules: wall(INTO_PAGES, OUT_OF_DOMAIN) },
  { files: ['protocol/**'], rules: wall(OUT_OF_PROTOCOL) },
  { files: ['protocol/*.ts'], ignores: ['protocol/messages.ts'], rules: wall(OUT_OF_PROTOCOL, WHOLE_CATALOGUE) },
);
