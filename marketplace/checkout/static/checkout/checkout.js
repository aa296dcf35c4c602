/* Progressive: choosing a province reloads the ward list (the button does the same without JS). */
(function () {
  var province = document.getElementById("id_province_code");
  var form = document.getElementById("checkout-form");
  if (!province || !form) return;
  province.addEventListener("change", function () {
    var flag = document.createElement("input");
    flag.type = "hidden"; flag.name = "choose_province"; flag.value = "1";
    form.appendChild(flag); form.noValidate = true; form.submit();
  });
})();
