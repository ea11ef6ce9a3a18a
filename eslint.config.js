// Lint catches what reviews miss: floating promises, import cycles and layer boundaries
// (nothing in shared/ imports a role; no role imports another role).
const fs = require('node:fs');
const path = require('node:path');
const tseslint = require('typescript-eslint');
const importPlugin = require('eslint-plugin-import');

const roleDirs = ['services', 'workers'].flatMap((top) =>
  fs.existsSync(path.join(__dirname, top))
    ? fs.readdirSync(path.join(__dirname, top), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `${top}/${d.name}`)
    : [],
);
const zones = [
  { target: './shared', from: './services', message: 'shared/ must not import a role' },
  { target: './shared', from: './workers', message: 'shared/ must not import a role' },
  { target: './shared', from: './cli', message: 'shared/ must not import the CLI' },
  ...roleDirs.flatMap((role) =>
    roleDirs.filter((other) => other !== role).map((other) => ({ target: `./${role}`, from: `./${other}`, message: 'a role must not import another role' })),
  ),
];

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.kubeq/**', '*.js', 'test/fixtures/**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    plugins: { import: importPlugin },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.js'] } }, 'import/parsers': { '@typescript-eslint/parser': ['.ts'] } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'import/no-cycle': 'error',
      'import/no-restricted-paths': ['error', { zones }],
    },
  },
);
