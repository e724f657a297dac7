package main

// Driving JupyterLab 4 and Notebook 7 (whose notebook page is made of
// JupyterLab's components) as a student does: the file browser, the kernel,
// the Edit and Run menus.

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// jupyter says which notebook of which server to open, and how.
type jupyter struct {
	ui     string // "lab" (JupyterLab) or "notebook" (Notebook 7)
	base   string // the server's URL with its base_url, ending in "/"
	token  string
	path   string // the notebook, relative to the server's root_dir
	kernel string // the kernel's display name the notebook must get
	// hubLogin: the browser logged in at a JupyterHub, whose cookie lets it
	// in; page URLs carry no token (the token serves the REST calls only).
	hubLogin bool
}

// panelSel is the notebook that is open (JupyterLab hides the other tabs).
const panelSel = `.jp-NotebookPanel:not(.lm-mod-hidden)`

// jsString quotes s for JavaScript.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// pageURL is the server's URL for p (a path below base_url) with the token
// (none behind a hub's login).
func (j *jupyter) pageURL(p string, query ...string) string {
	q := query
	if !j.hubLogin {
		q = append(q, "token="+url.QueryEscape(j.token))
	}
	if len(q) == 0 {
		return j.base + p
	}
	return j.base + p + "?" + strings.Join(q, "&")
}

// open opens the notebook from the file browser: in JupyterLab, a double
// click on its name in the folder /lab/workspaces/NEW/tree/DIR shows (a new
// workspace, so that no notebook of an earlier check reopens); in Notebook 7
// the /tree page must list it, and the notebook opens at /notebooks/PATH (as
// the tree page's link does, in a tab of its own).
func (j *jupyter) open(ctx context.Context, poll pollFunc) error {
	dir, name := path.Split(j.path)
	dir = strings.TrimSuffix(dir, "/")
	listed := fmt.Sprintf(`(function () {
	  var it = Array.from(document.querySelectorAll('.jp-DirListing-item')).find(function (e) {
	    var t = e.querySelector('.jp-DirListing-itemText'); return t && t.textContent.trim() === %s; });
	  if (!it) return false;
	  it.setAttribute('data-dlnb-open', '1');
	  return true;
	})()`, jsString(name))
	// A workspace of its own for each check: JupyterLab restores a workspace's
	// open notebooks, and with the default one every earlier check's
	// notebooks reopened beside this one (each starting a kernel), which left
	// Run All acting on none of them (seen at the third lesson in a row).
	ws := fmt.Sprintf("lab/workspaces/dlnb-check-%d/", time.Now().UnixNano())
	tree := ws + "tree/" + dir
	query := []string{"reset"}
	if j.ui == "notebook" {
		tree, query = "tree/"+dir, nil
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(j.pageURL(strings.TrimSuffix(tree, "/"), query...))); err != nil {
		return fmt.Errorf("opening the file browser at %s: %w", tree, err)
	}
	if err := poll(fmt.Sprintf("the file browser to list %s", j.path), listed, 3*time.Minute); err != nil {
		return err
	}
	// Then the notebook's own page: /notebooks/PATH in Notebook 7 (where the
	// tree page's link leads, in a tab of its own), /lab/tree/PATH in
	// JupyterLab (what a double click on it in the file browser shows, and
	// where the notebook has the focus the menus act on).
	page, pageQuery := ws+"tree/"+j.path, []string{"reset"}
	if j.ui == "notebook" {
		page, pageQuery = "notebooks/"+j.path, nil
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(j.pageURL(page, pageQuery...))); err != nil {
		return fmt.Errorf("opening %s: %w", j.path, err)
	}
	if err := poll("the notebook to open", fmt.Sprintf(`!!document.querySelector(%s)`, jsString(panelSel+" .jp-Notebook")), 2*time.Minute); err != nil {
		return err
	}
	return j.waitKernel(ctx, poll)
}

