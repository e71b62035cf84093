// Entry of the policy pack (PulumiPolicy.yaml, runtime nodejs): run-policy-pack requires this
// directory, and requiring the compiled pack serves it. Plain JavaScript so it needs no compiler:
// the compiled pack is in ../dist (in the published package; in a checkout after `npm run build`).
"use strict";
require("../dist/policy/pack");
