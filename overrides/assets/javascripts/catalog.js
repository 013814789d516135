/*
 * Catalog filters.  Without JavaScript the form stays hidden and every course
 * shows.  With it: combinable filters, a live count, and the filter state in
 * the URL (?category=ict&level=foundation) so a filtered view can be shared.
 */
(function () {
  "use strict";
  var form = document.querySelector("form.cc-filters");
  if (!form) return;
  var cards = Array.prototype.slice.call(document.querySelectorAll(".cc-card"));
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-attribute]"));
  var count = form.querySelector(".cc-filters__count");

  function matches(card) {
    return selects.every(function (select) {
      if (!select.value) return true;
      var values = (card.getAttribute("data-" + select.dataset.attribute) || "").split(" ");
      return values.indexOf(select.value) !== -1;
    });
  }

  function apply(updateUrl) {
    var shown = 0;
    cards.forEach(function (card) {
      var visible = matches(card);
      card.hidden = !visible;
      if (visible) shown++;
    });
    count.textContent = shown
      ? count.dataset.template.replace("{shown}", shown).replace("{total}", cards.length)
      : count.dataset.none;
    if (updateUrl) {
      var params = new URLSearchParams();
      selects.forEach(function (select) {
        if (select.value) params.set(select.name, select.value);
      });
      var query = params.toString();
      try {
        history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
      } catch (error) {
        /* some browsers refuse this for pages opened from a folder (file://) */
      }
    }
  }

  var params = new URLSearchParams(location.search);
  selects.forEach(function (select) {
    var wanted = params.get(select.name);
    if (wanted && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) {
      select.value = wanted;
    }
    select.addEventListener("change", function () { apply(true); });
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { apply(true); }, 0);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  apply(false);
  // The page's first drawing hid the cards a filtered address leaves out
  // (overrides/main.html); from here on the filters decide.
  var prefilter = document.getElementById("cc-prefilter");
  if (prefilter) prefilter.parentNode.removeChild(prefilter);
})();
