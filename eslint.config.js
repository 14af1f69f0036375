// ESLint flat config. Besides typescript-eslint's recommended rules it enforces the
// dependency direction of ARCHITECTURE.md: edge-core imports nothing of ours and nothing
// of Electron/HTTP/devices; drivers and sync import only edge-core's public entry points.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const hostOrDevicePackages = [
  'electron',
  'electron-updater',
  'fastify',
  '@fastify/*',
  'ws',
  'serialport',
  '@serialport/*',
  'node-hid',
  'http',
  'https',
  'node:http',
  'node:https',
  'node:net',
  'net',
  'undici',
];

const ourTopLevels = ['app', 'drivers', 'sync', 'models', 'build'];

/** drivers/ and sync/ may import edge-core only through its entry point or its ports. */
function adapterRule(files, forbiddenAreas, who) {
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: `${who} must not depend on Electron.` }],
          patterns: [
            {
              regex: '(^|/)edge-core/src/(?!index\\.js$|ports/[^/]+\\.js$)',
              message: 'import edge-core only through edge-core/src/index.js or edge-core/src/ports/*.js',
            },
            {
              regex: `(^|/)(${forbiddenAreas.join('|')})/`,
              message: `${who} must not import ${forbiddenAreas.join(' or ')}.`,
            },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'app/ui/dist/**', '**/*.gen.js', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['edge-core/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: hostOrDevicePackages
            .filter((p) => !p.includes('*'))
            .map((name) => ({ name, message: 'edge-core must not depend on hosts, HTTP or devices.' })),
          patterns: [
            {
              group: hostOrDevicePackages.filter((p) => p.includes('*')),
              message: 'edge-core must not depend on hosts, HTTP or devices.',
            },
            {
              group: ourTopLevels.flatMap((d) => [`**/${d}/**`, `../../${d}/*`]),
              message: 'edge-core imports nothing of ours outside edge-core.',
            },
          ],
        },
      ],
    },
  },
  adapterRule(['drivers/**/*.ts'], ['app', 'sync'], 'drivers'),
  adapterRule(['sync/**/*.ts'], ['app', 'drivers'], 'sync'),
);
