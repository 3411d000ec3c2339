/* app.js - the little behaviour the pages need; no dependencies, no inline handlers.
 *
 * 1. A form with data-confirm="…" asks the question before it is submitted.
 * 2. The 大字模式 button (#toggle-large) toggles class large-text on <html> and
 *    remembers the choice in localStorage. */
(function () {
	'use strict';

	var KEY = 'vets.largeText';
	var root = document.documentElement;

	function stored() {
		try {
			return window.localStorage.getItem(KEY) === '1';
		} catch (e) {
			return false; /* storage disabled: the mode lasts for this page only */
		}
	}

	function remember(on) {
		try {
			if (on)
				window.localStorage.setItem(KEY, '1');
			else
				window.localStorage.removeItem(KEY);
		} catch (e) {
			/* ignored, as above */
		}
	}

	function setLarge(on, button) {
		root.classList.toggle('large-text', on);
		if (button)
			button.setAttribute('aria-pressed', on ? 'true' : 'false');
	}

	/* Applied at once, before the rest of the page is set up. */
	if (stored())
		setLarge(true, null);

	document.addEventListener('submit', function (ev) {
		var form = ev.target;
		if (!form || typeof form.getAttribute !== 'function')
			return;
		var question = form.getAttribute('data-confirm');
		if (question && !window.confirm(question))
			ev.preventDefault();
	});

	function init() {
		var button = document.getElementById('toggle-large');
		if (!button)
			return;
		setLarge(root.classList.contains('large-text'), button);
		button.addEventListener('click', function () {
			var on = !root.classList.contains('large-text');
			setLarge(on, button);
			remember(on);
		});
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', init);
	else
		init();
})();
