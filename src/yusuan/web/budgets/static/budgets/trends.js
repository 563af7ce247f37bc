/* 预算分析 (/trends/): the analytics store's ready views as ECharts charts (locale ZH).
 *
 * The chart specs come from <script type="application/json" id="trend-charts"> (made by
 * yusuan.web.budgets.trends). Values arrive as exact decimal strings ("value") and display texts
 * ("text", rounded 四舍五入 by yusuan); strings become numbers here for drawing only, and people are
 * shown the display text. Data text reaches ECharts' HTML tooltips only through escapeHtml().
 * The same figures stand in the table beneath each chart.
 */
(function () {
  'use strict';

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (ch) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[ch];
    });
  }

  function point(item) {
    return item ? { value: Number(item.value), text: item.text } : null;
  }

  function tooltip(unit) {
    return {
      trigger: 'item',
      confine: true,
      formatter: function (p) {
        var data = p.data || {};
        var series = p.seriesName ? escapeHtml(p.seriesName) + '<br>' : '';
        return series + escapeHtml(p.name) + '<br>' + escapeHtml(data.text) + (unit === '%' ? '' : ' ' + escapeHtml(unit));
      }
    };
  }

  function many(spec) {
    return spec.categories.length > 12;
  }

  var BUILDERS = {
    line: function (spec) {
      return {
        tooltip: tooltip(spec.unit),
        legend: { type: 'scroll', bottom: 0 },
        grid: { left: 8, right: 24, top: 28, bottom: 40, containLabel: true },
        xAxis: { type: 'category', data: spec.categories, boundaryGap: false },
        yAxis: { type: 'value', name: spec.unit, axisLabel: { hideOverlap: true } },
        series: spec.series.map(function (s) {
          return { type: 'line', name: s.name, symbolSize: 7, connectNulls: false, data: s.items.map(point) };
        })
      };
    },
    'grouped-bar': function (spec) {
      var option = {
        tooltip: tooltip(spec.unit),
        legend: { top: 0 },
        grid: { left: 8, right: 24, top: 32, bottom: many(spec) ? 48 : 8, containLabel: true },
        xAxis: {
          type: 'category',
          data: spec.categories,
          axisLabel: { interval: 0, rotate: spec.categories.length > 4 ? 30 : 0, width: 120, overflow: 'truncate' }
        },
        yAxis: { type: 'value', name: spec.unit, axisLabel: { hideOverlap: true } },
        series: spec.series.map(function (s) {
          return { type: 'bar', name: s.name, barMaxWidth: 28, data: s.items.map(point) };
        })
      };
      if (many(spec)) option.dataZoom = [{ type: 'slider', bottom: 4, startValue: 0, endValue: 11 }, { type: 'inside' }];
      return option;
    },
    bar: function (spec) {
      return {
        tooltip: tooltip(spec.unit),
        grid: { left: 8, right: 90, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: 'value', axisLabel: { hideOverlap: true } },
        yAxis: {
          type: 'category',
          inverse: true,
          data: spec.items.map(function (item) { return item.name; }),
          axisLabel: { width: 150, overflow: 'truncate' }
        },
        series: [{
          type: 'bar',
          name: spec.name,
          barMaxWidth: 26,
          label: { show: true, position: 'right', formatter: function (p) { return p.data.text; } },
          data: spec.items.map(function (item) { return { name: item.name, value: Number(item.value), text: item.text }; })
        }]
      };
    }
  };

  function init() {
    var element = document.getElementById('trend-charts');
    if (!element || !window.echarts) return;
    var specs = JSON.parse(element.textContent);
    var quiet = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    var charts = [];
    var finished = 0;
    specs.forEach(function (spec) {
      var target = document.getElementById(spec.id);
      var build = BUILDERS[spec.type];
      if (!target || !build) return;
      if (spec.type === 'bar' && spec.items.length > 10) target.style.height = (spec.items.length * 28 + 40) + 'px';
      var chart = window.echarts.init(target, null, { locale: 'ZH', renderer: 'canvas' });
      var done = false;
      chart.on('finished', function () {
        if (done) return;
        done = true;
        finished += 1;
        document.body.setAttribute('data-charts-rendered', String(finished));
      });
      var option = build(spec);
      option.animation = !quiet;
      option.animationDuration = 300;
      chart.setOption(option);
      charts.push(chart);
    });
    var pending = null;
    window.addEventListener('resize', function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        charts.forEach(function (chart) { chart.resize(); });
      }, 120);
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
