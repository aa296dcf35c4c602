/* The card payment box of an order page: Stripe's Payment Element, keys from data attributes. */
(function () {
  var box = document.getElementById("stripe-pay");
  if (!box || !window.Stripe || !box.dataset.secret) return;
  var stripe = Stripe(box.dataset.key);
  var elements = stripe.elements({clientSecret: box.dataset.secret, locale: "vi"});
  elements.create("payment").mount("#payment-element");
  document.getElementById("stripe-submit").addEventListener("click", function () {
    stripe.confirmPayment({elements: elements, confirmParams: {return_url: location.href}})
      .then(function (result) {
        if (result.error) document.getElementById("stripe-message").textContent = result.error.message;
      });
  });
})();
