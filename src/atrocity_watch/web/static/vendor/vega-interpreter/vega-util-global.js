// Written by scripts/vendor_assets.sh: the helpers vega-interpreter imports from 'vega-util',
// taken from the vega build already loaded on the page (vega.min.js bundles vega-util).
const vega = globalThis.vega;
export const ascending = vega.ascending;
export const isString = vega.isString;
export const DisallowedObjectProperties = vega.DisallowedObjectProperties;
