// Recomputes the subtotals and the total of a self-assessment as answers change. The server
// computes them again on every save; without this script the page works the same.
(function () {
  var form = document.querySelector("form[data-live]");
  if (!form) return;
  function points(el) {
    if (el.hasAttribute("data-fixed")) return parseFloat(el.getAttribute("data-fixed")) || 0;
    if (el.tagName === "SELECT") return parseFloat(el.value) || 0;
    if (el.checked) return parseFloat(el.getAttribute("data-points")) || 0;
    return 0;
  }
  var format;
  try {
    format = new Intl.NumberFormat(form.getAttribute("data-live") || undefined, {
      maximumFractionDigits: 2,
      useGrouping: false,
    }).format;
  } catch (e) {
    format = function (n) { return String(Math.round(n * 100) / 100); };
  }
  function show(n) {
    return format(n);
  }
  function update() {
    var total = 0;
    form.querySelectorAll("fieldset[data-criterion]").forEach(function (part) {
      var sum = 0;
      part.querySelectorAll("select, input[type=radio], [data-fixed]").forEach(function (el) {
        sum += points(el);
      });
      var out = part.querySelector("output[data-subtotal]");
      if (out) out.textContent = show(sum);
      total += sum;
    });
    var out = document.getElementById("total");
    if (out) out.textContent = show(total);
  }
  form.addEventListener("change", update);
})();
