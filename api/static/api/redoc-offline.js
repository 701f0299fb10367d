// Loaded before ReDoc's bundle (api/templates/api/redoc.html). ReDoc's side menu always renders
// Redocly's logo from cdn.redoc.ly, with no setting to turn it off, and nothing on this page may
// come from another host. An image whose source is on another host gets an empty source instead:
// the browser never asks for it, and ReDoc's own error handler then leaves the logo out. (The
// page's Content-Security-Policy would block the request too, but only after it was attempted.)
(function () {
  "use strict";
  function foreign(value) {
    if (/^(data|blob):/i.test(value)) return false;
    try {
      return new URL(value, document.baseURI).origin !== window.location.origin;
    } catch (error) {
      return false;
    }
  }
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (this instanceof HTMLImageElement && String(name).toLowerCase() === "src" && foreign(String(value))) {
      value = "";
    }
    return setAttribute.call(this, name, value);
  };
  var src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: src.enumerable,
    get: src.get,
    set: function (value) {
      src.set.call(this, foreign(String(value)) ? "" : value);
    },
  });
})();
