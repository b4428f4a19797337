// The platform's only script: small behaviours declared in the markup, so that pages carry no
// inline script and the Content-Security-Policy can forbid it.
//   <button data-print>            prints the page
//   <form data-confirm="…">        asks before submitting
//   <select data-copy-to="id">     copies its value into the element with that id
document.addEventListener("click", (e) => {
  if (e.target.closest("[data-print]")) window.print();
});
document.addEventListener("submit", (e) => {
  const msg = e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) e.preventDefault();
});
document.addEventListener("change", (e) => {
  const id = e.target.getAttribute("data-copy-to");
  const to = id && document.getElementById(id);
  if (to) to.value = e.target.value;
});
