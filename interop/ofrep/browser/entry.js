// The page's one script, bundled by esbuild in the test: OpenFeature's web SDK and OFREP web provider.
import { OpenFeature } from '@openfeature/web-sdk';
import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';

window.openfeature = { OpenFeature, OFREPWebProvider };
