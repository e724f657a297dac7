package main

// nbgrader in JupyterLab on the class hub (docker/class, scripts/test-class.sh):
// the instructor's formgrader shows the autograded scores; a student's
// JupyterLab has the Assignments list and no formgrader.

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// grading is what -formgrader or -nbgrader-student checks.
type grading struct {
	assignment string
	scores     map[string]float64 // -formgrader-scores: student id -> points; nil for a student's check
}

// parseScores reads "alice=11,bob=8".
func parseScores(s string) (map[string]float64, error) {
	out := map[string]float64{}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		f, err := strconv.ParseFloat(v, 64)
		if !ok || k == "" || err != nil {
			return nil, fmt.Errorf("-formgrader-scores: %q is not STUDENT=POINTS", kv)
		}
		out[k] = f
	}
	return out, nil
}

// openLab logs the account in and waits for its JupyterLab (server is
// "user/NAME") with nbgrader's menu in the menu bar.
func (h *hub) openLab(ctx context.Context, poll pollFunc, server string) error {
	took, err := h.login(ctx, poll, "/"+server+"/lab", "", 5*time.Minute)
	if err != nil {
		return err
	}
	fmt.Printf("browsercheck: logged in at %shub/login as %s; JupyterLab (/%s/lab) showed %.1f s after the form was sent\n",
		h.url, h.user, server, took.Seconds())
	if err := poll("JupyterLab's Nbgrader menu and file browser", `Array.from(document.querySelectorAll('.lm-MenuBar-item')).some(function (e) {
	  return e.textContent.trim() === 'Nbgrader'; }) && !!document.querySelector('.jp-DirListing-item')`, 3*time.Minute); err != nil {
		return err
	}
	// The menu bar shows before JupyterLab has restored its layout, and a
	// click then opens nothing: give it a moment, as a person would.
	return chromedp.Do(ctx, chromedp.Sleep(2*time.Second))
}

// menuRetry is menu, tried again twice when the menu did not open (a click
// JupyterLab was too busy to take).
func menuRetry(ctx context.Context, label, command string) error {
	var err error
	for range 3 {
		if err = menu(ctx, label, command); err == nil || errors.Is(err, errDisabled) {
			return err
		}
		_ = chromedp.Do(ctx, chromedp.KeyEvent("\x1b"), chromedp.Sleep(time.Second))
	}
	return err
}

