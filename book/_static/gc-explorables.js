// Draw the book's moving figures (gradcourse.explorables): each div.gc-explorable holds a Vega-Lite
// specification whose every frame was computed by the chapter when the book was built. vega-embed draws it;
// the sliders only choose which precomputed rows are shown. Loaded, after _static/vega/vega-bundle.js, only on
// pages that have such a figure.
const figures = [...document.querySelectorAll("div.gc-explorable")];
for (const el of figures) {
  const spec = JSON.parse(el.querySelector("script.gc-explorable-spec").textContent);
  const target = document.createElement("div");
  el.append(target);
  window.vegaEmbed(target, spec, { actions: false, renderer: "svg", mode: "vega-lite" })
    .then(result => { el.gcView = result.view; el.dataset.ready = "true"; })
    .catch(error => {
      el.dataset.ready = "failed";
      target.textContent = `This figure could not be drawn: ${error}`;
      throw error;  // shows in the console (and fails the browser test)
    });
}
