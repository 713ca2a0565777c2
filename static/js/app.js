// Our own behaviour; no inline handlers so that a strict CSP holds.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  // One click, one record: disable the submit buttons once the form is on its way.
  if (!event.defaultPrevented && form.method.toLowerCase() === "post" && !form.hasAttribute("data-allow-resubmit")) {
    window.setTimeout(() => {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach((b) => { b.disabled = true; });
    }, 0);
  }
});
document.querySelectorAll("[data-print]").forEach((el) => el.addEventListener("click", () => window.print()));
