package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
)

const configDir = "config"

func load(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join(configDir, name+".json"))
}

func main() {
	b, err := load("app")
	if err != nil {
		fmt.Fprintln(os.Stderr, "config:", err)
		os.Exit(1)
	}
	entries, _ := os.ReadDir("migrations")
	fmt.Println(string(b), len(entries))
	if len(os.Args) > 1 && os.Args[1] == "-selftest" {
		return
	}
	http.Handle("/", http.FileServer(http.Dir("./public")))
	http.ListenAndServe(":8080", nil)
}
