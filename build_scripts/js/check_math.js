// Typeset each TeX string with MathJax 3 (the version the site serves) and report the ones it
// cannot render. Reads a JSON list of {"tex": ..., "display": bool, "macros": {...}} on stdin; writes
// a JSON list of the same length: null where the math renders, else MathJax's error message.
// Undefined macros are errors here (in the browser they would show in red).
"use strict";
const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { SVG } = require("mathjax-full/js/output/svg.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { AllPackages } = require("mathjax-full/js/input/tex/AllPackages.js");

const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
RegisterHTMLHandler(liteAdaptor());
const macros = input.length ? input[0].macros || {} : {};
const packages = AllPackages.filter((name) => name !== "noundefined" && name !== "autoload");
const tex = new TeX({ packages, macros, formatError: (jax, err) => { throw err; } });
const doc = mathjax.document("", { InputJax: tex, OutputJax: new SVG({ fontCache: "none" }) });

const results = input.map(({ tex: source, display }) => {
  try {
    doc.convert(source, { display });
    return null;
  } catch (err) {
    return String(err.message || err);
  }
});
process.stdout.write(JSON.stringify(results));
