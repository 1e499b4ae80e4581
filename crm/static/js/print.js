// The checklist's "Print this checklist" button. Printing needs JavaScript,
// so the button is hidden in the HTML and shown only here; without
// JavaScript the page says to print with the browser (Ctrl and P).
for (const button of document.querySelectorAll("[data-app-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
