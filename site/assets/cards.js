// On a phone, wide tables (metrics, comparisons: four columns or more) read better as one
// card per row. Each cell gets its column's header as a label; casebook.css lays the
// cards out below 45em. Without this script the tables simply scroll sideways.
document$.subscribe(function () {
  document.querySelectorAll("article table").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    if (heads.length < 4) return;
    // An attribute, not a class: Material styles only `table:not([class])`.
    table.setAttribute("data-cards", "");
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      Array.prototype.forEach.call(row.cells, function (cell, i) {
        if (heads[i]) cell.setAttribute("data-label", heads[i].textContent.trim());
      });
    });
  });
});
