(function () {
  "use strict";
  // Article text is hostile: it is only ever put into the page as text nodes.
  var articles = JSON.parse(document.getElementById("brief-articles").textContent);
  var reader = document.getElementById("reader");
  var readerTitle = document.getElementById("reader-title");
  var readerCite = document.getElementById("reader-cite");
  var readerText = document.getElementById("reader-text");

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  function show(button) {
    var article = articles[Number(button.getAttribute("data-article"))];
    if (!article) {
      return;
    }
    var chars = Array.from(article.text); // offsets count code points, as Python does
    var start = Number(button.getAttribute("data-start"));
    var end = Number(button.getAttribute("data-end"));
    var mark = null;
    clear(readerText);
    readerTitle.textContent = article.label + " · " + article.title;
    readerCite.textContent = button.getAttribute("aria-label") || button.textContent;
    if (end > start && end <= chars.length) {
      mark = document.createElement("mark");
      mark.textContent = chars.slice(start, end).join("");
      readerText.appendChild(document.createTextNode(chars.slice(0, start).join("")));
      readerText.appendChild(mark);
      readerText.appendChild(document.createTextNode(chars.slice(end).join("")));
    } else {
      readerText.appendChild(document.createTextNode(article.text));
    }
    reader.hidden = false;
    if (mark) {
      mark.scrollIntoView({ block: "center" });
    } else {
      readerText.scrollTop = 0;
    }
  }

  function sortKey(row, column) {
    var cell = row.cells[column];
    var key = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    var number = Number(key);
    return key.trim() !== "" && !isNaN(number) ? number : key.trim().toLowerCase();
  }

  function sortBy(button) {
    var header = button.closest("th");
    var body = header.closest("table").tBodies[0];
    var column = Array.prototype.indexOf.call(header.parentNode.children, header);
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = sortKey(a, column);
      var y = sortKey(b, column);
      if (typeof x !== typeof y) {
        x = String(x);
        y = String(y);
      }
      var order = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
    rows.forEach(function (row) {
      body.appendChild(row);
    });
    Array.prototype.forEach.call(header.parentNode.children, function (other) {
      other.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) {
      return;
    }
    var cite = target.closest("button.cite, rect.mark");
    var sorter = target.closest("button.sort");
    if (cite) {
      show(cite);
    } else if (sorter) {
      sortBy(sorter);
    } else if (target.closest("#reader-close")) {
      reader.hidden = true;
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      reader.hidden = true;
    } else if (event.key === "Enter" && event.target instanceof Element &&
               event.target.matches("rect.mark")) {
      show(event.target); // a timeline mark is a citation too
    }
  });
})();
