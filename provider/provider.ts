// The object Pulumi serialises into every LivePullStreamTask's state (`__provider`), through stubs.ts
// (an installed package is captured there as one require). From a checkout the serialiser copies
// local modules by value, so each method is a stub that require()s provider/impl.js when called:
// state then holds the stubs and three path strings (3 KB), never credentials, a client or config.
// The impl is found by package name first (survives moving the project and upgrades: refresh and
// delete run the stubs of the OLD state), then relative to the working directory, then by absolute
// path. What the stubs use at call time must be a literal or `require`, never an imported module.
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

// The body below is serialised into every resource's state, twice (inputs and outputs): it holds
// no comment and says only what a user needs. `require("node:path")` rather than the imported
// `path`: transpilers (vitest, bundlers) rename imports to variables the serialiser cannot
// recognise as a module and would copy by value. A missing dependency INSIDE an existing impl is
// a broken install, not "try the next one"; a package "exports" map not listing the impl
// (ERR_PACKAGE_PATH_NOT_EXPORTED) leaves the paths after it.
function loadImpl(): ProviderImpl {
  const candidates = [PACKAGE_IMPL, require("node:path").resolve(process.cwd(), IMPL_RELATIVE), IMPL_ABSOLUTE];
  for (const specifier of candidates) {
    try {
      return require(specifier) as ProviderImpl;
    } catch (e) {
      const err = e as { code?: string; message?: string };
      const missing = err.code === "MODULE_NOT_FOUND" && String(err.message).includes(`'${specifier}'`);
      if (!missing && err.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") throw e;
    }
  }
  throw new Error(`LivePullStreamTask: cannot load its provider; tried ${candidates.join(", ")}: npm install ` +
    "pulumi-css-pull-tasks (in its repository: npm run build)");
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
