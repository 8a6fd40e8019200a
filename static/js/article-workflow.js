// The article form's workflow buttons that need certain sections (a journalist
// publishing where the section lets journalists publish) show only while one
// of those sections is chosen. Without this script every button shows and the
// server refuses what the section does not allow.
(function () {
  "use strict";
  var select = document.getElementById("id_section");
  var buttons = document.querySelectorAll(".workflow-actions [data-sections]");
  if (!select || !buttons.length) return;
  function update() {
    buttons.forEach(function (button) {
      var sections = button.getAttribute("data-sections").split(" ");
      button.hidden = sections.indexOf(select.value) === -1;
    });
  }
  select.addEventListener("change", update);
  update();
})();
