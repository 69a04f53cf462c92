// nnlab playground: a script error must not pass silently. Loaded first, it keeps every
// uncaught error, rejected promise and console.error in `window.pageErrors` and says so in
// the status line (a redraw that throws once left the diagram blank with no word why). The
// browser tests read `pageErrors` and fail on any entry.
"use strict";

window.pageErrors = [];
(function () {
  const note = (text) => {
    window.pageErrors.push(String(text));
    const s = document.getElementById("status");
    if (s) { s.textContent = `page error: ${text}`; s.style.color = "#fca5a5"; }
  };
  window.addEventListener("error", (e) => note(e.error && e.error.stack ? e.error.stack : e.message));
  window.addEventListener("unhandledrejection", (e) => note(e.reason && e.reason.stack ? e.reason.stack : e.reason));
  const original = console.error.bind(console);
  console.error = (...args) => { note(args.map(String).join(" ")); original(...args); };
})();
