// The usage history charts of the License page (R10): each canvas fetches its pool's days
// of the chosen period as JSON and draws active (bars), peak and maximum (lines) with
// Chart.js. Choosing another period redraws the chart and points the CSV link at it.
(function () {
	'use strict';

	const charts = {};

	function draw(canvas, series) {
		const days = series.days;
		const data = {
			labels: days.map((day) => day.date),
			datasets: [
				{
					type: 'bar', label: canvas.dataset.labelActive, order: 3,
					data: days.map((day) => day.active), backgroundColor: 'rgba(13, 110, 253, 0.55)'
				},
				{
					type: 'line', label: canvas.dataset.labelPeak, order: 2,
					data: days.map((day) => day.peak), borderColor: '#b35900', backgroundColor: '#b35900', pointRadius: 2
				},
				{
					type: 'line', label: canvas.dataset.labelMax, order: 1, stepped: true,
					data: days.map((day) => day.max), borderColor: '#b02a37', borderDash: [6, 4], pointRadius: 0
				}
			]
		};
		if (charts[canvas.id]) {
			charts[canvas.id].destroy();
		}
		charts[canvas.id] = new Chart(canvas, {
			data: data,
			options: {
				responsive: true,
				maintainAspectRatio: false,
				animation: false,
				scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
			}
		});
		canvas.dataset.points = String(days.length);
		const empty = document.getElementById(canvas.dataset.empty);
		if (empty) {
			empty.hidden = days.length > 0;
		}
	}

	function load(canvas, period) {
		const url = new URL(canvas.dataset.url, window.location.href);
		url.searchParams.set('period', period);
		canvas.dataset.rendered = '';
		fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
			.then((response) => {
				if (!response.ok) {
					throw new Error('HTTP ' + response.status);
				}
				return response.json();
			})
			.then((series) => {
				draw(canvas, series);
				canvas.dataset.rendered = period;
			})
			.catch(() => {
				canvas.dataset.rendered = 'error';
			});
	}

	document.querySelectorAll('canvas.usage-chart-canvas').forEach((canvas) => {
		const select = document.getElementById(canvas.dataset.select);
		const csv = document.getElementById(canvas.dataset.csvLink);
		const choose = () => {
			load(canvas, select.value);
			const href = new URL(csv.href, window.location.href);
			href.searchParams.set('period', select.value);
			csv.href = href.pathname + href.search;
		};
		select.addEventListener('change', choose);
		choose();
	});
}());
