// Typeset TeX as HTML with MathJax 3 (CHTML output, with MathML for screen readers), for pages that
// arrive with their math already typeset. A worker: reads one JSON request a line on stdin,
// {"items": [{"tex", "display"}], "macros": {...}, "fontURL": "..."}, and answers each with one line,
// {"results": [{"html"} or {"error"}], "css": "..."}: the stylesheet covers every character of
// MathJax's TeX fonts, so it serves every page. The macros and font URL of the first request hold
// for the worker's life.
"use strict";
const readline = require("readline");
const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { CHTML } = require("mathjax-full/js/output/chtml.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { AssistiveMmlHandler } = require("mathjax-full/js/a11y/assistive-mml.js");
const { AllPackages } = require("mathjax-full/js/input/tex/AllPackages.js");

const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));
const packages = AllPackages.filter((name) => name !== "noundefined" && name !== "autoload");
let chtml, doc;

function answer(input) {
  if (!doc) {
    const tex = new TeX({ packages, macros: input.macros || {}, formatError: (jax, err) => { throw err; } });
    chtml = new CHTML({ fontURL: input.fontURL || "fonts", adaptiveCSS: false });
    doc = mathjax.document("", { InputJax: tex, OutputJax: chtml });
  }
  const results = (input.items || []).map(({ tex: source, display }) => {
    try {
      return { html: adaptor.outerHTML(doc.convert(source, { display })) };
    } catch (err) {
      return { error: String(err.message || err) };
    }
  });
  return { results, css: adaptor.textContent(chtml.styleSheet(doc)) };
}

readline.createInterface({ input: process.stdin, crlfDelay: Infinity }).on("line", (line) => {
  if (line.trim()) process.stdout.write(JSON.stringify(answer(JSON.parse(line))) + "\n");
});
