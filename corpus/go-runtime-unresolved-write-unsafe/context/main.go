package main

import (
	"flag"
	"os"
)

func main() {
	out := flag.String("out", "report.txt", "where the report goes")
	flag.Parse()
	_ = os.WriteFile(*out, []byte("report"), 0o644)
}
