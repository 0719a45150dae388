// The link chart: cytoscape.js, expand on click, filter by date and agency, export as PNG.
(function () {
  "use strict";
  const box = document.getElementById("chart");
  if (!box || typeof cytoscape === "undefined") return;
  const status = document.getElementById("chart-status");
  const expanded = new Set();
  const colours = { person: "#2f5d7c", vehicle: "#6b4fa0", phone: "#2b7a6b", location: "#a0622d" };
  const cy = cytoscape({
    container: box,
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: {
          "label": "data(label)", "font-size": 11, "text-valign": "bottom", "text-margin-y": 4,
          "background-color": (n) => colours[n.data("kind")] || "#555",
          "width": (n) => 18 + Math.min(30, 3 * (n.data("reports") || 1)),
          "height": (n) => 18 + Math.min(30, 3 * (n.data("reports") || 1)),
          "shape": (n) => ({ vehicle: "round-rectangle", phone: "diamond", location: "triangle" }[n.data("kind")] || "ellipse"),
      } },
      { selector: "node[?seed]", style: { "border-width": 3, "border-color": "#f2b705" } },
      { selector: "edge", style: {
          "width": (e) => 1 + Math.min(6, e.data("weight")), "line-color": "#9aa5b1",
          "curve-style": "bezier",
      } },
    ],
  });

  function filters() {
    const params = new URLSearchParams();
    for (const id of ["since", "until", "agency"]) {
      const value = document.getElementById(id).value;
      if (value) params.set(id, value);
    }
    return params;
  }

  async function expand(focus) {
    const params = filters();
    params.set("focus", focus);
    status.textContent = "Loading links…";
    const response = await fetch("/chart/data?" + params.toString(), { credentials: "same-origin" });
    if (!response.ok) { status.textContent = "Could not load the links (" + response.status + ")."; return; }
    const data = await response.json();
    expanded.add(focus);
    const fresh = [];
    for (const node of data.nodes) if (cy.getElementById(node.data.id).empty()) fresh.push({ group: "nodes", data: node.data });
    for (const edge of data.edges) if (cy.getElementById(edge.data.id).empty()) fresh.push({ group: "edges", data: edge.data });
    cy.add(fresh);
    cy.layout({ name: "cose", animate: false, randomize: false, nodeRepulsion: 12000, idealEdgeLength: 90 }).run();
    status.textContent = cy.nodes().length + " nodes, " + cy.edges().length + " links shown.";
    listNodes();
    box.dataset.nodes = String(cy.nodes().length);
  }

  // The same expansion by keyboard: every node not yet expanded, in a list.
  const picker = document.getElementById("expand-node");
  function listNodes() {
    picker.replaceChildren();
    cy.nodes().filter((n) => !expanded.has(n.id())).sort((a, b) => a.data("label").localeCompare(b.data("label")))
      .forEach((n) => picker.add(new Option(n.data("label") + " (" + n.data("kind") + ")", n.id())));
  }
  document.getElementById("expand-button").addEventListener("click", () => { if (picker.value) expand(picker.value); });

  cy.on("tap", "node", (evt) => { const id = evt.target.id(); if (!expanded.has(id)) expand(id); });
  cy.on("dbltap", "node", (evt) => { window.location.href = "/entities/" + encodeURIComponent(evt.target.id()); });

  document.getElementById("apply-filter").addEventListener("click", () => {
    const seeds = Array.from(expanded);
    cy.elements().remove();
    expanded.clear();
    seeds.reduce((p, id) => p.then(() => expand(id)), Promise.resolve());
  });
  document.getElementById("export-png").addEventListener("click", () => {
    const link = document.getElementById("download-png");
    link.href = cy.png({ full: true, scale: 2, bg: "#ffffff" });
    link.hidden = false;
    link.focus();
  });
  window.lanternChart = cy;
  window.lanternChartExpanded = expanded;  // which nodes have had their links drawn
  expand(box.dataset.focus);
})();
