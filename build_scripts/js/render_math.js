// Typeset TeX as HTML with MathJax 3 (CHTML output, with MathML for screen readers), for pages that
// arrive with their math already typeset. Reads JSON {"items": [{"tex", "display"}], "macros": {...},
// "fontURL": "..."} on stdin and writes JSON {"results": [{"html"} or {"error"}], "css": "..."}: the
// stylesheet covers every character of MathJax's TeX fonts, so it serves every page.
"use strict";
const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { CHTML } = require("mathjax-full/js/output/chtml.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { AssistiveMmlHandler } = require("mathjax-full/js/a11y/assistive-mml.js");
const { AllPackages } = require("mathjax-full/js/input/tex/AllPackages.js");

const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));
const packages = AllPackages.filter((name) => name !== "noundefined" && name !== "autoload");
const tex = new TeX({ packages, macros: input.macros || {}, formatError: (jax, err) => { throw err; } });
const chtml = new CHTML({ fontURL: input.fontURL || "fonts", adaptiveCSS: false });
const doc = mathjax.document("", { InputJax: tex, OutputJax: chtml });

const results = (input.items || []).map(({ tex: source, display }) => {
  try {
    return { html: adaptor.outerHTML(doc.convert(source, { display })) };
  } catch (err) {
    return { error: String(err.message || err) };
  }
});
process.stdout.write(JSON.stringify({ results, css: adaptor.textContent(chtml.styleSheet(doc)) }));
