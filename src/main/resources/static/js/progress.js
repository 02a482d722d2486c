// Progress bars take their width from data-percent: the Content-Security-Policy refuses
// style="…" attributes, and a width set through the CSSOM is allowed. Bars that htmx swaps in
// later (the import's and the directory run's progress) are filled when they arrive.
(function () {
	'use strict';

	function fill(root) {
		root.querySelectorAll('.progress-bar[data-percent]').forEach((bar) => {
			const percent = Math.max(0, Math.min(100, Number(bar.dataset.percent) || 0));
			bar.style.width = percent + '%';
		});
	}

	document.addEventListener('DOMContentLoaded', () => fill(document));
	document.addEventListener('htmx:load', (event) => fill(event.target));
}());
