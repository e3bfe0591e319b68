// The browser test's bundle of the OpenFeature web SDK with our provider, as an app would ship it.
export { OpenFeature } from "@openfeature/web-sdk";
export { AbTestWebProvider } from "../dist/openfeature.js";
