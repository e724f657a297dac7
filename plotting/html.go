package plotting

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html"
	"regexp"
	"strings"
)

// How a chart reaches the page.
//
// Every chart's HTML is a <div> holding the static PNG, then a small script
// that replaces the image with the interactive ECharts chart. Where scripts
// do not run (an untrusted notebook, a code host, a markdown export) the image
// stays, so the chart is always there.
//
// The script needs ECharts. Loading it from a CDN with a <script src> (as
// go-echarts' pages do) fails offline, fails in Notebook 6 (RequireJS makes
// the UMD bundle register an AMD module instead of window.echarts) and races
// in JupyterLab. So:
//
//   - the first chart a notebook cell displays carries ECharts inside it,
//     gzip-compressed and base64 encoded (about 450 KB); the cell's other
//     charts wait for it. A cell's outputs are shown, cleared and exported
//     together, so every cell stands alone: cells can run in any order, be
//     cleared or re-run, and an nbconvert HTML export works with no network.
//     The script unpacks ECharts with the browser's DecompressionStream only
//     if the page has none yet, and runs it with define, module and exports
//     hidden so it sets window.echarts even where RequireJS is loaded.
//   - a page written by SaveHTML or SavePage has ECharts once, in its <head>.

// fragmentOptions says what goes into a chart's HTML.
type fragmentOptions struct {
	lib   *echartsLib // nil: no interactive chart, the static image only
	embed bool        // carry the compressed library in the fragment
	note  string      // a line shown under the chart (why it is static)
}

func newID() string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return "dlnb-chart-" + hex.EncodeToString(b[:])
}

// fragment returns the chart's HTML: div, fallback image, and script.
func fragment(f *figure, png []byte, fo fragmentOptions) (string, error) {
	id := newID()
	var b strings.Builder
	fmt.Fprintf(&b, `<div class="dlnb-chart" id="%s" data-dlnb-chart="1" style="position:relative;width:100%%;max-width:%dpx;height:%dpx;margin:4px 0;background:#fff">`,
		id, f.Width, f.Height)
	fmt.Fprintf(&b, `<img src="data:image/png;base64,%s" alt="%s" width="%d" height="%d" style="width:100%%;height:100%%;object-fit:contain;object-position:left top">`,
		base64.StdEncoding.EncodeToString(png), html.EscapeString(altText(f)), f.Width, f.Height)
	b.WriteString(`</div>`)
	if fo.note != "" {
		fmt.Fprintf(&b, `<div class="dlnb-chart-note" style="font:12px sans-serif;color:#777">%s</div>`, html.EscapeString(fo.note))
	}
	if fo.lib != nil {
		option, err := echartsOption(f)
		if err != nil {
			return "", err
		}
		lib := "null"
		if fo.embed {
			lib = `"` + fo.lib.gzip64 + `"`
		}
		b.WriteString("<script>")
		b.WriteString(strings.NewReplacer("__ID__", id, "__OPTION__", option, "__LIB__", lib).Replace(loaderJS))
		b.WriteString("</script>")
	}
	return b.String(), nil
}

// altText describes the chart for screen readers and broken images.
func altText(f *figure) string {
	s := f.Title
	if len(f.Summary) > 0 {
		s += ": " + strings.Join(f.Summary, "; ")
	}
	return s
}

// loaderJS draws one chart. It is written for old and new browsers alike
// (no modules, no arrow functions) and never throws: on any failure the
// static image stays and the reason goes to data-dlnb-error and the console.
const loaderJS = `(function () {
  var id = "__ID__", option = __OPTION__, lib = __LIB__;
  var L = window.dlnbECharts || (window.dlnbECharts = {queue: [], loading: false});
  function el() { return document.getElementById(id); }
  function fail(msg) {
    var e = el(); if (e) e.setAttribute("data-dlnb-error", msg);
    if (window.console) console.error("dlnb chart " + id + ": " + msg);
  }
  function ready() { return (window.echarts && window.echarts.init) ? window.echarts : null; }
  // The layout leaves room above the plot for the legend's rows at the
  // chart's full width; in a narrower notebook the entries wrap onto more
  // rows, and a legend that would cover the plot scrolls instead.
  function fitLegend(chart) {
    try {
      var m = chart.getModel(), lg = m.getComponent("legend"), g = m.getComponent("grid");
      if (!lg || !g || lg.subType !== "plain" || !lg.get("show")) return;
      var v = chart.getViewOfComponentModel(lg), r = v.group.getBoundingRect().clone();
      if (v.group.transform) r.applyTransform(v.group.transform);
      if (r.y + r.height > g.coordinateSystem.getRect().y) {
        // The whole legend option again: ECharts makes a new legend of the
        // new type, from this option alone.
        var o = {}, k;
        for (k in option.legend) o[k] = option.legend[k];
        o.type = "scroll";
        chart.setOption({legend: o});
      }
    } catch (err) {}
  }
  function draw(ec, tries) {
    var e = el();
    tries = tries || 0;
    if (!e || e.clientWidth === 0) { // not in the page yet, or hidden
      if (tries > 600) return fail("the chart's element never became visible");
      return setTimeout(function () { draw(ec, tries + 1); }, 50);
    }
    var fallback = e.innerHTML;
    try {
      e.innerHTML = "";
      var chart = ec.init(e, null, {renderer: "canvas"});
      chart.setOption(option);
      fitLegend(chart);
      if (window.ResizeObserver) new ResizeObserver(function () { chart.resize(); fitLegend(chart); }).observe(e);
      e.setAttribute("data-dlnb-drawn", "1");
      e.removeAttribute("data-dlnb-error");
    } catch (err) {
      e.innerHTML = fallback;
      fail(String(err));
    }
  }
  if (ready()) return draw(ready());
  L.queue.push(draw);
  if (L.loading) return;
  // Queued: another chart of this cell carries ECharts and draws this one
  // once it has loaded it. Until then the static image stays.
  if (!lib) return;
  if (!window.DecompressionStream || !window.Response || !window.Blob) {
    return fail("this browser cannot unpack ECharts (no DecompressionStream); the static image stays");
  }
  L.loading = true;
  var bin = atob(lib), bytes = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text()
    .then(function (src) {
      // Hide AMD and CommonJS so the UMD bundle sets window.echarts.
      (new Function("define", "module", "exports", src)).call(window);
      L.loading = false;
      var ec = ready();
      if (!ec) throw new Error("ECharts did not load");
      var q = L.queue; L.queue = [];
      for (var k = 0; k < q.length; k++) q[k](ec);
    })
    .catch(function (err) { L.loading = false; fail("loading ECharts: " + err); });
})();`

var scriptEnd = regexp.MustCompile(`(?i)</script`)

// pageHTML is a standalone page: ECharts once in the head, then the charts.
func pageHTML(title string, lib *echartsLib, fragments []string) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	fmt.Fprintf(&b, "<title>%s</title>\n", html.EscapeString(title))
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	fmt.Fprintf(&b, "<!-- ECharts %s (Apache-2.0), inlined so the page works offline -->\n<script>(function (define, module, exports) {\n", EChartsVersion)
	b.WriteString(scriptEnd.ReplaceAllString(string(lib.src), `<\/script`))
	b.WriteString("\n}).call(window);</script>\n</head>\n<body style=\"margin:16px;font-family:sans-serif\">\n")
	for _, f := range fragments {
		b.WriteString(f)
		b.WriteString("\n")
	}
	b.WriteString("</body>\n</html>\n")
	return b.String()
}
