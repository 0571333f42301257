// The published declarations: one bundle per package entry, holding only what that entry exports.
// tsc's per-file declarations import every module they sit beside, so a consumer's compiler would
// load zod's (which need esModuleInterop) and every provider's, even for names it never uses;
// bundled, an entry names only the types its exports reach. The entries come from package.json.
import { readFileSync } from "node:fs";
import { rollup } from "rollup";
import { dts } from "rollup-plugin-dts";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const input = Object.fromEntries(
  Object.entries(pkg.exports)
    .filter(([, target]) => typeof target === "object")
    .map(([entry, target]) => [
      entry === "." ? "index" : entry.slice(2),
      target.default
        .replace(/^\.\/dist\/components\//, "dist/declarations/components/")
        .replace(/\.js$/, ".d.ts"),
    ]),
);

const entryFiles = new Set(
  Object.values(input).map((file) => new URL(`../${file}`, import.meta.url).pathname),
);

const output = {
  dir: "dist/types",
  format: "es",
  chunkFileNames: "shared/[name].d.ts",
  // Shared declarations go in one chunk per source folder, never into an entry: were the root's
  // chunk to hold a type the AWS entry uses, AWS-only programs would load the Azure declarations
  // the root re-exports.
  manualChunks: (id) =>
    entryFiles.has(id) ? undefined : /\/declarations\/components\/([^/]+)\//.exec(id)?.[1],
};
const bundle = await rollup({
  input,
  // A bare specifier is a dependency or peer, referenced as the consumer installs it.
  external: (id) => !id.startsWith(".") && !id.startsWith("/"),
  // Importing a package only for its side effects means nothing in a declaration file.
  treeshake: { moduleSideEffects: false },
  plugins: [dts()],
  onwarn: (warning) => {
    // A type an entry reaches but exports under no name breaks consumers' declaration emit (TS2742).
    throw new Error(`declarations: ${warning.message}`);
  },
});
await bundle.write(output);
await bundle.close();
