package main

import (
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"github.com/dlnb/dlnb/plotting"
)

func main() {
	f, _ := os.Create("/tmp/cellsb/chart.prof")
	pprof.StartCPUProfile(f)
	t0 := time.Now()
	c := plotting.Activations(nil)
	t1 := time.Now()
	png, _ := c.PNG()
	t2 := time.Now()
	b, err := c.MIMEBundle()
	t3 := time.Now()
	pprof.StopCPUProfile()
	fmt.Println(len(png), len(b), err, "build", t1.Sub(t0), "png", t2.Sub(t1), "bundle", t3.Sub(t2))
}
// x
