package greet

// Hello returns the greeting.
func Hello() string { return "ok" }
