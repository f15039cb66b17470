// Forms marked data-busy-form: while the page works on the sent form, its button
// says so (data-busy-text) and cannot be pressed again.
document.addEventListener("submit", function (event) {
  var form = event.target.closest("[data-busy-form]");
  if (!form) return;
  var button = form.querySelector("[data-busy-text]");
  if (!button) return;
  button.textContent = button.getAttribute("data-busy-text");
  button.disabled = true;
});
