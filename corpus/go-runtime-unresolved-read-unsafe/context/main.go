package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
)

var configDir = "config"

func main() {
	flag.StringVar(&configDir, "config-dir", configDir, "folder of the configuration files")
	flag.Parse()
	b, err := os.ReadFile(filepath.Join(configDir, "app.json"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "config:", err)
		os.Exit(1)
	}
	fmt.Println(string(b))
	http.ListenAndServe(":8080", nil)
}
