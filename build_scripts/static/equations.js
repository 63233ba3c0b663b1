// Each numbered equation offers its {eq} citation text, copied in one click.
document.addEventListener("DOMContentLoaded", () => {
  for (const eq of document.querySelectorAll('div.math[id^="equation-"]')) {
    const label = eq.id.slice("equation-".length);
    const cite = "{eq}`" + label + "`";
    const button = document.createElement("button");
    button.className = "eq-copy-label";
    button.type = "button";
    button.title = "Copy " + cite;
    button.setAttribute("aria-label", "Copy the citation " + cite);
    button.dataset.cite = cite;
    button.textContent = label;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(cite);
      } catch (err) {
        const area = document.createElement("textarea");
        area.value = cite;
        document.body.appendChild(area);
        area.select();
        document.execCommand("copy");
        area.remove();
      }
      button.classList.add("copied");
      setTimeout(() => button.classList.remove("copied"), 1500);
    });
    eq.appendChild(button);
  }
});
