package main

// #include <stdlib.h>
import "C"

import "net/http"

func main() {
	C.free(nil)
	http.ListenAndServe(":8080", nil)
}
