// versus: small enhancements. Every page works without this file; it adds
// the questionnaire's progress and live leaning meter, and the result
// page's "Copy link" button. No inline script: the CSP allows only 'self'.
(function () {
  "use strict";

  // joinNames joins names as a sentence does: "a", "a and b", "a, b and c".
  function joinNames(names) {
    if (names.length < 2) return names.join("");
    return names.slice(0, -1).join(", ") + " and " + names[names.length - 1];
  }

  // percentages splits 100 in proportion to points by the Sainte-Laguë
  // divisor method, ties to the earlier subject: recommend.Percentages.
  function percentages(points) {
    var out = points.map(function () { return 0; });
    var total = points.reduce(function (a, b) { return a + Math.max(b, 0); }, 0);
    if (!total) return out;
    for (var n = 0; n < 100; n++) {
      var best = 0;
      for (var i = 1; i < points.length; i++) {
        if (Math.max(points[i], 0) * (2 * out[best] + 1) > Math.max(points[best], 0) * (2 * out[i] + 1)) best = i;
      }
      out[best]++;
    }
    return out;
  }

  // headline is recommend.Describe's Headline for these points, by the
  // thresholds the page carries (data-close-gap, data-close-margin), so
  // the meter never says what the result page would not.
  function headline(points, names, answered, rules) {
    if (!answered) return { kind: "no-answers", text: "No answers yet" };
    var total = 0, top = -1;
    points.forEach(function (p) { total += p; top = Math.max(top, p); });
    if (!total) return { kind: "even", text: "No subject has points yet" };
    var leaders = [], second = -1;
    points.forEach(function (p, i) {
      if (p === top) leaders.push(i);
      else second = Math.max(second, p);
    });
    var named = function (is) { return joinNames(is.map(function (i) { return names[i]; })); };
    if (leaders.length > 1) {
      return { kind: "tie", text: named(leaders) + (second < 0 ? " tie" : " tie for the lead") };
    }
    var close = function (p) {
      var m = top - p;
      return m < rules.closeMargin || m / total < rules.closeGap;
    };
    var lead = leaders[0];
    if (close(second)) {
      var near = [];
      points.forEach(function (p, i) { if (i !== lead && close(p)) near.push(i); });
      return { kind: "close", text: "Close call: " + names[lead] + " just ahead of " + named(near) };
    }
    var m = top - second;
    var kind = m / total >= rules.clearGap && m >= rules.clearMargin ? "clear" : "leaning";
    return { kind: kind, text: names[lead] + " fits this project (" + percentages(points)[lead] + "%)" };
  }

  function quiz(form) {
    var status = form.querySelector("[data-quiz-status]");
    var progress = form.querySelector("[data-quiz-progress]");
    var leaning = form.querySelector("[data-quiz-leaning]");
    var note = form.querySelector("[data-quiz-static]");
    var total = parseInt(form.getAttribute("data-total"), 10) || 0;
    var num = function (name) { return parseFloat(form.getAttribute(name)); };
    var rules = {
      closeGap: num("data-close-gap"), closeMargin: num("data-close-margin"),
      clearGap: num("data-clear-gap"), clearMargin: num("data-clear-margin")
    };
    var names = [];
    var order = [];
    (form.getAttribute("data-subjects") || "").split("|").forEach(function (pair) {
      var i = pair.indexOf(":");
      if (i > 0) {
        order.push(pair.slice(0, i));
        names.push(pair.slice(i + 1));
      }
    });
    var bars = {};
    form.querySelectorAll(".meter-bar[data-subject]").forEach(function (el) {
      bars[el.getAttribute("data-subject")] = el;
    });

    function widthClass(p) {
      p = Math.max(0, Math.min(100, p));
      return "w-" + Math.floor((p + 2) / 5) * 5;
    }

    // The meter repeats the server's sums and words: points are the
    // weights of the chosen answers (data-favors), shares are
    // recommend.Percentages, the words recommend.Describe's headline.
    // The result page, computed on the server, remains the authority.
    function update() {
      var index = {};
      order.forEach(function (k, i) { index[k] = i; });
      var points = order.map(function () { return 0; });
      var answered = 0;
      form.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
        if (!input.value) return;
        answered++;
        (input.getAttribute("data-favors") || "").split(" ").forEach(function (kv) {
          var i = kv.lastIndexOf(":");
          var k = kv.slice(0, i);
          if (i > 0 && k in index) points[index[k]] += Math.max(parseInt(kv.slice(i + 1), 10) || 0, 0);
        });
      });
      progress.textContent = answered + " of " + total + " answered";
      var h = headline(points, names, answered, rules);
      var shares = percentages(points);
      var even = h.kind === "no-answers" || h.kind === "even";
      order.forEach(function (k, i) {
        var bar = bars[k];
        if (bar) {
          bar.className = bar.className.replace(/\bw-\d+\b/, "").trim() + " " + widthClass(even ? Math.floor(100 / order.length) : shares[i]);
        }
      });
      leaning.textContent = h.text;
      status.setAttribute("data-kind", h.kind);
    }

    status.hidden = false;
    if (note) note.hidden = true;
    form.addEventListener("change", update);
    update();
  }

  function copyButtons() {
    document.querySelectorAll("button[data-copy]").forEach(function (btn) {
      if (!navigator.clipboard) return;
      var out = document.querySelector("[data-copy-status]");
      btn.hidden = false;
      btn.addEventListener("click", function () {
        navigator.clipboard.writeText(btn.getAttribute("data-copy")).then(function () {
          if (out) out.textContent = "Link copied.";
        }, function () {
          if (out) out.textContent = "Could not copy; select the link above instead.";
        });
      });
    });
  }

  document.querySelectorAll("form[data-quiz]").forEach(quiz);
  copyButtons();
})();
