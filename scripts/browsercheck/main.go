// Command browsercheck opens a page in headless Chromium, with no network but
// the loopback, and checks that every chart of package plotting on it drew: a
// <canvas> or <svg> of some size inside each chart's <div>, no error recorded
// by the chart's script, no script error that mentions the charts, no
// text (title, label, mark) that ECharts drew past the chart's edge, where it
// is cut off, no text drawn over a title, subtitle or legend, and no legend
// drawn over the plot, in the page's 1280 px window nor in a 480 px one. It
// saves a screenshot of the page and of each chart.
//
//	browsercheck -out DIR -label NAME [-want N] [-expect interactive|static] URL
//	browsercheck -notebook -run -save ... http://127.0.0.1:PORT/notebooks/NB.ipynb?token=T
//
// With -notebook the page is a classic Jupyter Notebook (6): it waits for the
// kernel; -run clears the outputs and runs every cell in the browser, as a
// student pressing "Run All", and waits for the kernel to finish; -save then
// saves the notebook. -expect static checks the opposite of a drawn chart in
// a notebook: the static images the charts carry are shown and nothing was
// drawn (an untrusted notebook, where Jupyter removes scripts).
//
// It exits 1 with a report when a check fails. It is the driver of
// scripts/test-browser.sh.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

type chartState struct {
	ID      string `json:"id"`
	Drawn   bool   `json:"drawn"`
	Error   string `json:"error"`
	Canvas  int    `json:"canvas"`
	SVG     int    `json:"svg"`
	W       int    `json:"w"`
	H       int    `json:"h"`
	ImgW    int    `json:"imgW"`
	Visible bool   `json:"visible"`
}

// stateJS reports every chart on the page.
const stateJS = `Array.from(document.querySelectorAll('[data-dlnb-chart]')).map(function (c) {
  var img = c.querySelector('img');
  var r = c.getBoundingClientRect();
  return {id: c.id, drawn: c.getAttribute('data-dlnb-drawn') === '1', error: c.getAttribute('data-dlnb-error') || '',
    canvas: Array.from(c.querySelectorAll('canvas')).filter(function (e) { return e.width > 50 && e.height > 50; }).length,
    svg: c.querySelectorAll('svg').length, w: Math.round(r.width), h: Math.round(r.height),
    imgW: img ? img.naturalWidth : 0, visible: r.width > 50 && r.height > 50};
})`

// staticJS reports the static chart images in notebook outputs: where
// Jupyter sanitized the HTML (untrusted), the charts' div attributes are gone
// but the images stay; canvas counts any drawn chart, which must not exist.
const staticJS = `Array.from(document.querySelectorAll('.output_area img[src^="data:image/png"]')).map(function (img, i) {
  var r = img.getBoundingClientRect();
  var area = img.closest('.output_area');
  if (!img.id) img.id = 'dlnb-static-' + i;
  return {id: img.id, drawn: false, error: '', canvas: area ? area.querySelectorAll('canvas').length : 0, svg: 0,
    w: Math.round(r.width), h: Math.round(r.height), imgW: img.naturalWidth, visible: r.width > 50 && r.height > 50};
})`

// clippedText is a text ECharts drew partly outside its chart.
type clippedText struct {
	ID     string `json:"id"`
	Text   string `json:"text"`
	X      int    `json:"x"`
	Y      int    `json:"y"`
	W      int    `json:"w"`
	H      int    `json:"h"`
	ChartW int    `json:"chartW"`
	ChartH int    `json:"chartH"`
}

