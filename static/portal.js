/* portal.js - the portal's reading modes; nothing on a page needs it to work.
 *
 * Loaded (not deferred) in <head>, so that a visitor's modes apply before the page is
 * drawn: each .p-mode button names a class (data-mode: p-large 大字, p-contrast 高对比度)
 * it toggles on <html>; the choice is kept in localStorage and so persists from page to page,
 * while the server sends every visitor the same bytes. The buttons stay hidden without script. */
(function () {
	'use strict';
	var KEY = 'vets.portal.modes';
	var root = document.documentElement;

	function load() {
		try {
			return (window.localStorage.getItem(KEY) || '').split(' ').filter(function (m) {
				return m === 'p-large' || m === 'p-contrast';
			});
		} catch (e) {
			return [];
		}
	}

	function save() {
		var on = ['p-large', 'p-contrast'].filter(function (m) {
			return root.classList.contains(m);
		});
		try {
			window.localStorage.setItem(KEY, on.join(' '));
		} catch (e) {
			/* storage disabled: the mode lasts for this page only */
		}
	}

	load().forEach(function (m) {
		root.classList.add(m);
	});

	document.addEventListener('DOMContentLoaded', function () {
		var buttons = document.querySelectorAll('.p-mode');
		Array.prototype.forEach.call(buttons, function (b) {
			var mode = b.getAttribute('data-mode');
			b.hidden = false;
			b.setAttribute('aria-pressed', root.classList.contains(mode) ? 'true' : 'false');
			b.addEventListener('click', function () {
				var on = root.classList.toggle(mode);
				b.setAttribute('aria-pressed', on ? 'true' : 'false');
				save();
			});
		});
	});
})();
