// Helpline dashboard: small enhancements only; every page works without this file.
"use strict";

// Show times in the viewer's own time zone (the page carries UTC in <time datetime>).
function localTimes(root) {
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  for (const node of root.querySelectorAll("time[datetime]")) {
    const moment = new Date(node.getAttribute("datetime"));
    if (!Number.isNaN(moment.getTime())) {
      node.title = node.textContent;
      node.textContent = format.format(moment);
    }
  }
}

document.addEventListener("DOMContentLoaded", () => localTimes(document));
window.helplineLocalTimes = localTimes;