// clippedJS lists the texts (titles, labels, marks) that ECharts drew
// reaching past the edge of their chart, where the browser cuts them off:
// it walks each chart's zrender display list and puts every visible text's
// bounding box, transformed to the chart's pixels, against the chart's size.
// A 1 px tolerance allows for anti-aliasing. (zrender's box of a line of
// text is shorter than the font, so the check is strict sideways and lenient
// up and down.)
const clippedJS = `(function () {
  var ec = window.echarts, out = [];
  if (!ec || !ec.getInstanceByDom) return out;
  document.querySelectorAll('[data-dlnb-chart][data-dlnb-drawn="1"]').forEach(function (div) {
    var chart = ec.getInstanceByDom(div);
    if (!chart) return;
    var zr = chart.getZr(), W = zr.getWidth(), H = zr.getHeight();
    zr.storage.getDisplayList(true).forEach(function (el) {
      // zrender draws a text as one 'tspan' per line.
      if ((el.type !== 'tspan' && el.type !== 'text') || el.invisible || el.ignore || !el.style || !el.style.text) return;
      // Texts a clip path cuts on purpose (a scrolling legend's hidden page)
      // do not count.
      for (var p = el; p; p = p.parent || p.__hostTarget) {
        if (p.getClipPath && p.getClipPath()) return;
      }
      var r = el.getBoundingRect().clone();
      if (el.transform) r.applyTransform(el.transform);
      if (r.width <= 0 || r.height <= 0) return;
      if (r.x < -1 || r.y < -1 || r.x + r.width > W + 1 || r.y + r.height > H + 1) {
        out.push({id: div.id, text: String(el.style.text), x: Math.round(r.x), y: Math.round(r.y),
          w: Math.round(r.width), h: Math.round(r.height), chartW: W, chartH: H});
      }
    });
  });
  return out;
})()`

// overlap is a text or a legend that ECharts drew over another part of the
// chart.
type overlap struct {
	ID    string `json:"id"`
	What  string `json:"what"`
	Other string `json:"other"`
	X     int    `json:"x"`
	Y     int    `json:"y"`
	W     int    `json:"w"`
	H     int    `json:"h"`
}

// overlapJS lists, per chart, the texts drawn over a title, a subtitle or a
// legend entry (a best point's label above the axes running into the
// subtitle), and legends drawn over a panel's plot area (a legend of more
// rows than the layout left room for). Titles and legends are ECharts
// components whose views hold their texts; the plot areas are the grids'
// rectangles. Overlaps of 1 px or less (anti-aliasing) do not count, nor do
// texts a clip path hides (a scrolling legend's other pages).
const overlapJS = `(function () {
  var ec = window.echarts, out = [];
  if (!ec || !ec.getInstanceByDom) return out;
  function clipped(el) {
    for (var p = el; p; p = p.parent || p.__hostTarget) {
      if (p.getClipPath && p.getClipPath()) return true;
    }
    return false;
  }
  function isText(el) {
    return (el.type === 'tspan' || el.type === 'text') && !el.invisible && !el.ignore && el.style && el.style.text && !clipped(el);
  }
  // The box of a text, in the chart's pixels: its label box (with padding)
  // if it has one. zrender's box of a line runs from about the top of the
  // capitals to the baseline, shorter than the text: it is stretched 1 px up
  // and a quarter of the font size down, for the descenders.
  function rectOf(el) {
    var host = el.parent || el.__hostTarget;
    var box = host && host.type === 'text' ? host : el;
    var r = box.getBoundingRect().clone();
    var m = /(\d+(?:\.\d+)?)px/.exec((el.style && el.style.font) || '');
    var size = m ? parseFloat(m[1]) : 12;
    r.y -= 1;
    r.height += 1 + 0.25 * size;
    if (box.transform) r.applyTransform(box.transform);
    return r;
  }
  function meets(a, b) {
    return Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 1 &&
      Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 1;
  }
  document.querySelectorAll('[data-dlnb-chart][data-dlnb-drawn="1"]').forEach(function (div) {
    var chart = ec.getInstanceByDom(div);
    if (!chart) return;
    var model = chart.getModel();
    var groups = [], legends = [];
    ['title', 'legend'].forEach(function (type) {
      model.eachComponent(type, function (cm, i) {
        var view = chart.getViewOfComponentModel(cm);
        if (!view || !view.group || view.group.ignore) return;
        groups.push({name: type + ' ' + i, group: view.group});
        if (type === 'legend') {
          var r = view.group.getBoundingRect().clone();
          if (view.group.transform) r.applyTransform(view.group.transform);
          if (r.width > 0 && r.height > 0) legends.push({name: type + ' ' + i, rect: r});
        }
      });
    });
    // zrender draws a text as tspans whose host is the text element of a
    // component's group: walk up to find the component.
    function ownerOf(el) {
      for (var p = el; p; p = p.parent || p.__hostTarget) {
        for (var k = 0; k < groups.length; k++) if (groups[k].group === p) return groups[k].name;
      }
      return '';
    }
    var header = [], others = [];
    chart.getZr().storage.getDisplayList(true).forEach(function (el) {
      if (!isText(el)) return;
      var t = {name: ownerOf(el), text: String(el.style.text), rect: rectOf(el)};
      if (t.rect.width <= 0 || t.rect.height <= 0) return;
      (t.name ? header : others).push(t);
    });
    var push = function (what, other, r) {
      out.push({id: div.id, what: what, other: other, x: Math.round(r.x), y: Math.round(r.y), w: Math.round(r.width), h: Math.round(r.height)});
    };
    // Header texts against each other's (a title against a legend) and
    // against every other text.
    header.forEach(function (h, i) {
      header.slice(i + 1).forEach(function (k) {
        if (h.name !== k.name && meets(h.rect, k.rect)) push('text "' + k.text + '" (' + k.name + ')', h.name + ' "' + h.text + '"', k.rect);
      });
      others.forEach(function (o) {
        if (meets(o.rect, h.rect)) push('text "' + o.text + '"', h.name + ' "' + h.text + '"', o.rect);
      });
    });
    model.eachComponent('grid', function (gm, i) {
      var g = gm.coordinateSystem && gm.coordinateSystem.getRect();
      if (!g) return;
      legends.forEach(function (l) {
        if (meets(l.rect, g)) push(l.name, 'the plot area of grid ' + i, l.rect);
      });
    });
  });
  return out;
})()`

