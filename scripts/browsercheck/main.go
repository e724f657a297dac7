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
//	browsercheck -jupyter lab -token T -path NB.ipynb -run [-progress 2] [-save] ... http://127.0.0.1:PORT/BASE_URL/
//	browsercheck -hub https://HUB/ -hub-user NAME -hub-password-file F -jupyter lab -token T -path NB.ipynb -run ... https://HUB/user/NAME/
//	browsercheck -hub https://HUB/ -hub-user ADMIN -hub-password-file F -hub-admin-sees NAME[,NAME] https://HUB/
//	browsercheck -hub https://HUB/ -hub-user ADMIN -hub-password-file F -formgrader ASSIGNMENT -formgrader-scores NAME=POINTS[,...] https://HUB/user/ADMIN/
//	browsercheck -hub https://HUB/ -hub-user NAME -hub-password-file F -no-formgrader ASSIGNMENT https://HUB/user/NAME/
//
// With -jupyter the URL is a Jupyter server (with its base_url) and -path a
// notebook under its root: browsercheck opens the notebook as a student does,
// from JupyterLab 4's file browser (-jupyter lab) or Notebook 7's tree page
// (-jupyter notebook), waits for its kernel (selecting it if asked); -run
// clears the outputs and runs every cell from the menus (Edit > Clear Outputs
// of All Cells, Run > Run All Cells), waits until every code cell has its
// execution count and the kernel is idle, and fails on any error or stderr
// output; -progress N requires each live progress display (plotting.Progress)
// to be seen updated at least N times while its cell ran, and to finish;
// -save then saves the notebook (File > Save). Script errors from the
// outputs fail the check; JupyterLab's own console messages are printed. The
// notebook's pages are saved as screenshots, a window at a time. -expect
// static checks the opposite of a drawn chart in a notebook: the static
// images the charts carry are shown and nothing was drawn (an untrusted
// notebook, where JupyterLab removes scripts). At the end the notebook's
// kernel is shut down.
//
// With -hub the browser first logs in at a JupyterHub's login form, as a
// student does; the hub then starts the student's server if it is not
// running and sends the browser to its JupyterLab, where the notebook check
// goes on (page URLs carry no token: the hub's login lets the browser in).
// With -hub-admin-sees the account is the instructor's, and the check is the
// hub's admin page: it must list each named user with a running server
// (docker/class, scripts/test-class.sh). With -formgrader the account is the
// instructor's and the check is nbgrader's formgrader in their JupyterLab
// (Nbgrader > Formgrader, the assignment's Manage Submissions page): each
// named student's score must be exactly their points. With -no-formgrader
// the account is a student's: their JupyterLab's Nbgrader menu must have the
// Assignment List, which lists the assignment, and no Formgrader, and their
// server must answer 404 at /formgrader (formgrader.go).
//
// It exits 1 with a report when a check fails. It is the driver of
// scripts/test-browser.sh and scripts/test-lesson-screens.sh.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/emulation"
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
const staticJS = `Array.from(document.querySelectorAll('.jp-OutputArea-output img[src^="data:image/png"]')).filter(function (img) {
  return !img.closest('.dlnb-progress');
}).map(function (img, i) {
  var r = img.getBoundingClientRect();
  var area = img.closest('.jp-OutputArea-output');
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
	ui := flag.String("jupyter", "", `"lab": URL is a JupyterLab server and -path a notebook to open from its file browser; "notebook": the same in Notebook 7`)
	nbPath := flag.String("path", "", "with -jupyter: the notebook, relative to the server's root_dir")
	token := flag.String("token", "", "with -jupyter: the server's token")
	kernel := flag.String("kernel", "Go (dlnb)", "with -jupyter: the display name of the kernel the notebook must get")
	run := flag.Bool("run", false, "with -jupyter: clear the outputs and run every cell from the menus first")
	save := flag.Bool("save", false, "with -jupyter: save the notebook after the checks")
	progress := flag.Int("progress", -1, "require a finished plotting.Progress display; with -run, one that the browser saw updated at least this many times while its cell ran")
	strict := flag.Bool("strict", true, "fail on any script error (else only on errors about the charts, for pages with scripts of their own)")
	timeout := flag.Duration("timeout", 10*time.Minute, "give up after this long")
	chrome := flag.String("chrome", "/usr/bin/chromium", "the Chromium binary")
	hubURL := flag.String("hub", "", "log in at this JupyterHub's login form first (its public URL), as -hub-user with the password in -hub-password-file; with -jupyter, URL is then the user's server (HUB/user/NAME/), reached through the login (page URLs carry no token: -token serves only the REST calls)")
	hubUser := flag.String("hub-user", "", "with -hub: the account to log in as")
	hubPassword := flag.String("hub-password-file", "", "with -hub: a file holding the account's password")
	formgrader := flag.String("formgrader", "", "with -hub, instead of a page check: the account (the instructor) opens this assignment's submissions in the formgrader of its JupyterLab (URL: HUB/user/NAME/), where each student of -formgrader-scores must have their points")
	formgraderScores := flag.String("formgrader-scores", "", "with -formgrader: STUDENT=POINTS,... as the formgrader must show them")
	noFormgrader := flag.String("no-formgrader", "", "with -hub, instead of a page check: the account (a student) has no formgrader in its JupyterLab (URL: HUB/user/NAME/), and its Assignments tab lists this assignment")
	adminSees := flag.String("hub-admin-sees", "", "with -hub, instead of a page check: the account (an admin) opens the hub's admin page, which must list these users (comma-separated) with a running server")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: browsercheck [flags] URL")
		os.Exit(2)
	}
	var j *jupyter
	if *ui != "" {
		if *ui != "lab" && *ui != "notebook" {
			fmt.Fprintf(os.Stderr, "browsercheck: -jupyter %q: want lab or notebook\n", *ui)
			os.Exit(2)
		}
		if *nbPath == "" {
			fmt.Fprintln(os.Stderr, "browsercheck: -jupyter needs -path NOTEBOOK")
			os.Exit(2)
		}
		base := flag.Arg(0)
		if !strings.HasSuffix(base, "/") {
			base += "/"
		}
		j = &jupyter{ui: *ui, base: base, token: *token, path: *nbPath, kernel: *kernel, hubLogin: *hubURL != ""}
	}
	c := config{url: flag.Arg(0), out: *out, label: *label, want: *want, expect: *expect, jupyter: j, run: *run, save: *save,
		progress: *progress, strict: *strict, timeout: *timeout, chrome: *chrome}
	if *hubURL != "" {
		h, err := newHub(*hubURL, *hubUser, *hubPassword)
		if err != nil {
			fmt.Fprintf(os.Stderr, "browsercheck: %v\n", err)
			os.Exit(2)
		}
		c.hub = h
		if *adminSees != "" {
			c.adminSees = strings.Split(*adminSees, ",")
		}
		switch {
		case *formgrader != "":
			scores, err := parseScores(*formgraderScores)
			if err != nil {
				fmt.Fprintf(os.Stderr, "browsercheck: %v\n", err)
				os.Exit(2)
			}
			c.grading = &grading{assignment: *formgrader, scores: scores}
		case *noFormgrader != "":
			c.grading = &grading{assignment: *noFormgrader}
		}
	} else if *adminSees != "" || *formgrader != "" || *noFormgrader != "" {
		fmt.Fprintln(os.Stderr, "browsercheck: -hub-admin-sees, -formgrader and -no-formgrader need -hub")
		os.Exit(2)
	}
	if err := check(c); err != nil {
		fmt.Fprintf(os.Stderr, "browsercheck %s: FAIL: %v\n", *label, err)
		os.Exit(1)
	}
}

type config struct {
	url, out, label, expect string
	want                    int
	jupyter                 *jupyter // nil: a plain page
	run, save               bool
	progress                int
	strict                  bool
	timeout                 time.Duration
	chrome                  string
	hub                     *hub     // nil: no hub login
	adminSees               []string // with hub: check the admin page instead
	grading                 *grading // with hub: check nbgrader in JupyterLab instead (formgrader.go)
}

// pollFunc waits until the JavaScript expression js is true.
type pollFunc func(what, js string, d time.Duration) error

// ourError says whether a script error came from a page's own content
// rather than from JupyterLab's code: JupyterLab's code is in its static
// bundles, while the scripts of outputs run inline (or mention the charts).
func ourError(text, url string) bool {
	l := strings.ToLower(text)
	if strings.Contains(l, "dlnb") || strings.Contains(l, "echarts") {
		return true
	}
	return !strings.Contains(url, "/static/") && !strings.Contains(url, "/lab/extensions/") && !strings.Contains(url, "/nbextensions/")
}

func check(c config) error {
	url, out, label, want, expect, j, run, save, progress, strict, timeout, chrome :=
		c.url, c.out, c.label, c.want, c.expect, c.jupyter, c.run, c.save, c.progress, c.strict, c.timeout, c.chrome
	notebook := j != nil
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
		// The HTTPS check's server has a self-signed certificate.
		chromedp.Flag("ignore-certificate-errors", true),
		// Offline: no host name resolves but the loopback.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()

	var mu sync.Mutex
	var jsErrors, otherErrors []string
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		add := func(msg, url string) {
			if !notebook || ourError(msg, url) {
				jsErrors = append(jsErrors, msg)
			} else {
				otherErrors = append(otherErrors, msg)
			}
		}
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				msg += " " + d.Exception.Description
			}
			url := d.URL
			if d.StackTrace != nil && len(d.StackTrace.CallFrames) > 0 {
				url = d.StackTrace.CallFrames[0].URL
			}
			add("exception: "+msg, url)
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
				url := ""
				if ev.StackTrace != nil && len(ev.StackTrace.CallFrames) > 0 {
					url = ev.StackTrace.CallFrames[0].URL
				}
				add("console.error: "+strings.Join(parts, " "), url)
			}
		}
	}); err != nil {
		return fmt.Errorf("starting Chromium: %w", err)
	}
	// A headless window never has the focus, and JupyterLab's menus act on
	// the notebook that has it: pretend the window is focused, as a
	// student's is.
	if _, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		return fmt.Errorf("emulating a focused window: %w", err)
	}
	deadline := time.Now().Add(timeout)
	poll := func(what, js string, d time.Duration) error {
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(d), chromedp.WithPollingInterval(250*time.Millisecond)))
		if err != nil {
			return fmt.Errorf("waiting for %s: %w", what, err)
		}
		return nil
	}
	write := func(name string, b []byte) { _ = os.WriteFile(filepath.Join(out, name), b, 0o644) }
	if c.hub != nil && len(c.adminSees) > 0 {
		return c.hub.adminSees(ctx, poll, c.adminSees, out, label)
	}
	if c.hub != nil && c.grading != nil {
		// URL is HUB/user/NAME/: the server is "user/NAME".
		rest := strings.SplitN(strings.SplitN(url, "://", 2)[1], "/", 2)
		server := strings.Trim(rest[len(rest)-1], "/")
		if c.grading.scores != nil {
			return c.hub.formgraderScores(ctx, poll, server, *c.grading, out, label)
		}
		return c.hub.studentHasNoFormgrader(ctx, poll, server, *c.grading, out, label)
	}
	if c.hub != nil && notebook {
		// The student's way in: the login form, then the hub starts their
		// server if it is not running and sends the browser to it.
		server := strings.TrimSuffix(strings.SplitN(strings.SplitN(j.base, "://", 2)[1], "/", 2)[1], "/")
		took, err := c.hub.login(ctx, poll, "/"+server+"/lab", "", min(time.Until(deadline), 5*time.Minute))
		if err != nil {
			screenshot(ctx, out, label+"-login-failed.png")
			return err
		}
		fmt.Printf("browsercheck %s: logged in at %shub/login as %s; JupyterLab (/%s/lab) showed %.1f s after the form was sent\n",
			label, c.hub.url, c.hub.user, server, took.Seconds())
	}
	var problems []string
	var cells []cellState
	if notebook {
		defer func() {
			if err := j.shutdown(); err != nil {
				fmt.Printf("browsercheck %s: shutting the kernel down: %v\n", label, err)
			}
		}()
		if err := j.open(ctx, poll); err != nil {
			screenshot(ctx, out, label+"-failed.png")
			return err
		}
		if run {
			var err error
			cells, err = j.runAll(ctx, time.Until(deadline), progress >= 0)
			if err != nil {
				problems = append(problems, err.Error())
			}
		} else {
			st, err := chromedp.Run(ctx, chromedp.Evaluate[cellsState](cellsJS))
			if err != nil {
				return err
			}
			cells = st.Cells
		}
		for _, cs := range cells {
			for _, e := range cs.Stderr {
				problems = append(problems, fmt.Sprintf("cell %d (prompt %s) shows an error or stderr:\n%s", cs.Index, cs.Prompt, e))
			}
		}
	} else if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return fmt.Errorf("opening %s: %w", url, err)
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
	// shoot saves a screenshot of one element, scrolled into view first:
	// JupyterLab scrolls inside its own container, where an element below
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
	if progress >= 0 {
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
	if progress >= 0 {
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll('.dlnb-progress')).map(function (e) { return e.textContent; }).join('\n')`))
		if err != nil {
			return err
		}
		if !strings.Contains(text, "Done:") {
			problems = append(problems, fmt.Sprintf("no finished progress display (found %q)", text))
		}
	}
	if notebook && run && progress >= 0 {
		recs, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]progressRecord](`window.dlnbProgress || {}`))
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			problems = append(problems, "the browser saw no live progress display")
		}
		keys := make([]string, 0, len(recs))
		for k := range recs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			r := recs[k]
			live := 0
			for _, st := range r.States {
				if st.Running {
					live++
				}
			}
			// The first state is the display itself; each later one an update.
			updates := max(live-1, 0)
			last := ""
			if n := len(r.States); n > 0 {
				last = r.States[n-1].Text
			}
			fmt.Printf("browsercheck %s: progress display %s (cell %d): %d states seen, %d updates while its cell ran; last %.80q\n",
				label, k, r.Cell, len(r.States), updates, last)
			if updates < progress {
				problems = append(problems, fmt.Sprintf("progress display %s (cell %d) was updated %d times while its cell ran, want at least %d (states seen: %d)",
					k, r.Cell, updates, progress, len(r.States)))
			}
			if !strings.HasPrefix(last, "Done:") {
				problems = append(problems, fmt.Sprintf("progress display %s (cell %d) did not finish: last state %q", k, r.Cell, last))
			}
		}
	}
	if notebook {
		notebookShots(ctx, out, label, write)
	}
	mu.Lock()
	for _, e := range jsErrors {
		l := strings.ToLower(e)
		if notebook || strict || strings.Contains(l, "dlnb") || strings.Contains(l, "echarts") {
			problems = append(problems, "script error: "+e)
		} else {
			fmt.Printf("browsercheck %s: (not about the charts) %s\n", label, e)
		}
	}
	for _, e := range otherErrors {
		fmt.Printf("browsercheck %s: (JupyterLab's own, not from the outputs) %s\n", label, e)
	}
	mu.Unlock()
	if notebook && save {
		if err := j.save(ctx); err != nil {
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
