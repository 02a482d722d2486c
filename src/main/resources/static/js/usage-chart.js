// The usage history charts of the License page (R10): each canvas fetches its pool's days
// of the chosen period as JSON and draws active (bars), peak and maximum (lines) with
// Chart.js, and for the last 90 days the forecast's trend as a dashed line into the future.
// Choosing another period redraws the chart and points the CSV link at it. The axis reaches
// the maximum in force (a key applied today counts before the day's snapshot records it), a
// short history is drawn over two weeks of days rather than as one wide bar, and the same
// days fill the table that is the chart's text alternative.
(function () {
	'use strict';

	const charts = {};
	const SHORTEST = 14;
	const numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);

	function isoDay(date) {
		return date.toISOString().substring(0, 10);
	}

	function daysBefore(first, count) {
		const before = [];
		const day = new Date(first + 'T00:00:00Z');
		for (let i = count; i >= 1; i--) {
			const earlier = new Date(day.getTime() - i * 86400000);
			before.push(isoDay(earlier));
		}
		return before;
	}

	function fillTable(canvas, days) {
		const table = document.getElementById(canvas.dataset.table);
		if (!table) {
			return;
		}
		const body = table.tBodies[0];
		body.replaceChildren();
		days.slice().reverse().forEach((day) => {
			const row = body.insertRow();
			const date = document.createElement('th');
			date.scope = 'row';
			date.textContent = day.date;
			row.appendChild(date);
			[day.max, day.active, day.peak, day.awaiting].forEach((value) => {
				const cell = row.insertCell();
				cell.className = 'num';
				cell.textContent = (value === null || value === undefined) ? '' : numbers.format(value);
			});
		});
	}

	function draw(canvas, series) {
		const maxNow = canvas.dataset.maxNow ? Number(canvas.dataset.maxNow) : null;
		const recorded = series.days;
		// The maximum in force today, even before today's snapshot has recorded it.
		const days = recorded.map((day, i) => (i === recorded.length - 1 && maxNow !== null)
			? Object.assign({}, day, { max: maxNow }) : day);
		// Fewer than two weeks: empty days before the first, so that each day is a narrow bar.
		const padding = (days.length > 0 && days.length < SHORTEST) ? daysBefore(days[0].date, SHORTEST - days.length) : [];
		// The forecast's dashed line (R20), only for the last 90 days: its points cover the
		// history and the days ahead, which are added to the axis.
		const trend = (series.trend && series.trend.points) ? series.trend.points : [];
		const trendByDate = {};
		trend.forEach((point) => { trendByDate[point.date] = point.value; });
		const labels = padding.concat(days.map((day) => day.date));
		const last = labels.length > 0 ? labels[labels.length - 1] : '';
		trend.forEach((point) => {
			if (point.date > last) {
				labels.push(point.date);
			}
		});
		const ahead = labels.length - days.length - padding.length;
		const currentMax = maxNow !== null ? maxNow : (days.length > 0 ? days[days.length - 1].max : null);
		const before = new Array(padding.length).fill(null);
		const pad = (values, value) => before.concat(values, new Array(ahead).fill(value));
		const datasets = [
			{
				type: 'bar', label: canvas.dataset.labelActive, order: 4,
				data: pad(days.map((day) => day.active), null), backgroundColor: 'rgba(13, 110, 253, 0.55)',
				maxBarThickness: 28
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
				scales: {
					y: {
						beginAtZero: true,
						suggestedMax: currentMax !== null ? currentMax + Math.max(1, Math.ceil(currentMax * 0.1)) : undefined,
						ticks: { precision: 0 }
					}
				}
			}
		});
		canvas.dataset.points = String(days.length);
		canvas.dataset.slots = String(labels.length);
		canvas.dataset.axisMax = String(charts[canvas.id].scales.y.max);
		fillTable(canvas, days);
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
