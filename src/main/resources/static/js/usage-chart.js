// The usage history charts of the License page (R10): each canvas fetches its pool's days
// of the chosen period as JSON and draws active (bars), peak and maximum (lines) with
// Chart.js, and for the last 90 days the forecast's trend as a dashed line into the future.
// Choosing another period redraws the chart and points the CSV link at it.
(function () {
	'use strict';

	const charts = {};

	function draw(canvas, series) {
		const days = series.days;
		// The forecast's dashed line (R20), only for the last 90 days: its points cover the
		// history and the days ahead, which are added to the axis.
		const trend = (series.trend && series.trend.points) ? series.trend.points : [];
		const trendByDate = {};
		trend.forEach((point) => { trendByDate[point.date] = point.value; });
		const labels = days.map((day) => day.date);
		const last = labels.length > 0 ? labels[labels.length - 1] : '';
		trend.forEach((point) => {
			if (point.date > last) {
				labels.push(point.date);
			}
		});
		const ahead = labels.length - days.length;
		const currentMax = days.length > 0 ? days[days.length - 1].max : null;
		const pad = (values, value) => values.concat(new Array(ahead).fill(value));
		const datasets = [
			{
				type: 'bar', label: canvas.dataset.labelActive, order: 4,
				data: pad(days.map((day) => day.active), null), backgroundColor: 'rgba(13, 110, 253, 0.55)'
			},
			{
				type: 'line', label: canvas.dataset.labelPeak, order: 3,
				data: pad(days.map((day) => day.peak), null), borderColor: '#b35900', backgroundColor: '#b35900', pointRadius: 2
			},
			{
				type: 'line', label: canvas.dataset.labelMax, order: 2, stepped: true,
				data: pad(days.map((day) => day.max), currentMax), borderColor: '#b02a37', borderDash: [6, 4], pointRadius: 0
			}
		];
		if (trend.length > 0) {
			datasets.push({
				type: 'line', label: canvas.dataset.labelTrend, order: 1, spanGaps: true,
				data: labels.map((date) => (date in trendByDate) ? trendByDate[date] : null),
				borderColor: '#495057', borderDash: [3, 3], borderWidth: 2, pointRadius: 0
			});
		}
		const data = { labels: labels, datasets: datasets };
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
		canvas.dataset.trendPoints = String(trend.length);
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
