/*
 * MLSys Lab: let the widget renderer typeset math with MathJax 3.
 *
 * @jupyter-widgets/html-manager 1.0.6 typesets widget labels with the MathJax 2 call
 * MathJax.Hub.Queue(["Typeset", MathJax.Hub, element]); the book loads MathJax 3, which has
 * no Hub, so every page with a widget threw "Cannot read properties of undefined (reading
 * 'Queue')". This file (loaded before the widget scripts) provides that one call on top of
 * MathJax 3's typesetPromise, whether MathJax has started yet or not. MIT licence.
 */
(function () {
  var pending = [];

  function typeset(elements) {
    var mathjax = window.MathJax;
    if (mathjax && typeof mathjax.typesetPromise === "function") {
      mathjax.typesetPromise(elements).catch(function () {});
      return true;
    }
    return false;
  }

  function hub() {
    return {
      Queue: function (job) {
        var element = job && job[2];
        if (!typeset(element ? [element] : undefined) && element) {
          pending.push(element);
        }
      },
    };
  }

  var current = window.MathJax;
  if (current && current.version) {
    // MathJax 3 already started: add the missing call.
    if (!current.Hub) current.Hub = hub();
    return;
  }
  // MathJax 3 has not started: calls made meanwhile wait, and the call is added again once
  // MathJax has replaced this configuration object with its own.
  var config = current || {};
  config.Hub = hub();
  config.startup = config.startup || {};
  var ready = config.startup.ready;
  config.startup.ready = function () {
    if (ready) ready();
    else window.MathJax.startup.defaultReady();
    window.MathJax.Hub = hub();
    if (pending.length) typeset(pending.splice(0));
  };
  window.MathJax = config;
})();
