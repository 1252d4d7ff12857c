// versus: small enhancements. Every page works without this file; it adds
// the questionnaire's progress and live leaning meter, and the result
// page's "Copy link" button. No inline script: the CSP allows only 'self'.
(function () {
  "use strict";

  function quiz(form) {
    var status = form.querySelector("[data-quiz-status]");
    var progress = form.querySelector("[data-quiz-progress]");
    var leaning = form.querySelector("[data-quiz-leaning]");
    var total = parseInt(form.getAttribute("data-total"), 10) || 0;
    var names = {};
    var order = [];
    (form.getAttribute("data-subjects") || "").split("|").forEach(function (pair) {
      var i = pair.indexOf(":");
      if (i > 0) {
        var key = pair.slice(0, i);
        names[key] = pair.slice(i + 1);
        order.push(key);
      }
    });
    var bars = {};
    form.querySelectorAll(".meter-bar[data-subject]").forEach(function (el) {
      bars[el.getAttribute("data-subject")] = el;
    });

    function widthClass(p) {
      p = Math.max(0, Math.min(100, p));
      return "w-" + Math.round(p / 5) * 5;
    }

    // The meter mirrors the server's sums: points are the weights of the
    // chosen answers (data-favors), shares are points over all points.
    // The result page, computed on the server, remains the authority.
    function update() {
      var points = {};
      order.forEach(function (k) { points[k] = 0; });
      var answered = 0;
      form.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
        if (!input.value) return;
        answered++;
        (input.getAttribute("data-favors") || "").split(" ").forEach(function (kv) {
          var i = kv.lastIndexOf(":");
          if (i > 0 && kv.slice(0, i) in points) points[kv.slice(0, i)] += parseInt(kv.slice(i + 1), 10) || 0;
        });
      });
      progress.textContent = answered + " of " + total + " answered";
      var sum = 0;
      order.forEach(function (k) { sum += points[k]; });
      var best = null, tie = false;
      order.forEach(function (k) {
        var share = sum ? (100 * points[k]) / sum : 100 / order.length;
        var bar = bars[k];
        if (bar) {
          bar.className = bar.className.replace(/\bw-\d+\b/, "").trim() + " " + widthClass(share);
        }
        if (best === null || points[k] > points[best]) { best = k; tie = false; }
        else if (points[k] === points[best]) { tie = true; }
      });
      if (!sum) {
        leaning.textContent = answered ? "Your answers so far favour neither." : "No answers yet.";
      } else if (tie) {
        leaning.textContent = "So far it is even.";
      } else {
        var pct = Math.round((100 * points[best]) / sum);
        leaning.textContent = "Leaning " + names[best] + " (" + pct + "% of points)";
      }
    }

    status.hidden = false;
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
