/** Unit tests sit beside the code (*.test.ts); tests that need Redis or processes live under test/. */
module.exports = {
  testEnvironment: 'node',
  // Transpile only: `npm run typecheck` (tsc --noEmit) is the type gate, once for the whole tree.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testMatch: ['<rootDir>/{services,workers,shared,cli,bench,test}/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 30000,
  maxWorkers: 2,
};
