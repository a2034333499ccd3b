// DealerVault staff UI. Every page works without this script; it only smooths a few
// interactions. Loaded from /assets (CSP: script-src 'self'), so nothing here is inline.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  ready(function () {
    // A sort select submits its form as soon as it changes.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () {
        var form = select.form;
        if (!form) return;
        if (typeof form.requestSubmit === "function") {
          form.requestSubmit();
        } else {
          form.submit();
        }
      });
    });

    // One reveal form open at a time; its reason box gets the focus; Escape closes it.
    var reveals = Array.prototype.slice.call(document.querySelectorAll("details.reveal"));
    reveals.forEach(function (details) {
      details.addEventListener("toggle", function () {
        if (!details.open) return;
        reveals.forEach(function (other) {
          if (other !== details) other.open = false;
        });
        var reason = details.querySelector("input[name='reason']");
        if (reason) reason.focus();
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      reveals.forEach(function (details) {
        details.open = false;
      });
    });

    // The permission editor's preview follows every change, without a reload: the form
    // is posted (with its CSRF token) and only the preview panel comes back.
    document.querySelectorAll("form[data-preview-url]").forEach(function (form) {
      var target = document.getElementById(form.getAttribute("data-preview-target"));
      if (!target || !window.fetch) return;
      var pending = 0;
      form.addEventListener("change", function () {
        var mine = ++pending;
        fetch(form.getAttribute("data-preview-url"), {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-Fragment": "1" },
          body: new URLSearchParams(new FormData(form))
        })
          .then(function (response) {
            return response.ok ? response.text() : null;
          })
          .then(function (html) {
            // Only the answer to the latest change is shown.
            if (html !== null && mine === pending) target.innerHTML = html;
          })
          .catch(function () {});
      });
    });

    // A form is sent once: a double tap on a tablet must not spend two reveals or
    // create a customer twice.
    document.querySelectorAll("form").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.getAttribute("data-sent") === "1") {
          event.preventDefault();
          return;
        }
        form.setAttribute("data-sent", "1");
        form.classList.add("is-sending");
      });
    });
  });

  // Coming back through the history re-enables forms.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sent]").forEach(function (form) {
      form.removeAttribute("data-sent");
      form.classList.remove("is-sending");
    });
  });
})();
