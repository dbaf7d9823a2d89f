/* Certificate statistics (decision 0053): draw each section's chart with the vendored
   Chart.js from the JSON data island the server rendered beside the tables (the same
   numbers as the tables, which stay the truth). No inline script or style: CSP-clean. */
(function () {
  "use strict";
  var island = document.getElementById("statistics-data");
  if (!island || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(island.textContent);
  var colours = { valid: "#1f5fa8", revoked: "#c0392b", replaced: "#e0a020" };
  document.documentElement.classList.add("charts-on");
  data.sections.forEach(function (section) {
    var canvas = document.getElementById("chart-" + section.name);
    if (!canvas || !section.labels.length) {
      return;
    }
    var horizontal = section.type === "hbar";
    var valueAxis = { stacked: true, beginAtZero: true, ticks: { precision: 0 } };
    var labelAxis = { stacked: true, ticks: { autoSkip: !horizontal } };
    var chart = new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: section.labels,
        datasets: section.series.map(function (series) {
          return {
            label: series.label,
            data: series.data,
            backgroundColor: colours[series.key] || "#777",
            stack: "status"
          };
        })
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
        plugins: {
          legend: { position: "bottom" },
          title: { display: false }
        }
      }
    });
    canvas.setAttribute("data-drawn", chart.data.labels.length);
  });
})();
