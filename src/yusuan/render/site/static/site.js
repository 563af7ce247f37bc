/* yusuan offline site: the overview's charts (ECharts, locale ZH) and the client-side search.
 *
 * Data come from <script type="application/json"> elements in the page (never fetched: file://
 * forbids it). Amounts arrive as exact decimal strings ("value") and as display texts ("text",
 * rounded 四舍五入 by yusuan); strings are turned into numbers here for drawing only, and people
 * are always shown the display text. Text from the data reaches the DOM through textContent, or
 * through escapeHtml() where ECharts wants HTML (tooltips).
 */
(function () {
  'use strict';

  var SEARCH_LIMIT = 30;

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (ch) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[ch];
    });
  }

  /* ---------------------------------------------------------------- charts */

  function nodes(items) {
    return items.map(function (item) {
      var node = { name: item.name, value: Number(item.value), text: item.text };
      if (item.code) node.code = item.code;
      if (item.children) node.children = nodes(item.children);
      return node;
    });
  }

  function tooltip(unit) {
    return {
      trigger: 'item',
      confine: true,
      formatter: function (p) {
        var data = p.data || {};
        var label = data.code ? data.code + ' ' + p.name : p.name;
        var share = p.percent != null ? '（' + p.percent + '%）' : '';
        var series = p.seriesType === 'bar' && p.seriesName ? escapeHtml(p.seriesName) + '<br>' : '';
        return series + escapeHtml(label) + '<br>' + escapeHtml(data.text) + ' ' + escapeHtml(unit) + share;
      }
    };
  }

  function textLabel(p) {
    return p.data.text;
  }

  var BUILDERS = {
    pie: function (spec) {
      var texts = {};
      spec.items.forEach(function (item) { texts[item.name] = item.text; });
      return {
        tooltip: tooltip(spec.unit),
        legend: {
          bottom: 0,
          formatter: function (name) { return name + '  ' + (texts[name] || '') + ' ' + spec.unit; }
        },
        series: [{
          type: 'pie',
          radius: ['30%', '64%'],
          center: ['50%', '43%'],
          label: {
            position: 'inside',
            color: '#fff',
            fontWeight: 'bold',
            formatter: function (p) { return p.percent >= 4 ? p.percent + '%' : ''; }
          },
          data: nodes(spec.items)
        }]
      };
    },
    treemap: function (spec) {
      return {
        tooltip: tooltip(spec.unit),
        series: [{
          type: 'treemap',
          name: '全部',
          data: nodes(spec.items),
          top: 4, left: 4, right: 4, bottom: 34,
          roam: false,
          nodeClick: 'zoomToNode',
          breadcrumb: { bottom: 4 },
          label: {
            formatter: function (p) { return p.name + '\n' + p.data.text; },
            overflow: 'truncate',
            lineOverflow: 'truncate'
          },
          upperLabel: { show: true, height: 22, color: '#fff' },
          levels: [
            { itemStyle: { borderColor: '#fff', borderWidth: 0, gapWidth: 3 }, upperLabel: { show: false } },
            { itemStyle: { borderColor: '#555', borderWidth: 3, gapWidth: 1 } },
            { colorSaturation: [0.35, 0.5], itemStyle: { borderColorSaturation: 0.6, borderWidth: 2, gapWidth: 1 } }
          ]
        }]
      };
    },
    sunburst: function (spec) {
      return {
        tooltip: tooltip(spec.unit),
        series: [{
          type: 'sunburst',
          data: nodes(spec.items),
          radius: ['14%', '94%'],
          sort: null,
          label: { minAngle: 12, overflow: 'truncate' },
          levels: [
            {},
            { r0: '14%', r: '48%', label: { rotate: 'tangential', width: 70 } },
            { r0: '48%', r: '94%', label: { rotate: 'radial', align: 'right', width: 90 } }
          ]
        }]
      };
    },
    bar: function (spec) {
      return {
        tooltip: tooltip(spec.unit),
        grid: { left: 8, right: 64, top: 8, bottom: 8 },
        xAxis: { type: 'value', axisLabel: { hideOverlap: true } },
        yAxis: {
          type: 'category',
          inverse: true,
          data: spec.items.map(function (item) { return item.name; }),
          axisLabel: { width: 130, overflow: 'truncate' }
        },
        series: [{
          type: 'bar',
          barMaxWidth: 26,
          label: { show: true, position: 'right', formatter: textLabel },
          data: nodes(spec.items)
        }]
      };
    },
    'stacked-bar': function (spec) {
      return {
        tooltip: tooltip(spec.unit),
        legend: { top: 0 },
        grid: { left: 8, right: 24, top: 32, bottom: 8 },
        xAxis: { type: 'value', axisLabel: { hideOverlap: true } },
        yAxis: {
          type: 'category',
          inverse: true,
          data: spec.categories,
          axisLabel: { width: 130, overflow: 'truncate' }
        },
        series: spec.series.map(function (s) {
          return { type: 'bar', name: s.name, stack: 'total', barMaxWidth: 26, data: nodes(s.items) };
        })
      };
    }
  };

  function initCharts() {
    var specs = readJson('chart-data');
    if (!specs || !window.echarts) return;
    var quiet = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    var charts = [];
    var finished = 0;
    specs.forEach(function (spec) {
      var element = document.getElementById(spec.id);
      var build = BUILDERS[spec.type];
      if (!element || !build) return;
      var bars = spec.categories || (spec.type === 'bar' ? spec.items : null);
      if (bars && bars.length > 8) element.style.height = (bars.length * 30 + 80) + 'px';
      var chart = window.echarts.init(element, null, { locale: 'ZH', renderer: 'canvas' });
      var done = false;
      chart.on('finished', function () {
        if (done) return;
        done = true;
        finished += 1;
        document.body.setAttribute('data-charts-rendered', String(finished));
      });
      var option = build(spec);
      // a short entrance only: a reader should see the figures at once, not watch them grow
      option.animation = !quiet;
      option.animationDuration = 300;
      option.animationDurationUpdate = 200;
      chart.setOption(option);
      charts.push(chart);
    });
    var pending = null;
    function resize() {
      charts.forEach(function (chart) { chart.resize(); });
    }
    window.addEventListener('resize', function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(resize, 120);
    });
    window.addEventListener('beforeprint', resize);
    window.addEventListener('afterprint', resize);
  }

  /* ---------------------------------------------------------------- search */

  function score(entry, terms) {
    for (var i = 0; i < terms.length; i += 1) {
      if (entry.key.indexOf(terms[i]) < 0) return -1;
    }
    var first = terms[0];
    if (entry.code === first) return 0;
    if (entry.code && entry.code.indexOf(first) === 0) return 1;
    if (entry.lower.indexOf(first) === 0) return 2;
    return 3;
  }

  function resultItem(root, groups, entry) {
    var item = document.createElement('li');
    var link = document.createElement('a');
    link.href = root + entry.url;
    if (entry.code) {
      var code = document.createElement('span');
      code.className = 'code';
      code.textContent = entry.code;
      link.appendChild(code);
      link.appendChild(document.createTextNode(' '));
    }
    link.appendChild(document.createTextNode(entry.name));
    var where = document.createElement('span');
    where.className = 'where';
    where.textContent = groups[entry.group];
    item.appendChild(link);
    item.appendChild(where);
    return item;
  }

  function initSearch() {
    var box = document.querySelector('[data-search]');
    var index = readJson('search-index');
    if (!box || !index) return;
    var input = box.querySelector('input');
    var list = box.querySelector('.search-results');
    var status = box.querySelector('.search-status');
    var root = document.body.getAttribute('data-root') || '';
    var entries = index.entries.map(function (e) {
      var lower = e[2].toLowerCase();
      return { group: e[0], code: e[1], name: e[2], url: e[3], lower: lower, key: e[1] + ' ' + lower };
    });

    function run() {
      var query = input.value.trim();
      var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
      list.textContent = '';
      if (!terms.length) {
        status.textContent = '';
        return;
      }
      var hits = [];
      entries.forEach(function (entry, position) {
        var s = score(entry, terms);
        if (s >= 0) hits.push([s, position, entry]);
      });
      hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
      if (!hits.length) {
        status.textContent = '没有找到“' + query + '”';
        return;
      }
      status.textContent = '找到 ' + hits.length + ' 条' +
        (hits.length > SEARCH_LIMIT ? '，显示前 ' + SEARCH_LIMIT + ' 条' : '');
      var fragment = document.createDocumentFragment();
      hits.slice(0, SEARCH_LIMIT).forEach(function (hit) {
        fragment.appendChild(resultItem(root, index.groups, hit[2]));
      });
      list.appendChild(fragment);
    }

    input.addEventListener('input', run);
    var initial = new URLSearchParams(window.location.search).get('q');
    if (initial) input.value = initial;
    run();
  }

  function start() {
    initSearch();
    initCharts();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
