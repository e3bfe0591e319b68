// Bundles the compiled SDK for browsers: an ES module and a classic script (global `abtest`),
// both minified. No dependency is bundled in: the SDK has none at run time.
import * as esbuild from "esbuild";

const common = { bundle: true, minify: true, target: "es2020", logLevel: "warning", legalComments: "none" };
await esbuild.build({ ...common, entryPoints: ["dist/index.js"], format: "esm", outfile: "dist/abtest.min.js" });
await esbuild.build({ ...common, entryPoints: ["dist/index.js"], format: "iife", globalName: "abtest", outfile: "dist/abtest.iife.min.js" });
await esbuild.build({ ...common, entryPoints: ["dist/openfeature.js"], format: "esm", external: ["@openfeature/web-sdk"], outfile: "dist/openfeature.min.js" });
