package main

import (
	"net/http"

	"github.com/raiesbo/servertools"
)

func main() {
	tools := servertools.Tools{
		TmplsDir:    "./ui/html/pages/",
		BaseTmplDir: "./ui/html/partials/layout.tmpl",
	}
	http.Handle("/static/", http.StripPrefix("/static", http.FileServer(http.Dir("./ui/static/"))))
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { tools.Render(w, "home.tmpl", nil) })
	_ = http.ListenAndServe(":8080", nil)
}