// narrowWidth is the width of the narrow window the legends are checked in
// again, in CSS pixels.
const narrowWidth = 480

func main() {
	out := flag.String("out", "build/browser", "directory for screenshots")
	label := flag.String("label", "page", "name for the screenshots")
	want := flag.Int("want", 1, "the least number of charts the page must have")
	expect := flag.String("expect", "interactive", "interactive: every chart drew; static: every chart shows its image and none drew")
	notebook := flag.Bool("notebook", false, "the page is a Jupyter Notebook 6 page: wait for its kernel")
	run := flag.Bool("run", false, "with -notebook: run every cell in the browser first")
	save := flag.Bool("save", false, "with -notebook: save the notebook after the checks")
	progress := flag.Bool("progress", false, "also require a finished plotting.Progress display")
	strict := flag.Bool("strict", true, "fail on any script error (else only on errors about the charts, for pages with scripts of their own)")
	timeout := flag.Duration("timeout", 10*time.Minute, "give up after this long")
	chrome := flag.String("chrome", "/usr/bin/chromium", "the Chromium binary")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: browsercheck [flags] URL")
		os.Exit(2)
	}
	if err := check(flag.Arg(0), *out, *label, *want, *expect, *notebook, *run, *save, *progress, *strict, *timeout, *chrome); err != nil {
		fmt.Fprintf(os.Stderr, "browsercheck %s: FAIL: %v\n", *label, err)
		os.Exit(1)
	}
}

