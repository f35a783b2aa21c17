// Draws every Vega-Lite chart of a dashboard page.
//
// Each chart is a <div data-vega-spec="ID"> next to a <script type="application/json" id="ID">
// holding its spec (written by the server with Django's json_script). The site's
// Content-Security-Policy forbids eval and inline styles, so:
//   - expressions run in vega-interpreter (`ast: true` + `expr`), never through `new Function`;
//   - vega-embed and its tooltip add no <style> element (`defaultStyle: false`,
//     `disableDefaultStyle: true`): dashboard.css styles them instead;
//   - the export/edit menu is off (`actions: false`): it would open other origins.
const link = document.getElementById("vega-interpreter");
const { expressionInterpreter } = await import(link.href);

const options = {
  actions: false,
  ast: true,
  expr: expressionInterpreter,
  renderer: "svg",
  defaultStyle: false,
  tooltip: { disableDefaultStyle: true, theme: "aw" },
};

async function draw(element) {
  const holder = document.getElementById(element.dataset.vegaSpec);
  if (!holder) {
    return;
  }
  try {
    const spec = JSON.parse(holder.textContent);
    const result = await vegaEmbed(element, spec, options);
    element.dataset.rendered = "true";
    element.vegaView = result.view;
  } catch (error) {
    element.dataset.rendered = "failed";
    element.classList.add("chart--failed");
    element.textContent = "This chart could not be drawn (" + error.message + "). The numbers are in the tables on this page.";
    console.error(error);
  }
}

await Promise.all(Array.from(document.querySelectorAll("[data-vega-spec]"), draw));

// Select boxes that change what a chart shows submit their form at once (the form's button
// does the same without JavaScript).
for (const select of document.querySelectorAll("select[data-autosubmit]")) {
  select.addEventListener("change", () => select.form.requestSubmit());
}
