#!/usr/bin/env node
// pulumi-resource-tencentcloud-css: the native provider plugin. The engine starts it (from PATH, a
// plugin directory, or through plugin/PulumiPlugin.yaml's nodejs runtime, see plugin/index.js) with
// its own address as the argument and reads the gRPC port from the first line of stdout.
import { TaskProvider } from "./provider";
import { serve } from "./serve";

/** Serves one provider instance until the engine stops the process. */
export function run(args: string[] = process.argv.slice(2)): Promise<void> {
  return serve(new TaskProvider(), args);
}

if (require.main === module) {
  run().catch((err: unknown) => {
    process.stderr.write(`pulumi-resource-tencentcloud-css: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