func check(url, out, label string, want int, expect string, notebook, run, save, progress, strict bool, timeout time.Duration, chrome string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	profile, err := os.MkdirTemp("", "browsercheck-profile-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.UserDataDir(profile),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 1000),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// Offline: no host name resolves but the loopback.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()

	var mu sync.Mutex
	var jsErrors []string
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				msg += " " + d.Exception.Description
			}
			jsErrors = append(jsErrors, "exception: "+msg)
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range ev.Args {
					if a.Value != nil {
						parts = append(parts, strings.Trim(string(a.Value), `"`))
					} else {
						parts = append(parts, a.Description)
					}
				}
				jsErrors = append(jsErrors, "console.error: "+strings.Join(parts, " "))
			}
		}
	}); err != nil {
		return fmt.Errorf("starting Chromium: %w", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return fmt.Errorf("opening %s: %w", url, err)
	}
	deadline := time.Now().Add(timeout)
	poll := func(what, js string, d time.Duration) error {
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(d), chromedp.WithPollingInterval(250*time.Millisecond)))
		if err != nil {
			return fmt.Errorf("waiting for %s: %w", what, err)
		}
		return nil
	}
	if notebook {
		if err := poll("the notebook's kernel", `!!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())`, 2*time.Minute); err != nil {
			return err
		}
		if run {
			start := time.Now()
			if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`Jupyter.notebook.clear_all_output(); Jupyter.notebook.execute_all_cells();`)); err != nil {
				return err
			}
			// Every code cell numbered (run), none running, the kernel idle.
			done := `(function () {
			  var cells = Jupyter.notebook.get_cells().filter(function (c) { return c.cell_type === 'code'; });
			  return cells.every(function (c) { return typeof c.input_prompt_number === 'number' && !c.element.hasClass('running'); }) &&
			    document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null;
			})()`
			if err := poll("every cell to run", done, time.Until(deadline)); err != nil {
				return err
			}
			fmt.Printf("browsercheck %s: ran every cell in the browser in %.1f s\n", label, time.Since(start).Seconds())
		}
		errs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.output_error')).map(function (e) { return e.innerText.slice(0, 2000); })`))
		if err != nil {
			return err
		}
		if len(errs) > 0 {
			return fmt.Errorf("cells failed:\n%s", strings.Join(errs, "\n---\n"))
		}
	}

	// Wait for the charts to settle: drawn or failed (interactive), or their
	// images loaded (static).
	js := stateJS
	if expect == "static" {
		js = staticJS
	}
	settled := fmt.Sprintf(`(function () { var s = %s; return s.length >= %d && s.every(function (c) { return %s; }); })()`,
		js, want, map[string]string{
			"interactive": "c.drawn || c.error !== ''",
			"static":      "c.imgW > 0",
		}[expect])
	waitErr := poll(fmt.Sprintf("%d charts", want), settled, min(time.Until(deadline), 2*time.Minute))
	states, err := chromedp.Run(ctx, chromedp.Evaluate[[]chartState](js))
	if err != nil {
		return err
	}
	if notebook {
		// Long outputs are in scroll boxes; unfold them so screenshots show whole charts.
		_ = chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`Jupyter.notebook.get_cells().forEach(function (c) { if (c.output_area && c.output_area.unscroll_area) c.output_area.unscroll_area(); })`))
	}
	// shoot saves a screenshot of one element, scrolled into view first:
	// Notebook 6 scrolls inside its own container, where an element below
	// the fold would come out blank.
	shoot := func(sel, file string) {
		js := fmt.Sprintf(`(function () { var e = document.querySelector(%q); if (e) e.scrollIntoView({block: "center"}); return !!e; })()`, sel)
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err != nil || !ok {
			return
		}
		_ = chromedp.Do(ctx, chromedp.Sleep(300*time.Millisecond))
		if b, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(sel))); err == nil {
			_ = os.WriteFile(filepath.Join(out, file), b, 0o644)
		}
	}
	// Text cut off at a chart's edge, measured on what ECharts drew, before
	// any screenshot: a full-page capture resizes the viewport for a moment,
	// and the charts redraw.
	var clipped []clippedText
	var overlaps []overlap
	if expect == "interactive" {
		if clipped, err = chromedp.Run(ctx, chromedp.Evaluate[[]clippedText](clippedJS)); err != nil {
			return err
		}
		if overlaps, err = chromedp.Run(ctx, chromedp.Evaluate[[]overlap](overlapJS)); err != nil {
			return err
		}
	}
	if progress {
		shoot(".dlnb-progress", label+"-progress.png")
	}
	for i, s := range states {
		shoot("#"+s.ID, fmt.Sprintf("%s-%02d.png", label, i+1))
	}
	// The whole page last, for the same reason.
	if b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		_ = os.WriteFile(filepath.Join(out, label+".png"), b, 0o644)
	}
	// The charts again in a narrow window (a notebook beside a file
	// browser, a phone): their legends wrap onto more rows than the layout
	// made room for, and must scroll rather than cover the plot.
	var narrow []overlap
	if expect == "interactive" {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(narrowWidth, 1000)); err != nil {
			return err
		}
		_ = chromedp.Do(ctx, chromedp.Sleep(700*time.Millisecond)) // the charts' resize observers redraw them
		all, err := chromedp.Run(ctx, chromedp.Evaluate[[]overlap](overlapJS))
		if err != nil {
			return err
		}
		for _, o := range all {
			if strings.HasPrefix(o.Other, "the plot area") {
				narrow = append(narrow, o)
			}
		}
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 1000)); err != nil {
			return err
		}
	}
	var problems []string
	if waitErr != nil {
		problems = append(problems, waitErr.Error())
	}
	if len(states) < want {
		problems = append(problems, fmt.Sprintf("%d charts on the page, want at least %d", len(states), want))
	}
	for i, s := range states {
		switch expect {
		case "interactive":
			if !s.Drawn || s.Error != "" || s.Canvas+s.SVG == 0 || !s.Visible {
				problems = append(problems, fmt.Sprintf("chart %d (%s) did not draw: %+v", i+1, s.ID, s))
			}
		case "static":
			if s.Drawn || s.Canvas > 0 || s.ImgW == 0 || !s.Visible {
				problems = append(problems, fmt.Sprintf("chart %d (%s) does not show its static image: %+v", i+1, s.ID, s))
			}
		}
	}
	for _, c := range clipped {
		problems = append(problems, fmt.Sprintf("chart %s: text %q is cut off: drawn at x %d..%d, y %d..%d on a %dx%d chart",
			c.ID, c.Text, c.X, c.X+c.W, c.Y, c.Y+c.H, c.ChartW, c.ChartH))
	}
	for _, o := range overlaps {
		problems = append(problems, fmt.Sprintf("chart %s: %s is drawn over %s, at x %d..%d, y %d..%d",
			o.ID, o.What, o.Other, o.X, o.X+o.W, o.Y, o.Y+o.H))
	}
	for _, o := range narrow {
		problems = append(problems, fmt.Sprintf("chart %s, in a window %d px wide: %s is drawn over %s, at x %d..%d, y %d..%d",
			o.ID, narrowWidth, o.What, o.Other, o.X, o.X+o.W, o.Y, o.Y+o.H))
	}
	if progress {
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll('.dlnb-progress')).map(function (e) { return e.innerText; }).join('\n')`))
		if err != nil {
			return err
		}
		if !strings.Contains(text, "Done:") {
			problems = append(problems, fmt.Sprintf("no finished progress display (found %q)", text))
		}
	}
	mu.Lock()
	for _, e := range jsErrors {
		l := strings.ToLower(e)
		if strings.Contains(l, "dlnb") || strings.Contains(l, "echarts") || (strict && !notebook) {
			problems = append(problems, "script error: "+e)
		} else {
			fmt.Printf("browsercheck %s: (not about the charts) %s\n", label, e)
		}
	}
	mu.Unlock()
	if notebook && save {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`Jupyter.notebook.save_notebook()`)); err != nil {
			return err
		}
		if err := poll("the notebook to be saved", `!Jupyter.notebook.dirty`, time.Minute); err != nil {
			return err
		}
	}
	report, _ := json.Marshal(states)
	if len(problems) > 0 {
		return fmt.Errorf("%s\ncharts: %s", strings.Join(problems, "\n"), report)
	}
	fmt.Printf("browsercheck %s: ok: %d charts %s, no chart script errors; screenshots in %s\n", label, len(states),
		map[string]string{"interactive": "drawn", "static": "showing their static images"}[expect], out)
	return nil
}
