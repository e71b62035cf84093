// The provider object every LivePullStreamTask hands to Pulumi, as this module's whole export.
// Pulumi's serialiser captures an object that IS a module's exports, from a package under
// node_modules, as `require("<package>/<path>")` instead of copying its functions by value
// (@pulumi/pulumi runtime/closure/createClosure.js `findNormalizedModuleNameAsync`,
// `captureModuleAsync`). So for an installed package every resource's state holds a one-line
// require in place of ~3 KB of stubs, twice (inputs and outputs): the real CLI's checkpoint writes,
// which rewrite the whole state after each step, and every gRPC call carry less. From a checkout
// (not under node_modules) it is still copied by value, as provider.ts's stubs always were.
import { livePullStreamTaskProvider } from "./provider";

export = livePullStreamTaskProvider;
