// Command kernelspec writes the Jupyter kernelspec (kernel.json) of the GoNB kernel that
// scripts/setup.sh installs: GoNB, run by dlnb-kernel (which cleans up after it), with
// --go_work=<the repository>, so cells import the
// project's packages with no setup line, and the environment it runs in.
//
// GOFLAGS=-ldflags=-s: GoNB builds and links every cell as a new program, and
// the link is most of a warm cell's time. -s leaves out the symbol table and,
// since Go 1.22, the DWARF debug information (it implies -w), which only a
// debugger reads: panics still print file and line (the runtime's own tables),
// so GoNB still maps them to the cell. It is the whole of GOFLAGS, because
// GOFLAGS values cannot hold spaces and the kernelspec cannot append to a
// variable that may be unset (bench/README.md has the measurement). It writes with
// encoding/json to a temporary file renamed over the old one, and leaves an unchanged file alone.
//
//	go run ./scripts/kernelspec -dir DIR -wrapper BIN/dlnb-kernel -gonb BIN/gonb -root REPO -name dlnb \
//	    -path GOROOT/bin:BIN -gocache C -gomodcache M [-echarts FILE]
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

type kernelSpec struct {
	Argv          []string          `json:"argv"`
	DisplayName   string            `json:"display_name"`
	Language      string            `json:"language"`
	InterruptMode string            `json:"interrupt_mode"`
	Env           map[string]string `json:"env"`
	Metadata      map[string]string `json:"metadata"`
}

func main() {
	dir := flag.String("dir", "", "the kernel's directory (…/kernels/NAME)")
	gonb := flag.String("gonb", "", "the gonb binary")
	wrapper := flag.String("wrapper", "", "the dlnb-kernel binary that runs gonb and cleans up after it (scripts/dlnb-kernel)")
	root := flag.String("root", "", "the repository (GoNB's --go_work)")
	name := flag.String("name", "dlnb", "the kernel's name")
	path := flag.String("path", "", "directories put before the user's PATH (go and the tools)")
	gocache := flag.String("gocache", "", "GOCACHE (warmed by setup.sh)")
	gomodcache := flag.String("gomodcache", "", "GOMODCACHE")
	echarts := flag.String("echarts", "", "DLNB_ECHARTS_JS, if set")
	flag.Parse()
	for _, f := range []struct{ name, v string }{{"dir", *dir}, {"gonb", *gonb}, {"wrapper", *wrapper}, {"root", *root}, {"path", *path}, {"gocache", *gocache}, {"gomodcache", *gomodcache}} {
		if f.v == "" {
			fmt.Fprintf(os.Stderr, "kernelspec: -%s is required\n", f.name)
			os.Exit(2)
		}
	}
	spec := kernelSpec{
		Argv:          []string{*wrapper, "-gonb", *gonb, "--", "--kernel", "{connection_file}", "--go_work=" + *root},
		DisplayName:   "Go (" + *name + ")",
		Language:      "go",
		InterruptMode: "message",
		Env: map[string]string{
			// Jupyter expands ${PATH} from the server's environment.
			"PATH":        *path + ":${PATH}",
			"GOTOOLCHAIN": "local",
			"GOFLAGS":     "-ldflags=-s",
			"GOPROXY":     "off",
			"GOCACHE":     *gocache,
			"GOMODCACHE":  *gomodcache,
			"DLNB_ROOT":   *root,
		},
		Metadata: map[string]string{"dlnb": "written by scripts/setup.sh; run it again rather than editing this file"},
	}
	if *echarts != "" {
		spec.Env["DLNB_ECHARTS_JS"] = *echarts
	}
	b, err := json.MarshalIndent(spec, "", " ")
	if err != nil {
		fmt.Fprintln(os.Stderr, "kernelspec:", err)
		os.Exit(1)
	}
	b = append(b, '\n')
	changed, err := write(filepath.Join(*dir, "kernel.json"), b)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kernelspec:", err)
		os.Exit(1)
	}
	state := "unchanged"
	if changed {
		state = "written"
	}
	fmt.Printf("%s (%s)\n", filepath.Join(*dir, "kernel.json"), state)
}

// write puts b in file through a temporary file and a rename; it reports whether the file changed.
func write(file string, b []byte) (bool, error) {
	if old, err := os.ReadFile(file); err == nil && bytes.Equal(old, b) {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return false, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".kernel.json.*")
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Close(); err != nil {
		return false, err
	}
	return true, os.Rename(tmp.Name(), file)
}
