/** The report's own stylesheet (uPlot's is inlined beside it). System fonts only: the page works offline. */
export const PAGE_STYLE = `
:root { --ink: #1f2933; --muted: #5f6b7a; --line: #e1e5ea; --bg: #f6f7f9; --card: #fff;
  --accent: #3178c6; --bad: #c0392b; --bad-bg: #fdecea; --ok: #1e7f4f; --ok-bg: #e7f5ee; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header.page { background: #17212b; color: #f4f6f8; padding: 20px 32px; }
header.page h1 { margin: 0; font-size: 22px; font-weight: 600; letter-spacing: .2px; }
header.page p { margin: 4px 0 0; color: #b8c2cc; }
header.page code { color: #e6edf3; }
nav.toc { display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 10px 32px; background: #fff;
  border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 10; }
nav.toc a { color: var(--accent); text-decoration: none; font-weight: 500; }
nav.toc a:hover { text-decoration: underline; }
main { max-width: 1480px; margin: 0 auto; padding: 8px 32px 48px; }
h2 { font-size: 19px; margin: 32px 0 4px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 20px 0 8px; }
.hint { color: var(--muted); margin: 6px 0 14px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(620px, 1fr)); gap: 18px; }
figure.chart { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 14px 16px 10px; min-width: 0; box-shadow: 0 1px 2px rgba(16, 24, 40, .04); }
figure.chart header { display: flex; align-items: flex-start; justify-content: space-between; gap: 12px; }
figure.chart h3 { margin: 0; }
figure.chart .subtitle { margin: 2px 0 8px; color: var(--muted); font-size: 12.5px; }
button.y-scale { font: inherit; font-size: 12px; padding: 3px 10px; border-radius: 999px; cursor: pointer;
  border: 1px solid var(--line); background: #f3f5f8; color: var(--ink); white-space: nowrap; }
button.y-scale:hover { border-color: var(--accent); }
button.y-scale[aria-pressed="true"] { background: #e8f0fb; border-color: #b6cdee; color: #1d4f91; }
.plot { width: 100%; }
.uplot { font-family: inherit; }
.u-legend { font-size: 12px; text-align: left; margin-top: 6px; width: 100%; }
/* A grid rather than uPlot's flowing line: a dozen series stay scannable in columns. */
.u-legend.u-inline tbody { display: grid; grid-template-columns: repeat(auto-fill, minmax(310px, 1fr)); gap: 0 12px; }
.u-legend.u-inline tr { margin: 0; padding: 1px 4px; border-radius: 4px; display: flex; align-items: center; }
.u-legend.u-inline tr:hover { background: #f3f5f8; }
.u-legend.u-inline .u-series:first-child { grid-column: 1 / -1; }
.u-legend .u-marker { width: 14px; height: 4px; margin-right: 6px; border-width: 2px; }
.u-legend .u-label { white-space: nowrap; }
.u-legend th { font-weight: 500; display: flex; align-items: center; white-space: nowrap; }
.u-legend .u-value { font-variant-numeric: tabular-nums; color: var(--muted); white-space: nowrap; padding: 0 0 0 6px; }
.u-legend .u-series:first-child .u-value { color: var(--ink); font-weight: 600; }
.narrow { max-width: 980px; }
.table-wrap { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
.table-wrap table { border-collapse: collapse; width: 100%; font-size: 13px; }
.table-wrap th, .table-wrap td { text-align: left; padding: 6px 12px; border-bottom: 1px solid var(--line); vertical-align: top; }
.table-wrap thead th { background: #f3f5f8; font-weight: 600; color: #3e4a57; white-space: nowrap; }
.table-wrap tbody tr:last-child td { border-bottom: none; }
td.key { color: var(--muted); font-weight: 500; white-space: nowrap; width: 1%; }
td code { font-size: 12px; word-break: break-all; }
tr.bad td { background: var(--bad-bg); }
.badge { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 12px; line-height: 20px;
  font-weight: 500; white-space: nowrap; }
.badge-ok { background: var(--ok-bg); color: var(--ok); }
.badge-bad { background: var(--bad); color: #fff; }
.badge-muted { background: #eceff3; color: var(--muted); }
.ok-line { color: var(--ok); }
details { margin-top: 12px; }
details summary { cursor: pointer; color: var(--accent); margin-bottom: 8px; }
ul.notes { padding-left: 18px; }
.note-error strong { color: var(--bad); }
.note-warning strong { color: #b26a00; }
.muted { color: var(--muted); }
footer { color: var(--muted); font-size: 12px; text-align: center; padding: 24px; }
`;
