package main

import (
	"html/template"
	"log"
	"os"
	"time"
)

func logLine(text string) {
	file := "logs/" + time.Now().Format("2006-01-02") + ".log"
	f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0644)
	if err != nil {
		return
	}
	defer f.Close()
	log.New(f, "", log.LstdFlags).Println(text)
}

func main() {
	t := template.Must(template.ParseGlob("templates/*.html"))
	_ = t.Execute(os.Stdout, "hi")
	logLine("started")
}
