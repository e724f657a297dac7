// Command chartsamples writes one of each chart of package plotting, made
// from small seeded nn trainings, into a directory: NAME.html (a standalone
// page), NAME.png and NAME.svg for each, and all.html with every chart.
//
//	go run ./plotting/internal/cmd/chartsamples -out build/charts
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/dlnb/dlnb/plotting"
	"github.com/dlnb/dlnb/plotting/gallery"
)

func main() {
	out := flag.String("out", "build/charts", "directory to write the charts to (created if missing)")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "chartsamples:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	ss, err := gallery.All()
	if err != nil {
		return err
	}
	var all []*plotting.Chart
	for _, s := range ss {
		base := filepath.Join(dir, s.Name)
		if err := s.Chart.SaveHTML(base + ".html"); err != nil {
			return err
		}
		if err := s.Chart.SavePNG(base + ".png"); err != nil {
			return err
		}
		if err := s.Chart.SaveSVG(base + ".svg"); err != nil {
			return err
		}
		all = append(all, s.Chart)
		fmt.Println(s.Name)
	}
	return plotting.SavePage(filepath.Join(dir, "all.html"), "All charts", all...)
}
