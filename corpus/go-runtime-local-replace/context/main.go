package main

import (
	"fmt"
	"net/http"

	"example.com/greet"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, greet.Hello()) })
	http.ListenAndServe(":8080", nil)
}
