// Entry of the source-based plugin (PulumiPlugin.yaml, runtime nodejs): the nodejs language host's
// run-plugin requires this directory and calls the function it exports, with process.argv set to
// the plugin's arguments. Plain JavaScript so it needs no compiler: the compiled provider is in
// ../dist (in the published package; in a clone of the repository after `npm ci && npm run build`).
"use strict";
module.exports = () => require("../dist/plugin/main").run(process.argv.slice(2));
