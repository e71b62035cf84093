// The object Pulumi serialises into EVERY LivePullStreamTask's state (`__provider`) and later
// deserialises in the dynamic provider host (require-from-string) to run check/diff/create/….
//
// Why stubs: Pulumi's closure serialiser captures local modules BY VALUE (their whole code and
// everything they reference) and node_modules as `require("pkg")`. Referencing provider/impl.ts
// from here would copy the task core, the client and the schema into every resource's state.
// So each method is a stub that `require()`s the implementation when it is called, and all the
// serialised text holds is these stubs plus three path strings (a few KB). No credentials, no
// client, no config: `configure` hands the stack config to impl's module state at run time.
//
// Where the implementation is found, in order (first that exists wins):
//  1. the package name (read from our package.json at serialisation time, normally
//     `pulumi-css-pull-tasks`) + `/dist/provider/impl`, resolved from the host's working directory (the engine starts it in the project directory, whose node_modules holds
//     the package). This survives moving the project, reinstalling, and upgrading the package —
//     an upgrade's fixes then apply to resources created by older versions, which matters because
//     refresh and delete run the provider text stored in the OLD state.
//  2. the compiled impl's path relative to the working directory at serialisation time (running
//     from this repository: the root stack, tests and bench). Still valid if the whole repository
//     is moved or cloned elsewhere, since the host runs in the same project directory.
//  3. the absolute path at serialisation time, for a host started in another directory.
// Only "module not found" for the candidate itself moves on to the next; any other load error
// (a broken install) surfaces as is. When this file runs as TypeScript source (ts-node programs,
// vitest) the candidates point at the compiled dist/provider/impl.js: the host is plain Node.
//
// Everything the stubs use at call time must be a literal or `require` (which the serialiser never
// captures): no imported module, or it could be serialised by value.
import type * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import * as path from "node:path";

function compiledImplPath(): string {
  const dir = __filename.endsWith(".ts") ? path.join(__dirname, "..", "dist", "provider") : __dirname;
  return path.join(dir, "impl.js");
}

/** `<package name>/<impl path inside the package>`, from the nearest package.json above the impl. */
function packageSpecifier(implFile: string): string {
  for (let dir = path.dirname(implFile); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (!fs.existsSync(manifest)) continue;
    const name = (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name ?? "pulumi-css-pull-tasks";
    return `${name}/${path.relative(dir, implFile).split(path.sep).join("/").replace(/\.js$/, "")}`;
  }
  return "pulumi-css-pull-tasks/dist/provider/impl";
}

const IMPL_ABSOLUTE = compiledImplPath();
const PACKAGE_IMPL = packageSpecifier(IMPL_ABSOLUTE);
const IMPL_RELATIVE = path.relative(process.cwd(), IMPL_ABSOLUTE);

/** What provider/impl.ts exports: the provider methods without the serialisation concern. */
export interface ProviderImpl {
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void>;
  check(olds: any, news: any): Promise<pulumi.dynamic.CheckResult>;
  diff(id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: any): Promise<pulumi.dynamic.CreateResult>;
  read(id: string, props?: any): Promise<pulumi.dynamic.ReadResult>;
  update(id: string, olds: any, news: any): Promise<pulumi.dynamic.UpdateResult>;
  delete(id: string, props: any): Promise<void>;
}

function loadImpl(): ProviderImpl {
  // `require`d here rather than using the imported `path`: transpilers (vitest, bundlers) rename
  // imports to variables the serialiser cannot recognise as a module and would copy by value.
  const nodePath = require("node:path") as typeof path;
  const candidates = [PACKAGE_IMPL, nodePath.resolve(process.cwd(), IMPL_RELATIVE), IMPL_ABSOLUTE];
  for (const specifier of candidates) {
    try {
      return require(specifier) as ProviderImpl;
    } catch (e) {
      const err = e as { code?: string; message?: string };
      // A missing dependency INSIDE an existing impl is a broken install, not "try the next one".
      const missingItself = err.code === "MODULE_NOT_FOUND" && String(err.message).includes(`'${specifier}'`);
      // A package "exports" map that does not list the impl: the paths below still reach it.
      const notExported = err.code === "ERR_PACKAGE_PATH_NOT_EXPORTED";
      if (!missingItself && !notExported) throw e;
    }
  }
  throw new Error(
    `LivePullStreamTask: cannot load the provider implementation; tried ${candidates.join(", ")}. ` +
      "Install the package in the project (npm install pulumi-css-pull-tasks) or, in its repository, run `npm run build`.",
  );
}

export const livePullStreamTaskProvider: pulumi.dynamic.ResourceProvider = {
  configure: (req) => loadImpl().configure(req),
  check: (olds, news) => loadImpl().check(olds, news),
  diff: (id, olds, news) => loadImpl().diff(id, olds, news),
  create: (inputs) => loadImpl().create(inputs),
  read: (id, props) => loadImpl().read(id, props),
  update: (id, olds, news) => loadImpl().update(id, olds, news),
  delete: (id, props) => loadImpl().delete(id, props),
};
