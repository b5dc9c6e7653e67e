// Homeward console: the live parts, nothing else. Every page works without this
// script; it only refreshes [data-live] regions and counts SMS segments.
"use strict";
(function () {
  var SIGN_IN = "/console/login?next=";

  function live(region) {
    var url = region.getAttribute("data-live");
    var every = parseInt(region.getAttribute("data-every") || "3000", 10);
    var last = null;
    var busy = false;
    function tick() {
      // Never swap the region under a keyboard user: wait until focus leaves it.
      if (busy || document.hidden || region.contains(document.activeElement)) {
        return;
      }
      busy = true;
      fetch(url, { credentials: "same-origin", cache: "no-store", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) {
          if (response.status === 401) {
            window.location.href = SIGN_IN + encodeURIComponent(window.location.pathname);
            return null;
          }
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (html !== null && html !== last) {
            var list = scroller(region);
            var atBottom = !list || list.scrollHeight - list.scrollTop - list.clientHeight < 40;
            last = html;
            region.innerHTML = html; // server-rendered and escaped by the template
            list = scroller(region);
            if (list && atBottom) {
              list.scrollTop = list.scrollHeight;
            }
          }
        })
        .catch(function () { /* offline for a moment: try again next tick */ })
        .then(function () { busy = false; });
    }
    window.setInterval(tick, every);
  }

  function scroller(region) {
    // The list that scrolls: the region itself (the demo phone) or the transcript inside it.
    return region.matches("ol, ul") ? region : region.querySelector("ol.lines");
  }

  function segments(text) {
    // Close to the server's count: accents folded, 160 letters alone, 153 per part.
    var plain = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    var length = plain.length;
    return length <= 160 ? 1 : Math.ceil(length / 153);
  }

  function counter() {
    var box = document.getElementById("body");
    var out = document.getElementById("segments");
    if (!box || !out || out.getAttribute("data-sms") !== "1") {
      return;
    }
    var template = out.getAttribute("data-template") || "{count}";
    function update() {
      var count = box.value.trim() ? segments(box.value) : 0;
      out.textContent = template.replace("{count}", String(count));
      out.className = count > 3 ? "problem" : "";
    }
    box.addEventListener("input", update);
    update();
  }

  function demoForm() {
    var form = document.getElementById("demo-form");
    var bubbles = document.getElementById("bubbles");
    if (!form || !bubbles) {
      return;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = form.querySelector("input[name=body]");
      var body = new URLSearchParams(new FormData(form));
      input.value = "";
      fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
        .then(function () { return fetch("/demo/messages", { credentials: "same-origin", cache: "no-store" }); })
        .then(function (response) { return response.text(); })
        .then(function (html) { bubbles.innerHTML = html; bubbles.scrollTop = bubbles.scrollHeight; })
        .catch(function () { form.submit(); });
      input.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-live]"), live);
    Array.prototype.forEach.call(document.querySelectorAll("ol.lines, #bubbles"), function (list) {
      list.scrollTop = list.scrollHeight;
    });
    counter();
    demoForm();
  });
})();
