// The queue page, kept fresh: every 15 s the rows are fetched again with the same filters and swapped in.
// Without this file the page still works: its Refresh link reloads it.
"use strict";

(function () {
  const EVERY_MS = 15000;

  function start() {
    const table = document.querySelector("table.queue[data-rows]");
    const body = document.getElementById("queue-rows");
    const updated = document.getElementById("queue-updated");
    const count = document.getElementById("queue-count");
    if (!table || !body) {
      return;
    }
    let timer = null;

    async function refresh() {
      if (document.hidden) {
        return;
      }
      let response;
      try {
        response = await fetch(table.dataset.rows, { credentials: "same-origin", headers: { Accept: "text/html" } });
      } catch (error) {
        if (updated) updated.textContent = "Could not refresh; trying again shortly.";
        return;
      }
      if (response.redirected || !response.ok) {
        // Signed out, or the filters stopped making sense: stop, and say so instead of showing a sign-in form here.
        window.clearInterval(timer);
        if (updated) updated.textContent = "Stopped refreshing: reload the page.";
        return;
      }
      const picked = new Set(Array.from(body.querySelectorAll("input[name=ticket]:checked"), (box) => box.value));
      const focused = document.activeElement && body.contains(document.activeElement) ? document.activeElement.id : "";
      body.innerHTML = await response.text();
      for (const box of body.querySelectorAll("input[name=ticket]")) {
        box.checked = picked.has(box.value);
      }
      if (focused && document.getElementById(focused)) {
        document.getElementById(focused).focus();
      }
      if (window.helplineLocalTimes) window.helplineLocalTimes(body);
      const total = response.headers.get("X-Queue-Total");
      if (count && total !== null) {
        count.textContent = total === "1" ? "1 ticket" : total + " tickets";
      }
      if (updated) updated.textContent = "Updated " + new Date().toLocaleTimeString() + ".";
    }

    timer = window.setInterval(refresh, EVERY_MS);
  }

  document.addEventListener("DOMContentLoaded", start);
})();