// kernelStateJS is the kernel's name and state as the notebook's toolbar
// shows them. "unknown" is a connected kernel that has reported no state yet:
// GoNB's only status messages before the first cell answer kernel_info
// requests, which JupyterLab does not track.
const kernelStateJS = `(function () {
  var p = document.querySelector('` + panelSel + `');
  if (!p) return {name: '', status: 'no notebook', dialog: ''};
  var n = p.querySelector('.jp-KernelName'), s = p.querySelector('.jp-Notebook-ExecutionIndicator');
  var d = document.querySelector('.jp-Dialog');
  return {name: n ? n.textContent.trim() : '', status: s ? s.getAttribute('data-status') || '' : '',
    dialog: d ? d.textContent.trim().slice(0, 200) : ''};
})()`

type kernelState struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Dialog string `json:"dialog"`
}

// waitKernel waits for the notebook's kernel to be connected, selecting it
// in the dialog if JupyterLab asks.
func (j *jupyter) waitKernel(ctx context.Context, _ pollFunc) error {
	deadline := time.Now().Add(3 * time.Minute)
	var st kernelState
	for time.Now().Before(deadline) {
		var err error
		if st, err = chromedp.Run(ctx, chromedp.Evaluate[kernelState](kernelStateJS)); err != nil {
			return err
		}
		if st.Dialog != "" && strings.Contains(st.Dialog, "Select Kernel") {
			// The dialog proposes the notebook's kernel (or the default one): accept it.
			fmt.Printf("browsercheck: JupyterLab asks for a kernel (%q): selecting the proposed one\n", st.Dialog)
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".jp-Dialog .jp-Dialog-button.jp-mod-accept"))); err != nil {
				return err
			}
		}
		if st.Name == j.kernel && (st.Status == "idle" || st.Status == "unknown") {
			return nil
		}
		if st.Status == "dead" {
			return fmt.Errorf("the kernel %q died at start (see the server's log)", st.Name)
		}
		time.Sleep(300 * time.Millisecond)
	}
	return fmt.Errorf("the notebook's kernel did not connect in 3 minutes: kernel %q, state %q, want kernel %q (dialog: %q)", st.Name, st.Status, j.kernel, st.Dialog)
}

// errDisabled is menu's error for a command the menu shows greyed out.
var errDisabled = errors.New("disabled")

// menu chooses a command from the menu bar (File, Edit, Run...) with the
// mouse, as a student does.
func menu(ctx context.Context, label, command string) error {
	pos := func(js string) (xy [2]float64, ok bool, err error) {
		r, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(function () { var e = `+js+`; if (!e) return [];
		  var r = e.getBoundingClientRect(); return r.width > 0 ? [r.left + r.width / 2, r.top + r.height / 2] : []; })()`))
		if err != nil || len(r) != 2 {
			return xy, false, err
		}
		return [2]float64{r[0], r[1]}, true, nil
	}
	click := func(xy [2]float64) error {
		// Lumino's menus act on the item under the mouse: move there first.
		return chromedp.Do(ctx,
			chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, xy[0], xy[1]),
			chromedp.MouseClickXY(xy[0], xy[1]))
	}
	bar, ok, err := pos(fmt.Sprintf(`Array.from(document.querySelectorAll('.lm-MenuBar-item')).find(function (e) { return e.textContent.trim() === %s; })`, jsString(label)))
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("no %s menu in the menu bar", label)
	}
	if err := click(bar); err != nil {
		return err
	}
	itemJS := fmt.Sprintf(`document.querySelector('.lm-Menu .lm-Menu-item[data-command=%s]:not(.lm-mod-disabled)')`, jsString(command))
	for range 50 {
		xy, ok, err := pos(itemJS)
		if err != nil {
			return err
		}
		if ok {
			return click(xy)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if dis, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`!!document.querySelector('.lm-Menu .lm-Menu-item.lm-mod-disabled[data-command=%s]')`, jsString(command)))); dis {
		_ = chromedp.Do(ctx, chromedp.KeyEvent("\x1b"))
		return fmt.Errorf("%s > %s: %w", label, command, errDisabled)
	}
	items, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.lm-Menu .lm-Menu-item')).map(function (e) {
	  return (e.getAttribute('data-command') || '-') + (e.classList.contains('lm-mod-disabled') ? ' (disabled)' : ''); })`))
	_ = chromedp.Do(ctx, chromedp.KeyEvent("\x1b"))
	return fmt.Errorf("the %s menu has no enabled item for %s (its items: %s)", label, command, strings.Join(items, ", "))
}

