package main

// Behind a JupyterHub (docker/class): logging in with the hub's login form
// as a student does, and the instructor's admin page.

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// hub is the JupyterHub a check logs in to first: its public URL (ending in
// "/"), the account and the account's password.
type hub struct {
	url, user, password string
}

// newHub reads the password from passwordFile (never a command-line
// argument, which other users of the machine can see).
func newHub(url, user, passwordFile string) (*hub, error) {
	if user == "" || passwordFile == "" {
		return nil, fmt.Errorf("-hub needs -hub-user NAME and -hub-password-file FILE")
	}
	b, err := os.ReadFile(passwordFile)
	if err != nil {
		return nil, fmt.Errorf("-hub-password-file: %w", err)
	}
	if !strings.HasSuffix(url, "/") {
		url += "/"
	}
	return &hub{url: url, user: user, password: strings.TrimSpace(string(b))}, nil
}

// login fills in the hub's login form (/hub/login) and submits it, then
// waits until the browser is on a page whose path starts with wantPath:
// for a student, their own server's JupyterLab (/user/NAME/lab), which the
// hub reaches by starting the server first if it is not running (its
// spawn-pending page); for the instructor, /hub/. It returns how long that
// took after the form was sent.
//
// next, if not empty, is where the hub sends the browser after the login
// (the login page's next= parameter), instead of the user's server.
func (h *hub) login(ctx context.Context, poll pollFunc, wantPath, next string, timeout time.Duration) (time.Duration, error) {
	page := h.url + "hub/login"
	if next != "" {
		page += "?next=" + url.QueryEscape(next)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
		return 0, fmt.Errorf("opening the hub's login page: %w", err)
	}
	if err := poll("the hub's login form", `!!document.querySelector('form input[name=username]') && !!document.querySelector('form input[name=password]')`, time.Minute); err != nil {
		return 0, err
	}
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("form input[name=username]"), h.user),
		chromedp.SendKeys(chromedp.CSS("form input[name=password]"), h.password),
	); err != nil {
		return 0, fmt.Errorf("typing into the login form: %w", err)
	}
	t0 := time.Now()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("form input[type=submit], form button[type=submit]"))); err != nil {
		return 0, fmt.Errorf("sending the login form: %w", err)
	}
	// Still on the login page with a message: the hub refused (a wrong
	// password, an account not yet approved): say what it said.
	refused := `(function () { if (!/\/hub\/login/.test(location.pathname)) return '';
	  var a = document.querySelector('.alert, .login_error, p.text-danger'); return a ? a.textContent.trim() : ''; })()`
	at := fmt.Sprintf(`location.pathname.indexOf(%s) === 0`, jsString(wantPath))
	deadline := time.Now().Add(timeout)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](at))
		if err == nil && ok {
			return time.Since(t0), nil
		}
		if msg, err := chromedp.Run(ctx, chromedp.Evaluate[string](refused)); err == nil && msg != "" && time.Since(t0) > 2*time.Second {
			return 0, fmt.Errorf("the hub refused %s's login: %q", h.user, msg)
		}
		if time.Now().After(deadline) {
			where, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + ': ' + document.body.innerText.slice(0, 300)`))
			return 0, fmt.Errorf("%s logged in, but the browser did not reach %s in %s; it is at %s", h.user, wantPath, timeout, where)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// adminRowsJS is, for each user the admin page's table lists, whether their
// (default) server runs: JupyterHub 5's admin page (a React app) has a row
// per user, their name in its first cell, with a Stop Server button when
// the server runs and Start Server when it does not. (A user's collapsed
// details are rows of nested tables too, without those buttons: skipped.)
const adminRowsJS = `(function () {
  var out = {};
  document.querySelectorAll('table tbody tr').forEach(function (tr) {
    var td = tr.querySelector('td');
    if (!td) return;
    var buttons = Array.from(tr.querySelectorAll('button, a.btn')).map(function (b) { return b.textContent.trim(); });
    var running = buttons.indexOf('Stop Server') >= 0;
    if (!running && buttons.indexOf('Start Server') < 0) return;
    var name = td.textContent.trim();
    out[name] = out[name] || running;
  });
  return out;
})()`

// adminSees logs the instructor in, straight to the hub's admin page
// (/hub/admin: without next= the hub would start the instructor's own
// server), and waits until its user table lists every one of students with
// a running server. It saves a screenshot LABEL-admin.png.
func (h *hub) adminSees(ctx context.Context, poll pollFunc, students []string, out, label string) error {
	if _, err := h.login(ctx, poll, "/hub/admin", "/hub/admin", 2*time.Minute); err != nil {
		return err
	}
	var rows map[string]bool
	deadline := time.Now().Add(time.Minute)
	for {
		var err error
		if rows, err = chromedp.Run(ctx, chromedp.Evaluate[map[string]bool](adminRowsJS)); err != nil {
			return err
		}
		missing := []string{}
		for _, s := range students {
			if !rows[s] {
				missing = append(missing, s)
			}
		}
		if len(missing) == 0 {
			break
		}
		if time.Now().After(deadline) {
			screenshot(ctx, out, label+"-admin-failed.png")
			return fmt.Errorf("the admin page does not list %v with a running server (its rows, name: running: %v)", missing, rows)
		}
		time.Sleep(500 * time.Millisecond)
	}
	screenshot(ctx, out, label+"-admin.png")
	fmt.Printf("browsercheck %s: the instructor %s sees %v with a running server on the admin page (rows: %v)\n", label, h.user, students, rows)
	return nil
}
