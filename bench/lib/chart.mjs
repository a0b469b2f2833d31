// Renders the benchmark results as an SVG bar chart with Vega-Lite (compiled to Vega,
// rendered headlessly by vega's View.toSVG(); no browser, no canvas needed).

import * as vega from 'vega';
import * as vl from 'vega-lite';

const fmtRatio = (r) => (r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2));

/**
 * results: the JSON report written by bench/run.mjs. One group of horizontal bars per
 * workload (and the geometric mean), one bar per non-native configuration, length = time
 * relative to native on a log axis.
 */
export async function renderChart(results) {
  const configs = results.configs.filter((c) => c.kind !== 'native').map((c) => c.name);
  const order = [...results.workloads.map((w) => w.name), 'geomean'];
  const values = [];
  for (const w of results.workloads) {
    for (const c of configs) {
      const r = w.results[c];
      if (r && r.ok && r.ratio) values.push({ workload: w.name, config: c, ratio: r.ratio, label: `${fmtRatio(r.ratio)}×` });
    }
  }
  for (const c of configs) {
    const g = results.geomean[c];
    if (g && g.ratio) values.push({ workload: 'geomean', config: c, ratio: g.ratio, label: `${fmtRatio(g.ratio)}×` });
  }
  const maxRatio = Math.max(2, ...values.map((v) => v.ratio));
  const domainMax = 10 ** Math.ceil(Math.log10(maxRatio * 1.8));
  const mode = results.mode === 'full' ? '' : ` (${results.mode} sizes)`;
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `rvwasm benchmark: run time relative to native x86-64${mode}`,
      subtitle: [
        `median of ${results.runs} run${results.runs === 1 ? '' : 's'}; lower is better; log scale; ` +
          `${results.host.cpu}, ${results.host.cores} cores; ${results.date.slice(0, 10)}`,
      ],
      anchor: 'start',
    },
    width: 560,
    background: 'white',
    data: { values },
    encoding: {
      y: { field: 'workload', type: 'nominal', sort: order, title: null, axis: { labelFontWeight: 'bold' }, scale: { paddingInner: 0.25 } },
      yOffset: { field: 'config', type: 'nominal', sort: configs },
      x: {
        field: 'ratio', type: 'quantitative', title: 'time / native time',
        scale: { type: 'log', domain: [1, domainMax] },
        axis: { grid: true, tickCount: Math.round(Math.log10(domainMax)) + 1, format: '~s' },
      },
      color: { field: 'config', type: 'nominal', sort: configs, title: 'configuration', legend: { orient: 'bottom' } },
    },
    layer: [
      { mark: { type: 'bar' }, encoding: { x2: { datum: 1 } } }, // bars grow from 1x on the log axis
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 3, fontSize: 9 },
        encoding: { text: { field: 'label' }, color: { value: '#333' } },
      },
    ],
    config: { axisY: { labelPadding: 6 }, view: { stroke: null } },
  };
  spec.height = { step: 15 }; // per bar: with yOffset the step applies to the inner band
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