// cellsJS reports the code cells of the open notebook: their prompts
// ("[3]:", "[*]:", "[ ]:"), and their error and stderr outputs.
const cellsJS = `(function () {
  var p = document.querySelector('` + panelSel + `');
  if (!p) return {cells: [], status: 'no notebook'};
  var s = p.querySelector('.jp-Notebook-ExecutionIndicator');
  var all = Array.from(p.querySelectorAll('.jp-Notebook .jp-Cell'));
  return {status: s ? s.getAttribute('data-status') || '' : '', cells: all.map(function (c, i) {
    if (!c.classList.contains('jp-CodeCell')) return null;
    var pr = c.querySelector('.jp-InputPrompt');
    return {index: i + 1, prompt: pr ? pr.textContent.trim() : '',
      stderr: Array.from(c.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')).map(function (e) { return e.textContent.slice(0, 2000); })};
  }).filter(function (c) { return c; })};
})()`

type cellState struct {
	Index  int      `json:"index"` // 1-based, among all cells
	Prompt string   `json:"prompt"`
	Stderr []string `json:"stderr"` // error outputs (JupyterLab shows a traceback as stderr) and stderr streams
}

type cellsState struct {
	Status string      `json:"status"`
	Cells  []cellState `json:"cells"`
}

func (c cellState) counted() bool {
	p := strings.TrimSuffix(strings.TrimPrefix(c.Prompt, "["), "]:")
	if p == "" || p == c.Prompt {
		return false
	}
	for _, r := range p {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// codeCells is the number of code cells of the notebook on the server.
func (j *jupyter) codeCells() (int, error) {
	var nb struct {
		Content struct {
			Cells []struct {
				CellType string `json:"cell_type"`
			} `json:"cells"`
		} `json:"content"`
	}
	if err := j.api(http.MethodGet, "api/contents/"+j.path, &nb); err != nil {
		return 0, err
	}
	n := 0
	for _, c := range nb.Content.Cells {
		if c.CellType == "code" {
			n++
		}
	}
	return n, nil
}

// api calls the server's REST API with the token.
func (j *jupyter) api(method, p string, v any) error {
	req, err := http.NewRequest(method, j.base+p, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "token "+j.token)
	// The server may have a self-signed certificate (the HTTPS check).
	c := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s", method, p, resp.Status)
	}
	if v == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// shutdown ends the notebook's kernel, so that the checks of many notebooks
// do not leave a kernel each running on the server.
func (j *jupyter) shutdown() error {
	var sessions []struct {
		ID   string `json:"id"`
		Path string `json:"path"`
	}
	if err := j.api(http.MethodGet, "api/sessions", &sessions); err != nil {
		return err
	}
	for _, s := range sessions {
		if s.Path == j.path {
			if err := j.api(http.MethodDelete, "api/sessions/"+s.ID, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// progressObserverJS records, from now on, every state of each live progress
// display (plotting.Progress: one output updated in place by GoNB's
// update_display_data) in window.dlnbProgress, keyed by cell and position,
// with whether its cell was still running.
const progressObserverJS = `(function () {
  var p = document.querySelector('` + panelSel + `');
  var rec = window.dlnbProgress = {};
  function look() {
    var cells = Array.from(p.querySelectorAll('.jp-Notebook .jp-Cell'));
    cells.forEach(function (c, ci) {
      Array.from(c.querySelectorAll('.dlnb-progress')).forEach(function (e, k) {
        var key = (ci + 1) + '.' + (k + 1), t = e.textContent.trim();
        var pr = c.querySelector('.jp-InputPrompt');
        var running = !!pr && pr.textContent.indexOf('*') >= 0;
        var r = rec[key] || (rec[key] = {cell: ci + 1, states: []});
        var last = r.states[r.states.length - 1];
        if (!last || last.text !== t) r.states.push({text: t, running: running});
      });
    });
  }
  new MutationObserver(look).observe(p, {childList: true, subtree: true, characterData: true});
  look();
})()`

type progressRecord struct {
	Cell   int `json:"cell"`
	States []struct {
		Text    string `json:"text"`
		Running bool   `json:"running"`
	} `json:"states"`
}

// runAll clears every output (Edit > Clear Outputs of All Cells), runs every
// cell (Run > Run All Cells), and waits until every code cell has its
// execution count and the kernel is idle, or a cell failed and the kernel
// stopped. It returns the cells as they ended.
func (j *jupyter) runAll(ctx context.Context, timeout time.Duration, progress bool) ([]cellState, error) {
	want, err := j.codeCells()
	if err != nil {
		return nil, fmt.Errorf("reading the notebook from the server: %w", err)
	}
	// Click into the notebook first, as a student does: the menus act on the
	// notebook that has the focus.
	xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(function () { var c = document.querySelector('`+panelSel+` .jp-Cell .jp-InputPrompt');
	  if (!c) return []; var r = c.getBoundingClientRect(); return [r.left + r.width / 2, r.top + 8]; })()`))
	if err != nil {
		return nil, err
	}
	if len(xy) == 2 {
		if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, xy[0], xy[1]), chromedp.MouseClickXY(xy[0], xy[1])); err != nil {
			return nil, err
		}
	}
	// (Greyed out when no cell has an output: nothing to clear.)
	if err := menu(ctx, "Edit", "editmenu:clear-all"); err != nil && !errors.Is(err, errDisabled) {
		return nil, err
	}
	// Clearing the outputs clears the execution counts too.
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := chromedp.Run(ctx, chromedp.Evaluate[cellsState](cellsJS))
		if err != nil {
			return nil, err
		}
		cleared := len(st.Cells) == want
		for _, c := range st.Cells {
			cleared = cleared && !c.counted()
		}
		if cleared {
			break
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("after Clear Outputs of All Cells: %d code cells on the page (the notebook has %d), prompts %v", len(st.Cells), want, prompts(st.Cells))
		}
		time.Sleep(200 * time.Millisecond)
	}
	if progress {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](progressObserverJS)); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	if err := menu(ctx, "Run", "runmenu:run-all"); err != nil {
		return nil, err
	}
	var st cellsState
	idleSince := time.Time{}
	started, tries, lastTry := false, 1, time.Now()
	for time.Since(start) < timeout {
		time.Sleep(500 * time.Millisecond)
		if st, err = chromedp.Run(ctx, chromedp.Evaluate[cellsState](cellsJS)); err != nil {
			return nil, err
		}
		if !started {
			for _, c := range st.Cells {
				started = started || c.counted() || strings.Contains(c.Prompt, "*")
			}
		}
		if !started && st.Status == "unknown" {
			// Nothing ran yet: a click on the menu can be lost while the page is
			// busy laying out. Choose Run All Cells again, three times at most.
			if time.Since(lastTry) > 20*time.Second {
				if tries == 3 {
					return st.Cells, fmt.Errorf("Run > Run All Cells started no cell, 3 times (kernel %q, prompts %v)", st.Status, prompts(st.Cells))
				}
				tries++
				lastTry = time.Now()
				fmt.Printf("browsercheck: Run All Cells started nothing in 20 s; choosing it again (try %d)\n", tries)
				if err := menu(ctx, "Run", "runmenu:run-all"); err != nil {
					return nil, err
				}
			}
			continue
		}
		if st.Status == "dead" {
			return st.Cells, fmt.Errorf("the kernel died while running the cells")
		}
		counted, running, failed := 0, 0, 0
		for _, c := range st.Cells {
			if c.counted() {
				counted++
			}
			if strings.Contains(c.Prompt, "*") {
				running++
			}
			if len(c.Stderr) > 0 {
				failed++
			}
		}
		if st.Status != "idle" || running > 0 {
			idleSince = time.Time{}
			continue
		}
		if counted == want {
			fmt.Printf("browsercheck: ran all %d code cells in the browser in %.1f s\n", want, time.Since(start).Seconds())
			return st.Cells, nil
		}
		// Idle with cells left unrun: after an error JupyterLab does not run
		// the cells below it. Give it a moment to be sure.
		if idleSince.IsZero() {
			idleSince = time.Now()
		} else if time.Since(idleSince) > 5*time.Second {
			if failed > 0 {
				return st.Cells, nil
			}
			return st.Cells, fmt.Errorf("the kernel is idle but only %d of %d code cells ran (prompts %v)", counted, want, prompts(st.Cells))
		}
	}
	return st.Cells, fmt.Errorf("the cells did not finish in %s (kernel %q, prompts %v)", timeout, st.Status, prompts(st.Cells))
}

func prompts(cells []cellState) []string {
	var p []string
	for _, c := range cells {
		p = append(p, c.Prompt)
	}
	return p
}

// save saves the notebook (File > Save Notebook) and waits for the server to
// have the new version.
func (j *jupyter) save(ctx context.Context) error {
	var before struct {
		LastModified string `json:"last_modified"`
	}
	if err := j.api(http.MethodGet, "api/contents/"+j.path+"?content=0", &before); err != nil {
		return err
	}
	if err := menu(ctx, "File", "docmanager:save"); err != nil {
		return err
	}
	for range 120 {
		time.Sleep(500 * time.Millisecond)
		var now struct {
			LastModified string `json:"last_modified"`
		}
		if err := j.api(http.MethodGet, "api/contents/"+j.path+"?content=0", &now); err != nil {
			return err
		}
		if now.LastModified != before.LastModified {
			return nil
		}
	}
	return fmt.Errorf("the notebook was not saved in a minute")
}

// scrollerJS is the element the notebook scrolls in.
const scrollerJS = `(document.querySelector('` + panelSel + ` .jp-WindowedPanel-outer') || document.querySelector('` + panelSel + ` .jp-Notebook'))`

// screenshot saves what the browser shows as out/name, best effort: it is
// evidence for a person reading a failure, never a check of its own.
func screenshot(ctx context.Context, out, name string) {
	if b, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
		_ = os.WriteFile(filepath.Join(out, name), b, 0o644)
	}
}

// notebookShots saves screenshots of the whole notebook, a window's height
// at a time from the top: label-page-01.png, -02...
func notebookShots(ctx context.Context, out, label string, write func(string, []byte)) {
	const h = 2400
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, h)); err != nil {
		return
	}
	defer chromedp.Do(ctx, chromedp.EmulateViewport(1280, 1000))
	_ = chromedp.Do(ctx, chromedp.Sleep(500*time.Millisecond))
	for i := 0; i < 30; i++ {
		js := fmt.Sprintf(`(function () { var s = %s; if (!s) return false; var step = s.clientHeight - 40;
		  if (%d > 0 && s.scrollTop + s.clientHeight >= s.scrollHeight - 2) return false;
		  s.scrollTop = %d * step; return true; })()`, scrollerJS, i, i)
		more, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err != nil || !more {
			return
		}
		_ = chromedp.Do(ctx, chromedp.Sleep(400*time.Millisecond))
		b, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			return
		}
		write(fmt.Sprintf("%s-page-%02d.png", label, i+1), b)
	}
}
