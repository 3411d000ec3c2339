/* app.js - the little behaviour the pages need; no dependencies, no inline handlers.
 *
 * 1. A form with data-confirm="…" asks the question before it is submitted.
 * 2. The 大字模式 button (#toggle-large) toggles class large-text on <html> and
 *    remembers the choice in localStorage.
 * 3. An import's progress page (an element with data-import-token) polls
 *    /persons/import/status every second, moves its <progress> bar and text, and
 *    reloads once the job has finished (the page then shows the result).
 * 4. Every .table-wrap can be scrolled from the keyboard (tabindex, role=region
 *    named after its table); one whose table is wider than itself gets class
 *    is-overflowing (its edges fade, see app.css) and shows the hint
 *    「左右滑动查看更多」 above it (a long table's end may be far below); at-start/at-end say which edge is reached.
 *    Measured again on resize and when 大字模式 changes.
 * 5. A street select with data-narrows="ID" (its options carry data-code) narrows the
 *    select #ID to the options whose data-street is the chosen street's code (all of
 *    them when no street is chosen); a choice outside the street is cleared. Without
 *    script every option stays and the server refuses a community of another street.
 * 6. A button with data-print prints the page (print CSS hides navigation and buttons). */
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

	function watchImport(box) {
		var token = box.getAttribute('data-import-token');
		var bar = box.querySelector('[data-import-bar]');
		var text = box.querySelector('[data-import-text]');
		var url = '/persons/import/status?token=' + encodeURIComponent(token);
		var failures = 0;

		function show(s) {
			if (s.state === 'queued') {
				text.textContent = '排队中：等待其他导入完成后开始';
				return;
			}
			if (s.total > 0) {
				bar.max = s.total;
				bar.value = Math.min(s.done, s.total);
				text.textContent = '已处理 ' + s.done + ' 行，共约 ' + s.total + ' 行';
			} else {
				text.textContent = '已处理 ' + s.done + ' 行';
			}
		}

		function poll() {
			var req = new XMLHttpRequest();
			req.open('GET', url);
			req.setRequestHeader('Accept', 'application/json');
			req.onload = function () {
				var s = null;
				try {
					s = JSON.parse(req.responseText);
				} catch (e) {
					s = null;
				}
				/* Finished, gone, or signed out: the page itself says which. */
				if (req.status !== 200 || !s || s.state === 'done' || s.state === 'failed') {
					window.location.reload();
					return;
				}
				failures = 0;
				show(s);
				window.setTimeout(poll, 1000);
			};
			req.onerror = function () {
				failures++;
				if (failures === 5)
					text.textContent = '暂时无法获取进度，正在重试；也可点击下方的“刷新”。';
				window.setTimeout(poll, Math.min(10000, 1000 * failures));
			};
			req.send();
		}

		if (token && bar && text)
			window.setTimeout(poll, 500);
	}

	var HINT = '左右滑动查看更多';

	/* The accessible name of a table box: its caption, else the nearest heading before it. */
	function tableName(wrap) {
		var caption = wrap.querySelector('caption');
		if (caption && caption.textContent.trim())
			return caption.textContent.trim() + '（表格）';
		for (var el = wrap.previousElementSibling; el; el = el.previousElementSibling) {
			if (/^H[1-6]$/.test(el.tagName) && el.textContent.trim())
				return el.textContent.trim() + '（表格）';
		}
		var heading = document.querySelector('main h1, h1');
		return heading && heading.textContent.trim() ? heading.textContent.trim() + '（表格）' : '表格';
	}

	function measure(wrap) {
		var over = wrap.scrollWidth > wrap.clientWidth + 1;
		wrap.classList.toggle('is-overflowing', over);
		wrap.classList.toggle('at-start', !over || wrap.scrollLeft <= 1);
		wrap.classList.toggle('at-end', !over || wrap.scrollLeft + wrap.clientWidth >= wrap.scrollWidth - 1);
		if (wrap.scrollHint)
			wrap.scrollHint.hidden = !over;
	}

	function measureAll() {
		var wraps = document.querySelectorAll('.table-wrap');
		for (var i = 0; i < wraps.length; i++)
			measure(wraps[i]);
	}

	function setUpTables() {
		var wraps = document.querySelectorAll('.table-wrap');
		for (var i = 0; i < wraps.length; i++) {
			var wrap = wraps[i];
			if (!wrap.hasAttribute('tabindex'))
				wrap.setAttribute('tabindex', '0');
			if (!wrap.hasAttribute('role'))
				wrap.setAttribute('role', 'region');
			if (!wrap.hasAttribute('aria-label'))
				wrap.setAttribute('aria-label', tableName(wrap));
			var hint = document.createElement('p');
			hint.className = 'table-scroll-hint';
			hint.textContent = HINT;
			hint.hidden = true;
			wrap.parentNode.insertBefore(hint, wrap);
			wrap.scrollHint = hint;
			wrap.addEventListener('scroll', function (ev) {
				measure(ev.currentTarget);
			});
		}
		measureAll();
		var pending = false;
		window.addEventListener('resize', function () {
			if (pending)
				return;
			pending = true;
			window.requestAnimationFrame(function () {
				pending = false;
				measureAll();
			});
		});
	}

	function narrowing(street) {
		var target = document.getElementById(street.getAttribute('data-narrows'));
		if (!target)
			return;
		/* Every option as the server sent it; the shown ones are rebuilt from these
		 * (a hidden <option> is not hidden everywhere). */
		var all = Array.prototype.slice.call(target.options);
		function narrow() {
			var chosen = street.options[street.selectedIndex];
			var code = chosen ? chosen.getAttribute('data-code') || '' : '';
			var keep = target.value;
			while (target.options.length)
				target.remove(0);
			for (var i = 0; i < all.length; i++) {
				var of = all[i].getAttribute('data-street');
				if (of === null || !code || of === code)
					target.add(all[i]);
			}
			target.value = keep;
			if (target.value !== keep)
				target.value = '';
		}
		street.addEventListener('change', narrow);
		narrow();
	}

	function init() {
		setUpTables();
		var prints = document.querySelectorAll('[data-print]');
		for (var p = 0; p < prints.length; p++)
			prints[p].hidden = false;
		var streets = document.querySelectorAll('select[data-narrows]');
		for (var k = 0; k < streets.length; k++)
			narrowing(streets[k]);
		document.addEventListener('click', function (ev) {
			var button = ev.target && ev.target.closest ? ev.target.closest('[data-print]') : null;
			if (button) {
				ev.preventDefault();
				window.print();
			}
		});
		var progress = document.querySelectorAll('[data-import-token]');
		for (var i = 0; i < progress.length; i++)
			watchImport(progress[i]);
		var button = document.getElementById('toggle-large');
		if (!button)
			return;
		setLarge(root.classList.contains('large-text'), button);
		button.addEventListener('click', function () {
			var on = !root.classList.contains('large-text');
			setLarge(on, button);
			remember(on);
			measureAll();
		});
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', init);
	else
		init();
})();
