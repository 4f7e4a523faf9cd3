// A key's traffic as a uPlot chart (the WebJar org.webjars.npm:uplot, served from the jar at /webjars/): requests and
// failed authentications per minute on the left axis, distinct IPs on the right, the minutes with alerts marked by a
// vertical line and a point whose legend value names the rules. uPlot styles its elements through the CSSOM, which
// the Content-Security-Policy allows; its stylesheet is a file (index.html).
import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';

const HEIGHT = 300;
const COLORS = { requests: '#2357c6', failures: '#c5221f', ips: '#7a2e9b', alert: '#d0521b' };

/** The points of GET /api/v1/keys/{keyId}/usage as uPlot's columns (seconds on x) and the rules of each minute. */
export function columns(points) {
  const xs = [];
  const requests = [];
  const failures = [];
  const ips = [];
  const marks = [];
  const rules = [];
  for (const p of points) {
    const t = Date.parse(p.t);
    if (Number.isNaN(t)) continue; // not the API's: leave it out rather than break the chart
    const alerts = p.alerts && typeof p.alerts === 'object' ? p.alerts : {};
    const named = Object.entries(alerts).map(([rule, severity]) => rule + ' (' + severity + ')');
    xs.push(t / 1000);
    requests.push(Number(p.requests) || 0);
    failures.push(Number(p.authFailures) || 0);
    ips.push(Number(p.distinctIps) || 0);
    marks.push(named.length ? Number(p.requests) || 0 : null);
    rules.push(named.join(', '));
  }
  return { data: [xs, requests, failures, ips, marks], rules };
}

const utc = (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC');

/** Vertical lines at the minutes with alerts, drawn on the plot's canvas under the cursor. */
function alertLines(rulesOf) {
  return {
    hooks: {
      draw: [(u) => {
        const { ctx } = u;
        const { top, height } = u.bbox;
        ctx.save();
        ctx.strokeStyle = COLORS.alert;
        ctx.lineWidth = 2 * uPlot.pxRatio;
        ctx.setLineDash([6 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
        u.data[0].forEach((x, i) => {
          if (!rulesOf()[i]) return;
          const px = Math.round(u.valToPos(x, 'x', true));
          ctx.beginPath();
          ctx.moveTo(px, top);
          ctx.lineTo(px, top + height);
          ctx.stroke();
        });
        ctx.restore();
      }],
    },
  };
}

/** Draws the chart into {@code target}; returns {update(points), destroy()}. */
export function usageChart(target, points) {
  let { data, rules } = columns(points);
  const options = {
    width: Math.max(400, target.clientWidth || 900),
    height: HEIGHT,
    tzDate: utc,
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(5, max * 1.1)] },
      ips: { range: (u, min, max) => [0, Math.max(5, max * 1.1)] } },
    series: [
      { label: 'minute (UTC)',
        value: (u, v) => (v == null ? '—' : new Date(v * 1000).toISOString().slice(0, 16) + 'Z') },
      { label: 'requests/min', stroke: COLORS.requests, width: 2, scale: 'y' },
      { label: 'failed auth/min', stroke: COLORS.failures, width: 2, scale: 'y' },
      { label: 'distinct IPs', stroke: COLORS.ips, width: 1, dash: [4, 4], scale: 'ips' },
      { label: 'alerts', stroke: COLORS.alert, scale: 'y', paths: () => null,
        points: { show: true, space: 0, size: 9, fill: COLORS.alert, stroke: COLORS.alert },
        value: (u, v, s, i) => (i == null || !rules[i] ? '—' : rules[i]) },
    ],
    axes: [
      // 24-hour UTC times; the date where a day starts and on the first tick
      { values: (u, splits) => splits.map((x, i) => {
        const iso = new Date(x * 1000).toISOString();
        const hhmm = iso.slice(11, 16);
        return i === 0 || hhmm === '00:00' ? iso.slice(5, 10) + ' ' + hhmm : hhmm;
      }) },
      { scale: 'y', label: 'per minute' },
      { scale: 'ips', side: 1, label: 'distinct IPs', grid: { show: false } },
    ],
    plugins: [alertLines(() => rules)],
  };
  const plot = new uPlot(options, data, target);
  const resize = new ResizeObserver(() => {
    const width = Math.max(400, target.clientWidth);
    if (width !== plot.width) plot.setSize({ width, height: HEIGHT });
  });
  resize.observe(target);
  return {
    update(next) {
      ({ data, rules } = columns(next));
      plot.setData(data);
    },
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}
