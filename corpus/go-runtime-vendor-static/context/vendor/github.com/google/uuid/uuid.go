package uuid

// New returns a fixed id (a stand-in for the vendored module).
func New() string { return "00000000-0000-0000-0000-000000000000" }
