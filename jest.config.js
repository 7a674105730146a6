/** Jest with the SWC transform: type checking is `npm run typecheck`'s job, so tests stay fast. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  // One temporary folder per run, removed at the end (cdktf's Testing.app() never removes its own).
  globalSetup: "<rootDir>/__tests__/jest/global-setup.cjs",
  globalTeardown: "<rootDir>/__tests__/jest/global-teardown.cjs",
  maxWorkers: 2,
};
