// `npm run test:pack`: the slow packaging test alone (a fresh clone packed and npm-installed into a
// temporary project), run once by .ci/run; `npm test` leaves it out (vitest.config.mts). Spread, not
// mergeConfig: merging would concatenate the include and exclude lists.
import { defineConfig } from "vitest/config";
import base from "./vitest.config.mts";

export default defineConfig({
  ...base,
  test: { ...base.test, include: ["test/pack/**/*.test.ts"], exclude: ["**/node_modules/**"], testTimeout: 120_000 },
});
