import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

// The architecture is enforced here (docs/architecture.md): domain imports nothing; agent imports
// only domain; adapters import domain and agent's ports, never config, app or cli; config imports
// domain (and the cron scheduler); app composes; nothing but main imports cli.
const nodeAndPackages = {
  patterns: [
    { group: ['node:*'], message: 'domain/ is pure: pass facts and time in as arguments.' },
    {
      regex: '^[^.]',
      message: 'domain/ is pure: it imports no package.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { varsIgnorePattern: '^_', argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='Date'][property.name='now']",
          message: 'Time is a port: take a Clock.',
        },
      ],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', nodeAndPackages],
    },
  },
  {
    files: ['src/agent/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'agent/ reaches the world through ports only.' },
            { regex: '^[^.]', message: 'agent/ imports no package; write an adapter.' },
            {
              group: ['**/adapters/**', '**/app/**', '**/cli/**', '**/config/**'],
              message: 'agent/ depends on domain/ and its own ports only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/app/**', '**/cli/**', '**/config/**'],
              message:
                'adapters do not know who composes them, nor the config file: pass settings in.',
            },
          ],
        },
      ],
    },
  },
  {
    // config/ reads the file and the environment into a ResolvedConfig; it knows nothing that runs.
    files: ['src/config/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/agent/**', '**/app/**', '**/cli/**'],
              message: 'config/ depends on domain/ only.',
            },
            {
              regex: '/adapters/(?!clock/)',
              message:
                'config/ reaches no adapter but the scheduler, to accept only the cron it runs.',
            },
          ],
        },
      ],
    },
  },
  {
    // app/ composes the agent; the command line sits above it, and nothing imports the CLI.
    files: ['src/app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/cli/**'], message: 'app/ is driven by cli/, not the other way.' },
          ],
        },
      ],
    },
  },
  {
    // The client is published to applications: it must not drag the agent in with it.
    files: ['src/client/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./',
              message: 'the client stands alone: import only its own files, node:* and undici.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'src/adapters/clock/**/*.ts',
      'src/app/**/*.ts',
      'src/cli/**/*.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    // Benchmarks and the build script are plain Node scripts.
    files: ['bench/**/*.mjs', '*.mjs'],
    languageOptions: { globals: globals.node },
  },
  prettier,
);
