package main

import (
	"embed"
	"fmt"
	"html/template"
	"os"
)

//go:embed ui/html
var files embed.FS

func main() {
	t := template.Must(template.ParseFS(files, "ui/html/*.tmpl"))
	_ = t.ExecuteTemplate(os.Stdout, "home.tmpl", nil)
	fmt.Println("handlers live in", "internal/handlers", "templates in", "ui/html")
}