// menuCommands opens the menu bar's label menu and returns its items'
// commands, then closes it.
func menuCommands(ctx context.Context, poll pollFunc, label string) ([]string, error) {
	xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](fmt.Sprintf(`(function () {
	  var e = Array.from(document.querySelectorAll('.lm-MenuBar-item')).find(function (e) { return e.textContent.trim() === %s; });
	  if (!e) return [];
	  var r = e.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()`, jsString(label))))
	if err != nil || len(xy) != 2 {
		return nil, fmt.Errorf("no %s menu in the menu bar (%v)", label, err)
	}
	for try := 0; ; try++ {
		if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, xy[0], xy[1]),
			chromedp.MouseClickXY(xy[0], xy[1])); err != nil {
			return nil, err
		}
		err := poll("the "+label+" menu", `!!document.querySelector('.lm-Menu .lm-Menu-item')`, 5*time.Second)
		if err == nil {
			break
		}
		if try == 2 {
			return nil, err
		}
		_ = chromedp.Do(ctx, chromedp.KeyEvent("\x1b"), chromedp.Sleep(time.Second))
	}
	items, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.lm-Menu .lm-Menu-item')).filter(function (e) {
	  return e.getBoundingClientRect().height > 0; }).map(function (e) { return e.getAttribute('data-command') || ''; })`))
	_ = chromedp.Do(ctx, chromedp.KeyEvent("\x1b"))
	return items, err
}

// iframeJS evaluates body, a function of the formgrader's document d,
// inside the Formgrader tab's iframe (same origin).
func iframeJS(body string) string {
	return `(function () { var f = document.querySelector('#formgrader iframe');
	  var d = f && f.contentDocument; if (!d || !d.body) return null;
	  return (function (d, f) { ` + body + ` })(d, f); })()`
}

var scoreText = regexp.MustCompile(`^([0-9.]+) / ([0-9.]+)$`)

// formgraderScores is the instructor's check: in their JupyterLab,
// Nbgrader > Formgrader opens nbgrader's formgrader in a tab; on its Manage
// Assignments page the assignment's number of submissions is a link to its
// Manage Submissions page, whose table has a row per student with their
// score ("11 / 11"). Every student of g.scores must have exactly their
// points. It saves LABEL-formgrader.png.
func (h *hub) formgraderScores(ctx context.Context, poll pollFunc, server string, g grading, out, label string) error {
	shot := func(name string) { screenshot(ctx, out, label+"-"+name+".png") }
	if err := h.openLab(ctx, poll, server); err != nil {
		shot("lab-failed")
		return err
	}
	if err := menuRetry(ctx, "Nbgrader", "nbgrader:open-formgrader"); err != nil {
		shot("menu-failed")
		return fmt.Errorf("the instructor's JupyterLab: %w", err)
	}
	// Manage Assignments: the assignment's row, with its submissions' link.
	link := iframeJS(fmt.Sprintf(`var tr = Array.from(d.querySelectorAll('tbody tr')).find(function (tr) {
	    var n = tr.querySelector('.name'); return n && n.textContent.trim() === %s; });
	  var a = tr && tr.querySelector('.num-submissions a');
	  if (!a) return null;
	  a.scrollIntoView({block: 'center'});
	  var r = a.getBoundingClientRect(), fr = f.getBoundingClientRect();
	  return [fr.left + r.left + r.width / 2, fr.top + r.top + r.height / 2];`, jsString(g.assignment)))
	if err := poll("the formgrader's Manage Assignments page listing "+g.assignment+" with submissions",
		`(function () { var xy = `+link+`; return !!xy && xy.length === 2; })()`, 2*time.Minute); err != nil {
		shot("formgrader-failed")
		page, _ := chromedp.Run(ctx, chromedp.Evaluate[string](iframeJS(`return d.location.href + ': ' + d.body.innerText.slice(0, 600);`)))
		return fmt.Errorf("%w; the formgrader tab shows %q", err, page)
	}
	xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](link))
	if err != nil || len(xy) != 2 {
		return fmt.Errorf("the submissions link of %s: %v", g.assignment, err)
	}
	if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, xy[0], xy[1]),
		chromedp.MouseClickXY(xy[0], xy[1])); err != nil {
		return err
	}
	// Manage Submissions: a row per student once the scores have loaded.
	rowsJS := iframeJS(fmt.Sprintf(`if (d.location.pathname.indexOf('/formgrader/manage_submissions/' + %s) < 0) return null;
	  var out = {};
	  d.querySelectorAll('tbody tr').forEach(function (tr) {
	    var id = tr.querySelector('.student-id'), s = tr.querySelector('.score');
	    if (id && s) out[id.textContent.trim()] = s.textContent.trim();
	  });
	  return out;`, jsString(g.assignment)))
	var rows map[string]string
	deadline := time.Now().Add(2 * time.Minute)
	for {
		rows, err = chromedp.Run(ctx, chromedp.Evaluate[map[string]string](rowsJS))
		loaded := err == nil && len(rows) > 0
		for s := range g.scores {
			if !scoreText.MatchString(rows[s]) {
				loaded = false
			}
		}
		if loaded {
			break
		}
		if time.Now().After(deadline) {
			shot("formgrader-failed")
			return fmt.Errorf("the formgrader's Manage Submissions page of %s did not show a score for each of %v in 2 minutes (its rows, student: score: %v)",
				g.assignment, keys(g.scores), rows)
		}
		time.Sleep(500 * time.Millisecond)
	}
	shot("formgrader")
	var problems []string
	for _, s := range keys(g.scores) {
		m := scoreText.FindStringSubmatch(rows[s])
		got, _ := strconv.ParseFloat(m[1], 64)
		if got != g.scores[s] {
			problems = append(problems, fmt.Sprintf("the formgrader shows %s with %s in %s, want %g points", s, rows[s], g.assignment, g.scores[s]))
		}
	}
	fmt.Printf("browsercheck %s: the formgrader (JupyterLab, Nbgrader > Formgrader > %s > Manage Submissions) shows:\n", label, g.assignment)
	for _, s := range keys(rows) {
		fmt.Printf("  %-12s %s\n", s, rows[s])
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return nil
}

// studentHasNoFormgrader is a student's check: their JupyterLab's Nbgrader
// menu has the Assignment List and no Formgrader; the Assignment List shows
// the assignment; their server answers 404 at /formgrader.
func (h *hub) studentHasNoFormgrader(ctx context.Context, poll pollFunc, server string, g grading, out, label string) error {
	shot := func(name string) { screenshot(ctx, out, label+"-"+name+".png") }
	if err := h.openLab(ctx, poll, server); err != nil {
		shot("lab-failed")
		return err
	}
	items, err := menuCommands(ctx, poll, "Nbgrader")
	if err != nil {
		return err
	}
	has := map[string]bool{}
	for _, c := range items {
		has[c] = true
	}
	if has["nbgrader:open-formgrader"] || has["nbgrader:open-create-assignment"] || !has["nbgrader:open-assignment-list"] {
		return fmt.Errorf("%s's Nbgrader menu has %v: want the Assignment List and no Formgrader or Create Assignment", h.user, items)
	}
	code, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`fetch(%s, {credentials: 'same-origin'}).then(function (r) { return r.status; })`,
		jsString("/"+server+"/formgrader/manage_assignments")), chromedp.EvalAwaitPromise))
	if err != nil {
		return err
	}
	if code != 404 {
		return fmt.Errorf("%s's server answers HTTP %d at /formgrader/manage_assignments, want 404 (no formgrader)", h.user, code)
	}
	if err := menuRetry(ctx, "Nbgrader", "nbgrader:open-assignment-list"); err != nil {
		return err
	}
	if err := poll("the Assignments tab listing "+g.assignment, fmt.Sprintf(`(function () {
	  var p = document.querySelector('#nbgrader-assignment-list'); return !!p && p.textContent.indexOf(%s) >= 0; })()`,
		jsString(g.assignment)), 2*time.Minute); err != nil {
		shot("assignments-failed")
		return err
	}
	shot("assignments")
	fmt.Printf("browsercheck %s: %s's Nbgrader menu: %v (no Formgrader); /formgrader answers 404; the Assignments tab lists %s\n",
		label, h.user, items, g.assignment)
	return nil
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
